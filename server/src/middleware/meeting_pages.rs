//! Meeting pages remembered as rendered. A meeting page (`/abc-defg-hij`) is rendered from what
//! the request asks for (its path and query), who is asking (the [`RequesterView`]) and the room
//! as they see it ([`RoomEntry`], or why it cannot be opened); everything else it shows is the
//! same for the whole process. So the room is looked up on every request, as before, and the
//! page rendered from those three is remembered under them: the next request that arrives with
//! the same three gets the same page without rendering it again, with a fresh script nonce.
//!
//! Nothing can be stale: any change to the room, its accesses or the requester's role changes
//! the lookup's answer, hence the key, on every instance, with no invalidation to send. Rendering
//! the page is most of its cost, not the lookup.
//!
//! Only complete pages (200, no cookie of their own) are remembered, at most [`CAPACITY`] of
//! them; the oldest goes first.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::SET_COOKIE;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use leptos::nonce::Nonce;
use meet_app::api::rooms::{LookedUpRoom, room_entry};
use meet_app::bundle::Bundle;
use meet_app::shell::CSP_NONCE_HEADER;
use meet_domain::{Requester, Services};
use meet_types::RequesterView;

/// How many pages are remembered.
pub const CAPACITY: usize = 512;
/// Pages larger than this are not remembered (a meeting page is about 20 KB).
const LARGEST: usize = 256 * 1024;

/// The remembered pages of one server.
pub struct MeetingPages {
    services: Services,
    pages: Mutex<Remembered>,
    /// Meeting pages rendered, and answered from memory (for `/metrics`).
    rendered: AtomicU64,
    answered_from_memory: AtomicU64,
}

#[derive(Default)]
struct Remembered {
    by_key: HashMap<Vec<u8>, Arc<Page>>,
    /// Keys from the oldest page to the newest.
    order: VecDeque<Vec<u8>>,
}

/// A rendered page: its headers but the nonce's, and its body in the pieces between the places
/// where its nonce was.
struct Page {
    headers: HeaderMap,
    pieces: Vec<Bytes>,
}

impl MeetingPages {
    pub fn new(services: Services) -> Self {
        Self {
            services,
            pages: Mutex::new(Remembered::default()),
            rendered: AtomicU64::new(0),
            answered_from_memory: AtomicU64::new(0),
        }
    }

