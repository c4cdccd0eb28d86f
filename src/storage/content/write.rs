//! Writing a checked bundle into an account, and clearing its content first.

use std::collections::HashMap;

use sqlx::AnyConnection;

use super::*;
use crate::clock::Timestamp;
use crate::domain::PartnerId;
use crate::domain::content::bundle::ValidBundle;
use crate::error::{Error, Result};
use crate::storage::Backend;
use crate::storage::sql::{Sql, Value};

/// Deletes all of an account's content (before an import replaces it).
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn clear(conn: &mut AnyConnection, account: PartnerId) -> Result<()> {
    // Children before parents, so no cascade has to find them.
    for table in [
        "playlist_entries",
        "entry_categories",
        "playlists",
        "entries",
        "cms_roles",
        "transcoding_profiles",
        "custom_data_schemas",
        "players",
        "access_control_profiles",
        "feature_permissions",
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE account_id = $1"))
            .bind(account.get())
            .execute(&mut *conn)
            .await?;
    }
    delete_all_categories(conn, account).await
}

/// Deletes the account's categories leaves first, one level per statement, so that
/// no delete ever cascades down a chain (SQLite's cascades are recursive triggers,
/// which fail past 1,000 levels).
async fn delete_all_categories(conn: &mut AnyConnection, account: PartnerId) -> Result<()> {
    loop {
        let deleted = sqlx::query(
            "DELETE FROM categories WHERE account_id = $1 AND NOT EXISTS \
             (SELECT 1 FROM categories AS child WHERE child.parent_id = categories.id)",
        )
        .bind(account.get())
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if deleted == 0 {
            return Ok(());
        }
    }
}

/// Rows per INSERT: well under both databases' limits on bound parameters.
const ROWS_PER_STATEMENT: usize = 200;

/// Where [`write`] puts the rows: into the content tables, inside the caller's
/// transaction, or into the staging tables of an import (SQLite, see `staging`),
/// each statement a transaction of its own, with the import's own IDs (1, 2, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    Live,
    Staged { import: i64 },
}

/// Inserts rows with multi-row INSERTs: a copy is a few statements per kind, not one
/// round trip per row (which made PostgreSQL copies ten times slower). The rows are
/// made as the statements need them, never all at once.
async fn insert_rows(
    conn: &mut AnyConnection,
    target: Target,
    table: &'static str,
    columns: &[&'static str],
    rows: impl IntoIterator<Item = Vec<Value>>,
) -> Result<()> {
    let (table, columns, import) = match target {
        Target::Live => (table.to_owned(), columns.join(", "), None),
        Target::Staged { import } => (
            format!("staged_{table}"),
            format!("import_id, {}", columns.join(", ")),
            Some(import),
        ),
    };
    let width = columns.split(", ").count();
    let row_placeholders = format!("({})", vec!["?"; width].join(", "));
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut sql = Sql::new(format!("INSERT INTO {table} ({columns}) VALUES "));
        for (i, mut row) in rows.by_ref().take(ROWS_PER_STATEMENT).enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            if let Some(import) = import {
                row.insert(0, Value::Int(import));
            }
            sql.push(&row_placeholders, row);
        }
        sql.query().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Reserves `n` new IDs of `table`, so rows can refer to each other before they
/// are written. PostgreSQL takes them from the identity sequence; SQLite continues
/// after the largest ID, which is safe because the caller's transaction holds
/// SQLite's single write lock. A staged import numbers its own rows from 1.
async fn allocate_ids(
    conn: &mut AnyConnection,
    backend: Backend,
    target: Target,
    table: &'static str,
    n: usize,
) -> Result<Vec<i64>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    if let Target::Staged { .. } = target {
        return Ok((1..=n as i64).collect());
    }
    match backend {
        Backend::Postgres => Ok(sqlx::query_scalar(&format!(
            "SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, $1)"
        ))
        .bind(n as i64)
        .fetch_all(conn)
        .await?),
        Backend::Sqlite => {
            let max: i64 = sqlx::query_scalar(&format!("SELECT COALESCE(MAX(id), 0) FROM {table}"))
                .fetch_one(conn)
                .await?;
            Ok((1..=n as i64).map(|i| max + i).collect())
        }
    }
}

