-- Product events (ANALYTICS_BACKEND=db): what happened and when, who and where only as keyed
-- hashes (32 hex digits), never content. `properties` is the event's JSON properties, as the
-- catalogue in code defines them. Events older than ANALYTICS_RETENTION_DAYS are deleted.
CREATE TABLE analytics_events (
    id          BLOB PRIMARY KEY NOT NULL,
    occurred_at TEXT NOT NULL,
    name        TEXT NOT NULL CHECK (length(name) <= 40),
    actor       TEXT CHECK (length(actor) = 32),
    room        TEXT CHECK (length(room) = 32),
    meeting     TEXT CHECK (length(meeting) = 32),
    properties  TEXT NOT NULL CHECK (length(properties) <= 1000)
);
CREATE INDEX analytics_events_occurred_at ON analytics_events (occurred_at);

-- Staff may see the usage page, as the operators named in MEET_ADMIN_EMAILS (La Suite Meet's
-- `is_staff`). Meet never sets it: a deployment does, in the database.
ALTER TABLE users ADD COLUMN is_staff BOOLEAN NOT NULL DEFAULT FALSE;
