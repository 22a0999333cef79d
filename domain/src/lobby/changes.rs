//! Telling whoever watches a lobby that it changed: the waiting guests' and the hosts' push
//! streams. Every [`Invalidation::Lobby`] this instance hears (its own, and with PostgreSQL the
//! other instances') bumps a counter per room; a watcher wakes, and reads the database again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::watch;
use uuid::Uuid;

use crate::notifier::{Invalidation, Notifier};

/// One counter per watched room.
#[derive(Debug, Default)]
pub struct LobbyChanges {
    rooms: Mutex<HashMap<Uuid, watch::Sender<u64>>>,
}

impl LobbyChanges {
    /// Changes as `notifier` tells of them.
    pub fn new(notifier: &Notifier) -> Arc<Self> {
        let changes = Arc::new(Self::default());
        let weak = Arc::downgrade(&changes);
        notifier.subscribe(move |invalidation| {
            if let Some(changes) = weak.upgrade() {
                changes.heard(invalidation);
            }
        });
        changes
    }

    /// A receiver that changes whenever the lobby of `room` may have changed.
    pub fn watch(&self, room: Uuid) -> watch::Receiver<u64> {
        let mut rooms = self.rooms.lock().unwrap_or_else(PoisonError::into_inner);
        // Rooms nobody watches any more are forgotten as others are watched.
        if rooms.len() > 64 {
            rooms.retain(|_, sender| sender.receiver_count() > 0);
        }
        rooms
            .entry(room)
            .or_insert_with(|| watch::channel(0).0)
            .subscribe()
    }

    fn heard(&self, invalidation: Invalidation) {
        let rooms = self.rooms.lock().unwrap_or_else(PoisonError::into_inner);
        match invalidation {
            Invalidation::Lobby(room) => {
                if let Some(sender) = rooms.get(&room) {
                    sender.send_modify(|count| *count += 1);
                }
            }
            // The listening connection was lost or is back: anything may have changed.
            Invalidation::Everything => {
                for sender in rooms.values() {
                    sender.send_modify(|count| *count += 1);
                }
            }
            Invalidation::Room(_) | Invalidation::Session(_) | Invalidation::User(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_change_wakes_the_watchers_of_its_room_only() {
        let notifier = Notifier::in_process();
        let changes = LobbyChanges::new(&notifier);
        let (one, two) = (Uuid::new_v4(), Uuid::new_v4());
        let mut first = changes.watch(one);
        let second = changes.watch(two);
        notifier.publish(Invalidation::Lobby(one)).await;
        assert!(first.has_changed().expect("open"));
        assert!(!second.has_changed().expect("open"));
        first.borrow_and_update();
        notifier.publish(Invalidation::Everything).await;
        assert!(first.has_changed().expect("open"));
        assert!(second.has_changed().expect("open"));
    }
}