/// Writes a validated bundle into an account, every key mapped to the ID of the new
/// row. Call inside a transaction that has already written (SQLite's write lock):
/// a failure part-way must roll back.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn write(
    conn: &mut AnyConnection,
    backend: Backend,
    account: PartnerId,
    bundle: &ValidBundle,
    now: Timestamp,
) -> Result<()> {
    write_to(conn, backend, Target::Live, account, bundle, now).await
}

/// As [`write`], into `target`.
pub(crate) async fn write_to(
    conn: &mut AnyConnection,
    backend: Backend,
    target: Target,
    account: PartnerId,
    bundle: &ValidBundle,
    now: Timestamp,
) -> Result<()> {
    let account_id = account.get();
    let internal = |what: &str, key: &str| {
        Error::Internal(format!("unknown {what} {key} in a validated bundle"))
    };

    // Parents first: each statement only refers to rows already written or earlier in it.
    let categories = bundle.categories_parents_first();
    let ids = allocate_ids(&mut *conn, backend, target, "categories", categories.len()).await?;
    let category_ids: HashMap<&str, i64> = categories
        .iter()
        .map(|c| c.key.as_str())
        .zip(ids.iter().copied())
        .collect();
    let mut rows = Vec::with_capacity(categories.len());
    for (category, id) in categories.iter().zip(&ids) {
        let parent = match &category.parent {
            Some(key) => Some(
                *category_ids
                    .get(key.as_str())
                    .ok_or_else(|| internal("category", key))?,
            ),
            None => None,
        };
        rows.push(vec![
            Value::Int(*id),
            Value::Int(account_id),
            Value::OptInt(parent),
            Value::Text(category.name.clone()),
        ]);
    }
    insert_rows(
        &mut *conn,
        target,
        "categories",
        &["id", "account_id", "parent_id", "name"],
        rows,
    )
    .await?;
    crate::fail_point::check(&mut *conn, "content.write.after_categories").await?;

    let ids = allocate_ids(&mut *conn, backend, target, "entries", bundle.entries.len()).await?;
    let entry_ids: HashMap<&str, i64> = bundle
        .entries
        .iter()
        .map(|e| e.key.as_str())
        .zip(ids.iter().copied())
        .collect();
    let mut rows = Vec::with_capacity(bundle.entries.len());
    let mut links = Vec::new();
    for (entry, id) in bundle.entries.iter().zip(&ids) {
        rows.push(vec![
            Value::Int(*id),
            Value::Int(account_id),
            Value::Text(entry.name.clone()),
            Value::Text(entry.description.clone()),
            Value::Text(entry.media_type.clone()),
            Value::Text(to_json(&entry.tags)),
            Value::OptText(entry.reference_id.clone()),
            Value::Int(now.millis()),
        ]);
        for key in &entry.categories {
            let category = category_ids
                .get(key.as_str())
                .ok_or_else(|| internal("category", key))?;
            links.push(vec![
                Value::Int(account_id),
                Value::Int(*id),
                Value::Int(*category),
            ]);
        }
    }
    insert_rows(
        &mut *conn,
        target,
        "entries",
        &[
            "id",
            "account_id",
            "name",
            "description",
            "media_type",
            "tags",
            "reference_id",
            "created_at",
        ],
        rows,
    )
    .await?;
    insert_rows(
        &mut *conn,
        target,
        "entry_categories",
        &["account_id", "entry_id", "category_id"],
        links,
    )
    .await?;

    let ids = allocate_ids(
        &mut *conn,
        backend,
        target,
        "playlists",
        bundle.playlists.len(),
    )
    .await?;
    let mut rows = Vec::with_capacity(bundle.playlists.len());
    let mut items = Vec::new();
    for (playlist, id) in bundle.playlists.iter().zip(&ids) {
        rows.push(vec![
            Value::Int(*id),
            Value::Int(account_id),
            Value::Text(playlist.name.clone()),
            Value::Text(playlist.description.clone()),
        ]);
        for (position, key) in playlist.entries.iter().enumerate() {
            let entry = entry_ids
                .get(key.as_str())
                .ok_or_else(|| internal("entry", key))?;
            items.push(vec![
                Value::Int(account_id),
                Value::Int(*id),
                Value::Int(position as i64),
                Value::Int(*entry),
            ]);
        }
    }
    insert_rows(
        &mut *conn,
        target,
        "playlists",
        &["id", "account_id", "name", "description"],
        rows,
    )
    .await?;
    insert_rows(
        &mut *conn,
        target,
        "playlist_entries",
        &["account_id", "playlist_id", "position", "entry_id"],
        items,
    )
    .await?;

    let rows: Vec<Vec<Value>> = bundle
        .roles
        .iter()
        .map(|r| {
            vec![
                Value::Int(account_id),
                Value::Text(r.name.clone()),
                Value::Text(r.description.clone()),
                Value::Text(to_json(&r.permissions)),
            ]
        })
        .collect();
    insert_rows(
        &mut *conn,
        target,
        "cms_roles",
        &["account_id", "name", "description", "permissions"],
        rows,
    )
    .await?;

    let ids = allocate_ids(
        &mut *conn,
        backend,
        target,
        "transcoding_profiles",
        bundle.transcoding_profiles.len(),
    )
    .await?;
    let mut rows = Vec::with_capacity(ids.len());
    let mut flavors = Vec::new();
    for (profile, id) in bundle.transcoding_profiles.iter().zip(&ids) {
        rows.push(vec![
            Value::Int(*id),
            Value::Int(account_id),
            Value::Text(profile.name.clone()),
            Value::Bool(profile.is_default),
        ]);
        for (position, f) in profile.flavors.iter().enumerate() {
            flavors.push(vec![
                Value::Int(*id),
                Value::Int(position as i64),
                Value::Text(f.name.clone()),
                Value::Text(f.codec.clone()),
                Value::Int(f.width),
                Value::Int(f.height),
                Value::Int(f.bitrate),
            ]);
        }
    }
    insert_rows(
        &mut *conn,
        target,
        "transcoding_profiles",
        &["id", "account_id", "name", "is_default"],
        rows,
    )
    .await?;
    insert_rows(
        &mut *conn,
        target,
        "flavors",
        &[
            "profile_id",
            "position",
            "name",
            "codec",
            "width",
            "height",
            "bitrate",
        ],
        flavors,
    )
    .await?;

    let rows: Vec<Vec<Value>> = bundle
        .custom_data_schemas
        .iter()
        .map(|s| {
            vec![
                Value::Int(account_id),
                Value::Text(s.name.clone()),
                Value::Text(s.system_name.clone()),
                Value::Text(to_json(&s.fields)),
            ]
        })
        .collect();
    insert_rows(
        &mut *conn,
        target,
        "custom_data_schemas",
        &["account_id", "name", "system_name", "fields"],
        rows,
    )
    .await?;

    let rows: Vec<Vec<Value>> = bundle
        .players
        .iter()
        .map(|p| {
            vec![
                Value::Int(account_id),
                Value::Text(p.name.clone()),
                Value::Int(p.width),
                Value::Int(p.height),
                Value::Text(to_json(&p.settings)),
            ]
        })
        .collect();
    insert_rows(
        &mut *conn,
        target,
        "players",
        &["account_id", "name", "width", "height", "settings"],
        rows,
    )
    .await?;

    let rows: Vec<Vec<Value>> = bundle
        .access_control_profiles
        .iter()
        .map(|p| {
            vec![
                Value::Int(account_id),
                Value::Text(p.name.clone()),
                Value::Bool(p.is_default),
                Value::Text(to_json(&p.rules)),
            ]
        })
        .collect();
    insert_rows(
        &mut *conn,
        target,
        "access_control_profiles",
        &["account_id", "name", "is_default", "rules"],
        rows,
    )
    .await?;

    let rows: Vec<Vec<Value>> = bundle
        .feature_permissions
        .iter()
        .map(|name| vec![Value::Int(account_id), Value::Text(name.clone())])
        .collect();
    insert_rows(
        &mut *conn,
        target,
        "feature_permissions",
        &["account_id", "name"],
        rows,
    )
    .await?;
    Ok(())
}
