//! The HTTP surface: the Twirp endpoint under `/twirp/`, the test-control endpoints under
//! `/_standin/`, and `bad_route` for everything else.
//!
//! A Twirp request is checked in the server's order: the configured delay, then authentication
//! (plain-text 401), then the route (`POST`, a known `livekit.RoomService` method, a Twirp content
//! type; otherwise 404 `bad_route`), then the method itself (see [`crate::service`]).

use std::sync::Arc;

use axum::{
    Router,
    body::Bytes,
    extract::{DefaultBodyLimit, State},
    http::{HeaderMap, Method, Uri, header},
    response::{IntoResponse, Response},
    routing::any,
};

use crate::{
    auth,
    codec::Encoding,
    control,
    error::TwirpError,
    service::{self, Call, EGRESS_METHODS, METHODS},
    standin::Shared,
};

/// The path prefixes of the room and egress services.
const ROOM_SERVICE_PREFIX: &str = "/twirp/livekit.RoomService/";
const EGRESS_PREFIX: &str = "/twirp/livekit.Egress/";

/// The server's default `limit.max_api_request_body_size`.
const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

/// The stand-in's router over `shared`.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/twirp/{*path}", any(twirp))
        .nest("/_standin", control::routes())
        .fallback(any(not_a_route))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(shared)
}

async fn twirp(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let delay = shared.delay();
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let claims = match auth::authenticate(&headers, &shared.verifier) {
        Ok(claims) => claims,
        Err(unauthorized) => return unauthorized.into_response(),
    };
    let path = uri.path();
    let (rpc, encoding) = match route(&method, path, &headers) {
        Ok(found) => found,
        Err(error) => return error.into_response(),
    };
    let call = Call {
        shared: &shared,
        method: rpc,
        encoding,
        claims: claims.as_ref(),
        body: &body,
    };
    service::dispatch(&call).unwrap_or_else(IntoResponse::into_response)
}

/// The RoomService method and body encoding of a request, or Twirp's `bad_route`.
fn route<'p>(
    method: &Method,
    path: &'p str,
    headers: &HeaderMap,
) -> Result<(&'p str, Encoding), TwirpError> {
    let http_method = method.as_str();
    if method != Method::POST {
        let msg = format!("unsupported method {http_method:?} (only POST is allowed)");
        return Err(TwirpError::bad_route(msg, http_method, path));
    }
    let rpc = path
        .strip_prefix(ROOM_SERVICE_PREFIX)
        .filter(|rpc| METHODS.contains(rpc))
        .or_else(|| {
            path.strip_prefix(EGRESS_PREFIX)
                .filter(|rpc| EGRESS_METHODS.contains(rpc))
        })
        .ok_or_else(|| {
            TwirpError::bad_route(format!("no handler for path {path:?}"), http_method, path)
        })?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let encoding = Encoding::from_content_type(content_type).ok_or_else(|| {
        let msg = format!("unexpected Content-Type: {content_type:?}");
        TwirpError::bad_route(msg, http_method, path)
    })?;
    Ok((rpc, encoding))
}

async fn not_a_route(method: Method, uri: Uri) -> Response {
    let path = uri.path();
    let msg = format!("no handler for path {path:?}");
    TwirpError::bad_route(msg, method.as_str(), path).into_response()
}
