//! Removing someone from a meeting.

use crate::moderation::{ModerationError, Moderator, validate_identity};
use crate::services::Services;

/// Removes the participant `identity` from the meeting (validated first): LiveKit disconnects
/// them, and their client tells them they were removed. [`ModerationError::Missing`] when they
/// are not connected.
///
/// Their lobby entry goes too (as in La Suite Meet): an admitted guest must ask again to come
/// back. It goes once LiveKit removed them, so that a failed removal changes nothing.
pub async fn remove(
    services: &Services,
    moderator: &Moderator,
    identity: &str,
) -> Result<(), ModerationError> {
    let identity = validate_identity("participant_identity", identity)?;
    let room = moderator.livekit_room();
    if !services
        .livekit
        .remove_participant(&room, &identity)
        .await?
    {
        return Err(ModerationError::Missing(ModerationError::NOT_IN_MEETING));
    }
    crate::lobby::forget(services, moderator.room.id, &identity).await?;
    tracing::info!(%room, by = %moderator.user.id, "participant removed");
    Ok(())
}
