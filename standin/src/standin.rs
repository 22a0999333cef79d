//! [`StandIn`]: starting the server, and the Rust API tests use to arrange and inspect it.

use std::{
    collections::HashMap,
    net::{Ipv4Addr, SocketAddr},
    sync::{Arc, Mutex, MutexGuard, PoisonError},
    time::Duration,
};

use livekit_api::access_token::TokenVerifier;
use livekit_protocol as proto;
use tokio::{net::TcpListener, task::JoinHandle};

use crate::{
    error::{StandInError, StateError, TwirpError},
    faults::Faults,
    notifier::Notifier,
    router,
    state::{SentData, State},
};

/// Locks `mutex`, carrying on after a panic elsewhere: the stand-in's state stays usable even
/// if a test thread panicked while holding the lock.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What the HTTP handlers and the test API share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) verifier: TokenVerifier,
    state: Mutex<State>,
    faults: Mutex<Faults>,
    notifier: Notifier,
}

impl Shared {
    /// Runs `change` on the state, then hands the webhook events it produced to the notifier
    /// (after the lock is released).
    pub(crate) fn with_state<R>(&self, change: impl FnOnce(&mut State) -> R) -> R {
        let (result, events) = {
            let mut state = lock(&self.state);
            let result = change(&mut state);
            (result, state.take_pending_events())
        };
        self.notifier.dispatch(events);
        result
    }

    /// Reads the state.
    pub(crate) fn read<R>(&self, read: impl FnOnce(&State) -> R) -> R {
        read(&lock(&self.state))
    }

    /// The delay before every Twirp answer.
    pub(crate) fn delay(&self) -> Duration {
        lock(&self.faults).delay()
    }

    /// The injected error the current call of `method` must answer, if any.
    pub(crate) fn take_fault(&self, method: &str) -> Option<TwirpError> {
        lock(&self.faults).take(method)
    }
}

/// A running LiveKit stand-in, serving on a loopback port until dropped.
///
/// The Twirp API answers like a LiveKit server that knows one API key. The methods below arrange
/// and inspect its state directly; the same is reachable over HTTP under `/_standin/` for tests
/// that run Meet as a separate process (see the crate's `control` module documentation):
/// `POST /_standin/rooms/{room}/participants` (`{identity, name?, attributes?}`),
/// `POST /_standin/rooms/{room}/participants/{identity}/tracks` (`{source: "camera"}`),
/// `DELETE /_standin/rooms/{room}/participants/{identity}` and `GET /_standin/state`.
#[derive(Debug)]
pub struct StandIn {
    addr: SocketAddr,
    api_key: String,
    api_secret: String,
    shared: Arc<Shared>,
    tasks: [JoinHandle<()>; 2],
}

