//! A content bundle: one account's whole content as a JSON document. Exports write
//! it, imports read it, and copying a template is an export into a new account.
//!
//! Items refer to each other by `key`s local to the bundle, never by database IDs,
//! so a bundle can be written into any account and its references land on the
//! copies. [`Bundle::validate`] checks a bundle whole before anything is written.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::ContentCounts;
use crate::error::{Error, FieldError};

/// The format marker of the bundles this version reads and writes.
pub const FORMAT: &str = "umbrella-content/1";
/// The most items of one kind a bundle may hold: bounds the work one import can ask for.
pub const MAX_ITEMS_PER_KIND: usize = 10_000;

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

    /// Checks the whole bundle; every problem is reported, each naming its item.
    fn validate(&self) -> Result<(), Error> {
        let mut v = Validator::default();
        if self.format != FORMAT {
            v.fail(
                "format",
                format!(
                    "The format must be \"{FORMAT}\", not \"{}\".",
                    quote(&self.format)
                ),
            );
        }
        for (kind, count) in self.counts().by_kind() {
            if count as usize > MAX_ITEMS_PER_KIND {
                let kind = kind.label();
                v.fail(
                    kind,
                    format!("A bundle holds at most {MAX_ITEMS_PER_KIND} {kind}, not {count}."),
                );
            }
        }
        if !v.errors.is_empty() {
            return v.finish();
        }
        let categories = v.categories(&self.categories);
        let entries = v.entries(&self.entries, &categories);
        v.playlists(&self.playlists, &entries);
        v.roles(&self.roles);
        v.transcoding_profiles(&self.transcoding_profiles);
        v.custom_data_schemas(&self.custom_data_schemas);
        v.players(&self.players);
        v.access_control_profiles(&self.access_control_profiles);
        v.feature_permissions(&self.feature_permissions);
        v.finish()
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

/// Collects every problem of a bundle, each under the path of its item.
#[derive(Default)]
struct Validator {
    errors: Vec<FieldError>,
}

fn item(kind: &str, index: usize, name: &str) -> String {
    if name.trim().is_empty() {
        format!("{kind}[{index}]")
    } else {
        format!("{kind}[{index}] \"{}\"", quote(name))
    }
}

impl Validator {
    fn fail(&mut self, path: impl Into<String>, message: impl Into<String>) {
        // Enough to act on; a bundle wrong everywhere should not make a huge answer.
        if self.errors.len() < 50 {
            self.errors.push(FieldError {
                field: path.into(),
                message: message.into(),
            });
        }
    }

    fn finish(self) -> Result<(), Error> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(self.errors))
        }
    }

    fn name(&mut self, at: &str, label: &str, value: &str) {
        let length = value.trim().chars().count();
        if length == 0 {
            self.fail(at, format!("{label} is required."));
        } else if length > MAX_NAME {
            self.fail(
                at,
                format!("{label} is at most {MAX_NAME} characters, not {length}."),
            );
        } else if value.trim() != value {
            self.fail(at, format!("{label} must not start or end with spaces."));
        } else if let Some(message) = crate::domain::text::unreadable(value, label) {
            self.fail(at, message);
        }
    }

    fn description(&mut self, at: &str, value: &str) {
        let length = value.chars().count();
        if length > MAX_DESCRIPTION {
            self.fail(
                at,
                format!("The description is at most {MAX_DESCRIPTION} characters, not {length}."),
            );
        }
    }

    fn list(&mut self, at: &str, label: &str, values: &[String], check: impl Fn(&str) -> bool) {
        if values.len() > MAX_LIST {
            self.fail(
                at,
                format!("At most {MAX_LIST} {label}, not {}.", values.len()),
            );
            return;
        }
        let mut seen = HashSet::new();
        for value in values {
            if value.is_empty() || value.chars().count() > MAX_LIST_ITEM || !check(value) {
                self.fail(
                    at,
                    format!("\"{}\" is not a valid value for {label}.", quote(value)),
                );
            } else if !seen.insert(value.as_str()) {
                self.fail(
                    at,
                    format!("\"{}\" is listed twice in {label}.", quote(value)),
                );
            }
        }
    }

    fn unique_keys<'a>(
        &mut self,
        kind: &str,
        keys: impl Iterator<Item = (usize, &'a str, &'a str)>,
    ) -> HashSet<&'a str> {
        let mut seen = HashSet::new();
        for (index, key, name) in keys {
            let at = item(kind, index, name);
            if key.is_empty() || key.len() > MAX_NAME {
                self.fail(
                    format!("{at}.key"),
                    "A key of 1 to 100 characters is required.",
                );
            } else if !seen.insert(key) {
                self.fail(
                    format!("{at}.key"),
                    format!("The key \"{}\" is used twice.", quote(key)),
                );
            }
        }
        seen
    }

    fn categories<'a>(&mut self, categories: &'a [Category]) -> HashSet<&'a str> {
        let keys = self.unique_keys(
            "categories",
            categories
                .iter()
                .enumerate()
                .map(|(i, c)| (i, c.key.as_str(), c.name.as_str())),
        );
        let parent_of: HashMap<&str, Option<&str>> = categories
            .iter()
            .map(|c| (c.key.as_str(), c.parent.as_deref()))
            .collect();
        let mut sibling_names = HashSet::new();
        for (index, category) in categories.iter().enumerate() {
            let at = item("categories", index, &category.name);
            self.name(&format!("{at}.name"), "A category name", &category.name);
            if let Some(parent) = &category.parent
                && !keys.contains(parent.as_str())
            {
                self.fail(
                    format!("{at}.parent"),
                    format!(
                        "The parent \"{}\" is not a category of this bundle.",
                        quote(parent)
                    ),
                );
                continue;
            }
            if !sibling_names.insert((category.parent.as_deref(), category.name.as_str())) {
                self.fail(
                    format!("{at}.name"),
                    format!(
                        "Another category with the same parent is named \"{}\".",
                        quote(&category.name)
                    ),
                );
            }
            // Walking up must reach a root within the depth limit: a few steps each,
            // however long a chain (or cycle) the bundle builds.
            let mut current = category.parent.as_deref();
            let mut level = 1;
            while let Some(key) = current {
                level += 1;
                if key == category.key {
                    self.fail(
                        format!("{at}.parent"),
                        "The category is its own ancestor (a cycle).",
                    );
                    break;
                }
                if level > MAX_CATEGORY_DEPTH {
                    self.fail(
                        format!("{at}.parent"),
                        format!(
                            "The category \"{}\" is nested more than {MAX_CATEGORY_DEPTH} levels \
                             deep; categories nest at most {MAX_CATEGORY_DEPTH} levels.",
                            quote(&category.name)
                        ),
                    );
                    break;
                }
                current = parent_of.get(key).copied().flatten();
            }
        }
        keys
    }

    fn entries<'a>(
        &mut self,
        entries: &'a [Entry],
        categories: &HashSet<&str>,
    ) -> HashSet<&'a str> {
        let keys = self.unique_keys(
            "entries",
            entries
                .iter()
                .enumerate()
                .map(|(i, e)| (i, e.key.as_str(), e.name.as_str())),
        );
        for (index, entry) in entries.iter().enumerate() {
            let at = item("entries", index, &entry.name);
            self.name(&format!("{at}.name"), "An entry name", &entry.name);
            self.description(&format!("{at}.description"), &entry.description);
            if !MEDIA_TYPES.contains(&entry.media_type.as_str()) {
                self.fail(
                    format!("{at}.media_type"),
                    format!("The media type must be one of {}.", MEDIA_TYPES.join(", ")),
                );
            }
            self.list(&format!("{at}.tags"), "tags", &entry.tags, |t| {
                !t.contains(',') && t.trim() == t
            });
            if let Some(reference) = &entry.reference_id
                && (reference.trim().is_empty() || reference.chars().count() > MAX_NAME)
            {
                self.fail(
                    format!("{at}.reference_id"),
                    "A reference ID is 1 to 100 characters.",
                );
            }
            self.list(
                &format!("{at}.categories"),
                "categories",
                &entry.categories,
                |_| true,
            );
            for key in &entry.categories {
                if !categories.contains(key.as_str()) {
                    self.fail(
                        format!("{at}.categories"),
                        format!("\"{}\" is not a category of this bundle.", quote(key)),
                    );
                }
            }
        }
        keys
    }

    fn playlists(&mut self, playlists: &[Playlist], entries: &HashSet<&str>) {
        for (index, playlist) in playlists.iter().enumerate() {
            let at = item("playlists", index, &playlist.name);
            self.name(&format!("{at}.name"), "A playlist name", &playlist.name);
            self.description(&format!("{at}.description"), &playlist.description);
            if playlist.entries.len() > MAX_ITEMS_PER_KIND {
                self.fail(
                    format!("{at}.entries"),
                    format!("A playlist holds at most {MAX_ITEMS_PER_KIND} entries."),
                );
            }
            for key in &playlist.entries {
                if !entries.contains(key.as_str()) {
                    self.fail(
                        format!("{at}.entries"),
                        format!("\"{}\" is not an entry of this bundle.", quote(key)),
                    );
                }
            }
        }
    }

    fn roles(&mut self, roles: &[Role]) {
        let mut names = HashSet::new();
        for (index, role) in roles.iter().enumerate() {
            let at = item("roles", index, &role.name);
            self.name(&format!("{at}.name"), "A role name", &role.name);
            if !names.insert(role.name.as_str()) {
                self.fail(
                    format!("{at}.name"),
                    format!("Another role is named \"{}\".", quote(&role.name)),
                );
            }
            self.description(&format!("{at}.description"), &role.description);
            self.list(
                &format!("{at}.permissions"),
                "permissions",
                &role.permissions,
                is_system_name,
            );
        }
    }

    fn dimensions(&mut self, at: &str, width: i64, height: i64) {
        if !(1..=MAX_DIMENSION).contains(&width) {
            self.fail(
                format!("{at}.width"),
                format!("The width must be 1 to {MAX_DIMENSION} pixels, not {width}."),
            );
        }
        if !(1..=MAX_DIMENSION).contains(&height) {
            self.fail(
                format!("{at}.height"),
                format!("The height must be 1 to {MAX_DIMENSION} pixels, not {height}."),
            );
        }
    }

    fn transcoding_profiles(&mut self, profiles: &[TranscodingProfile]) {
        let mut names = HashSet::new();
        for (index, profile) in profiles.iter().enumerate() {
            let at = item("transcoding_profiles", index, &profile.name);
            self.name(&format!("{at}.name"), "A profile name", &profile.name);
            if !names.insert(profile.name.as_str()) {
                self.fail(
                    format!("{at}.name"),
                    format!(
                        "Another transcoding profile is named \"{}\".",
                        quote(&profile.name)
                    ),
                );
            }
            if profile.flavors.len() > MAX_LIST {
                self.fail(
                    format!("{at}.flavors"),
                    format!("A profile has at most {MAX_LIST} flavors."),
                );
            }
            for (f, flavor) in profile.flavors.iter().enumerate() {
                let at = format!("{at}.flavors[{f}]");
                self.name(&format!("{at}.name"), "A flavor name", &flavor.name);
                if !CODECS.contains(&flavor.codec.as_str()) {
                    self.fail(
                        format!("{at}.codec"),
                        format!("The codec must be one of {}.", CODECS.join(", ")),
                    );
                }
                self.dimensions(&at, flavor.width, flavor.height);
                if !(1..=MAX_BITRATE).contains(&flavor.bitrate) {
                    self.fail(
                        format!("{at}.bitrate"),
                        format!(
                            "The bitrate must be 1 to {MAX_BITRATE} kbit/s, not {}.",
                            flavor.bitrate
                        ),
                    );
                }
            }
        }
        self.one_default(
            "transcoding_profiles",
            profiles.iter().map(|p| p.is_default),
        );
    }

    fn one_default(&mut self, kind: &str, defaults: impl Iterator<Item = bool>) {
        let (count, defaults) = defaults.fold((0, 0), |(n, d), is| (n + 1, d + usize::from(is)));
        if count > 0 && defaults != 1 {
            self.fail(
                kind,
                format!(
                    "Exactly one of the {} must be the default, not {defaults}.",
                    kind.replace('_', " ")
                ),
            );
        }
    }

    fn custom_data_schemas(&mut self, schemas: &[CustomDataSchema]) {
        let mut system_names = HashSet::new();
        for (index, schema) in schemas.iter().enumerate() {
            let at = item("custom_data_schemas", index, &schema.name);
            self.name(&format!("{at}.name"), "A schema name", &schema.name);
            if !is_system_name(&schema.system_name) {
                self.fail(format!("{at}.system_name"), "A system name is 1 to 100 lowercase letters, digits and underscores, starting with a letter.");
            } else if !system_names.insert(schema.system_name.as_str()) {
                self.fail(
                    format!("{at}.system_name"),
                    format!(
                        "Another schema has the system name \"{}\".",
                        quote(&schema.system_name)
                    ),
                );
            }
            if schema.fields.len() > MAX_LIST {
                self.fail(
                    format!("{at}.fields"),
                    format!("A schema has at most {MAX_LIST} fields."),
                );
            }
            let mut field_names = HashSet::new();
            for (f, field) in schema.fields.iter().enumerate() {
                let at = format!("{at}.fields[{f}]");
                if !is_system_name(&field.name) {
                    self.fail(format!("{at}.name"), "A field name is lowercase letters, digits and underscores, starting with a letter.");
                } else if !field_names.insert(field.name.as_str()) {
                    self.fail(
                        format!("{at}.name"),
                        format!("Another field is named \"{}\".", quote(&field.name)),
                    );
                }
                if !FIELD_TYPES.contains(&field.kind.as_str()) {
                    self.fail(
                        format!("{at}.type"),
                        format!("The type must be one of {}.", FIELD_TYPES.join(", ")),
                    );
                }
            }
        }
    }

    fn players(&mut self, players: &[Player]) {
        for (index, player) in players.iter().enumerate() {
            let at = item("players", index, &player.name);
            self.name(&format!("{at}.name"), "A player name", &player.name);
            self.dimensions(&at, player.width, player.height);
            if player.settings.len() > MAX_LIST {
                self.fail(
                    format!("{at}.settings"),
                    format!("A player has at most {MAX_LIST} settings."),
                );
            }
            for (name, value) in &player.settings {
                if !is_system_name(name) || value.chars().count() > MAX_DESCRIPTION {
                    self.fail(format!("{at}.settings"), format!("The setting \"{}\" needs a lowercase name and a value of at most {MAX_DESCRIPTION} characters.", quote(name)));
                }
            }
        }
    }

    fn access_control_profiles(&mut self, profiles: &[AccessControlProfile]) {
        let mut names = HashSet::new();
        for (index, profile) in profiles.iter().enumerate() {
            let at = item("access_control_profiles", index, &profile.name);
            self.name(&format!("{at}.name"), "A profile name", &profile.name);
            if !names.insert(profile.name.as_str()) {
                self.fail(
                    format!("{at}.name"),
                    format!(
                        "Another access control profile is named \"{}\".",
                        quote(&profile.name)
                    ),
                );
            }
            let rules = &profile.rules;
            self.list(
                &format!("{at}.rules.allowed_domains"),
                "allowed domains",
                &rules.allowed_domains,
                is_domain,
            );
            self.list(
                &format!("{at}.rules.blocked_domains"),
                "blocked domains",
                &rules.blocked_domains,
                is_domain,
            );
            self.list(
                &format!("{at}.rules.allowed_countries"),
                "allowed countries",
                &rules.allowed_countries,
                is_country,
            );
            self.list(
                &format!("{at}.rules.blocked_countries"),
                "blocked countries",
                &rules.blocked_countries,
                is_country,
            );
            self.list(
                &format!("{at}.rules.allowed_ip_ranges"),
                "allowed IP ranges",
                &rules.allowed_ip_ranges,
                is_ip_range,
            );
            self.list(
                &format!("{at}.rules.blocked_ip_ranges"),
                "blocked IP ranges",
                &rules.blocked_ip_ranges,
                is_ip_range,
            );
        }
        self.one_default(
            "access_control_profiles",
            profiles.iter().map(|p| p.is_default),
        );
    }

    fn feature_permissions(&mut self, names: &[String]) {
        if names.len() > MAX_ITEMS_PER_KIND {
            return;
        }
        let mut seen = HashSet::new();
        for (index, name) in names.iter().enumerate() {
            if !is_system_name(name) {
                self.fail(format!("feature_permissions[{index}]"), format!("\"{}\" is not a feature permission name (lowercase letters, digits, dots and underscores).", quote(name)));
            } else if !seen.insert(name.as_str()) {
                self.fail(
                    format!("feature_permissions[{index}]"),
                    format!("\"{}\" is listed twice.", quote(name)),
                );
            }
        }
    }
}

