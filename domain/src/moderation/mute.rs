//! Muting someone's track. A room's administrators and owners may, logged in; so may anyone
//! connected to the meeting, with the LiveKit token they joined with, unless the room's
//! configuration says `everyone_can_mute: false` (La Suite Meet's `CanMuteParticipant`).

use crate::error::DomainError;
use crate::livekit::caller;
use crate::moderation::{ModerationError, moderator, validate_identity, validate_track_sid};
use crate::requester::Requester;
use crate::rooms::slug::RoomKey;
use crate::services::Services;

/// What a participant reads when the room lets only its hosts mute others.
pub const HOSTS_ONLY: &str = "Only the room's administrators and owners may mute participants.";

/// What a participant reads when their token is fine but they are not in the meeting.
pub const NOT_CONNECTED: &str =
    "Could not verify that you are connected to this meeting: join it to mute others.";

/// Proof that a caller may mute participants of a meeting: its LiveKit room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MuteRight {
    room: String,
}

impl MuteRight {
    /// The LiveKit room where muting is allowed.
    pub fn room(&self) -> &str {
        &self.room
    }
}

/// Whether the caller may mute participants in the meeting `key` designates, and where. With a
/// LiveKit `token`, as a participant (checked as [`caller::in_room`] checks it; the room must
/// not say `everyone_can_mute: false`, and the participant must be connected: a token proves
/// that Meet let them in once, not that they are there); without one, as `requester`, who
/// must be an administrator or owner of the room (see
/// [`moderator`](crate::moderation::moderator)).
pub async fn may_mute(
    services: &Services,
    requester: &Requester,
    token: Option<&str>,
    key: &str,
) -> Result<MuteRight, DomainError> {
    let Some(token) = token else {
        let moderator = moderator(services, requester, key).await?;
        return Ok(MuteRight {
            room: moderator.livekit_room(),
        });
    };
    let caller = caller::in_room(services, token, key).await?;
    // An unregistered meeting has no configuration: everyone may mute there.
    let room = match RoomKey::parse(key) {
        Some(key) => services.room_cache.find(&services.store, &key).await?,
        None => None,
    };
    let everyone_can_mute = room
        .as_ref()
        .is_none_or(|room| room.configuration.0.everyone_can_mute != Some(false));
    if !everyone_can_mute {
        return Err(DomainError::Forbidden(HOSTS_ONLY.to_owned()));
    }
    if !services
        .livekit
        .is_connected(&caller.room, &caller.identity)
        .await?
    {
        return Err(DomainError::Forbidden(NOT_CONNECTED.to_owned()));
    }
    Ok(MuteRight { room: caller.room })
}

/// Mutes the track `track_sid` of the participant `identity` (both validated first: a refused
/// input changes nothing). They may unmute it themselves. [`ModerationError::Missing`] when
/// that participant is not connected or publishes no such track.
pub async fn mute(
    services: &Services,
    right: &MuteRight,
    identity: &str,
    track_sid: &str,
) -> Result<(), ModerationError> {
    let identity = validate_identity("participant_identity", identity);
    let track_sid = validate_track_sid("track_sid", track_sid);
    let (identity, track_sid) = match (identity, track_sid) {
        (Ok(identity), Ok(track_sid)) => (identity, track_sid),
        (identity, track_sid) => {
            let mut errors = identity.err().unwrap_or_default();
            errors.0.extend(track_sid.err().unwrap_or_default().0);
            return Err(errors.into());
        }
    };
    if !services
        .livekit
        .mute_track(&right.room, &identity, &track_sid)
        .await?
    {
        return Err(ModerationError::Missing(ModerationError::NO_SUCH_TRACK));
    }
    tracing::info!(room = %right.room, "participant muted");
    Ok(())
}
