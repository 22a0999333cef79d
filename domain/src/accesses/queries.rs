//! The `resource_accesses` table: who holds which role in which room. Changes that could remove
//! a room's last owner lock the room first, so two of them cannot both pass the check.

use chrono::{DateTime, Utc};
use meet_types::{AccessLevel, Role, RoomConfiguration};
use sqlx::types::Json;
use uuid::Uuid;

use crate::store::{Store, StoreError, on_pool};

/// A user's role in a room.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ResourceAccess {
    pub id: Uuid,
    /// The room (La Suite Meet calls it the "resource").
    pub room_id: Uuid,
    pub user_id: Uuid,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An access with the user it belongs to, as a room's administrators see it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AccessWithUser {
    #[sqlx(flatten)]
    pub access: ResourceAccess,
    pub email: Option<String>,
    pub full_name: Option<String>,
    pub short_name: Option<String>,
    pub language: String,
    pub timezone: String,
    pub default_room_access_level: Option<AccessLevel>,
    pub default_room_configuration: Json<RoomConfiguration>,
}

/// Why a protected change did not happen.
#[derive(Debug, thiserror::Error)]
pub enum AccessWriteError {
    #[error("no such access")]
    NotFound,
    #[error("a room must keep at least one owner")]
    LastOwner,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for AccessWriteError {
    fn from(error: sqlx::Error) -> Self {
        Self::Store(error.into())
    }
}

const COLUMNS: &str = "id, room_id, user_id, role, created_at, updated_at";

/// Takes the room's lock for the rest of the transaction: a row lock on PostgreSQL, the write
/// lock on SQLite. Written as a write so that SQLite starts the transaction as a writer (a
/// reader that later writes may be refused when another writer went first).
const LOCK_ROOM_OF_ACCESS: &str = "UPDATE rooms SET updated_at = updated_at \
     WHERE id = (SELECT room_id FROM resource_accesses WHERE id = $1)";
const COUNT_OWNERS: &str =
    "SELECT COUNT(*) FROM resource_accesses WHERE room_id = $1 AND role = 'owner'";

/// The access with this id.
pub async fn find(store: &Store, id: Uuid) -> Result<Option<ResourceAccess>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM resource_accesses WHERE id = $1");
    let access = on_pool!(store, pool => {
        sqlx::query_as::<_, ResourceAccess>(&sql).bind(id).fetch_optional(pool).await?
    });
    Ok(access)
}

/// The columns of [`AccessWithUser`].
const WITH_USER: &str = "SELECT a.id, a.room_id, a.user_id, a.role, a.created_at, a.updated_at, \
     u.email, u.full_name, u.short_name, u.language, u.timezone, u.default_room_access_level, \
     u.default_room_configuration FROM resource_accesses a JOIN users u ON u.id = a.user_id";
/// Owners first, then administrators, then members; the oldest first in each.
const OWNERS_FIRST: &str = "ORDER BY CASE a.role WHEN 'owner' THEN 0 WHEN 'administrator' THEN 1 \
     ELSE 2 END, a.created_at, a.id";

/// Every access to `room`, with its user, owners first.
pub async fn list_for_room(store: &Store, room: Uuid) -> Result<Vec<AccessWithUser>, StoreError> {
    let sql = format!("{WITH_USER} WHERE a.room_id = $1 {OWNERS_FIRST}");
    let accesses = on_pool!(store, pool => {
        sqlx::query_as::<_, AccessWithUser>(&sql).bind(room).fetch_all(pool).await?
    });
    Ok(accesses)
}

/// Every access to each of `rooms`, with its user, owners first: one query for a page of rooms.
pub async fn list_for_rooms(
    store: &Store,
    rooms: &[Uuid],
) -> Result<Vec<AccessWithUser>, StoreError> {
    if rooms.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=rooms.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "{WITH_USER} WHERE a.room_id IN ({}) {OWNERS_FIRST}",
        placeholders.join(", ")
    );
    let accesses = on_pool!(store, pool => {
        let mut query = sqlx::query_as::<_, AccessWithUser>(&sql);
        for room in rooms {
            query = query.bind(room);
        }
        query.fetch_all(pool).await?
    });
    Ok(accesses)
}

/// The accesses to every room `user` administers or owns, one page, and how many there are.
pub async fn list_administered_by(
    store: &Store,
    user: Uuid,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ResourceAccess>, i64), StoreError> {
    let filter = "FROM resource_accesses a WHERE a.room_id IN (SELECT room_id FROM resource_accesses \
                  WHERE user_id = $1 AND role IN ('administrator', 'owner'))";
    let sql = format!(
        "SELECT a.id, a.room_id, a.user_id, a.role, a.created_at, a.updated_at {filter} \
         ORDER BY a.created_at, a.id LIMIT $2 OFFSET $3"
    );
    let count_sql = format!("SELECT COUNT(*) {filter}");
    let (accesses, count) = on_pool!(store, pool => {
        let accesses = sqlx::query_as::<_, ResourceAccess>(&sql)
            .bind(user)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?;
        let count: i64 = sqlx::query_scalar(&count_sql).bind(user).fetch_one(pool).await?;
        (accesses, count)
    });
    Ok((accesses, count))
}

