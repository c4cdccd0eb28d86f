-- API tokens: a reseller's own systems calling /api/v1 for one organization.
-- Only the SHA-256 of a token is stored; the token itself is shown once.
CREATE TABLE api_tokens (
    id              INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    token_hash      TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    access          TEXT NOT NULL CHECK (access IN ('read', 'write')),
    -- An administrator's email, or "operator".
    created_by      TEXT NOT NULL CHECK (length(created_by) BETWEEN 1 AND 300),
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT CHECK (expires_at IS NULL OR expires_at > created_at),
    last_used_at    BIGINT,
    revoked_at      BIGINT
);
-- A live token's name says who made a change in the audit log: one per organization.
CREATE UNIQUE INDEX api_tokens_one_live_name ON api_tokens (organization_id, name) WHERE revoked_at IS NULL;
CREATE INDEX api_tokens_by_org ON api_tokens (organization_id, created_at);
