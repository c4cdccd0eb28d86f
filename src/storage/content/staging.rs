//! A large import on SQLite, without holding the one write lock for seconds.
//!
//! SQLite has a single write lock for the whole database: an import that cleared an
//! account and wrote 60,000 rows in one transaction made every other organization's
//! writes wait seconds, and fail past the busy timeout. So the rows are first written
//! into staging tables (`migrations/sqlite/0013_import_staging.sql`), one short
//! statement at a time, where nobody reads them; then one transaction clears the
//! account and moves them in with `INSERT … SELECT`, which runs inside SQLite
//! without a round trip per row. The import stays all-or-nothing: until the move
//! commits, the account's content is what it was, and staged rows of an import that
//! died are thrown away later.
//!
//! Staged rows carry the import's own IDs (1, 2, …); the move adds the live table's
//! largest ID to every ID and reference, under the write lock, so nothing written
//! meanwhile can collide.

use sqlx::AnyConnection;

use super::write::{Target, write_to};
use crate::clock::Timestamp;
use crate::domain::PartnerId;
use crate::domain::content::bundle::ValidBundle;
use crate::error::{Error, Result};
use crate::storage::Backend;

/// An import whose rows are staged, to be moved in by [`move_in`] or dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct StagedImport {
    id: i64,
}

/// Staged imports older than this died with their process; their rows are dropped.
const ABANDONED_AFTER_MILLIS: i64 = 60 * 60 * 1000;

/// The staging tables, children after parents (the order the move inserts them in).
const STAGED: [&str; 12] = [
    "categories",
    "entries",
    "entry_categories",
    "playlists",
    "playlist_entries",
    "cms_roles",
    "transcoding_profiles",
    "flavors",
    "custom_data_schemas",
    "players",
    "access_control_profiles",
    "feature_permissions",
];

/// Writes `bundle` into the staging tables, each statement its own short transaction
/// (`conn` must not be in a transaction).
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn stage(
    conn: &mut AnyConnection,
    account: PartnerId,
    bundle: &ValidBundle,
    now: Timestamp,
) -> Result<StagedImport> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO content_imports (account_id, started_at) VALUES ($1, $2) RETURNING id",
    )
    .bind(account.get())
    .bind(now.millis())
    .fetch_one(&mut *conn)
    .await?;
    let import = StagedImport { id };
    let written = write_to(
        conn,
        Backend::Sqlite,
        Target::Staged { import: id },
        account,
        bundle,
        now,
    )
    .await;
    if let Err(error) = written {
        discard(conn, import).await?;
        return Err(error);
    }
    Ok(import)
}

/// The largest ID of a live table (0 when empty): the staged IDs' offset.
async fn offset(conn: &mut AnyConnection, table: &str) -> Result<i64> {
    Ok(
        sqlx::query_scalar(&format!("SELECT COALESCE(MAX(id), 0) FROM {table}"))
            .fetch_one(conn)
            .await?,
    )
}

