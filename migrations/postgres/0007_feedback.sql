-- Feedback people give after a call (the /feedback page): a rating of the call's quality from 1
-- to 5, an optional comment, why the call ended and in which meeting, as the page was told.
-- Meet checks every field before storing it; the checks here keep the table within those bounds
-- whatever writes to it. Feedback outlives its sender's account, without the sender.
CREATE TABLE feedback (
    id         UUID PRIMARY KEY NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    rating     SMALLINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment    TEXT CHECK (length(comment) <= 2000),
    reason     TEXT CHECK (reason IN ('left', 'removed', 'duplicate_identity', 'room_deleted',
                                      'connection_lost', 'unreachable')),
    room_slug  TEXT CHECK (length(room_slug) <= 255),
    user_id    UUID REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX feedback_created_at ON feedback (created_at);
CREATE INDEX feedback_user_id ON feedback (user_id);
