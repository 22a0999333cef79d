//! A room as the API answers it, with La Suite Meet's keys: a registered room always has its
//! `configuration` (`{}` when empty); `pin_code` (always `null`: no telephony) and `livekit` come
//! with the credentials to enter directly; `accesses` go to its administrators. An unregistered
//! meeting is `{id: null, slug, access_level: "public", is_administrable: false, livekit}`.

use meet_domain::accesses::AccessWithUser;
use meet_domain::rooms::RoomDetails;
use meet_types::{AccessLevel, LiveKitConnection, Role, RoomConfiguration};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::users::UserResponse;

/// A room as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoomResponse {
    /// `null` for an unregistered room.
    pub id: Option<Uuid>,
    /// Absent for an unregistered room.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub slug: String,
    /// Absent for an unregistered room.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub configuration: Option<RoomConfiguration>,
    pub access_level: AccessLevel,
    /// Telephony PIN: always `null` (telephony is not offered); absent without credentials.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub pin_code: Option<Option<String>>,
    /// For the room's administrators and owners.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accesses: Option<Vec<NestedAccess>>,
    /// The credentials to enter directly; absent when entering goes through the lobby.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub livekit: Option<LiveKitConnection>,
    /// Only for an unregistered room: always `false`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_administrable: Option<bool>,
}

/// An access in a room's answer, with its user.
#[derive(Debug, Serialize, ToSchema)]
pub struct NestedAccess {
    pub id: Uuid,
    /// As `users/me/` shows a user (La Suite Meet's one user serializer).
    pub user: UserResponse,
    /// The room.
    pub resource: Uuid,
    pub role: Role,
}

impl From<AccessWithUser> for NestedAccess {
    fn from(access: AccessWithUser) -> Self {
        Self {
            id: access.access.id,
            resource: access.access.room_id,
            role: access.access.role,
            user: UserResponse {
                id: access.access.user_id,
                email: access.email,
                full_name: access.full_name,
                short_name: access.short_name,
                timezone: access.timezone,
                language: access.language,
                default_room_access_level: access.default_room_access_level,
                default_room_configuration: access.default_room_configuration.0,
            },
        }
    }
}

impl From<RoomDetails> for RoomResponse {
    fn from(details: RoomDetails) -> Self {
        let view = details.view();
        let registered = details.room.is_some();
        Self {
            id: view.id,
            name: registered.then_some(view.name),
            slug: view.slug,
            configuration: details.room.map(|room| room.configuration.0),
            access_level: view.access_level,
            pin_code: (registered && details.livekit.is_some()).then_some(None),
            accesses: details
                .accesses
                .map(|accesses| accesses.into_iter().map(NestedAccess::from).collect()),
            livekit: details.livekit,
            is_administrable: (!registered).then_some(false),
        }
    }
}

/// `{"status": "success"}`: La Suite Meet's answer to actions on a meeting that have nothing
/// else to say.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusResponse {
    /// Always `success`.
    #[schema(example = "success")]
    pub status: &'static str,
}

impl StatusResponse {
    /// The action was done.
    pub fn success() -> Self {
        Self { status: "success" }
    }
}
