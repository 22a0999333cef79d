//! What can be done with rooms, and by whom: one implementation for the REST API and the UI's
//! server functions alike. Each function checks who is asking before doing anything.

use meet_types::{AccessLevel, Admission, LiveKitConnection, Role, RoomCode, RoomConfiguration};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::accesses::{self, AccessWithUser};
use crate::guest::GuestId;
use crate::livekit::token::{self, Participant};
use crate::rooms::admission::enters_directly;
use crate::rooms::code::generate_code;
use crate::rooms::error::{FieldErrors, RoomError};
use crate::rooms::model::Room;
use crate::rooms::queries::{self, NewRoom, RoomWithRole};
use crate::rooms::slug::{RoomKey, is_code_shaped, slugify};
use crate::services::Services;
use crate::store::StoreError;
use crate::users::User;

/// The longest room name.
pub const MAX_NAME_CHARS: usize = 500;
/// The longest display name someone may pick.
pub const MAX_USERNAME_CHARS: usize = 255;
/// Name others see of a guest who did not pick one.
pub const ANONYMOUS: &str = "Anonymous";

/// Who is asking: a logged-in user, or a guest with (maybe) an identity Meet issued earlier.
#[derive(Debug, Clone, Copy, Default)]
pub struct Requester<'a> {
    pub user: Option<&'a User>,
    /// The guest's identity from an earlier visit (its cookie, verified).
    pub guest: Option<&'a GuestId>,
}

impl<'a> Requester<'a> {
    pub fn user(user: &'a User) -> Self {
        Self {
            user: Some(user),
            guest: None,
        }
    }
}

/// A room as one requester sees it.
#[derive(Debug, Clone)]
pub struct RoomDetails {
    /// `None` for an unregistered room: one that exists only by its address.
    pub room: Option<Room>,
    pub slug: String,
    pub role: Option<Role>,
    /// The room's accesses, for its administrators and owners.
    pub accesses: Option<Vec<AccessWithUser>>,
    /// Credentials to enter directly; `None` means through the lobby.
    pub livekit: Option<LiveKitConnection>,
    /// A guest identity issued for this answer, to remember (in a cookie) for the next one.
    pub new_guest_id: Option<GuestId>,
}

impl RoomDetails {
    /// Whether the requester administers the room.
    pub fn is_administrable(&self) -> bool {
        self.role.is_some_and(Role::is_admin_or_owner)
    }

    /// How the requester enters.
    pub fn admission(&self) -> Admission {
        match &self.livekit {
            Some(livekit) => Admission::Direct {
                livekit: livekit.clone(),
            },
            None => Admission::Lobby,
        }
    }
}

/// The room `key` (UUID, slug or meeting code) designates, as `requester` sees it, with LiveKit
/// credentials when they may enter directly. `username` is the name they picked, if any.
/// An unknown meeting code is an unregistered room when the deployment allows them; any other
/// unknown key is not found.
pub async fn retrieve(
    services: &Services,
    requester: Requester<'_>,
    key: &str,
    username: Option<&str>,
) -> Result<RoomDetails, RoomError> {
    let username = validate_username(username)?;
    let key = RoomKey::parse(key).ok_or(RoomError::NotFound)?;
    let Some(room) = services.room_cache.find(&services.store, &key).await? else {
        return match key {
            RoomKey::Code(code) if services.rooms.allow_unregistered_rooms => {
                unregistered(services, requester, code, username)
            }
            _ => Err(RoomError::NotFound),
        };
    };
    let role = match requester.user {
        Some(user) => queries::role_of(&services.store, room.id, user.id).await?,
        None => None,
    };
    let administers = role.is_some_and(Role::is_admin_or_owner);
    let accesses = if administers {
        Some(accesses::queries::list_for_room(&services.store, room.id).await?)
    } else {
        None
    };
    let (livekit, new_guest_id) =
        if enters_directly(room.access_level, requester.user.is_some(), role) {
            let (participant, new_guest_id) = participant(services, requester, role, username);
            let configuration = Some(&room.configuration.0);
            let livekit = token::mint(
                &services.rooms.token,
                &room.livekit_name(),
                &participant,
                configuration,
            )
            .map_err(|error| RoomError::Token(error.to_string()))?;
            (Some(livekit), new_guest_id)
        } else {
            (None, None)
        };
    Ok(RoomDetails {
        slug: room.slug.clone(),
        room: Some(Room::clone(&room)),
        role,
        accesses,
        livekit,
        new_guest_id,
    })
}

