//! `POST /api/v1.0/rooms/{id}/rename/`: a participant changes the name others see in the
//! meeting, authenticated by their LiveKit token for the room.

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

/// Body of a rename.
#[derive(Debug, ToSchema)]
pub struct RenameBody {
    /// The new name: no control characters, and once trimmed not blank and at most 255
    /// characters.
    #[schema(
        min_length = 1,
        max_length = 255,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: String,
}

/// Change one's name in a meeting (the participant the LiveKit token names).
#[utoipa::path(
    post,
    path = "/api/v1.0/rooms/{id}/rename/",
    tag = "rooms",
    params(("id" = String, Path, description = "The room's UUID or slug")),
    request_body = RenameBody,
    security(("livekit_token" = [])),
    responses(
        (status = 200, description = "Done", body = StatusResponse),
        ParticipantErrors,
    )
)]
pub async fn rename(
    State(state): State<AppState>,
    ApiPath(key): ApiPath<String>,
    bearer: Result<LiveKitBearer, ApiError>,
    body: Result<JsonObject, ApiError>,
) -> Result<Json<StatusResponse>, ApiError> {
    // Who is asking first: a caller without a token learns nothing of the room or the body.
    let caller = caller::in_room(&state.services, &bearer?.0, &key).await?;
    let name = body?.required("name", JsonObject::string)?;
    participants::rename(&state.services, &caller, &name).await?;
    Ok(Json(StatusResponse::success()))
}
