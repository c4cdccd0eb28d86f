-- Organizations, accounts, console users and their sessions.
-- Times are milliseconds since the Unix epoch (BIGINT on both databases).

CREATE TABLE organizations (
    id              INTEGER PRIMARY KEY,
    account_quota   BIGINT NOT NULL CHECK (account_quota >= 0),
    user_quota      BIGINT NOT NULL CHECK (user_quota >= 1),
    -- Kept by the core in the same transaction as every change that moves it,
    -- so the quota line never counts rows; see src/accounts.rs.
    accounts_in_use BIGINT NOT NULL DEFAULT 0 CHECK (accounts_in_use >= 0),
    created_at      BIGINT NOT NULL
);

CREATE TABLE accounts (
    partner_id      INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    parent_id       BIGINT,
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked', 'removed')),
    admin_name      TEXT NOT NULL CHECK (length(admin_name) BETWEEN 1 AND 100),
    admin_email     TEXT NOT NULL CHECK (length(admin_email) BETWEEN 3 AND 254),
    admin_email_key TEXT NOT NULL CHECK (length(admin_email_key) BETWEEN 3 AND 254),
    admin_phone     TEXT NOT NULL CHECK (length(admin_phone) BETWEEN 1 AND 30),
    reference_id    TEXT CHECK (reference_id IS NULL OR length(reference_id) BETWEEN 1 AND 100),
    website_url     TEXT CHECK (website_url IS NULL OR length(website_url) BETWEEN 1 AND 2048),
    -- INTEGER 0/1 rather than BOOLEAN: sqlx's Any driver cannot read SQLite's BOOLEAN.
    is_template     INTEGER NOT NULL DEFAULT 0 CHECK (is_template IN (0, 1)),
    created_at      BIGINT NOT NULL,
    UNIQUE (partner_id, organization_id),
    -- A child's parent is always in the child's own organization.
    FOREIGN KEY (parent_id, organization_id) REFERENCES accounts (partner_id, organization_id),
    -- The parent account is never a template, never blocked or removed.
    CHECK (parent_id IS NOT NULL OR (status = 'active' AND NOT is_template))
);

-- One account per administrator email within an organization.
CREATE UNIQUE INDEX accounts_one_admin_email_per_org ON accounts (organization_id, admin_email_key);
-- One parent account per organization.
CREATE UNIQUE INDEX accounts_one_parent_per_org ON accounts (organization_id) WHERE parent_id IS NULL;
-- The accounts list: an organization's accounts, newest first, paged by keyset.
CREATE INDEX accounts_by_org_newest ON accounts (organization_id, created_at DESC, partner_id DESC);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    account_id    BIGINT NOT NULL REFERENCES accounts (partner_id) ON DELETE CASCADE,
    email         TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    email_key     TEXT NOT NULL CHECK (length(email_key) BETWEEN 3 AND 254),
    first_name    TEXT NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
    last_name     TEXT NOT NULL CHECK (length(last_name) <= 100),
    role          TEXT NOT NULL CHECK (length(role) BETWEEN 1 AND 100),
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked')),
    -- argon2id PHC string; NULL until the user has chosen a password.
    password_hash TEXT,
    is_owner      INTEGER NOT NULL DEFAULT 0 CHECK (is_owner IN (0, 1)),
    created_at    BIGINT NOT NULL,
    UNIQUE (account_id, email_key)
);
CREATE INDEX users_by_email ON users (email_key);
-- One owner per account.
CREATE UNIQUE INDEX users_one_owner_per_account ON users (account_id) WHERE is_owner;

CREATE TABLE sessions (
    -- SHA-256 of the cookie's token: a stolen database does not yield live sessions.
    token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL CHECK (expires_at > created_at)
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
