//! Feedback after a call: why the call ended, as the meeting page tells the page after the call
//! (and the database keeps it), and the bounds of what people write there.

use serde::{Deserialize, Serialize};

/// The longest comment, in characters once trimmed.
pub const MAX_COMMENT_CHARS: usize = 2000;

/// Why the call ended, as the meeting page tells the feedback page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// The participant left.
    Left,
    /// An administrator removed them.
    Removed,
    /// They joined again elsewhere with the same identity, which ended this connection.
    DuplicateIdentity,
    /// The meeting was deleted.
    RoomDeleted,
    /// The connection was lost and did not come back.
    ConnectionLost,
    /// The media server could not be reached.
    Unreachable,
}

impl EndReason {
    /// Every reason.
    pub const ALL: [Self; 6] = [
        Self::Left,
        Self::Removed,
        Self::DuplicateIdentity,
        Self::RoomDeleted,
        Self::ConnectionLost,
        Self::Unreachable,
    ];

    /// The reason as stored and sent: `left`, `removed`, `duplicate_identity`, `room_deleted`,
    /// `connection_lost` or `unreachable`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Left => "left",
            Self::Removed => "removed",
            Self::DuplicateIdentity => "duplicate_identity",
            Self::RoomDeleted => "room_deleted",
            Self::ConnectionLost => "connection_lost",
            Self::Unreachable => "unreachable",
        }
    }

    /// The reason `text` names, if any.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|reason| reason.as_str() == text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_round_trip_by_name() {
        for reason in EndReason::ALL {
            assert_eq!(EndReason::parse(reason.as_str()), Some(reason));
            let json = serde_json::to_string(&reason).expect("serialises");
            assert_eq!(json, format!("\"{}\"", reason.as_str()));
        }
        assert_eq!(EndReason::parse("bored"), None);
    }
}
