-- One-time links with which a new user chooses their first password.
CREATE TABLE activation_tokens (
    -- SHA-256 of the link's token; the token itself is shown once and never stored.
    token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL CHECK (expires_at > created_at),
    used_at    BIGINT
);
CREATE INDEX activation_tokens_by_user ON activation_tokens (user_id);
