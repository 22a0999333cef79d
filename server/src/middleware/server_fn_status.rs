//! Server functions answer their errors with the status the error means (400 for bad input,
//! 404, 429…), not always 500: the error's kind ([`AppError::status`]) decides, in this one place.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::StatusCode;
use meet_app::error::AppError;

/// The header server functions put on an error answer.
const SERVER_FN_ERROR: &str = "serverfnerror";
/// Server-function errors are small; anything larger is left alone.
const MAX_ERROR_BYTES: usize = 16 * 1024;

/// Middleware setting the status of server functions' error answers.
pub async fn set_error_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BYTES).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes)
        && let Ok(status) = StatusCode::from_u16(error.status())
    {
        parts.status = status;
    }
    Response::from_parts(parts, Body::from(bytes))
}