/// Lowercase letters, digits, `_` and `.`, starting with a letter: names code refers to.
pub fn is_system_name(value: &str) -> bool {
    let mut chars = value.chars();
    value.len() <= MAX_NAME
        && chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
}

fn is_domain(value: &str) -> bool {
    let value = value.strip_prefix("*.").unwrap_or(value);
    value.len() <= 253
        && value.contains('.')
        && value.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

fn is_country(value: &str) -> bool {
    value.len() == 2 && value.chars().all(|c| c.is_ascii_uppercase())
}

fn is_ip_range(value: &str) -> bool {
    let (address, prefix) = match value.split_once('/') {
        Some((address, prefix)) => (address, Some(prefix)),
        None => (value, None),
    };
    let Ok(address) = address.parse::<std::net::IpAddr>() else {
        return false;
    };
    let max = if address.is_ipv4() { 32 } else { 128 };
    prefix.is_none_or(|p| p.parse::<u8>().is_ok_and(|p| p <= max))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_rule_values_are_checked() {
        assert!(is_domain("example.com") && is_domain("*.example.com"));
        assert!(!is_domain("localhost") && !is_domain("bad_domain.com") && !is_domain("-a.com"));
        assert!(is_country("NL") && !is_country("nl") && !is_country("NLD"));
        assert!(
            is_ip_range("192.0.2.0/24") && is_ip_range("2001:db8::/32") && is_ip_range("10.0.0.1")
        );
        assert!(!is_ip_range("192.0.2.0/33") && !is_ip_range("300.1.1.1"));
    }

    #[test]
    fn a_cycle_and_a_dangling_reference_are_named() {
        let mut bundle = Bundle::empty();
        bundle.categories = vec![
            Category {
                key: "a".into(),
                name: "A".into(),
                parent: Some("b".into()),
            },
            Category {
                key: "b".into(),
                name: "B".into(),
                parent: Some("a".into()),
            },
        ];
        bundle.playlists = vec![Playlist {
            name: "P".into(),
            description: String::new(),
            entries: vec!["nope".into()],
        }];
        let Err(Error::Invalid(errors)) = bundle.check() else {
            panic!("invalid")
        };
        assert!(
            errors
                .iter()
                .any(|e| e.field == "categories[0] \"A\".parent" && e.message.contains("cycle"))
        );
        assert!(
            errors
                .iter()
                .any(|e| e.field == "playlists[0] \"P\".entries" && e.message.contains("\"nope\""))
        );
    }

    #[test]
    fn parents_come_first() {
        let mut bundle = Bundle::empty();
        bundle.categories = vec![
            Category {
                key: "child".into(),
                name: "Child".into(),
                parent: Some("root".into()),
            },
            Category {
                key: "root".into(),
                name: "Root".into(),
                parent: None,
            },
        ];
        let bundle = bundle.check().unwrap();
        let order: Vec<_> = bundle
            .categories_parents_first()
            .iter()
            .map(|c| c.key.as_str())
            .collect();
        assert_eq!(order, ["root", "child"]);
    }
}
