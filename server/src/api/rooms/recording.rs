//! `POST /api/v1.0/rooms/{id}/start-recording/` and `…/stop-recording/`: a room's
//! administrator or owner records its meeting (only while recording is on: 404 otherwise, as
//! La Suite Meet).

use axum::Json;
use axum::extract::{Extension, State};
use http::StatusCode;
use meet_domain::recording::{self, MediatorError, RecordingError};
use meet_domain::{Requester, moderation};
use meet_types::ErrorKind;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::api::body::JsonObject;
use crate::api::error::{ApiError, ErrorBody};
use crate::api::extract::ApiPath;
use crate::state::AppState;

/// Body of a start: what to record.
#[derive(Debug, ToSchema)]
pub struct StartRecordingBody {
    /// `screen_recording` or `transcript`, among the modes `/config/` lists.
    pub mode: meet_types::RecordingMode,
    /// `{language?, transcribe?, collect_metadata?, original_mode?}`.
    #[schema(value_type = Option<Object>)]
    pub options: Option<Value>,
}

/// `{"message": …}`: what happened to the recording, for people.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordingMessage {
    pub message: String,
}

/// What a start or stop may answer besides its own answers.
#[derive(utoipa::IntoResponses)]
pub enum RecordingErrors {
    /// Invalid input, by field
    #[response(status = 400)]
    Invalid(ErrorBody),
    /// Not logged in
    #[response(status = 401)]
    Unauthenticated(ErrorBody),
    /// Not an administrator or owner of the room
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// No such room, recording is off, or (stop) nothing is being recorded
    #[response(status = 404)]
    NotFound(ErrorBody),
    /// A recording is already in progress in the room
    #[response(status = 409)]
    Conflict(ErrorBody),
    /// The recording worker failed to stop (the recording is `failed_to_stop`)
    #[response(status = 500)]
    Internal(ErrorBody),
    /// The recording worker failed to start, or could not be reached
    #[response(status = 502)]
    Upstream(ErrorBody),
}

/// Start recording the meeting (administrators and owners); the caller owns the recording.
#[utoipa::path(
    post,
    path = "/api/v1.0/rooms/{id}/start-recording/",
    tag = "rooms",
    params(("id" = String, Path, description = "The room's UUID or slug")),
    request_body = StartRecordingBody,
    responses(
        (status = 201, description = "Recording", body = RecordingMessage),
        RecordingErrors,
    )
)]
pub async fn start_recording(
    State(state): State<AppState>,
    Extension(requester): Extension<Requester>,
    ApiPath(key): ApiPath<String>,
    body: Result<JsonObject, ApiError>,
) -> Result<(StatusCode, Json<RecordingMessage>), ApiError> {
    recording::enabled(&state.services)?;
    // Who is asking first: a caller who may not record learns nothing of the body.
    let host = moderation::moderator(&state.services, &requester, &key).await?;
    let body = Value::Object(body?.0);
    let slug = host.room.slug.clone();
    match recording::start(&state.services, &host, &body).await {
        Ok(_) => Ok((
            StatusCode::CREATED,
            Json(RecordingMessage {
                message: format!("Recording successfully started for room {slug}"),
            }),
        )),
        Err(error) => Err(answer(error, &slug)),
    }
}

/// Stop the meeting's recording (administrators and owners); its file is then saved.
#[utoipa::path(
    post,
    path = "/api/v1.0/rooms/{id}/stop-recording/",
    tag = "rooms",
    params(("id" = String, Path, description = "The room's UUID or slug")),
    responses(
        (status = 200, description = "Stopped", body = RecordingMessage),
        RecordingErrors,
    )
)]
pub async fn stop_recording(
    State(state): State<AppState>,
    Extension(requester): Extension<Requester>,
    ApiPath(key): ApiPath<String>,
) -> Result<Json<RecordingMessage>, ApiError> {
    recording::enabled(&state.services)?;
    let host = moderation::moderator(&state.services, &requester, &key).await?;
    let slug = host.room.slug.clone();
    match recording::stop(&state.services, &host).await {
        Ok(_) => Ok(Json(RecordingMessage {
            message: format!("Recording stopped for room {slug}."),
        })),
        Err(error) => Err(answer(error, &slug)),
    }
}

/// A failed start or stop as La Suite Meet words it.
fn answer(error: RecordingError, slug: &str) -> ApiError {
    match error {
        RecordingError::Domain(error) => error.into(),
        RecordingError::NoActiveRecording => {
            ApiError::NotFoundWith("No active recording found for this room.")
        }
        RecordingError::Mediator(error) => {
            let (kind, message) = match &error {
                MediatorError::AlreadyRunning => (
                    ErrorKind::Conflict,
                    format!("A recording is already in progress for room {slug}"),
                ),
                MediatorError::StartFailed(_) | MediatorError::ModeUnavailable(_) => (
                    ErrorKind::Upstream,
                    format!("Recording failed to start for room {slug}"),
                ),
                MediatorError::WorkerUnreachable(_) => (
                    ErrorKind::Upstream,
                    format!(
                        "Recording failed to stop for room {slug}: the recording service could not be reached. Try again in a moment."
                    ),
                ),
                MediatorError::StopFailed(_) | MediatorError::WrongStatus(_) => (
                    ErrorKind::Internal,
                    format!("Recording failed to stop for room {slug}"),
                ),
                MediatorError::Store(_) => {
                    (ErrorKind::Internal, "A server error occurred.".to_owned())
                }
            };
            if kind != ErrorKind::Conflict {
                tracing::warn!(room = slug, error = %error, "recording request failed");
            }
            ApiError::Answer(kind, message)
        }
    }
}
