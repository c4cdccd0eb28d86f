//! What the accounts list may be asked: a status filter, a search, a sort order,
//! a page size and where the page starts. Each part parses from the text of a URL
//! and refuses what it cannot understand with a message naming the parameter.

use crate::clock::Timestamp;
use crate::domain::{PartnerId, Status};
use crate::error::FieldError;

/// How the search box's text is matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchMode {
    /// The exact Partner ID.
    PartnerId,
    /// A substring of the account name, ignoring case.
    AccountName,
    /// A substring of the account name, website URL, administrator name or email.
    FreeText,
}

impl SearchMode {
    /// In the order the search bar offers them.
    pub const ALL: [SearchMode; 3] = [
        SearchMode::PartnerId,
        SearchMode::AccountName,
        SearchMode::FreeText,
    ];

    /// The mode as a URL names it.
    pub fn as_param(self) -> &'static str {
        match self {
            SearchMode::PartnerId => "partner",
            SearchMode::AccountName => "name",
            SearchMode::FreeText => "text",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SearchMode::PartnerId => "Partner ID",
            SearchMode::AccountName => "Account Name",
            SearchMode::FreeText => "Free text",
        }
    }

    /// Empty means free text, the default.
    pub fn parse(raw: &str) -> Result<Self, String> {
        if raw.is_empty() {
            return Ok(SearchMode::FreeText);
        }
        Self::ALL
            .into_iter()
            .find(|mode| mode.as_param() == raw)
            .ok_or_else(|| format!("Unknown search mode {raw:?}: use partner, name or text."))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Search {
    PartnerId(PartnerId),
    /// Lower-cased text to find in the account name.
    AccountName(String),
    /// Lower-cased text to find in any searchable field.
    FreeText(String),
}

impl Search {
    pub const MAX_CHARS: usize = 200;
    /// [`Search::MAX_CHARS`] as the search box's `maxlength` attribute.
    pub const MAX_CHARS_ATTRIBUTE: &'static str = "200";

    /// `None` when the text is blank: no search.
    pub fn parse(mode: SearchMode, raw: &str) -> Result<Option<Self>, String> {
        // No stored name or address holds a control character, so none can help a
        // search, and some (NUL) no database would take.
        let cleaned: String = raw.chars().filter(|c| !c.is_control()).collect();
        let text = cleaned.trim();
        if text.is_empty() {
            return Ok(None);
        }
        if text.chars().count() > Self::MAX_CHARS {
            return Err(format!(
                "Search for at most {} characters.",
                Self::MAX_CHARS
            ));
        }
        Ok(Some(match mode {
            SearchMode::PartnerId => Search::PartnerId(PartnerId::parse(text)?),
            SearchMode::AccountName => Search::AccountName(text.to_lowercase()),
            SearchMode::FreeText => Search::FreeText(text.to_lowercase()),
        }))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    Created,
    PartnerId,
    Name,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Asc,
    Desc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub direction: Direction,
}

impl Default for Sort {
    /// Newest first.
    fn default() -> Self {
        Self {
            key: SortKey::Created,
            direction: Direction::Desc,
        }
    }
}

impl Sort {
    /// `created`, `partner` or `name`, optionally prefixed with `-` for descending.
    pub fn parse(raw: &str) -> Result<Self, String> {
        if raw.is_empty() {
            return Ok(Self::default());
        }
        let (direction, name) = match raw.strip_prefix('-') {
            Some(name) => (Direction::Desc, name),
            None => (Direction::Asc, raw),
        };
        let key = match name {
            "created" => SortKey::Created,
            "partner" => SortKey::PartnerId,
            "name" => SortKey::Name,
            other => {
                return Err(format!(
                    "Unknown sort {other:?}: use created, partner or name, with - for descending."
                ));
            }
        };
        Ok(Self { key, direction })
    }
}

/// Where a page starts: just after this account in the chosen order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub key: CursorKey,
    pub partner_id: PartnerId,
}

/// The sort column's value of the account the cursor points after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CursorKey {
    Created(Timestamp),
    PartnerId,
    Name(String),
}

