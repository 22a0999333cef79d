//! Creating rooms: named by their owner, or meetings at a code Meet draws; a visitor's meeting
//! exists only by its code. Creation is rate-limited per user, and a user owns a bounded number
//! of rooms.

use meet_types::{AccessLevel, RoomCode, RoomConfiguration};

use crate::error::DomainError;
use crate::notifier::Invalidation;
use crate::requester::Requester;
use crate::rooms::code::generate_code;
use crate::rooms::model::Room;
use crate::rooms::names::{own_address, validate_name};
use crate::rooms::queries::{self, NewRoom};
use crate::rooms::slug::is_code_shaped;
use crate::rooms::slug_taken;
use crate::services::Services;
use crate::store::StoreError;
use crate::users::User;

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
) -> Result<Room, DomainError> {
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

/// Creates the room named `name` (validated) at `slug`, owned by `user`.
async fn insert(
    services: &Services,
    user: &User,
    name: String,
    slug: String,
    request: CreateRoom,
) -> Result<Room, DomainError> {
    let limit = services.settings.max_rooms_per_user;
    if queries::count_owned(&services.store, user.id).await? >= i64::from(limit) {
        return Err(DomainError::Forbidden(format!(
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
            .unwrap_or(services.settings.default_access_level),
        configuration: request
            .configuration
            .filter(|configuration| !configuration.is_empty())
            .unwrap_or_else(|| user.default_room_configuration.0.clone()),
    };
    match queries::insert_with_owner(&services.store, &new, user.id, services.clock.utc()).await {
        Ok(room) => {
            tracing::info!(room = %room.id, user = %user.id, "room created");
            services.emit_by(crate::analytics::Event::RoomCreated, user);
            // Its address may be remembered as free, here or elsewhere.
            services.notifier.publish(Invalidation::Room(room.id)).await;
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
) -> Result<Room, DomainError> {
    // 26^10 codes: a collision is rare, several in a row would mean something else is wrong.
    for _ in 0..5 {
        let code: String = generate_code().into();
        let name = name.clone().unwrap_or_else(|| code.clone());
        match insert(services, user, name, code, request.clone()).await {
            Err(DomainError::Conflict(errors)) if errors.0.contains_key("slug") => continue,
            other => return other,
        }
    }
    Err(StoreError::Conflict("no free meeting code after 5 tries".to_owned()).into())
}

/// Creates a meeting with a fresh code as its name (and address), owned by `user`.
pub async fn create_meeting(services: &Services, user: &User) -> Result<Room, DomainError> {
    throttle_creation(services, user)?;
    create_with_code(services, user, None, CreateRoom::default()).await
}

/// Counts a room creation by `user` against their rate limit.
fn throttle_creation(services: &Services, user: &User) -> Result<(), DomainError> {
    services
        .room_creations
        .check(user.id, services.clock.now())
        .map_err(|retry_after| {
            tracing::info!(user = %user.id, ?retry_after, "room creation throttled");
            DomainError::TooManyRequests { retry_after }
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
    requester: &Requester,
) -> Result<NewMeeting, DomainError> {
    match requester.user.as_deref() {
        Some(user) => create_meeting(services, user).await.map(NewMeeting::Room),
        None if services.settings.allow_unregistered_rooms => {
            Ok(NewMeeting::Unregistered(generate_code()))
        }
        None => Err(DomainError::Unauthenticated),
    }
}
