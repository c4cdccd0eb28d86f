-- Searching, sorting and counting the accounts of very large organizations.

-- Accounts per status, kept by the core with every change (see src/accounts.rs),
-- so the filter's counts never scan the accounts table.
ALTER TABLE organizations ADD COLUMN active_accounts BIGINT NOT NULL DEFAULT 0 CHECK (active_accounts >= 0);
ALTER TABLE organizations ADD COLUMN blocked_accounts BIGINT NOT NULL DEFAULT 0 CHECK (blocked_accounts >= 0);
ALTER TABLE organizations ADD COLUMN removed_accounts BIGINT NOT NULL DEFAULT 0 CHECK (removed_accounts >= 0);
UPDATE organizations SET
    active_accounts  = (SELECT COUNT(*) FROM accounts a WHERE a.organization_id = organizations.id AND a.status = 'active'),
    blocked_accounts = (SELECT COUNT(*) FROM accounts a WHERE a.organization_id = organizations.id AND a.status = 'blocked'),
    removed_accounts = (SELECT COUNT(*) FROM accounts a WHERE a.organization_id = organizations.id AND a.status = 'removed');

-- One index per sort order, each usable by the keyset of its order.
CREATE INDEX accounts_by_org_partner ON accounts (organization_id, partner_id);
CREATE INDEX accounts_by_org_name ON accounts (organization_id, name, partner_id);
-- A single status (e.g. the few Removed among a million) without walking the others.
CREATE INDEX accounts_by_org_status_newest ON accounts (organization_id, status, created_at, partner_id);

-- Substring search: trigram indexes. The expressions must stay exactly as the
-- queries in src/storage/accounts.rs write them, or the planner will not use them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX accounts_name_trgm ON accounts USING gin (lower(name) gin_trgm_ops);
CREATE INDEX accounts_text_trgm ON accounts USING gin (
    (lower(name || ' ' || coalesce(website_url, '') || ' ' || admin_name || ' ' || admin_email)) gin_trgm_ops
);
