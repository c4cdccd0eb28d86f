//! Checking a bundle whole: every problem found and reported at once, each under
//! the path of its item (`entries[3] "Intro"`), before anything is written.

use std::collections::{HashMap, HashSet};

use super::*;
use crate::error::{Error, FieldError};

impl Bundle {
    /// Checks the whole bundle; every problem is reported, each naming its item.
    pub(super) fn validate(&self) -> Result<(), Error> {
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
        v.totals(self);
        // Past a limit nothing more is looked at: a bundle of millions of references
        // would otherwise get millions of messages.
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
}

/// Collects every problem of a bundle, each under the path of its item.
#[derive(Default)]
struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    /// The totals that bound what the import writes, each message naming its limit.
    fn totals(&mut self, bundle: &Bundle) {
        let playlist_entries: usize = bundle.playlists.iter().map(|p| p.entries.len()).sum();
        let entry_categories: usize = bundle.entries.iter().map(|e| e.categories.len()).sum();
        let flavors: usize = bundle
            .transcoding_profiles
            .iter()
            .map(|p| p.flavors.len())
            .sum();
        for (field, what, count, limit) in [
            (
                "playlists",
                "playlist entries (all playlists together)",
                playlist_entries,
                MAX_PLAYLIST_ENTRIES,
            ),
            (
                "entries",
                "category assignments of entries (all entries together)",
                entry_categories,
                MAX_ENTRY_CATEGORIES,
            ),
            (
                "transcoding_profiles",
                "flavors (all profiles together)",
                flavors,
                MAX_FLAVORS,
            ),
        ] {
            if count > limit {
                self.fail(
                    field,
                    format!("A bundle holds at most {limit} {what}, not {count}."),
                );
            }
        }
        let items: usize = bundle
            .counts()
            .by_kind()
            .map(|(_, count)| count.max(0) as usize)
            .sum();
        let rows = items + playlist_entries + entry_categories + flavors;
        if rows > MAX_ROWS {
            self.fail(
                "bundle",
                format!(
                    "A bundle holds at most {MAX_ROWS} rows in all (items, playlist entries, \
                     category assignments and flavors), not {rows}."
                ),
            );
        }
    }
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
        if let Some(message) = crate::domain::text::exact_name(value, label, MAX_NAME) {
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

    #[test]
    fn references_are_bounded_in_all_not_only_per_playlist() {
        // The attack: each playlist within its own limit, millions of rows together.
        let mut bundle = Bundle::empty();
        bundle.entries = vec![Entry {
            key: "e0".into(),
            name: "E".into(),
            description: String::new(),
            media_type: "video".into(),
            tags: Vec::new(),
            reference_id: None,
            categories: Vec::new(),
        }];
        bundle.playlists = (0..390)
            .map(|i| Playlist {
                name: format!("P{i}"),
                description: String::new(),
                entries: vec!["e0".into(); 10_000],
            })
            .collect();
        let Err(Error::Invalid(errors)) = bundle.clone().check() else {
            panic!("invalid")
        };
        let messages: Vec<_> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                (
                    "playlists",
                    "A bundle holds at most 20000 playlist entries (all playlists together), not 3900000."
                ),
                (
                    "bundle",
                    "A bundle holds at most 60000 rows in all (items, playlist entries, category \
                     assignments and flavors), not 3900391."
                ),
            ],
            "one message per limit, nothing item by item"
        );

        // At the limits themselves, the bundle is accepted.
        bundle.playlists.truncate(2);
        bundle
            .playlists
            .iter_mut()
            .for_each(|p| p.entries.truncate(MAX_PLAYLIST_ENTRIES / 2));
        assert!(bundle.check().is_ok());
    }
}
