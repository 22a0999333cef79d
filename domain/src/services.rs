//! Everything the domain needs from the outside, built once at startup and shared: the store,
//! the deployment's room settings, and one slot per external system, filled by
//! [`ServicesBuilder`] (tests fill them with fakes).

use std::sync::Arc;
use std::time::Duration;

use meet_types::AccessLevel;

use crate::analytics::Analytics;
use crate::analytics::usage::Operators;
use crate::clock::{Clock, SystemClock};
use crate::guest::GuestIds;
use crate::limits::{ROOM_CREATION, RateLimit, RateLimiter};
use crate::livekit::rooms::LiveKitRooms;
use crate::livekit::token::TokenSettings;
use crate::mailer::{LogMailer, Mailer};
use crate::notifier::Notifier;
use crate::recording::Recordings;
use crate::rooms::cache::RoomCache;
use crate::sessions::Sessions;
use crate::store::Store;

/// The deployment's choices about rooms.
#[derive(Debug, Clone)]
pub struct RoomSettings {
    /// Rooms that exist only by their address may be joined (`ALLOW_UNREGISTERED_ROOMS`).
    pub allow_unregistered_rooms: bool,
    /// Access level of new rooms when neither the request nor the user says
    /// (`RESOURCE_DEFAULT_ACCESS_LEVEL`).
    pub default_access_level: AccessLevel,
    /// Logged-in people may pick the name others see
    /// (`AUTHENTICATED_PARTICIPANTS_CAN_EDIT_DISPLAY_NAME`).
    pub authenticated_can_edit_display_name: bool,
    /// The most rooms one user may own (`MAX_ROOMS_PER_USER`): bounds the work any list of a
    /// user's rooms costs.
    pub max_rooms_per_user: u32,
    /// How often one user or guest may ask to enter a room through its lobby
    /// (`REQUEST_ENTRY_THROTTLE_RATES`).
    pub request_entry_limit: RateLimit,
    /// How long to wait for LiveKit when keeping a room's metadata in step.
    pub livekit_timeout: Duration,
    pub token: TokenSettings,
}

/// The domain's collaborators. Cheap to clone.
#[derive(Clone)]
pub struct Services {
    pub store: Store,
    /// The LiveKit server's room administration.
    pub livekit: Arc<dyn LiveKitRooms>,
    /// Where the domain reads the time.
    pub clock: Arc<dyn Clock>,
    /// Tells every instance what changed (see [`Notifier`]).
    pub notifier: Notifier,
    /// The deployment's choices about rooms.
    pub settings: Arc<RoomSettings>,
    /// Rooms recently loaded by address (see [`RoomCache`]).
    pub room_cache: Arc<RoomCache>,
    /// Logged-in people's sessions.
    pub sessions: Arc<Sessions>,
    /// Issues and recognises guests' identities.
    pub guests: Arc<GuestIds>,
    /// How fast each user may create rooms.
    pub room_creations: Arc<RateLimiter<uuid::Uuid>>,
    /// Wakes the lobby's push streams when it changes.
    pub lobby_changes: Arc<crate::lobby::changes::LobbyChanges>,
    /// This instance, as the lobby entries whose guests' push streams it holds name it.
    pub instance: uuid::Uuid,
    /// How fast each user or guest may ask to enter a room (keyed by user id or guest id).
    pub entry_requests: Arc<RateLimiter<uuid::Uuid>>,
    /// Recording's settings and workers; `None` while recording is off.
    pub recordings: Option<Arc<Recordings>>,
    /// Sends emails (by default, writes them to the log).
    pub mailer: Arc<dyn Mailer>,
    /// Records product events (by default, nothing).
    pub analytics: Analytics,
    /// How fast each participant (by room and identity) may send batches of events.
    pub browser_batches: Arc<RateLimiter<(String, String)>>,
    /// Who may see the deployment's usage (`MEET_ADMIN_EMAILS`).
    pub operators: Arc<Operators>,
}

impl Services {
    /// Records the product event `event`, done by `actor` at `place`, now (see [`Analytics`]).
    pub fn emit(
        &self,
        event: crate::analytics::Event,
        actor: crate::analytics::Actor<'_>,
        place: crate::analytics::Place<'_>,
    ) {
        self.analytics.emit(event, self.clock.utc(), actor, place);
    }

