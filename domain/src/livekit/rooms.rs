//! LiveKit room administration, behind a trait so the domain never sees LiveKit's types: the
//! real implementation calls the server's Twirp API with `livekit-api`.

use std::collections::HashMap;
use std::time::Duration;

use async_trait::async_trait;
use livekit_api::services::room::{RoomClient, SendDataOptions, UpdateParticipantOptions};
use livekit_api::services::{ServerError, ServiceError};
use livekit_protocol as proto;
use meet_types::TrackSource;
use serde_json::{Map, Value};

/// Why a LiveKit call failed.
#[derive(Debug, thiserror::Error)]
pub enum LiveKitError {
    /// The server could not be reached, timed out, or answered a server error: `livekit-api`'s
    /// error, kept whole.
    #[error("LiveKit unavailable: {0}")]
    Unavailable(#[source] ServiceError),
    /// The server refused the call (`code` is Twirp's, such as `not_found`).
    #[error("LiveKit refused ({code}): {message}")]
    Refused { code: String, message: String },
}

/// What a participant may do in a LiveKit room, as LiveKit's `ParticipantPermission` says it,
/// less what Meet never lets anyone set through its API (`hidden`, `recorder`, `agent`: they
/// would make someone invisible, or pass them for a recorder or an agent).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParticipantPermission {
    pub can_subscribe: bool,
    pub can_publish: bool,
    pub can_publish_data: bool,
    /// What they may publish when `can_publish`; empty means every source.
    pub can_publish_sources: Vec<TrackSource>,
    pub can_update_metadata: bool,
    pub can_subscribe_metrics: bool,
}

/// Changes to a connected participant; `None` leaves a part as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParticipantChanges {
    /// The name others see (an empty name is ignored by LiveKit).
    pub name: Option<String>,
    /// The participant's metadata, replaced whole.
    pub metadata: Option<String>,
    /// Merged into the participant's attributes: the keys given are replaced, and those given an
    /// empty value removed.
    pub attributes: Option<HashMap<String, String>>,
    /// Replaces the participant's permission whole (LiveKit unpublishes what it no longer
    /// allows).
    pub permission: Option<ParticipantPermission>,
}

/// A track a participant publishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedTrack {
    pub sid: String,
    /// `None` for a source Meet does not know.
    pub source: Option<TrackSource>,
    pub muted: bool,
}

/// A participant connected to a LiveKit room, as Meet's controls need to see them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectedParticipant {
    pub identity: String,
    pub attributes: HashMap<String, String>,
    pub tracks: Vec<PublishedTrack>,
    /// A recorder, an agent, an egress or a hidden participant: not a person in the meeting,
    /// and left alone by Meet's controls.
    pub service: bool,
}

impl ConnectedParticipant {
    /// The sids of the microphone tracks they publish unmuted.
    pub fn live_microphones(&self) -> impl Iterator<Item = &str> {
        self.tracks
            .iter()
            .filter(|track| track.source == Some(TrackSource::Microphone) && !track.muted)
            .map(|track| track.sid.as_str())
    }

    /// The attribute `name`, when set and not empty.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .get(name)
            .map(String::as_str)
            .filter(|value| !value.is_empty())
    }
}

/// What Meet asks of LiveKit about rooms.
#[async_trait]
pub trait LiveKitRooms: Send + Sync + 'static {
    /// Merges `patch` into the JSON metadata of the LiveKit room `room` (keys in `patch`
    /// replace the room's). `Ok(false)` when no such room runs on LiveKit: a room is created there
    /// when its first participant joins, and reads its state from Meet then.
    async fn merge_room_metadata(
        &self,
        room: &str,
        patch: Map<String, Value>,
    ) -> Result<bool, LiveKitError>;

    /// Applies `changes` to the participant `identity` of the LiveKit room `room`. `Ok(false)`
    /// when no such participant is connected to that room (or the room does not run).
    async fn update_participant(
        &self,
        room: &str,
        identity: &str,
        changes: ParticipantChanges,
    ) -> Result<bool, LiveKitError>;

    /// Sends `data` reliably to every participant of the LiveKit room `room`. `Ok(false)` when
    /// no such room runs (nobody is there to tell).
    async fn send_data(&self, room: &str, data: Vec<u8>) -> Result<bool, LiveKitError>;
    /// Whether the participant `identity` is connected to the LiveKit room `room`.
    async fn is_connected(&self, room: &str, identity: &str) -> Result<bool, LiveKitError>;

    /// Mutes the track `track_sid` the participant `identity` publishes in the LiveKit room
    /// `room` (they may unmute it themselves). `Ok(false)` when that participant is not
    /// connected or publishes no such track.
    async fn mute_track(
        &self,
        room: &str,
        identity: &str,
        track_sid: &str,
    ) -> Result<bool, LiveKitError>;

    /// Disconnects the participant `identity` from the LiveKit room `room` (their client is told
    /// they were removed). `Ok(false)` when no such participant is connected.
    async fn remove_participant(&self, room: &str, identity: &str) -> Result<bool, LiveKitError>;

    /// The participants connected to the LiveKit room `room`: none when it does not run.
    async fn participants(&self, room: &str) -> Result<Vec<ConnectedParticipant>, LiveKitError>;

    /// Ends the LiveKit room `room`: every participant is disconnected (their clients are told
    /// the room was deleted). `Ok(false)` when it does not run.
    async fn delete_room(&self, room: &str) -> Result<bool, LiveKitError>;
}

