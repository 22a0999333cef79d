//! The lobby, pushed: Server-Sent Events instead of La Suite Meet's polling (see the README for
//! why SSE). Two streams, each a plain `GET` an `EventSource` opens with the page's cookies:
//!
//! - `/events/rooms/{id}/entry`: a waiting person follows their request (made with
//!   `request-entry`). Events `entry` (the same JSON as `request-entry` answers) whenever where
//!   they stand changes; the stream ends after `accepted` (with credentials) or `denied`, and
//!   with `gone` when their request lapsed or a host removed it. While it is open, the request
//!   stays alive; when it closes (the tab closed), a request still waiting is withdrawn.
//! - `/events/rooms/{id}/waiting`: a host follows who waits. Event `waiting`
//!   (`{"participants": […]}` as `waiting-participants` answers) at once and on every change;
//!   the stream ends when they may no longer see it.

use std::convert::Infallible;

use axum::extract::{Extension, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::Stream;
use meet_domain::lobby::{self, Following};
use meet_domain::{Requester, Services};
use meet_types::{LobbyParticipant, LobbyStatus};
use serde_json::json;

use crate::api::error::ApiError;
use crate::api::extract::ApiPath;
use crate::api::rooms::EntryResponse;
use crate::state::AppState;

/// `GET /events/rooms/{id}/entry`.
pub async fn entry(
    State(state): State<AppState>,
    Extension(requester): Extension<Requester>,
    ApiPath(key): ApiPath<String>,
) -> Result<Response, ApiError> {
    let services = state.services.clone();
    let following = lobby::follow(&services, &requester, &key).await?;
    let stream = EntryStream {
        services,
        requester,
        following,
        last: None,
        done: false,
    };
    Ok(sse(futures_util::stream::unfold(stream, EntryStream::next)))
}

/// `GET /events/rooms/{id}/waiting`.
pub async fn waiting(
    State(state): State<AppState>,
    Extension(requester): Extension<Requester>,
    ApiPath(key): ApiPath<String>,
) -> Result<Response, ApiError> {
    let services = state.services.clone();
    let changes = lobby::watch_waiting(&services, &requester, &key).await?;
    let stream = WaitingStream {
        services,
        requester,
        key,
        changes,
        last: None,
    };
    Ok(sse(futures_util::stream::unfold(
        stream,
        WaitingStream::next,
    )))
}

fn sse(stream: impl Stream<Item = Result<Event, Infallible>> + Send + 'static) -> Response {
    // Counted open for as long as the stream lives.
    let open = crate::metrics::PushConnection::open();
    let stream = futures_util::StreamExt::map(stream, move |event| {
        let _ = &open;
        event
    });
    let mut response = Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response();
    // Proxies must pass events on as they come.
    response
        .headers_mut()
        .insert("x-accel-buffering", http::HeaderValue::from_static("no"));
    response
}

/// A waiting person's stream. Dropping it (the connection closed) withdraws a request still
/// waiting.
struct EntryStream {
    services: Services,
    requester: Requester,
    following: Following,
    last: Option<LobbyParticipant>,
    done: bool,
}

impl EntryStream {
    async fn next(mut self) -> Option<(Result<Event, Infallible>, Self)> {
        if self.done {
            return None;
        }
        loop {
            match self
                .following
                .current(&self.services, &self.requester)
                .await
            {
                Ok(Some(answer)) if self.last.as_ref() != Some(&answer.participant) => {
                    self.done = answer.participant.status != LobbyStatus::Waiting;
                    self.last = Some(answer.participant.clone());
                    let data =
                        serde_json::to_string(&EntryResponse::from(answer)).unwrap_or_default();
                    let event = Event::default().event("entry").data(data);
                    return Some((Ok(event), self));
                }
                Ok(Some(_)) => {}
                Ok(None) => {
                    self.done = true;
                    return Some((Ok(Event::default().event("gone").data("{}")), self));
                }
                Err(error) => {
                    tracing::warn!(%error, "cannot read a lobby entry");
                    return None;
                }
            }
            if self.following.changes.changed().await.is_err() {
                return None;
            }
        }
    }
}

impl Drop for EntryStream {
    fn drop(&mut self) {
        let services = self.services.clone();
        let following = self.following.clone();
        tokio::spawn(async move { following.release(&services).await });
    }
}

/// A host's stream of the waiting list.
struct WaitingStream {
    services: Services,
    requester: Requester,
    key: String,
    changes: tokio::sync::watch::Receiver<u64>,
    last: Option<Vec<LobbyParticipant>>,
}

impl WaitingStream {
    async fn next(mut self) -> Option<(Result<Event, Infallible>, Self)> {
        loop {
            if self.last.is_some() && self.changes.changed().await.is_err() {
                return None;
            }
            // Read again, rights included: a host who lost their role stops hearing.
            let read = lobby::waiting(&self.services, &self.requester, &self.key).await;
            let participants = match read {
                Ok(participants) => participants,
                Err(error) => {
                    tracing::debug!(%error, "a lobby stream ends");
                    return None;
                }
            };
            if self.last.as_ref() == Some(&participants) {
                continue;
            }
            let data = json!({ "participants": participants }).to_string();
            self.last = Some(participants);
            return Some((Ok(Event::default().event("waiting").data(data)), self));
        }
    }
}