impl Cursor {
    pub fn after(account: &crate::domain::Account, sort: SortKey) -> Self {
        Self {
            key: match sort {
                SortKey::Created => CursorKey::Created(account.created_at),
                SortKey::PartnerId => CursorKey::PartnerId,
                SortKey::Name => CursorKey::Name(account.name.as_str().to_owned()),
            },
            partner_id: account.partner_id,
        }
    }

    /// The cursor as it travels in a URL: opaque, but only letters, digits and `_`.
    pub fn to_token(&self) -> String {
        match &self.key {
            CursorKey::Created(at) => format!("c{}_{}", at.millis(), self.partner_id),
            CursorKey::PartnerId => format!("p_{}", self.partner_id),
            CursorKey::Name(name) => format!("n{}_{}", hex::encode(name), self.partner_id),
        }
    }

    /// Reads a token made by [`Cursor::to_token`] for the same sort order.
    pub fn parse(token: &str, sort: SortKey) -> Result<Self, String> {
        let invalid = || "This page link is not valid; go back to the first page.".to_owned();
        let (head, partner) = token.rsplit_once('_').ok_or_else(invalid)?;
        let partner_id = PartnerId::new(partner.parse().map_err(|_| invalid())?);
        let key = match (sort, head.split_at_checked(1)) {
            (SortKey::Created, Some(("c", millis))) => CursorKey::Created(Timestamp::from_millis(
                millis.parse().map_err(|_| invalid())?,
            )),
            (SortKey::PartnerId, Some(("p", ""))) => CursorKey::PartnerId,
            (SortKey::Name, Some(("n", name))) => CursorKey::Name(
                String::from_utf8(hex::decode(name).map_err(|_| invalid())?)
                    .map_err(|_| invalid())?,
            ),
            _ => return Err(invalid()),
        };
        Ok(Self { key, partner_id })
    }
}

/// Which accounts to list, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountQuery {
    pub statuses: Vec<Status>,
    pub search: Option<Search>,
    pub sort: Sort,
    pub after: Option<Cursor>,
    pub limit: i64,
}

impl AccountQuery {
    pub const PAGE_SIZES: [i64; 4] = [25, 50, 100, Self::MAX_PAGE_SIZE];
    pub const MAX_PAGE_SIZE: i64 = 200;
    pub const DEFAULT_PAGE_SIZE: i64 = 50;

    /// The list as the tab first shows it: Active and Blocked, newest first.
    pub fn default_view() -> Self {
        Self {
            statuses: vec![Status::Active, Status::Blocked],
            search: None,
            sort: Sort::default(),
            after: None,
            limit: Self::DEFAULT_PAGE_SIZE,
        }
    }

    /// Reads the list's URL parameters, reporting every bad one under its name.
    pub fn parse(params: &QueryParams) -> Result<Self, Vec<FieldError>> {
        let mut errors = crate::error::FieldErrors::default();
        let statuses = errors.check("status", Status::parse_filter(params.status.as_deref()));
        let mode = errors.check(
            "mode",
            SearchMode::parse(params.mode.as_deref().unwrap_or("")),
        );
        let search = mode.and_then(|mode| {
            errors.check("q", Search::parse(mode, params.q.as_deref().unwrap_or("")))
        });
        let sort = errors.check("sort", Sort::parse(params.sort.as_deref().unwrap_or("")));
        let limit = errors.check("size", parse_page_size(params.size.as_deref()));
        let after = match (&sort, params.after.as_deref().filter(|t| !t.is_empty())) {
            (Some(sort), Some(token)) => errors
                .check("after", Cursor::parse(token, sort.key).map(Some))
                .flatten(),
            _ => None,
        };
        match (statuses, search, sort, limit) {
            (Some(statuses), Some(search), Some(sort), Some(limit)) if errors.is_empty() => {
                Ok(Self {
                    statuses,
                    search,
                    sort,
                    after,
                    limit,
                })
            }
            _ => Err(errors.into_vec()),
        }
    }
}