impl StandIn {
    /// Starts a stand-in on `127.0.0.1` with a free port, accepting tokens signed by
    /// `api_key` / `api_secret`. Must be called inside a tokio runtime.
    ///
    /// # Panics
    ///
    /// If no loopback port can be bound: this is a test fixture, and a failed fixture is a
    /// failed test. Use [`StandIn::bind`] to handle the error instead.
    #[expect(
        clippy::expect_used,
        reason = "a test fixture that cannot start fails the test"
    )]
    pub async fn start(api_key: &str, api_secret: &str) -> Self {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        Self::bind(addr, api_key, api_secret)
            .await
            .expect("the LiveKit stand-in cannot start")
    }

    /// Starts a stand-in on `addr` (port 0 picks a free port). Bind to loopback only: the
    /// `/_standin/` endpoints are unauthenticated.
    pub async fn bind(
        addr: SocketAddr,
        api_key: &str,
        api_secret: &str,
    ) -> Result<Self, StandInError> {
        let bind_error = |source| StandInError::Bind { addr, source };
        let listener = TcpListener::bind(addr).await.map_err(bind_error)?;
        let addr = listener.local_addr().map_err(bind_error)?;
        let (notifier, notifier_task) = Notifier::spawn(api_key.to_owned(), api_secret.to_owned());
        let shared = Arc::new(Shared {
            verifier: TokenVerifier::with_api_key(api_key, api_secret),
            state: Mutex::new(State::default()),
            faults: Mutex::new(Faults::default()),
            notifier,
        });
        let app = router::router(Arc::clone(&shared));
        let server_task = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, app).await {
                tracing::error!(%error, "the LiveKit stand-in stopped serving");
            }
        });
        tracing::debug!(%addr, "LiveKit stand-in listening");
        Ok(Self {
            addr,
            api_key: api_key.to_owned(),
            api_secret: api_secret.to_owned(),
            shared,
            tasks: [server_task, notifier_task],
        })
    }

    /// The HTTP base URL, e.g. `http://127.0.0.1:41234`: the `host` for `RoomClient`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The same address as a `ws://` URL, the form LiveKit URLs usually take in configuration.
    /// The SDK turns it back into `http://`; nothing answers WebSocket signalling on it.
    pub fn ws_url(&self) -> String {
        format!("ws://{}", self.addr)
    }

    /// The socket address served.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The API key tokens must be issued by.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// The API secret tokens must be signed with.
    pub fn api_secret(&self) -> &str {
        &self.api_secret
    }

    /// The room called `name`, if it exists.
    pub fn room(&self, name: &str) -> Option<proto::Room> {
        self.shared.read(|state| state.room(name))
    }

    /// Every room, in creation order.
    pub fn rooms(&self) -> Vec<proto::Room> {
        self.shared.read(|state| state.list_rooms(&[]))
    }

    /// The participants of `room` in join order; empty if the room does not exist.
    pub fn participants(&self, room: &str) -> Vec<proto::ParticipantInfo> {
        self.shared
            .read(|state| state.participants(room).unwrap_or_default())
    }

    /// One participant, if it is in the room.
    pub fn participant(&self, room: &str, identity: &str) -> Option<proto::ParticipantInfo> {
        self.shared
            .read(|state| state.participant(room, identity).ok())
    }

    /// Makes a participant join `room` as if its browser had connected: the room is created if
    /// missing (LiveKit's auto-create), the participant is `ACTIVE` with the default permissions,
    /// and a participant with the same identity is replaced. Fires `room_started` (when created)
    /// and `participant_joined`.
    pub fn add_participant<I, K, V>(
        &self,
        room: &str,
        identity: &str,
        name: &str,
        attributes: I,
    ) -> proto::ParticipantInfo
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let attributes: HashMap<String, String> = attributes
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        self.shared
            .with_state(|state| state.add_participant(room, identity, name, attributes))
    }

    /// Makes the participant publish a track of `source`; fires `track_published`.
    pub fn add_track(
        &self,
        room: &str,
        identity: &str,
        source: proto::TrackSource,
    ) -> Result<proto::TrackInfo, StateError> {
        self.shared
            .with_state(|state| state.add_track(room, identity, source))
    }

    /// Makes the participant leave on its own (`CLIENT_INITIATED`); fires `track_unpublished`
    /// for its tracks and `participant_left`. Returns the participant as it left.
    pub fn disconnect_participant(
        &self,
        room: &str,
        identity: &str,
    ) -> Result<proto::ParticipantInfo, StateError> {
        self.shared.with_state(|state| {
            state.remove_participant(room, identity, proto::DisconnectReason::ClientInitiated)
        })
    }

    /// Every egress started, in start order, as it now is.
    pub fn egresses(&self) -> Vec<proto::EgressInfo> {
        self.shared.read(|state| state.egresses().to_vec())
    }

    /// Ends the egress `egress_id` on its own, as LiveKit does when it reaches its time limit
    /// (`EgressLimitReached`), fails (`EgressFailed`) or is aborted (`EgressAborted`); a complete
    /// or limit-reached one writes its file. Fires `egress_ended`.
    pub fn end_egress(
        &self,
        egress_id: &str,
        status: proto::EgressStatus,
    ) -> Result<proto::EgressInfo, StateError> {
        self.shared
            .with_state(|state| state.end_egress(egress_id, status))
    }

    /// Every `SendData` call received, in order.
    pub fn sent_data(&self) -> Vec<SentData> {
        self.shared.read(|state| state.sent_data().to_vec())
    }

    /// Every authorised Twirp call, in order: the method (e.g. `"CreateRoom"`) and the room it
    /// named (`None` for ListRooms). A call is recorded once its token holds the method's grant,
    /// including calls that then answer an injected fault or a not-found error.
    pub fn calls(&self) -> Vec<(String, Option<String>)> {
        self.shared.read(|state| state.calls().to_vec())
    }

    /// Makes the next call of `method` (e.g. `"CreateRoom"`) answer the Twirp error `code` with
    /// `http_status`, after its auth checks. Several calls queue up.
    pub fn fail_next(&self, method: &str, code: &str, http_status: u16) {
        let error = TwirpError::new(http_status, code, format!("injected fault: {code}"));
        lock(&self.shared.faults).fail_next(method, error);
    }

    /// Delays every Twirp answer by `delay` (zero turns it off), for client timeout tests. The
    /// delay comes first, so a call whose client gave up may still take effect.
    pub fn set_delay(&self, delay: Duration) {
        lock(&self.shared.faults).set_delay(delay);
    }

    /// While on, every authorised call answers 503 `unavailable` "no response from servers",
    /// as the server does when the node hosting a room does not reply.
    pub fn set_unavailable(&self, unavailable: bool) {
        lock(&self.shared.faults).set_unavailable(unavailable);
    }

    /// Allows MutePublishedTrack to unmute (`room.enable_remote_unmute`; off by default, when
    /// unmuting answers 412 `failed_precondition` "remote unmute not enabled").
    pub fn set_remote_unmute(&self, enabled: bool) {
        self.shared
            .with_state(|state| state.set_remote_unmute(enabled));
    }

    /// POSTs the webhook events of later state changes to `url`, signed with this stand-in's
    /// key, in order; a 5xx answer or a transport error is tried again 4 times with backoff, as
    /// LiveKit does, then logged.
    pub fn set_webhook_url(&self, url: Option<&str>) {
        self.shared.notifier.set_url(url.map(str::to_owned));
    }

    /// Waits until every webhook queued so far has been delivered (or has failed).
    pub async fn flush_webhooks(&self) {
        self.shared.notifier.flush().await;
    }

    /// Every webhook event the state changes produced, in order, whether or not a URL was set.
    pub fn webhook_events(&self) -> Vec<proto::WebhookEvent> {
        self.shared.read(|state| state.events().to_vec())
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}