/// An unregistered room: public, nobody's, named by its meeting code on LiveKit (as in La Suite
/// Meet). A code is never a UUID, the LiveKit name of every registered room, so the two never
/// share a LiveKit room.
fn unregistered(
    services: &Services,
    requester: Requester<'_>,
    code: RoomCode,
    username: Option<&str>,
) -> Result<RoomDetails, RoomError> {
    let (participant, new_guest_id) = participant(services, requester, None, username);
    let livekit = token::mint(&services.rooms.token, code.as_str(), &participant, None)
        .map_err(|error| RoomError::Token(error.to_string()))?;
    Ok(RoomDetails {
        room: None,
        slug: code.into(),
        role: None,
        accesses: None,
        livekit: Some(livekit),
        new_guest_id,
    })
}

/// The LiveKit participant `requester` is, and a new guest identity when one was made up.
fn participant(
    services: &Services,
    requester: Requester<'_>,
    role: Option<Role>,
    username: Option<&str>,
) -> (Participant, Option<GuestId>) {
    match requester.user {
        Some(user) => {
            let chosen = username.filter(|_| services.rooms.authenticated_can_edit_display_name);
            let name = chosen.map_or_else(|| user.display_name(), str::to_owned);
            let participant = Participant {
                identity: user.livekit_identity(),
                name,
                role,
                is_authenticated: true,
            };
            (participant, None)
        }
        None => {
            let (identity, new_id) = match requester.guest {
                Some(guest) => (guest.identity(), None),
                None => {
                    let guest = services.guests.issue();
                    (guest.identity(), Some(guest))
                }
            };
            let name = username.unwrap_or(ANONYMOUS).to_owned();
            (
                Participant {
                    identity,
                    name,
                    role: None,
                    is_authenticated: false,
                },
                new_id,
            )
        }
    }
}

/// The picked display name, trimmed; blank means none.
fn validate_username(username: Option<&str>) -> Result<Option<&str>, RoomError> {
    let Some(name) = username else {
        return Ok(None);
    };
    if name.len() > 4 * MAX_USERNAME_CHARS || name.chars().count() > MAX_USERNAME_CHARS {
        let message =
            format!("Ensure this field has no more than {MAX_USERNAME_CHARS} characters.");
        return Err(FieldErrors::one("username", message).into());
    }
    if name.chars().any(char::is_control) {
        return Err(FieldErrors::one("username", CONTROL_CHARACTERS).into());
    }
    Ok(Some(name.trim()).filter(|name| !name.is_empty()))
}

/// What someone asks for when creating a room.
#[derive(Debug, Clone, Default)]
pub struct CreateRoom {
    pub name: Option<String>,
    pub access_level: Option<AccessLevel>,
    pub configuration: Option<RoomConfiguration>,
}

/// Creates a room owned by `user`. Missing access level and configuration come from the
/// user's defaults, then the deployment's. A name shaped like a meeting code asks for a new
/// meeting: such addresses are Meet's to generate, so Meet draws a fresh code for it (as La
/// Suite Meet's front end expects, which names new meetings by a code it drew itself).
pub async fn create(
    services: &Services,
    user: &User,
    request: CreateRoom,
) -> Result<Room, RoomError> {
    let name = validate_name(request.name.as_deref())?;
    throttle_creation(services, user)?;
    match own_address(&name) {
        Some(slug) => insert(services, user, name, slug, request).await,
        // A code-shaped name is replaced by the code drawn; any other keeps its name.
        None => {
            let name = (!is_code_shaped(&name)).then_some(name);
            create_with_code(services, user, name, request).await
        }
    }
}

/// The address a room named `name` takes: its slug, unless that cannot be an address people
/// choose (nothing is left of the name, or it is a UUID, or shaped like a meeting code); then
/// `None`, and Meet draws a meeting code for it.
fn own_address(name: &str) -> Option<String> {
    let slug = slugify(name);
    let usable =
        !slug.is_empty() && Uuid::parse_str(&slug).is_err() && RoomCode::parse_bare(&slug).is_err();
    usable.then_some(slug)
}

/// Creates the room named `name` (validated) at `slug`, owned by `user`.
async fn insert(
    services: &Services,
    user: &User,
    name: String,
    slug: String,
    request: CreateRoom,
) -> Result<Room, RoomError> {
    let limit = services.rooms.max_rooms_per_user;
    if queries::count_owned(&services.store, user.id).await? >= i64::from(limit) {
        return Err(RoomError::Forbidden(format!(
            "You own {limit} rooms, the most one person may have. Delete rooms you no longer \
             use to create new ones."
        )));
    }
    let new = NewRoom {
        slug,
        name,
        access_level: request
            .access_level
            .or(user.default_room_access_level)
            .unwrap_or(services.rooms.default_access_level),
        configuration: request
            .configuration
            .filter(|configuration| !configuration.is_empty())
            .unwrap_or_else(|| user.default_room_configuration.0.clone()),
    };
    match queries::insert_with_owner(&services.store, &new, user.id).await {
        Ok(room) => {
            tracing::info!(room = %room.id, user = %user.id, "room created");
            Ok(room)
        }
        Err(StoreError::Conflict(_)) => Err(slug_taken()),
        Err(error) => Err(error.into()),
    }
}

