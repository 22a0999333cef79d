//! Sessions: kept in Meet's `sessions` table (see [`meet_domain::sessions`]) so that several
//! Meet instances share them; `tower-sessions` writes them at login and deletes them at logout
//! through [`MeetSessionStore`]. The cookie is `meet_sessionid`: HttpOnly, SameSite=Lax, Secure
//! when Meet is served over https. A session exists only once someone has logged in: visitors,
//! and logins in progress (kept in signed cookies, see [`crate::login::cookies`]), cost no
//! storage. Who is logged in is read from the cookie by the requester middleware, from memory
//! or with one query.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use http::HeaderMap;
use meet_domain::sessions::{Sessions, StoredSession};
use time::OffsetDateTime;
use tower_sessions::cookie::SameSite;
use tower_sessions::session::Error as SessionError;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};
use tower_sessions::{Expiry, Session, SessionManagerLayer};
use uuid::Uuid;

use crate::cookies;

/// Name of the session cookie.
pub const COOKIE_NAME: &str = "meet_sessionid";
/// How often expired sessions are deleted.
const PURGE_PERIOD: Duration = Duration::from_secs(3600);

const USER_ID: &str = "user_id";
const ID_TOKEN: &str = "oidc_id_token";

/// The session store over Meet's `sessions` table.
#[derive(Debug, Clone)]
pub struct MeetSessionStore {
    sessions: Arc<Sessions>,
}

impl MeetSessionStore {
    pub fn new(sessions: Arc<Sessions>) -> Self {
        Self { sessions }
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
            let mut every = tokio::time::interval(PURGE_PERIOD);
            loop {
                every.tick().await;
                match self.sessions.delete_expired().await {
                    Ok(0) => {}
                    Ok(deleted) => tracing::debug!(deleted, "expired sessions deleted"),
                    Err(error) => tracing::warn!(%error, "cannot delete expired sessions"),
                }
            }
        });
    }
}

fn backend(error: meet_domain::StoreError) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

/// The row a login's record is stored as: it must name its user.
fn stored(record: &Record) -> session_store::Result<StoredSession> {
    let user_id = record
        .data
        .get(USER_ID)
        .and_then(|value| serde_json::from_value::<Uuid>(value.clone()).ok())
        .ok_or_else(|| session_store::Error::Backend("a session names no user".to_owned()))?;
    let id_token = record
        .data
        .get(ID_TOKEN)
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_owned();
    Ok(StoredSession {
        id: record.id.0,
        user_id,
        id_token,
        expires_at: record.expiry_date.unix_timestamp(),
    })
}

#[async_trait]
impl SessionStore for MeetSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // Ids are 128 random bits: drawing one already taken is not going to happen, but costs
        // one lookup to rule out.
        while self
            .sessions
            .load(record.id.0)
            .await
            .map_err(backend)?
            .is_some()
        {
            record.id = Id::default();
        }
        self.save(record).await
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.sessions.save(&stored(record)?).await.map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some(session) = self.sessions.load(id.0).await.map_err(backend)? else {
            return Ok(None);
        };
        let expiry_date = OffsetDateTime::from_unix_timestamp(session.expires_at)
            .map_err(|error| session_store::Error::Decode(error.to_string()))?;
        let data = [
            (USER_ID.to_owned(), serde_json::json!(session.user_id)),
            (ID_TOKEN.to_owned(), serde_json::json!(session.id_token)),
        ];
        Ok(Some(Record {
            id: *id,
            data: data.into_iter().collect(),
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.sessions.end(id.0).await.map_err(backend)
    }
}

/// The session id in a request's cookie, if it has a well-formed one.
pub fn id_in(headers: &HeaderMap) -> Option<i128> {
    let value = cookies::get(headers, COOKIE_NAME)?;
    Id::from_str(value).ok().map(|id| id.0)
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
    session.set_expiry(Some(Expiry::AtDateTime(until)));
    Ok(())
}

/// Logs out: deletes the session, and returns the ID token for the provider's logout.
pub async fn log_out(session: &Session) -> Result<Option<String>, SessionError> {
    let id_token: Option<String> = session.get(ID_TOKEN).await?;
    session.flush().await?;
    Ok(id_token)
}
