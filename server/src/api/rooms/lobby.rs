//! The lobby, as La Suite Meet's clients use it: `POST /api/v1.0/rooms/{id}/request-entry/`
//! (anyone: ask to enter, and ask again to keep waiting), `GET …/waiting-participants/` and
//! `POST …/enter/` (the room's administrators and owners: who waits, and let one in or not).

use axum::Json;
use axum::extract::{Extension, State};
use meet_domain::{FieldErrors, Requester, lobby};
use meet_types::{LiveKitConnection, LobbyParticipant, LobbyStatus};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::body::JsonObject;
use crate::api::error::{ApiError, BodyErrors, ErrorBody};
use crate::api::extract::ApiPath;
use crate::state::AppState;

/// Body of a request to enter.
#[derive(Debug, ToSchema)]
pub struct RequestEntryBody {
    /// The name to show the hosts (and, once in, everyone): no control characters, and once
    /// trimmed not blank and at most 255 characters.
    #[schema(
        min_length = 1,
        max_length = 255,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub username: String,
}

/// Where the requester stands, with credentials once they may enter.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryResponse {
    pub status: LobbyStatus,
    pub username: String,
    /// The requester's lobby id (a UUID), also kept in the `lobbyParticipantId` cookie.
    pub id: String,
    pub color: String,
    /// Credentials to join the meeting: only once `accepted`.
    pub livekit: Option<LiveKitConnection>,
}

impl From<lobby::EntryAnswer> for EntryResponse {
    fn from(answer: lobby::EntryAnswer) -> Self {
        let LobbyParticipant {
            status,
            username,
            id,
            color,
        } = answer.participant;
        Self {
            status,
            username,
            id,
            color,
            livekit: answer.livekit,
        }
    }
}

/// The people waiting in a lobby.
#[derive(Debug, Serialize, ToSchema)]
pub struct WaitingResponse {
    /// First come first.
    pub participants: Vec<LobbyParticipant>,
}

/// Body of a host's decision.
#[derive(Debug, ToSchema)]
pub struct EnterBody {
    /// The lobby id of the person waiting.
    pub participant_id: uuid::Uuid,
    /// `true` lets them in, `false` refuses them (they may ask again 5 seconds later).
    pub allow_entry: bool,
}

/// `{"message": …}`: La Suite Meet's answer to a host's decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageResponse {
    #[schema(example = "Participant was updated.")]
    pub message: &'static str,
}

/// Ask to enter a room through its lobby; ask again (every second or so) to keep waiting. Anyone
/// may ask; at most 150 requests a minute per user or per lobby cookie.
#[utoipa::path(
    post,
    path = "/api/v1.0/rooms/{id}/request-entry/",
    tag = "rooms",
    params(("id" = String, Path, description = "The room's UUID or slug")),
    request_body = RequestEntryBody,
    responses(
        (status = 200, description = "Where the requester stands; sets the `lobbyParticipantId` cookie for a new guest", body = EntryResponse),
        (status = 400, description = "Invalid username", body = ErrorBody),
        (status = 404, description = "No such room", body = ErrorBody),
        (status = 429, description = "Too many requests; see `Retry-After`", body = ErrorBody),
    )
)]
pub async fn request_entry(
    State(state): State<AppState>,
    Extension(requester): Extension<Requester>,
    ApiPath(key): ApiPath<String>,
    body: Result<JsonObject, ApiError>,
) -> Result<Json<EntryResponse>, ApiError> {
    let username = body?.required("username", JsonObject::string)?;
    let answer = lobby::request_entry(&state.services, &requester, &key, &username).await?;
    Ok(Json(answer.into()))
}

/// The people waiting in a room's lobby, for its administrators and owners (always empty for a
/// public room).
#[utoipa::path(
    get,
    path = "/api/v1.0/rooms/{id}/waiting-participants/",
    tag = "rooms",
    params(("id" = String, Path, description = "The room's UUID or slug")),
    responses(
        (status = 200, description = "The people waiting", body = WaitingResponse),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an administrator or owner of the room", body = ErrorBody),
        (status = 404, description = "No such room", body = ErrorBody),
    )
)]
pub async fn waiting_participants(
    State(state): State<AppState>,
    Extension(requester): Extension<Requester>,
    ApiPath(key): ApiPath<String>,
) -> Result<Json<WaitingResponse>, ApiError> {
    let participants = lobby::waiting(&state.services, &requester, &key).await?;
    Ok(Json(WaitingResponse { participants }))
}

/// Let someone waiting in the lobby in, or refuse them: for the room's administrators and owners.
#[utoipa::path(
    post,
    path = "/api/v1.0/rooms/{id}/enter/",
    tag = "rooms",
    params(("id" = String, Path, description = "The room's UUID or slug")),
    request_body = EnterBody,
    responses(
        (status = 200, description = "Decided", body = MessageResponse),
        BodyErrors,
        (status = 403, description = "Not an administrator or owner of the room", body = ErrorBody),
        (status = 404, description = "No such room, a public room (no lobby), or nobody waiting with that id", body = ErrorBody),
    )
)]
pub async fn enter(
    State(state): State<AppState>,
    Extension(requester): Extension<Requester>,
    ApiPath(key): ApiPath<String>,
    body: Result<JsonObject, ApiError>,
) -> Result<Json<MessageResponse>, ApiError> {
    // Who is asking first: a visitor learns nothing of the body.
    requester.require_user()?;
    let body = body?;
    let mut errors = FieldErrors::default();
    let participant_id = body.required_into("participant_id", JsonObject::uuid, &mut errors);
    let allow_entry = body.required_into("allow_entry", JsonObject::boolean, &mut errors);
    let (Some(participant_id), Some(allow_entry)) = (participant_id, allow_entry) else {
        return Err(errors.into());
    };
    errors.into_result()?;
    lobby::decide(
        &state.services,
        &requester,
        &key,
        participant_id,
        allow_entry,
    )
    .await?;
    Ok(Json(MessageResponse {
        message: "Participant was updated.",
    }))
}
