//! Users: people known to Meet through OpenID Connect. This module owns the `users` table; the
//! login flow finds a user by `sub`, falls back to a case-insensitive email when allowed, creates
//! users on first login and refreshes their claims on each login.

pub mod preferences;

use chrono::{DateTime, Utc};
use meet_types::{AccessLevel, RoomConfiguration, UserView};
use sqlx::types::Json;
use uuid::Uuid;

use crate::store::{Store, StoreError, on_pool};

/// Language of a user who has not chosen one.
pub const DEFAULT_LANGUAGE: &str = "en-us";
/// Time zone of a user who has not chosen one.
pub const DEFAULT_TIMEZONE: &str = "UTC";

/// A user as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct User {
    pub id: Uuid,
    /// The identity provider's stable subject identifier; `None` for a user provisioned by email
    /// who has not logged in yet.
    pub sub: Option<String>,
    pub email: Option<String>,
    pub full_name: Option<String>,
    pub short_name: Option<String>,
    pub language: String,
    pub timezone: String,
    /// Access level of the rooms this user creates, when they do not say.
    pub default_room_access_level: Option<AccessLevel>,
    /// Configuration of the rooms this user creates, when they do not say.
    pub default_room_configuration: Json<RoomConfiguration>,
    /// Whether they are of the deployment's staff (set in the database, never by Meet): staff
    /// may see the usage page.
    pub is_staff: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a user may change about themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preferences {
    pub language: String,
    pub timezone: String,
    pub default_room_access_level: Option<AccessLevel>,
    pub default_room_configuration: RoomConfiguration,
}

/// Whether `name` is an IANA time zone, such as `Europe/Paris` or `UTC`.
pub fn is_timezone(name: &str) -> bool {
    name.parse::<chrono_tz::Tz>().is_ok()
}

/// Languages Meet speaks, as La Suite Meet names them.
pub const LANGUAGES: [&str; 4] = ["en-us", "fr-fr", "nl-nl", "de-de"];

/// What the identity provider says about a user: written on creation and on every login.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserClaims {
    pub sub: Option<String>,
    pub email: Option<String>,
    pub full_name: Option<String>,
    pub short_name: Option<String>,
}

/// Columns of [`User`], in one place for every query.
pub(crate) const COLUMNS: &str = "id, sub, email, full_name, short_name, language, timezone, \
     default_room_access_level, default_room_configuration, is_staff, created_at, updated_at";

/// Creates a user from claims. Fails with [`StoreError::Conflict`] when the `sub` is taken, or
/// when the email is taken by another user without a `sub`.
pub async fn insert(store: &Store, claims: &UserClaims) -> Result<User, StoreError> {
    let now = Utc::now();
    let sql = format!(
        "INSERT INTO users (id, sub, email, email_lower, full_name, short_name, language, \
         timezone, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING {COLUMNS}"
    );
    let user = on_pool!(store, pool => {
        sqlx::query_as::<_, User>(&sql)
            .bind(Uuid::new_v4())
            .bind(&claims.sub)
            .bind(&claims.email)
            .bind(claims.email.as_deref().map(normalize_email))
            .bind(&claims.full_name)
            .bind(&claims.short_name)
            .bind(DEFAULT_LANGUAGE)
            .bind(DEFAULT_TIMEZONE)
            .bind(now)
            .fetch_one(pool)
            .await?
    });
    Ok(user)
}

/// The user with this id.
pub async fn find_by_id(store: &Store, id: Uuid) -> Result<Option<User>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
    let user = on_pool!(store, pool => {
        sqlx::query_as::<_, User>(&sql).bind(id).fetch_optional(pool).await?
    });
    Ok(user)
}

/// The user with this subject identifier.
pub async fn find_by_sub(store: &Store, sub: &str) -> Result<Option<User>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE sub = $1");
    let user = on_pool!(store, pool => {
        sqlx::query_as::<_, User>(&sql).bind(sub).fetch_optional(pool).await?
    });
    Ok(user)
}

