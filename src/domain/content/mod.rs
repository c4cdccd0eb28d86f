//! An account's content: its kinds, the console's views of it, the forms that change
//! it and the bundle it is exported and imported as.

pub mod bundle;
mod forms;

use serde::{Deserialize, Serialize};

use super::{CategoryId, EntryId, PlaylistId};

pub use bundle::{Bundle, MAX_CATEGORY_DEPTH, MAX_ROWS, ValidBundle, quote};
pub use forms::{
    CategoryForm, CategoryValues, EntryForm, EntryValues, PlaylistForm, PlaylistValues,
};

/// The kinds of content an account holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ContentKind {
    Entries,
    Categories,
    Roles,
    TranscodingProfiles,
    CustomDataSchemas,
    Players,
    AccessControlProfiles,
    Playlists,
    FeaturePermissions,
}

impl ContentKind {
    /// In the order the console lists them.
    pub const ALL: [ContentKind; 9] = [
        ContentKind::Entries,
        ContentKind::Categories,
        ContentKind::Roles,
        ContentKind::TranscodingProfiles,
        ContentKind::CustomDataSchemas,
        ContentKind::Players,
        ContentKind::AccessControlProfiles,
        ContentKind::Playlists,
        ContentKind::FeaturePermissions,
    ];

    /// The kind's name as people read it.
    pub fn label(self) -> &'static str {
        match self {
            ContentKind::Entries => "Entries",
            ContentKind::Categories => "Categories",
            ContentKind::Roles => "CMS Roles",
            ContentKind::TranscodingProfiles => "Transcoding Profiles",
            ContentKind::CustomDataSchemas => "Custom Data Schemas",
            ContentKind::Players => "Players",
            ContentKind::AccessControlProfiles => "Access Control Profiles",
            ContentKind::Playlists => "Playlists",
            ContentKind::FeaturePermissions => "Feature Permissions",
        }
    }

    /// The path segment of the kind's console page.
    pub fn slug(self) -> &'static str {
        match self {
            ContentKind::Entries => "entries",
            ContentKind::Categories => "categories",
            ContentKind::Roles => "roles",
            ContentKind::TranscodingProfiles => "transcoding-profiles",
            ContentKind::CustomDataSchemas => "custom-data-schemas",
            ContentKind::Players => "players",
            ContentKind::AccessControlProfiles => "access-control-profiles",
            ContentKind::Playlists => "playlists",
            ContentKind::FeaturePermissions => "feature-permissions",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.slug() == slug)
    }
}

/// How many items of each kind an account (or a bundle) holds. On the wire (server
/// functions) it is nine numbers in [`ContentKind::ALL`]'s order: the browser
/// decodes an array of integers with code it already has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "[i64; 9]", into = "[i64; 9]")]
pub struct ContentCounts {
    pub entries: i64,
    pub categories: i64,
    pub roles: i64,
    pub transcoding_profiles: i64,
    pub custom_data_schemas: i64,
    pub players: i64,
    pub access_control_profiles: i64,
    pub playlists: i64,
    pub feature_permissions: i64,
}

impl ContentCounts {
    pub fn of(&self, kind: ContentKind) -> i64 {
        match kind {
            ContentKind::Entries => self.entries,
            ContentKind::Categories => self.categories,
            ContentKind::Roles => self.roles,
            ContentKind::TranscodingProfiles => self.transcoding_profiles,
            ContentKind::CustomDataSchemas => self.custom_data_schemas,
            ContentKind::Players => self.players,
            ContentKind::AccessControlProfiles => self.access_control_profiles,
            ContentKind::Playlists => self.playlists,
            ContentKind::FeaturePermissions => self.feature_permissions,
        }
    }

    /// Each kind with its count, in the order the console lists them.
    pub fn by_kind(&self) -> impl Iterator<Item = (ContentKind, i64)> + '_ {
        ContentKind::ALL
            .into_iter()
            .map(|kind| (kind, self.of(kind)))
    }
}

impl From<[i64; 9]> for ContentCounts {
    fn from(n: [i64; 9]) -> Self {
        let [
            entries,
            categories,
            roles,
            transcoding_profiles,
            custom_data_schemas,
            players,
            access_control_profiles,
            playlists,
            feature_permissions,
        ] = n;
        Self {
            entries,
            categories,
            roles,
            transcoding_profiles,
            custom_data_schemas,
            players,
            access_control_profiles,
            playlists,
            feature_permissions,
        }
    }
}

impl From<ContentCounts> for [i64; 9] {
    fn from(counts: ContentCounts) -> Self {
        ContentKind::ALL.map(|kind| counts.of(kind))
    }
}

/// A category as stored: the console builds its tree from these.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryNode {
    pub id: CategoryId,
    pub parent_id: Option<CategoryId>,
    pub name: String,
}

/// The categories depth first (siblings in the order given), each with its depth.
pub fn tree_order(rows: &[CategoryNode]) -> Vec<(&CategoryNode, usize)> {
    let mut children: std::collections::HashMap<Option<CategoryId>, Vec<&CategoryNode>> =
        std::collections::HashMap::new();
    for row in rows {
        children.entry(row.parent_id).or_default().push(row);
    }
    let mut ordered = Vec::with_capacity(rows.len());
    let mut stack: Vec<(&CategoryNode, usize)> = children
        .remove(&None)
        .unwrap_or_default()
        .into_iter()
        .rev()
        .map(|c| (c, 0))
        .collect();
    while let Some((row, depth)) = stack.pop() {
        ordered.push((row, depth));
        if let Some(kids) = children.remove(&Some(row.id)) {
            stack.extend(kids.into_iter().rev().map(|c| (c, depth + 1)));
        }
    }
    ordered
}

/// An entry as the console lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryView {
    pub id: EntryId,
    pub name: String,
    pub description: String,
    pub media_type: String,
    pub tags: Vec<String>,
    pub reference_id: Option<String>,
    pub category_ids: Vec<CategoryId>,
}

/// A playlist as the console lists it, its entries in play order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlaylistView {
    pub id: PlaylistId,
    pub name: String,
    pub description: String,
    pub entry_ids: Vec<EntryId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_travel_as_nine_numbers_in_kind_order() {
        let counts = ContentCounts {
            entries: 1,
            feature_permissions: 9,
            ..ContentCounts::default()
        };
        let json = serde_json::to_string(&counts).unwrap();
        assert_eq!(json, "[1,0,0,0,0,0,0,0,9]");
        assert_eq!(
            serde_json::from_str::<ContentCounts>(&json).unwrap(),
            counts
        );
    }
}
