//! Reading an account's whole content as a bundle.

use std::collections::HashMap;
use std::mem::take;

use sqlx::AnyConnection;

use super::*;
use crate::domain::PartnerId;
use crate::domain::content::bundle::{self, Bundle};
use crate::domain::content::tree_order;
use crate::error::Result;

/// The whole content of an account, with keys given by position: two accounts
/// with the same content export the same bundle.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn export(conn: &mut AnyConnection, account: PartnerId) -> Result<Bundle> {
    assemble(rows(conn, account).await?)
}

/// The account's content, or `None` if there is no such account: one statement,
/// so one snapshot on either database, with no transaction around it.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn export_existing(
    conn: &mut AnyConnection,
    account: PartnerId,
) -> Result<Option<Bundle>> {
    let rows = rows(conn, account).await?;
    if rows.found == 0 {
        return Ok(None);
    }
    assemble(rows).map(Some)
}

async fn rows(conn: &mut AnyConnection, account: PartnerId) -> Result<Rows> {
    let postgres = conn.backend_name().eq_ignore_ascii_case("postgresql");
    Ok(sqlx::query_as(&export_sql(postgres))
        .bind(account.get())
        .fetch_one(&mut *conn)
        .await?)
}

/// Every kind's rows as one JSON array each, in one row: a round trip, where one
/// statement per kind and a value per column cost about 5 ms at the copy limits.
#[derive(sqlx::FromRow)]
struct Rows {
    /// Whether the account exists (1) or not (0).
    found: i64,
    categories: String,
    entries: String,
    entry_categories: String,
    playlists: String,
    playlist_entries: String,
    roles: String,
    profiles: String,
    flavors: String,
    schemas: String,
    players: String,
    access: String,
    features: String,
}

/// `(SELECT <a JSON array of [columns…] per row, in order>)` in each dialect.
fn rows_json(postgres: bool, columns: &str, from: &str, order: &str) -> String {
    if postgres {
        format!(
            "(SELECT CAST(coalesce(json_agg(json_build_array({columns}) ORDER BY {order}), '[]') \
             AS TEXT) FROM {from})"
        )
    } else {
        format!("(SELECT json_group_array(json_array({columns}) ORDER BY {order}) FROM {from})")
    }
}

fn export_sql(postgres: bool) -> String {
    let of = |table: &str| format!("{table} WHERE account_id = $1");
    let kinds = [
        (
            "categories",
            rows_json(
                postgres,
                "id, parent_id, name",
                &of("categories"),
                // Siblings by name (tree order keeps it), in the order of the index
                // that keeps sibling names unique.
                "coalesce(parent_id, 0), name",
            ),
        ),
        (
            "entries",
            rows_json(
                postgres,
                "id, name, description, media_type, tags, reference_id",
                &of("entries"),
                "id",
            ),
        ),
        (
            "entry_categories",
            rows_json(
                postgres,
                "entry_id, category_id",
                &of("entry_categories"),
                "entry_id, category_id",
            ),
        ),
        (
            "playlists",
            rows_json(postgres, "id, name, description", &of("playlists"), "id"),
        ),
        (
            "playlist_entries",
            rows_json(
                postgres,
                "playlist_id, entry_id",
                &of("playlist_entries"),
                "playlist_id, position",
            ),
        ),
        (
            "roles",
            rows_json(
                postgres,
                "name, description, permissions",
                &of("cms_roles"),
                "id",
            ),
        ),
        (
            "profiles",
            rows_json(
                postgres,
                "id, name, CASE WHEN is_default THEN 1 ELSE 0 END",
                &of("transcoding_profiles"),
                "id",
            ),
        ),
        (
            "flavors",
            rows_json(
                postgres,
                "f.profile_id, f.name, f.codec, f.width, f.height, f.bitrate",
                "flavors f JOIN transcoding_profiles p ON p.id = f.profile_id WHERE p.account_id = $1",
                "f.profile_id, f.position",
            ),
        ),
        (
            "schemas",
            rows_json(
                postgres,
                "name, system_name, fields",
                &of("custom_data_schemas"),
                "id",
            ),
        ),
        (
            "players",
            rows_json(
                postgres,
                "name, width, height, settings",
                &of("players"),
                "id",
            ),
        ),
        (
            "access",
            rows_json(
                postgres,
                "name, CASE WHEN is_default THEN 1 ELSE 0 END, rules",
                &of("access_control_profiles"),
                "id",
            ),
        ),
        (
            "features",
            rows_json(postgres, "name", &of("feature_permissions"), "name"),
        ),
    ];
    let columns: Vec<String> = kinds
        .iter()
        .map(|(name, select)| format!("{select} AS {name}"))
        .collect();
    format!(
        "SELECT (SELECT COUNT(*) FROM accounts WHERE partner_id = $1) AS found, {}",
        columns.join(", ")
    )
}

