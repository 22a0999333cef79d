-- Sessions of logged-in people, in Meet's own table: the user is a column, so that one query
-- finds a session's user (the table tower-sessions' store kept held it inside an opaque blob).
-- Sessions in the old table are dropped: people log in again once.
DROP TABLE IF EXISTS tower_sessions.session;
DROP SCHEMA IF EXISTS tower_sessions;
CREATE TABLE sessions (
    id         TEXT PRIMARY KEY NOT NULL,
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The provider's ID token, sent back at logout.
    id_token   TEXT NOT NULL,
    -- Unix time at which the login ends.
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);
