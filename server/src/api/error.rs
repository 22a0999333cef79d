//! REST errors: JSON with a `detail` and the right status, worded like La Suite Meet's (Django
//! REST framework) so its clients recognise them; input errors also name each field
//! (`{"detail": …, "name": ["…"]}`). The status is the [`ErrorKind`]'s. Causes travel with the
//! error and are logged where it is answered ([`IntoResponse`]), never sent.

use axum::Json;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use http::header::WWW_AUTHENTICATE;
use meet_domain::StoreError;
use meet_domain::moderation::ModerationError;
use meet_domain::{DomainError, FieldErrors};
use meet_types::ErrorKind;
use serde::Serialize;
use utoipa::ToSchema;

/// An error answer of the REST API.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 401: the request needs a logged-in user.
    #[error("Authentication credentials were not provided.")]
    Unauthenticated,
    /// 401 on the endpoints participants authenticate with their LiveKit token: the token is
    /// missing, not a `Bearer` token, or invalid (the challenge is `Bearer`).
    #[error("{0}")]
    BadToken(&'static str),
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
    /// 500: Meet's own failure, with its cause for the log (none when already logged).
    #[error("A server error occurred.")]
    Internal(Option<Box<DomainError>>),
    /// 502: the media server failed, with the cause for the log.
    #[error("The meeting service is unavailable. Try again in a moment.")]
    Upstream(Box<DomainError>),
    /// An answer of this kind, with this message (its cause, if any, already logged).
    #[error("{1}")]
    Answer(ErrorKind, String),
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

/// In the OpenAPI document: what every endpoint that reads a JSON body may answer besides its own
/// answers (`responses((status = 200, …), BodyErrors)`).
#[derive(utoipa::IntoResponses)]
pub enum BodyErrors {
    /// Invalid input, by field
    #[response(status = 400)]
    Invalid(ErrorBody),
    /// Not logged in
    #[response(status = 401)]
    Unauthenticated(ErrorBody),
    /// The body is too large
    #[response(status = 413)]
    TooLarge(ErrorBody),
    /// The body is not JSON
    #[response(status = 415)]
    NotJson(ErrorBody),
}

/// In the OpenAPI document: what an endpoint a participant calls with their LiveKit token may
/// answer besides 200 (`responses((status = 200, …), ParticipantErrors)`).
#[derive(utoipa::IntoResponses)]
pub enum ParticipantErrors {
    /// Invalid input, by field
    #[response(status = 400)]
    Invalid(ErrorBody),
    /// No valid LiveKit token
    #[response(status = 401)]
    Unauthenticated(ErrorBody),
    /// The token is for another room, or not to join one
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// No such room, or the participant is not connected to it
    #[response(status = 404)]
    NotFound(ErrorBody),
    /// The body is too large
    #[response(status = 413)]
    TooLarge(ErrorBody),
    /// The body is not JSON
    #[response(status = 415)]
    NotJson(ErrorBody),
    /// LiveKit failed
    #[response(status = 502)]
    Upstream(ErrorBody),
}

/// In the OpenAPI document: what a host's control over another participant may answer besides
/// its own answers (`responses((status = 200, …), ModerationErrors)`).
#[derive(utoipa::IntoResponses)]
pub enum ModerationErrors {
    /// Invalid input, by field
    #[response(status = 400)]
    Invalid(ErrorBody),
    /// Not logged in (or, where a LiveKit token is accepted, no valid token)
    #[response(status = 401)]
    Unauthenticated(ErrorBody),
    /// Not allowed to moderate this meeting
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// No such room, or the participant (or track) is not in the meeting
    #[response(status = 404)]
    NotFound(ErrorBody),
    /// The body is too large
    #[response(status = 413)]
    TooLarge(ErrorBody),
    /// The body is not JSON
    #[response(status = 415)]
    NotJson(ErrorBody),
    /// LiveKit failed; nothing was changed
    #[response(status = 502)]
    Upstream(ErrorBody),
}

impl ApiError {
    /// The kind of failure, which decides the status.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Unauthenticated | Self::BadToken(_) => ErrorKind::Unauthenticated,
            Self::Forbidden(_) => ErrorKind::Forbidden,
            Self::NotFound | Self::NotFoundWith(_) => ErrorKind::NotFound,
            Self::Invalid(_) | Self::BadRequest(_) => ErrorKind::Invalid,
            Self::MethodNotAllowed(_) => ErrorKind::MethodNotAllowed,
            Self::Conflict(_) | Self::ConflictWith(_) => ErrorKind::Conflict,
            Self::PayloadTooLarge => ErrorKind::PayloadTooLarge,
            Self::UnsupportedMediaType(_) => ErrorKind::UnsupportedMediaType,
            Self::TooManyRequests(_) => ErrorKind::TooManyRequests,
            Self::Internal(_) => ErrorKind::Internal,
            Self::Upstream(_) => ErrorKind::Upstream,
            Self::Answer(kind, _) => *kind,
        }
    }

    fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.kind().status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// A 500 whose cause has been logged already.
    pub fn internal() -> Self {
        Self::Internal(None)
    }

    /// The generic 403.
    pub fn permission_denied() -> Self {
        Self::Forbidden("You do not have permission to perform this action.".to_owned())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(Some(cause)) | Self::Upstream(cause) = &self {
            cause.log_cause();
        }
        let status = self.status();
        let detail = self.to_string();
        let retry_after = match &self {
            Self::TooManyRequests(seconds) => Some(*seconds),
            _ => None,
        };
        // As La Suite Meet: 401 rather than 403 for the session, which its front end uses for
        // silent login; the LiveKit-token endpoints name their own scheme.
        let challenge = match &self {
            Self::BadToken(_) => "Bearer",
            _ => "Session",
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
            response
                .headers_mut()
                .insert(WWW_AUTHENTICATE, http::HeaderValue::from_static(challenge));
        }
        response
    }
}