/// The LiveKit server's API.
pub struct LiveKitServer {
    rooms: RoomClient,
}

impl LiveKitServer {
    /// A client for the server at `api_url` (`http(s)://` or `ws(s)://`), signing its calls with
    /// `api_key`/`api_secret`, each call given `timeout`.
    pub fn new(api_url: &str, api_key: &str, api_secret: &str, timeout: Duration) -> Self {
        let rooms =
            RoomClient::with_api_key(api_url, api_key, api_secret).with_request_timeout(timeout);
        Self { rooms }
    }
}

#[async_trait]
impl LiveKitRooms for LiveKitServer {
    async fn merge_room_metadata(
        &self,
        room: &str,
        patch: Map<String, Value>,
    ) -> Result<bool, LiveKitError> {
        let rooms = self
            .rooms
            .list_rooms(vec![room.to_owned()])
            .await
            .map_err(classify)?;
        let Some(current) = rooms.into_iter().find(|candidate| candidate.name == room) else {
            return Ok(false);
        };
        let metadata = crate::livekit::metadata::merge_metadata(&current.metadata, patch);
        match self.rooms.update_room_metadata(room, &metadata).await {
            Ok(_) => Ok(true),
            // Finished between the two calls.
            Err(error) => match classify(error) {
                LiveKitError::Refused { code, .. } if code == "not_found" => Ok(false),
                other => Err(other),
            },
        }
    }

    async fn update_participant(
        &self,
        room: &str,
        identity: &str,
        changes: ParticipantChanges,
    ) -> Result<bool, LiveKitError> {
        let options = UpdateParticipantOptions {
            name: changes.name.unwrap_or_default(),
            metadata: changes.metadata.unwrap_or_default(),
            attributes: changes.attributes.unwrap_or_default(),
            permission: changes.permission.as_ref().map(to_proto),
        };
        // LiveKit answers `not_found` for a participant not connected, and for a room that
        // does not run.
        found(self.rooms.update_participant(room, identity, options).await)
    }

    async fn is_connected(&self, room: &str, identity: &str) -> Result<bool, LiveKitError> {
        found(self.rooms.get_participant(room, identity).await)
    }

    async fn mute_track(
        &self,
        room: &str,
        identity: &str,
        track_sid: &str,
    ) -> Result<bool, LiveKitError> {
        // Asked about an absent participant, MutePublishedTrack waits for a node that never
        // answers and fails with `unavailable` (observed on LiveKit 1.11): ask who is there
        // first, so that an absent participant or track is told apart from LiveKit being down.
        let participant = match self.rooms.get_participant(room, identity).await {
            Ok(participant) => participant,
            Err(error) => return not_found_is_false(classify(error)),
        };
        if !participant
            .tracks
            .iter()
            .any(|track| track.sid == track_sid)
        {
            return Ok(false);
        }
        found(
            self.rooms
                .mute_published_track(room, identity, track_sid, true)
                .await,
        )
    }

    async fn remove_participant(&self, room: &str, identity: &str) -> Result<bool, LiveKitError> {
        found(self.rooms.remove_participant(room, identity).await)
    }

    async fn participants(&self, room: &str) -> Result<Vec<ConnectedParticipant>, LiveKitError> {
        match self.rooms.list_participants(room).await {
            Ok(list) => Ok(list.into_iter().map(connected).collect()),
            Err(error) => match classify(error) {
                LiveKitError::Refused { code, .. } if code == "not_found" => Ok(Vec::new()),
                other => Err(other),
            },
        }
    }

    async fn delete_room(&self, room: &str) -> Result<bool, LiveKitError> {
        found(self.rooms.delete_room(room).await)
    }

    async fn send_data(&self, room: &str, data: Vec<u8>) -> Result<bool, LiveKitError> {
        // LiveKit 1.11 answers a message to a room that does not run only after 3 s ("no
        // response from servers"): ask whether it runs first, which it answers at once.
        let rooms = self
            .rooms
            .list_rooms(vec![room.to_owned()])
            .await
            .map_err(classify)?;
        if !rooms.iter().any(|candidate| candidate.name == room) {
            return Ok(false);
        }
        let options = SendDataOptions {
            kind: proto::data_packet::Kind::Reliable,
            ..SendDataOptions::default()
        };
        found(self.rooms.send_data(room, data, options).await)
    }
}

