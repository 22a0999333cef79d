//! The `recordings` and `recording_accesses` tables. A recording's status is written by
//! [`transition`] alone, which only the mediator calls.

use chrono::{DateTime, Utc};
use meet_types::{AccessLevel, RecordingMode, RecordingStatus, Role};
use sqlx::types::Json;
use uuid::Uuid;

use crate::recording::options::{RecordingOptions, StartRequest};
use crate::store::{Store, StoreError, on_pool};

/// Columns of [`Recording`], in one place for every query: as read from `recordings r`, and as
/// written back by `RETURNING`.
const COLUMNS: &str = "r.id, r.room_id, r.status, r.mode, r.options, r.worker_id, \
                       r.external_process_id, r.started_at, r.ended_at, r.notified_at, \
                       r.created_at, r.updated_at";
const RETURNED: &str = "id, room_id, status, mode, options, worker_id, external_process_id, \
                        started_at, ended_at, notified_at, created_at, updated_at";

/// A recording as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Recording {
    pub id: Uuid,
    pub room_id: Uuid,
    pub status: RecordingStatus,
    pub mode: RecordingMode,
    pub options: Json<RecordingOptions>,
    /// The recording worker's id (a LiveKit egress id), once one took the recording.
    pub worker_id: Option<String>,
    /// The summary service's job id, for a transcript sent to it.
    pub external_process_id: Option<String>,
    /// When the worker says it started and stopped recording.
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    /// When the owners were told the file is ready.
    pub notified_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A recording with the room it was made in, as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RecordingWithRoom {
    #[sqlx(flatten)]
    pub recording: Recording,
    pub room_name: String,
    pub room_slug: String,
    pub room_access_level: AccessLevel,
}

/// Creates a recording of room `room_id` in `request`'s mode, `initiated`, owned by `owner`,
/// together or not at all. [`StoreError::Conflict`] when the room already has a recording being
/// started or running (the database's partial unique index decides, so two concurrent starts
/// cannot both win).
pub async fn insert_with_owner(
    store: &Store,
    room_id: Uuid,
    request: &StartRequest,
    owner: Uuid,
    now: DateTime<Utc>,
) -> Result<Recording, StoreError> {
    let insert = format!(
        "INSERT INTO recordings (id, room_id, status, mode, options, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING {RETURNED}"
    );
    let access = "INSERT INTO recording_accesses (id, recording_id, user_id, role, created_at, \
                  updated_at) VALUES ($1, $2, $3, $4, $5, $5)";
    let recording = on_pool!(store, pool => {
        let mut tx = pool.begin().await?;
        let recording = sqlx::query_as::<_, Recording>(&insert)
            .bind(Uuid::new_v4())
            .bind(room_id)
            .bind(RecordingStatus::Initiated)
            .bind(request.mode)
            .bind(Json(&request.options))
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query(access)
            .bind(Uuid::new_v4())
            .bind(recording.id)
            .bind(owner)
            .bind(Role::Owner)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        recording
    });
    Ok(recording)
}

/// The recording the summary service's job `job_id` is about.
pub async fn find_by_external_process(
    store: &Store,
    job_id: &str,
) -> Result<Option<Recording>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM recordings r WHERE r.external_process_id = $1");
    Ok(on_pool!(store, pool => {
        sqlx::query_as::<_, Recording>(&sql)
            .bind(job_id)
            .fetch_optional(pool)
            .await?
    }))
}

/// The recording `id`.
pub async fn find(store: &Store, id: Uuid) -> Result<Option<Recording>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM recordings r WHERE r.id = $1");
    Ok(on_pool!(store, pool => {
        sqlx::query_as::<_, Recording>(&sql).bind(id).fetch_optional(pool).await?
    }))
}

/// The recording the worker `worker_id` made.
pub async fn find_by_worker(
    store: &Store,
    worker_id: &str,
) -> Result<Option<Recording>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM recordings r WHERE r.worker_id = $1");
    Ok(on_pool!(store, pool => {
        sqlx::query_as::<_, Recording>(&sql).bind(worker_id).fetch_optional(pool).await?
    }))
}

/// The recording of room `room_id` with `status`, the latest if several.
pub async fn find_in_room(
    store: &Store,
    room_id: Uuid,
    status: RecordingStatus,
) -> Result<Option<Recording>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM recordings r WHERE r.room_id = $1 AND r.status = $2 \
         ORDER BY r.created_at DESC LIMIT 1"
    );
    Ok(on_pool!(store, pool => {
        sqlx::query_as::<_, Recording>(&sql)
            .bind(room_id)
            .bind(status)
            .fetch_optional(pool)
            .await?
    }))
}

/// The recordings a worker may still be busy with ([`RecordingStatus::awaits_worker`]), oldest
/// first.
pub async fn awaiting_worker(store: &Store) -> Result<Vec<Recording>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM recordings r \
         WHERE r.status IN ('initiated', 'active', 'stopped') ORDER BY r.created_at"
    );
    Ok(on_pool!(store, pool => sqlx::query_as::<_, Recording>(&sql).fetch_all(pool).await?))
}

/// The role `user` holds on recording `recording`, if any.
pub async fn role_of(
    store: &Store,
    recording: Uuid,
    user: Uuid,
) -> Result<Option<Role>, StoreError> {
    let sql = "SELECT role FROM recording_accesses WHERE recording_id = $1 AND user_id = $2";
    Ok(on_pool!(store, pool => {
        sqlx::query_scalar::<_, Role>(sql)
            .bind(recording)
            .bind(user)
            .fetch_optional(pool)
            .await?
    }))
}