/// Creates a room at a fresh meeting code, owned by `user`, named `name` (the code when
/// `None`), with `request`'s access level and configuration.
async fn create_with_code(
    services: &Services,
    user: &User,
    name: Option<String>,
    request: CreateRoom,
) -> Result<Room, RoomError> {
    // 26^10 codes: a collision is rare, several in a row would mean something else is wrong.
    for _ in 0..5 {
        let code: String = generate_code().into();
        let name = name.clone().unwrap_or_else(|| code.clone());
        match insert(services, user, name, code, request.clone()).await {
            Err(RoomError::Conflict(errors)) if errors.0.contains_key("slug") => continue,
            other => return other,
        }
    }
    Err(StoreError::Conflict("no free meeting code after 5 tries".to_owned()).into())
}

/// Creates a meeting with a fresh code as its name (and address), owned by `user`.
pub async fn create_meeting(services: &Services, user: &User) -> Result<Room, RoomError> {
    throttle_creation(services, user)?;
    create_with_code(services, user, None, CreateRoom::default()).await
}

/// Counts a room creation by `user` against their rate limit.
fn throttle_creation(services: &Services, user: &User) -> Result<(), RoomError> {
    services
        .room_creations
        .check(user.id, std::time::Instant::now())
        .map_err(|retry_after| {
            tracing::info!(user = %user.id, ?retry_after, "room creation throttled");
            RoomError::TooManyRequests { retry_after }
        })
}

/// A meeting just started (see [`start_meeting`]).
#[derive(Debug, Clone)]
pub enum NewMeeting {
    /// A room owned by the user who started it.
    Room(Room),
    /// A visitor's meeting, which exists only by its code (unregistered rooms allowed).
    Unregistered(RoomCode),
}

impl NewMeeting {
    /// The meeting's address, without the leading `/`.
    pub fn slug(&self) -> &str {
        match self {
            Self::Room(room) => &room.slug,
            Self::Unregistered(code) => code.as_str(),
        }
    }
}

/// Starts a meeting with a fresh code: a room owned by `user`, or for a visitor (`None`) a
/// meeting that exists only by its code, when the deployment allows unregistered rooms.
pub async fn start_meeting(
    services: &Services,
    user: Option<&User>,
) -> Result<NewMeeting, RoomError> {
    match user {
        Some(user) => create_meeting(services, user).await.map(NewMeeting::Room),
        None if services.rooms.allow_unregistered_rooms => {
            Ok(NewMeeting::Unregistered(generate_code()))
        }
        None => Err(RoomError::Unauthenticated),
    }
}

/// Changes to a room; absent fields stay as they are.
#[derive(Debug, Clone, Default)]
pub struct RoomChanges {
    pub name: Option<String>,
    pub access_level: Option<AccessLevel>,
    pub configuration: Option<RoomConfiguration>,
}

/// Updates a room, for its administrators and owners. A changed access level or configuration
/// is pushed to the LiveKit room's metadata when the room runs there; LiveKit being down is
/// logged and does not fail the update.
pub async fn update(
    services: &Services,
    user: Option<&User>,
    key: &str,
    changes: RoomChanges,
) -> Result<Room, RoomError> {
    let user = user.ok_or(RoomError::Unauthenticated)?;
    let (room, role) = find_with_role(services, user, key).await?;
    if !role.is_some_and(Role::is_admin_or_owner) {
        return Err(forbidden());
    }
    let name = match changes.name {
        Some(name) => validate_name(Some(&name))?,
        None => room.name.clone(),
    };
    let access_level = changes.access_level.unwrap_or(room.access_level);
    let configuration = changes
        .configuration
        .unwrap_or_else(|| room.configuration.0.clone());
    // The new name's address; a name that cannot be one keeps the room's meeting code, or
    // gets a code Meet draws (a code-shaped name becomes that code).
    let own = own_address(&name);
    let keeps_code = own.is_none() && RoomCode::parse_bare(&room.slug).is_ok();
    let attempts = if own.is_some() || keeps_code { 1 } else { 5 };
    let mut outcome = Err(StoreError::Conflict("no free meeting code".to_owned()));
    for _ in 0..attempts {
        let (name, slug) = match &own {
            Some(slug) => (name.clone(), slug.clone()),
            None => {
                let slug = if keeps_code {
                    room.slug.clone()
                } else {
                    generate_code().into()
                };
                let name = if is_code_shaped(&name) {
                    slug.clone()
                } else {
                    name.clone()
                };
                (name, slug)
            }
        };
        outcome = queries::update(
            &services.store,
            room.id,
            &name,
            &slug,
            access_level,
            &configuration,
        )
        .await;
        if !matches!(outcome, Err(StoreError::Conflict(_))) {
            break;
        }
    }
    let updated = match outcome {
        Ok(updated) => updated,
        Err(StoreError::Conflict(_)) => return Err(slug_taken()),
        Err(error) => return Err(error.into()),
    };
    services.room_cache.forget(room.id);
    if updated.access_level != room.access_level || updated.configuration != room.configuration {
        sync_livekit_metadata(services, &updated).await;
    }
    Ok(updated)
}

