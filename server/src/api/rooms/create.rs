//! `POST /api/v1.0/rooms/`: a new room, owned by whoever creates it.

use axum::Json;
use axum::extract::{Extension, State};
use axum::http::StatusCode;
use meet_domain::Requester;
use meet_domain::rooms::{self, CreateRoom};
use meet_types::Role;

use crate::api::body::JsonObject;
use crate::api::error::{ApiError, BodyErrors, ErrorBody};
use crate::api::extract::ApiQuery;
use crate::api::rooms::body::{RoomBody, RoomFields, UsernameQuery};
use crate::api::rooms::response::RoomResponse;
use crate::state::AppState;

/// Create a room; the creator becomes its owner.
#[utoipa::path(
    post,
    path = "/api/v1.0/rooms/",
    tag = "rooms",
    params(UsernameQuery),
    request_body = RoomBody,
    responses(
        (status = 201, description = "The new room", body = RoomResponse),
        (status = 403, description = "The user owns the most rooms allowed", body = ErrorBody),
        (status = 409, description = "Another room has this address", body = ErrorBody),
        (status = 429, description = "Too many rooms created in a short time", body = ErrorBody),
        BodyErrors,
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Extension(requester): Extension<Requester>,
    ApiQuery(query): ApiQuery<UsernameQuery>,
    body: JsonObject,
) -> Result<(StatusCode, Json<RoomResponse>), ApiError> {
    let user = requester.require_user()?;
    // Checked before anything is created: bad input changes nothing.
    let username = rooms::names::validate_username(query.username.as_deref())?;
    let RoomFields {
        name,
        access_level,
        configuration,
    } = RoomFields::read(&body)?;
    let request = CreateRoom {
        name,
        access_level,
        configuration,
    };
    let room = rooms::create(&state.services, user, request).await?;
    let details = rooms::as_seen_by(
        &state.services,
        &requester,
        room,
        Some(Role::Owner),
        username,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(details.into())))
}