    /// How many meeting pages were rendered, and how many answered from memory.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.rendered.load(Ordering::Relaxed),
            self.answered_from_memory.load(Ordering::Relaxed),
        )
    }

    /// How many pages are remembered.
    pub fn len(&self) -> usize {
        self.lock().by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Remembered> {
        self.pages
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Remembered {
    fn get(&self, key: &[u8]) -> Option<Arc<Page>> {
        self.by_key.get(key).cloned()
    }

    /// Remembers `page` under `key`, forgetting the oldest pages beyond [`CAPACITY`].
    fn remember(&mut self, key: Vec<u8>, page: Page) {
        if self.by_key.contains_key(&key) {
            return;
        }
        while self.order.len() >= CAPACITY {
            if let Some(oldest) = self.order.pop_front() {
                self.by_key.remove(&oldest);
            }
        }
        self.order.push_back(key.clone());
        self.by_key.insert(key, Arc::new(page));
    }
}

/// Middleware on the page routes: answers a meeting page from memory when it was rendered for
/// the same request path, requester and room, else renders it (from the room looked up here)
/// and remembers it.
pub async fn serve(
    State(pages): State<Arc<MeetingPages>>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let slug = &path[1.min(path.len())..];
    // A room's address or code as the page asks for it (other spellings, percent-encoded or
    // not, are redirected or refused by the page itself).
    let plain = !slug.is_empty()
        && slug.len() <= 256
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if request.method() != Method::GET || Bundle::for_path(path) != Bundle::Meeting || !plain {
        return next.run(request).await;
    }
    let slug = slug.to_owned();
    let (Some(requester), Some(view)) = (
        request.extensions().get::<Requester>().cloned(),
        request.extensions().get::<RequesterView>().cloned(),
    ) else {
        return next.run(request).await;
    };
    let entry = room_entry(&pages.services, &requester, &slug).await;
    let target = request.uri().path_and_query().map(|p| p.as_str());
    let Ok(key) = serde_json::to_vec(&(target, &view, &entry)) else {
        return next.run(request).await;
    };
    let remembered = pages.lock().get(&key);
    if let Some(page) = remembered {
        pages.answered_from_memory.fetch_add(1, Ordering::Relaxed);
        return page.answer();
    }
    pages.rendered.fetch_add(1, Ordering::Relaxed);
    request
        .extensions_mut()
        .insert(LookedUpRoom { key: slug, entry });
    let response = next.run(request).await;
    let nonce = response
        .headers()
        .get(CSP_NONCE_HEADER)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let (Some(nonce), StatusCode::OK, false) = (
        nonce,
        response.status(),
        response.headers().contains_key(SET_COOKIE),
    ) else {
        return response;
    };
    let (parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(error) => {
            tracing::error!(%error, "cannot render the meeting page");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    if body.len() <= LARGEST && !nonce.is_empty() {
        let mut headers = parts.headers.clone();
        headers.remove(CSP_NONCE_HEADER);
        let pieces = split(&body, nonce.as_bytes());
        pages.lock().remember(key, Page { headers, pieces });
    }
    Response::from_parts(parts, Body::from(body))
}

impl Page {
    /// The page with a fresh nonce, in its scripts and in the header the security layer reads.
    fn answer(&self) -> Response {
        let nonce = Nonce::new();
        let mut body = Vec::with_capacity(
            self.pieces.iter().map(Bytes::len).sum::<usize>()
                + nonce.len() * self.pieces.len().saturating_sub(1),
        );
        for (index, piece) in self.pieces.iter().enumerate() {
            if index > 0 {
                body.extend_from_slice(nonce.as_bytes());
            }
            body.extend_from_slice(piece);
        }
        let mut response = Response::new(Body::from(body));
        *response.headers_mut() = self.headers.clone();
        if let Ok(value) = HeaderValue::from_str(&nonce) {
            response
                .headers_mut()
                .insert(HeaderName::from_static(CSP_NONCE_HEADER), value);
        }
        response
    }
}

/// `body` in the pieces around each occurrence of `separator`.
fn split(body: &Bytes, separator: &[u8]) -> Vec<Bytes> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for at in memchr::memmem::find_iter(body, separator) {
        pieces.push(body.slice(start..at));
        start = at + separator.len();
    }
    pieces.push(body.slice(start..));
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_splits_around_each_nonce() {
        let body = Bytes::from_static(b"<a nonce=\"N1\"></a><b nonce=\"N1\">N1</b>");
        let pieces = split(&body, b"N1");
        assert_eq!(
            pieces,
            [&b"<a nonce=\""[..], b"\"></a><b nonce=\"", b"\">", b"</b>"]
        );
        assert_eq!(split(&body, b"absent"), vec![body]);
    }

    #[test]
    fn the_oldest_page_goes_first() {
        let mut pages = Remembered::default();
        let page = || Page {
            headers: HeaderMap::new(),
            pieces: vec![Bytes::from_static(b"page")],
        };
        for index in 0..CAPACITY + 2 {
            pages.remember(index.to_string().into_bytes(), page());
        }
        assert_eq!(pages.by_key.len(), CAPACITY);
        assert_eq!(pages.order.len(), CAPACITY);
        assert!(pages.get(b"0").is_none() && pages.get(b"1").is_none());
        assert!(pages.get(b"2").is_some());
        assert!(pages.get(CAPACITY.to_string().as_bytes()).is_some());
    }
}
