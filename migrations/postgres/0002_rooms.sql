-- Rooms, and who holds which role in them. A room's `slug` is derived from its name (lowercase,
-- hyphenated) and is how its address is found; `configuration` is a JSON object validated by
-- Meet (can_publish_sources, everyone_can_mute).
CREATE TABLE rooms (
    id            UUID PRIMARY KEY NOT NULL,
    name          TEXT NOT NULL,
    slug          TEXT NOT NULL UNIQUE,
    access_level  TEXT NOT NULL CHECK (access_level IN ('public', 'trusted', 'restricted')),
    configuration JSONB NOT NULL DEFAULT '{}',
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

-- One role per user and room. The last owner of a room is protected by Meet, in a transaction
-- that locks the room.
CREATE TABLE resource_accesses (
    id         UUID PRIMARY KEY NOT NULL,
    room_id    UUID NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('member', 'administrator', 'owner')),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (user_id, room_id)
);

CREATE INDEX resource_accesses_room ON resource_accesses (room_id, role);

-- What a user's new rooms start with.
ALTER TABLE users ADD COLUMN default_room_access_level TEXT
    CHECK (default_room_access_level IN ('public', 'trusted', 'restricted'));
ALTER TABLE users ADD COLUMN default_room_configuration JSONB NOT NULL DEFAULT '{}';
