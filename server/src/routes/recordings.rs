//! `/media/recordings/{id}.{ext}`: a recording's file, for its owners, once it is ready and
//! until it expires (La Suite Meet's download link). Streamed from storage after the access
//! check; never a public storage URL.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};
use meet_domain::recording::{self, Availability, DownloadError};
use meet_domain::{DomainError, Requester};
use tokio_util::io::ReaderStream;
use uuid::Uuid;

use crate::state::AppState;

/// `GET /media/recordings/{file}`: the file `{recording id}.{mp4|ogg}`.
pub async fn download(
    State(state): State<AppState>,
    axum::Extension(requester): axum::Extension<Requester>,
    Path(file): Path<String>,
) -> Response {
    let Some((id, extension)) = file
        .split_once('.')
        .and_then(|(id, extension)| Some((Uuid::parse_str(id).ok()?, extension)))
    else {
        return refuse(StatusCode::NOT_FOUND, "No such recording.");
    };
    let (found, stored) = match recording::download(&state.services, &requester, id).await {
        Ok(opened) => opened,
        Err(error) => return answer(&error),
    };
    let recording = &found.recording;
    if recording.mode.extension() != extension {
        return refuse(StatusCode::NOT_FOUND, "No such recording.");
    }
    let filename = format!(
        "meet-{}-{}.{}",
        found.room_slug,
        recording.created_at.format("%Y-%m-%d-%H%M"),
        extension
    );
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(recording.mode.content_type()),
            ),
            (header::CONTENT_LENGTH, HeaderValue::from(stored.size)),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        Body::from_stream(ReaderStream::new(stored.body)),
    )
        .into_response()
}

fn answer(error: &DownloadError) -> Response {
    match error {
        DownloadError::Domain(DomainError::Unauthenticated) => refuse(
            StatusCode::UNAUTHORIZED,
            "Log in to download this recording.",
        ),
        DownloadError::Domain(DomainError::NotFound | DomainError::Forbidden(_)) => {
            refuse(StatusCode::NOT_FOUND, "No such recording.")
        }
        DownloadError::Unavailable(Availability::Expired) => {
            refuse(StatusCode::GONE, "This recording has expired.")
        }
        DownloadError::Unavailable(Availability::Failed) => refuse(
            StatusCode::NOT_FOUND,
            "This recording failed: there is no file.",
        ),
        DownloadError::Unavailable(_) => {
            refuse(StatusCode::NOT_FOUND, "This recording is not ready yet.")
        }
        DownloadError::Missing => {
            refuse(StatusCode::NOT_FOUND, "This recording's file is missing.")
        }
        DownloadError::Domain(other) => {
            other.log_cause();
            refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on our side.",
            )
        }
        DownloadError::Storage(error) => {
            tracing::error!(%error, "cannot read a recording's file");
            refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                "The recordings' storage is not answering. Try again in a moment.",
            )
        }
    }
}

fn refuse(status: StatusCode, message: &'static str) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        message,
    )
        .into_response()
}
