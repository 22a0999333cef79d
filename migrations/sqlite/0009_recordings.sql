-- Recordings of meetings, and who may see them. A recording's `status` follows La Suite Meet's
-- machine (initiated → active → stopped/aborted → saved/notification_succeeded → external
-- process); Meet's recording mediator is the only writer of it. `worker_id` is the recording
-- worker's id (a LiveKit egress id), kept once it stops. `started_at` and `ended_at` are when
-- the worker says it recorded, `notified_at` when the owners were told the file is ready.
CREATE TABLE recordings (
    id                  BLOB PRIMARY KEY NOT NULL,
    room_id             BLOB NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    status              TEXT NOT NULL CHECK (status IN ('initiated', 'active', 'stopped',
                            'saved', 'aborted', 'failed_to_start', 'failed_to_stop',
                            'notification_succeeded', 'external_process_successful',
                            'external_process_failed')),
    mode                TEXT NOT NULL CHECK (mode IN ('screen_recording', 'transcript')),
    options             TEXT NOT NULL DEFAULT '{}',
    worker_id           TEXT CHECK (length(worker_id) <= 255),
    external_process_id TEXT UNIQUE CHECK (length(external_process_id) <= 255),
    started_at          TEXT,
    ended_at            TEXT,
    notified_at         TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);

-- At most one recording per room is being started or running: a second start loses here.
CREATE UNIQUE INDEX recordings_one_running_per_room ON recordings (room_id)
    WHERE status IN ('initiated', 'active');
CREATE INDEX recordings_room ON recordings (room_id, created_at);
CREATE INDEX recordings_worker ON recordings (worker_id) WHERE worker_id IS NOT NULL;
-- The recordings a worker may still be busy with, which Meet settles with LiveKit.
CREATE INDEX recordings_awaiting_worker ON recordings (status)
    WHERE status IN ('initiated', 'active', 'stopped');

-- One role per user and recording; whoever started a recording owns it.
CREATE TABLE recording_accesses (
    id           BLOB PRIMARY KEY NOT NULL,
    recording_id BLOB NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
    user_id      BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role         TEXT NOT NULL CHECK (role IN ('member', 'administrator', 'owner')),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (user_id, recording_id)
);
CREATE INDEX recording_accesses_recording ON recording_accesses (recording_id, role);
