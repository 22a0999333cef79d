//! `POST /api/v1.0/analytics/events/`: a participant's browser reports what only it sees
//! (joining and leaving the call, sharing a screen, chatting, reacting, the media server being
//! unreachable), authenticated by the participant's LiveKit token. The whole batch is checked
//! before anything is recorded.

use axum::extract::State;
use http::StatusCode;
use meet_domain::analytics::browser;
use meet_domain::livekit::caller;
use utoipa::ToSchema;

use crate::api::bearer::LiveKitBearer;
use crate::api::body::JsonObject;
use crate::api::error::{ApiError, ErrorBody};
use crate::state::AppState;

/// A batch of product events.
#[derive(Debug, ToSchema)]
#[allow(dead_code, reason = "documents the body; it is read field by field")]
pub struct EventsBody {
    /// The LiveKit room's session id (`RM_…`), as livekit-client's `Room.getSid()` gives it;
    /// required by every event but `media_server_unreachable`.
    meeting: Option<String>,
    /// 1 to 50 events, each `{"event": name, "properties": {…}}`, of `meeting_joined`
    /// (`participants`), `meeting_left` (`duration_seconds`, `participants`, `reason`),
    /// `screen_share_started`, `chat_message_sent`, `reaction_sent` (`emoji`) and
    /// `media_server_unreachable`.
    events: Vec<serde_json::Value>,
}

/// Report product events from a meeting (the participant the LiveKit token names). Answered
/// 204 whether or not analytics is on; nothing is recorded when it is off.
#[utoipa::path(
    post,
    path = "/api/v1.0/analytics/events/",
    tag = "analytics",
    request_body = EventsBody,
    security(("livekit_token" = [])),
    responses(
        (status = 204, description = "Recorded"),
        (status = 400, description = "Invalid events, by field (`events[i]`); nothing recorded", body = ErrorBody),
        (status = 401, description = "No valid LiveKit token", body = ErrorBody),
        (status = 403, description = "The token does not let its bearer join a room", body = ErrorBody),
        (status = 413, description = "The body is too large", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 429, description = "Batches sent too fast; see `Retry-After`", body = ErrorBody),
    )
)]
pub async fn record_events(
    State(state): State<AppState>,
    bearer: Result<LiveKitBearer, ApiError>,
    body: Result<JsonObject, ApiError>,
) -> Result<StatusCode, ApiError> {
    // Who is asking first: a caller without a token learns nothing of what the body should be.
    let caller = caller::verify(&state.services.settings.token, &bearer?.0)?;
    let body = body?;
    let (meeting, events) = browser::read(body.value("meeting"), body.value("events"))
        .map_err(meet_domain::DomainError::Invalid)?;
    browser::record(&state.services, &caller, meeting.as_deref(), events)?;
    Ok(StatusCode::NO_CONTENT)
}
