//! The hosts' controls over the whole meeting, beyond La Suite Meet's endpoints: mute someone's
//! microphone or everyone's, lower one hand or all of them, what participants may publish (saved
//! on the room and pushed to everyone connected who is not a host), and ending the meeting for
//! everyone. Each asks LiveKit who is there first, so the page never has to know track ids.

use std::collections::HashMap;

use meet_types::{AccessLevel, Role, RoomConfiguration, TrackSource};

use crate::error::DomainError;
use crate::livekit::rooms::{ConnectedParticipant, ParticipantChanges, ParticipantPermission};
use crate::livekit::token::ATTRIBUTE_ROOM_ROLE;
use crate::moderation::{ModerationError, Moderator, MuteRight, moderator, validate_identity};
use crate::participants::HAND_RAISED_AT;
use crate::requester::Requester;
use crate::rooms::RoomChanges;
use crate::rooms::RoomDetails;
use crate::services::Services;

/// The participant `identity` of the meeting, as LiveKit has them:
/// [`ModerationError::Missing`] when they are not connected.
async fn connected(
    services: &Services,
    room: &str,
    identity: &str,
) -> Result<ConnectedParticipant, ModerationError> {
    services
        .livekit
        .participants(room)
        .await?
        .into_iter()
        .find(|participant| participant.identity == identity)
        .ok_or(ModerationError::Missing(ModerationError::NOT_IN_MEETING))
}

/// Mutes the microphone of the participant `identity` (validated first). `Ok(false)` when it
/// was already off (nothing to do). [`ModerationError::Missing`] when they are not connected.
pub async fn mute_microphone(
    services: &Services,
    right: &MuteRight,
    identity: &str,
) -> Result<bool, ModerationError> {
    let identity = validate_identity("participant_identity", identity)?;
    let participant = connected(services, right.room(), &identity).await?;
    let mut muted = false;
    for sid in participant.live_microphones() {
        muted |= services
            .livekit
            .mute_track(right.room(), &identity, sid)
            .await?;
    }
    if muted {
        tracing::info!(room = %right.room(), "microphone muted");
    }
    Ok(muted)
}

/// Mutes every microphone in the meeting but the moderator's own: the identities of those
/// whose microphone was muted.
pub async fn mute_everyone(
    services: &Services,
    moderator: &Moderator,
) -> Result<Vec<String>, ModerationError> {
    let room = moderator.livekit_room();
    let own = moderator.user.livekit_identity();
    let mut muted = Vec::new();
    for participant in services.livekit.participants(&room).await? {
        if participant.identity == own || participant.service {
            continue;
        }
        let mut any = false;
        for sid in participant.live_microphones() {
            any |= services
                .livekit
                .mute_track(&room, &participant.identity, sid)
                .await?;
        }
        if any {
            muted.push(participant.identity);
        }
    }
    tracing::info!(%room, by = %moderator.user.id, muted = muted.len(), "everyone muted");
    Ok(muted)
}

/// The changes that lower a hand.
fn hand_down() -> ParticipantChanges {
    ParticipantChanges {
        attributes: Some(HashMap::from([(HAND_RAISED_AT.to_owned(), String::new())])),
        ..ParticipantChanges::default()
    }
}

/// Lowers the hand of the participant `identity` (validated first).
/// [`ModerationError::Missing`] when they are not connected.
pub async fn lower_hand(
    services: &Services,
    moderator: &Moderator,
    identity: &str,
) -> Result<(), ModerationError> {
    let identity = validate_identity("participant_identity", identity)?;
    let room = moderator.livekit_room();
    if !services
        .livekit
        .update_participant(&room, &identity, hand_down())
        .await?
    {
        return Err(ModerationError::Missing(ModerationError::NOT_IN_MEETING));
    }
    Ok(())
}

/// Lowers every raised hand in the meeting: how many were.
pub async fn lower_all_hands(
    services: &Services,
    moderator: &Moderator,
) -> Result<usize, ModerationError> {
    let room = moderator.livekit_room();
    let mut lowered = 0;
    for participant in services.livekit.participants(&room).await? {
        if participant.attribute(HAND_RAISED_AT).is_some()
            && services
                .livekit
                .update_participant(&room, &participant.identity, hand_down())
                .await?
        {
            lowered += 1;
        }
    }
    tracing::info!(%room, by = %moderator.user.id, lowered, "hands lowered");
    Ok(lowered)
}

/// How hosts set up their room from the meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostSettings {
    /// What participants who are not hosts may publish (screen share brings its audio).
    pub publish: Vec<TrackSource>,
    /// Whether every participant may mute others.
    pub everyone_can_mute: bool,
    pub access_level: AccessLevel,
}

impl HostSettings {
    /// The room's configuration that says it.
    fn configuration(&self) -> RoomConfiguration {
        let publish: Vec<TrackSource> = TrackSource::ALL
            .into_iter()
            .filter(|source| match source {
                TrackSource::ScreenShareAudio => self.publish.contains(&TrackSource::ScreenShare),
                other => self.publish.contains(other),
            })
            .collect();
        RoomConfiguration {
            can_publish_sources: Some(publish),
            everyone_can_mute: Some(self.everyone_can_mute),
        }
    }
}

