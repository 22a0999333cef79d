//! Listing one's rooms: a page by name for the API, the newest for the home page.

use std::collections::HashMap;

use uuid::Uuid;

use crate::accesses::{self, AccessWithUser};
use crate::error::DomainError;
use crate::requester::Requester;
use crate::rooms::details::RoomDetails;
use crate::rooms::queries::{self, RoomWithRole};
use crate::rooms::retrieve::details;
use crate::services::Services;
use crate::users::User;

/// The newest of one's rooms, and whether there are more.
#[derive(Debug, Clone, Default)]
pub struct RecentRooms {
    /// Newest first.
    pub rooms: Vec<RoomWithRole>,
    /// Whether the user has more rooms than these.
    pub more: bool,
}

/// The `shown` rooms where `user` most recently got a role (their newest rooms first), and
/// whether there are more: reads at most `shown + 1` rows, however many rooms the user has.
pub async fn recent_mine(
    services: &Services,
    user: &User,
    shown: usize,
) -> Result<RecentRooms, DomainError> {
    let limit = i64::try_from(shown.saturating_add(1)).unwrap_or(i64::MAX);
    let mut rooms = queries::recent_for_user(&services.store, user.id, limit).await?;
    let more = rooms.len() > shown;
    rooms.truncate(shown);
    Ok(RecentRooms { rooms, more })
}

/// The rooms where the requester has a role, by name, as they see them (LiveKit credentials
/// included): one page, and how many there are in all. Three queries whatever the page's size:
/// the rooms with the requester's role, the count, and the accesses of those they administer.
pub async fn list_seen_by(
    services: &Services,
    requester: &Requester,
    limit: i64,
    offset: i64,
) -> Result<(Vec<RoomDetails>, i64), DomainError> {
    let user = requester.require_user()?;
    let (rows, count) = queries::list_for_user(&services.store, user.id, limit, offset).await?;
    let administered: Vec<Uuid> = rows
        .iter()
        .filter(|row| row.role.is_admin_or_owner())
        .map(|row| row.room.id)
        .collect();
    let mut accesses: HashMap<Uuid, Vec<AccessWithUser>> = HashMap::new();
    if !administered.is_empty() {
        for access in accesses::queries::list_for_rooms(&services.store, &administered).await? {
            accesses
                .entry(access.access.room_id)
                .or_default()
                .push(access);
        }
    }
    let mut rooms = Vec::with_capacity(rows.len());
    for row in rows {
        let of_room = row
            .role
            .is_admin_or_owner()
            .then(|| accesses.remove(&row.room.id).unwrap_or_default());
        rooms.push(details(
            services,
            requester,
            row.room,
            Some(row.role),
            of_room,
            None,
        )?);
    }
    Ok((rooms, count))
}

/// The rooms where `user` has a role, by name: one page, and how many there are in all.
pub async fn list_mine(
    services: &Services,
    user: &User,
    limit: i64,
    offset: i64,
) -> Result<(Vec<RoomWithRole>, i64), DomainError> {
    Ok(queries::list_for_user(&services.store, user.id, limit, offset).await?)
}