/// The recordings `user` has a role on, newest first: one page, and how many there are.
pub async fn list_for_user(
    store: &Store,
    user: Uuid,
    limit: i64,
    offset: i64,
) -> Result<(Vec<RecordingWithRoom>, i64), StoreError> {
    let page = format!(
        "SELECT {COLUMNS}, rm.name AS room_name, rm.slug AS room_slug, \
         rm.access_level AS room_access_level \
         FROM recordings r \
         JOIN recording_accesses a ON a.recording_id = r.id AND a.user_id = $1 \
         JOIN rooms rm ON rm.id = r.room_id \
         ORDER BY r.created_at DESC, r.id LIMIT $2 OFFSET $3"
    );
    let count = "SELECT COUNT(*) FROM recording_accesses WHERE user_id = $1";
    Ok(on_pool!(store, pool => {
        let rows = sqlx::query_as::<_, RecordingWithRoom>(&page)
            .bind(user)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?;
        let total: i64 = sqlx::query_scalar(count).bind(user).fetch_one(pool).await?;
        (rows, total)
    }))
}

/// The recording `id` with its room.
pub async fn find_with_room(
    store: &Store,
    id: Uuid,
) -> Result<Option<RecordingWithRoom>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS}, rm.name AS room_name, rm.slug AS room_slug, \
         rm.access_level AS room_access_level \
         FROM recordings r JOIN rooms rm ON rm.id = r.room_id WHERE r.id = $1"
    );
    Ok(on_pool!(store, pool => {
        sqlx::query_as::<_, RecordingWithRoom>(&sql).bind(id).fetch_optional(pool).await?
    }))
}

/// Deletes the recording `id` and its accesses; whether it existed.
pub async fn delete(store: &Store, id: Uuid) -> Result<bool, StoreError> {
    let sql = "DELETE FROM recordings WHERE id = $1";
    let deleted =
        on_pool!(store, pool => sqlx::query(sql).bind(id).execute(pool).await?.rows_affected());
    Ok(deleted > 0)
}

/// What a status change also records; `None` leaves a column as it is.
#[derive(Debug, Clone, Default)]
pub(crate) struct Changes {
    pub(crate) worker_id: Option<String>,
    pub(crate) started_at: Option<DateTime<Utc>>,
    pub(crate) ended_at: Option<DateTime<Utc>>,
    pub(crate) notified_at: Option<DateTime<Utc>>,
    /// The summary service's job for it.
    pub(crate) external_process_id: Option<String>,
}

/// Moves recording `id` to `to` if its status is one of `from`, with `changes`, at `now`; the
/// recording as it then is, or `None` when its status was not one of `from` (someone else moved
/// it first: nothing is written). Only the mediator calls this.
pub(crate) async fn transition(
    store: &Store,
    id: Uuid,
    from: &[RecordingStatus],
    to: RecordingStatus,
    changes: Changes,
    now: DateTime<Utc>,
) -> Result<Option<Recording>, StoreError> {
    // The statuses are Meet's own names, never input: safe to write into the statement.
    let from = from
        .iter()
        .map(|status| format!("'{}'", status.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "UPDATE recordings SET status = $2, updated_at = $3, \
         worker_id = COALESCE($4, worker_id), started_at = COALESCE($5, started_at), \
         ended_at = COALESCE($6, ended_at), notified_at = COALESCE($7, notified_at), \
         external_process_id = COALESCE($8, external_process_id) \
         WHERE id = $1 AND status IN ({from}) RETURNING {RETURNED}"
    );
    Ok(on_pool!(store, pool => {
        sqlx::query_as::<_, Recording>(&sql)
            .bind(id)
            .bind(to)
            .bind(now)
            .bind(changes.worker_id)
            .bind(changes.started_at)
            .bind(changes.ended_at)
            .bind(changes.notified_at)
            .bind(changes.external_process_id)
            .fetch_optional(pool)
            .await?
    }))
}

/// Up to `limit` saved recordings created before `before` whose file has not been deleted yet,
/// oldest first.
pub async fn expired_files(
    store: &Store,
    before: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<Recording>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM recordings r WHERE r.purged_at IS NULL AND r.created_at < $1 \
         AND r.status IN ('saved', 'notification_succeeded', 'external_process_successful', \
         'external_process_failed') ORDER BY r.created_at LIMIT $2"
    );
    Ok(on_pool!(store, pool => {
        sqlx::query_as::<_, Recording>(&sql).bind(before).bind(limit).fetch_all(pool).await?
    }))
}

/// Notes that recording `id`'s file was deleted at `now`.
pub async fn mark_purged(store: &Store, id: Uuid, now: DateTime<Utc>) -> Result<(), StoreError> {
    let sql = "UPDATE recordings SET purged_at = $2 WHERE id = $1";
    on_pool!(store, pool => sqlx::query(sql).bind(id).bind(now).execute(pool).await.map(drop)?);
    Ok(())
}

/// The owners of recording `id`.
pub async fn owners(store: &Store, id: Uuid) -> Result<Vec<crate::users::User>, StoreError> {
    let columns = crate::users::COLUMNS
        .split(", ")
        .map(|column| format!("u.{}", column.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT {columns} FROM users u JOIN recording_accesses a ON a.user_id = u.id \
         WHERE a.recording_id = $1 AND a.role = 'owner' ORDER BY u.created_at"
    );
    Ok(on_pool!(store, pool => {
        sqlx::query_as::<_, crate::users::User>(&sql).bind(id).fetch_all(pool).await?
    }))
}

/// How many recordings are in each status (statuses without any are left out).
pub async fn count_by_status(store: &Store) -> Result<Vec<(String, i64)>, StoreError> {
    let sql = "SELECT status, COUNT(*) FROM recordings GROUP BY status ORDER BY status";
    let rows = on_pool!(store, pool => {
        sqlx::query_as::<_, (String, i64)>(sql).fetch_all(pool).await?
    });
    Ok(rows)
}
