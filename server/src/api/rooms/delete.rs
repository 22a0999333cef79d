//! `DELETE /api/v1.0/rooms/{id}/`.

use axum::extract::{Extension, State};
use axum::http::StatusCode;
use meet_domain::{Requester, rooms};

use crate::api::error::{ApiError, ErrorBody};
use crate::api::extract::ApiPath;
use crate::state::AppState;

/// Delete a room (owners).
#[utoipa::path(
    delete,
    path = "/api/v1.0/rooms/{id}/",
    tag = "rooms",
    params(("id" = String, Path, description = "The room's UUID or slug")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an owner", body = ErrorBody),
        (status = 404, description = "No such room", body = ErrorBody),
    )
)]
pub async fn destroy(
    State(state): State<AppState>,
    Extension(requester): Extension<Requester>,
    ApiPath(key): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    rooms::delete(&state.services, &requester, &key).await?;
    Ok(StatusCode::NO_CONTENT)
}
