//! The `sessions` table.

use std::sync::LazyLock;

use sqlx::FromRow;
use uuid::Uuid;

use crate::sessions::StoredSession;
use crate::store::{Store, StoreError, on_pool};
use crate::users::{self, User};

/// Writes `session`, replacing the one with its id.
pub async fn save(store: &Store, session: &StoredSession) -> Result<(), StoreError> {
    let sql = "INSERT INTO sessions (id, user_id, id_token, expires_at) VALUES ($1, $2, $3, $4) \
               ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, \
               id_token = excluded.id_token, expires_at = excluded.expires_at";
    on_pool!(store, pool => {
        sqlx::query(sql)
            .bind(session.id.to_string())
            .bind(session.user_id)
            .bind(&session.id_token)
            .bind(session.expires_at)
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// The session with this id, unless it ended before `now` (Unix time).
pub async fn load(store: &Store, id: i128, now: i64) -> Result<Option<StoredSession>, StoreError> {
    let sql =
        "SELECT user_id, id_token, expires_at FROM sessions WHERE id = $1 AND expires_at > $2";
    let row: Option<(Uuid, String, i64)> = on_pool!(store, pool => {
        sqlx::query_as(sql).bind(id.to_string()).bind(now).fetch_optional(pool).await?
    });
    Ok(row.map(|(user_id, id_token, expires_at)| StoredSession {
        id,
        user_id,
        id_token,
        expires_at,
    }))
}

/// Deletes the session with this id (nothing if there is none).
pub async fn delete(store: &Store, id: i128) -> Result<(), StoreError> {
    on_pool!(store, pool => {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id.to_string())
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// Deletes the sessions that ended before `now` (Unix time); returns how many.
pub async fn delete_expired(store: &Store, now: i64) -> Result<u64, StoreError> {
    let deleted = on_pool!(store, pool => {
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected()
    });
    Ok(deleted)
}

/// A session's user and end, by session id and time.
static SIGNED_IN: LazyLock<String> = LazyLock::new(|| {
    let columns: Vec<String> = users::COLUMNS
        .split(',')
        .map(|column| format!("u.{}", column.trim()))
        .collect();
    format!(
        "SELECT {}, s.expires_at AS session_expires_at FROM sessions s \
         JOIN users u ON u.id = s.user_id WHERE s.id = $1 AND s.expires_at > $2",
        columns.join(", ")
    )
});

#[derive(FromRow)]
struct SignedInRow {
    #[sqlx(flatten)]
    user: User,
    session_expires_at: i64,
}

/// The user logged in with session `id`, and when the session ends, unless it ended before
/// `now` (Unix time): one query.
pub async fn signed_in(
    store: &Store,
    id: i128,
    now: i64,
) -> Result<Option<(User, i64)>, StoreError> {
    let row: Option<SignedInRow> = on_pool!(store, pool => {
        sqlx::query_as(&SIGNED_IN).bind(id.to_string()).bind(now).fetch_optional(pool).await?
    });
    Ok(row.map(|row| (row.user, row.session_expires_at)))
}
