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

-- Substring search: a trigram full-text index over the searchable columns, kept in
-- step with the accounts table by triggers.
CREATE VIRTUAL TABLE accounts_search USING fts5(
    name, website_url, admin_name, admin_email,
    content = 'accounts', content_rowid = 'partner_id', tokenize = 'trigram'
);
CREATE TRIGGER accounts_search_insert AFTER INSERT ON accounts BEGIN
    INSERT INTO accounts_search (rowid, name, website_url, admin_name, admin_email)
    VALUES (new.partner_id, new.name, new.website_url, new.admin_name, new.admin_email);
END;
CREATE TRIGGER accounts_search_delete AFTER DELETE ON accounts BEGIN
    INSERT INTO accounts_search (accounts_search, rowid, name, website_url, admin_name, admin_email)
    VALUES ('delete', old.partner_id, old.name, old.website_url, old.admin_name, old.admin_email);
END;
CREATE TRIGGER accounts_search_update AFTER UPDATE OF name, website_url, admin_name, admin_email ON accounts BEGIN
    INSERT INTO accounts_search (accounts_search, rowid, name, website_url, admin_name, admin_email)
    VALUES ('delete', old.partner_id, old.name, old.website_url, old.admin_name, old.admin_email);
    INSERT INTO accounts_search (rowid, name, website_url, admin_name, admin_email)
    VALUES (new.partner_id, new.name, new.website_url, new.admin_name, new.admin_email);
END;
INSERT INTO accounts_search (accounts_search) VALUES ('rebuild');
