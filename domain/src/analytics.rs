//! Product analytics: the events of the catalogue ([`Event`]), recorded where they happen and
//! handed to the deployment's sinks (Meet's database, a PostHog-compatible endpoint, or both)
//! through one bounded queue per sink. Emitting never waits: when a sink is slow or down, its
//! queue fills and further events are dropped and counted, so memory stays bounded and
//! requests keep their speed.
//!
//! Nobody is named: a user appears as a keyed hash of their identity (HMAC-SHA256 with a key
//! derived from `ANALYTICS_SECRET`), a guest only as a hash of their identity in one meeting
//! (unrelated from one meeting to the next), a room and a meeting as hashes too. Events carry
//! no content, email or address. Off by default ([`Analytics::off`]).

pub mod browser;
pub mod queries;
pub mod usage;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

pub use meet_types::analytics::{Event, LobbyOutcome};

use crate::store::Store;

/// How many events wait for a sink at most; past that, events for it are dropped.
pub const QUEUE_CAPACITY: usize = 10_000;

/// The most events a sink is handed at once.
pub const MAX_BATCH: usize = 200;

/// An event as recorded: what, when, and who and where as keyed hashes (32 hex digits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub event: Event,
    /// Who did it: a user's hash, a guest's hash in one meeting, or nobody known.
    pub actor: Option<String>,
    /// The LiveKit room it happened in.
    pub room: Option<String>,
    /// The meeting (one session of a LiveKit room) it happened in, when the browser said.
    pub meeting: Option<String>,
}

/// Who did something, before hashing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor<'a> {
    /// Nobody Meet may count (a visitor, a guest outside a meeting).
    Nobody,
    /// A logged-in user, by their identity (their `sub`, as in meetings).
    User(&'a str),
    /// A participant of a meeting by their LiveKit identity: a user when `authenticated`, else a
    /// guest, who is counted only within that meeting.
    Participant {
        identity: &'a str,
        authenticated: bool,
    },
}

/// Where something happened, before hashing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Place<'a> {
    /// The LiveKit room's name.
    pub room: Option<&'a str>,
    /// The LiveKit room's session id (`RM_…`), as the participant's browser knows it.
    pub meeting: Option<&'a str>,
}

/// Why a sink could not take a batch.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SinkError(pub String);

/// Somewhere events go: handed batches by one task at a time, in order.
#[async_trait]
pub trait Sink: Send + Sync + 'static {
    /// Its name in logs and metrics (`db`, `posthog`).
    fn name(&self) -> &'static str;

    /// Takes `batch`; an error drops it (and counts it as dropped).
    async fn write(&self, batch: &[Recorded]) -> Result<(), SinkError>;
}

/// What a sink's queue has done since startup.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Events the sink took.
    pub written: u64,
    /// Events dropped: the queue was full, or the sink failed.
    pub dropped: u64,
}

/// A sink's queue, as [`Analytics`] holds it.
struct Outlet {
    name: &'static str,
    sender: mpsc::Sender<Message>,
    written: Arc<AtomicU64>,
    dropped: Arc<AtomicU64>,
}

enum Message {
    Event(Recorded),
    /// Answered once every event queued before has been handed to the sink.
    Flush(oneshot::Sender<()>),
}

struct Inner {
    key: Hmac<Sha256>,
    outlets: Vec<Outlet>,
}

/// Records product events. Cheap to clone; [`Analytics::off`] records nothing.
#[derive(Clone, Default)]
pub struct Analytics(Option<Arc<Inner>>);

impl std::fmt::Debug for Analytics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sinks: Vec<&str> = self.outlets().iter().map(|outlet| outlet.name).collect();
        f.debug_tuple("Analytics").field(&sinks).finish()
    }
}

impl Analytics {
    /// Records nothing.
    pub fn off() -> Self {
        Self(None)
    }

    /// Records into `sinks`, hashing identities with a key derived from `secret`; each sink
    /// is fed by its own task (so this must run within a Tokio runtime). No sink: off.
    pub fn new(secret: &[u8], sinks: Vec<Arc<dyn Sink>>) -> Self {
        Self::with_capacity(secret, sinks, QUEUE_CAPACITY)
    }

