//! Who is logged in with a session cookie, from memory when the session was seen in the last
//! [`FRESH_FOR`], else with one query. A session ended here (logout) or on another instance
//! (heard through the [`Notifier`]) is forgotten at once, and a session past its end is never
//! answered, so logout and expiry take effect at once everywhere; while the notifier is not live,
//! every lookup reads the database.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::clock::Clock;
use crate::notifier::{Invalidation, Notifier};
use crate::sessions::{StoredSession, queries};
use crate::store::{Store, StoreError};
use crate::users::User;

/// How long a session's user is answered from memory.
pub const FRESH_FOR: Duration = Duration::from_secs(30);
/// Past this many sessions, the cache starts again empty (a bound, not an eviction policy).
const MAX_ENTRIES: usize = 100_000;

/// The sessions of logged-in people. Cheap to share (`Arc`).
#[derive(Debug)]
pub struct Sessions {
    store: Store,
    clock: Arc<dyn Clock>,
    notifier: Notifier,
    cache: Arc<Cache>,
}

#[derive(Debug, Default)]
struct Cache {
    entries: RwLock<HashMap<i128, Entry>>,
    /// Bumped by every invalidation: a lookup that started before one does not fill the cache
    /// with what it read, which may be what was just invalidated.
    generation: AtomicU64,
}

#[derive(Debug)]
struct Entry {
    user: Arc<User>,
    expires_at: i64,
    fetched: Instant,
}

impl Cache {
    fn apply(&self, invalidation: Invalidation) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        match invalidation {
            Invalidation::Session(id) => {
                entries.remove(&id);
            }
            Invalidation::User(id) => entries.retain(|_, entry| entry.user.id != id),
            Invalidation::Everything => entries.clear(),
            Invalidation::Room(_) | Invalidation::Lobby(_) => {}
        }
    }
}

impl Sessions {
    /// Sessions stored in `store`, timed by `clock`, kept in step with other instances by
    /// `notifier`.
    pub fn new(store: Store, clock: Arc<dyn Clock>, notifier: Notifier) -> Self {
        let cache = Arc::new(Cache::default());
        let heard = Arc::downgrade(&cache);
        notifier.subscribe(move |invalidation| {
            if let Some(cache) = heard.upgrade() {
                cache.apply(invalidation);
            }
        });
        Self {
            store,
            clock,
            notifier,
            cache,
        }
    }

    fn now(&self) -> i64 {
        self.clock.utc().timestamp()
    }

    /// The user logged in with session `id`, if it has not ended: at most one query, none when
    /// the session was seen in the last [`FRESH_FOR`].
    pub async fn signed_in(&self, id: i128) -> Result<Option<Arc<User>>, StoreError> {
        let now = self.now();
        if self.notifier.is_live() {
            let entries = self.cache.entries.read().unwrap_or_else(|e| e.into_inner());
            if let Some(entry) = entries.get(&id)
                && entry.expires_at > now
                && self.clock.now().saturating_duration_since(entry.fetched) < FRESH_FOR
            {
                return Ok(Some(entry.user.clone()));
            }
        }
        let generation = self.cache.generation.load(Ordering::Acquire);
        let Some((user, expires_at)) = queries::signed_in(&self.store, id, now).await? else {
            return Ok(None);
        };
        let user = Arc::new(user);
        if self.notifier.is_live() {
            let mut entries = self
                .cache
                .entries
                .write()
                .unwrap_or_else(|e| e.into_inner());
            if self.cache.generation.load(Ordering::Acquire) == generation {
                if entries.len() >= MAX_ENTRIES {
                    entries.clear();
                }
                let fetched = self.clock.now();
                let entry = Entry {
                    user: user.clone(),
                    expires_at,
                    fetched,
                };
                entries.insert(id, entry);
            }
        }
        Ok(Some(user))
    }

    /// The stored session `id`, if it has not ended.
    pub async fn load(&self, id: i128) -> Result<Option<StoredSession>, StoreError> {
        queries::load(&self.store, id, self.now()).await
    }

    /// Stores `session` (a login), replacing any session with its id.
    pub async fn save(&self, session: &StoredSession) -> Result<(), StoreError> {
        queries::save(&self.store, session).await?;
        self.notifier
            .publish(Invalidation::Session(session.id))
            .await;
        Ok(())
    }

    /// Ends session `id` here and on every instance.
    pub async fn end(&self, id: i128) -> Result<(), StoreError> {
        queries::delete(&self.store, id).await?;
        self.notifier.publish(Invalidation::Session(id)).await;
        Ok(())
    }

    /// Deletes the sessions that have ended; returns how many.
    pub async fn delete_expired(&self) -> Result<u64, StoreError> {
        queries::delete_expired(&self.store, self.now()).await
    }
}
