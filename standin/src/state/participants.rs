//! Participants and their tracks: joining (a test-only operation, since nobody can join over
//! WebRTC here), publishing, and the RoomService calls that act on a participant.

use std::collections::HashMap;

use livekit_protocol as proto;

use super::{RoomEntry, State};
use crate::{error::StateError, ids, webhook::events};

impl State {
    /// ListParticipants: the room's participants in join order.
    pub(crate) fn participants(
        &self,
        room: &str,
    ) -> Result<Vec<proto::ParticipantInfo>, StateError> {
        Ok(self.entry(room)?.participants.clone())
    }

    /// GetParticipant.
    pub(crate) fn participant(
        &self,
        room: &str,
        identity: &str,
    ) -> Result<proto::ParticipantInfo, StateError> {
        let entry = self.entry(room)?;
        entry
            .participants
            .iter()
            .find(|p| p.identity == identity)
            .cloned()
            .ok_or(StateError::ParticipantNotFound)
    }

    /// A participant joins `room` (auto-created if missing) and becomes `ACTIVE` with the default
    /// permissions (subscribe, publish, publish data). An identity already in the room is
    /// disconnected first with `DUPLICATE_IDENTITY`, as the server does.
    pub(crate) fn add_participant(
        &mut self,
        room: &str,
        identity: &str,
        name: &str,
        attributes: HashMap<String, String>,
    ) -> proto::ParticipantInfo {
        self.ensure_room(room);
        // Cannot fail: the room exists; a missing identity is simply not there to replace.
        let _ = self.remove_participant(room, identity, proto::DisconnectReason::DuplicateIdentity);
        let now_ms = ids::now_ms();
        let participant = proto::ParticipantInfo {
            sid: ids::new_sid("PA_"),
            identity: identity.to_owned(),
            name: name.to_owned(),
            state: proto::participant_info::State::Active as i32,
            joined_at: now_ms / 1000,
            joined_at_ms: now_ms,
            version: 1,
            permission: Some(proto::ParticipantPermission {
                can_subscribe: true,
                can_publish: true,
                can_publish_data: true,
                ..Default::default()
            }),
            kind: proto::participant_info::Kind::Standard as i32,
            attributes,
            ..Default::default()
        };
        let entry = self.ensure_room(room);
        entry.participants.push(participant.clone());
        entry.refresh_counts();
        let room = entry.room.clone();
        self.emit(events::participant_joined(&room, &participant));
        participant
    }

    /// The participant publishes a track of `source` (camera and screen share are video, the
    /// microphone and screen-share audio are audio); fires `track_published`.
    pub(crate) fn add_track(
        &mut self,
        room: &str,
        identity: &str,
        source: proto::TrackSource,
    ) -> Result<proto::TrackInfo, StateError> {
        let track = new_track(source);
        let entry = self.entry_mut(room)?;
        let participant = participant_mut(entry, identity)?;
        participant.tracks.push(track.clone());
        participant.version += 1;
        entry.refresh_counts();
        let (room, participant) = (entry.room.clone(), participant_clone(entry, identity)?);
        self.emit(events::track_published(&room, &participant, &track));
        Ok(track)
    }

    /// The participant leaves with `reason`: its tracks are unpublished (`track_unpublished`
    /// each), then `participant_left` fires. Returns the participant as it left.
    pub(crate) fn remove_participant(
        &mut self,
        room: &str,
        identity: &str,
        reason: proto::DisconnectReason,
    ) -> Result<proto::ParticipantInfo, StateError> {
        let entry = self.entry_mut(room)?;
        let index = entry
            .participants
            .iter()
            .position(|p| p.identity == identity)
            .ok_or(StateError::ParticipantNotFound)?;
        let mut participant = entry.participants.remove(index);
        entry.refresh_counts();
        let room = entry.room.clone();
        for track in &participant.tracks {
            self.emit(events::track_unpublished(&room, &participant, track));
        }
        participant.state = proto::participant_info::State::Disconnected as i32;
        participant.disconnect_reason = reason as i32;
        self.emit(events::participant_left(&room, &participant));
        Ok(participant)
    }

