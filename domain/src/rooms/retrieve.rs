//! Retrieving a room is how people enter it: the room as the requester sees it, with LiveKit
//! credentials when La Suite Meet's rules let them in directly.

use std::sync::Arc;

use meet_types::{Role, RoomCode};

use crate::accesses;
use crate::accesses::AccessWithUser;
use crate::error::DomainError;
use crate::guest::GuestId;
use crate::livekit::token::{self, Participant};
use crate::requester::Requester;
use crate::rooms::admission::enters_directly;
use crate::rooms::details::RoomDetails;
use crate::rooms::model::Room;
use crate::rooms::names::validate_username;
use crate::rooms::queries;
use crate::rooms::slug::RoomKey;
use crate::services::Services;

/// Name others see of a guest who did not pick one.
pub const ANONYMOUS: &str = "Anonymous";

/// What a key designates: a registered room, or a meeting that exists only by its code.
pub(crate) enum Designated {
    Room(Arc<Room>),
    Unregistered(RoomCode),
}

/// What `key` (UUID, slug or meeting code) designates: a room, else, for a meeting code when the
/// deployment allows them, an unregistered meeting; [`DomainError::NotFound`] for anything else.
pub(crate) async fn designated(services: &Services, key: &str) -> Result<Designated, DomainError> {
    let key = RoomKey::parse(key).ok_or(DomainError::NotFound)?;
    match services.room_cache.find(&services.store, &key).await? {
        Some(room) => Ok(Designated::Room(room)),
        None => match key {
            RoomKey::Code(code) if services.settings.allow_unregistered_rooms => {
                Ok(Designated::Unregistered(code))
            }
            _ => Err(DomainError::NotFound),
        },
    }
}

/// `requester`'s role in `room` (none for visitors).
pub(crate) async fn role_in(
    services: &Services,
    requester: &Requester,
    room: &Room,
) -> Result<Option<Role>, DomainError> {
    Ok(match requester.user.as_deref() {
        Some(user) => queries::role_of(&services.store, room.id, user.id).await?,
        None => None,
    })
}

/// The room `key` (UUID, slug or meeting code) designates, as `requester` sees it, with LiveKit
/// credentials when they may enter directly. `username` is the name they picked, if any.
/// An unknown meeting code is an unregistered room when the deployment allows them; any other
/// unknown key is not found. A guest without an identity is issued one (see
/// [`Requester::issued_guest`]).
pub async fn retrieve(
    services: &Services,
    requester: &Requester,
    key: &str,
    username: Option<&str>,
) -> Result<RoomDetails, DomainError> {
    let username = validate_username(username)?;
    match designated(services, key).await? {
        Designated::Room(room) => {
            let role = role_in(services, requester, &room).await?;
            as_seen_by(services, requester, Room::clone(&room), role, username).await
        }
        Designated::Unregistered(code) => unregistered(services, requester, code, username),
    }
}

/// The room `key` designates and whether `requester` enters it directly, without minting
/// credentials: what the meeting page shows before anyone presses Join. Unknown keys are
/// treated as in [`retrieve`].
pub async fn look_up(
    services: &Services,
    requester: &Requester,
    key: &str,
) -> Result<RoomDetails, DomainError> {
    Ok(match designated(services, key).await? {
        Designated::Room(room) => {
            let role = role_in(services, requester, &room).await?;
            RoomDetails {
                enters_directly: enters_directly(room.access_level, requester.user.is_some(), role),
                slug: room.slug.clone(),
                room: Some(Room::clone(&room)),
                role,
                accesses: None,
                livekit: None,
            }
        }
        Designated::Unregistered(code) => RoomDetails {
            room: None,
            slug: code.into(),
            role: None,
            accesses: None,
            enters_directly: true,
            livekit: None,
        },
    })
}

/// The LiveKit room of the room `key` designates, as [`retrieve`] names it in the tokens it
/// mints: a registered room's id, or an unregistered meeting's code (when the deployment allows
/// them). [`DomainError::NotFound`] for any other key.
pub async fn livekit_room(services: &Services, key: &str) -> Result<String, DomainError> {
    Ok(match designated(services, key).await? {
        Designated::Room(room) => room.livekit_name(),
        Designated::Unregistered(code) => code.into(),
    })
}

/// `room` as `requester` sees it, knowing their role in it: its accesses when they administer
/// it (one query), LiveKit credentials when they may enter directly.
pub async fn as_seen_by(
    services: &Services,
    requester: &Requester,
    room: Room,
    role: Option<Role>,
    username: Option<&str>,
) -> Result<RoomDetails, DomainError> {
    let username = validate_username(username)?;
    let accesses = if role.is_some_and(Role::is_admin_or_owner) {
        Some(accesses::queries::list_for_room(&services.store, room.id).await?)
    } else {
        None
    };
    details(services, requester, room, role, accesses, username)
}

/// `room` as `requester` sees it, knowing their role in it (and, for administrators, its
/// accesses): with LiveKit credentials when they may enter directly.
pub(crate) fn details(
    services: &Services,
    requester: &Requester,
    room: Room,
    role: Option<Role>,
    accesses: Option<Vec<AccessWithUser>>,
    username: Option<&str>,
) -> Result<RoomDetails, DomainError> {
    let direct = enters_directly(room.access_level, requester.user.is_some(), role);
    let livekit = if direct {
        let participant = participant(services, requester, role, username);
        let configuration = Some(&room.configuration.0);
        Some(token::mint(
            &services.settings.token,
            &room.livekit_name(),
            &participant,
            configuration,
        )?)
    } else {
        None
    };
    Ok(RoomDetails {
        slug: room.slug.clone(),
        room: Some(room),
        role,
        accesses,
        enters_directly: direct,
        livekit,
    })
}

/// An unregistered room: public, nobody's, named by its meeting code on LiveKit (as in La Suite
/// Meet). A code is never a UUID, the LiveKit name of every registered room, so the two never
/// share a LiveKit room.
pub(crate) fn unregistered(
    services: &Services,
    requester: &Requester,
    code: RoomCode,
    username: Option<&str>,
) -> Result<RoomDetails, DomainError> {
    let participant = participant(services, requester, None, username);
    let livekit = token::mint(&services.settings.token, code.as_str(), &participant, None)?;
    Ok(RoomDetails {
        room: None,
        slug: code.into(),
        role: None,
        accesses: None,
        enters_directly: true,
        livekit: Some(livekit),
    })
}

/// The guest identity `requester`'s browser holds (or was issued while answering them), else a
/// new one, issued to them.
pub(crate) fn guest_identity(services: &Services, requester: &Requester) -> GuestId {
    if let Some(guest) = requester.guest.clone().or_else(|| requester.issued_guest()) {
        return guest;
    }
    let guest = services.guests.issue();
    requester.issue_guest(guest.clone());
    guest
}

/// The LiveKit participant `requester` is; a guest without an identity is issued one.
pub(crate) fn participant(
    services: &Services,
    requester: &Requester,
    role: Option<Role>,
    username: Option<&str>,
) -> Participant {
    match requester.user.as_deref() {
        Some(user) => {
            let chosen = username.filter(|_| services.settings.authenticated_can_edit_display_name);
            Participant {
                identity: user.livekit_identity(),
                name: chosen.map_or_else(|| user.display_name(), str::to_owned),
                role,
                is_authenticated: true,
            }
        }
        None => Participant {
            identity: guest_identity(services, requester).identity(),
            name: username.unwrap_or(ANONYMOUS).to_owned(),
            role: None,
            is_authenticated: false,
        },
    }
}
