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
//!
//! A remembered page is also kept compressed, for the browsers that take gzip (all of them), so
//! that answering it again costs no compression either: each piece between two nonces is
//! compressed once (raw deflate, flushed to a byte boundary), and a response puts its fresh
//! nonce between them as an uncompressed ("stored") deflate block (RFC 1951 §3.2.4), inside a
//! gzip member whose checksum is computed for that response (RFC 1952).

use std::collections::{HashMap, VecDeque};
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use flate2::Compression;
use flate2::write::DeflateEncoder;
use http::header::{ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_LENGTH, SET_COOKIE, VARY};
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use leptos::nonce::Nonce;
use meet_app::api::rooms::{LookedUpRoom, room_entry};
use meet_app::bundle::Bundle;
use meet_app::shell::CSP_NONCE_HEADER;
use meet_domain::Requester;
use meet_types::RequesterView;

use crate::state::AppState;

/// How many pages are remembered.
pub const CAPACITY: usize = 512;
/// Pages larger than this are not remembered (a meeting page is about 4 KB).
const LARGEST: usize = 256 * 1024;

/// The remembered pages of one server.
#[derive(Default)]
pub struct MeetingPages {
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
/// where its nonce was, as they are and compressed.
struct Page {
    headers: HeaderMap,
    pieces: Vec<Bytes>,
    /// Each piece as raw deflate data: every one but the last ends on a byte boundary, in a
    /// block that is not the stream's last; the last ends the stream. Compressed when the page
    /// is first answered compressed, so that a page asked for once costs no compression.
    /// `None` when compressing failed: the page is then sent as it is.
    deflated: OnceLock<Option<Vec<Vec<u8>>>>,
}

impl MeetingPages {
    /// How many meeting pages were rendered, and how many answered from memory.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.rendered.load(Ordering::Relaxed),
            self.answered_from_memory.load(Ordering::Relaxed),
        )
    }

    /// How many pages are remembered.
    pub fn remembered(&self) -> usize {
        self.lock().by_key.len()
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
pub async fn serve(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path();
    // Without percent-escapes, the page's address parameter is the segment as it is, so the
    // room looked up here is the one the page asks for.
    if request.method() != Method::GET
        || Bundle::for_path(path) != Bundle::Meeting
        || path.contains('%')
    {
        return next.run(request).await;
    }
    let slug = path[1..].to_owned();
    let pages = &state.meeting_pages;
    let (Some(requester), Some(view)) = (
        request.extensions().get::<Requester>().cloned(),
        request.extensions().get::<RequesterView>().cloned(),
    ) else {
        return next.run(request).await;
    };
    let entry = room_entry(&state.services, &requester, &slug).await;
    let target = request.uri().path_and_query().map(|p| p.as_str());
    let Ok(key) = serde_json::to_vec(&(target, &view, &entry)) else {
        return next.run(request).await;
    };
    let remembered = pages.lock().get(&key);
    if let Some(page) = remembered {
        pages.answered_from_memory.fetch_add(1, Ordering::Relaxed);
        return page.answer(takes_gzip(request.headers()));
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
        headers.remove(CONTENT_LENGTH);
        let pieces = split(&body, nonce.as_bytes());
        let page = Page::new(headers, pieces);
        pages.lock().remember(key, page);
    }
    Response::from_parts(parts, Body::from(body))
}

impl Page {
    fn new(headers: HeaderMap, pieces: Vec<Bytes>) -> Self {
        Self {
            headers,
            pieces,
            deflated: OnceLock::new(),
        }
    }

    fn deflated(&self) -> Option<&[Vec<u8>]> {
        self.deflated
            .get_or_init(|| {
                let last = self.pieces.len() - 1;
                let deflated = self
                    .pieces
                    .iter()
                    .enumerate()
                    .map(|(index, piece)| deflate(piece, index == last))
                    .collect::<Result<Vec<_>, _>>();
                deflated
                    .inspect_err(|error| tracing::error!(%error, "cannot compress a meeting page"))
                    .ok()
            })
            .as_deref()
    }

    /// The page with a fresh nonce, in its scripts and in the header the security layer reads;
    /// gzip-compressed when `gzip` (else, or when that fails, as it is: the compression layer
    /// then compresses it as any response).
    fn answer(&self, gzip: bool) -> Response {
        let nonce = Nonce::new();
        let compressed = gzip.then(|| self.gzip(nonce.as_bytes())).flatten();
        let gzip = compressed.is_some();
        let body = compressed.unwrap_or_else(|| self.plain(nonce.as_bytes()));
        let mut response = Response::new(Body::from(body));
        *response.headers_mut() = self.headers.clone();
        let headers = response.headers_mut();
        if gzip {
            headers.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            headers.append(VARY, HeaderValue::from_static("accept-encoding"));
        }
        if let Ok(value) = HeaderValue::from_str(&nonce) {
            headers.insert(HeaderName::from_static(CSP_NONCE_HEADER), value);
        }
        response
    }

    /// The pieces with `nonce` between them.
    fn plain(&self, nonce: &[u8]) -> Vec<u8> {
        let mut body = Vec::with_capacity(
            self.pieces.iter().map(Bytes::len).sum::<usize>()
                + nonce.len() * (self.pieces.len() - 1),
        );
        for (index, piece) in self.pieces.iter().enumerate() {
            if index > 0 {
                body.extend_from_slice(nonce);
            }
            body.extend_from_slice(piece);
        }
        body
    }

    /// A gzip member of the pieces with `nonce` between them: the compressed pieces, the nonce
    /// in stored blocks between them, and the checksum and length of the whole.
    /// `None` when the page could not be compressed, or `nonce` is longer than a stored block.
    fn gzip(&self, nonce: &[u8]) -> Option<Vec<u8>> {
        // ID1 ID2, deflate, no flags, no time, no extra flags, unknown operating system.
        const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
        let deflated = self.deflated()?;
        let nonce_length = u16::try_from(nonce.len()).ok()?;
        let mut body = Vec::with_capacity(
            HEADER.len()
                + deflated.iter().map(Vec::len).sum::<usize>()
                + (nonce.len() + 5) * (self.pieces.len() - 1)
                + 8,
        );
        body.extend_from_slice(&HEADER);
        let mut crc = crc32fast::Hasher::new();
        let mut length = 0usize;
        for (index, (piece, deflated)) in self.pieces.iter().zip(deflated).enumerate() {
            if index > 0 {
                stored_block(&mut body, nonce, nonce_length);
                crc.update(nonce);
                length += nonce.len();
            }
            body.extend_from_slice(deflated);
            crc.update(piece);
            length += piece.len();
        }
        body.extend_from_slice(&crc.finalize().to_le_bytes());
        // ISIZE: the length modulo 2^32.
        body.extend_from_slice(&(length as u32).to_le_bytes());
        Some(body)
    }
}

/// `data` as raw deflate data (level 6), from a byte boundary: ending the stream when `last`,
/// else sync-flushed, which ends it on a byte boundary in a block that is not the last.
fn deflate(data: &[u8], last: bool) -> std::io::Result<Vec<u8>> {
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(data)?;
    if last {
        return encoder.finish();
    }
    encoder.flush()?;
    // Taken before the encoder is dropped, which would end the stream.
    Ok(std::mem::take(encoder.get_mut()))
}

/// Appends `data`, of `length` bytes, as a stored deflate block that is not the last one,
/// starting on a byte boundary: the block header's three bits padded to a byte (0), then the
/// length and its one's complement, little-endian.
fn stored_block(body: &mut Vec<u8>, data: &[u8], length: u16) {
    body.push(0);
    body.extend_from_slice(&length.to_le_bytes());
    body.extend_from_slice(&(!length).to_le_bytes());
    body.extend_from_slice(data);
}

/// Whether the request's `Accept-Encoding` takes gzip (by name or `*`, with a quality above 0).
fn takes_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let refused = parts.any(|parameter| {
                let parameter = parameter.trim();
                parameter.strip_prefix("q=").is_some_and(|quality| {
                    quality
                        .trim()
                        .parse::<f32>()
                        .map_or(true, |quality| quality <= 0.0)
                })
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
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

    fn gunzip(body: &[u8]) -> Vec<u8> {
        use std::io::Read;
        let mut decoder = flate2::read::GzDecoder::new(body);
        let mut plain = Vec::new();
        decoder
            .read_to_end(&mut plain)
            .expect("a valid gzip member");
        // Nothing after the member.
        assert!(decoder.into_inner().is_empty());
        plain
    }

    /// Text that compresses like a page (repeated markup), of `size` bytes.
    fn markup(size: usize, seed: usize) -> Bytes {
        let text: String = (0..)
            .flat_map(|i| {
                let line = format!("<p class=\"line-{}\">{}</p>", (i * 7 + seed) % 13, i * seed);
                line.into_bytes().into_iter().map(char::from)
            })
            .take(size)
            .collect();
        Bytes::from(text)
    }

    #[test]
    fn the_compressed_page_is_the_page_with_each_nonce() {
        let shapes: [Vec<Bytes>; 4] = [
            vec![markup(4_000, 1)],
            vec![markup(300, 2), markup(5_000, 3), Bytes::new()],
            vec![Bytes::new(), Bytes::new(), markup(10, 4)],
            // Pieces larger than a deflate window and than one output buffer.
            vec![markup(200_000, 5), markup(90_000, 6), markup(70_000, 7)],
        ];
        for pieces in shapes {
            let page = Page::new(HeaderMap::new(), pieces);
            for nonce in [&b"QUJDREVGR0hJSktMTU5PUA"[..], b"x", b""] {
                let plain = page.plain(nonce);
                let compressed = page.gzip(nonce).expect("compressed");
                assert_eq!(gunzip(&compressed), plain);
                if plain.len() > 1_000 {
                    assert!(compressed.len() < plain.len() / 2, "{}", plain.len());
                }
            }
        }
    }

    #[test]
    fn gzip_is_sent_to_those_who_take_it() {
        let takes = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(
                ACCEPT_ENCODING,
                HeaderValue::from_str(value).expect("value"),
            );
            takes_gzip(&headers)
        };
        for value in [
            "gzip, deflate, br, zstd",
            "GZIP",
            "br;q=1.0, gzip;q=0.8",
            "*",
            " gzip ;q=1",
        ] {
            assert!(takes(value), "{value}");
        }
        for value in [
            "br",
            "identity",
            "gzip;q=0",
            "gzip; q=0.0",
            "x-gzip-not",
            "gzip;q=nonsense",
            "",
        ] {
            assert!(!takes(value), "{value}");
        }
        assert!(!takes_gzip(&HeaderMap::new()));
    }

    #[test]
    fn the_oldest_page_goes_first() {
        let mut pages = Remembered::default();
        let page = || Page::new(HeaderMap::new(), vec![Bytes::from_static(b"page")]);
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