    /// MutePublishedTrack. Unmuting is refused unless remote unmute is enabled, as on a server
    /// with the default `room.enable_remote_unmute: false`. A participant who is not in the room
    /// gets no answer from any node (503 `unavailable`, as the server answers), an unknown track
    /// `not_found`.
    pub(crate) fn mute_track(
        &mut self,
        request: &proto::MuteRoomTrackRequest,
    ) -> Result<proto::TrackInfo, StateError> {
        if !request.muted && !self.remote_unmute {
            return Err(StateError::RemoteUnmuteDisabled);
        }
        let entry = self.entry_mut(&request.room)?;
        let participant =
            participant_mut(entry, &request.identity).map_err(|_| StateError::NoResponse)?;
        let track = participant
            .tracks
            .iter_mut()
            .find(|t| t.sid == request.track_sid)
            .ok_or(StateError::TrackNotFound)?;
        track.muted = request.muted;
        let track = track.clone();
        participant.version += 1;
        Ok(track)
    }

    /// UpdateParticipant: sets a non-empty name or metadata, merges attributes (an empty value
    /// deletes the key), replaces the permission when given and bumps `version`. A permission
    /// that forbids publishing (or a track's source) unpublishes the affected tracks.
    pub(crate) fn update_participant(
        &mut self,
        request: proto::UpdateParticipantRequest,
    ) -> Result<proto::ParticipantInfo, StateError> {
        let entry = self.entry_mut(&request.room)?;
        let participant = participant_mut(entry, &request.identity)?;
        if !request.name.is_empty() {
            participant.name = request.name;
        }
        if !request.metadata.is_empty() {
            participant.metadata = request.metadata;
        }
        for (key, value) in request.attributes {
            if value.is_empty() {
                participant.attributes.remove(&key);
            } else {
                participant.attributes.insert(key, value);
            }
        }
        let mut dropped = Vec::new();
        if let Some(permission) = request.permission {
            let (kept, removed) = std::mem::take(&mut participant.tracks)
                .into_iter()
                .partition(|track| may_publish(&permission, track.source));
            participant.tracks = kept;
            dropped = removed;
            participant.permission = Some(permission);
        }
        participant.version += 1;
        entry.refresh_counts();
        let (room, participant) = (
            entry.room.clone(),
            participant_clone(entry, &request.identity)?,
        );
        for track in &dropped {
            self.emit(events::track_unpublished(&room, &participant, track));
        }
        Ok(participant)
    }

    /// UpdateSubscriptions: accepted when the participant exists; subscriptions are not modelled.
    pub(crate) fn update_subscriptions(
        &self,
        request: &proto::UpdateSubscriptionsRequest,
    ) -> Result<(), StateError> {
        self.participant(&request.room, &request.identity)
            .map(|_| ())
    }
}

fn participant_mut<'a>(
    entry: &'a mut RoomEntry,
    identity: &str,
) -> Result<&'a mut proto::ParticipantInfo, StateError> {
    entry
        .participants
        .iter_mut()
        .find(|p| p.identity == identity)
        .ok_or(StateError::ParticipantNotFound)
}

fn participant_clone(
    entry: &RoomEntry,
    identity: &str,
) -> Result<proto::ParticipantInfo, StateError> {
    entry
        .participants
        .iter()
        .find(|p| p.identity == identity)
        .cloned()
        .ok_or(StateError::ParticipantNotFound)
}

/// Whether `permission` lets a track of `source` (a `TrackSource` number) stay published.
fn may_publish(permission: &proto::ParticipantPermission, source: i32) -> bool {
    permission.can_publish
        && (permission.can_publish_sources.is_empty()
            || permission.can_publish_sources.contains(&source))
}