    /// As [`Self::emit`], for an event done by `user` outside any room.
    pub fn emit_by(&self, event: crate::analytics::Event, user: &crate::users::User) {
        self.emit(event, user_actor(user), crate::analytics::Place::default());
    }

    /// Services over `store` with `settings`, talking to `livekit`; the other slots hold the
    /// production systems unless the builder is given others.
    pub fn builder(
        store: Store,
        settings: RoomSettings,
        livekit: Arc<dyn LiveKitRooms>,
    ) -> ServicesBuilder {
        ServicesBuilder {
            store,
            settings,
            livekit,
            clock: None,
            notifier: None,
            recordings: None,
            mailer: None,
            analytics: Analytics::off(),
            operators: Operators::default(),
        }
    }
}

/// Builds [`Services`]: one slot per external system.
#[must_use]
pub struct ServicesBuilder {
    store: Store,
    settings: RoomSettings,
    livekit: Arc<dyn LiveKitRooms>,
    clock: Option<Arc<dyn Clock>>,
    notifier: Option<Notifier>,
    recordings: Option<Recordings>,
    mailer: Option<Arc<dyn Mailer>>,
    analytics: Analytics,
    operators: Operators,
}

impl ServicesBuilder {
    /// The LiveKit server's room administration.
    pub fn livekit(mut self, livekit: Arc<dyn LiveKitRooms>) -> Self {
        self.livekit = livekit;
        self
    }

    /// Where time is read (default: the system's).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// How instances hear of each other's changes (default: [`Notifier::for_store`], which
    /// with PostgreSQL starts listening, so `build` must then run within a Tokio runtime).
    pub fn notifier(mut self, notifier: Notifier) -> Self {
        self.notifier = Some(notifier);
        self
    }

    /// Where emails go (default: the log).
    pub fn mailer(mut self, mailer: Arc<dyn Mailer>) -> Self {
        self.mailer = Some(mailer);
        self
    }

    /// Records product events there (default: off).
    pub fn analytics(mut self, analytics: Analytics) -> Self {
        self.analytics = analytics;
        self
    }

    /// Who may see the deployment's usage (default: nobody).
    pub fn operators(mut self, operators: Operators) -> Self {
        self.operators = operators;
        self
    }

    /// Turns recording on, with these settings and workers (default: off).
    pub fn recordings(mut self, recordings: Recordings) -> Self {
        self.recordings = Some(recordings);
        self
    }

    pub fn build(self) -> Services {
        let Self {
            store,
            settings,
            livekit,
            clock,
            notifier,
            recordings,
            mailer,
            analytics,
            operators,
        } = self;
        let clock = clock.unwrap_or_else(|| Arc::new(SystemClock));
        let notifier = notifier.unwrap_or_else(|| Notifier::for_store(&store));
        let guests = Arc::new(GuestIds::new(settings.token.api_secret.expose().as_bytes()));
        let entry_requests = Arc::new(RateLimiter::new(settings.request_entry_limit));
        let lobby_changes = crate::lobby::changes::LobbyChanges::new(&notifier);
        Services {
            room_cache: Arc::new(RoomCache::new(clock.clone(), &notifier)),
            sessions: Arc::new(Sessions::new(
                store.clone(),
                clock.clone(),
                notifier.clone(),
            )),
            store,
            livekit,
            clock,
            notifier,
            settings: Arc::new(settings),
            guests,
            room_creations: Arc::new(RateLimiter::new(ROOM_CREATION)),
            entry_requests,
            lobby_changes,
            instance: uuid::Uuid::new_v4(),
            recordings: recordings.map(Arc::new),
            mailer: mailer.unwrap_or_else(|| Arc::new(LogMailer)),
            analytics,
            browser_batches: Arc::new(RateLimiter::new(crate::analytics::browser::BATCHES)),
            operators: Arc::new(operators),
        }
    }
}

/// `user` as analytics counts them: by their identity in meetings (their `sub`); nobody before
/// their first login (a user provisioned by email does nothing until then).
pub fn user_actor(user: &crate::users::User) -> crate::analytics::Actor<'_> {
    user.sub.as_deref().map_or(
        crate::analytics::Actor::Nobody,
        crate::analytics::Actor::User,
    )
}
