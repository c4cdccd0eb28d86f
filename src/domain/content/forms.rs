//! The console's forms for entries, categories and playlists: raw text in, checked
//! values out, every problem under its field's name.

use serde::{Deserialize, Serialize};

use super::bundle::{MAX_DESCRIPTION, MAX_NAME, MEDIA_TYPES};
use crate::domain::{CategoryId, EntryId};
use crate::error::{Error, FieldErrors, Result};

const MAX_TAGS: usize = 100;
/// More categories or playlist items than a form can sensibly carry.
const MAX_CHOICES: usize = 10_000;

fn name(raw: &str, label: &str) -> Result<String, String> {
    crate::domain::text::name(raw, label, MAX_NAME)
}

fn description(raw: &str) -> Result<String, String> {
    let value = raw.trim();
    match value.chars().count() {
        n if n > MAX_DESCRIPTION => Err(format!(
            "A description is at most {MAX_DESCRIPTION} characters; this one has {n}."
        )),
        _ => Ok(value.to_owned()),
    }
}

fn choices<Id: Copy>(ids: &[Id], what: &str) -> Result<Vec<Id>, String> {
    if ids.len() > MAX_CHOICES {
        Err(format!("Choose at most {MAX_CHOICES} {what}."))
    } else {
        Ok(ids.to_vec())
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryForm {
    pub name: String,
    pub description: String,
    pub media_type: String,
    /// Comma-separated, as typed.
    pub tags: String,
    pub reference_id: String,
    pub categories: Vec<CategoryId>,
}

/// A checked entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryValues {
    pub name: String,
    pub description: String,
    pub media_type: String,
    pub tags: Vec<String>,
    pub reference_id: Option<String>,
    pub categories: Vec<CategoryId>,
}

impl EntryForm {
    pub fn parse(&self) -> Result<EntryValues> {
        let mut errors = FieldErrors::default();
        let name = errors.check("name", name(&self.name, "An entry name"));
        let description = errors.check("description", description(&self.description));
        let media_type = errors.check(
            "media_type",
            MEDIA_TYPES
                .iter()
                .find(|t| **t == self.media_type)
                .map(|t| (*t).to_owned())
                .ok_or_else(|| format!("Choose a media type: {}.", MEDIA_TYPES.join(", "))),
        );
        let tags = errors.check("tags", parse_tags(&self.tags));
        let reference_id = errors.check(
            "reference_id",
            match self.reference_id.trim() {
                "" => Ok(None),
                r if r.chars().count() > MAX_NAME => {
                    Err(format!("A reference ID is at most {MAX_NAME} characters."))
                }
                r => Ok(Some(r.to_owned())),
            },
        );
        let categories = errors.check("categories", choices(&self.categories, "categories"));
        match (
            name,
            description,
            media_type,
            tags,
            reference_id,
            categories,
        ) {
            (
                Some(name),
                Some(description),
                Some(media_type),
                Some(tags),
                Some(reference_id),
                Some(mut categories),
            ) if errors.is_empty() => {
                categories.sort_unstable();
                categories.dedup();
                Ok(EntryValues {
                    name,
                    description,
                    media_type,
                    tags,
                    reference_id,
                    categories,
                })
            }
            _ => Err(Error::Invalid(errors.into_vec())),
        }
    }
}

fn parse_tags(raw: &str) -> Result<Vec<String>, String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in raw.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        if tag.chars().count() > MAX_NAME {
            return Err(format!("A tag is at most {MAX_NAME} characters."));
        }
        if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_owned());
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(format!("An entry has at most {MAX_TAGS} tags."));
    }
    Ok(tags)
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryForm {
    pub name: String,
    /// The parent category's ID; none for a top-level category.
    pub parent: Option<CategoryId>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryValues {
    pub name: String,
    pub parent: Option<CategoryId>,
}

impl CategoryForm {
    pub fn parse(&self) -> Result<CategoryValues> {
        let name = name(&self.name, "A category name").map_err(|m| Error::invalid("name", m))?;
        Ok(CategoryValues {
            name,
            parent: self.parent,
        })
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaylistForm {
    pub name: String,
    pub description: String,
    /// Entry IDs in play order.
    pub entries: Vec<EntryId>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlaylistValues {
    pub name: String,
    pub description: String,
    pub entries: Vec<EntryId>,
}

impl PlaylistForm {
    pub fn parse(&self) -> Result<PlaylistValues> {
        let mut errors = FieldErrors::default();
        let name = errors.check("name", name(&self.name, "A playlist name"));
        let description = errors.check("description", description(&self.description));
        let entries = errors.check("entries", choices(&self.entries, "entries"));
        match (name, description, entries) {
            (Some(name), Some(description), Some(entries)) => Ok(PlaylistValues {
                name,
                description,
                entries,
            }),
            _ => Err(Error::Invalid(errors.into_vec())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_split_trimmed_and_deduplicated() {
        assert_eq!(
            parse_tags(" news, sport ,,news").unwrap(),
            ["news", "sport"]
        );
    }

    #[test]
    fn a_bad_entry_names_each_field() {
        let form = EntryForm {
            media_type: "film".into(),
            ..EntryForm::default()
        };
        let Err(Error::Invalid(errors)) = form.parse() else {
            panic!("invalid")
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "media_type"]);
    }
}
