//! REST errors: JSON with a `detail` and the right status, worded like La Suite Meet's (Django
//! REST framework) so its clients recognise them; input errors also name each field
//! (`{"detail": …, "name": ["…"]}`). Causes are logged where they are handled, never sent.

use axum::Json;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use http::header::WWW_AUTHENTICATE;
use meet_domain::StoreError;
use meet_domain::{DomainError, FieldErrors};
use serde::Serialize;
use utoipa::ToSchema;

/// An error answer of the REST API.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 401: the request needs a logged-in user.
    #[error("Authentication credentials were not provided.")]
    Unauthenticated,
    /// 403, with the reason.
    #[error("{0}")]
    Forbidden(String),
    /// 404.
    #[error("Not found.")]
    NotFound,
    /// 404 with a specific reason ("Invalid page.").
    #[error("{0}")]
    NotFoundWith(&'static str),
    /// 400: the input is wrong, field by field.
    #[error("{}", .0.summary())]
    Invalid(FieldErrors),
    /// 400: the input is wrong as a whole.
    #[error("{0}")]
    BadRequest(String),
    /// 405: the path exists, not with this method.
    #[error("Method \"{0}\" not allowed.")]
    MethodNotAllowed(String),
    /// 409: the input clashes with what exists, field by field.
    #[error("{}", .0.summary())]
    Conflict(FieldErrors),
    /// 409: the change would break a rule about what exists.
    #[error("{0}")]
    ConflictWith(&'static str),
    /// 413: the body is larger than any request needs.
    #[error("The request body is too large.")]
    PayloadTooLarge,
    /// 415: the body is not JSON.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 429: too many requests of this kind; try again after the given number of seconds.
    #[error("Request was throttled. Expected available in {0} seconds.")]
    TooManyRequests(u64),
    /// 500: the cause is in the server log.
    #[error("A server error occurred.")]
    Internal,
}

/// The body of every error: `detail`, plus one list of messages per wrong field.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong, for people.
    pub detail: String,
    /// Messages per field, for input errors.
    #[serde(flatten)]
    #[schema(ignore)]
    pub fields: std::collections::BTreeMap<String, Vec<String>>,
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            Self::Unauthenticated => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound | Self::NotFoundWith(_) => StatusCode::NOT_FOUND,
            Self::Invalid(_) | Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict(_) | Self::ConflictWith(_) => StatusCode::CONFLICT,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The generic 403.
    pub fn permission_denied() -> Self {
        Self::Forbidden("You do not have permission to perform this action.".to_owned())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let detail = self.to_string();
        let retry_after = match &self {
            Self::TooManyRequests(seconds) => Some(*seconds),
            _ => None,
        };
        let fields = match self {
            Self::Invalid(errors) | Self::Conflict(errors) => errors.0,
            _ => Default::default(),
        };
        let mut response = (status, Json(ErrorBody { detail, fields })).into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(http::header::RETRY_AFTER, http::HeaderValue::from(seconds));
        }
        if status == StatusCode::UNAUTHORIZED {
            // As La Suite Meet: 401 rather than 403, which its front end uses for silent login.
            response
                .headers_mut()
                .insert(WWW_AUTHENTICATE, http::HeaderValue::from_static("Session"));
        }
        response
    }
}

impl From<DomainError> for ApiError {
    fn from(error: DomainError) -> Self {
        match error {
            DomainError::NotFound => Self::NotFound,
            DomainError::Unauthenticated => Self::Unauthenticated,
            DomainError::Forbidden(message) => Self::Forbidden(message),
            DomainError::Invalid(errors) => Self::Invalid(errors),
            DomainError::Conflict(errors) => Self::Conflict(errors),
            DomainError::LastOwner => Self::ConflictWith(DomainError::LAST_OWNER_MESSAGE),
            DomainError::TooManyRequests { retry_after } => Self::TooManyRequests(
                retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0),
            ),
            internal @ (DomainError::Token(_) | DomainError::Store(_)) => {
                internal.log_internal();
                Self::Internal
            }
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        DomainError::from(error).into()
    }
}

impl From<FieldErrors> for ApiError {
    fn from(errors: FieldErrors) -> Self {
        Self::Invalid(errors)
    }
}
