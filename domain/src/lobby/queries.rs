//! The `lobby_entries` table. Times are milliseconds since the epoch; an entry whose
//! `expires_at` has passed is as good as absent.

use meet_types::LobbyStatus;
use uuid::Uuid;

use crate::store::{Store, StoreError, on_pool};

/// An entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredEntry {
    pub participant_id: Uuid,
    /// A [`LobbyStatus`]'s name.
    pub status: String,
    pub username: String,
    pub color: String,
    pub requested_at: i64,
    pub expires_at: i64,
}

impl StoredEntry {
    /// Its status; an unknown name (which the table's check forbids) reads as waiting.
    pub fn status(&self) -> LobbyStatus {
        LobbyStatus::parse(&self.status).unwrap_or(LobbyStatus::Waiting)
    }
}

const COLUMNS: &str = "participant_id, status, username, color, requested_at, expires_at";

/// Someone asks to enter at `now`: a new waiting entry lapsing at `waiting_until` when they
/// have no live one (a lapsed one starts afresh); a waiting one is kept alive until
/// `waiting_until`; an admitted or refused one stays as it is. Returns the entry as it now is.
/// One statement, so two requests at once leave one entry.
pub async fn ask(
    store: &Store,
    room_id: Uuid,
    participant_id: Uuid,
    username: &str,
    color: &str,
    now: i64,
    waiting_until: i64,
) -> Result<StoredEntry, StoreError> {
    let sql = format!(
        "INSERT INTO lobby_entries \
           (room_id, participant_id, status, username, color, requested_at, expires_at) \
         VALUES ($1, $2, 'waiting', $3, $4, $5, $6) \
         ON CONFLICT (room_id, participant_id) DO UPDATE SET \
           status = CASE WHEN lobby_entries.expires_at <= $5 THEN 'waiting' \
                    ELSE lobby_entries.status END, \
           username = CASE WHEN lobby_entries.expires_at <= $5 THEN excluded.username \
                      ELSE lobby_entries.username END, \
           requested_at = CASE WHEN lobby_entries.expires_at <= $5 THEN excluded.requested_at \
                          ELSE lobby_entries.requested_at END, \
           held_by = CASE WHEN lobby_entries.expires_at <= $5 THEN NULL \
                     ELSE lobby_entries.held_by END, \
           expires_at = CASE WHEN lobby_entries.expires_at <= $5 \
                               OR lobby_entries.status = 'waiting' \
                             THEN excluded.expires_at ELSE lobby_entries.expires_at END \
         RETURNING {COLUMNS}"
    );
    let entry = on_pool!(store, pool => {
        sqlx::query_as::<_, StoredEntry>(&sql)
            .bind(room_id)
            .bind(participant_id)
            .bind(username)
            .bind(color)
            .bind(now)
            .bind(waiting_until)
            .fetch_one(pool)
            .await?
    });
    Ok(entry)
}

/// The live entry of `participant_id` in `room_id`'s lobby, if any.
pub async fn find(
    store: &Store,
    room_id: Uuid,
    participant_id: Uuid,
    now: i64,
) -> Result<Option<StoredEntry>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM lobby_entries \
         WHERE room_id = $1 AND participant_id = $2 AND expires_at > $3"
    );
    let entry = on_pool!(store, pool => {
        sqlx::query_as::<_, StoredEntry>(&sql)
            .bind(room_id)
            .bind(participant_id)
            .bind(now)
            .fetch_optional(pool)
            .await?
    });
    Ok(entry)
}

/// The people waiting in `room_id`'s lobby, first come first, at most `limit`.
pub async fn waiting(
    store: &Store,
    room_id: Uuid,
    now: i64,
    limit: u32,
) -> Result<Vec<StoredEntry>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM lobby_entries \
         WHERE room_id = $1 AND status = 'waiting' AND expires_at > $2 \
         ORDER BY requested_at, participant_id LIMIT $3"
    );
    let entries = on_pool!(store, pool => {
        sqlx::query_as::<_, StoredEntry>(&sql)
            .bind(room_id)
            .bind(now)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
    });
    Ok(entries)
}

