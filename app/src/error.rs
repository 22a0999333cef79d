//! The errors server functions send to the browser: kinds the UI can tell apart ("not found" is
//! not "server down"), with messages for people, and the HTTP status each answers with (set by the
//! server from [`AppError::status`], which is its [`ErrorKind`]'s). Causes stay in the server
//! log: a server function answering a domain error goes through
//! [`answer`](crate::api::context::answer), which logs them.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use meet_types::ErrorKind;
use serde::{Deserialize, Serialize};

/// What went wrong, as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Logging in is needed first.
    #[error("You need to log in to do this.")]
    Unauthenticated,
    /// Not allowed, with the reason.
    #[error("{0}")]
    Forbidden(String),
    /// No such meeting.
    #[error("This meeting does not exist.")]
    NotFound,
    /// The participant acted on is not connected to the meeting.
    #[error("You are not connected to this meeting.")]
    NotInMeeting,
    /// The participant (or track) acted on is not there, with which.
    #[error("{0}")]
    Missing(String),
    /// The input is wrong, with what to fix.
    #[error("{0}")]
    Invalid(String),
    /// The request clashes with what exists, with what to do.
    #[error("{0}")]
    Conflict(String),
    /// Too many requests in a short time; the message says when to try again.
    #[error("{0}")]
    TooManyRequests(String),
    /// Our side failed; the cause is logged.
    #[error("Something went wrong on our side. Try again in a moment.")]
    Internal,
    /// A system Meet depends on (the media server) failed; the cause is logged.
    #[error("The meeting service is not answering. Try again in a moment.")]
    Upstream,
    /// A system Meet depends on failed, with what it means for the user; the cause is logged.
    #[error("{0}")]
    Unavailable(String),
    /// The server could not be reached or did not answer properly.
    #[error("Meet could not be reached ({0}). Check your connection and try again.")]
    Transport(String),
}

impl AppError {
    /// The kind of failure, which decides the status.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Invalid(_) => ErrorKind::Invalid,
            Self::Unauthenticated => ErrorKind::Unauthenticated,
            Self::Forbidden(_) => ErrorKind::Forbidden,
            Self::NotFound | Self::NotInMeeting | Self::Missing(_) => ErrorKind::NotFound,
            Self::Conflict(_) => ErrorKind::Conflict,
            Self::TooManyRequests(_) => ErrorKind::TooManyRequests,
            Self::Upstream | Self::Unavailable(_) => ErrorKind::Upstream,
            Self::Internal | Self::Transport(_) => ErrorKind::Internal,
        }
    }

    /// The HTTP status a server function answers this error with.
    pub fn status(&self) -> u16 {
        self.kind().status()
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(error: ServerFnErrorErr) -> Self {
        match error {
            // On the server, these are the request's fault: its arguments could not be read.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_)
                if cfg!(feature = "ssr") =>
            {
                Self::Invalid("The request could not be read.".to_owned())
            }
            other => Self::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// What the browser is told of a domain error (its cause, if any, is for the log: see
    /// [`answer`](crate::api::context::answer)).
    pub fn from_domain(error: &meet_domain::DomainError) -> Self {
        use meet_domain::DomainError;
        match error {
            DomainError::NotFound => Self::NotFound,
            DomainError::NotInMeeting => Self::NotInMeeting,
            DomainError::Unauthenticated | DomainError::InvalidToken => Self::Unauthenticated,
            DomainError::Forbidden(message) => Self::Forbidden(message.clone()),
            DomainError::Invalid(errors) => Self::Invalid(errors.summary()),
            DomainError::Conflict(errors) => Self::Conflict(errors.summary()),
            DomainError::LastOwner => Self::Conflict(DomainError::LAST_OWNER_MESSAGE.to_owned()),
            DomainError::TooManyRequests { retry_after } => {
                Self::TooManyRequests(DomainError::too_many_requests_message(*retry_after))
            }
            DomainError::LiveKit(_) => Self::Upstream,
            DomainError::Token(_) | DomainError::Store(_) => Self::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_its_status() {
        assert_eq!(AppError::Invalid("x".into()).status(), 400);
        assert_eq!(AppError::Unauthenticated.status(), 401);
        assert_eq!(AppError::NotFound.status(), 404);
        assert_eq!(AppError::NotInMeeting.status(), 404);
        assert_eq!(AppError::Missing("x".into()).status(), 404);
        assert_eq!(AppError::TooManyRequests("x".into()).status(), 429);
        assert_eq!(AppError::Internal.status(), 500);
        assert_eq!(AppError::Upstream.status(), 502);
        assert_eq!(AppError::Conflict("x".into()).status(), 409);
    }
}
