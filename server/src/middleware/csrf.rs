//! Cross-site request forgery protection: a request that may change something (any method but
//! GET, HEAD and OPTIONS) coming from another site's page is refused before it reaches a
//! handler. Browsers say where a request comes from with `Sec-Fetch-Site` and `Origin`; the
//! origin is compared with Meet's public address (`MEET_PUBLIC_URL`), scheme included, so a proxy
//! that rewrites `Host` changes nothing. Requests without either header (command-line clients,
//! server-to-server calls) do not carry a victim's cookies through a browser and are let through.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{HOST, ORIGIN};
use http::{HeaderMap, Method, StatusCode};

/// Where Meet's own pages come from.
#[derive(Debug, Clone)]
pub struct OwnOrigin {
    /// `scheme://host[:port]` of `MEET_PUBLIC_URL`.
    origin: String,
    /// Without a configured public address, the browser's `Host` is trusted instead.
    configured: bool,
}

impl OwnOrigin {
    /// The origin of `public_url`; `configured` when `MEET_PUBLIC_URL` was set.
    pub fn new(public_url: &str, configured: bool) -> Arc<Self> {
        let origin = url::Url::parse(public_url)
            .map(|url| url.origin().ascii_serialization())
            .unwrap_or_else(|_| public_url.to_owned());
        Arc::new(Self { origin, configured })
    }
}

/// Middleware refusing cross-site unsafe requests with 403 and a JSON `detail`.
pub async fn refuse_cross_site(
    State(own): State<Arc<OwnOrigin>>,
    request: Request,
    next: Next,
) -> Response {
    if is_safe(request.method()) || is_same_origin(request.headers(), &own) {
        return next.run(request).await;
    }
    tracing::warn!(
        method = %request.method(),
        path = %request.uri().path(),
        origin = ?request.headers().get(ORIGIN),
        "refused a cross-site request"
    );
    refusal()
}

/// The answer to a cross-site request.
pub fn refusal() -> Response {
    let body = serde_json::json!({ "detail": "Cross-site requests are not allowed." });
    (StatusCode::FORBIDDEN, axum::Json(body)).into_response()
}

/// Whether the browser says this request comes from another site's page (for the few safe
/// requests that still change something, such as logging out).
pub fn is_cross_site(headers: &HeaderMap) -> bool {
    headers
        .get("sec-fetch-site")
        .is_some_and(|site| matches!(site.as_bytes(), b"cross-site" | b"same-site"))
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether the browser says this request comes from Meet's own pages (or says nothing).
fn is_same_origin(headers: &HeaderMap, own: &OwnOrigin) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        // `none`: typed in the address bar or a bookmark, not another site.
        return matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    let Some(origin) = headers.get(ORIGIN) else {
        return true;
    };
    // `Origin: null` (sandboxed frames, some redirects) never matches.
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    if origin.eq_ignore_ascii_case(&own.origin) {
        return true;
    }
    !own.configured
        && headers
            .get(HOST)
            .and_then(|host| host.to_str().ok())
            .is_some_and(|host| {
                origin
                    .split_once("://")
                    .is_some_and(|(_, authority)| authority.eq_ignore_ascii_case(host))
            })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(
                http::HeaderName::from_bytes(name.as_bytes()).expect("name"),
                value.parse().expect("value"),
            );
        }
        headers
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        let own = OwnOrigin::new("https://meet.test", true);
        assert!(is_same_origin(
            &headers(&[("sec-fetch-site", "same-origin")]),
            &own
        ));
        for site in ["cross-site", "same-site"] {
            let other = headers(&[("sec-fetch-site", site), ("origin", "https://meet.test")]);
            assert!(!is_same_origin(&other, &own), "{site}");
            assert!(is_cross_site(&other), "{site}");
        }
        assert!(!is_cross_site(&headers(&[("sec-fetch-site", "none")])));
        assert!(!is_cross_site(&headers(&[])));
    }

    #[test]
    fn the_origin_must_be_meets_public_address() {
        let own = OwnOrigin::new("https://meet.example.org", true);
        // Behind a proxy that rewrites Host.
        let proxied = [
            ("origin", "https://meet.example.org"),
            ("host", "10.0.0.5:8080"),
        ];
        assert!(is_same_origin(&headers(&proxied), &own));
        for origin in [
            "https://evil.example",
            "http://meet.example.org",
            "null",
            "https://meet.example.org:8443",
        ] {
            let request = [("origin", origin), ("host", "meet.example.org")];
            assert!(!is_same_origin(&headers(&request), &own), "{origin}");
        }
        assert!(
            is_same_origin(&headers(&[("host", "meet.example.org")]), &own),
            "no browser headers"
        );
    }

    #[test]
    fn without_a_public_address_the_host_is_trusted() {
        let own = OwnOrigin::new("http://127.0.0.1:8080", false);
        let request = [
            ("origin", "http://localhost:8080"),
            ("host", "localhost:8080"),
        ];
        assert!(is_same_origin(&headers(&request), &own));
        let request = [
            ("origin", "http://evil.example"),
            ("host", "localhost:8080"),
        ];
        assert!(!is_same_origin(&headers(&request), &own));
    }

    #[test]
    fn safe_methods_are_never_refused() {
        assert!(is_safe(&Method::GET) && is_safe(&Method::HEAD) && is_safe(&Method::OPTIONS));
        assert!(!is_safe(&Method::POST) && !is_safe(&Method::DELETE) && !is_safe(&Method::PATCH));
    }
}
