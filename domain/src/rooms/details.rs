//! A room as one requester sees it: the room (or an unregistered meeting), their role, the
//! room's accesses when they administer it, and how they enter.

use meet_types::{AccessLevel, Admission, LiveKitConnection, Role, RoomConfiguration, RoomView};

use crate::accesses::AccessWithUser;
use crate::rooms::model::Room;

/// A room as one requester sees it.
#[derive(Debug, Clone)]
pub struct RoomDetails {
    /// `None` for an unregistered room: one that exists only by its address.
    pub room: Option<Room>,
    pub slug: String,
    pub role: Option<Role>,
    /// The room's accesses, for its administrators and owners.
    pub accesses: Option<Vec<AccessWithUser>>,
    /// Whether the requester enters directly (else through the lobby).
    pub enters_directly: bool,
    /// Credentials to enter directly, when they were asked for (see
    /// [`retrieve`](crate::rooms::retrieve) and [`look_up`](crate::rooms::look_up)).
    pub livekit: Option<LiveKitConnection>,
}

impl RoomDetails {
    /// Whether the requester administers the room.
    pub fn is_administrable(&self) -> bool {
        self.role.is_some_and(Role::is_admin_or_owner)
    }

    /// How the requester enters.
    pub fn admission(&self) -> Admission {
        if self.enters_directly {
            Admission::Direct
        } else {
            Admission::Lobby
        }
    }

    /// The room as it is shown: an unregistered meeting is public, nobody's, and named by its
    /// code.
    pub fn view(&self) -> RoomView {
        match &self.room {
            Some(room) => RoomView {
                id: Some(room.id),
                name: room.name.clone(),
                slug: room.slug.clone(),
                access_level: room.access_level,
                configuration: room.configuration.0.clone(),
                is_administrable: self.is_administrable(),
            },
            None => RoomView {
                id: None,
                name: self.slug.clone(),
                slug: self.slug.clone(),
                access_level: AccessLevel::Public,
                configuration: RoomConfiguration::default(),
                is_administrable: false,
            },
        }
    }
}
