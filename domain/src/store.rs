//! The database: one [`Store`] over SQLite (the default, an embedded file) or PostgreSQL (for
//! several Meet instances), chosen by the URL scheme. Queries are written once in SQL that both
//! dialects accept and live next to their aggregate (see [`crate::users`]); each dialect has its
//! own migrations folder because column types differ (UUID and timestamps).

use std::str::FromStr;
use std::time::Duration;

use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

/// Runs `$body` with `$pool` bound to the concrete pool of `$store`, once per backend. The body is
/// compiled for both, so a query that does not fit one backend's types fails to build.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            $crate::store::Store::Sqlite($pool) => $body,
            $crate::store::Store::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// Which database engine a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Why the database could not be opened, migrated or queried.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The URL's scheme is neither `sqlite:` nor `postgres:`/`postgresql:`.
    #[error(
        "unsupported database URL {0:?}: use sqlite://FILE or postgres://USER:PASSWORD@HOST/DB"
    )]
    UnsupportedUrl(String),
    /// The URL has the right scheme but could not be parsed.
    #[error("invalid database URL: {0}")]
    InvalidUrl(#[source] sqlx::Error),
    /// The database could not be reached or refused the connection; says why, in a few words.
    #[error("cannot connect to the database: {0}")]
    Connect(String),
    /// A migration failed; the database is left as it was before that migration.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The row that was asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A uniqueness rule would be broken (for example, two users with the same `sub`).
    #[error("conflicts with an existing record: {0}")]
    Conflict(String),
    /// Any other database failure.
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::RowNotFound => Self::NotFound,
            sqlx::Error::Database(ref db) if db.is_unique_violation() => {
                Self::Conflict(db.message().to_owned())
            }
            other => Self::Database(other),
        }
    }
}

/// The database behind Meet. Cheap to clone: it holds a connection pool.
#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// How long a query waits for a free connection before failing.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

impl Store {
    /// Opens the database at `url`: `sqlite://meet.db` (the file is created if missing, in WAL
    /// mode) or `postgres://user:password@host/db`. Does not run migrations: see [`Self::migrate`].
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        match Backend::of_url(url)? {
            Backend::Sqlite => {
                let options =
                    SqliteConnectOptions::from_str(url).map_err(StoreError::InvalidUrl)?;
                check_sqlite_file(options.get_filename())?;
                let options = options
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(5));
                let pool = SqlitePoolOptions::new()
                    .acquire_timeout(ACQUIRE_TIMEOUT)
                    .connect_with(options)
                    .await
                    .map_err(connect_error)?;
                Ok(Self::Sqlite(pool))
            }
            Backend::Postgres => {
                let options = PgConnectOptions::from_str(url).map_err(StoreError::InvalidUrl)?;
                // One connection first: its error says what is wrong (refused, authentication,
                // no such database), where the pool would only say that it timed out.
                let first =
                    tokio::time::timeout(ACQUIRE_TIMEOUT, PgConnection::connect_with(&options))
                        .await
                        .map_err(|_| {
                            StoreError::Connect(format!(
                                "no answer within {} s",
                                ACQUIRE_TIMEOUT.as_secs()
                            ))
                        })?
                        .map_err(connect_error)?;
                first.close().await.ok();
                let pool = PgPoolOptions::new()
                    .acquire_timeout(ACQUIRE_TIMEOUT)
                    .connect_with(options)
                    .await
                    .map_err(connect_error)?;
                Ok(Self::Postgres(pool))
            }
        }
    }

    /// Applies the migrations this build knows and the database has not seen yet.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(pool) => sqlx::migrate!("../migrations/sqlite").run(pool).await?,
            Self::Postgres(pool) => sqlx::migrate!("../migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// Checks that the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(drop)?);
        Ok(())
    }

    /// Checks that the database takes writes (a database opened read-only, a read-only replica
    /// or a full disk answers reads but not this): writes one row of its own.
    pub async fn check_writable(&self) -> Result<(), StoreError> {
        let sql = "INSERT INTO readiness_probe (id, checked_at) VALUES (1, $1) \
                   ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at";
        let now = chrono::Utc::now().to_rfc3339();
        on_pool!(self, pool => sqlx::query(sql).bind(&now).execute(pool).await.map(drop)?);
        Ok(())
    }

    /// Waits for the connections in use to be returned, then closes them all.
    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await);
    }

    /// Which engine this store talks to.
    pub fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(_) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }

    /// The pool's connections: open, and idle among them.
    pub fn pool_connections(&self) -> (u32, usize) {
        on_pool!(self, pool => (pool.size(), pool.num_idle()))
    }
}

/// Refuses an SQLite path that cannot be a database file, saying why in a few words.
fn check_sqlite_file(path: &std::path::Path) -> Result<(), StoreError> {
    let text = path.to_string_lossy();
    if text.is_empty() || text.starts_with(':') || text.starts_with("file:") {
        return Ok(()); // in memory
    }
    if path.is_dir() {
        return Err(StoreError::Connect(format!(
            "{text} is a folder, not a database file"
        )));
    }
    if let Some(folder) = path
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
        && !folder.is_dir()
    {
        return Err(StoreError::Connect(format!(
            "the folder {} does not exist",
            folder.display()
        )));
    }
    Ok(())
}

/// A connection failure in a few words: the database's own message, or the network's.
fn connect_error(error: sqlx::Error) -> StoreError {
    let reason = match &error {
        sqlx::Error::Database(database) => database.message().to_owned(),
        sqlx::Error::Io(io) => io.to_string(),
        sqlx::Error::Tls(tls) => format!("TLS: {tls}"),
        sqlx::Error::PoolTimedOut => format!("no answer within {} s", ACQUIRE_TIMEOUT.as_secs()),
        other => other.to_string(),
    };
    StoreError::Connect(reason)
}

impl Backend {
    /// The engine a database URL names, from its scheme.
    pub fn of_url(url: &str) -> Result<Self, StoreError> {
        let scheme = url.split_once(':').map(|(scheme, _)| scheme);
        match scheme {
            Some("sqlite") => Ok(Self::Sqlite),
            Some("postgres" | "postgresql") => Ok(Self::Postgres),
            _ => Err(StoreError::UnsupportedUrl(redact_url(url))),
        }
    }
}

pub use crate::secret::redact_url;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scheme_picks_the_backend() {
        assert_eq!(
            Backend::of_url("sqlite://meet.db").ok(),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::of_url("sqlite::memory:").ok(),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::of_url("postgres://u:p@h/db").ok(),
            Some(Backend::Postgres)
        );
        assert_eq!(
            Backend::of_url("postgresql://u@h/db").ok(),
            Some(Backend::Postgres)
        );
    }

    #[test]
    fn unknown_schemes_are_refused_without_leaking_the_password() {
        let error = Backend::of_url("mysql://root:hunter2@db/meet").expect_err("refused");
        let message = error.to_string();
        assert!(message.contains("mysql://root:***@db/meet"), "{message}");
        assert!(!message.contains("hunter2"), "{message}");
    }
}
