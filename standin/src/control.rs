//! Test-control endpoints under `/_standin/`, for tests that run Meet and the stand-in as
//! separate processes (browser tests) and so cannot call [`crate::StandIn`]'s methods. They are
//! unauthenticated: bind the stand-in to loopback only.
//!
//! * `POST /_standin/rooms/{room}/participants` with `{"identity", "name"?, "attributes"?}`: a
//!   participant joins; answers its `ParticipantInfo`.
//! * `POST /_standin/rooms/{room}/participants/{identity}/tracks` with `{"source"}` (`"camera"`,
//!   `"microphone"`, `"screen_share"`, `"screen_share_audio"`, any case): it publishes a track;
//!   answers the `TrackInfo`.
//! * `DELETE /_standin/rooms/{room}/participants/{identity}`: it leaves; answers 204.
//! * `GET /_standin/state`: `{"rooms", "participants": {room: […]}, "sent_data", "calls",
//!   "webhook_events"}`.
//!
//! LiveKit messages, webhook events included, are written like the Twirp JSON answers: by their
//! pbjson serde impls, with camelCase keys and default values left out. The envelope keys above
//! and those of `sent_data` and `calls` are the stand-in's own.

use std::{collections::HashMap, sync::Arc};

use axum::{
    Json, Router,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{delete, get, post},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use livekit_protocol as proto;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::{
    error::StateError,
    standin::Shared,
    state::{RoomEntry, SentData},
};

/// The routes, to nest under `/_standin`.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/state", get(state))
        .route("/rooms/{room}/participants", post(add_participant))
        .route(
            "/rooms/{room}/participants/{identity}",
            delete(remove_participant),
        )
        .route(
            "/rooms/{room}/participants/{identity}/tracks",
            post(add_track),
        )
}

/// The body of `POST …/participants`.
#[derive(Debug, Deserialize)]
struct NewParticipant {
    identity: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    attributes: HashMap<String, String>,
}

/// The body of `POST …/tracks`.
#[derive(Debug, Deserialize)]
struct NewTrack {
    source: String,
}

async fn add_participant(
    State(shared): State<Arc<Shared>>,
    Path(room): Path<String>,
    Json(body): Json<NewParticipant>,
) -> Response {
    if body.identity.is_empty() {
        return error(StatusCode::BAD_REQUEST, "identity must not be empty");
    }
    let participant = shared.with_state(|state| {
        state.add_participant(&room, &body.identity, &body.name, body.attributes)
    });
    Json(message_json(&participant)).into_response()
}

async fn add_track(
    State(shared): State<Arc<Shared>>,
    Path((room, identity)): Path<(String, String)>,
    Json(body): Json<NewTrack>,
) -> Response {
    let Some(source) = proto::TrackSource::from_str_name(&body.source.to_ascii_uppercase()) else {
        return error(
            StatusCode::BAD_REQUEST,
            &format!("unknown track source {:?}", body.source),
        );
    };
    match shared.with_state(|state| state.add_track(&room, &identity, source)) {
        Ok(track) => Json(message_json(&track)).into_response(),
        Err(failure) => state_error(&failure),
    }
}

async fn remove_participant(
    State(shared): State<Arc<Shared>>,
    Path((room, identity)): Path<(String, String)>,
) -> Response {
    let reason = proto::DisconnectReason::ClientInitiated;
    match shared.with_state(|state| state.remove_participant(&room, &identity, reason)) {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(failure) => state_error(&failure),
    }
}

async fn state(State(shared): State<Arc<Shared>>) -> Json<Value> {
    Json(shared.read(|state| {
        json!({
            "rooms": state.entries().iter().map(|e| message_json(&e.room)).collect::<Vec<_>>(),
            "participants": participants_by_room(state.entries()),
            "sent_data": state.sent_data().iter().map(sent_data).collect::<Vec<_>>(),
            "calls": state.calls().iter().map(|(method, room)| json!({"method": method, "room": room})).collect::<Vec<_>>(),
            "webhook_events": state.events().iter().map(message_json).collect::<Vec<_>>(),
        })
    }))
}

/// A LiveKit message as JSON, by its pbjson serde impl (`null` in the unexpected case that it
/// cannot be written).
fn message_json(message: &impl Serialize) -> Value {
    serde_json::to_value(message).unwrap_or(Value::Null)
}

fn participants_by_room(entries: &[RoomEntry]) -> Map<String, Value> {
    entries
        .iter()
        .map(|entry| {
            let participants = entry.participants.iter().map(message_json).collect();
            (entry.room.name.clone(), Value::Array(participants))
        })
        .collect()
}

/// A data packet as JSON: the payload in base64 (`data`) and, for convenience, as UTF-8 text
/// with invalid bytes replaced (`text`).
fn sent_data(packet: &SentData) -> Value {
    json!({
        "room": packet.room,
        "data": STANDARD.encode(&packet.data),
        "text": String::from_utf8_lossy(&packet.data),
        "kind": packet.kind,
        "topic": packet.topic,
        "destination_identities": packet.destination_identities,
    })
}

fn state_error(failure: &StateError) -> Response {
    let status = match failure {
        StateError::RoomNotFound
        | StateError::ParticipantNotFound
        | StateError::TrackNotFound
        | StateError::EgressNotFound => StatusCode::NOT_FOUND,
        StateError::RemoteUnmuteDisabled
        | StateError::InvalidArgument(_)
        | StateError::FailedPrecondition(_) => StatusCode::BAD_REQUEST,
        StateError::NoResponse => StatusCode::SERVICE_UNAVAILABLE,
    };
    error(status, &failure.to_string())
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}
