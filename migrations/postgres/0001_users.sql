-- People who log in through OpenID Connect. `sub` is the provider's stable identifier; it is NULL
-- only for users provisioned by email before their first login. `email_lower` is the email
-- lowercased by Meet, so case-insensitive lookups use an index on both backends.
CREATE TABLE users (
    id          UUID PRIMARY KEY NOT NULL,
    sub         TEXT UNIQUE,
    email       TEXT,
    email_lower TEXT,
    full_name   TEXT,
    short_name  TEXT,
    language    TEXT NOT NULL DEFAULT 'en-us',
    timezone    TEXT NOT NULL DEFAULT 'UTC',
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

CREATE INDEX users_email_lower ON users (email_lower);

-- Two provisional users (no `sub` yet) may not share an email: the first login would not know
-- which one it is.
CREATE UNIQUE INDEX users_email_lower_unique_without_sub ON users (email_lower) WHERE sub IS NULL;
