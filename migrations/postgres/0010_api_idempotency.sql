-- What an API create answered for an Idempotency-Key, so that a retry gets the same
-- answer and creates nothing more. Kept 24 hours; a key whose request never finished
-- (no status) may be taken over after a minute.
CREATE TABLE api_idempotency (
    token_id    BIGINT NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    key         TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 100),
    -- SHA-256 of the request body: the same key with another body is refused.
    fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 64),
    status      INTEGER,
    body        TEXT,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (token_id, key)
);
CREATE INDEX api_idempotency_by_age ON api_idempotency (created_at);
