-- A large import is written here first, in many short transactions, and moved into
-- the content tables in one: SQLite has one write lock for the whole database, and an
-- import that held it while writing 60,000 rows made every other organization's
-- writes wait seconds (see storage/content/staging.rs). IDs here are the import's
-- own (1, 2, …); the move offsets them past the live tables' largest.
CREATE TABLE content_imports (
    id         INTEGER PRIMARY KEY,
    account_id BIGINT NOT NULL,
    started_at BIGINT NOT NULL
);

CREATE TABLE staged_categories (
    import_id BIGINT NOT NULL, id BIGINT NOT NULL, account_id BIGINT NOT NULL,
    parent_id BIGINT, name TEXT NOT NULL
);
CREATE INDEX staged_categories_by_import ON staged_categories (import_id);

CREATE TABLE staged_entries (
    import_id BIGINT NOT NULL, id BIGINT NOT NULL, account_id BIGINT NOT NULL,
    name TEXT NOT NULL, description TEXT NOT NULL, media_type TEXT NOT NULL,
    tags TEXT NOT NULL, reference_id TEXT, created_at BIGINT NOT NULL
);
CREATE INDEX staged_entries_by_import ON staged_entries (import_id);

CREATE TABLE staged_entry_categories (
    import_id BIGINT NOT NULL, account_id BIGINT NOT NULL, entry_id BIGINT NOT NULL,
    category_id BIGINT NOT NULL
);
CREATE INDEX staged_entry_categories_by_import ON staged_entry_categories (import_id);

CREATE TABLE staged_playlists (
    import_id BIGINT NOT NULL, id BIGINT NOT NULL, account_id BIGINT NOT NULL,
    name TEXT NOT NULL, description TEXT NOT NULL
);
CREATE INDEX staged_playlists_by_import ON staged_playlists (import_id);

CREATE TABLE staged_playlist_entries (
    import_id BIGINT NOT NULL, account_id BIGINT NOT NULL, playlist_id BIGINT NOT NULL,
    position BIGINT NOT NULL, entry_id BIGINT NOT NULL
);
CREATE INDEX staged_playlist_entries_by_import ON staged_playlist_entries (import_id);

CREATE TABLE staged_cms_roles (
    import_id BIGINT NOT NULL, account_id BIGINT NOT NULL, name TEXT NOT NULL,
    description TEXT NOT NULL, permissions TEXT NOT NULL
);
CREATE INDEX staged_cms_roles_by_import ON staged_cms_roles (import_id);

CREATE TABLE staged_transcoding_profiles (
    import_id BIGINT NOT NULL, id BIGINT NOT NULL, account_id BIGINT NOT NULL,
    name TEXT NOT NULL, is_default INTEGER NOT NULL
);
CREATE INDEX staged_transcoding_profiles_by_import ON staged_transcoding_profiles (import_id);

CREATE TABLE staged_flavors (
    import_id BIGINT NOT NULL, profile_id BIGINT NOT NULL, position BIGINT NOT NULL,
    name TEXT NOT NULL, codec TEXT NOT NULL, width BIGINT NOT NULL, height BIGINT NOT NULL,
    bitrate BIGINT NOT NULL
);
CREATE INDEX staged_flavors_by_import ON staged_flavors (import_id);

CREATE TABLE staged_custom_data_schemas (
    import_id BIGINT NOT NULL, account_id BIGINT NOT NULL, name TEXT NOT NULL,
    system_name TEXT NOT NULL, fields TEXT NOT NULL
);
CREATE INDEX staged_custom_data_schemas_by_import ON staged_custom_data_schemas (import_id);

CREATE TABLE staged_players (
    import_id BIGINT NOT NULL, account_id BIGINT NOT NULL, name TEXT NOT NULL,
    width BIGINT NOT NULL, height BIGINT NOT NULL, settings TEXT NOT NULL
);
CREATE INDEX staged_players_by_import ON staged_players (import_id);

CREATE TABLE staged_access_control_profiles (
    import_id BIGINT NOT NULL, account_id BIGINT NOT NULL, name TEXT NOT NULL,
    is_default INTEGER NOT NULL, rules TEXT NOT NULL
);
CREATE INDEX staged_access_control_profiles_by_import ON staged_access_control_profiles (import_id);

CREATE TABLE staged_feature_permissions (
    import_id BIGINT NOT NULL, account_id BIGINT NOT NULL, name TEXT NOT NULL
);
CREATE INDEX staged_feature_permissions_by_import ON staged_feature_permissions (import_id);
