//! Webhooks the way LiveKit sends them (reference §1.6 and §2.5), for tests of Meet's receiver.
//!
//! The body is the event serialised by its pbjson serde impl — camelCase keys with defaults
//! omitted, like the server's protojson. The `Authorization` header carries, **without**
//! `Bearer `, a JWT signed with the API secret: `iss` = the API key, a 5-minute lifetime and
//! `sha256` = base64(SHA-256(body)). It is posted with `Content-Type: application/webhook+json`.

pub mod events;

use std::time::Duration;

use base64::{Engine, engine::general_purpose::STANDARD};
use livekit_api::access_token::{AccessToken, AccessTokenError};
use livekit_protocol as proto;
use sha2::{Digest, Sha256};

/// The content type LiveKit posts webhooks with.
pub const WEBHOOK_CONTENT_TYPE: &str = "application/webhook+json";

/// How long the server's webhook tokens live.
const WEBHOOK_TOKEN_TTL: Duration = Duration::from_secs(5 * 60);

/// Why a webhook could not be signed or delivered.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    /// The token could not be minted (an empty API key or secret).
    #[error("cannot sign the webhook: {0}")]
    Sign(#[from] AccessTokenError),
    /// The event could not be serialised.
    #[error("cannot serialise the webhook event: {0}")]
    Encode(#[from] serde_json::Error),
    /// The POST failed before a response arrived.
    #[error("cannot deliver the webhook: {0}")]
    Http(#[from] reqwest::Error),
}

/// The JWT LiveKit puts in a webhook's `Authorization` header (no `Bearer ` prefix) for `body`.
pub fn sign_webhook(api_key: &str, api_secret: &str, body: &str) -> Result<String, WebhookError> {
    let digest = STANDARD.encode(Sha256::digest(body.as_bytes()));
    let token = AccessToken::with_api_key(api_key, api_secret)
        .with_ttl(WEBHOOK_TOKEN_TTL)
        .with_sha256(&digest)
        .to_jwt()?;
    Ok(token)
}

/// `event` as LiveKit's webhook body: camelCase, defaults omitted, int64 as strings.
pub fn webhook_body(event: &proto::WebhookEvent) -> Result<String, WebhookError> {
    Ok(serde_json::to_string(event)?)
}

/// Serialises, signs and POSTs `event` to `url`; returns the receiver's status.
pub async fn send_webhook(
    url: &str,
    api_key: &str,
    api_secret: &str,
    event: &proto::WebhookEvent,
) -> Result<reqwest::StatusCode, WebhookError> {
    let body = webhook_body(event)?;
    let authorization = sign_webhook(api_key, api_secret, &body)?;
    post_webhook(url, &authorization, body).await
}

/// POSTs a raw webhook `body` with the given `Authorization` value, for tests that need a body
/// or a signature that does not match (tampering, a wrong secret, an unknown enum value).
pub async fn post_webhook(
    url: &str,
    authorization: &str,
    body: String,
) -> Result<reqwest::StatusCode, WebhookError> {
    let response = reqwest::Client::new()
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, WEBHOOK_CONTENT_TYPE)
        .header(reqwest::header::AUTHORIZATION, authorization)
        .body(body)
        .send()
        .await?;
    Ok(response.status())
}

#[cfg(test)]
mod tests {
    use livekit_api::{access_token::TokenVerifier, webhooks::WebhookReceiver};

    use super::*;

    #[test]
    fn the_body_is_camel_case_without_defaults() {
        let room = proto::Room {
            sid: "RM_a".into(),
            name: "r".into(),
            ..Default::default()
        };
        let mut event = events::room_started(&room);
        event.created_at = 1_795_839_890;
        let body = webhook_body(&event).unwrap();
        let value: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(value["event"], "room_started");
        assert_eq!(value["createdAt"], "1795839890");
        assert_eq!(
            value["room"],
            serde_json::json!({"sid": "RM_a", "name": "r"})
        );
        assert!(value.get("numDropped").is_none());
    }

    #[test]
    fn a_signed_body_passes_the_sdk_receiver_and_a_changed_one_does_not() {
        let event = events::participant_joined(
            &proto::Room {
                name: "r".into(),
                ..Default::default()
            },
            &proto::ParticipantInfo {
                identity: "alice".into(),
                ..Default::default()
            },
        );
        let body = webhook_body(&event).unwrap();
        let token = sign_webhook("key", "secret", &body).unwrap();
        let receiver = WebhookReceiver::new(TokenVerifier::with_api_key("key", "secret"));
        assert_eq!(receiver.receive(&body, &token).unwrap(), event);
        let tampered = body.replace("alice", "mallory");
        assert!(receiver.receive(&tampered, &token).is_err());
        assert!(sign_webhook("", "secret", &body).is_err());
    }
}
