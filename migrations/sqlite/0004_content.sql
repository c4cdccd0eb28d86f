-- Each account's content (the nine kinds a template copies), template settings and
-- per-organization copy limits. Every reference between content rows is a composite
-- foreign key that includes account_id, so no row can ever point into another
-- account (a copy can never reach back into its template).
-- Lists and free-form settings are JSON text, checked by the core (src/content).

ALTER TABLE organizations ADD COLUMN category_copy_limit BIGINT NOT NULL DEFAULT 500 CHECK (category_copy_limit >= 0);
ALTER TABLE organizations ADD COLUMN item_copy_limit BIGINT NOT NULL DEFAULT 10 CHECK (item_copy_limit >= 0);
-- The platform's own organization holds the Default Template; it is not a customer.
ALTER TABLE organizations ADD COLUMN is_platform INTEGER NOT NULL DEFAULT 0 CHECK (is_platform IN (0, 1));
CREATE UNIQUE INDEX organizations_one_platform ON organizations (is_platform) WHERE is_platform = 1;

CREATE TABLE platform_settings (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    default_template_id BIGINT REFERENCES accounts (partner_id)
);

CREATE INDEX accounts_templates ON accounts (organization_id, name) WHERE is_template;

CREATE TABLE categories (
    id         INTEGER PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (partner_id) ON DELETE CASCADE,
    parent_id  BIGINT,
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    UNIQUE (id, account_id),
    FOREIGN KEY (parent_id, account_id) REFERENCES categories (id, account_id) ON DELETE CASCADE
);
-- Names are unique among siblings (0 stands for "no parent": ids start at 1).
CREATE UNIQUE INDEX categories_unique_sibling_name ON categories (account_id, coalesce(parent_id, 0), name);
CREATE INDEX categories_by_parent ON categories (parent_id);

CREATE TABLE entries (
    id           INTEGER PRIMARY KEY,
    account_id   BIGINT NOT NULL REFERENCES accounts (partner_id) ON DELETE CASCADE,
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    description  TEXT NOT NULL DEFAULT '',
    media_type   TEXT NOT NULL CHECK (media_type IN ('video', 'audio', 'image')),
    tags         TEXT NOT NULL DEFAULT '[]',
    reference_id TEXT,
    created_at   BIGINT NOT NULL,
    UNIQUE (id, account_id)
);
CREATE INDEX entries_by_account ON entries (account_id, name);

CREATE TABLE entry_categories (
    account_id  BIGINT NOT NULL,
    entry_id    BIGINT NOT NULL,
    category_id BIGINT NOT NULL,
    PRIMARY KEY (entry_id, category_id),
    FOREIGN KEY (entry_id, account_id) REFERENCES entries (id, account_id) ON DELETE CASCADE,
    FOREIGN KEY (category_id, account_id) REFERENCES categories (id, account_id) ON DELETE CASCADE
);
CREATE INDEX entry_categories_by_category ON entry_categories (category_id);

CREATE TABLE playlists (
    id          INTEGER PRIMARY KEY,
    account_id  BIGINT NOT NULL REFERENCES accounts (partner_id) ON DELETE CASCADE,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    description TEXT NOT NULL DEFAULT '',
    UNIQUE (id, account_id)
);
CREATE INDEX playlists_by_account ON playlists (account_id, name);

CREATE TABLE playlist_entries (
    account_id  BIGINT NOT NULL,
    playlist_id BIGINT NOT NULL,
    position    BIGINT NOT NULL CHECK (position >= 0),
    entry_id    BIGINT NOT NULL,
    PRIMARY KEY (playlist_id, position),
    FOREIGN KEY (playlist_id, account_id) REFERENCES playlists (id, account_id) ON DELETE CASCADE,
    FOREIGN KEY (entry_id, account_id) REFERENCES entries (id, account_id) ON DELETE CASCADE
);
CREATE INDEX playlist_entries_by_entry ON playlist_entries (entry_id);

CREATE TABLE cms_roles (
    id          INTEGER PRIMARY KEY,
    account_id  BIGINT NOT NULL REFERENCES accounts (partner_id) ON DELETE CASCADE,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    description TEXT NOT NULL DEFAULT '',
    permissions TEXT NOT NULL DEFAULT '[]',
    UNIQUE (account_id, name)
);

CREATE TABLE transcoding_profiles (
    id         INTEGER PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (partner_id) ON DELETE CASCADE,
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    UNIQUE (account_id, name)
);
CREATE UNIQUE INDEX transcoding_profiles_one_default ON transcoding_profiles (account_id) WHERE is_default = 1;

CREATE TABLE flavors (
    id         INTEGER PRIMARY KEY,
    profile_id BIGINT NOT NULL REFERENCES transcoding_profiles (id) ON DELETE CASCADE,
    position   BIGINT NOT NULL,
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    codec      TEXT NOT NULL,
    width      BIGINT NOT NULL CHECK (width BETWEEN 1 AND 8192),
    height     BIGINT NOT NULL CHECK (height BETWEEN 1 AND 8192),
    bitrate    BIGINT NOT NULL CHECK (bitrate BETWEEN 1 AND 1000000),
    UNIQUE (profile_id, position)
);

CREATE TABLE custom_data_schemas (
    id          INTEGER PRIMARY KEY,
    account_id  BIGINT NOT NULL REFERENCES accounts (partner_id) ON DELETE CASCADE,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    system_name TEXT NOT NULL CHECK (length(system_name) BETWEEN 1 AND 100),
    fields      TEXT NOT NULL DEFAULT '[]',
    UNIQUE (account_id, system_name)
);

CREATE TABLE players (
    id         INTEGER PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (partner_id) ON DELETE CASCADE,
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    width      BIGINT NOT NULL CHECK (width BETWEEN 1 AND 8192),
    height     BIGINT NOT NULL CHECK (height BETWEEN 1 AND 8192),
    settings   TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX players_by_account ON players (account_id);

CREATE TABLE access_control_profiles (
    id         INTEGER PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (partner_id) ON DELETE CASCADE,
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    rules      TEXT NOT NULL DEFAULT '{}',
    UNIQUE (account_id, name)
);
CREATE UNIQUE INDEX access_control_profiles_one_default ON access_control_profiles (account_id) WHERE is_default = 1;

CREATE TABLE feature_permissions (
    account_id BIGINT NOT NULL REFERENCES accounts (partner_id) ON DELETE CASCADE,
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    PRIMARY KEY (account_id, name)
);
