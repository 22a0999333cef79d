//! The `feedback` table.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::feedback::ValidFeedback;
use crate::store::{Store, StoreError, on_pool};

/// Feedback as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredFeedback {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    pub rating: i16,
    pub comment: Option<String>,
    /// An [`EndReason`](crate::feedback::EndReason)'s name.
    pub reason: Option<String>,
    pub room_slug: Option<String>,
    /// The logged-in sender; `None` for guests, and once their account is deleted.
    pub user_id: Option<Uuid>,
}

/// Stores `feedback` sent by `user` (if logged in) at `now`; returns its id.
pub async fn insert(
    store: &Store,
    feedback: &ValidFeedback,
    user: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Uuid, StoreError> {
    let sql = "INSERT INTO feedback (id, created_at, rating, comment, reason, room_slug, user_id) \
               VALUES ($1, $2, $3, $4, $5, $6, $7)";
    let id = Uuid::new_v4();
    let reason = feedback.reason.map(|reason| reason.as_str());
    on_pool!(store, pool => {
        sqlx::query(sql)
            .bind(id)
            .bind(now)
            .bind(i16::from(feedback.rating))
            .bind(feedback.comment.as_deref())
            .bind(reason)
            .bind(feedback.room_slug.as_deref())
            .bind(user)
            .execute(pool)
            .await
            .map(drop)?
    });
    Ok(id)
}

/// The feedback stored with `id`, if any.
pub async fn find(store: &Store, id: Uuid) -> Result<Option<StoredFeedback>, StoreError> {
    let sql = "SELECT id, created_at, rating, comment, reason, room_slug, user_id \
               FROM feedback WHERE id = $1";
    let row = on_pool!(store, pool => {
        sqlx::query_as::<_, StoredFeedback>(sql).bind(id).fetch_optional(pool).await?
    });
    Ok(row)
}

/// How many pieces of feedback are stored.
pub async fn count(store: &Store) -> Result<i64, StoreError> {
    let sql = "SELECT COUNT(*) FROM feedback";
    let count = on_pool!(store, pool => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await?);
    Ok(count)
}