/// The bundle from the rows, with keys given by position. Each kind's JSON is let go
/// of as soon as it is read: a whole account's content is megabytes of it.
fn assemble(mut json: Rows) -> Result<Bundle> {
    let mut bundle = Bundle::empty();

    let category_rows: Vec<CategoryNode> =
        from_json::<Vec<(i64, Option<i64>, String)>>(&take(&mut json.categories), "categories")?
            .into_iter()
            .map(|(id, parent_id, name)| CategoryNode {
                id: CategoryId::new(id),
                parent_id: parent_id.map(CategoryId::new),
                name,
            })
            .collect();
    // A category's key is its place in tree order; a parent comes before its children.
    let ordered = tree_order(&category_rows);
    let mut category_index: HashMap<i64, usize> = HashMap::with_capacity(ordered.len());
    bundle.categories.reserve(ordered.len());
    for (index, (row, _)) in ordered.into_iter().enumerate() {
        category_index.insert(row.id.get(), index);
        bundle.categories.push(bundle::Category {
            key: format!("c{index}"),
            name: row.name.clone(),
            parent: row
                .parent_id
                .and_then(|p| category_index.get(&p.get()))
                .map(|parent| format!("c{parent}")),
        });
    }

    type EntryRow = (i64, String, String, String, String, Option<String>);
    let entry_rows: Vec<EntryRow> = from_json(&take(&mut json.entries), "entries")?;
    let links: Vec<(i64, i64)> = from_json(&take(&mut json.entry_categories), "entry categories")?;
    let mut entry_categories: HashMap<i64, Vec<usize>> = HashMap::new();
    for (entry, category) in links {
        if let Some(index) = category_index.get(&category) {
            entry_categories.entry(entry).or_default().push(*index);
        }
    }
    let mut entry_keys = HashMap::new();
    for (index, (id, name, description, media_type, tags, reference_id)) in
        entry_rows.into_iter().enumerate()
    {
        let key = format!("e{index}");
        entry_keys.insert(id, key.clone());
        let mut categories = entry_categories.remove(&id).unwrap_or_default();
        categories.sort_unstable();
        bundle.entries.push(bundle::Entry {
            key,
            name,
            description,
            media_type,
            tags: from_json(&tags, "tags")?,
            reference_id,
            categories: categories.into_iter().map(|i| format!("c{i}")).collect(),
        });
    }

    let playlists: Vec<(i64, String, String)> = from_json(&take(&mut json.playlists), "playlists")?;
    let items: Vec<(i64, i64)> = from_json(&take(&mut json.playlist_entries), "playlist entries")?;
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

    let roles: Vec<(String, String, String)> = from_json(&take(&mut json.roles), "roles")?;
    for (name, description, permissions) in roles {
        bundle.roles.push(bundle::Role {
            name,
            description,
            permissions: from_json(&permissions, "permissions")?,
        });
    }

    let profiles: Vec<(i64, String, i64)> =
        from_json(&take(&mut json.profiles), "transcoding profiles")?;
    let flavors: Vec<(i64, String, String, i64, i64, i64)> =
        from_json(&take(&mut json.flavors), "flavors")?;
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

    let schemas: Vec<(String, String, String)> =
        from_json(&take(&mut json.schemas), "custom data schemas")?;
    for (name, system_name, fields) in schemas {
        bundle.custom_data_schemas.push(bundle::CustomDataSchema {
            name,
            system_name,
            fields: from_json(&fields, "schema fields")?,
        });
    }

    let players: Vec<(String, i64, i64, String)> = from_json(&take(&mut json.players), "players")?;
    for (name, width, height, settings) in players {
        bundle.players.push(bundle::Player {
            name,
            width,
            height,
            settings: from_json(&settings, "player settings")?,
        });
    }

    let access: Vec<(String, i64, String)> =
        from_json(&take(&mut json.access), "access control profiles")?;
    for (name, is_default, rules) in access {
        bundle
            .access_control_profiles
            .push(bundle::AccessControlProfile {
                name,
                is_default: is_default != 0,
                rules: from_json(&rules, "access rules")?,
            });
    }

    bundle.feature_permissions =
        from_json::<Vec<(String,)>>(&take(&mut json.features), "feature permissions")?
            .into_iter()
            .map(|(name,)| name)
            .collect();
    Ok(bundle)
}
