-- When an expired recording's file was deleted from storage (by Meet's expiry job); the row
-- stays, so its owners are told it expired.
ALTER TABLE recordings ADD COLUMN purged_at TIMESTAMPTZ;
CREATE INDEX recordings_to_purge ON recordings (created_at) WHERE purged_at IS NULL;