/// The users whose email matches `email`, ignoring case, oldest first. Several users may share
/// an email (the provider gave them different `sub`s); the caller decides what that means.
pub async fn find_by_email(store: &Store, email: &str) -> Result<Vec<User>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE email_lower = $1 ORDER BY created_at, id");
    let key = normalize_email(email);
    let users = on_pool!(store, pool => {
        sqlx::query_as::<_, User>(&sql).bind(&key).fetch_all(pool).await?
    });
    Ok(users)
}

/// Replaces the provider's claims of user `id` (all four, including a `sub` learnt at the first
/// login of a provisioned user) and returns the updated user. [`StoreError::NotFound`] if there is
/// no such user.
pub async fn update_claims(
    store: &Store,
    id: Uuid,
    claims: &UserClaims,
) -> Result<User, StoreError> {
    let sql = format!(
        "UPDATE users SET sub = $2, email = $3, email_lower = $4, full_name = $5, \
         short_name = $6, updated_at = $7 WHERE id = $1 RETURNING {COLUMNS}"
    );
    let user = on_pool!(store, pool => {
        sqlx::query_as::<_, User>(&sql)
            .bind(id)
            .bind(&claims.sub)
            .bind(&claims.email)
            .bind(claims.email.as_deref().map(normalize_email))
            .bind(&claims.full_name)
            .bind(&claims.short_name)
            .bind(Utc::now())
            .fetch_one(pool)
            .await?
    });
    Ok(user)
}

/// Replaces the user's preferences and returns the updated user.
pub async fn update_preferences(
    store: &Store,
    id: Uuid,
    preferences: &Preferences,
) -> Result<User, StoreError> {
    let sql = format!(
        "UPDATE users SET language = $2, timezone = $3, default_room_access_level = $4, \
         default_room_configuration = $5, updated_at = $6 WHERE id = $1 RETURNING {COLUMNS}"
    );
    let user = on_pool!(store, pool => {
        sqlx::query_as::<_, User>(&sql)
            .bind(id)
            .bind(&preferences.language)
            .bind(&preferences.timezone)
            .bind(preferences.default_room_access_level)
            .bind(Json(&preferences.default_room_configuration))
            .bind(Utc::now())
            .fetch_one(pool)
            .await?
    });
    Ok(user)
}

/// The form of an email used for case-insensitive comparison. Done here rather than with SQL
/// `lower()`, which is ASCII-only in SQLite but Unicode-aware in PostgreSQL.
fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

impl User {
    /// The preferences as currently stored.
    pub fn preferences(&self) -> Preferences {
        Preferences {
            language: self.language.clone(),
            timezone: self.timezone.clone(),
            default_room_access_level: self.default_room_access_level,
            default_room_configuration: self.default_room_configuration.0.clone(),
        }
    }

    /// The identity of this user in LiveKit rooms: the provider's `sub` (the user id for a user
    /// provisioned by email who never logged in).
    pub fn livekit_identity(&self) -> String {
        self.sub.clone().unwrap_or_else(|| self.id.to_string())
    }

    /// The name others see when the user does not choose one: full name, else email.
    pub fn display_name(&self) -> String {
        [&self.full_name, &self.short_name, &self.email]
            .into_iter()
            .flatten()
            .map(|name| name.trim())
            .find(|name| !name.is_empty())
            .unwrap_or("Anonymous")
            .to_owned()
    }

    /// The claims as currently stored.
    pub fn claims(&self) -> UserClaims {
        UserClaims {
            sub: self.sub.clone(),
            email: self.email.clone(),
            full_name: self.full_name.clone(),
            short_name: self.short_name.clone(),
        }
    }
}

impl From<&User> for UserView {
    fn from(user: &User) -> Self {
        Self {
            id: user.id,
            email: user.email.clone(),
            full_name: user.full_name.clone(),
            short_name: user.short_name.clone(),
        }
    }
}
