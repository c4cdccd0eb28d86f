-- CMS Login: a session can be scoped to one account and carry who started it.
ALTER TABLE sessions ADD COLUMN scoped_account_id BIGINT;
ALTER TABLE sessions ADD COLUMN started_by_user_id BIGINT REFERENCES users (id) ON DELETE CASCADE;
CREATE INDEX sessions_by_starter ON sessions (started_by_user_id);

-- The audit log: every change and every CMS Login, refused attempts included.
-- No foreign keys on purpose: an entry outlives the account and users it names.
CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    at              BIGINT NOT NULL,
    -- The organization whose log shows the entry (NULL: the operator's own actions
    -- on the platform).
    organization_id BIGINT,
    actor           TEXT NOT NULL CHECK (length(actor) BETWEEN 1 AND 254),
    actor_user_id   BIGINT,
    -- The account owner a CMS Login session acts as.
    acting_as       TEXT,
    action          TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
    partner_id      BIGINT,
    address         TEXT NOT NULL,
    outcome         TEXT NOT NULL CHECK (outcome IN ('done', 'refused', 'failed')),
    detail          TEXT NOT NULL DEFAULT ''
);
-- The Audit tab: newest first (time, then ID), paged by keyset, within one
-- organization, by account, or by action (so that a rare action, or one action in a
-- time range, is one index range, not a walk through everything else).
CREATE INDEX audit_log_by_org ON audit_log (organization_id, at, id);
CREATE INDEX audit_log_by_account ON audit_log (partner_id, at, id);
CREATE INDEX audit_log_by_action ON audit_log (organization_id, action, at, id);

-- Append-only, whatever the code does: no entry can be changed or deleted.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
