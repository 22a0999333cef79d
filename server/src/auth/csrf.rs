//! Cross-site request forgery protection: a request that may change something (any method but
//! GET, HEAD and OPTIONS) coming from another site's page is refused before it reaches a
//! handler. Browsers say where a request comes from with `Sec-Fetch-Site` and `Origin`;
//! requests without either (command-line clients, server-to-server calls) do not carry a
//! victim's cookies through a browser and are let through.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{HOST, ORIGIN};
use http::{Method, StatusCode};

/// Middleware refusing cross-site unsafe requests with 403 and a JSON `detail`.
pub async fn refuse_cross_site(request: Request, next: Next) -> Response {
    if is_safe(request.method()) || is_same_origin(&request) {
        return next.run(request).await;
    }
    tracing::warn!(
        method = %request.method(),
        path = %request.uri().path(),
        origin = ?request.headers().get(ORIGIN),
        "refused a cross-site request"
    );
    let body = serde_json::json!({ "detail": "Cross-site requests are not allowed." });
    (StatusCode::FORBIDDEN, axum::Json(body)).into_response()
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether the browser says this request comes from Meet's own pages (or says nothing).
fn is_same_origin(request: &Request) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site") {
        // `none`: typed in the address bar or a bookmark, not another site.
        return matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    let Some(origin) = headers.get(ORIGIN) else {
        return true;
    };
    let (Ok(origin), Some(Ok(host))) = (origin.to_str(), headers.get(HOST).map(|h| h.to_str()))
    else {
        return false;
    };
    // `Origin: null` (sandboxed frames, some redirects) never matches.
    origin
        .split_once("://")
        .is_some_and(|(_, authority)| authority.eq_ignore_ascii_case(host))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: Method, headers: &[(&str, &str)]) -> Request {
        let mut builder = Request::builder().method(method).uri("/api/x");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(axum::body::Body::empty()).expect("request")
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        let same = request(Method::POST, &[("sec-fetch-site", "same-origin")]);
        assert!(is_same_origin(&same));
        for site in ["cross-site", "same-site"] {
            let other = request(
                Method::POST,
                &[
                    ("sec-fetch-site", site),
                    ("origin", "http://meet.test"),
                    ("host", "meet.test"),
                ],
            );
            assert!(!is_same_origin(&other), "{site}");
        }
    }

    #[test]
    fn origin_must_match_the_host() {
        let host = ("host", "meet.example.org");
        assert!(is_same_origin(&request(
            Method::POST,
            &[("origin", "https://meet.example.org"), host]
        )));
        assert!(!is_same_origin(&request(
            Method::POST,
            &[("origin", "https://evil.example"), host]
        )));
        assert!(!is_same_origin(&request(
            Method::POST,
            &[("origin", "null"), host]
        )));
        assert!(
            is_same_origin(&request(Method::POST, &[host])),
            "no browser headers"
        );
    }

    #[test]
    fn safe_methods_are_never_refused() {
        assert!(is_safe(&Method::GET) && is_safe(&Method::HEAD) && is_safe(&Method::OPTIONS));
        assert!(!is_safe(&Method::POST) && !is_safe(&Method::DELETE) && !is_safe(&Method::PATCH));
    }
}
