//! The errors server functions send to the browser: kinds the UI can tell apart ("not found" is
//! not "server down"), with messages for people. Causes stay in the server log.

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
    /// Our side failed; the cause is logged.
    #[error("Something went wrong on our side. Try again in a moment.")]
    Internal,
    /// The server could not be reached or did not answer properly.
    #[error("Meet could not be reached ({0}). Check your connection and try again.")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(error: ServerFnErrorErr) -> Self {
        Self::Transport(error.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<meet_domain::rooms::RoomError> for AppError {
    fn from(error: meet_domain::rooms::RoomError) -> Self {
        use meet_domain::rooms::RoomError;
        match error {
            RoomError::NotFound => Self::NotFound,
            RoomError::Unauthenticated => Self::Unauthenticated,
            RoomError::Forbidden(message) => Self::Forbidden(message),
            RoomError::Invalid(errors) => Self::Invalid(errors.summary()),
            RoomError::LastOwner => Self::Invalid(RoomError::LAST_OWNER_MESSAGE.to_owned()),
            internal @ (RoomError::Token(_) | RoomError::Store(_)) => {
                internal.log_internal();
                Self::Internal
            }
        }
    }
}
