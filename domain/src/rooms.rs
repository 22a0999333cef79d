//! Rooms: their addresses, who enters them how, and the rules for creating and managing them.
//! Each operation checks who is asking before doing anything; the REST API and the UI's server
//! functions call the same ones.

pub mod admission;
pub mod cache;
pub mod code;
mod create;
mod delete;
mod details;
mod list;
pub mod model;
pub mod names;
pub mod queries;
mod retrieve;
pub mod slug;
mod update;

use meet_types::Role;

pub use code::generate_code;
pub use create::{CreateRoom, NewMeeting, create, create_meeting, start_meeting};
pub use delete::delete;
pub use details::RoomDetails;
pub use list::{RecentRooms, list_mine, list_seen_by, recent_mine};
pub use model::Room;
pub use retrieve::{ANONYMOUS, as_seen_by, livekit_room, look_up, retrieve};
pub(crate) use retrieve::{
    Designated, designated, guest_identity, participant, role_in, unregistered,
};
pub use slug::{RoomKey, slugify};
pub use update::{RoomChanges, update};

use crate::error::{DomainError, FieldErrors};
use crate::services::Services;
use crate::users::User;

/// The room `key` designates and the role `user` holds in it.
pub(crate) async fn find_with_role(
    services: &Services,
    user: &User,
    key: &str,
) -> Result<(Room, Option<Role>), DomainError> {
    let key = RoomKey::parse(key).ok_or(DomainError::NotFound)?;
    let room = queries::find(&services.store, &key)
        .await?
        .ok_or(DomainError::NotFound)?;
    let role = queries::role_of(&services.store, room.id, user.id).await?;
    Ok((room, role))
}

pub(crate) fn slug_taken() -> DomainError {
    DomainError::Conflict(FieldErrors::one(
        "slug",
        "Room with this Slug already exists.",
    ))
}

pub(crate) fn forbidden() -> DomainError {
    DomainError::Forbidden("You do not have permission to perform this action.".to_owned())
}
