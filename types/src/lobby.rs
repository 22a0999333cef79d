//! The lobby as both sides see it: where someone who asked to enter a room stands, and the people
//! its hosts see waiting. Shaped as La Suite Meet's `request-entry` and `waiting-participants`
//! answers.

use serde::{Deserialize, Serialize};

/// Where someone who asked to enter stands.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LobbyStatus {
    /// A host has not decided yet.
    Waiting,
    /// A host let them in (or they may enter directly).
    Accepted,
    /// A host refused them; they may ask again a few seconds later.
    Denied,
}

impl LobbyStatus {
    pub const ALL: [Self; 3] = [Self::Waiting, Self::Accepted, Self::Denied];

    /// The stored and transmitted name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Accepted => "accepted",
            Self::Denied => "denied",
        }
    }

    /// The status named `name`.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == name)
    }
}

/// Someone in a room's lobby.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LobbyParticipant {
    pub status: LobbyStatus,
    /// The name they gave.
    pub username: String,
    /// Their lobby id (a UUID): what a host admits or refuses, and a guest's LiveKit identity.
    pub id: String,
    /// Their colour in the meeting (a CSS colour).
    pub color: String,
}

/// The type of the data message a LiveKit room receives when someone starts waiting in its
/// lobby (La Suite Meet's `LOBBY_NOTIFICATION_TYPE`).
pub const PARTICIPANT_WAITING: &str = "participantWaiting";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip() {
        for status in LobbyStatus::ALL {
            assert_eq!(LobbyStatus::parse(status.as_str()), Some(status));
            let json = serde_json::to_string(&status).expect("serialize");
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
        assert_eq!(LobbyStatus::parse("unknown"), None);
    }
}
