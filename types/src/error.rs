//! The kinds of failure Meet answers with, whatever the edge (the REST API or the UI's server
//! functions): each has one HTTP status, decided here and nowhere else.

use serde::{Deserialize, Serialize};

/// What kind of failure an answer reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ErrorKind {
    /// The input is wrong (400).
    Invalid,
    /// Logging in is needed first (401).
    Unauthenticated,
    /// Not allowed (403).
    Forbidden,
    /// No such thing, or not for the requester to know of (404).
    NotFound,
    /// The path exists, not with this method (405).
    MethodNotAllowed,
    /// The request clashes with what exists (409).
    Conflict,
    /// The body is larger than any request needs (413).
    PayloadTooLarge,
    /// The body is not in a format Meet reads (415).
    UnsupportedMediaType,
    /// Too many requests in a short time (429).
    TooManyRequests,
    /// Meet's own failure; the cause is in its log (500).
    Internal,
    /// A system Meet depends on (LiveKit, the identity provider) failed (502).
    Upstream,
}

impl ErrorKind {
    /// The HTTP status of an answer of this kind.
    pub fn status(self) -> u16 {
        match self {
            Self::Invalid => 400,
            Self::Unauthenticated => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::Conflict => 409,
            Self::PayloadTooLarge => 413,
            Self::UnsupportedMediaType => 415,
            Self::TooManyRequests => 429,
            Self::Internal => 500,
            Self::Upstream => 502,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_its_own_status() {
        let kinds = [
            ErrorKind::Invalid,
            ErrorKind::Unauthenticated,
            ErrorKind::Forbidden,
            ErrorKind::NotFound,
            ErrorKind::MethodNotAllowed,
            ErrorKind::Conflict,
            ErrorKind::PayloadTooLarge,
            ErrorKind::UnsupportedMediaType,
            ErrorKind::TooManyRequests,
            ErrorKind::Internal,
            ErrorKind::Upstream,
        ];
        let statuses: std::collections::BTreeSet<u16> =
            kinds.iter().map(|kind| kind.status()).collect();
        assert_eq!(statuses.len(), kinds.len());
        assert_eq!(ErrorKind::Conflict.status(), 409);
        assert_eq!(ErrorKind::TooManyRequests.status(), 429);
        assert_eq!(ErrorKind::Upstream.status(), 502);
    }
}
