//! REST errors: JSON `{"detail": …}` with the right status, worded like La Suite Meet's
//! (Django REST framework) so its clients recognise them. Causes are logged where they are
//! handled, never sent.

use axum::Json;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use http::header::WWW_AUTHENTICATE;

/// An error answer of the REST API.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 401: the request needs a logged-in user.
    #[error("Authentication credentials were not provided.")]
    Unauthenticated,
    /// 403: logged in, but not allowed.
    #[error("You do not have permission to perform this action.")]
    PermissionDenied,
    /// 404.
    #[error("Not found.")]
    NotFound,
    /// 500: the cause is in the server log.
    #[error("A server error occurred.")]
    Internal,
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            Self::Unauthenticated => StatusCode::UNAUTHORIZED,
            Self::PermissionDenied => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Json(serde_json::json!({ "detail": self.to_string() }));
        let mut response = (self.status(), body).into_response();
        if matches!(self, Self::Unauthenticated) {
            // As La Suite Meet: 401 rather than 403, which its front end uses for silent login.
            response
                .headers_mut()
                .insert(WWW_AUTHENTICATE, http::HeaderValue::from_static("Session"));
        }
        response
    }
}
