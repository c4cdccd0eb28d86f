//! The Multi Account list's state, as it lives in the URL: read from the query
//! string, and written back into links, so a reload or a shared link shows the
//! same view.

use leptos_router::params::ParamsMap;

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ListParams {
    pub status: String,
    pub mode: String,
    pub q: String,
    pub sort: String,
    pub size: String,
    pub after: String,
}

impl ListParams {
    pub fn from_query(query: &ParamsMap) -> Self {
        let get = |name: &str| query.get(name).unwrap_or_default();
        Self {
            status: get("status"),
            mode: get("mode"),
            q: get("q"),
            sort: get("sort"),
            size: get("size"),
            after: get("after"),
        }
    }

    /// The parameter as the server function takes it: absent when empty.
    pub fn optional(value: &str) -> Option<String> {
        (!value.is_empty()).then(|| value.to_owned())
    }

    /// The same view from its first page: what every change of filter, search,
    /// sort or size starts from.
    pub fn first_page(&self) -> Self {
        Self {
            after: String::new(),
            ..self.clone()
        }
    }

    /// The view's other parameters as a form's hidden fields carry them (first page),
    /// for a plain GET form that changes `except` alone.
    pub fn kept_fields(&self, except: &str) -> Vec<(&'static str, String)> {
        [
            ("status", &self.status),
            ("mode", &self.mode),
            ("q", &self.q),
            ("sort", &self.sort),
            ("size", &self.size),
        ]
        .into_iter()
        .filter(|(name, value)| *name != except && !value.is_empty())
        .map(|(name, value)| (name, value.clone()))
        .collect()
    }

    /// The CSV export of this view: its filter, search and order, every page.
    pub fn export_href(&self) -> String {
        with_query(
            "/multi-account/export.csv",
            &[
                ("status", &self.status),
                ("mode", &self.mode),
                ("q", &self.q),
                ("sort", &self.sort),
            ],
        )
    }

    /// The URL of this view.
    pub fn href(&self) -> String {
        with_query(
            "/multi-account",
            &[
                ("status", &self.status),
                ("mode", &self.mode),
                ("q", &self.q),
                ("sort", &self.sort),
                ("size", &self.size),
                ("after", &self.after),
            ],
        )
    }
}

/// `path`, with the pairs whose value is not empty as its query string.
fn with_query(path: &str, pairs: &[(&str, &String)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| format!("{name}={}", percent_encode(value)))
        .collect();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// Percent-encodes everything but the unreserved characters: safe in a query string and
/// in a `data:` URL alike. The one encoder of the browser's code (`percent-encoding`,
/// which the server's `form_urlencoded` builds on).
pub fn percent_encode(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, UNRESERVED_KEPT).to_string()
}

/// Everything but RFC 3986's unreserved characters (letters, digits, `-._~`).
const UNRESERVED_KEPT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_carry_only_what_is_set_and_encode_it() {
        assert_eq!(ListParams::default().href(), "/multi-account");
        let params = ListParams {
            status: "all".into(),
            q: "a&b c/é".into(),
            after: "c1_2".into(),
            ..Default::default()
        };
        assert_eq!(
            params.href(),
            "/multi-account?status=all&q=a%26b%20c%2F%C3%A9&after=c1_2"
        );
        assert_eq!(
            params.first_page().href(),
            "/multi-account?status=all&q=a%26b%20c%2F%C3%A9"
        );
    }
}
