//! Reading an account's whole content as a bundle.

use std::collections::HashMap;

use sqlx::AnyConnection;

use super::*;
use crate::domain::PartnerId;
use crate::domain::content::bundle::{self, Bundle};
use crate::domain::content::tree_order;
use crate::error::Result;
use crate::storage::sql::flag;

/// The whole content of an account, with keys given by position: two accounts
/// with the same content export the same bundle.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn export(conn: &mut AnyConnection, account: PartnerId) -> Result<Bundle> {
    let id = account.get();
    let mut bundle = Bundle::empty();

    let category_rows = categories(&mut *conn, account).await?;
    let mut category_keys = HashMap::new();
    let mut category_index: HashMap<i64, usize> = HashMap::new();
    for (index, (row, _)) in tree_order(&category_rows).into_iter().enumerate() {
        let key = format!("c{index}");
        category_keys.insert(row.id, key.clone());
        category_index.insert(row.id.get(), index);
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
