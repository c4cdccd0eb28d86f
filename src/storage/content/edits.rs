//! The console's edits: one entry, category or playlist at a time.

use sqlx::AnyConnection;

use super::*;
use crate::clock::Timestamp;
use crate::domain::content::{CategoryValues, EntryValues};
use crate::domain::{CategoryId, EntryId, PartnerId, PlaylistId};
use crate::error::Result;

/// Deletes a category and everything below it, deepest level first, so that no
/// delete cascades down the tree; entries stay, without these categories.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn delete_category_subtree(
    conn: &mut AnyConnection,
    account: PartnerId,
    id: CategoryId,
) -> Result<bool> {
    if !category_exists(conn, account, id).await? {
        return Ok(false);
    }
    let mut levels = vec![vec![id.get()]];
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

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn link_entry_category(
    conn: &mut AnyConnection,
    account: PartnerId,
    entry: EntryId,
    category: CategoryId,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO entry_categories (account_id, entry_id, category_id) VALUES ($1, $2, $3)",
    )
    .bind(account.get())
    .bind(entry.get())
    .bind(category.get())
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
    entries: &[EntryId],
) -> Result<PlaylistId> {
    let playlist: i64 = sqlx::query_scalar(
        "INSERT INTO playlists (account_id, name, description) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(account.get())
    .bind(name)
    .bind(description)
    .fetch_one(&mut *conn)
    .await?;
    let playlist = PlaylistId::new(playlist);
    set_playlist_entries(conn, account, playlist, entries).await?;
    Ok(playlist)
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn set_playlist_entries(
    conn: &mut AnyConnection,
    account: PartnerId,
    playlist: PlaylistId,
    entries: &[EntryId],
) -> Result<()> {
    sqlx::query("DELETE FROM playlist_entries WHERE playlist_id = $1 AND account_id = $2")
        .bind(playlist.get())
        .bind(account.get())
        .execute(&mut *conn)
        .await?;
    for (position, entry) in entries.iter().enumerate() {
        sqlx::query(
            "INSERT INTO playlist_entries (account_id, playlist_id, position, entry_id) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(account.get())
        .bind(playlist.get())
        .bind(position as i64)
        .bind(entry.get())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn insert_entry(
    conn: &mut AnyConnection,
    account: PartnerId,
    entry: &EntryValues,
    now: Timestamp,
) -> Result<EntryId> {
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
    let id = EntryId::new(id);
    for category in &entry.categories {
        link_entry_category(&mut *conn, account, id, *category).await?;
    }
    Ok(id)
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn update_entry(
    conn: &mut AnyConnection,
    account: PartnerId,
    id: EntryId,
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
    .bind(id.get())
    .bind(account.get())
    .execute(&mut *conn)
    .await?;
    if result.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM entry_categories WHERE entry_id = $1 AND account_id = $2")
        .bind(id.get())
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
) -> Result<CategoryId, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO categories (account_id, parent_id, name) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(account.get())
    .bind(category.parent.map(CategoryId::get))
    .bind(&category.name)
    .fetch_one(conn)
    .await?;
    Ok(CategoryId::new(id))
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn update_category(
    conn: &mut AnyConnection,
    account: PartnerId,
    id: CategoryId,
    category: &CategoryValues,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE categories SET name = $1, parent_id = $2 WHERE id = $3 AND account_id = $4",
    )
    .bind(&category.name)
    .bind(category.parent.map(CategoryId::get))
    .bind(id.get())
    .bind(account.get())
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn update_playlist(
    conn: &mut AnyConnection,
    account: PartnerId,
    id: PlaylistId,
    name: &str,
    description: &str,
) -> Result<bool> {
    let result = sqlx::query(
        "UPDATE playlists SET name = $1, description = $2 WHERE id = $3 AND account_id = $4",
    )
    .bind(name)
    .bind(description)
    .bind(id.get())
    .bind(account.get())
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Deletes one of the account's rows of `table` (a fixed name, never input);
/// what hangs off it goes with it (ON DELETE CASCADE).
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn delete_entry(
    conn: &mut AnyConnection,
    account: PartnerId,
    id: EntryId,
) -> Result<bool> {
    delete_row(conn, "entries", account, id.get()).await
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn delete_playlist(
    conn: &mut AnyConnection,
    account: PartnerId,
    id: PlaylistId,
) -> Result<bool> {
    delete_row(conn, "playlists", account, id.get()).await
}

async fn delete_row(
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