/// A published track of `source`, with the shape a browser's camera, microphone or screen
/// share has on the server.
fn new_track(source: proto::TrackSource) -> proto::TrackInfo {
    use proto::TrackSource as Source;
    let video = matches!(
        source,
        Source::Camera | Source::ScreenShare | Source::Unknown
    );
    let screen = matches!(source, Source::ScreenShare | Source::ScreenShareAudio);
    let (width, height) = match source {
        Source::Camera => (1280, 720),
        Source::ScreenShare => (1920, 1080),
        _ => (0, 0),
    };
    proto::TrackInfo {
        sid: ids::new_sid("TR_"),
        r#type: if video {
            proto::TrackType::Video
        } else {
            proto::TrackType::Audio
        } as i32,
        source: source as i32,
        mime_type: if video { "video/VP8" } else { "audio/opus" }.to_owned(),
        width,
        height,
        stream: if screen { "screen" } else { "camera" }.to_owned(),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state_with_alice() -> State {
        let mut state = State::default();
        state.add_participant(
            "r",
            "alice",
            "Alice",
            [("a".to_owned(), "1".to_owned())].into(),
        );
        state
    }

    #[test]
    fn joining_auto_creates_the_room_and_counts_participants() {
        let mut state = state_with_alice();
        let room = state.room("r").unwrap();
        assert_eq!(room.num_participants, 1);
        let alice = state.participant("r", "alice").unwrap();
        assert!(alice.sid.starts_with("PA_"));
        assert_eq!(alice.state, proto::participant_info::State::Active as i32);
        let names: Vec<String> = state
            .take_pending_events()
            .into_iter()
            .map(|e| e.event)
            .collect();
        assert_eq!(names, ["room_started", "participant_joined"]);
    }

    #[test]
    fn a_duplicate_identity_replaces_the_first_participant() {
        let mut state = state_with_alice();
        let first = state.participant("r", "alice").unwrap();
        let second = state.add_participant("r", "alice", "Alice 2", HashMap::new());
        assert_ne!(first.sid, second.sid);
        assert_eq!(state.participants("r").unwrap().len(), 1);
    }

    #[test]
    fn update_merges_attributes_and_bumps_the_version() {
        let mut state = state_with_alice();
        let updated = state
            .update_participant(proto::UpdateParticipantRequest {
                room: "r".into(),
                identity: "alice".into(),
                attributes: [("a".into(), String::new()), ("b".into(), "2".into())].into(),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(
            updated.attributes,
            HashMap::from([("b".into(), "2".into())])
        );
        assert_eq!(updated.name, "Alice", "an empty name leaves it unchanged");
        assert_eq!(updated.version, 2);
    }

    #[test]
    fn revoking_publish_drops_the_tracks() {
        let mut state = state_with_alice();
        state
            .add_track("r", "alice", proto::TrackSource::Camera)
            .unwrap();
        state
            .add_track("r", "alice", proto::TrackSource::Microphone)
            .unwrap();
        assert_eq!(state.room("r").unwrap().num_publishers, 1);
        state.take_pending_events();
        let permission = proto::ParticipantPermission {
            can_subscribe: true,
            ..Default::default()
        };
        let updated = state
            .update_participant(proto::UpdateParticipantRequest {
                room: "r".into(),
                identity: "alice".into(),
                permission: Some(permission),
                ..Default::default()
            })
            .unwrap();
        assert!(updated.tracks.is_empty());
        assert!(!updated.is_publisher);
        let events = state.take_pending_events();
        assert_eq!(events.len(), 2);
        assert!(events.iter().all(|e| e.event == "track_unpublished"));
    }

    #[test]
    fn muting_needs_a_known_track_and_unmuting_needs_remote_unmute() {
        let mut state = state_with_alice();
        let track = state
            .add_track("r", "alice", proto::TrackSource::Microphone)
            .unwrap();
        let mut request = proto::MuteRoomTrackRequest {
            room: "r".into(),
            identity: "alice".into(),
            track_sid: track.sid.clone(),
            muted: true,
        };
        assert!(state.mute_track(&request).unwrap().muted);
        request.muted = false;
        assert_eq!(
            state.mute_track(&request),
            Err(StateError::RemoteUnmuteDisabled)
        );
        state.set_remote_unmute(true);
        assert!(!state.mute_track(&request).unwrap().muted);
        request.track_sid = "TR_nope".into();
        assert_eq!(state.mute_track(&request), Err(StateError::TrackNotFound));
        request.identity = "nobody".into();
        assert_eq!(state.mute_track(&request), Err(StateError::NoResponse));
    }
}
