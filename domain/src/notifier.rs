//! Telling every Meet instance that something it may have kept in memory changed: a session
//! ended, a user changed, a room changed or went. Each instance applies what it publishes at
//! once; with PostgreSQL, the other instances sharing the database hear of it through
//! `LISTEN`/`NOTIFY` on [`CHANNEL`]. A SQLite database belongs to one instance, which needs
//! nothing more.
//!
//! Caches serve from memory only while the notifier is [live](Notifier::is_live): while the
//! connection that listens is lost, they read the database every time, and when it comes back
//! they start again empty, so no change published meanwhile is missed.

use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use uuid::Uuid;

use crate::store::Store;

/// The PostgreSQL channel Meet's instances notify each other on.
pub const CHANNEL: &str = "meet_invalidations";

/// How long to wait before listening again after the connection was lost.
const RECONNECT_DELAY: Duration = Duration::from_secs(1);

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalidation {
    /// The session with this id (as in its cookie) ended.
    Session(SessionKey),
    /// The user with this id changed.
    User(Uuid),
    /// The room with this id changed or is gone.
    Room(Uuid),
    /// Someone asked to enter the room with this id, or a host decided, or a waiting person left.
    Lobby(Uuid),
    /// Anything may have changed (after the listening connection was lost).
    Everything,
}

/// A session id as Meet stores it (tower-sessions' 128-bit id).
pub type SessionKey = i128;

impl fmt::Display for Invalidation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Session(id) => write!(f, "session:{id}"),
            Self::User(id) => write!(f, "user:{id}"),
            Self::Room(id) => write!(f, "room:{id}"),
            Self::Lobby(id) => write!(f, "lobby:{id}"),
            Self::Everything => f.write_str("everything"),
        }
    }
}

impl FromStr for Invalidation {
    type Err = ();

    fn from_str(payload: &str) -> Result<Self, ()> {
        match payload.split_once(':') {
            Some(("session", id)) => id.parse().map(Self::Session).map_err(drop),
            Some(("user", id)) => Uuid::parse_str(id).map(Self::User).map_err(drop),
            Some(("room", id)) => Uuid::parse_str(id).map(Self::Room).map_err(drop),
            Some(("lobby", id)) => Uuid::parse_str(id).map(Self::Lobby).map_err(drop),
            _ if payload == "everything" => Ok(Self::Everything),
            _ => Err(()),
        }
    }
}

type Handler = Arc<dyn Fn(Invalidation) + Send + Sync>;

/// Publishes [`Invalidation`]s to the handlers of this instance and, with PostgreSQL, of every
/// other instance. Cheap to clone.
#[derive(Clone)]
pub struct Notifier {
    inner: Arc<Inner>,
}

struct Inner {
    /// Tells this instance's notifications from the others' (it has applied its own already).
    origin: Uuid,
    handlers: RwLock<Vec<Handler>>,
    live: AtomicBool,
    /// Where to tell the other instances; `None` when there are none (SQLite, tests).
    store: Option<Store>,
}

impl fmt::Debug for Notifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Notifier")
            .field("live", &self.is_live())
            .field("shared", &self.inner.store.is_some())
            .finish_non_exhaustive()
    }
}

impl Default for Notifier {
    fn default() -> Self {
        Self::in_process()
    }
}

impl Notifier {
    /// A notifier for one instance: what it publishes reaches its own handlers only.
    pub fn in_process() -> Self {
        Self::with(None, true)
    }

    /// The notifier for `store`: in-process for SQLite; for PostgreSQL, one that also tells and
    /// hears the other instances, listening from a task spawned here (not live until it is).
    pub fn for_store(store: &Store) -> Self {
        match store {
            Store::Sqlite(_) => Self::in_process(),
            Store::Postgres(pool) => {
                let notifier = Self::with(Some(store.clone()), false);
                // A pool of its own: the listening connection is held for good, and must not
                // take one of the connections requests are served with.
                let own = sqlx::postgres::PgPoolOptions::new()
                    .max_connections(1)
                    .connect_lazy_with(pool.connect_options().as_ref().clone());
                tokio::spawn(listen(notifier.clone(), own));
                notifier
            }
        }
    }

    fn with(store: Option<Store>, live: bool) -> Self {
        Self {
            inner: Arc::new(Inner {
                origin: Uuid::new_v4(),
                handlers: RwLock::default(),
                live: AtomicBool::new(live),
                store,
            }),
        }
    }

    /// Calls `handler` with every invalidation, this instance's and the others'.
    pub fn subscribe(&self, handler: impl Fn(Invalidation) + Send + Sync + 'static) {
        let mut handlers = self
            .inner
            .handlers
            .write()
            .unwrap_or_else(|e| e.into_inner());
        handlers.push(Arc::new(handler));
    }

