-- The lobby: people who asked to enter a room they may not enter directly, and what its hosts
-- decided. An entry lapses at `expires_at` (milliseconds since the epoch): a waiting one 3 s
-- after its guest last asked (or after the instance holding its guest's open push connection,
-- `held_by`, last said it still holds it), a refused one after 5 s, an admitted one after 6 h.
-- Lapsed entries are as good as absent and are deleted as they are met.
CREATE TABLE lobby_entries (
    room_id        UUID NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    participant_id UUID NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('waiting', 'accepted', 'denied')),
    username       TEXT NOT NULL CHECK (length(username) <= 255),
    color          TEXT NOT NULL CHECK (length(color) <= 64),
    requested_at   BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    held_by        UUID,
    PRIMARY KEY (room_id, participant_id)
);
CREATE INDEX lobby_entries_expires_at ON lobby_entries (expires_at);
CREATE INDEX lobby_entries_held_by ON lobby_entries (held_by) WHERE held_by IS NOT NULL;
