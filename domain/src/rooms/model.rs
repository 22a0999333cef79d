//! The room as stored.

use chrono::{DateTime, Utc};
use meet_types::{AccessLevel, RoomConfiguration};
use sqlx::types::Json;
use uuid::Uuid;

/// A room.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Room {
    pub id: Uuid,
    pub name: String,
    /// `slugify(name)`: how the room's address finds it. Unique.
    pub slug: String,
    pub access_level: AccessLevel,
    pub configuration: Json<RoomConfiguration>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Room {
    /// The LiveKit room name: the room's id.
    pub fn livekit_name(&self) -> String {
        self.id.to_string()
    }
}