/// Tells a running LiveKit room its new access level and configuration.
async fn sync_livekit_metadata(services: &Services, room: &Room) {
    let mut patch = Map::new();
    patch.insert(
        "access_level".to_owned(),
        Value::from(room.access_level.as_str()),
    );
    patch.insert(
        "configuration".to_owned(),
        serde_json::to_value(&room.configuration.0).unwrap_or_else(|_| Value::Object(Map::new())),
    );
    let name = room.livekit_name();
    let call = services.livekit.merge_room_metadata(&name, patch);
    match tokio::time::timeout(services.rooms.livekit_timeout, call).await {
        Ok(Ok(true)) => tracing::debug!(room = %room.id, "LiveKit room metadata updated"),
        Ok(Ok(false)) => tracing::debug!(room = %room.id, "no LiveKit room yet; nothing to update"),
        Ok(Err(error)) => {
            tracing::warn!(room = %room.id, %error, "cannot update the LiveKit room metadata")
        }
        Err(_) => {
            tracing::warn!(room = %room.id, "LiveKit did not answer in time; metadata not updated")
        }
    }
}

/// Deletes a room, for its owners.
pub async fn delete(services: &Services, user: Option<&User>, key: &str) -> Result<(), RoomError> {
    let user = user.ok_or(RoomError::Unauthenticated)?;
    let (room, role) = find_with_role(services, user, key).await?;
    if role != Some(Role::Owner) {
        return Err(forbidden());
    }
    queries::delete(&services.store, room.id).await?;
    services.room_cache.forget(room.id);
    tracing::info!(room = %room.id, user = %user.id, "room deleted");
    Ok(())
}

/// The rooms where `user` most recently got a role (their newest rooms first), at most `limit`.
pub async fn recent_mine(
    services: &Services,
    user: &User,
    limit: i64,
) -> Result<Vec<RoomWithRole>, RoomError> {
    Ok(queries::recent_for_user(&services.store, user.id, limit).await?)
}

/// The rooms where `user` has a role, by name: one page, and how many there are in all.
pub async fn list_mine(
    services: &Services,
    user: &User,
    limit: i64,
    offset: i64,
) -> Result<(Vec<RoomWithRole>, i64), RoomError> {
    Ok(queries::list_for_user(&services.store, user.id, limit, offset).await?)
}

async fn find_with_role(
    services: &Services,
    user: &User,
    key: &str,
) -> Result<(Room, Option<Role>), RoomError> {
    let key = RoomKey::parse(key).ok_or(RoomError::NotFound)?;
    let room = queries::find(&services.store, &key)
        .await?
        .ok_or(RoomError::NotFound)?;
    let role = queries::role_of(&services.store, room.id, user.id).await?;
    Ok((room, role))
}

/// A room name: required, at most [`MAX_NAME_CHARS`] (as sent, spaces included), without control
/// characters, not blank; returned trimmed.
fn validate_name(name: Option<&str>) -> Result<String, RoomError> {
    let Some(name) = name else {
        return Err(FieldErrors::one("name", "This field is required.").into());
    };
    if name.len() > 4 * MAX_NAME_CHARS || name.chars().count() > MAX_NAME_CHARS {
        let message = format!("Ensure this field has no more than {MAX_NAME_CHARS} characters.");
        return Err(FieldErrors::one("name", message).into());
    }
    if name.chars().any(char::is_control) {
        return Err(FieldErrors::one("name", CONTROL_CHARACTERS).into());
    }
    let name = name.trim();
    if name.is_empty() {
        return Err(FieldErrors::one("name", "This field may not be blank.").into());
    }
    Ok(name.to_owned())
}

/// Why a text with control characters (a line break, a NUL…) is refused.
const CONTROL_CHARACTERS: &str = "This field may not contain control characters.";

fn slug_taken() -> RoomError {
    RoomError::Conflict(FieldErrors::one(
        "slug",
        "Room with this Slug already exists.",
    ))
}

fn forbidden() -> RoomError {
    RoomError::Forbidden("You do not have permission to perform this action.".to_owned())
}
