//! SQL for an account's content: reading it whole as a bundle, writing a bundle
//! into an account, and the console's edits of entries, categories and playlists.

use std::collections::HashMap;

use sqlx::AnyConnection;

use crate::clock::Timestamp;
use crate::domain::PartnerId;
use crate::domain::content::bundle::{self, Bundle, MAX_CATEGORY_DEPTH, ValidBundle};
use crate::domain::content::{
    CategoryNode, CategoryValues, ContentCounts, EntryValues, EntryView, PlaylistView, tree_order,
};
use crate::error::{Error, Result};
use crate::storage::Backend;
use crate::storage::sql::{Sql, Value, flag};

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
            id,
            parent_id,
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

/// The whole content of an account, with keys given by position: two accounts
/// with the same content export the same bundle.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn export(conn: &mut AnyConnection, account: PartnerId) -> Result<Bundle> {
    let id = account.get();
    let mut bundle = Bundle::empty();

    let category_rows = categories(&mut *conn, account).await?;
    let mut category_keys = HashMap::new();
    for (index, (row, _)) in tree_order(&category_rows).into_iter().enumerate() {
        let key = format!("c{index}");
        category_keys.insert(row.id, key.clone());
        bundle.categories.push(bundle::Category {
            key,
            name: row.name.clone(),
            parent: row.parent_id.and_then(|p| category_keys.get(&p).cloned()),
        });
    }

    let entry_rows: Vec<EntryRow> = sqlx::query_as(
        "SELECT id, name, description, media_type, tags, reference_id FROM entries \
         WHERE account_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let links: Vec<(i64, i64)> =
        sqlx::query_as("SELECT entry_id, category_id FROM entry_categories WHERE account_id = $1")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    let category_index: HashMap<i64, usize> = tree_order(&category_rows)
        .into_iter()
        .enumerate()
        .map(|(index, (row, _))| (row.id, index))
        .collect();
    let mut entry_categories: HashMap<i64, Vec<usize>> = HashMap::new();
    for (entry, category) in links {
        if let Some(index) = category_index.get(&category) {
            entry_categories.entry(entry).or_default().push(*index);
        }
    }
    let mut entry_keys = HashMap::new();
    for (index, row) in entry_rows.into_iter().enumerate() {
        let key = format!("e{index}");
        entry_keys.insert(row.id, key.clone());
        let mut categories = entry_categories.remove(&row.id).unwrap_or_default();
        categories.sort_unstable();
        bundle.entries.push(bundle::Entry {
            key,
            name: row.name,
            description: row.description,
            media_type: row.media_type,
            tags: from_json(&row.tags, "tags")?,
            reference_id: row.reference_id,
            categories: categories.into_iter().map(|i| format!("c{i}")).collect(),
        });
    }

    let playlists: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, name, description FROM playlists WHERE account_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let items: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT playlist_id, entry_id FROM playlist_entries WHERE account_id = $1 \
         ORDER BY playlist_id, position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut playlist_entries: HashMap<i64, Vec<String>> = HashMap::new();
    for (playlist, entry) in items {
        if let Some(key) = entry_keys.get(&entry) {
            playlist_entries
                .entry(playlist)
                .or_default()
                .push(key.clone());
        }
    }
    for (playlist, name, description) in playlists {
        bundle.playlists.push(bundle::Playlist {
            name,
            description,
            entries: playlist_entries.remove(&playlist).unwrap_or_default(),
        });
    }

    let roles: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT name, description, permissions FROM cms_roles WHERE account_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    for (name, description, permissions) in roles {
        bundle.roles.push(bundle::Role {
            name,
            description,
            permissions: from_json(&permissions, "permissions")?,
        });
    }

    let profiles: Vec<(i64, String, i64)> = sqlx::query_as(&format!(
        "SELECT id, name, {} FROM transcoding_profiles WHERE account_id = $1 ORDER BY id",
        flag("is_default")
    ))
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let flavors: Vec<(i64, String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT f.profile_id, f.name, f.codec, f.width, f.height, f.bitrate \
         FROM flavors f JOIN transcoding_profiles p ON p.id = f.profile_id \
         WHERE p.account_id = $1 ORDER BY f.profile_id, f.position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut profile_flavors: HashMap<i64, Vec<bundle::Flavor>> = HashMap::new();
    for (profile, name, codec, width, height, bitrate) in flavors {
        profile_flavors
            .entry(profile)
            .or_default()
            .push(bundle::Flavor {
                name,
                codec,
                width,
                height,
                bitrate,
            });
    }
    for (profile, name, is_default) in profiles {
        bundle
            .transcoding_profiles
            .push(bundle::TranscodingProfile {
                name,
                is_default: is_default != 0,
                flavors: profile_flavors.remove(&profile).unwrap_or_default(),
            });
    }

    let schemas: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT name, system_name, fields FROM custom_data_schemas WHERE account_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    for (name, system_name, fields) in schemas {
        bundle.custom_data_schemas.push(bundle::CustomDataSchema {
            name,
            system_name,
            fields: from_json(&fields, "schema fields")?,
        });
    }

    let players: Vec<(String, i64, i64, String)> = sqlx::query_as(
        "SELECT name, width, height, settings FROM players WHERE account_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    for (name, width, height, settings) in players {
        bundle.players.push(bundle::Player {
            name,
            width,
            height,
            settings: from_json(&settings, "player settings")?,
        });
    }

    let access: Vec<(String, i64, String)> = sqlx::query_as(&format!(
        "SELECT name, {}, rules FROM access_control_profiles WHERE account_id = $1 ORDER BY id",
        flag("is_default")
    ))
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    for (name, is_default, rules) in access {
        bundle
            .access_control_profiles
            .push(bundle::AccessControlProfile {
                name,
                is_default: is_default != 0,
                rules: from_json(&rules, "access rules")?,
            });
    }

    bundle.feature_permissions = sqlx::query_scalar(
        "SELECT name FROM feature_permissions WHERE account_id = $1 ORDER BY name",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(bundle)
}

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
    id: i64,
) -> Result<Vec<Vec<i64>>> {
    let mut levels: Vec<Vec<i64>> = Vec::new();
    let mut current = vec![id];
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

/// Deletes a category and everything below it, deepest level first, so that no
/// delete cascades down the tree; entries stay, without these categories.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn delete_category_subtree(
    conn: &mut AnyConnection,
    account: PartnerId,
    id: i64,
) -> Result<bool> {
    if !category_exists(conn, account, id).await? {
        return Ok(false);
    }
    let mut levels = vec![vec![id]];
    levels.extend(descendants_by_level(conn, account, id).await?);
    for level in levels.iter().rev() {
        for_id_chunks(
            conn,
            "DELETE FROM entry_categories WHERE account_id = $1 AND category_id IN ({ids}) \
             RETURNING category_id",
            account,
            level,
        )
        .await?;
        for_id_chunks(
            conn,
            "DELETE FROM categories WHERE account_id = $1 AND id IN ({ids}) RETURNING id",
            account,
            level,
        )
        .await?;
    }
    Ok(true)
}

/// Rows per INSERT: well under both databases' limits on bound parameters.
const ROWS_PER_STATEMENT: usize = 200;

/// Inserts rows with multi-row INSERTs: a copy is a few statements per kind, not one
/// round trip per row (which made PostgreSQL copies ten times slower).
async fn insert_rows(
    conn: &mut AnyConnection,
    table: &'static str,
    columns: &[&'static str],
    rows: Vec<Vec<Value>>,
) -> Result<()> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut sql = Sql::new(format!(
            "INSERT INTO {table} ({}) VALUES ",
            columns.join(", ")
        ));
        let row_placeholders = format!("({})", vec!["?"; columns.len()].join(", "));
        for (i, row) in rows.by_ref().take(ROWS_PER_STATEMENT).enumerate() {
            if i > 0 {
                sql.push_str(", ");
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
/// SQLite's single write lock.
async fn allocate_ids(
    conn: &mut AnyConnection,
    backend: Backend,
    table: &'static str,
    n: usize,
) -> Result<Vec<i64>> {
    if n == 0 {
        return Ok(Vec::new());
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
    let account_id = account.get();
    let internal = |what: &str, key: &str| {
        Error::Internal(format!("unknown {what} {key} in a validated bundle"))
    };

    // Parents first: each statement only refers to rows already written or earlier in it.
    let categories = bundle.categories_parents_first();
    let ids = allocate_ids(&mut *conn, backend, "categories", categories.len()).await?;
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
        "categories",
        &["id", "account_id", "parent_id", "name"],
        rows,
    )
    .await?;
    crate::fail_point::check(&mut *conn, "content.write.after_categories").await?;

    let ids = allocate_ids(&mut *conn, backend, "entries", bundle.entries.len()).await?;
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
        "entry_categories",
        &["account_id", "entry_id", "category_id"],
        links,
    )
    .await?;

    let ids = allocate_ids(&mut *conn, backend, "playlists", bundle.playlists.len()).await?;
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
        "playlists",
        &["id", "account_id", "name", "description"],
        rows,
    )
    .await?;
    insert_rows(
        &mut *conn,
        "playlist_entries",
        &["account_id", "playlist_id", "position", "entry_id"],
        items,
    )
    .await?;

    let rows = bundle
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
        "cms_roles",
        &["account_id", "name", "description", "permissions"],
        rows,
    )
    .await?;

    let ids = allocate_ids(
        &mut *conn,
        backend,
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
        "transcoding_profiles",
        &["id", "account_id", "name", "is_default"],
        rows,
    )
    .await?;
    insert_rows(
        &mut *conn,
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

    let rows = bundle
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
        "custom_data_schemas",
        &["account_id", "name", "system_name", "fields"],
        rows,
    )
    .await?;

    let rows = bundle
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
        "players",
        &["account_id", "name", "width", "height", "settings"],
        rows,
    )
    .await?;

    let rows = bundle
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
        "access_control_profiles",
        &["account_id", "name", "is_default", "rules"],
        rows,
    )
    .await?;

    let rows = bundle
        .feature_permissions
        .iter()
        .map(|name| vec![Value::Int(account_id), Value::Text(name.clone())])
        .collect();
    insert_rows(
        &mut *conn,
        "feature_permissions",
        &["account_id", "name"],
        rows,
    )
    .await?;
    Ok(())
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn link_entry_category(
    conn: &mut AnyConnection,
    account: PartnerId,
    entry: i64,
    category: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO entry_categories (account_id, entry_id, category_id) VALUES ($1, $2, $3)",
    )
    .bind(account.get())
    .bind(entry)
    .bind(category)
    .execute(conn)
    .await?;
    Ok(())
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn insert_playlist(
    conn: &mut AnyConnection,
    account: PartnerId,
    name: &str,
    description: &str,
    entries: &[i64],
) -> Result<i64> {
    let playlist: i64 = sqlx::query_scalar(
        "INSERT INTO playlists (account_id, name, description) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(account.get())
    .bind(name)
    .bind(description)
    .fetch_one(&mut *conn)
    .await?;
    set_playlist_entries(conn, account, playlist, entries).await?;
    Ok(playlist)
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn set_playlist_entries(
    conn: &mut AnyConnection,
    account: PartnerId,
    playlist: i64,
    entries: &[i64],
) -> Result<()> {
    sqlx::query("DELETE FROM playlist_entries WHERE playlist_id = $1 AND account_id = $2")
        .bind(playlist)
        .bind(account.get())
        .execute(&mut *conn)
        .await?;
    for (position, entry) in entries.iter().enumerate() {
        sqlx::query(
            "INSERT INTO playlist_entries (account_id, playlist_id, position, entry_id) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(account.get())
        .bind(playlist)
        .bind(position as i64)
        .bind(entry)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
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
    let links: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT entry_id, category_id FROM entry_categories WHERE account_id = $1 ORDER BY category_id",
    )
    .bind(account.get())
    .fetch_all(&mut *conn)
    .await?;
    let mut by_entry: HashMap<i64, Vec<i64>> = HashMap::new();
    for (entry, category) in links {
        by_entry.entry(entry).or_default().push(category);
    }
    rows.into_iter()
        .map(|row| {
            Ok(EntryView {
                id: row.id,
                tags: from_json(&row.tags, "tags")?,
                category_ids: by_entry.remove(&row.id).unwrap_or_default(),
                name: row.name,
                description: row.description,
                media_type: row.media_type,
                reference_id: row.reference_id,
            })
        })
        .collect()
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
            id,
            name,
            description,
            entry_ids: by_playlist.remove(&id).unwrap_or_default(),
        })
        .collect())
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn category_exists(
    conn: &mut AnyConnection,
    account: PartnerId,
    id: i64,
) -> Result<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM categories WHERE id = $1 AND account_id = $2")
            .bind(id)
            .bind(account.get())
            .fetch_optional(conn)
            .await?;
    Ok(found.is_some())
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn entry_exists(
    conn: &mut AnyConnection,
    account: PartnerId,
    id: i64,
) -> Result<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM entries WHERE id = $1 AND account_id = $2")
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
    id: i64,
) -> Result<Vec<i64>> {
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
        .bind(id)
        .bind(account.get())
        .fetch_optional(&mut *conn)
        .await?;
        let Some(parent) = parent else { break };
        chain.push(id);
        current = parent;
    }
    Ok(chain)
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn insert_entry(
    conn: &mut AnyConnection,
    account: PartnerId,
    entry: &EntryValues,
    now: Timestamp,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO entries (account_id, name, description, media_type, tags, reference_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(account.get())
    .bind(&entry.name)
    .bind(&entry.description)
    .bind(&entry.media_type)
    .bind(to_json(&entry.tags))
    .bind(entry.reference_id.as_deref())
    .bind(now.millis())
    .fetch_one(&mut *conn)
    .await?;
    for category in &entry.categories {
        link_entry_category(&mut *conn, account, id, *category).await?;
    }
    Ok(id)
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn update_entry(
    conn: &mut AnyConnection,
    account: PartnerId,
    id: i64,
    entry: &EntryValues,
) -> Result<bool> {
    let result = sqlx::query(
        "UPDATE entries SET name = $1, description = $2, media_type = $3, tags = $4, reference_id = $5 \
         WHERE id = $6 AND account_id = $7",
    )
    .bind(&entry.name)
    .bind(&entry.description)
    .bind(&entry.media_type)
    .bind(to_json(&entry.tags))
    .bind(entry.reference_id.as_deref())
    .bind(id)
    .bind(account.get())
    .execute(&mut *conn)
    .await?;
    if result.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM entry_categories WHERE entry_id = $1 AND account_id = $2")
        .bind(id)
        .bind(account.get())
        .execute(&mut *conn)
        .await?;
    for category in &entry.categories {
        link_entry_category(&mut *conn, account, id, *category).await?;
    }
    Ok(true)
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn insert_category(
    conn: &mut AnyConnection,
    account: PartnerId,
    category: &CategoryValues,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO categories (account_id, parent_id, name) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(account.get())
    .bind(category.parent)
    .bind(&category.name)
    .fetch_one(conn)
    .await
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn update_category(
    conn: &mut AnyConnection,
    account: PartnerId,
    id: i64,
    category: &CategoryValues,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE categories SET name = $1, parent_id = $2 WHERE id = $3 AND account_id = $4",
    )
    .bind(&category.name)
    .bind(category.parent)
    .bind(id)
    .bind(account.get())
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn update_playlist(
    conn: &mut AnyConnection,
    account: PartnerId,
    id: i64,
    name: &str,
    description: &str,
) -> Result<bool> {
    let result = sqlx::query(
        "UPDATE playlists SET name = $1, description = $2 WHERE id = $3 AND account_id = $4",
    )
    .bind(name)
    .bind(description)
    .bind(id)
    .bind(account.get())
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Deletes one of the account's rows of `table` (a fixed name, never input);
/// what hangs off it goes with it (ON DELETE CASCADE).
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn delete_row(
    conn: &mut AnyConnection,
    table: &'static str,
    account: PartnerId,
    id: i64,
) -> Result<bool> {
    let result = sqlx::query(&format!(
        "DELETE FROM {table} WHERE id = $1 AND account_id = $2"
    ))
    .bind(id)
    .bind(account.get())
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}
