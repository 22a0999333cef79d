//! `GET /api/v1.0/rooms/{id}/`: how clients get their LiveKit credentials.

use axum::Json;
use axum::extract::{Extension, State};
use meet_domain::{Requester, rooms};

use crate::api::error::{ApiError, ErrorBody};
use crate::api::extract::{ApiPath, ApiQuery};
use crate::api::rooms::body::UsernameQuery;
use crate::api::rooms::response::RoomResponse;
use crate::state::AppState;

/// Retrieve a room, with LiveKit credentials when the requester may enter directly.
#[utoipa::path(
    get,
    path = "/api/v1.0/rooms/{id}/",
    tag = "rooms",
    params(("id" = String, Path, description = "The room's UUID or slug"), UsernameQuery),
    responses(
        (status = 200, description = "The room", body = RoomResponse),
        (status = 400, description = "Invalid username", body = ErrorBody),
        (status = 404, description = "No such room (and unregistered rooms are off)", body = ErrorBody),
    )
)]
pub async fn retrieve(
    State(state): State<AppState>,
    Extension(requester): Extension<Requester>,
    ApiPath(key): ApiPath<String>,
    ApiQuery(query): ApiQuery<UsernameQuery>,
) -> Result<Json<RoomResponse>, ApiError> {
    let details =
        rooms::retrieve(&state.services, &requester, &key, query.username.as_deref()).await?;
    Ok(Json(details.into()))
}
