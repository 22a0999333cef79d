//! `POST /api/v1.0/rooms/{id}/remove-participant/`: a room's administrator or owner removes
//! someone from the meeting.

use axum::Json;
use axum::extract::{Extension, State};
use meet_domain::{Requester, moderation};
use utoipa::ToSchema;

use crate::api::body::JsonObject;
use crate::api::error::{ApiError, ModerationErrors};
use crate::api::extract::ApiPath;
use crate::api::rooms::response::StatusResponse;
use crate::state::AppState;

/// Body of a removal.
#[derive(Debug, ToSchema)]
pub struct RemoveParticipantBody {
    /// The LiveKit identity of the participant to remove (a user's `sub`, a guest's id).
    #[schema(
        min_length = 1,
        max_length = 255,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub participant_identity: String,
}

/// Remove a participant from the meeting (administrators and owners): LiveKit disconnects them
/// and their client tells them why.
#[utoipa::path(
    post,
    path = "/api/v1.0/rooms/{id}/remove-participant/",
    tag = "rooms",
    params(("id" = String, Path, description = "The room's UUID or slug")),
    request_body = RemoveParticipantBody,
    responses(
        (status = 200, description = "Removed", body = StatusResponse),
        ModerationErrors,
    )
)]
pub async fn remove_participant(
    State(state): State<AppState>,
    Extension(requester): Extension<Requester>,
    ApiPath(key): ApiPath<String>,
    body: Result<JsonObject, ApiError>,
) -> Result<Json<StatusResponse>, ApiError> {
    // Who is asking first: a caller who may not moderate learns nothing of the body.
    let moderator = moderation::moderator(&state.services, &requester, &key).await?;
    let identity = body?.required("participant_identity", JsonObject::string)?;
    moderation::remove(&state.services, &moderator, &identity).await?;
    Ok(Json(StatusResponse::success()))
}
