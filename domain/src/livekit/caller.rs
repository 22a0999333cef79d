//! Who calls with a LiveKit access token. Participants act on themselves in a meeting (raise
//! their hand, rename themselves, later start subtitles) with the token they joined with, as in
//! La Suite Meet, so that guests, who have no session, can too. The token must be one Meet
//! minted (signed with its LiveKit key and secret, not expired) to join a room; the identity
//! acted on is always the token's, never one the request names.

use livekit_api::access_token::TokenVerifier;

use crate::error::DomainError;
use crate::livekit::token::TokenSettings;
use crate::rooms;
use crate::services::Services;

/// The longest token considered, in bytes: several times what Meet mints (a name and an
/// identity of 255 characters, three attributes and the grants), far less than work worth
/// refusing.
pub const MAX_TOKEN_BYTES: usize = 8 * 1024;

/// What the refusal of a token for another room says.
const OTHER_ROOM: &str = "This LiveKit token is for another room.";

/// What the refusal of a token that does not let its bearer join a room says.
const NOT_A_JOIN_TOKEN: &str = "This LiveKit token does not grant joining a room.";

/// A participant, as their LiveKit token proves them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// Their identity in the room (the token's `sub`).
    pub identity: String,
    /// The LiveKit room the token lets them join.
    pub room: String,
    /// The name the token gave them (they may have changed it since).
    pub name: String,
    /// Whether the token lets them administer the room (owners and administrators).
    pub room_admin: bool,
    /// Whether Meet minted the token for a logged-in user (whose identity is their `sub`)
    /// rather than a guest.
    pub authenticated: bool,
}

impl Caller {
    /// The caller as analytics counts them.
    pub fn actor(&self) -> crate::analytics::Actor<'_> {
        crate::analytics::Actor::Participant {
            identity: &self.identity,
            authenticated: self.authenticated,
        }
    }
}

/// The participant `token` proves: a JWT signed with Meet's LiveKit key and secret
/// ([`TokenVerifier`]: HS256, issuer, expiry and not-before), naming an identity, that lets its
/// bearer join a room. [`DomainError::InvalidToken`] when it is not such a JWT;
/// [`DomainError::Forbidden`] when it is valid but does not grant joining a room.
pub fn verify(settings: &TokenSettings, token: &str) -> Result<Caller, DomainError> {
    if !is_compact_jwt(token) {
        return Err(DomainError::InvalidToken);
    }
    let verifier = TokenVerifier::with_api_key(&settings.api_key, settings.api_secret.expose());
    let claims = verifier.verify(token).map_err(|error| {
        // `AccessTokenError` prints "failed to encode jwt" for every decoding failure: its debug
        // form says which (expired, bad signature…). Never the token itself.
        tracing::debug!(?error, "refused a LiveKit token");
        DomainError::InvalidToken
    })?;
    if claims.sub.is_empty() {
        tracing::debug!("refused a LiveKit token without an identity");
        return Err(DomainError::InvalidToken);
    }
    if !claims.video.room_join || claims.video.room.is_empty() {
        return Err(DomainError::Forbidden(NOT_A_JOIN_TOKEN.to_owned()));
    }
    let authenticated = claims
        .attributes
        .get(crate::livekit::token::ATTRIBUTE_IS_AUTHENTICATED)
        .is_some_and(|value| value == "true");
    Ok(Caller {
        identity: claims.sub,
        room: claims.video.room,
        name: claims.name,
        room_admin: claims.video.room_admin,
        authenticated,
    })
}

/// The participant `token` proves, in the room `key` designates (looked up as every room
/// endpoint does: UUID, slug or meeting code). The token is checked first, so that callers
/// without one learn nothing of which rooms exist: [`DomainError::InvalidToken`], then
/// [`DomainError::NotFound`] for no such room, then [`DomainError::Forbidden`] for a token of
/// another room.
pub async fn in_room(services: &Services, token: &str, key: &str) -> Result<Caller, DomainError> {
    let caller = verify(&services.settings.token, token)?;
    let room = rooms::livekit_room(services, key).await?;
    if caller.room != room {
        return Err(DomainError::Forbidden(OTHER_ROOM.to_owned()));
    }
    Ok(caller)
}

/// Whether `token` has the shape of a compact JWT: three base64url parts joined by dots, within
/// [`MAX_TOKEN_BYTES`]. Anything else is refused before any decoding.
fn is_compact_jwt(token: &str) -> bool {
    let base64url = |part: &str| {
        !part.is_empty()
            && part
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_'))
    };
    token.len() <= MAX_TOKEN_BYTES && {
        let parts: Vec<&str> = token.splitn(4, '.').collect();
        parts.len() == 3 && parts.iter().all(|part| base64url(part))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use livekit_api::access_token::{AccessToken, VideoGrants};

    use crate::Secret;
    use crate::livekit::token::{self, Participant};
    use crate::testing::token_settings;

    fn minted(room: &str) -> String {
        let participant = Participant {
            identity: "alice-sub".into(),
            name: "Alice".into(),
            role: None,
            is_authenticated: true,
        };
        token::mint(&token_settings(), room, &participant, None)
            .expect("token")
            .token
    }

    #[test]
    fn a_token_meet_minted_proves_its_participant() {
        let caller = verify(&token_settings(), &minted("room-a")).expect("valid");
        assert_eq!(
            caller,
            Caller {
                identity: "alice-sub".into(),
                room: "room-a".into(),
                name: "Alice".into(),
                room_admin: false,
                authenticated: true,
            }
        );
    }

    #[test]
    fn other_keys_and_shapes_are_refused() {
        let token = minted("room-a");
        let mut other = token_settings();
        other.api_secret = Secret::new("another secret");
        assert!(matches!(
            verify(&other, &token),
            Err(DomainError::InvalidToken)
        ));
        let mut other = token_settings();
        other.api_key = "otherkey".into();
        assert!(matches!(
            verify(&other, &token),
            Err(DomainError::InvalidToken)
        ));
        let tampered = format!("{token}x");
        let too_long = format!("{}.{}.{}", "a".repeat(4096), "b".repeat(4096), "c");
        for bad in [
            "",
            "garbage",
            "a.b",
            "a.b.c.d",
            "a..c",
            "a.b.c",
            "é.b.c",
            "a.b c.d",
            tampered.as_str(),
            too_long.as_str(),
        ] {
            assert!(
                matches!(
                    verify(&token_settings(), bad),
                    Err(DomainError::InvalidToken)
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_token_must_name_someone_and_grant_joining() {
        let server_token = AccessToken::with_api_key("devkey", "secret")
            .with_grants(VideoGrants {
                room_admin: true,
                room: "room-a".into(),
                ..VideoGrants::default()
            })
            .to_jwt()
            .expect("token");
        assert!(matches!(
            verify(&token_settings(), &server_token),
            Err(DomainError::InvalidToken)
        ));
        let no_join = AccessToken::with_api_key("devkey", "secret")
            .with_identity("alice-sub")
            .with_grants(VideoGrants {
                room_admin: true,
                room: "room-a".into(),
                ..VideoGrants::default()
            })
            .to_jwt()
            .expect("token");
        assert!(matches!(
            verify(&token_settings(), &no_join),
            Err(DomainError::Forbidden(_))
        ));
    }
}