/// What changing the settings did.
#[derive(Debug)]
pub struct Configured {
    /// The room as the host now sees it.
    pub room: RoomDetails,
    /// How many connected participants were given new permissions; `None` when LiveKit could
    /// not be asked (the settings are saved all the same: they are the room's, and every later
    /// token follows them).
    pub pushed: Option<usize>,
}

/// Saves `settings` on the room `key` designates, for its moderators (the same checks as room
/// updates); a running meeting learns them through its metadata, and when what participants
/// may publish changed, every connected participant who is not a host (nor a recorder or
/// agent) gets the new permission at once: LiveKit unpublishes what it no longer allows.
/// LiveKit failing does not undo the saved settings: it is logged, and said by
/// [`Configured::pushed`].
pub async fn configure(
    services: &Services,
    requester: &Requester,
    key: &str,
    settings: &HostSettings,
) -> Result<Configured, ModerationError> {
    let moderator = moderator(services, requester, key).await?;
    let configuration = settings.configuration();
    let before = moderator.room.configuration.0.can_publish_sources.clone();
    let room = crate::rooms::update(
        services,
        requester,
        &moderator.room.id.to_string(),
        RoomChanges {
            access_level: Some(settings.access_level),
            configuration: Some(configuration.clone()),
            ..RoomChanges::default()
        },
    )
    .await?;
    let sources = configuration.can_publish_sources.unwrap_or_default();
    let pushed = if before.as_ref() == Some(&sources) {
        Some(0)
    } else {
        match push_permission(services, &moderator, &sources).await {
            Ok(pushed) => Some(pushed),
            Err(error) => {
                tracing::warn!(room = %moderator.room.id, %error, "new publish permission not pushed");
                None
            }
        }
    };
    Ok(Configured { room, pushed })
}

/// Gives every connected participant who is not a host (nor a service) the permission to
/// publish `sources`, and what else Meet's tokens give them.
async fn push_permission(
    services: &Services,
    moderator: &Moderator,
    sources: &[TrackSource],
) -> Result<usize, ModerationError> {
    let room = moderator.livekit_room();
    let permission = ParticipantPermission {
        can_subscribe: true,
        can_publish: !sources.is_empty(),
        can_publish_data: true,
        can_publish_sources: sources.to_vec(),
        can_update_metadata: false,
        can_subscribe_metrics: false,
    };
    let mut pushed = 0;
    for participant in services.livekit.participants(&room).await? {
        let host = participant
            .attribute(ATTRIBUTE_ROOM_ROLE)
            .and_then(Role::parse)
            .is_some_and(Role::is_admin_or_owner);
        if host || participant.service {
            continue;
        }
        let changes = ParticipantChanges {
            permission: Some(permission.clone()),
            ..ParticipantChanges::default()
        };
        if services
            .livekit
            .update_participant(&room, &participant.identity, changes)
            .await?
        {
            pushed += 1;
        }
    }
    tracing::info!(%room, by = %moderator.user.id, pushed, "publish permission pushed");
    Ok(pushed)
}

/// Ends the meeting for everyone: LiveKit deletes its room, which disconnects every participant
/// (their pages say the host ended the meeting). Those the lobby admitted must ask again to
/// come back. `Ok(false)` when the meeting was not running.
pub async fn end_meeting(services: &Services, moderator: &Moderator) -> Result<bool, DomainError> {
    let room = moderator.livekit_room();
    let ended = services.livekit.delete_room(&room).await?;
    crate::lobby::forget_admitted(services, moderator.room.id).await?;
    tracing::info!(%room, by = %moderator.user.id, ended, "meeting ended for everyone");
    Ok(ended)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::livekit::rooms::PublishedTrack;

    #[test]
    fn screen_sharing_brings_its_audio_and_the_order_is_livekits() {
        let settings = HostSettings {
            publish: vec![TrackSource::ScreenShare, TrackSource::Microphone],
            everyone_can_mute: false,
            access_level: AccessLevel::Trusted,
        };
        assert_eq!(
            settings.configuration(),
            RoomConfiguration {
                can_publish_sources: Some(vec![
                    TrackSource::Microphone,
                    TrackSource::ScreenShare,
                    TrackSource::ScreenShareAudio
                ]),
                everyone_can_mute: Some(false),
            }
        );
        let nothing = HostSettings {
            publish: vec![],
            everyone_can_mute: true,
            access_level: AccessLevel::Public,
        };
        assert_eq!(
            nothing.configuration().can_publish_sources,
            Some(Vec::new())
        );
    }

    #[test]
    fn only_unmuted_microphones_are_live() {
        let track = |sid: &str, source, muted| PublishedTrack {
            sid: sid.to_owned(),
            source,
            muted,
        };
        let participant = ConnectedParticipant {
            identity: "bob".to_owned(),
            tracks: vec![
                track("TR_mic", Some(TrackSource::Microphone), false),
                track("TR_muted", Some(TrackSource::Microphone), true),
                track("TR_cam", Some(TrackSource::Camera), false),
                track("TR_odd", None, false),
            ],
            ..ConnectedParticipant::default()
        };
        assert_eq!(
            participant.live_microphones().collect::<Vec<_>>(),
            ["TR_mic"]
        );
    }
}
