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

/// `{"status": "success"}`: the summary service's report was taken (or its job is unknown,
/// which changes nothing).
#[derive(Debug, Serialize, ToSchema)]
pub struct HookAnswer {
    #[schema(example = "success")]
    pub status: &'static str,
}

/// What the summary service says of one of its jobs.
#[derive(Debug, ToSchema)]
#[expect(dead_code, reason = "documents the body, read field by field")]
pub struct ExternalProcessReport {
    /// The job id the service answered when it was given the recording.
    job_id: String,
    /// The job's kind; only `transcript` moves a recording.
    #[schema(nullable = false)]
    r#type: Option<String>,
    /// `success` or `failure`.
    #[schema(nullable = false)]
    status: Option<String>,
}

/// The summary service reports how a job ended (La Suite Meet's external-process hook),
/// proving itself with `Authorization: Bearer SUMMARY_SERVICE_WEBHOOK_API_TOKEN`.
#[utoipa::path(
    post,
    path = "/api/v1.0/recordings/external-process-hook/",
    tag = "recordings",
    request_body = ExternalProcessReport,
    responses(
        (status = 200, description = "Taken (an unknown job changes nothing)", body = HookAnswer),
        (status = 400, description = "Not a report", body = ErrorBody),
        (status = 401, description = "No token, or the wrong one", body = ErrorBody),
        (status = 404, description = "Recording or the summary service is off", body = ErrorBody),
        (status = 413, description = "The body is too large", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
    )
)]
pub async fn external_process_hook(
    State(state): State<AppState>,
    headers: http::HeaderMap,
    body: crate::api::body::JsonObject,
) -> Result<Json<HookAnswer>, ApiError> {
    use meet_domain::FieldErrors;
    let token = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    // The token first: a stranger learns nothing of what the body should be.
    recording::hook_authorised(&state.services, token).map_err(hook_refusal)?;
    let mut errors = FieldErrors::default();
    let mut text = |field: &str| {
        let text = body.string(field, &mut errors)?;
        if text.chars().count() > 255 {
            errors.add(field, "Ensure this field has no more than 255 characters.");
            return None;
        }
        Some(text)
    };
    let job_id = text("job_id").filter(|id| !id.is_empty());
    let kind = text("type");
    let status = text("status");
    let Some(job_id) = job_id else {
        if errors.is_empty() {
            errors.add("job_id", "This field is required.");
        }
        return Err(ApiError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    recording::external_process_hook(
        &state.services,
        token,
        &job_id,
        kind.as_deref(),
        status.as_deref(),
    )
    .await
    .map_err(hook_refusal)?;
    Ok(Json(HookAnswer { status: "success" }))
}

fn hook_refusal(refused: recording::HookError) -> ApiError {
    match refused {
        recording::HookError::Off => ApiError::NotFound,
        recording::HookError::Unauthorized => ApiError::BadToken("Invalid token."),
        recording::HookError::Mediator(error) => {
            tracing::error!(%error, "the summary service's report could not be taken");
            ApiError::Internal(None)
        }
    }
}
