//! Sessions: kept in the database (`tower-sessions` with its SQLite or PostgreSQL store) so that
//! several Meet instances share them. The cookie is `meet_sessionid`: HttpOnly, SameSite=Lax,
//! Secure when Meet is served over https. A session exists only once someone has logged in:
//! visitors, and logins in progress (kept in signed cookies, see
//! [`crate::login::cookies`]), cost no storage.

use std::time::Duration;

use async_trait::async_trait;
use meet_domain::Store;
use time::OffsetDateTime;
use tower_sessions::cookie::SameSite;
use tower_sessions::session::Error as SessionError;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions::{Expiry, Session, SessionManagerLayer};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};
use uuid::Uuid;

/// Name of the session cookie.
pub const COOKIE_NAME: &str = "meet_sessionid";
/// How often expired sessions are deleted.
const PURGE_PERIOD: Duration = Duration::from_secs(3600);

const USER_ID: &str = "user_id";
/// Unix time at which a login ends: kept in the session because the store does not give the
/// expiry back, and any change to the session must keep it.
const EXPIRES_AT: &str = "expires_at";
const ID_TOKEN: &str = "oidc_id_token";

/// The session store over Meet's database.
#[derive(Debug, Clone)]
pub enum MeetSessionStore {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl MeetSessionStore {
    /// The store over `store`'s database (its table is created by Meet's migrations).
    pub fn new(store: &Store) -> Self {
        match store {
            Store::Sqlite(pool) => Self::Sqlite(SqliteStore::new(pool.clone())),
            Store::Postgres(pool) => Self::Postgres(PostgresStore::new(pool.clone())),
        }
    }

    /// The cookie layer for Meet served at `public_url`.
    pub fn layer(self, public_url: &str) -> SessionManagerLayer<Self> {
        SessionManagerLayer::new(self)
            .with_name(COOKIE_NAME)
            .with_http_only(true)
            .with_same_site(SameSite::Lax)
            .with_secure(public_url.starts_with("https://"))
            .with_path("/")
            // Sessions are only written at login, which sets their end; this is a fallback.
            .with_expiry(Expiry::OnInactivity(time::Duration::minutes(15)))
    }

    /// Deletes expired sessions now and then, for as long as the process runs.
    pub fn spawn_purge(self) {
        tokio::spawn(async move {
            if let Err(error) = self.continuously_delete_expired(PURGE_PERIOD).await {
                tracing::error!(%error, "expired sessions are no longer purged");
            }
        });
    }
}

#[async_trait]
impl SessionStore for MeetSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            Self::Sqlite(store) => store.create(record).await,
            Self::Postgres(store) => store.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            Self::Sqlite(store) => store.save(record).await,
            Self::Postgres(store) => store.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            Self::Sqlite(store) => store.load(id).await,
            Self::Postgres(store) => store.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            Self::Sqlite(store) => store.delete(id).await,
            Self::Postgres(store) => store.delete(id).await,
        }
    }
}

#[async_trait]
impl ExpiredDeletion for MeetSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            Self::Sqlite(store) => store.delete_expired().await,
            Self::Postgres(store) => store.delete_expired().await,
        }
    }
}

/// The user logged in with this session, if any.
pub async fn user_id(session: &Session) -> Result<Option<Uuid>, SessionError> {
    session.get(USER_ID).await
}

/// Logs `user` in: a new session id (so an id seen before login is worthless after), the user
/// and the ID token stored, and the session's lifetime starting now.
pub async fn log_in(
    session: &Session,
    user: Uuid,
    id_token: &str,
    lifetime: Duration,
) -> Result<(), SessionError> {
    session.cycle_id().await?;
    session.insert(USER_ID, user).await?;
    session.insert(ID_TOKEN, id_token).await?;
    let until = OffsetDateTime::now_utc() + lifetime;
    session.insert(EXPIRES_AT, until.unix_timestamp()).await?;
    session.set_expiry(Some(Expiry::AtDateTime(until)));
    Ok(())
}

/// Logs out: deletes the session, and returns the ID token for the provider's logout.
pub async fn log_out(session: &Session) -> Result<Option<String>, SessionError> {
    let id_token: Option<String> = session.get(ID_TOKEN).await?;
    session.flush().await?;
    Ok(id_token)
}
