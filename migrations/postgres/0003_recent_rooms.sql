-- A user's rooms, newest first, for the home page: read from this index, whatever their number.
CREATE INDEX resource_accesses_user_created ON resource_accesses (user_id, created_at);
