//! Removing someone from a meeting.

use crate::moderation::{ModerationError, Moderator, validate_identity};
use crate::services::Services;

/// Removes the participant `identity` from the meeting (validated first): LiveKit disconnects
/// them, and their client tells them they were removed. [`ModerationError::Missing`] when they
/// are not connected.
///
/// This is the one place a removal goes through: La Suite Meet also clears the removed
/// participant's lobby entry, so that they must ask again to come back; that call belongs here,
/// before LiveKit's, once the lobby exists.
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
    tracing::info!(%room, by = %moderator.user.id, "participant removed");
    Ok(())
}
