//! SQL for an account's content. Reads for the console live here; the whole
//! content's export, the writing of a bundle and the console's edits each have
//! their own module.

mod edits;
mod export;
pub(crate) mod staging;
mod write;

pub(crate) use edits::*;
pub(crate) use export::{export, export_existing};
pub(crate) use write::{clear, write};

use std::collections::HashMap;

use sqlx::AnyConnection;

use crate::domain::content::bundle::MAX_CATEGORY_DEPTH;
use crate::domain::content::{CategoryNode, ContentCounts, EntryView, PlaylistView};
use crate::domain::{CategoryId, EntryId, PartnerId, PlaylistId};
use crate::error::{Error, Result};

fn to_json<T: serde::Serialize>(value: &T) -> String {
    // Lists and maps of strings always serialise.
    serde_json::to_string(value).unwrap_or_default()
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    serde_json::from_str(text)
        .map_err(|e| Error::Internal(format!("stored {what} are not valid: {e}")))
}

/// Every kind counted in one round trip.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn counts(conn: &mut AnyConnection, account: PartnerId) -> Result<ContentCounts> {
    let row: (i64, i64, i64, i64, i64, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT \
         (SELECT COUNT(*) FROM entries WHERE account_id = $1), \
         (SELECT COUNT(*) FROM categories WHERE account_id = $1), \
         (SELECT COUNT(*) FROM cms_roles WHERE account_id = $1), \
         (SELECT COUNT(*) FROM transcoding_profiles WHERE account_id = $1), \
         (SELECT COUNT(*) FROM custom_data_schemas WHERE account_id = $1), \
         (SELECT COUNT(*) FROM players WHERE account_id = $1), \
         (SELECT COUNT(*) FROM access_control_profiles WHERE account_id = $1), \
         (SELECT COUNT(*) FROM playlists WHERE account_id = $1), \
         (SELECT COUNT(*) FROM feature_permissions WHERE account_id = $1)",
    )
    .bind(account.get())
    .fetch_one(conn)
    .await?;
    Ok(ContentCounts {
        entries: row.0,
        categories: row.1,
        roles: row.2,
        transcoding_profiles: row.3,
        custom_data_schemas: row.4,
        players: row.5,
        access_control_profiles: row.6,
        playlists: row.7,
        feature_permissions: row.8,
    })
}

/// The account's categories, siblings by name.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn categories(
    conn: &mut AnyConnection,
    account: PartnerId,
) -> Result<Vec<CategoryNode>> {
    let rows: Vec<(i64, Option<i64>, String)> = sqlx::query_as(
        "SELECT id, parent_id, name FROM categories WHERE account_id = $1 ORDER BY name, id",
    )
    .bind(account.get())
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, parent_id, name)| CategoryNode {
            id: CategoryId::new(id),
            parent_id: parent_id.map(CategoryId::new),
            name,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    name: String,
    description: String,
    media_type: String,
    tags: String,
    reference_id: Option<String>,
}

/// IDs per `IN (...)` list: well under both databases' limits on bound parameters.
const IDS_PER_STATEMENT: usize = 500;

/// Runs `sql`, which holds `{ids}` where a list of placeholders goes, for each
/// chunk of `ids`, after the account's ID as `$1`.
async fn for_id_chunks(
    conn: &mut AnyConnection,
    sql: &str,
    account: PartnerId,
    ids: &[i64],
) -> Result<Vec<i64>> {
    let mut returned = Vec::new();
    for chunk in ids.chunks(IDS_PER_STATEMENT) {
        let placeholders: Vec<String> = (2..chunk.len() + 2).map(|n| format!("${n}")).collect();
        let sql = sql.replace("{ids}", &placeholders.join(", "));
        let mut query = sqlx::query_scalar::<_, i64>(&sql).bind(account.get());
        for id in chunk {
            query = query.bind(*id);
        }
        returned.extend(query.fetch_all(&mut *conn).await?);
    }
    Ok(returned)
}

/// The categories below `id`, level by level (its children first). Reads at most
/// [`MAX_CATEGORY_DEPTH`] levels, which is as deep as a tree can be.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn descendants_by_level(
    conn: &mut AnyConnection,
    account: PartnerId,
    id: CategoryId,
) -> Result<Vec<Vec<i64>>> {
    let mut levels: Vec<Vec<i64>> = Vec::new();
    let mut current = vec![id.get()];
    while levels.len() < MAX_CATEGORY_DEPTH {
        let children = for_id_chunks(
            conn,
            "SELECT id FROM categories WHERE account_id = $1 AND parent_id IN ({ids})",
            account,
            &current,
        )
        .await?;
        if children.is_empty() {
            break;
        }
        levels.push(children.clone());
        current = children;
    }
    Ok(levels)
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn entries(
    conn: &mut AnyConnection,
    account: PartnerId,
) -> Result<Vec<EntryView>> {
    let rows: Vec<EntryRow> = sqlx::query_as(
        "SELECT id, name, description, media_type, tags, reference_id FROM entries \
         WHERE account_id = $1 ORDER BY name, id",
    )
    .bind(account.get())
    .fetch_all(&mut *conn)
    .await?;
    with_categories(conn, account, rows).await
}

/// A page of the account's entries in the console's order (name, then ID), after the
/// entry `after` if given; at most `limit`.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn entries_page(
    conn: &mut AnyConnection,
    account: PartnerId,
    after: Option<EntryId>,
    limit: i64,
) -> Result<Vec<EntryView>> {
    let rows: Vec<EntryRow> = match after {
        None => {
            sqlx::query_as(
                "SELECT id, name, description, media_type, tags, reference_id FROM entries \
                 WHERE account_id = $1 ORDER BY name, id LIMIT $2",
            )
            .bind(account.get())
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?
        }
        Some(after) => {
            sqlx::query_as(
                "SELECT e.id, e.name, e.description, e.media_type, e.tags, e.reference_id \
                 FROM entries e JOIN entries a ON a.id = $2 AND a.account_id = $1 \
                 WHERE e.account_id = $1 AND (e.name > a.name OR (e.name = a.name AND e.id > a.id)) \
                 ORDER BY e.name, e.id LIMIT $3",
            )
            .bind(account.get())
            .bind(after.get())
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?
        }
    };
    with_categories(conn, account, rows).await
}