/// Gives `user` `role` in `room`; [`StoreError::Conflict`] when they already have one.
pub async fn insert(
    store: &Store,
    room: Uuid,
    user: Uuid,
    role: Role,
) -> Result<ResourceAccess, StoreError> {
    let sql = format!(
        "INSERT INTO resource_accesses (id, room_id, user_id, role, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING {COLUMNS}"
    );
    let access = on_pool!(store, pool => {
        sqlx::query_as::<_, ResourceAccess>(&sql)
            .bind(Uuid::new_v4())
            .bind(room)
            .bind(user)
            .bind(role)
            .bind(Utc::now())
            .fetch_one(pool)
            .await?
    });
    Ok(access)
}

/// Changes the role of access `id`, unless that would leave its room without an owner.
pub async fn update_role(
    store: &Store,
    id: Uuid,
    role: Role,
) -> Result<ResourceAccess, AccessWriteError> {
    let select = format!("SELECT {COLUMNS} FROM resource_accesses WHERE id = $1");
    let update = format!(
        "UPDATE resource_accesses SET role = $2, updated_at = $3 WHERE id = $1 RETURNING {COLUMNS}"
    );
    let access = on_pool!(store, pool => {
        let mut tx = pool.begin().await?;
        sqlx::query(LOCK_ROOM_OF_ACCESS).bind(id).execute(&mut *tx).await?;
        let Some(current) =
            sqlx::query_as::<_, ResourceAccess>(&select).bind(id).fetch_optional(&mut *tx).await?
        else {
            return Err(AccessWriteError::NotFound);
        };
        if current.role == Role::Owner && role != Role::Owner {
            let owners: i64 = sqlx::query_scalar(COUNT_OWNERS).bind(current.room_id).fetch_one(&mut *tx).await?;
            if owners <= 1 {
                return Err(AccessWriteError::LastOwner);
            }
        }
        let access = sqlx::query_as::<_, ResourceAccess>(&update)
            .bind(id)
            .bind(role)
            .bind(Utc::now())
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        access
    });
    Ok(access)
}

/// Deletes access `id`, unless it is its room's last owner.
pub async fn delete(store: &Store, id: Uuid) -> Result<(), AccessWriteError> {
    let select = format!("SELECT {COLUMNS} FROM resource_accesses WHERE id = $1");
    on_pool!(store, pool => {
        let mut tx = pool.begin().await?;
        sqlx::query(LOCK_ROOM_OF_ACCESS).bind(id).execute(&mut *tx).await?;
        let Some(current) =
            sqlx::query_as::<_, ResourceAccess>(&select).bind(id).fetch_optional(&mut *tx).await?
        else {
            return Err(AccessWriteError::NotFound);
        };
        if current.role == Role::Owner {
            let owners: i64 = sqlx::query_scalar(COUNT_OWNERS).bind(current.room_id).fetch_one(&mut *tx).await?;
            if owners <= 1 {
                return Err(AccessWriteError::LastOwner);
            }
        }
        sqlx::query("DELETE FROM resource_accesses WHERE id = $1").bind(id).execute(&mut *tx).await?;
        tx.commit().await?;
    });
    Ok(())
}

/// What [`set_role`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetRole {
    /// The user now holds the role; `previous` is the role they held before, if any.
    Set {
        previous: Option<Role>,
        access: ResourceAccess,
    },
    /// The user owns the room: their access was left alone.
    Owner,
}

/// Gives `user` `role` in `room`: a new access, or their access's role changed, unless they own
/// the room (an owner's access is never changed here). The room is locked for the check and the
/// write, so that no concurrent change slips between them.
pub async fn set_role(
    store: &Store,
    room: Uuid,
    user: Uuid,
    role: Role,
) -> Result<SetRole, StoreError> {
    let select =
        format!("SELECT {COLUMNS} FROM resource_accesses WHERE room_id = $1 AND user_id = $2");
    let update = format!(
        "UPDATE resource_accesses SET role = $2, updated_at = $3 WHERE id = $1 RETURNING {COLUMNS}"
    );
    let insert = format!(
        "INSERT INTO resource_accesses (id, room_id, user_id, role, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING {COLUMNS}"
    );
    let outcome = on_pool!(store, pool => {
        let mut tx = pool.begin().await?;
        sqlx::query("UPDATE rooms SET updated_at = updated_at WHERE id = $1")
            .bind(room)
            .execute(&mut *tx)
            .await?;
        let current = sqlx::query_as::<_, ResourceAccess>(&select)
            .bind(room)
            .bind(user)
            .fetch_optional(&mut *tx)
            .await?;
        let outcome = match current {
            Some(current) if current.role == Role::Owner => SetRole::Owner,
            Some(current) if current.role == role => SetRole::Set {
                previous: Some(current.role),
                access: current,
            },
            Some(current) => {
                let access = sqlx::query_as::<_, ResourceAccess>(&update)
                    .bind(current.id)
                    .bind(role)
                    .bind(Utc::now())
                    .fetch_one(&mut *tx)
                    .await?;
                SetRole::Set { previous: Some(current.role), access }
            }
            None => {
                let access = sqlx::query_as::<_, ResourceAccess>(&insert)
                    .bind(Uuid::new_v4())
                    .bind(room)
                    .bind(user)
                    .bind(role)
                    .bind(Utc::now())
                    .fetch_one(&mut *tx)
                    .await?;
                SetRole::Set { previous: None, access }
            }
        };
        tx.commit().await?;
        outcome
    });
    Ok(outcome)
}
