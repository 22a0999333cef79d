//! Security headers on every response. The `Content-Security-Policy` allows only Meet's own
//! scripts: the hashed bundle and the inline bootstrap script carrying the per-request nonce that
//! the page shell hands over in [`CSP_NONCE_HEADER`] (removed here before the response leaves).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::HeaderValue;
use http::header::{
    CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS,
};
use meet_app::shell::CSP_NONCE_HEADER;

/// What the policy needs to know about the deployment.
#[derive(Debug, Clone)]
pub struct SecurityHeaders {
    /// Origins the browser may connect to besides Meet itself (the LiveKit server).
    connect_sources: String,
    /// Meet is served over https: browsers must keep to https (`Strict-Transport-Security`).
    https: bool,
}

/// How long browsers keep to https once told: a year.
const HSTS: &str = "max-age=31536000";

impl SecurityHeaders {
    /// Headers for a deployment whose browsers reach LiveKit at `livekit_url`, served over
    /// https when `https`.
    pub fn new(livekit_url: &str, https: bool) -> Arc<Self> {
        Arc::new(Self {
            connect_sources: livekit_origins(livekit_url).join(" "),
            https,
        })
    }

    /// The `Content-Security-Policy` value, allowing inline scripts that carry `nonce`.
    pub fn content_security_policy(&self, nonce: Option<&str>) -> String {
        let nonce = nonce
            .map(|nonce| format!(" 'nonce-{nonce}'"))
            .unwrap_or_default();
        format!(
            "default-src 'self'; \
             script-src 'self' 'wasm-unsafe-eval'{nonce}; \
             style-src 'self'; \
             img-src 'self' data: blob:; \
             media-src 'self' blob: mediastream:; \
             connect-src 'self' {connect}; \
             font-src 'self'; \
             object-src 'none'; \
             base-uri 'none'; \
             form-action 'self'; \
             frame-ancestors 'self'",
            connect = self.connect_sources,
        )
    }
}

/// The LiveKit origins to allow: the signalling WebSocket and its HTTP twin (livekit-client
/// calls `/rtc/validate` over HTTP when the WebSocket fails).
fn livekit_origins(url: &str) -> Vec<String> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Vec::new();
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let twin = match scheme {
        "ws" => "http",
        "wss" => "https",
        "http" => "ws",
        "https" => "wss",
        _ => return Vec::new(),
    };
    vec![format!("{scheme}://{host}"), format!("{twin}://{host}")]
}

/// Middleware adding the security headers to every response.
pub async fn add_security_headers(
    State(headers): State<Arc<SecurityHeaders>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let response_headers = response.headers_mut();
    let nonce = response_headers.remove(CSP_NONCE_HEADER);
    let nonce = nonce.as_ref().and_then(|value| value.to_str().ok());
    if let Ok(policy) = HeaderValue::from_str(&headers.content_security_policy(nonce)) {
        response_headers.insert(CONTENT_SECURITY_POLICY, policy);
    }
    response_headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if headers.https {
        response_headers.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    // Meeting links are the keys to meetings: never send them to other sites.
    response_headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    response_headers.insert(
        http::HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static(
            "camera=(self), microphone=(self), display-capture=(self), geolocation=()",
        ),
    );
    response_headers.insert(
        http::HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn livekit_is_allowed_over_websocket_and_http() {
        assert_eq!(
            livekit_origins("ws://127.0.0.1:7880"),
            ["ws://127.0.0.1:7880", "http://127.0.0.1:7880"]
        );
        assert_eq!(
            livekit_origins("wss://livekit.example.org/path"),
            ["wss://livekit.example.org", "https://livekit.example.org"]
        );
    }

    #[test]
    fn the_nonce_enters_script_src_only_when_present() {
        let headers = SecurityHeaders::new("wss://lk.example.org", true);
        let with = headers.content_security_policy(Some("abc123"));
        assert!(
            with.contains("script-src 'self' 'wasm-unsafe-eval' 'nonce-abc123';"),
            "{with}"
        );
        assert!(with.contains("connect-src 'self' wss://lk.example.org https://lk.example.org;"));
        let without = headers.content_security_policy(None);
        assert!(
            without.contains("script-src 'self' 'wasm-unsafe-eval';"),
            "{without}"
        );
        assert!(!without.contains("unsafe-inline"));
    }
}
