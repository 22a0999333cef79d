-- Sessions of logged-in people (tower-sessions' PostgreSQL store reads and writes this table).
-- Part of Meet's migrations so that a database Meet may not write to still starts (and says so).
CREATE SCHEMA IF NOT EXISTS tower_sessions;
CREATE TABLE IF NOT EXISTS tower_sessions.session (
    id          TEXT PRIMARY KEY NOT NULL,
    data        BYTEA NOT NULL,
    expiry_date TIMESTAMPTZ NOT NULL
);
