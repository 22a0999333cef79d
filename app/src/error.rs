//! The errors server functions send to the browser: kinds the UI can tell apart ("not found" is
//! not "server down"), with messages for people, and the HTTP status each answers with (set by the
//! server from [`AppError::status`]). Causes stay in the server log.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
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
    /// The server could not be reached or did not answer properly.
    #[error("Meet could not be reached ({0}). Check your connection and try again.")]
    Transport(String),
}

impl AppError {
    /// The HTTP status a server function answers this error with.
    pub fn status(&self) -> u16 {
        match self {
            Self::Invalid(_) => 400,
            Self::Unauthenticated => 401,
            Self::Forbidden(_) => 403,
            Self::NotFound => 404,
            Self::Conflict(_) => 409,
            Self::TooManyRequests(_) => 429,
            Self::Internal | Self::Transport(_) => 500,
        }
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
impl From<meet_domain::DomainError> for AppError {
    fn from(error: meet_domain::DomainError) -> Self {
        use meet_domain::DomainError;
        match error {
            DomainError::NotFound => Self::NotFound,
            DomainError::Unauthenticated => Self::Unauthenticated,
            DomainError::Forbidden(message) => Self::Forbidden(message),
            DomainError::Invalid(errors) => Self::Invalid(errors.summary()),
            DomainError::Conflict(errors) => Self::Conflict(errors.summary()),
            DomainError::LastOwner => Self::Conflict(DomainError::LAST_OWNER_MESSAGE.to_owned()),
            DomainError::TooManyRequests { retry_after } => {
                Self::TooManyRequests(DomainError::too_many_requests_message(retry_after))
            }
            internal @ (DomainError::Token(_) | DomainError::Store(_)) => {
                internal.log_internal();
                Self::Internal
            }
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
        assert_eq!(AppError::TooManyRequests("x".into()).status(), 429);
        assert_eq!(AppError::Internal.status(), 500);
    }
}