impl From<DomainError> for ApiError {
    fn from(error: DomainError) -> Self {
        match error {
            DomainError::NotFound => Self::NotFound,
            DomainError::NotInMeeting => Self::NotFoundWith(DomainError::NOT_IN_MEETING_MESSAGE),
            DomainError::Unauthenticated => Self::Unauthenticated,
            DomainError::InvalidToken => Self::BadToken(DomainError::INVALID_TOKEN_MESSAGE),
            DomainError::Forbidden(message) => Self::Forbidden(message),
            DomainError::Invalid(errors) => Self::Invalid(errors),
            DomainError::Conflict(errors) => Self::Conflict(errors),
            DomainError::LastOwner => Self::ConflictWith(DomainError::LAST_OWNER_MESSAGE),
            DomainError::TooManyRequests { retry_after } => Self::TooManyRequests(
                retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0),
            ),
            upstream @ DomainError::LiveKit(_) => Self::Upstream(Box::new(upstream)),
            internal @ (DomainError::Token(_) | DomainError::Store(_)) => {
                Self::Internal(Some(Box::new(internal)))
            }
        }
    }
}

impl From<ModerationError> for ApiError {
    fn from(error: ModerationError) -> Self {
        match error {
            ModerationError::Domain(error) => error.into(),
            ModerationError::Missing(message) => Self::NotFoundWith(message),
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

#[cfg(test)]
mod tests {
    use super::*;
    use meet_domain::livekit::rooms::LiveKitError;

    async fn answered(error: ApiError) -> (StatusCode, serde_json::Value) {
        let response = error.into_response();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 4096)
            .await
            .expect("body");
        (status, serde_json::from_slice(&body).expect("JSON"))
    }

    #[tokio::test]
    async fn each_domain_failure_has_its_status_and_no_cause_is_sent() {
        let refused = LiveKitError::Refused {
            code: "permission_denied".to_owned(),
            message: "secret detail".to_owned(),
        };
        let cases = [
            (DomainError::LiveKit(refused), 502),
            (DomainError::Store(StoreError::NotFound), 500),
            (DomainError::LastOwner, 409),
            (
                DomainError::TooManyRequests {
                    retry_after: std::time::Duration::from_millis(1500),
                },
                429,
            ),
            (DomainError::Unauthenticated, 401),
            (DomainError::InvalidToken, 401),
            (DomainError::NotInMeeting, 404),
        ];
        for (error, status) in cases {
            let kind = error.kind();
            let (answered_status, body) = answered(ApiError::from(error)).await;
            assert_eq!(answered_status.as_u16(), status, "{body}");
            assert_eq!(kind.status(), status);
            assert!(!body.to_string().contains("secret detail"), "{body}");
        }
    }
}
