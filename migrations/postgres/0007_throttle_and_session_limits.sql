-- Sessions end after an idle time as well as at their absolute expiry, and a CMS Login
-- session hangs on the administrator's own session that started it.
ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
UPDATE sessions SET last_seen_at = created_at;
ALTER TABLE sessions ADD COLUMN parent_session TEXT REFERENCES sessions (token_hash) ON DELETE CASCADE;
CREATE INDEX sessions_by_parent ON sessions (parent_session);
CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);
-- CMS Login sessions started before this had no parent and could outlive it: end them.
DELETE FROM sessions WHERE scoped_account_id IS NOT NULL;

-- Failed sign-ins (and activations, CMS Logins), one row each, counted per subject
-- over a sliding window. In the database so that every server on it shares the count.
CREATE TABLE auth_failures (
    subject TEXT NOT NULL CHECK (char_length(subject) <= 300),
    at      BIGINT NOT NULL
);
CREATE INDEX auth_failures_by_subject ON auth_failures (subject, at);
CREATE INDEX auth_failures_by_time ON auth_failures (at);
