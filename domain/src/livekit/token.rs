//! LiveKit access tokens: the JWT that carries Meet's decision about a participant (identity,
//! name, what they may publish, whether they administer the room) to the media server.

use std::time::Duration;

use crate::secret::Secret;
use livekit_api::access_token::{AccessToken, VideoGrants};
use meet_types::{LiveKitConnection, Role, RoomConfiguration, TrackSource};
use sha2::{Digest, Sha256};

/// How tokens are signed and what they grant by default.
#[derive(Debug, Clone)]
pub struct TokenSettings {
    /// The LiveKit server as browsers reach it (`LIVEKIT_URL`).
    pub url: String,
    pub api_key: String,
    pub api_secret: Secret,
    /// How long a token is valid (`LIVEKIT_TOKEN_TTL`, 6 hours by default like LiveKit's SDKs).
    pub ttl: Duration,
    /// What participants may publish when the room does not say (`LIVEKIT_DEFAULT_SOURCES`).
    pub default_sources: Vec<TrackSource>,
}

/// Who the token is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    /// Unique in the room: the user's `sub`, or a guest's random id.
    pub identity: String,
    /// The name others see.
    pub name: String,
    /// Their role in the room, if any.
    pub role: Option<Role>,
    pub is_authenticated: bool,
}

/// Participant attribute names set by Meet.
pub const ATTRIBUTE_COLOR: &str = "color";
pub const ATTRIBUTE_ROOM_ROLE: &str = "room_role";
pub const ATTRIBUTE_IS_AUTHENTICATED: &str = "is_authenticated";

/// The credentials for `participant` to join the LiveKit room `room`. Administrators and owners
/// get `room_admin` and every default source whatever the room configuration says; others get
/// the configuration's sources, else the defaults. Nobody may change their own metadata or
/// attributes: hands, names and roles go through Meet.
pub fn mint(
    settings: &TokenSettings,
    room: &str,
    participant: &Participant,
    configuration: Option<&RoomConfiguration>,
) -> Result<LiveKitConnection, livekit_api::access_token::AccessTokenError> {
    let is_admin = participant.role.is_some_and(Role::is_admin_or_owner);
    let sources: Vec<TrackSource> = match configuration.and_then(|c| c.can_publish_sources.as_ref())
    {
        Some(sources) if !is_admin => sources.clone(),
        _ => settings.default_sources.clone(),
    };
    let grants = VideoGrants {
        room_join: true,
        room: room.to_owned(),
        room_admin: is_admin,
        can_subscribe: Some(true),
        can_publish: Some(!sources.is_empty()),
        can_publish_sources: sources
            .iter()
            .map(|source| source.as_str().to_owned())
            .collect(),
        can_update_own_metadata: Some(false),
        ..VideoGrants::default()
    };
    let mut attributes = vec![
        (ATTRIBUTE_COLOR.to_owned(), color(&participant.identity)),
        (
            ATTRIBUTE_IS_AUTHENTICATED.to_owned(),
            participant.is_authenticated.to_string(),
        ),
    ];
    if let Some(role) = participant.role {
        attributes.push((ATTRIBUTE_ROOM_ROLE.to_owned(), role.as_str().to_owned()));
    }
    let token = AccessToken::with_api_key(&settings.api_key, settings.api_secret.expose())
        .with_identity(&participant.identity)
        .with_name(&participant.name)
        .with_ttl(settings.ttl)
        .with_attributes(attributes)
        .with_grants(grants)
        .to_jwt()?;
    Ok(LiveKitConnection {
        url: settings.url.clone(),
        room: room.to_owned(),
        token,
    })
}

/// A colour for `identity`, always the same for the same identity: an HSL string with a hue
/// from the identity's hash and saturation and lightness kept in a readable range.
pub fn color(identity: &str) -> String {
    let digest = Sha256::digest(identity.as_bytes());
    let hue = u16::from_be_bytes([digest[0], digest[1]]) % 360;
    let saturation = 50 + digest[2] % 30;
    let lightness = 40 + digest[3] % 20;
    format!("hsl({hue}, {saturation}%, {lightness}%)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::token_settings;
    use livekit_api::access_token::TokenVerifier;

    fn participant(role: Option<Role>) -> Participant {
        Participant {
            identity: "alice-sub".into(),
            name: "Alice".into(),
            role,
            is_authenticated: true,
        }
    }

    #[test]
    fn colours_are_stable_and_readable() {
        assert_eq!(color("alice"), color("alice"));
        assert_ne!(color("alice"), color("bob"));
        let colour = color("someone");
        assert!(
            colour.starts_with("hsl(") && colour.ends_with("%)"),
            "{colour}"
        );
    }

    #[test]
    fn members_publish_what_the_room_allows_and_admins_everything() {
        let configuration = RoomConfiguration {
            can_publish_sources: Some(vec![TrackSource::Microphone]),
            everyone_can_mute: None,
        };
        let verifier = TokenVerifier::with_api_key("devkey", "secret");
        let member = mint(
            &token_settings(),
            "room",
            &participant(Some(Role::Member)),
            Some(&configuration),
        )
        .expect("token");
        let claims = verifier.verify(&member.token).expect("valid");
        assert_eq!(claims.video.can_publish_sources, vec!["microphone"]);
        assert!(!claims.video.room_admin);
        assert_eq!(
            claims.attributes.get("room_role").map(String::as_str),
            Some("member")
        );

        let owner = mint(
            &token_settings(),
            "room",
            &participant(Some(Role::Owner)),
            Some(&configuration),
        )
        .expect("token");
        let claims = verifier.verify(&owner.token).expect("valid");
        assert_eq!(claims.video.can_publish_sources.len(), 4);
        assert!(claims.video.room_admin);

        let muted = RoomConfiguration {
            can_publish_sources: Some(vec![]),
            everyone_can_mute: None,
        };
        let guest = Participant {
            role: None,
            is_authenticated: false,
            ..participant(None)
        };
        let token = mint(&token_settings(), "room", &guest, Some(&muted)).expect("token");
        let claims = verifier.verify(&token.token).expect("valid");
        assert_eq!(claims.video.can_publish, Some(false));
        assert!(!claims.attributes.contains_key("room_role"));
        assert_eq!(
            claims
                .attributes
                .get("is_authenticated")
                .map(String::as_str),
            Some("false")
        );
    }
}