/// A host's decision on a live entry: its new status, lapsing at `until`. `false` when there is
/// no live entry (never asked, or lapsed).
pub async fn decide(
    store: &Store,
    room_id: Uuid,
    participant_id: Uuid,
    status: LobbyStatus,
    now: i64,
    until: i64,
) -> Result<bool, StoreError> {
    let sql = "UPDATE lobby_entries SET status = $3, expires_at = $5, held_by = NULL \
               WHERE room_id = $1 AND participant_id = $2 AND expires_at > $4";
    let updated = on_pool!(store, pool => {
        sqlx::query(sql)
            .bind(room_id)
            .bind(participant_id)
            .bind(status.as_str())
            .bind(now)
            .bind(until)
            .execute(pool)
            .await?
            .rows_affected()
    });
    Ok(updated > 0)
}

/// Removes `participant_id`'s entry from `room_id`'s lobby, whatever its status; `true` when
/// there was one.
pub async fn remove(
    store: &Store,
    room_id: Uuid,
    participant_id: Uuid,
) -> Result<bool, StoreError> {
    let sql = "DELETE FROM lobby_entries WHERE room_id = $1 AND participant_id = $2";
    let removed = on_pool!(store, pool => {
        sqlx::query(sql)
            .bind(room_id)
            .bind(participant_id)
            .execute(pool)
            .await?
            .rows_affected()
    });
    Ok(removed > 0)
}

/// Removes every admitted entry of `room_id`'s lobby: how many there were.
pub async fn remove_admitted(store: &Store, room_id: Uuid) -> Result<u64, StoreError> {
    let sql = "DELETE FROM lobby_entries WHERE room_id = $1 AND status = 'accepted'";
    Ok(on_pool!(store, pool => {
        sqlx::query(sql)
            .bind(room_id)
            .execute(pool)
            .await?
            .rows_affected()
    }))
}

/// An open push connection of this instance (`instance`) holds `participant_id`'s live entry:
/// while it waits, the entry lives as long as [`keep_alive`] says so. `None` when there is no
/// live entry.
pub async fn hold(
    store: &Store,
    room_id: Uuid,
    participant_id: Uuid,
    instance: Uuid,
    now: i64,
    waiting_until: i64,
) -> Result<Option<StoredEntry>, StoreError> {
    let sql = format!(
        "UPDATE lobby_entries SET held_by = $3, \
           expires_at = CASE WHEN status = 'waiting' THEN $5 ELSE expires_at END \
         WHERE room_id = $1 AND participant_id = $2 AND expires_at > $4 \
         RETURNING {COLUMNS}"
    );
    let entry = on_pool!(store, pool => {
        sqlx::query_as::<_, StoredEntry>(&sql)
            .bind(room_id)
            .bind(participant_id)
            .bind(instance)
            .bind(now)
            .bind(waiting_until)
            .fetch_optional(pool)
            .await?
    });
    Ok(entry)
}

/// The push connection holding `participant_id`'s entry closed: a waiting entry this instance
/// holds goes (its guest left). `true` when it went.
pub async fn release(
    store: &Store,
    room_id: Uuid,
    participant_id: Uuid,
    instance: Uuid,
) -> Result<bool, StoreError> {
    let sql = "DELETE FROM lobby_entries \
               WHERE room_id = $1 AND participant_id = $2 AND held_by = $3 AND status = 'waiting'";
    let released = on_pool!(store, pool => {
        sqlx::query(sql)
            .bind(room_id)
            .bind(participant_id)
            .bind(instance)
            .execute(pool)
            .await?
            .rows_affected()
    });
    Ok(released > 0)
}

/// Keeps every waiting entry `instance` holds alive until `until`: one statement however many
/// guests wait on this instance.
pub async fn keep_alive(store: &Store, instance: Uuid, until: i64) -> Result<u64, StoreError> {
    let sql = "UPDATE lobby_entries SET expires_at = $2 WHERE held_by = $1 AND status = 'waiting'";
    let kept = on_pool!(store, pool => {
        sqlx::query(sql)
            .bind(instance)
            .bind(until)
            .execute(pool)
            .await?
            .rows_affected()
    });
    Ok(kept)
}

/// Deletes every entry that lapsed by `now`.
pub async fn delete_all_lapsed(store: &Store, now: i64) -> Result<u64, StoreError> {
    let deleted = on_pool!(store, pool => {
        sqlx::query("DELETE FROM lobby_entries WHERE expires_at <= $1")
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected()
    });
    Ok(deleted)
}
