-- Upgrade requests: an administrator asks the operator for more accounts or users.
-- The operator lists the pending ones; setting the quota closes them.
CREATE TABLE upgrade_requests (
    id              INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('accounts', 'users')),
    how_many        BIGINT NOT NULL CHECK (how_many BETWEEN 1 AND 100000),
    message         TEXT NOT NULL CHECK (length(message) <= 1000),
    requested_by    TEXT NOT NULL CHECK (length(requested_by) BETWEEN 1 AND 300),
    requested_at    BIGINT NOT NULL,
    closed_at       BIGINT
);
-- One pending request per organization and kind: asking twice adds nothing.
CREATE UNIQUE INDEX upgrade_requests_one_pending ON upgrade_requests (organization_id, kind)
    WHERE closed_at IS NULL;
