//! A short-lived cache of rooms by address, for the join request: every participant loads the
//! room, often many at once when a meeting starts. Entries live [`TTL`]. A room that changes or
//! goes is dropped at once here, and on the other instances as soon as the [`Notifier`] tells
//! them (at worst within [`TTL`], small next to the lifetime of the LiveKit tokens already handed
//! out: hours).
//!
//! A meeting code with no room is remembered too, for [`TTL`]: unregistered meetings, which
//! `make run` serves by default, are joined without a query for every participant. A room
//! created at a code replaces that memory here at once, and on the other instances when they
//! hear of the new room. Other absent addresses are not remembered.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use uuid::Uuid;

use crate::clock::Clock;
use crate::notifier::{Invalidation, Notifier};
use crate::rooms::model::Room;
use crate::rooms::queries;
use crate::rooms::slug::RoomKey;
use crate::store::{Store, StoreError};

/// How long a cached room (or the absence of a room at a meeting code) is trusted.
pub const TTL: Duration = Duration::from_secs(2);
/// Past this many entries, the cache starts again empty (a bound, not an eviction policy).
const MAX_ENTRIES: usize = 10_000;

/// Rooms by key (id or slug), with when they were loaded; `None` for a code with no room.
#[derive(Debug)]
pub struct RoomCache {
    entries: Arc<RwLock<Entries>>,
    clock: Arc<dyn Clock>,
}

type Entries = HashMap<CacheKey, (Instant, Option<Arc<Room>>)>;

/// What rooms are cached by: their id and their slug (a meeting code is a slug).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum CacheKey {
    Id(Uuid),
    Slug(String),
}

impl From<&RoomKey> for CacheKey {
    fn from(key: &RoomKey) -> Self {
        match key {
            RoomKey::Id(id) => Self::Id(*id),
            RoomKey::Code(code) => Self::Slug(code.as_str().to_owned()),
            RoomKey::Slug(slug) => Self::Slug(slug.clone()),
        }
    }
}

impl RoomCache {
    /// A cache timed by `clock` that drops what `notifier` says changed.
    pub fn new(clock: Arc<dyn Clock>, notifier: &Notifier) -> Self {
        let entries: Arc<RwLock<Entries>> = Arc::default();
        let heard = Arc::downgrade(&entries);
        notifier.subscribe(move |invalidation| {
            let Some(entries) = heard.upgrade() else {
                return;
            };
            let mut entries = entries.write().unwrap_or_else(|e| e.into_inner());
            match invalidation {
                // A new room may sit at a code remembered as free: forget every free code too.
                Invalidation::Room(id) => {
                    entries.retain(|_, (_, room)| room.as_ref().is_some_and(|room| room.id != id))
                }
                Invalidation::Everything => entries.clear(),
                Invalidation::Session(_) | Invalidation::User(_) | Invalidation::Lobby(_) => {}
            }
        });
        Self { entries, clock }
    }

    /// The room `key` designates, from the cache when fresh, else from the store.
    pub async fn find(
        &self,
        store: &Store,
        key: &RoomKey,
    ) -> Result<Option<Arc<Room>>, StoreError> {
        if let Some(cached) = self.fresh(key) {
            return Ok(cached);
        }
        let Some(room) = queries::find(store, key).await? else {
            if let RoomKey::Code(_) = key {
                self.insert_absent(key);
            }
            return Ok(None);
        };
        let room = Arc::new(room);
        self.insert(&room);
        Ok(Some(room))
    }

    /// `Some(room or None)` when `key` was looked up less than [`TTL`] ago.
    fn fresh(&self, key: &RoomKey) -> Option<Option<Arc<Room>>> {
        let entries = self.entries.read().ok()?;
        let (loaded, room) = entries.get(&CacheKey::from(key))?;
        (self.clock.now().saturating_duration_since(*loaded) < TTL).then(|| room.clone())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Entries> {
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries
    }

    /// Remembers `room`, just loaded or created.
    pub fn insert(&self, room: &Arc<Room>) {
        let now = self.clock.now();
        let mut entries = self.write();
        entries.insert(CacheKey::Id(room.id), (now, Some(room.clone())));
        entries.insert(CacheKey::Slug(room.slug.clone()), (now, Some(room.clone())));
    }

    fn insert_absent(&self, key: &RoomKey) {
        let now = self.clock.now();
        self.write().insert(CacheKey::from(key), (now, None));
    }
}
