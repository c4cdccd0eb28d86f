//! A content bundle: one account's whole content as a JSON document. Exports write
//! it, imports read it, and copying a template is an export into a new account.
//!
//! Items refer to each other by `key`s local to the bundle, never by database IDs,
//! so a bundle can be written into any account and its references land on the
//! copies. [`Bundle::check`] checks a bundle whole before anything is written (see
//! `check.rs`), and only the [`ValidBundle`] it returns can be written.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

mod check;

pub use check::is_system_name;

use super::ContentCounts;
use crate::error::Error;

/// The format marker of the bundles this version reads and writes.
pub const FORMAT: &str = "umbrella-content/1";
/// The most items of one kind a bundle may hold: bounds the work one import can ask for.
pub const MAX_ITEMS_PER_KIND: usize = 10_000;
/// The most entries all of a bundle's playlists list together. A reference is a few
/// bytes of JSON but a row to write and to read back: without a total, a body within
/// the size limit could ask for millions of rows.
pub const MAX_PLAYLIST_ENTRIES: usize = 20_000;
/// The most categories all of a bundle's entries are in together (a row each).
pub const MAX_ENTRY_CATEGORIES: usize = 20_000;
/// The most flavors all of a bundle's transcoding profiles have together (a row each).
pub const MAX_FLAVORS: usize = 10_000;
/// The most rows an import writes in all (items, playlist entries, category
/// assignments, flavors): what one import, and every later read of the account,
/// costs the server.
pub const MAX_ROWS: usize = 60_000;

/// How deep categories nest: a category at the top is at level 1. Bounds every
/// walk up or down the tree (paths, moves, deletes) to a few steps.
pub const MAX_CATEGORY_DEPTH: usize = 32;

/// How much of a person's text an error message quotes.
pub const QUOTE_CHARS: usize = 80;

/// `text`, cut to [`QUOTE_CHARS`] characters (with "…" when cut), for quoting in a
/// message: whatever someone sends, the answer stays small.
pub fn quote(text: &str) -> String {
    let mut chars = text.chars();
    let mut quoted: String = chars.by_ref().take(QUOTE_CHARS).collect();
    if chars.next().is_some() {
        quoted.push('…');
    }
    quoted
}

/// The longest name and description of any item (the database checks names too).
pub(crate) const MAX_NAME: usize = 100;
pub(crate) const MAX_DESCRIPTION: usize = 2_000;
const MAX_LIST: usize = 100;
const MAX_LIST_ITEM: usize = 100;
const MAX_DIMENSION: i64 = 8_192;
const MAX_BITRATE: i64 = 1_000_000;
pub const MEDIA_TYPES: [&str; 3] = ["video", "audio", "image"];
pub const CODECS: [&str; 5] = ["h264", "h265", "vp9", "av1", "aac"];
pub const FIELD_TYPES: [&str; 5] = ["text", "number", "date", "boolean", "list"];

/// A bundle that passed every check ([`Bundle::check`]). Only this type can be
/// written into an account, so nothing unchecked (an import, a template's copy, the
/// starter content) reaches storage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidBundle(Bundle);

impl ValidBundle {
    pub fn into_inner(self) -> Bundle {
        self.0
    }
}

impl std::ops::Deref for ValidBundle {
    type Target = Bundle;

