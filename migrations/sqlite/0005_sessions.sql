-- Sessions of logged-in people (tower-sessions' SQLite store reads and writes this table). Part
-- of Meet's migrations so that a database Meet may not write to still starts (and says so).
CREATE TABLE IF NOT EXISTS tower_sessions (
    id          TEXT PRIMARY KEY NOT NULL,
    data        BLOB NOT NULL,
    expiry_date INTEGER NOT NULL
);