fn parse_page_size(raw: Option<&str>) -> Result<i64, String> {
    let sizes = AccountQuery::PAGE_SIZES;
    match raw.filter(|s| !s.is_empty()) {
        None => Ok(AccountQuery::DEFAULT_PAGE_SIZE),
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|size| sizes.contains(size))
            .ok_or_else(|| format!("Choose a page size of {sizes:?}.")),
    }
}

/// The list's URL parameters, as text.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct QueryParams {
    pub status: Option<String>,
    pub mode: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
    pub size: Option<String>,
    pub after: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_parse_by_mode() {
        assert_eq!(Search::parse(SearchMode::FreeText, "  ").unwrap(), None);
        assert_eq!(
            Search::parse(SearchMode::AccountName, " Arts ").unwrap(),
            Some(Search::AccountName("arts".into()))
        );
        assert_eq!(
            Search::parse(SearchMode::PartnerId, "6475").unwrap(),
            Some(Search::PartnerId(PartnerId::new(6475)))
        );
        assert!(Search::parse(SearchMode::PartnerId, "64x").is_err());
        assert!(Search::parse(SearchMode::PartnerId, "-3").is_err());
        assert!(Search::parse(SearchMode::FreeText, &"x".repeat(201)).is_err());
        assert_eq!(
            Search::parse(SearchMode::FreeText, "ar\u{0}ts\n").unwrap(),
            Some(Search::FreeText("arts".into()))
        );
    }

    #[test]
    fn the_search_box_limit_is_the_rule() {
        assert_eq!(Search::MAX_CHARS_ATTRIBUTE, Search::MAX_CHARS.to_string());
    }

    #[test]
    fn sorts_parse_with_direction() {
        assert_eq!(Sort::parse("").unwrap(), Sort::default());
        assert_eq!(
            Sort::parse("name").unwrap(),
            Sort {
                key: SortKey::Name,
                direction: Direction::Asc
            }
        );
        assert_eq!(
            Sort::parse("-partner").unwrap(),
            Sort {
                key: SortKey::PartnerId,
                direction: Direction::Desc
            }
        );
        assert!(Sort::parse("email").is_err());
    }

    #[test]
    fn cursors_round_trip_and_belong_to_their_sort() {
        let cursors = [
            Cursor {
                key: CursorKey::Created(Timestamp::from_millis(1_700_000_000_123)),
                partner_id: PartnerId::new(7),
            },
            Cursor {
                key: CursorKey::PartnerId,
                partner_id: PartnerId::new(8),
            },
            Cursor {
                key: CursorKey::Name("Ünï_code \"name\"".into()),
                partner_id: PartnerId::new(9),
            },
        ];
        for (cursor, sort) in
            cursors
                .iter()
                .zip([SortKey::Created, SortKey::PartnerId, SortKey::Name])
        {
            let token = cursor.to_token();
            assert!(
                token.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "{token}"
            );
            assert_eq!(&Cursor::parse(&token, sort).unwrap(), cursor);
        }
        assert!(Cursor::parse(&cursors[0].to_token(), SortKey::Name).is_err());
        for bad in ["", "x", "c_1", "cabc_1", "nzz_1", "p_", "p_x"] {
            assert!(Cursor::parse(bad, SortKey::Created).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_bad_parameter_is_named() {
        let params = QueryParams {
            status: Some("gone".into()),
            mode: Some("partner".into()),
            q: Some("abc".into()),
            sort: Some("size".into()),
            size: Some("7".into()),
            after: None,
        };
        let fields: Vec<_> = AccountQuery::parse(&params)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["status", "q", "sort", "size"]);
        assert_eq!(
            AccountQuery::parse(&QueryParams::default()).unwrap(),
            AccountQuery::default_view()
        );
    }
}