/// `Ok(true)` for an answer, `Ok(false)` for LiveKit's `not_found`, else the error.
fn found<T>(outcome: Result<T, ServiceError>) -> Result<bool, LiveKitError> {
    match outcome {
        Ok(_) => Ok(true),
        Err(error) => not_found_is_false(classify(error)),
    }
}

fn not_found_is_false(error: LiveKitError) -> Result<bool, LiveKitError> {
    match error {
        LiveKitError::Refused { code, .. } if code == "not_found" => Ok(false),
        other => Err(other),
    }
}

/// A participant as LiveKit describes them, as Meet sees them.
fn connected(info: proto::ParticipantInfo) -> ConnectedParticipant {
    let permission = info.permission.unwrap_or_default();
    let kind = proto::participant_info::Kind::try_from(info.kind)
        .unwrap_or(proto::participant_info::Kind::Standard);
    ConnectedParticipant {
        identity: info.identity,
        attributes: info.attributes,
        tracks: info
            .tracks
            .into_iter()
            .map(|track| PublishedTrack {
                source: meet_source(track.source),
                sid: track.sid,
                muted: track.muted,
            })
            .collect(),
        // Recorders and agents are told apart by their kind (LiveKit deprecated the permission
        // flags for it).
        service: permission.hidden
            || !matches!(
                kind,
                proto::participant_info::Kind::Standard | proto::participant_info::Kind::Sip
            ),
    }
}

/// The source LiveKit numbers `source`, if Meet knows it.
fn meet_source(source: i32) -> Option<TrackSource> {
    match proto::TrackSource::try_from(source).ok()? {
        proto::TrackSource::Camera => Some(TrackSource::Camera),
        proto::TrackSource::Microphone => Some(TrackSource::Microphone),
        proto::TrackSource::ScreenShare => Some(TrackSource::ScreenShare),
        proto::TrackSource::ScreenShareAudio => Some(TrackSource::ScreenShareAudio),
        proto::TrackSource::Unknown => None,
    }
}

/// LiveKit's form of a [`ParticipantPermission`].
fn to_proto(permission: &ParticipantPermission) -> proto::ParticipantPermission {
    proto::ParticipantPermission {
        can_subscribe: permission.can_subscribe,
        can_publish: permission.can_publish,
        can_publish_data: permission.can_publish_data,
        can_publish_sources: permission
            .can_publish_sources
            .iter()
            .map(|source| proto_source(*source) as i32)
            .collect(),
        can_update_metadata: permission.can_update_metadata,
        can_subscribe_metrics: permission.can_subscribe_metrics,
        ..proto::ParticipantPermission::default()
    }
}

fn proto_source(source: TrackSource) -> proto::TrackSource {
    match source {
        TrackSource::Camera => proto::TrackSource::Camera,
        TrackSource::Microphone => proto::TrackSource::Microphone,
        TrackSource::ScreenShare => proto::TrackSource::ScreenShare,
        TrackSource::ScreenShareAudio => proto::TrackSource::ScreenShareAudio,
    }
}

/// LiveKit calls that failed since the process started, as Prometheus counts them.
#[derive(Debug, Default)]
pub struct CallErrors {
    /// The server could not be reached, or failed (timeouts, 5xx, transport errors).
    pub unavailable: std::sync::atomic::AtomicU64,
    /// The server refused the call (other than "not found", which is an answer).
    pub refused: std::sync::atomic::AtomicU64,
}

/// Every failed call of this process to a LiveKit server.
pub static CALL_ERRORS: CallErrors = CallErrors {
    unavailable: std::sync::atomic::AtomicU64::new(0),
    refused: std::sync::atomic::AtomicU64::new(0),
};

fn classify(error: ServiceError) -> LiveKitError {
    let error = classify_only(error);
    let counter = match &error {
        LiveKitError::Unavailable(_) => Some(&CALL_ERRORS.unavailable),
        LiveKitError::Refused { code, .. } if code != "not_found" => Some(&CALL_ERRORS.refused),
        _ => None,
    };
    if let Some(counter) = counter {
        counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    error
}

fn classify_only(error: ServiceError) -> LiveKitError {
    match error {
        ServiceError::Twirp(ServerError::Twirp(code))
            if !matches!(
                code.code.as_str(),
                "unavailable" | "internal" | "unknown" | "deadline_exceeded"
            ) =>
        {
            LiveKitError::Refused {
                code: code.code,
                message: code.msg,
            }
        }
        other => LiveKitError::Unavailable(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions_reach_livekit_with_its_source_numbers_and_nothing_hidden() {
        let permission = ParticipantPermission {
            can_subscribe: true,
            can_publish: true,
            can_publish_sources: vec![TrackSource::Camera, TrackSource::ScreenShareAudio],
            ..ParticipantPermission::default()
        };
        // Every other field (hidden, recorder, agent…) left false.
        assert_eq!(
            to_proto(&permission),
            proto::ParticipantPermission {
                can_subscribe: true,
                can_publish: true,
                can_publish_sources: vec![1, 4],
                ..proto::ParticipantPermission::default()
            }
        );
    }
}