/// The entries of `rows` as views, each with its categories (read for these entries only).
async fn with_categories(
    conn: &mut AnyConnection,
    account: PartnerId,
    rows: Vec<EntryRow>,
) -> Result<Vec<EntryView>> {
    let mut by_entry: HashMap<i64, Vec<i64>> = HashMap::new();
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    for chunk in ids.chunks(IDS_PER_STATEMENT) {
        let placeholders: Vec<String> = (2..chunk.len() + 2).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT entry_id, category_id FROM entry_categories \
             WHERE account_id = $1 AND entry_id IN ({}) ORDER BY category_id",
            placeholders.join(", ")
        );
        let mut query = sqlx::query_as::<_, (i64, i64)>(&sql).bind(account.get());
        for id in chunk {
            query = query.bind(*id);
        }
        for (entry, category) in query.fetch_all(&mut *conn).await? {
            by_entry.entry(entry).or_default().push(category);
        }
    }
    rows.into_iter()
        .map(|row| {
            Ok(EntryView {
                id: EntryId::new(row.id),
                tags: from_json(&row.tags, "tags")?,
                category_ids: by_entry
                    .remove(&row.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(CategoryId::new)
                    .collect(),
                name: row.name,
                description: row.description,
                media_type: row.media_type,
                reference_id: row.reference_id,
            })
        })
        .collect()
}

/// Every entry's ID and name, in the console's order: what a playlist editor chooses from.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn entry_names(
    conn: &mut AnyConnection,
    account: PartnerId,
) -> Result<Vec<(EntryId, String)>> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM entries WHERE account_id = $1 ORDER BY name, id")
            .bind(account.get())
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| (EntryId::new(id), name))
        .collect())
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn playlists(
    conn: &mut AnyConnection,
    account: PartnerId,
) -> Result<Vec<PlaylistView>> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, name, description FROM playlists WHERE account_id = $1 ORDER BY name, id",
    )
    .bind(account.get())
    .fetch_all(&mut *conn)
    .await?;
    let items: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT playlist_id, entry_id FROM playlist_entries WHERE account_id = $1 \
         ORDER BY playlist_id, position",
    )
    .bind(account.get())
    .fetch_all(&mut *conn)
    .await?;
    let mut by_playlist: HashMap<i64, Vec<i64>> = HashMap::new();
    for (playlist, entry) in items {
        by_playlist.entry(playlist).or_default().push(entry);
    }
    Ok(rows
        .into_iter()
        .map(|(id, name, description)| PlaylistView {
            id: PlaylistId::new(id),
            name,
            description,
            entry_ids: by_playlist
                .remove(&id)
                .unwrap_or_default()
                .into_iter()
                .map(EntryId::new)
                .collect(),
        })
        .collect())
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn category_exists(
    conn: &mut AnyConnection,
    account: PartnerId,
    id: CategoryId,
) -> Result<bool> {
    row_exists(conn, "categories", account, id.get()).await
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn entry_exists(
    conn: &mut AnyConnection,
    account: PartnerId,
    id: EntryId,
) -> Result<bool> {
    row_exists(conn, "entries", account, id.get()).await
}

/// Whether one of the account's rows of `table` (a fixed name, never input) has `id`.
async fn row_exists(
    conn: &mut AnyConnection,
    table: &'static str,
    account: PartnerId,
    id: i64,
) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM {table} WHERE id = $1 AND account_id = $2"
    ))
    .bind(id)
    .bind(account.get())
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// The category and every category above it, nearest first; empty if it is not
/// one of the account's.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn ancestors(
    conn: &mut AnyConnection,
    account: PartnerId,
    id: CategoryId,
) -> Result<Vec<CategoryId>> {
    let mut chain = Vec::new();
    let mut current = Some(id);
    // No stored tree is deeper than the limit; the bound keeps a walk short even
    // over data written before it.
    while let Some(id) = current
        && chain.len() <= MAX_CATEGORY_DEPTH
    {
        if chain.contains(&id) {
            break;
        }
        let parent: Option<Option<i64>> = sqlx::query_scalar(
            "SELECT parent_id FROM categories WHERE id = $1 AND account_id = $2",
        )
        .bind(id.get())
        .bind(account.get())
        .fetch_optional(&mut *conn)
        .await?;
        let Some(parent) = parent else { break };
        chain.push(id);
        current = parent.map(CategoryId::new);
    }
    Ok(chain)
}
