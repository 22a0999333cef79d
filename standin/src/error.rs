//! Errors: the ones the stand-in's Rust API returns to a test, and the Twirp error it answers on
//! the wire.

use std::collections::BTreeMap;

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::Serialize;

/// The prefix the real server (v1.11) puts before the message of errors raised inside a service
/// method, for example `twirp error unknown: requested room does not exist`.
const SERVICE_ERROR_PREFIX: &str = "twirp error unknown: ";

/// Why the stand-in could not start.
#[derive(Debug, thiserror::Error)]
pub enum StandInError {
    /// The listening socket could not be bound or inspected.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: std::net::SocketAddr,
        /// The operating system's error.
        source: std::io::Error,
    },
}

/// A failed operation on the stand-in's rooms, participants or tracks.
///
/// Returned by the test-facing methods of [`crate::StandIn`]; on the wire each variant becomes the
/// Twirp error the real server answers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StateError {
    /// No room has that name.
    #[error("requested room does not exist")]
    RoomNotFound,
    /// The room has no participant with that identity.
    #[error("participant does not exist")]
    ParticipantNotFound,
    /// The participant has published no track with that sid.
    #[error("track is not found")]
    TrackNotFound,
    /// The call went to the node that should host the participant, and none answered: what
    /// MutePublishedTrack answers for a participant who is not in the room (observed on LiveKit
    /// 1.11, after about 3 s; the stand-in answers at once).
    #[error("no response from servers")]
    NoResponse,
    /// MutePublishedTrack asked to unmute while remote unmute is off (the server's default).
    #[error("remote unmute not enabled")]
    RemoteUnmuteDisabled,
    /// The request is not acceptable, for example a room without a name.
    #[error("{0}")]
    InvalidArgument(String),
    /// No egress has that id.
    #[error("egress does not exist")]
    EgressNotFound,
    /// The egress is not in a state that allows the call (stopping a finished egress).
    #[error("{0}")]
    FailedPrecondition(String),
}

/// A Twirp error response: an HTTP status and the JSON body `{"code","msg","meta"?}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct TwirpError {
    #[serde(skip)]
    pub(crate) status: StatusCode,
    pub(crate) code: String,
    pub(crate) msg: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) meta: BTreeMap<String, String>,
}

impl TwirpError {
    /// An error with the given HTTP status, Twirp code and message. An invalid status becomes 500.
    pub(crate) fn new(status: u16, code: &str, msg: impl Into<String>) -> Self {
        Self {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            code: code.to_owned(),
            msg: msg.into(),
            meta: BTreeMap::new(),
        }
    }

    /// 404 `bad_route`, naming the route the way Twirp does in `meta.twirp_invalid_route`.
    pub(crate) fn bad_route(msg: String, http_method: &str, path: &str) -> Self {
        let mut error = Self::new(404, "bad_route", msg);
        error.meta.insert(
            "twirp_invalid_route".to_owned(),
            format!("{http_method} {path}"),
        );
        error
    }

    /// 400 `malformed`: the body does not decode in the announced encoding.
    pub(crate) fn malformed(encoding: &str) -> Self {
        Self::new(
            400,
            "malformed",
            format!("the {encoding} request could not be decoded"),
        )
    }

    /// 401 `unauthenticated` "permissions denied": no token, or a token without the grant.
    pub(crate) fn permission_denied() -> Self {
        Self::new(401, "unauthenticated", "permissions denied")
    }

    /// 503 `unavailable` "no response from servers", what the server answers when the node that
    /// should handle the call does not reply.
    pub(crate) fn unavailable() -> Self {
        Self::new(
            503,
            "unavailable",
            format!("{SERVICE_ERROR_PREFIX}no response from servers"),
        )
    }
}

impl From<StateError> for TwirpError {
    fn from(error: StateError) -> Self {
        let (status, code) = match error {
            StateError::RoomNotFound
            | StateError::ParticipantNotFound
            | StateError::TrackNotFound
            | StateError::EgressNotFound => (404, "not_found"),
            StateError::FailedPrecondition(_) => (412, "failed_precondition"),
            StateError::RemoteUnmuteDisabled => (412, "failed_precondition"),
            StateError::NoResponse => (503, "unavailable"),
            StateError::InvalidArgument(_) => (400, "invalid_argument"),
        };
        Self::new(status, code, format!("{SERVICE_ERROR_PREFIX}{error}"))
    }
}

impl IntoResponse for TwirpError {
    fn into_response(self) -> Response {
        (self.status, Json(&self)).into_response()
    }
}
