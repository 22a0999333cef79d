//! Rooms as both sides see them: who may enter (access levels), who may manage (roles), what
//! participants may publish (the room configuration), and what the meeting page needs.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Who may enter a room without waiting in the lobby.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccessLevel {
    /// Anyone with the link.
    Public,
    /// Anyone logged in; guests wait for a host.
    Trusted,
    /// Only people with a role in the room; everyone else waits for a host.
    Restricted,
}

impl AccessLevel {
    pub const ALL: [Self; 3] = [Self::Public, Self::Trusted, Self::Restricted];

    /// The stored and transmitted name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Trusted => "trusted",
            Self::Restricted => "restricted",
        }
    }

    /// The level named `name`.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|level| level.as_str() == name)
    }

    /// A short description for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Public => "Open: anyone with the link joins directly",
            Self::Trusted => "Logged-in people join directly; guests wait to be let in",
            Self::Restricted => "Only invited members join directly; others wait to be let in",
        }
    }
}

impl AccessLevel {
    /// A few words for lists: who joins directly.
    pub fn short_label(self) -> &'static str {
        match self {
            Self::Public => "Open to anyone",
            Self::Trusted => "Logged-in people",
            Self::Restricted => "Members only",
        }
    }
}

impl fmt::Display for AccessLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for AccessLevel {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value).ok_or_else(|| format!("\"{value}\" is not a valid choice."))
    }
}

/// A person's role in a room.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Member,
    Administrator,
    Owner,
}

impl Role {
    pub const ALL: [Self; 3] = [Self::Member, Self::Administrator, Self::Owner];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Administrator => "administrator",
            Self::Owner => "owner",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == name)
    }

    /// Administrators and owners manage the room.
    pub fn is_admin_or_owner(self) -> bool {
        matches!(self, Self::Administrator | Self::Owner)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for Role {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value).ok_or_else(|| format!("\"{value}\" is not a valid choice."))
    }
}

/// A kind of media a participant may publish, named as LiveKit names them.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrackSource {
    Camera,
    Microphone,
    ScreenShare,
    ScreenShareAudio,
}

impl TrackSource {
    pub const ALL: [Self; 4] = [
        Self::Camera,
        Self::Microphone,
        Self::ScreenShare,
        Self::ScreenShareAudio,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Camera => "camera",
            Self::Microphone => "microphone",
            Self::ScreenShare => "screen_share",
            Self::ScreenShareAudio => "screen_share_audio",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|source| source.as_str() == name)
    }
}

/// A room's settings for participants without a role. Unknown keys are refused.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoomConfiguration {
    /// What participants may publish; absent means the deployment's default sources.
    /// Administrators and owners may always publish everything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_publish_sources: Option<Vec<TrackSource>>,
    /// Whether every participant may mute others; absent means yes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub everyone_can_mute: Option<bool>,
}

impl RoomConfiguration {
    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        self.can_publish_sources.is_none() && self.everyone_can_mute.is_none()
    }
}

/// What a browser needs to connect to the meeting's media server.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveKitConnection {
    /// The LiveKit server, e.g. `wss://livekit.example.org`.
    pub url: String,
    /// The LiveKit room name: the room's id (or its slug for an unregistered room).
    pub room: String,
    /// The access token carrying the participant's rights.
    pub token: String,
}

/// How someone may enter a room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Admission {
    /// Straight in: joining mints their credentials.
    Direct,
    /// Through the lobby: a host lets them in.
    Lobby,
}

/// A room as the meeting page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomView {
    /// `None` for an unregistered room (one that exists only by its address).
    pub id: Option<Uuid>,
    pub name: String,
    pub slug: String,
    pub access_level: AccessLevel,
    /// What participants may do there (public, as La Suite Meet's room answer shows it).
    pub configuration: RoomConfiguration,
    /// Whether the viewer administers it.
    pub is_administrable: bool,
}

/// A room and how the viewer may enter it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomEntry {
    pub room: RoomView,
    pub admission: Admission,
    /// Whether the deployment records product events: the meeting's page then reports what
    /// only it sees (see [`crate::analytics`]).
    pub analytics: bool,
}

/// A room in a list of one's rooms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomSummary {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
    pub access_level: AccessLevel,
    pub role: Role,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for level in AccessLevel::ALL {
            assert_eq!(AccessLevel::parse(level.as_str()), Some(level));
            let json = serde_json::to_string(&level).expect("serialises");
            assert_eq!(json, format!("\"{level}\""));
        }
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        for source in TrackSource::ALL {
            let json = serde_json::to_string(&source).expect("serialises");
            assert_eq!(json, format!("\"{}\"", source.as_str()));
        }
        assert_eq!(
            AccessLevel::try_from("secret".to_owned()),
            Err("\"secret\" is not a valid choice.".to_owned())
        );
    }

    #[test]
    fn roles_are_ordered_by_power() {
        assert!(Role::Owner > Role::Administrator && Role::Administrator > Role::Member);
        assert!(Role::Owner.is_admin_or_owner() && !Role::Member.is_admin_or_owner());
    }

    #[test]
    fn the_configuration_refuses_unknown_keys_and_sources() {
        let ok: RoomConfiguration = serde_json::from_str(
            r#"{"can_publish_sources": ["camera"], "everyone_can_mute": false}"#,
        )
        .expect("valid");
        assert_eq!(ok.can_publish_sources, Some(vec![TrackSource::Camera]));
        assert_eq!(ok.everyone_can_mute, Some(false));
        assert!(serde_json::from_str::<RoomConfiguration>(r#"{"colour": "red"}"#).is_err());
        assert!(
            serde_json::from_str::<RoomConfiguration>(r#"{"can_publish_sources": ["hologram"]}"#)
                .is_err()
        );
        assert!(
            serde_json::from_str::<RoomConfiguration>(r#"{"everyone_can_mute": "yes"}"#).is_err()
        );
        let empty: RoomConfiguration = serde_json::from_str("{}").expect("valid");
        assert!(empty.is_empty());
        assert_eq!(serde_json::to_string(&empty).expect("serialises"), "{}");
    }
}
