//! The `analytics_events` table.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::analytics::{Event, Recorded};
use crate::store::{Store, StoreError, on_pool};

/// An event's row.
#[derive(Debug, sqlx::FromRow)]
struct Row {
    id: Uuid,
    occurred_at: DateTime<Utc>,
    name: String,
    actor: Option<String>,
    room: Option<String>,
    meeting: Option<String>,
    properties: String,
}

impl Row {
    /// The event, when its name and properties are the catalogue's (rows written by an older
    /// catalogue may not be).
    fn read(self) -> Option<Recorded> {
        let properties: serde_json::Value = serde_json::from_str(&self.properties).ok()?;
        let mut json = serde_json::Map::new();
        json.insert("event".into(), self.name.into());
        if !properties.is_null() {
            json.insert("properties".into(), properties);
        }
        let event: Event = serde_json::from_value(json.into()).ok()?;
        Some(Recorded {
            id: self.id,
            occurred_at: self.occurred_at,
            event,
            actor: self.actor,
            room: self.room,
            meeting: self.meeting,
        })
    }
}

/// The JSON properties of `event` (`null` for an event without any).
pub fn properties(event: &Event) -> serde_json::Value {
    let json = serde_json::to_value(event).unwrap_or_default();
    json.get("properties").cloned().unwrap_or_default()
}

/// Stores `batch`, all or nothing.
pub async fn insert(store: &Store, batch: &[Recorded]) -> Result<(), StoreError> {
    let sql = "INSERT INTO analytics_events \
               (id, occurred_at, name, actor, room, meeting, properties) \
               VALUES ($1, $2, $3, $4, $5, $6, $7)";
    let rows: Vec<(&Recorded, String)> = batch
        .iter()
        .map(|recorded| (recorded, properties(&recorded.event).to_string()))
        .collect();
    on_pool!(store, pool => {
        let mut tx = pool.begin().await?;
        for (recorded, properties) in &rows {
            sqlx::query(sql)
                .bind(recorded.id)
                .bind(recorded.occurred_at)
                .bind(recorded.event.name())
                .bind(recorded.actor.as_deref())
                .bind(recorded.room.as_deref())
                .bind(recorded.meeting.as_deref())
                .bind(properties.as_str())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?
    });
    Ok(())
}

/// The events that occurred from `start` (included) to `end` (excluded), oldest first, at most
/// `limit` of them.
pub async fn between(
    store: &Store,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    limit: u32,
) -> Result<Vec<Recorded>, StoreError> {
    let sql = "SELECT id, occurred_at, name, actor, room, meeting, properties \
               FROM analytics_events WHERE occurred_at >= $1 AND occurred_at < $2 \
               ORDER BY occurred_at, id LIMIT $3";
    let rows = on_pool!(store, pool => {
        sqlx::query_as::<_, Row>(sql)
            .bind(start)
            .bind(end)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
    });
    Ok(rows.into_iter().filter_map(Row::read).collect())
}

/// Every stored event, oldest first (tests).
pub async fn all(store: &Store) -> Result<Vec<Recorded>, StoreError> {
    let start = DateTime::<Utc>::from_timestamp(0, 0).unwrap_or_default();
    let end = DateTime::<Utc>::from_timestamp(i64::from(i32::MAX) * 8, 0).unwrap_or_default();
    between(store, start, end, i32::MAX as u32).await
}

/// Deletes the events that occurred before `cutoff`; returns how many.
pub async fn purge_before(store: &Store, cutoff: DateTime<Utc>) -> Result<u64, StoreError> {
    let sql = "DELETE FROM analytics_events WHERE occurred_at < $1";
    let deleted = on_pool!(store, pool => {
        sqlx::query(sql).bind(cutoff).execute(pool).await?.rows_affected()
    });
    Ok(deleted)
}
