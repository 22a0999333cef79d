//! `POST /api/v1.0/rooms/{id}/toggle-hand/`: a participant raises or lowers their hand,
//! authenticated by their LiveKit token for the room.

use axum::Json;
use axum::extract::State;
use meet_domain::livekit::caller;
use meet_domain::participants;
use utoipa::ToSchema;

use crate::api::bearer::LiveKitBearer;
use crate::api::body::JsonObject;
use crate::api::error::{ApiError, ParticipantErrors};
use crate::api::extract::ApiPath;
use crate::api::rooms::response::StatusResponse;
use crate::state::AppState;

/// Body of a hand toggle.
#[derive(Debug, ToSchema)]
pub struct ToggleHandBody {
    /// `true` raises the hand (the participant attribute `handRaisedAt` becomes the time, ISO
    /// 8601 in UTC), `false` lowers it (`handRaisedAt` emptied).
    pub raised: bool,
}

/// Raise or lower one's hand in a meeting (the participant the LiveKit token names).
#[utoipa::path(
    post,
    path = "/api/v1.0/rooms/{id}/toggle-hand/",
    tag = "rooms",
    params(("id" = String, Path, description = "The room's UUID or slug")),
    request_body = ToggleHandBody,
    security(("livekit_token" = [])),
    responses(
        (status = 200, description = "Done", body = StatusResponse),
        ParticipantErrors,
    )
)]
pub async fn toggle_hand(
    State(state): State<AppState>,
    ApiPath(key): ApiPath<String>,
    bearer: Result<LiveKitBearer, ApiError>,
    body: Result<JsonObject, ApiError>,
) -> Result<Json<StatusResponse>, ApiError> {
    // Who is asking first: a caller without a token learns nothing of the room or the body.
    let caller = caller::in_room(&state.services, &bearer?.0, &key).await?;
    let raised = body?.required("raised", JsonObject::boolean)?;
    participants::toggle_hand(&state.services, &caller, raised).await?;
    Ok(Json(StatusResponse::success()))
}
