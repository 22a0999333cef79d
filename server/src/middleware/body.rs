//! Request bodies are read here, before any handler, within a size and a time limit: a body
//! larger than any request needs answers 413, one that arrives too slowly 408, both in the REST
//! API's JSON shape. Handlers (and server functions, which read bodies themselves) then get the
//! whole body from memory.

use std::time::Duration;

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use http::header::CONTENT_LENGTH;

/// The largest request body Meet reads.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// How long a client may take to send its body.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// Middleware reading the body within [`MAX_BODY_BYTES`] and [`BODY_TIMEOUT`].
pub async fn read_within_limits(request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        return too_large();
    }
    // Most requests (GET) have no body: nothing to read, nothing to wait for.
    if http_body::Body::is_end_stream(request.body()) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match tokio::time::timeout(BODY_TIMEOUT, to_bytes(body, MAX_BODY_BYTES)).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(error)) => {
            let too_big = std::iter::successors(
                Some(&error as &(dyn std::error::Error + 'static)),
                |error| error.source(),
            )
            .any(|cause| cause.is::<http_body_util::LengthLimitError>());
            if too_big {
                return too_large();
            }
            tracing::debug!(%error, "cannot read a request body");
            return detail(
                StatusCode::BAD_REQUEST,
                "The request body could not be read.",
            );
        }
        Err(_) => {
            return detail(
                StatusCode::REQUEST_TIMEOUT,
                "The request body took too long to arrive.",
            );
        }
    };
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn too_large() -> Response {
    detail(
        StatusCode::PAYLOAD_TOO_LARGE,
        "The request body is too large.",
    )
}

fn detail(status: StatusCode, detail: &str) -> Response {
    (status, axum::Json(serde_json::json!({ "detail": detail }))).into_response()
}
