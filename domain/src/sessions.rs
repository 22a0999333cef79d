//! Sessions of logged-in people: stored in the `sessions` table (written at login, deleted at
//! logout), and who is logged in with a session's cookie, answered from memory when recently
//! seen ([`cache`]) and otherwise with one query.

pub mod cache;
pub mod queries;

use uuid::Uuid;

/// A session as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSession {
    /// The id in the session cookie (tower-sessions' 128-bit id).
    pub id: i128,
    pub user_id: Uuid,
    /// The provider's ID token, sent back at logout.
    pub id_token: String,
    /// Unix time at which the login ends.
    pub expires_at: i64,
}

pub use cache::Sessions;
