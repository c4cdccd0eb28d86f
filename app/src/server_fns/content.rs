//! The account console's server functions: every signed-in user works in their own
//! account's content, and only there (the core takes the account from the session).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use umbrella::domain::content::ContentCounts;
#[cfg(feature = "ssr")]
use umbrella::domain::content::ContentKind;
#[cfg(feature = "ssr")]
use umbrella::domain::{CategoryId, EntryId, PlaylistId};

use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryView {
    pub id: i64,
    pub name: String,
    pub parent_id: Option<i64>,
    pub depth: usize,
    /// "Education › Lectures": the category under its parent's name. One level
    /// only, so that a list of categories costs what its names do, however deep
    /// they nest (the depth says the rest).
    pub path: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryRowView {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub media_type: String,
    pub tags: String,
    pub reference_id: String,
    pub category_ids: Vec<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntriesView {
    pub entries: Vec<EntryRowView>,
    pub categories: Vec<CategoryView>,
    /// Where the next page starts, if there is one.
    pub next: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaylistRowView {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub entry_ids: Vec<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaylistsView {
    pub playlists: Vec<PlaylistRowView>,
    /// Every entry of the account, for choosing: (id, name).
    pub entries: Vec<(i64, String)>,
}

/// An item of a kind the console lists without editing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemView {
    pub name: String,
    pub details: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRowView {
    pub name: String,
    pub email: String,
    pub role: String,
    pub status: String,
    pub is_owner: bool,
}

#[cfg(feature = "ssr")]
pub(crate) mod convert {
    use umbrella::domain::CategoryId;
    use umbrella::domain::content::{Bundle, CategoryNode, tree_order};

    use super::*;

    pub fn categories(rows: &[CategoryNode]) -> Vec<CategoryView> {
        let names: std::collections::HashMap<CategoryId, &str> =
            rows.iter().map(|row| (row.id, row.name.as_str())).collect();
        tree_order(rows)
            .into_iter()
            .map(|(row, depth)| {
                let path = match row.parent_id.and_then(|p| names.get(&p)) {
                    Some(parent) => format!("{parent} › {}", row.name),
                    None => row.name.clone(),
                };
                CategoryView {
                    id: row.id.get(),
                    name: row.name.clone(),
                    parent_id: row.parent_id.map(CategoryId::get),
                    depth,
                    path,
                }
            })
            .collect()
    }

    fn list(values: &[String]) -> String {
        if values.is_empty() {
            "none".to_owned()
        } else {
            values.join(", ")
        }
    }

    /// The items of a read-only kind, each with a one-line summary.
    pub fn items(bundle: &Bundle, kind: ContentKind) -> Option<Vec<ItemView>> {
        let item = |name: &str, details: String| ItemView {
            name: name.to_owned(),
            details,
        };
        let default = |is: bool| if is { " (default)" } else { "" };
        Some(match kind {
            ContentKind::Roles => bundle
                .roles
                .iter()
                .map(|r| item(&r.name, format!("{} Permissions: {}", r.description, list(&r.permissions))))
                .collect(),
            ContentKind::TranscodingProfiles => bundle
                .transcoding_profiles
                .iter()
                .map(|p| {
                    let flavors: Vec<String> = p
                        .flavors
                        .iter()
                        .map(|f| format!("{} ({} {}×{} {} kbit/s)", f.name, f.codec, f.width, f.height, f.bitrate))
                        .collect();
                    item(&format!("{}{}", p.name, default(p.is_default)), format!("Flavors: {}", list(&flavors)))
                })
                .collect(),
            ContentKind::CustomDataSchemas => bundle
                .custom_data_schemas
                .iter()
                .map(|s| {
                    let fields: Vec<String> = s
                        .fields
                        .iter()
                        .map(|f| format!("{} ({}{})", f.name, f.kind, if f.required { ", required" } else { "" }))
                        .collect();
                    item(&s.name, format!("System name {}. Fields: {}", s.system_name, list(&fields)))
                })
                .collect(),
            ContentKind::Players => bundle
                .players
                .iter()
                .map(|p| {
                    let settings: Vec<String> = p.settings.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    item(&p.name, format!("{}×{}. Settings: {}", p.width, p.height, list(&settings)))
                })
                .collect(),
            ContentKind::AccessControlProfiles => bundle
                .access_control_profiles
                .iter()
                .map(|p| {
                    let r = &p.rules;
                    item(
                        &format!("{}{}", p.name, default(p.is_default)),
                        format!(
                            "Allowed domains: {}. Blocked domains: {}. Allowed countries: {}. Blocked countries: {}. Allowed IP ranges: {}. Blocked IP ranges: {}.",
                            list(&r.allowed_domains),
                            list(&r.blocked_domains),
                            list(&r.allowed_countries),
                            list(&r.blocked_countries),
                            list(&r.allowed_ip_ranges),
                            list(&r.blocked_ip_ranges)
                        ),
                    )
                })
                .collect(),
            ContentKind::FeaturePermissions => bundle
                .feature_permissions
                .iter()
                .map(|f| item(f, "Enabled".to_owned()))
                .collect(),
            ContentKind::Entries | ContentKind::Categories | ContentKind::Playlists => {
                return None;
            }
        })
    }

    /// "1,2,3" from a hidden form field.
    pub fn ids(raw: &str, field: &str) -> Result<Vec<i64>, AppError> {
        raw.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.parse::<i64>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| {
                crate::server::fail(umbrella::Error::invalid(
                    field,
                    "The choice is not valid; reload and try again.",
                ))
            })
    }

    /// An item's ID from a form: empty for a new item.
    pub fn id(raw: &str) -> Result<Option<i64>, AppError> {
        match raw.trim() {
            "" => Ok(None),
            raw => raw.parse().map(Some).map_err(|_| {
                crate::server::fail(umbrella::Error::invalid(
                    "id",
                    "The item is not valid; reload and try again.",
                ))
            }),
        }
    }
}

#[cfg(feature = "ssr")]
async fn account_user() -> Result<umbrella::content::AccountUser, AppError> {
    Ok(crate::server::actor().await?.account_user())
}

/// Runs a change to the caller's account's content, on the caller's behalf.
#[cfg(feature = "ssr")]
async fn change_content<T>(
    change: impl AsyncFnOnce(
        &umbrella::audit::AuditContext,
        &umbrella::content::AccountUser,
        &umbrella::Umbrella,
    ) -> Result<T, umbrella::Error>,
) -> Result<T, AppError> {
    let actor = crate::server::actor().await?;
    let user = actor.account_user();
    let core = crate::server::core()?;
    change(&crate::server::who(&actor), &user, &core)
        .await
        .map_err(crate::server::fail)
}

/// How many items of each kind the caller's account has.
#[server(prefix = "/api", endpoint = "console_overview")]
pub async fn console_overview() -> Result<ContentCounts, AppError> {
    use crate::server::{core, fail};
    let user = account_user().await?;
    core()?.content_counts(&user).await.map_err(fail)
}

#[server(prefix = "/api", endpoint = "console_categories")]
pub async fn console_categories() -> Result<Vec<CategoryView>, AppError> {
    use crate::server::{core, fail};
    let user = account_user().await?;
    let rows = core()?.list_categories(&user).await.map_err(fail)?;
    Ok(convert::categories(&rows))
}

/// A page of the account's entries (`after`: the last entry of the page before), with
/// every category for the entry form.
#[server(prefix = "/api", endpoint = "console_entries")]
pub async fn console_entries(after: Option<i64>) -> Result<EntriesView, AppError> {
    use crate::server::{core, fail};
    let user = account_user().await?;
    let core = core()?;
    let categories = core.list_categories(&user).await.map_err(fail)?;
    let after = after.filter(|id| *id > 0).map(EntryId::new);
    let (entries, next) = core.entries_page(&user, after).await.map_err(fail)?;
    Ok(EntriesView {
        categories: convert::categories(&categories),
        next: next.map(EntryId::get),
        entries: entries
            .into_iter()
            .map(|e| EntryRowView {
                id: e.id.get(),
                name: e.name,
                description: e.description,
                media_type: e.media_type,
                tags: e.tags.join(", "),
                reference_id: e.reference_id.unwrap_or_default(),
                category_ids: e.category_ids.into_iter().map(CategoryId::get).collect(),
            })
            .collect(),
    })
}

#[server(prefix = "/api", endpoint = "console_playlists")]
pub async fn console_playlists() -> Result<PlaylistsView, AppError> {
    use crate::server::{core, fail};
    let user = account_user().await?;
    let core = core()?;
    let playlists = core.list_playlists(&user).await.map_err(fail)?;
    let entries = core.entry_names(&user).await.map_err(fail)?;
    Ok(PlaylistsView {
        playlists: playlists
            .into_iter()
            .map(|p| PlaylistRowView {
                id: p.id.get(),
                name: p.name,
                description: p.description,
                entry_ids: p.entry_ids.into_iter().map(EntryId::get).collect(),
            })
            .collect(),
        entries: entries
            .into_iter()
            .map(|(id, name)| (id.get(), name))
            .collect(),
    })
}

/// The items of one of the kinds the console lists without editing.
#[server(prefix = "/api", endpoint = "console_items")]
pub async fn console_items(kind: String) -> Result<Vec<ItemView>, AppError> {
    use crate::server::{core, fail};
    let user = account_user().await?;
    let not_found = || fail(umbrella::Error::NotFound(format!("content kind {kind}")));
    let kind = ContentKind::from_slug(&kind).ok_or_else(not_found)?;
    let bundle = core()?.export_content(&user).await.map_err(fail)?;
    convert::items(&bundle, kind).ok_or_else(not_found)
}

#[server(prefix = "/api", endpoint = "console_users")]
pub async fn console_users() -> Result<Vec<UserRowView>, AppError> {
    use crate::server::{core, fail};
    let user = account_user().await?;
    let users = core()?.list_users(&user).await.map_err(fail)?;
    Ok(users
        .into_iter()
        .map(|u| UserRowView {
            name: u.full_name(),
            status: u.status.label().to_owned(),
            email: u.email,
            role: u.role,
            is_owner: u.is_owner,
        })
        .collect())
}

/// Creates (empty `id`) or changes an entry. `categories` is a comma-separated list of IDs.
#[server(prefix = "/api", endpoint = "save_entry")]
pub async fn save_entry(
    id: String,
    name: String,
    description: String,
    media_type: String,
    tags: String,
    reference_id: String,
    categories: String,
) -> Result<i64, AppError> {
    use umbrella::domain::content::EntryForm;
    let form = EntryForm {
        name,
        description,
        media_type,
        tags,
        reference_id,
        categories: convert::ids(&categories, "categories")?
            .into_iter()
            .map(CategoryId::new)
            .collect(),
    };
    let id = convert::id(&id)?.map(EntryId::new);
    change_content(async |who, user, core| core.save_entry(who, user, id, &form).await)
        .await
        .map(EntryId::get)
}

#[server(prefix = "/api", endpoint = "delete_entry")]
pub async fn delete_entry(id: i64) -> Result<(), AppError> {
    change_content(async |who, user, core| core.delete_entry(who, user, EntryId::new(id)).await)
        .await
}

/// Creates or renames and moves a category; `parent` empty for the top level.
#[server(prefix = "/api", endpoint = "save_category")]
pub async fn save_category(id: String, name: String, parent: String) -> Result<i64, AppError> {
    use umbrella::domain::content::CategoryForm;
    let parent = convert::ids(&parent, "parent")?
        .first()
        .copied()
        .map(CategoryId::new);
    let id = convert::id(&id)?.map(CategoryId::new);
    let form = CategoryForm { name, parent };
    change_content(async |who, user, core| core.save_category(who, user, id, &form).await)
        .await
        .map(CategoryId::get)
}

#[server(prefix = "/api", endpoint = "delete_category")]
pub async fn delete_category(id: i64) -> Result<(), AppError> {
    change_content(async |who, user, core| {
        core.delete_category(who, user, CategoryId::new(id)).await
    })
    .await
}

/// Creates or changes a playlist; `entries` is a comma-separated list of IDs in play order.
#[server(prefix = "/api", endpoint = "save_playlist")]
pub async fn save_playlist(
    id: String,
    name: String,
    description: String,
    entries: String,
) -> Result<i64, AppError> {
    use umbrella::domain::content::PlaylistForm;
    let form = PlaylistForm {
        name,
        description,
        entries: convert::ids(&entries, "entries")?
            .into_iter()
            .map(EntryId::new)
            .collect(),
    };
    let id = convert::id(&id)?.map(PlaylistId::new);
    change_content(async |who, user, core| core.save_playlist(who, user, id, &form).await)
        .await
        .map(PlaylistId::get)
}

#[server(prefix = "/api", endpoint = "delete_playlist")]
pub async fn delete_playlist(id: i64) -> Result<(), AppError> {
    change_content(async |who, user, core| {
        core.delete_playlist(who, user, PlaylistId::new(id)).await
    })
    .await
}

/// The caller's account's whole content as a JSON bundle, indented: people read
/// it in the console before they copy it.
#[server(prefix = "/api", endpoint = "export_content")]
pub async fn export_content() -> Result<String, AppError> {
    use crate::server::{core, fail};
    let user = account_user().await?;
    let bundle = core()?.export_content(&user).await.map_err(fail)?;
    Ok(bundle.to_json())
}

/// Replaces the caller's account's content with a bundle; a bad bundle changes nothing.
#[server(prefix = "/api", endpoint = "import_content")]
pub async fn import_content(bundle: String) -> Result<ContentCounts, AppError> {
    change_content(async move |who, user, core| {
        // Read, then let go of the JSON (megabytes) before the rows are written.
        let parsed = umbrella::domain::content::Bundle::from_json(&bundle);
        drop(bundle);
        core.import_bundle(who, user, parsed).await
    })
    .await
}