/// Moves a staged import into the account, in the caller's write transaction, after
/// the caller has cleared the account. Refuses (and so rolls back) when the staged
/// rows are not all there, as when an import was dropped as abandoned meanwhile.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn move_in(
    tx: &mut AnyConnection,
    account: PartnerId,
    import: StagedImport,
    bundle: &ValidBundle,
) -> Result<()> {
    let categories = offset(tx, "categories").await?;
    let entries = offset(tx, "entries").await?;
    let playlists = offset(tx, "playlists").await?;
    let profiles = offset(tx, "transcoding_profiles").await?;
    let counts = bundle.counts();
    let statements: [(&str, &[i64]); 12] = [
        (
            "INSERT INTO categories (id, account_id, parent_id, name) \
             SELECT id + $2, account_id, parent_id + $2, name FROM staged_categories \
             WHERE import_id = $1 ORDER BY rowid",
            &[categories],
        ),
        (
            "INSERT INTO entries (id, account_id, name, description, media_type, tags, \
             reference_id, created_at) SELECT id + $2, account_id, name, description, \
             media_type, tags, reference_id, created_at FROM staged_entries \
             WHERE import_id = $1 ORDER BY rowid",
            &[entries],
        ),
        (
            "INSERT INTO entry_categories (account_id, entry_id, category_id) \
             SELECT account_id, entry_id + $2, category_id + $3 FROM staged_entry_categories \
             WHERE import_id = $1 ORDER BY rowid",
            &[entries, categories],
        ),
        (
            "INSERT INTO playlists (id, account_id, name, description) \
             SELECT id + $2, account_id, name, description FROM staged_playlists \
             WHERE import_id = $1 ORDER BY rowid",
            &[playlists],
        ),
        (
            "INSERT INTO playlist_entries (account_id, playlist_id, position, entry_id) \
             SELECT account_id, playlist_id + $2, position, entry_id + $3 \
             FROM staged_playlist_entries WHERE import_id = $1 ORDER BY rowid",
            &[playlists, entries],
        ),
        (
            "INSERT INTO cms_roles (account_id, name, description, permissions) \
             SELECT account_id, name, description, permissions FROM staged_cms_roles \
             WHERE import_id = $1 ORDER BY rowid",
            &[],
        ),
        (
            "INSERT INTO transcoding_profiles (id, account_id, name, is_default) \
             SELECT id + $2, account_id, name, is_default FROM staged_transcoding_profiles \
             WHERE import_id = $1 ORDER BY rowid",
            &[profiles],
        ),
        (
            "INSERT INTO flavors (profile_id, position, name, codec, width, height, bitrate) \
             SELECT profile_id + $2, position, name, codec, width, height, bitrate \
             FROM staged_flavors WHERE import_id = $1 ORDER BY rowid",
            &[profiles],
        ),
        (
            "INSERT INTO custom_data_schemas (account_id, name, system_name, fields) \
             SELECT account_id, name, system_name, fields FROM staged_custom_data_schemas \
             WHERE import_id = $1 ORDER BY rowid",
            &[],
        ),
        (
            "INSERT INTO players (account_id, name, width, height, settings) \
             SELECT account_id, name, width, height, settings FROM staged_players \
             WHERE import_id = $1 ORDER BY rowid",
            &[],
        ),
        (
            "INSERT INTO access_control_profiles (account_id, name, is_default, rules) \
             SELECT account_id, name, is_default, rules FROM staged_access_control_profiles \
             WHERE import_id = $1 ORDER BY rowid",
            &[],
        ),
        (
            "INSERT INTO feature_permissions (account_id, name) \
             SELECT account_id, name FROM staged_feature_permissions \
             WHERE import_id = $1 ORDER BY rowid",
            &[],
        ),
    ];
    let mut moved = [0u64; 12];
    for (i, (sql, shifts)) in statements.iter().enumerate() {
        let mut query = sqlx::query(sql).bind(import.id);
        for shift in *shifts {
            query = query.bind(*shift);
        }
        moved[i] = query.execute(&mut *tx).await?.rows_affected();
    }
    let expected = [
        counts.categories,
        counts.entries,
        bundle
            .entries
            .iter()
            .map(|e| e.categories.len() as i64)
            .sum(),
        counts.playlists,
        bundle
            .playlists
            .iter()
            .map(|p| p.entries.len() as i64)
            .sum(),
        counts.roles,
        counts.transcoding_profiles,
        bundle
            .transcoding_profiles
            .iter()
            .map(|p| p.flavors.len() as i64)
            .sum(),
        counts.custom_data_schemas,
        counts.players,
        counts.access_control_profiles,
        counts.feature_permissions,
    ];
    for (i, (moved, expected)) in moved.iter().zip(expected).enumerate() {
        if *moved as i64 != expected {
            return Err(Error::Internal(format!(
                "import {} of account {account}: {moved} staged {} of {expected}",
                import.id, STAGED[i]
            )));
        }
    }
    Ok(())
}

/// Drops a staged import's rows, one table at a time (each its own short write).
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn discard(conn: &mut AnyConnection, import: StagedImport) -> Result<()> {
    for table in STAGED {
        sqlx::query(&format!("DELETE FROM staged_{table} WHERE import_id = $1"))
            .bind(import.id)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("DELETE FROM content_imports WHERE id = $1")
        .bind(import.id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Drops the staged rows of imports that died with their process.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn discard_abandoned(conn: &mut AnyConnection, now: Timestamp) -> Result<()> {
    let abandoned: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM content_imports WHERE started_at < $1")
            .bind(now.millis() - ABANDONED_AFTER_MILLIS)
            .fetch_all(&mut *conn)
            .await?;
    for id in abandoned {
        discard(conn, StagedImport { id }).await?;
    }
    Ok(())
}
