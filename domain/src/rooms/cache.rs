//! A short-lived cache of rooms by address, for the join request: every participant loads the
//! room, often many at once when a meeting starts. Entries live [`TTL`]; this process drops them
//! at once when it changes or deletes the room. Another Meet instance sharing the database sees a
//! change within [`TTL`], which is small next to the lifetime of the LiveKit tokens already
//! handed out (hours). Absent rooms are not cached, so a new room is found at once everywhere.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use uuid::Uuid;

use crate::rooms::model::Room;
use crate::rooms::queries;
use crate::rooms::slug::RoomKey;
use crate::store::{Store, StoreError};

/// How long a cached room is trusted.
pub const TTL: Duration = Duration::from_secs(2);
/// Past this many entries, the cache starts again empty (a bound, not an eviction policy).
const MAX_ENTRIES: usize = 10_000;

/// Rooms by key (id or slug), with when they were loaded.
#[derive(Debug, Default)]
pub struct RoomCache {
    entries: RwLock<HashMap<CacheKey, (Instant, Arc<Room>)>>,
}

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
    /// The room `key` designates, from the cache when fresh, else from the store.
    pub async fn find(
        &self,
        store: &Store,
        key: &RoomKey,
    ) -> Result<Option<Arc<Room>>, StoreError> {
        if let Some(room) = self.fresh(key) {
            return Ok(Some(room));
        }
        let Some(room) = queries::find(store, key).await? else {
            return Ok(None);
        };
        let room = Arc::new(room);
        self.insert(&room);
        Ok(Some(room))
    }

    fn fresh(&self, key: &RoomKey) -> Option<Arc<Room>> {
        let entries = self.entries.read().ok()?;
        let (loaded, room) = entries.get(&CacheKey::from(key))?;
        (loaded.elapsed() < TTL).then(|| room.clone())
    }

    fn insert(&self, room: &Arc<Room>) {
        let Ok(mut entries) = self.entries.write() else {
            return;
        };
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        let now = Instant::now();
        entries.insert(CacheKey::Id(room.id), (now, room.clone()));
        entries.insert(CacheKey::Slug(room.slug.clone()), (now, room.clone()));
    }

    /// Forgets room `id` (under every key it was cached by): it changed or is gone.
    pub fn forget(&self, id: Uuid) {
        if let Ok(mut entries) = self.entries.write() {
            entries.retain(|_, (_, room)| room.id != id);
        }
    }
}