    /// Whether every change published anywhere reaches this instance: caches serve from memory
    /// only then.
    pub fn is_live(&self) -> bool {
        self.inner.live.load(Ordering::Acquire)
    }

    /// Applies `invalidation` here at once, then tells the other instances. A failure to tell
    /// them is logged: they learn of it when their cached copies expire.
    pub async fn publish(&self, invalidation: Invalidation) {
        self.deliver(invalidation);
        let Some(Store::Postgres(pool)) = &self.inner.store else {
            return;
        };
        let sent = sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(format!("{} {invalidation}", self.inner.origin))
            .execute(pool)
            .await;
        if let Err(error) = sent {
            tracing::warn!(%error, %invalidation, "cannot tell the other instances");
        }
    }

    /// What a notification says: `None` when it is this instance's own.
    fn heard(&self, payload: &str) -> Result<Option<Invalidation>, ()> {
        let (origin, invalidation) = payload.split_once(' ').ok_or(())?;
        let invalidation = invalidation.parse()?;
        let own = Uuid::parse_str(origin).map_err(drop)? == self.inner.origin;
        Ok((!own).then_some(invalidation))
    }

    fn deliver(&self, invalidation: Invalidation) {
        let handlers = self
            .inner
            .handlers
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        for handler in handlers {
            handler(invalidation);
        }
    }

    /// What happens when the listening connection is lost: everything is forgotten, and caches
    /// read the database until it is back.
    #[cfg(feature = "test-support")]
    pub fn simulate_lost_connection(&self) {
        self.set_live(false);
        self.deliver(Invalidation::Everything);
    }

    fn set_live(&self, live: bool) {
        self.inner.live.store(live, Ordering::Release);
    }
}

/// Listens on [`CHANNEL`] for as long as the process runs, reconnecting when the connection is
/// lost; everything is forgotten each time it (re)connects, since changes may have been missed.
async fn listen(notifier: Notifier, pool: sqlx::PgPool) {
    loop {
        match sqlx::postgres::PgListener::connect_with(&pool).await {
            Ok(mut listener) => {
                if let Err(error) = listener.listen(CHANNEL).await {
                    tracing::warn!(%error, "cannot listen for other instances' changes");
                } else {
                    notifier.deliver(Invalidation::Everything);
                    notifier.set_live(true);
                    while let Ok(Some(notification)) = listener.try_recv().await {
                        match notifier.heard(notification.payload()) {
                            Ok(Some(invalidation)) => notifier.deliver(invalidation),
                            Ok(None) => {}
                            Err(()) => tracing::warn!(
                                payload = notification.payload(),
                                "an unknown change notification; ignored"
                            ),
                        }
                    }
                    notifier.set_live(false);
                    notifier.deliver(Invalidation::Everything);
                    tracing::warn!("lost the connection that hears other instances' changes");
                }
            }
            Err(error) => tracing::warn!(%error, "cannot listen for other instances' changes"),
        }
        tokio::time::sleep(RECONNECT_DELAY).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn invalidations_survive_the_wire() {
        for invalidation in [
            Invalidation::Session(-42),
            Invalidation::User(Uuid::nil()),
            Invalidation::Room(Uuid::max()),
            Invalidation::Lobby(Uuid::max()),
            Invalidation::Everything,
        ] {
            assert_eq!(invalidation.to_string().parse(), Ok(invalidation));
        }
        for payload in [
            "",
            "user:",
            "user:x",
            "room",
            "lobby:",
            "session:1e3",
            "nothing",
        ] {
            assert_eq!(payload.parse::<Invalidation>(), Err(()), "{payload}");
        }
        let (here, elsewhere) = (Notifier::in_process(), Notifier::in_process());
        let said = format!("{} user:{}", here.inner.origin, Uuid::nil());
        assert_eq!(here.heard(&said), Ok(None), "its own");
        assert_eq!(
            elsewhere.heard(&said),
            Ok(Some(Invalidation::User(Uuid::nil())))
        );
        assert_eq!(elsewhere.heard("user:x"), Err(()));
    }

    #[tokio::test]
    async fn what_is_published_reaches_every_handler_at_once() {
        let notifier = Notifier::in_process();
        let heard = Arc::new(Mutex::new(Vec::new()));
        for _ in 0..2 {
            let heard = heard.clone();
            notifier.subscribe(move |invalidation| heard.lock().unwrap().push(invalidation));
        }
        notifier.publish(Invalidation::Room(Uuid::nil())).await;
        assert_eq!(*heard.lock().unwrap(), [Invalidation::Room(Uuid::nil()); 2]);
        assert!(notifier.is_live());
    }
}
