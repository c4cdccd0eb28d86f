-- Bulk actions on the Multi Account tab: a job blocks, unblocks or removes many
-- accounts in batches on the server, so that it outlives the page that started it
-- (and the server: an unfinished job is taken up again when the server starts).
CREATE TABLE bulk_jobs (
    id              INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    action          TEXT NOT NULL CHECK (action IN ('block', 'unblock', 'remove')),
    -- Who started it: each account's audit entry names them, as if by hand.
    actor           TEXT NOT NULL CHECK (length(actor) BETWEEN 1 AND 300),
    actor_user_id   BIGINT,
    acting_as       TEXT,
    address         TEXT NOT NULL,
    total           BIGINT NOT NULL CHECK (total >= 0),
    processed       BIGINT NOT NULL DEFAULT 0 CHECK (processed BETWEEN 0 AND total),
    done            BIGINT NOT NULL DEFAULT 0,
    skipped         BIGINT NOT NULL DEFAULT 0,
    -- The last Partner ID processed: the next batch starts after it.
    processed_through BIGINT NOT NULL DEFAULT 0,
    started_at      BIGINT NOT NULL,
    finished_at     BIGINT,
    -- Its starter closed the result panel.
    dismissed_at    BIGINT
);
-- At most one job at work per organization (a second would fight the first for
-- the same accounts and the organization's lock).
CREATE UNIQUE INDEX bulk_jobs_one_running ON bulk_jobs (organization_id) WHERE finished_at IS NULL;
CREATE INDEX bulk_jobs_by_org ON bulk_jobs (organization_id, id);

-- The accounts a job was asked to change, and what became of each. Partner IDs, not
-- references: an operator may delete an account while the job waits.
CREATE TABLE bulk_job_items (
    job_id     BIGINT NOT NULL REFERENCES bulk_jobs (id) ON DELETE CASCADE,
    partner_id BIGINT NOT NULL,
    name       TEXT NOT NULL,
    outcome    TEXT CHECK (outcome IS NULL OR outcome IN ('done', 'skipped')),
    reason     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (job_id, partner_id)
);