    /// As [`Self::new`], with queues of `capacity` events.
    pub fn with_capacity(secret: &[u8], sinks: Vec<Arc<dyn Sink>>, capacity: usize) -> Self {
        if sinks.is_empty() {
            return Self::off();
        }
        let outlets = sinks
            .into_iter()
            .map(|sink| {
                let (sender, receiver) = mpsc::channel(capacity.max(1));
                let written = Arc::new(AtomicU64::new(0));
                let dropped = Arc::new(AtomicU64::new(0));
                tokio::spawn(feed(
                    sink.clone(),
                    receiver,
                    written.clone(),
                    dropped.clone(),
                ));
                Outlet {
                    name: sink.name(),
                    sender,
                    written,
                    dropped,
                }
            })
            .collect();
        Self(Some(Arc::new(Inner {
            key: crate::keys::derive(secret, b"meet analytics v1"),
            outlets,
        })))
    }

    /// Whether events are recorded at all.
    pub fn is_on(&self) -> bool {
        self.0.is_some()
    }

    fn outlets(&self) -> &[Outlet] {
        self.0.as_deref().map_or(&[], |inner| &inner.outlets)
    }

    /// Records `event`, done by `actor` at `place`, at `at`. Never waits: a sink whose queue is
    /// full loses it (counted).
    pub fn emit(&self, event: Event, at: DateTime<Utc>, actor: Actor<'_>, place: Place<'_>) {
        let Some(inner) = self.0.as_deref() else {
            return;
        };
        let hash = |parts: &[&str]| {
            let mut mac = inner.key.clone();
            for part in parts {
                mac.update(part.as_bytes());
                mac.update(&[0]);
            }
            let digest = mac.finalize().into_bytes();
            digest[..16]
                .iter()
                .map(|byte| format!("{byte:02x}"))
                .collect::<String>()
        };
        let meeting = match (place.room, place.meeting) {
            (Some(room), Some(meeting)) => Some(hash(&["meeting", room, meeting])),
            _ => None,
        };
        let actor = match actor {
            Actor::Nobody => None,
            Actor::User(identity)
            | Actor::Participant {
                identity,
                authenticated: true,
            } => Some(hash(&["user", identity])),
            Actor::Participant {
                identity,
                authenticated: false,
            } => meeting
                .as_deref()
                .map(|meeting| hash(&["guest", meeting, identity])),
        };
        let recorded = Recorded {
            id: Uuid::new_v4(),
            occurred_at: at,
            event,
            actor,
            room: place.room.map(|room| hash(&["room", room])),
            meeting,
        };
        for outlet in &inner.outlets {
            if outlet
                .sender
                .try_send(Message::Event(recorded.clone()))
                .is_err()
            {
                outlet.dropped.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Waits until every event emitted before has been handed to its sinks (tests, shutdown).
    pub async fn flush(&self) {
        for outlet in self.outlets() {
            let (done, wait) = oneshot::channel();
            if outlet.sender.send(Message::Flush(done)).await.is_ok() {
                let _ = wait.await;
            }
        }
    }

    /// Each sink's name and counts.
    pub fn counts(&self) -> Vec<(&'static str, Counts)> {
        self.outlets()
            .iter()
            .map(|outlet| {
                let counts = Counts {
                    written: outlet.written.load(Ordering::Relaxed),
                    dropped: outlet.dropped.load(Ordering::Relaxed),
                };
                (outlet.name, counts)
            })
            .collect()
    }
}

/// Hands what `receiver` gets to `sink`, in batches of at most [`MAX_BATCH`], until every
/// sender is gone.
async fn feed(
    sink: Arc<dyn Sink>,
    mut receiver: mpsc::Receiver<Message>,
    written: Arc<AtomicU64>,
    dropped: Arc<AtomicU64>,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    let mut waiting = Vec::new();
    while let Some(first) = receiver.recv().await {
        let mut next = Some(first);
        while let Some(message) = next.take() {
            match message {
                Message::Event(event) => batch.push(event),
                Message::Flush(done) => waiting.push(done),
            }
            if batch.len() < MAX_BATCH {
                next = receiver.try_recv().ok();
            }
        }
        if !batch.is_empty() {
            let count = batch.len() as u64;
            match sink.write(&batch).await {
                Ok(()) => {
                    written.fetch_add(count, Ordering::Relaxed);
                }
                Err(error) => {
                    dropped.fetch_add(count, Ordering::Relaxed);
                    tracing::warn!(sink = sink.name(), %error, count, "analytics events dropped");
                }
            }
            batch.clear();
        }
        for done in waiting.drain(..) {
            let _ = done.send(());
        }
    }
}

/// Meet's database as a sink (`ANALYTICS_BACKEND=db`).
pub struct DatabaseSink(pub Store);

#[async_trait]
impl Sink for DatabaseSink {
    fn name(&self) -> &'static str {
        "db"
    }

    async fn write(&self, batch: &[Recorded]) -> Result<(), SinkError> {
        queries::insert(&self.0, batch)
            .await
            .map_err(|error| SinkError(error.to_string()))
    }
}

/// How often events past their retention are deleted.
pub const PURGE_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// Deletes the events stored more than `retention_days` ago at once, then every
/// [`PURGE_EVERY`], for as long as the process runs.
pub async fn purge_forever(store: Store, clock: Arc<dyn crate::clock::Clock>, retention_days: u32) {
    let mut every = tokio::time::interval(PURGE_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        let cutoff = clock.utc() - chrono::Duration::days(i64::from(retention_days));
        match queries::purge_before(&store, cutoff).await {
            Ok(0) => {}
            Ok(purged) => tracing::info!(purged, "analytics events past their retention deleted"),
            Err(error) => tracing::warn!(%error, "cannot delete old analytics events"),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::time::Duration;

    use super::*;

    /// Keeps what it is handed; waits `delay` per batch; fails when told to.
    #[derive(Default)]
    struct Memory {
        batches: Mutex<Vec<Vec<Recorded>>>,
        delay: Option<Duration>,
        fail: bool,
    }

    #[async_trait]
    impl Sink for Memory {
        fn name(&self) -> &'static str {
            "memory"
        }

        async fn write(&self, batch: &[Recorded]) -> Result<(), SinkError> {
            if let Some(delay) = self.delay {
                tokio::time::sleep(delay).await;
            }
            if self.fail {
                return Err(SinkError("down".into()));
            }
            self.batches.lock().unwrap().push(batch.to_vec());
            Ok(())
        }
    }

    fn now() -> DateTime<Utc> {
        Utc::now()
    }

    #[tokio::test]
    async fn events_reach_every_sink_with_hashed_subjects() {
        let first = Arc::new(Memory::default());
        let second = Arc::new(Memory::default());
        let analytics = Analytics::new(b"secret", vec![first.clone(), second.clone()]);
        let place = Place {
            room: Some("room-1"),
            meeting: Some("RM_1"),
        };
        analytics.emit(Event::ChatMessageSent, now(), Actor::User("sub-1"), place);
        let guest = Actor::Participant {
            identity: "guest-1",
            authenticated: false,
        };
        analytics.emit(Event::ScreenShareStarted, now(), guest, place);
        analytics.emit(
            Event::ScreenShareStarted,
            now(),
            guest,
            Place {
                room: Some("room-1"),
                meeting: Some("RM_2"),
            },
        );
        analytics.flush().await;
        let events: Vec<Recorded> = first.batches.lock().unwrap().concat();
        assert_eq!(events, second.batches.lock().unwrap().concat());
        assert_eq!(events.len(), 3);
        let [user, guest_1, guest_2] = [&events[0], &events[1], &events[2]];
        let user_hash = user.actor.clone().unwrap();
        assert_eq!(user_hash.len(), 32);
        assert!(user_hash.bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(!user_hash.contains("sub"));
        // The same user is the same hash wherever they are; a participant who is a user too.
        let again = Analytics::new(b"secret", vec![first.clone()]);
        again.emit(
            Event::HandRaised,
            now(),
            Actor::Participant {
                identity: "sub-1",
                authenticated: true,
            },
            Place::default(),
        );
        again.flush().await;
        let last = first.batches.lock().unwrap().concat().pop().unwrap();
        assert_eq!(last.actor, Some(user_hash.clone()));
        assert_eq!(last.room, None);
        // Another secret, other hashes.
        let other = Analytics::new(b"other", vec![second.clone()]);
        other.emit(Event::Login, now(), Actor::User("sub-1"), Place::default());
        other.flush().await;
        let last = second.batches.lock().unwrap().concat().pop().unwrap();
        assert_ne!(last.actor, Some(user_hash));
        // A guest is someone else in each meeting, and the meetings differ.
        assert_eq!(guest_1.room, guest_2.room);
        assert_ne!(guest_1.meeting, guest_2.meeting);
        assert_ne!(guest_1.actor, guest_2.actor);
        assert!(guest_1.actor.is_some());
        assert_eq!(guest_1.meeting, user.meeting);
    }

    #[tokio::test]
    async fn a_guest_outside_a_meeting_is_nobody() {
        let sink = Arc::new(Memory::default());
        let analytics = Analytics::new(b"secret", vec![sink.clone()]);
        let guest = Actor::Participant {
            identity: "guest-1",
            authenticated: false,
        };
        let place = Place {
            room: Some("room-1"),
            meeting: None,
        };
        analytics.emit(Event::MediaServerUnreachable, now(), guest, place);
        analytics.flush().await;
        let events = sink.batches.lock().unwrap().concat();
        assert_eq!(events[0].actor, None);
        assert!(events[0].room.is_some());
    }

    #[tokio::test]
    async fn a_slow_sink_drops_and_counts_without_holding_anyone() {
        let slow = Arc::new(Memory {
            delay: Some(Duration::from_millis(200)),
            ..Memory::default()
        });
        let fast = Arc::new(Memory::default());
        let analytics = Analytics::with_capacity(b"secret", vec![slow.clone(), fast.clone()], 5);
        for _ in 0..50 {
            analytics.emit(Event::Login, now(), Actor::Nobody, Place::default());
            // Each sink's task may run between two events, as between two requests.
            tokio::task::yield_now().await;
        }
        analytics.flush().await;
        let counts = analytics.counts();
        let (_, slow_counts) = counts[0];
        assert!(slow_counts.dropped >= 40, "{slow_counts:?}");
        assert_eq!(slow_counts.written + slow_counts.dropped, 50);
        let stored: usize = slow.batches.lock().unwrap().iter().map(Vec::len).sum();
        assert_eq!(stored as u64, slow_counts.written);
        // The fast sink was not held back by the slow one (its own queue, its own task): it
        // took every event.
        let (_, fast_counts) = counts[1];
        assert_eq!(
            fast_counts,
            Counts {
                written: 50,
                dropped: 0
            }
        );
        let kept: usize = fast.batches.lock().unwrap().iter().map(Vec::len).sum();
        assert_eq!(kept, 50);
    }

    #[tokio::test]
    async fn a_failing_sink_counts_what_it_lost() {
        let down = Arc::new(Memory {
            fail: true,
            ..Memory::default()
        });
        let analytics = Analytics::new(b"secret", vec![down]);
        for _ in 0..3 {
            analytics.emit(Event::Login, now(), Actor::Nobody, Place::default());
        }
        analytics.flush().await;
        assert_eq!(
            analytics.counts(),
            vec![(
                "memory",
                Counts {
                    written: 0,
                    dropped: 3
                }
            )]
        );
    }

    #[tokio::test]
    async fn off_records_nothing() {
        let analytics = Analytics::off();
        assert!(!analytics.is_on());
        analytics.emit(Event::Login, now(), Actor::Nobody, Place::default());
        analytics.flush().await;
        assert!(analytics.counts().is_empty());
        assert!(!Analytics::new(b"secret", Vec::new()).is_on());
    }
}
