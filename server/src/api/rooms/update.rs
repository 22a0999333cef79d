//! `PUT` and `PATCH /api/v1.0/rooms/{id}/`: a room's name, access level and configuration.

use axum::Json;
use axum::extract::{Extension, State};
use meet_domain::rooms::{self, RoomChanges};
use meet_domain::{FieldErrors, Requester};

use crate::api::body::JsonObject;
use crate::api::error::{ApiError, BodyErrors, ErrorBody};
use crate::api::extract::ApiPath;
use crate::api::rooms::body::{RoomBody, RoomFields, RoomPatchBody};
use crate::api::rooms::response::RoomResponse;
use crate::state::AppState;

/// Replace a room's name, access level and configuration (administrators and owners).
#[utoipa::path(
    put,
    path = "/api/v1.0/rooms/{id}/",
    tag = "rooms",
    params(("id" = String, Path, description = "The room's UUID or slug")),
    request_body = RoomBody,
    responses(
        (status = 200, description = "The updated room", body = RoomResponse),
        (status = 403, description = "Not an administrator or owner", body = ErrorBody),
        (status = 404, description = "No such room", body = ErrorBody),
        (status = 409, description = "Another room has this address", body = ErrorBody),
        BodyErrors,
    )
)]
pub async fn replace(
    State(state): State<AppState>,
    Extension(requester): Extension<Requester>,
    ApiPath(key): ApiPath<String>,
    body: JsonObject,
) -> Result<Json<RoomResponse>, ApiError> {
    update(&state, &requester, &key, &body, true).await
}

/// Change some of a room's name, access level and configuration (administrators and owners).
#[utoipa::path(
    patch,
    path = "/api/v1.0/rooms/{id}/",
    tag = "rooms",
    params(("id" = String, Path, description = "The room's UUID or slug")),
    request_body = Option<RoomPatchBody>,
    responses(
        (status = 200, description = "The updated room", body = RoomResponse),
        (status = 403, description = "Not an administrator or owner", body = ErrorBody),
        (status = 404, description = "No such room", body = ErrorBody),
        (status = 409, description = "Another room has this address", body = ErrorBody),
        BodyErrors,
    )
)]
pub async fn patch(
    State(state): State<AppState>,
    Extension(requester): Extension<Requester>,
    ApiPath(key): ApiPath<String>,
    body: JsonObject,
) -> Result<Json<RoomResponse>, ApiError> {
    update(&state, &requester, &key, &body, false).await
}

/// A full update (`complete`: PUT, `name` required) or a partial one (PATCH).
async fn update(
    state: &AppState,
    requester: &Requester,
    key: &str,
    body: &JsonObject,
    complete: bool,
) -> Result<Json<RoomResponse>, ApiError> {
    requester.require_user()?;
    let RoomFields {
        name,
        access_level,
        configuration,
    } = RoomFields::read(body)?;
    if complete && name.is_none() {
        return Err(FieldErrors::one("name", "This field is required.").into());
    }
    let changes = RoomChanges {
        name,
        access_level,
        configuration,
    };
    let details = rooms::update(&state.services, requester, key, changes).await?;
    Ok(Json(details.into()))
}
