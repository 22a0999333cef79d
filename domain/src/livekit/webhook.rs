//! LiveKit's webhook signature: a JWT signed with the API secret (`iss` = the API key), sent in
//! `Authorization` without `Bearer`, whose `sha256` claim is the base64 SHA-256 of the body.

use base64::Engine;
use livekit_api::access_token::TokenVerifier;
use sha2::{Digest, Sha256};

/// Why a webhook is not LiveKit's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub enum WebhookRefusal {
    Missing,
    BadSignature,
    BodyMismatch,
}

impl WebhookRefusal {
    /// What the sender reads.
    pub fn message(self) -> &'static str {
        match self {
            Self::Missing => "No authorization.",
            Self::BadSignature => "Invalid signature.",
            Self::BodyMismatch => "The body does not match its signature.",
        }
    }
}

/// Checks that `authorization` (the header's value; a `Bearer ` prefix is tolerated) is
/// LiveKit's signature of `body` with `api_key` and `api_secret`.
pub fn verify(
    authorization: Option<&str>,
    body: &[u8],
    api_key: &str,
    api_secret: &str,
) -> Result<(), WebhookRefusal> {
    let token = authorization
        .map(|value| value.strip_prefix("Bearer ").unwrap_or(value))
        .filter(|token| !token.is_empty())
        .ok_or(WebhookRefusal::Missing)?;
    let claims = TokenVerifier::with_api_key(api_key, api_secret)
        .verify(token)
        .map_err(|_| WebhookRefusal::BadSignature)?;
    let digest = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(body));
    if claims.sha256 != digest {
        return Err(WebhookRefusal::BodyMismatch);
    }
    Ok(())
}
