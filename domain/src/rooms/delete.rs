//! Deleting a room, for its owners.

use meet_types::Role;

use crate::error::DomainError;
use crate::notifier::Invalidation;
use crate::requester::Requester;
use crate::rooms::queries;
use crate::rooms::{find_with_role, forbidden};
use crate::services::Services;

/// Deletes a room, for its owners.
pub async fn delete(
    services: &Services,
    requester: &Requester,
    key: &str,
) -> Result<(), DomainError> {
    let user = requester.require_user()?;
    let (room, role) = find_with_role(services, user, key).await?;
    if role != Some(Role::Owner) {
        return Err(forbidden());
    }
    queries::delete(&services.store, room.id).await?;
    services.notifier.publish(Invalidation::Room(room.id)).await;
    tracing::info!(room = %room.id, user = %user.id, "room deleted");
    Ok(())
}
