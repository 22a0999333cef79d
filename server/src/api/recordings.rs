//! `/api/v1.0/recordings/`: the recordings one owns (La Suite Meet's shapes), while recording is
//! on (404 otherwise).

use axum::Json;
use axum::extract::{Extension, State};
use chrono::{DateTime, Utc};
use http::StatusCode;
use meet_domain::Requester;
use meet_domain::recording::{self, RecordingOptions, RecordingWithRoom, Recordings};
use meet_types::{AccessLevel, RecordingMode, RecordingStatus};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::error::{ApiError, ErrorBody};
use crate::api::extract::{ApiPath, ApiQuery};
use crate::api::pagination::{PageQuery, Paginated, fetch_page};
use crate::state::AppState;

/// The room a recording was made in.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordingRoom {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
    pub access_level: AccessLevel,
}

/// A recording.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordingResponse {
    pub id: Uuid,
    pub room: RecordingRoom,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub status: RecordingStatus,
    pub mode: RecordingMode,
    #[schema(value_type = Object)]
    pub options: RecordingOptions,
    /// Where its file is kept in the storage.
    pub key: String,
    pub is_expired: bool,
    /// When it expires; `null` when recordings are kept until deleted.
    pub expired_at: Option<DateTime<Utc>>,
}

impl RecordingResponse {
    fn new(found: RecordingWithRoom, recordings: &Recordings, now: DateTime<Utc>) -> Self {
        let expired_at = recordings.expires_at(&found.recording);
        let recording = found.recording;
        Self {
            key: recordings.key(&recording),
            is_expired: expired_at.is_some_and(|at| at <= now),
            expired_at,
            id: recording.id,
            room: RecordingRoom {
                id: recording.room_id,
                name: found.room_name,
                slug: found.room_slug,
                access_level: found.room_access_level,
            },
            created_at: recording.created_at,
            updated_at: recording.updated_at,
            status: recording.status,
            mode: recording.mode,
            options: recording.options.0,
        }
    }
}

/// List the recordings the logged-in user owns, newest first.
#[utoipa::path(
    get,
    path = "/api/v1.0/recordings/",
    tag = "recordings",
    params(PageQuery),
    responses(
        (status = 200, description = "One page of recordings", body = Paginated<RecordingResponse>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "Recording is off, or invalid page", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Extension(requester): Extension<Requester>,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Json<Paginated<RecordingResponse>>, ApiError> {
    let recordings = recording::enabled(&state.services)?;
    requester.require_user()?;
    let base = format!("{}/api/v1.0/recordings/", state.config.public_url());
    let page = query.page()?;
    let (rows, count, page) = fetch_page(page, |limit, offset| {
        let (services, requester) = (&state.services, &requester);
        async move { Ok(recording::list(services, requester, limit, offset).await?) }
    })
    .await?;
    let now = state.services.clock.utc();
    let results = rows
        .into_iter()
        .map(|row| RecordingResponse::new(row, recordings, now))
        .collect();
    Ok(Json(Paginated::new(results, count, page, &base)))
}

/// A recording, for its owners.
#[utoipa::path(
    get,
    path = "/api/v1.0/recordings/{id}/",
    tag = "recordings",
    params(("id" = Uuid, Path, description = "The recording's id")),
    responses(
        (status = 200, description = "The recording", body = RecordingResponse),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an owner of it", body = ErrorBody),
        (status = 404, description = "No such recording, or recording is off", body = ErrorBody),
    )
)]
pub async fn retrieve(
    State(state): State<AppState>,
    Extension(requester): Extension<Requester>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<RecordingResponse>, ApiError> {
    let recordings = recording::enabled(&state.services)?;
    let id = recording_id(&id)?;
    let found = recording::retrieve(&state.services, &requester, id).await?;
    Ok(Json(RecordingResponse::new(
        found,
        recordings,
        state.services.clock.utc(),
    )))
}

/// Delete a recording that is over (its owners).
#[utoipa::path(
    delete,
    path = "/api/v1.0/recordings/{id}/",
    tag = "recordings",
    params(("id" = Uuid, Path, description = "The recording's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an owner of it, or it is not over", body = ErrorBody),
        (status = 404, description = "No such recording, or recording is off", body = ErrorBody),
    )
)]
pub async fn destroy(
    State(state): State<AppState>,
    Extension(requester): Extension<Requester>,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    recording::enabled(&state.services)?;
    let id = recording_id(&id)?;
    recording::delete(&state.services, &requester, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A recording's id; anything else names no recording.
fn recording_id(text: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(text).map_err(|_| ApiError::NotFound)
}
