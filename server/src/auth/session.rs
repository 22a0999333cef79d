//! Sessions: kept in the database (`tower-sessions` with its SQLite or PostgreSQL store) so that
//! several Meet instances share them. The cookie is `meet_sessionid`: HttpOnly, SameSite=Lax,
//! Secure when Meet is served over https. A session exists only once something is stored in
//! it (a login in progress, or a logged-in user): visitors get no cookie.

use std::time::Duration;

use async_trait::async_trait;
use meet_domain::Store;
use serde::{Deserialize, Serialize};
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
/// How long a login attempt may take before its session is forgotten.
pub const PENDING_LOGIN_LIFETIME: Duration = Duration::from_secs(15 * 60);
/// At most this many logins may be in progress at once in one browser (several tabs).
const MAX_PENDING_LOGINS: usize = 5;
/// How often expired sessions are deleted.
const PURGE_PERIOD: Duration = Duration::from_secs(3600);

const USER_ID: &str = "user_id";
/// Unix time at which a login ends: kept in the session because the store does not give the
/// expiry back, and any change to the session must keep it.
const EXPIRES_AT: &str = "expires_at";
const ID_TOKEN: &str = "oidc_id_token";
const PENDING_LOGINS: &str = "oidc_pending_logins";
const LOGOUT_STATE: &str = "oidc_logout_state";

/// The session store over Meet's database.
#[derive(Debug, Clone)]
pub enum MeetSessionStore {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl MeetSessionStore {
    /// The store over `store`'s database; creates its table if needed.
    pub async fn new(store: &Store) -> Result<Self, sqlx::Error> {
        Ok(match store {
            Store::Sqlite(pool) => {
                let sessions = SqliteStore::new(pool.clone());
                sessions.migrate().await?;
                Self::Sqlite(sessions)
            }
            Store::Postgres(pool) => {
                let sessions = PostgresStore::new(pool.clone());
                sessions.migrate().await?;
                Self::Postgres(sessions)
            }
        })
    }

    /// The cookie layer for Meet served at `public_url`.
    pub fn layer(self, public_url: &str) -> SessionManagerLayer<Self> {
        SessionManagerLayer::new(self)
            .with_name(COOKIE_NAME)
            .with_http_only(true)
            .with_same_site(SameSite::Lax)
            .with_secure(public_url.starts_with("https://"))
            .with_path("/")
            .with_expiry(Expiry::OnInactivity(time::Duration::seconds(
                PENDING_LOGIN_LIFETIME.as_secs() as i64,
            )))
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

/// A login started in this browser and not finished yet.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PendingLogin {
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    /// Where to go once logged in: a path inside Meet.
    pub return_to: String,
    /// Started with `prompt=none`.
    pub silent: bool,
    /// Unix time of the start, in seconds.
    pub started_at: i64,
}

/// The user logged in with this session, if any.
pub async fn user_id(session: &Session) -> Result<Option<Uuid>, SessionError> {
    session.get(USER_ID).await
}

/// Remembers a login in progress (keeping a few, for several tabs).
pub async fn push_pending_login(
    session: &Session,
    login: PendingLogin,
) -> Result<(), SessionError> {
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let mut pending: Vec<PendingLogin> = session.get(PENDING_LOGINS).await?.unwrap_or_default();
    pending.retain(|login| now - login.started_at < PENDING_LOGIN_LIFETIME.as_secs() as i64);
    pending.push(login);
    let excess = pending.len().saturating_sub(MAX_PENDING_LOGINS);
    pending.drain(..excess);
    session.insert(PENDING_LOGINS, pending).await?;
    keep_expiry(session).await
}

/// The expiry a changed session must keep: the end of its login, or a short life for a session
/// that only holds a login in progress. (Each request starts from the layer's default.)
async fn keep_expiry(session: &Session) -> Result<(), SessionError> {
    let expiry = match session.get::<i64>(EXPIRES_AT).await? {
        Some(at) => match OffsetDateTime::from_unix_timestamp(at) {
            Ok(at) => Expiry::AtDateTime(at),
            Err(_) => Expiry::AtDateTime(OffsetDateTime::now_utc()),
        },
        None => Expiry::OnInactivity(time::Duration::seconds(
            PENDING_LOGIN_LIFETIME.as_secs() as i64
        )),
    };
    session.set_expiry(Some(expiry));
    Ok(())
}

/// Takes the login in progress whose `state` is `state`: it can be completed only once. `None`
/// when there is none, or it is too old.
pub async fn take_pending_login(
    session: &Session,
    state: &str,
) -> Result<Option<PendingLogin>, SessionError> {
    let mut pending: Vec<PendingLogin> = session.get(PENDING_LOGINS).await?.unwrap_or_default();
    let Some(index) = pending.iter().position(|login| login.state == state) else {
        return Ok(None);
    };
    let login = pending.remove(index);
    if pending.is_empty() {
        session.remove_value(PENDING_LOGINS).await?;
    } else {
        session.insert(PENDING_LOGINS, pending).await?;
    }
    keep_expiry(session).await?;
    let age = OffsetDateTime::now_utc().unix_timestamp() - login.started_at;
    Ok((age < PENDING_LOGIN_LIFETIME.as_secs() as i64).then_some(login))
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
    keep_expiry(session).await
}

/// Logs out: deletes the session, and returns the ID token for the provider's logout.
pub async fn log_out(session: &Session) -> Result<Option<String>, SessionError> {
    let id_token: Option<String> = session.get(ID_TOKEN).await?;
    session.flush().await?;
    Ok(id_token)
}

/// Remembers the `state` sent with a provider logout, in a fresh short session.
pub async fn set_logout_state(session: &Session, state: &str) -> Result<(), SessionError> {
    session.insert(LOGOUT_STATE, state).await?;
    keep_expiry(session).await
}

/// Takes the logout `state` remembered by [`set_logout_state`].
pub async fn take_logout_state(session: &Session) -> Result<Option<String>, SessionError> {
    let state = session.remove(LOGOUT_STATE).await?;
    if session.is_empty().await {
        session.flush().await?;
    }
    Ok(state)
}
