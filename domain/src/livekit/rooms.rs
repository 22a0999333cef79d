//! LiveKit room administration, behind a trait so the domain never sees LiveKit's types: the
//! real implementation calls the server's Twirp API with `livekit-api`.

use std::collections::HashMap;
use std::time::Duration;

use async_trait::async_trait;
use livekit_api::services::room::{RoomClient, SendDataOptions, UpdateParticipantOptions};
use livekit_api::services::{ServerError, ServiceError};
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

    /// Updates the participant `identity` of the LiveKit room `room`: its name when `name` is
    /// given (and not empty: LiveKit ignores an empty name), and `attributes` merged into its own
    /// (LiveKit replaces the keys given and removes those given an empty value). `Ok(false)` when
    /// no such participant is connected to that room (or the room does not run).
    async fn update_participant(
        &self,
        room: &str,
        identity: &str,
        name: Option<&str>,
        attributes: Option<HashMap<String, String>>,
    ) -> Result<bool, LiveKitError>;

    /// Sends `data` reliably to every participant of the LiveKit room `room`. `Ok(false)` when
    /// no such room runs (nobody is there to tell).
    async fn send_data(&self, room: &str, data: Vec<u8>) -> Result<bool, LiveKitError>;
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
        name: Option<&str>,
        attributes: Option<HashMap<String, String>>,
    ) -> Result<bool, LiveKitError> {
        let options = UpdateParticipantOptions {
            name: name.unwrap_or_default().to_owned(),
            attributes: attributes.unwrap_or_default(),
            ..UpdateParticipantOptions::default()
        };
        match self.rooms.update_participant(room, identity, options).await {
            Ok(_) => Ok(true),
            // LiveKit answers `not_found` for a participant not connected, and for a room that
            // does not run.
            Err(error) => match classify(error) {
                LiveKitError::Refused { code, .. } if code == "not_found" => Ok(false),
                other => Err(other),
            },
        }
    }

    async fn send_data(&self, room: &str, data: Vec<u8>) -> Result<bool, LiveKitError> {
        let options = SendDataOptions {
            kind: livekit_protocol::data_packet::Kind::Reliable,
            ..SendDataOptions::default()
        };
        match self.rooms.send_data(room, data, options).await {
            Ok(()) => Ok(true),
            Err(error) => match classify(error) {
                LiveKitError::Refused { code, .. } if code == "not_found" => Ok(false),
                other => Err(other),
            },
        }
    }
}

fn classify(error: ServiceError) -> LiveKitError {
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