    fn deref(&self) -> &Bundle {
        &self.0
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    pub format: String,
    #[serde(default)]
    pub categories: Vec<Category>,
    #[serde(default)]
    pub entries: Vec<Entry>,
    #[serde(default)]
    pub playlists: Vec<Playlist>,
    #[serde(default)]
    pub roles: Vec<Role>,
    #[serde(default)]
    pub transcoding_profiles: Vec<TranscodingProfile>,
    #[serde(default)]
    pub custom_data_schemas: Vec<CustomDataSchema>,
    #[serde(default)]
    pub players: Vec<Player>,
    #[serde(default)]
    pub access_control_profiles: Vec<AccessControlProfile>,
    #[serde(default)]
    pub feature_permissions: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub key: String,
    pub name: String,
    #[serde(default)]
    pub parent: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub key: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub media_type: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub reference_id: Option<String>,
    /// Keys of the entry's categories.
    #[serde(default)]
    pub categories: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Playlist {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Keys of the playlist's entries, in play order; an entry may appear twice.
    #[serde(default)]
    pub entries: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub permissions: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranscodingProfile {
    pub name: String,
    #[serde(default)]
    pub is_default: bool,
    #[serde(default)]
    pub flavors: Vec<Flavor>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flavor {
    pub name: String,
    pub codec: String,
    pub width: i64,
    pub height: i64,
    /// Kilobits per second.
    pub bitrate: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomDataSchema {
    pub name: String,
    pub system_name: String,
    #[serde(default)]
    pub fields: Vec<SchemaField>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaField {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub required: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Player {
    pub name: String,
    pub width: i64,
    pub height: i64,
    /// Free-form player settings: names to text values.
    #[serde(default)]
    pub settings: std::collections::BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessControlProfile {
    pub name: String,
    #[serde(default)]
    pub is_default: bool,
    #[serde(default)]
    pub rules: AccessRules,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessRules {
    #[serde(default)]
    pub allowed_domains: Vec<String>,
    #[serde(default)]
    pub blocked_domains: Vec<String>,
    /// ISO 3166-1 alpha-2 codes, e.g. "NL".
    #[serde(default)]
    pub allowed_countries: Vec<String>,
    #[serde(default)]
    pub blocked_countries: Vec<String>,
    /// Addresses or CIDR ranges, e.g. "192.0.2.0/24".
    #[serde(default)]
    pub allowed_ip_ranges: Vec<String>,
    #[serde(default)]
    pub blocked_ip_ranges: Vec<String>,
}

impl Bundle {
    pub fn empty() -> Self {
        Self {
            format: FORMAT.to_owned(),
            ..Self::default()
        }
    }

    pub fn counts(&self) -> ContentCounts {
        let n = |len: usize| len as i64;
        ContentCounts {
            entries: n(self.entries.len()),
            categories: n(self.categories.len()),
            roles: n(self.roles.len()),
            transcoding_profiles: n(self.transcoding_profiles.len()),
            custom_data_schemas: n(self.custom_data_schemas.len()),
            players: n(self.players.len()),
            access_control_profiles: n(self.access_control_profiles.len()),
            playlists: n(self.playlists.len()),
            feature_permissions: n(self.feature_permissions.len()),
        }
    }

    /// Reads and checks a bundle from JSON; a syntax or shape error names where
    /// it is, a bad item names the item.
    pub fn from_json(text: &str) -> Result<ValidBundle, Error> {
        let bundle: Bundle = serde_json::from_str(text).map_err(|e| {
            // serde's message may quote the input (an unknown field's name): cut it.
            let reason: String = e.to_string().chars().take(2 * QUOTE_CHARS).collect();
            Error::invalid("bundle", format!("This is not a content bundle: {reason}."))
        })?;
        bundle.check()
    }

    /// The bundle, checked: the only way to a [`ValidBundle`].
    pub fn check(self) -> Result<ValidBundle, Error> {
        self.validate()?;
        Ok(ValidBundle(self))
    }

    pub fn to_json(&self) -> String {
        // Serialising plain structs and string maps cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The most deeply nested category and its level (1 at the top).
    pub fn deepest_category(&self) -> Option<(&Category, usize)> {
        self.categories_with_levels()
            .into_iter()
            .max_by_key(|(_, level)| *level)
    }

    /// The categories ordered so that every parent comes before its children.
    /// Call only on a validated bundle (which has no cycles).
    pub fn categories_parents_first(&self) -> Vec<&Category> {
        self.categories_with_levels()
            .into_iter()
            .map(|(category, _)| category)
            .collect()
    }

    /// The categories depth first, siblings in bundle order, each with its level
    /// (1 at the top). Linear: each is visited once; one in a cycle never is.
    fn categories_with_levels(&self) -> Vec<(&Category, usize)> {
        let mut children: HashMap<Option<&str>, Vec<&Category>> = HashMap::new();
        for category in &self.categories {
            children
                .entry(category.parent.as_deref())
                .or_default()
                .push(category);
        }
        let mut ordered = Vec::with_capacity(self.categories.len());
        let mut stack: Vec<(&Category, usize)> = children
            .remove(&None)
            .unwrap_or_default()
            .into_iter()
            .rev()
            .map(|c| (c, 1))
            .collect();
        while let Some((category, level)) = stack.pop() {
            ordered.push((category, level));
            if let Some(kids) = children.remove(&Some(category.key.as_str())) {
                stack.extend(kids.into_iter().rev().map(|c| (c, level + 1)));
            }
        }
        ordered
    }
}
