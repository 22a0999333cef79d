//! The `rooms` table. Writes that must hold together (a room and its first owner) run in a
//! transaction.

use chrono::{DateTime, Utc};
use meet_types::{AccessLevel, Role, RoomConfiguration};
use sqlx::types::Json;
use uuid::Uuid;

use crate::rooms::model::Room;
use crate::rooms::slug::RoomKey;
use crate::store::{Store, StoreError, on_pool};

/// Columns of [`Room`], in one place for every query.
const COLUMNS: &str = "id, name, slug, access_level, configuration, created_at, updated_at";

/// A room about to be created.
#[derive(Debug, Clone)]
pub struct NewRoom {
    pub name: String,
    pub slug: String,
    pub access_level: AccessLevel,
    pub configuration: RoomConfiguration,
}

/// A room with the role a given user holds in it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RoomWithRole {
    #[sqlx(flatten)]
    pub room: Room,
    pub role: Role,
}

/// Creates the room and makes `owner` its owner, together or not at all, at time `now`.
/// [`StoreError::Conflict`] when the slug is taken.
pub async fn insert_with_owner(
    store: &Store,
    new: &NewRoom,
    owner: Uuid,
    now: DateTime<Utc>,
) -> Result<Room, StoreError> {
    let insert_room = format!(
        "INSERT INTO rooms (id, name, slug, access_level, configuration, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING {COLUMNS}"
    );
    let insert_owner = "INSERT INTO resource_accesses (id, room_id, user_id, role, created_at, updated_at) \
                        VALUES ($1, $2, $3, $4, $5, $5)";
    let room = on_pool!(store, pool => {
        let mut tx = pool.begin().await?;
        let room = sqlx::query_as::<_, Room>(&insert_room)
            .bind(Uuid::new_v4())
            .bind(&new.name)
            .bind(&new.slug)
            .bind(new.access_level)
            .bind(Json(&new.configuration))
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query(insert_owner)
            .bind(Uuid::new_v4())
            .bind(room.id)
            .bind(owner)
            .bind(Role::Owner)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        room
    });
    Ok(room)
}

/// The room `key` designates.
pub async fn find(store: &Store, key: &RoomKey) -> Result<Option<Room>, StoreError> {
    let room = match key {
        RoomKey::Id(id) => {
            let sql = format!("SELECT {COLUMNS} FROM rooms WHERE id = $1");
            on_pool!(store, pool => sqlx::query_as::<_, Room>(&sql).bind(id).fetch_optional(pool).await?)
        }
        RoomKey::Code(_) | RoomKey::Slug(_) => {
            let slug = key.slug();
            let sql = format!("SELECT {COLUMNS} FROM rooms WHERE slug = $1");
            on_pool!(store, pool => sqlx::query_as::<_, Room>(&sql).bind(slug).fetch_optional(pool).await?)
        }
    };
    Ok(room)
}

/// The role `user` holds in `room`, if any.
pub async fn role_of(store: &Store, room: Uuid, user: Uuid) -> Result<Option<Role>, StoreError> {
    let sql = "SELECT role FROM resource_accesses WHERE room_id = $1 AND user_id = $2";
    let role = on_pool!(store, pool => {
        sqlx::query_scalar::<_, Role>(sql).bind(room).bind(user).fetch_optional(pool).await?
    });
    Ok(role)
}

/// The rooms where `user` holds a role, by name, one page of them, and how many there are.
pub async fn list_for_user(
    store: &Store,
    user: Uuid,
    limit: i64,
    offset: i64,
) -> Result<(Vec<RoomWithRole>, i64), StoreError> {
    let sql = "SELECT r.id, r.name, r.slug, r.access_level, r.configuration, r.created_at, \
               r.updated_at, a.role FROM rooms r JOIN resource_accesses a ON a.room_id = r.id \
               WHERE a.user_id = $1 ORDER BY r.name, r.id LIMIT $2 OFFSET $3";
    let count_sql = "SELECT COUNT(*) FROM resource_accesses WHERE user_id = $1";
    let (rooms, count) = on_pool!(store, pool => {
        let rooms = sqlx::query_as::<_, RoomWithRole>(sql)
            .bind(user)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?;
        let count: i64 = sqlx::query_scalar(count_sql).bind(user).fetch_one(pool).await?;
        (rooms, count)
    });
    Ok((rooms, count))
}

/// How many rooms `user` owns.
pub async fn count_owned(store: &Store, user: Uuid) -> Result<i64, StoreError> {
    let sql = "SELECT COUNT(*) FROM resource_accesses WHERE user_id = $1 AND role = 'owner'";
    let count = on_pool!(store, pool => {
        sqlx::query_scalar::<_, i64>(sql).bind(user).fetch_one(pool).await?
    });
    Ok(count)
}

/// The rooms where `user` was most recently given a role (created, for their own), newest
/// first, at most `limit`: what an index answers without reading the others.
pub async fn recent_for_user(
    store: &Store,
    user: Uuid,
    limit: i64,
) -> Result<Vec<RoomWithRole>, StoreError> {
    let sql = "SELECT r.id, r.name, r.slug, r.access_level, r.configuration, r.created_at, \
               r.updated_at, a.role FROM resource_accesses a JOIN rooms r ON r.id = a.room_id \
               WHERE a.user_id = $1 ORDER BY a.created_at DESC, a.id DESC LIMIT $2";
    let rooms = on_pool!(store, pool => {
        sqlx::query_as::<_, RoomWithRole>(sql).bind(user).bind(limit).fetch_all(pool).await?
    });
    Ok(rooms)
}

/// Replaces the room's settings; [`StoreError::Conflict`] when the new slug is taken.
pub async fn update(
    store: &Store,
    id: Uuid,
    name: &str,
    slug: &str,
    access_level: AccessLevel,
    configuration: &RoomConfiguration,
) -> Result<Room, StoreError> {
    let sql = format!(
        "UPDATE rooms SET name = $2, slug = $3, access_level = $4, configuration = $5, \
         updated_at = $6 WHERE id = $1 RETURNING {COLUMNS}"
    );
    let room = on_pool!(store, pool => {
        sqlx::query_as::<_, Room>(&sql)
            .bind(id)
            .bind(name)
            .bind(slug)
            .bind(access_level)
            .bind(Json(configuration))
            .bind(Utc::now())
            .fetch_one(pool)
            .await?
    });
    Ok(room)
}

/// Deletes the room and its accesses; whether it existed.
pub async fn delete(store: &Store, id: Uuid) -> Result<bool, StoreError> {
    let deleted = on_pool!(store, pool => {
        sqlx::query("DELETE FROM rooms WHERE id = $1").bind(id).execute(pool).await?.rows_affected()
    });
    Ok(deleted > 0)
}
