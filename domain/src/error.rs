//! Why the domain refused a request: one error for every operation, with the input problems by
//! field, what clashed with what exists, and the causes that are Meet's own.

use std::collections::BTreeMap;

use meet_types::ErrorKind;

use crate::store::StoreError;

/// The name a JSON value's type goes by in error messages, as Django REST framework's (the
/// Python type): `dict`, `list`, `str`, `number`, `bool`, `null`.
pub fn json_kind(value: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

/// Input problems, by field, each with messages a person can act on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub BTreeMap<String, Vec<String>>);

impl FieldErrors {
    /// One problem with one field.
    pub fn one(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::default();
        errors.add(field, message);
        errors
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_owned())
            .or_default()
            .push(message.into());
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// All problems in one sentence, for a `detail` or a log line.
    pub fn summary(&self) -> String {
        self.0
            .iter()
            .map(|(field, messages)| format!("{field}: {}", messages.join(" ")))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// `Err(self)` when there is any problem.
    pub fn into_result(self) -> Result<(), Self> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

/// Why a request was refused.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// No such room (or access), or the requester may not know it exists.
    #[error("not found")]
    NotFound,
    /// The operation needs a logged-in user.
    #[error("authentication required")]
    Unauthenticated,
    /// The LiveKit access token a request authenticates with is malformed, badly signed, expired,
    /// issued by another key, or names no participant.
    #[error("invalid LiveKit token")]
    InvalidToken,
    /// Logged in, but not allowed; the message says why.
    #[error("{0}")]
    Forbidden(String),
    /// The participant a request acts on is not connected to the meeting on LiveKit.
    #[error("participant not in the meeting")]
    NotInMeeting,
    /// The input is wrong.
    #[error("invalid input: {}", .0.summary())]
    Invalid(FieldErrors),
    /// The input is fine but clashes with what exists (an address another room has, a role the
    /// user already holds), by field.
    #[error("conflict: {}", .0.summary())]
    Conflict(FieldErrors),
    /// The change would leave a room without an owner.
    #[error("a room must keep at least one owner")]
    LastOwner,
    /// Too many requests of this kind in a short time; one more is allowed after `retry_after`.
    #[error("too many requests; retry after {retry_after:?}")]
    TooManyRequests { retry_after: std::time::Duration },
    /// Signing the LiveKit token failed (a misconfigured key or secret).
    #[error("cannot sign the LiveKit token: {0}")]
    Token(#[from] livekit_api::access_token::AccessTokenError),
    /// The LiveKit server failed or refused what Meet asked of it.
    #[error(transparent)]
    LiveKit(#[from] crate::livekit::rooms::LiveKitError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl DomainError {
    /// What the requester reads for [`DomainError::LastOwner`].
    pub const LAST_OWNER_MESSAGE: &'static str = "A room must keep at least one owner.";

    /// What the requester reads for [`DomainError::InvalidToken`].
    pub const INVALID_TOKEN_MESSAGE: &'static str = "Invalid LiveKit token.";

    /// What the requester reads for [`DomainError::NotInMeeting`].
    pub const NOT_IN_MEETING_MESSAGE: &'static str =
        "Participant not found: you are not connected to this meeting.";

    /// What the requester reads for [`DomainError::TooManyRequests`].
    pub fn too_many_requests_message(retry_after: std::time::Duration) -> String {
        let seconds = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
        format!("Too many requests. Try again in {seconds} s.")
    }

    /// The kind of failure this is, for whichever edge answers it: the one place domain errors
    /// are sorted.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::NotFound | Self::NotInMeeting => ErrorKind::NotFound,
            Self::Unauthenticated | Self::InvalidToken => ErrorKind::Unauthenticated,
            Self::Forbidden(_) => ErrorKind::Forbidden,
            Self::Invalid(_) => ErrorKind::Invalid,
            Self::Conflict(_) | Self::LastOwner => ErrorKind::Conflict,
            Self::TooManyRequests { .. } => ErrorKind::TooManyRequests,
            Self::LiveKit(_) => ErrorKind::Upstream,
            Self::Token(_) | Self::Store(_) => ErrorKind::Internal,
        }
    }

    /// Logs the cause of a failure that is Meet's or LiveKit's rather than the request's (the
    /// requester is not shown it). Called by the edge that answers the error, once.
    pub fn log_cause(&self) {
        match self {
            Self::Token(cause) => tracing::error!(
                %cause,
                "cannot sign a LiveKit token: check LIVEKIT_API_KEY and LIVEKIT_API_SECRET"
            ),
            Self::Store(cause) => tracing::error!(%cause, "database error"),
            Self::LiveKit(cause) => tracing::warn!(%cause, "LiveKit failed"),
            Self::NotFound
            | Self::NotInMeeting
            | Self::Unauthenticated
            | Self::InvalidToken
            | Self::Forbidden(_)
            | Self::Invalid(_)
            | Self::Conflict(_)
            | Self::TooManyRequests { .. }
            | Self::LastOwner => {}
        }
    }
}

impl From<FieldErrors> for DomainError {
    fn from(errors: FieldErrors) -> Self {
        Self::Invalid(errors)
    }
}
