//! Upgrade requests: an administrator whose organization needs more accounts or
//! users asks the vendor's operator, who answers by setting a larger quota.

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, FieldErrors};

/// What an organization asks more of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UpgradeKind {
    Accounts,
    Users,
}

impl UpgradeKind {
    pub const ALL: [UpgradeKind; 2] = [UpgradeKind::Accounts, UpgradeKind::Users];

    pub fn as_db(self) -> &'static str {
        match self {
            UpgradeKind::Accounts => "accounts",
            UpgradeKind::Users => "users",
        }
    }

    pub fn from_db(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_db() == raw)
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::from_db(raw).ok_or_else(|| "Ask for more accounts or more users.".to_owned())
    }
}

/// The most one request may ask for: far beyond any real need, and a bound on the
/// number an operator reads.
pub const MAX_UPGRADE: i64 = 100_000;

/// How long a request's message may be.
pub const MAX_UPGRADE_MESSAGE_CHARS: usize = 1_000;

/// The dialog's fields, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpgradeForm {
    pub how_many: String,
    pub message: String,
}

/// A request, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewUpgradeRequest {
    pub how_many: i64,
    /// Trimmed and composed (NFC); line breaks kept, nothing else invisible.
    pub message: String,
}

impl NewUpgradeRequest {
    pub fn parse(form: &UpgradeForm) -> Result<Self, Vec<FieldError>> {
        let mut errors = FieldErrors::default();
        let how_many = errors.check("how_many", how_many(&form.how_many));
        let message = errors.check("message", message(&form.message));
        let errors = errors.into_vec();
        match (how_many, message) {
            (Some(how_many), Some(message)) if errors.is_empty() => Ok(Self { how_many, message }),
            _ => Err(errors),
        }
    }
}

fn how_many(raw: &str) -> Result<i64, String> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (1..=MAX_UPGRADE).contains(n))
        .ok_or_else(|| format!("Give a whole number from 1 to {MAX_UPGRADE}."))
}

fn message(raw: &str) -> Result<String, String> {
    let text = raw.replace("\r\n", "\n");
    let text = text.trim();
    let length = text.chars().count();
    if length > MAX_UPGRADE_MESSAGE_CHARS {
        return Err(format!(
            "The message must be at most {MAX_UPGRADE_MESSAGE_CHARS} characters; this one has {length}."
        ));
    }
    // Line breaks are welcome in a message; every line is held to the rule for names.
    text.split('\n')
        .map(|line| super::text::readable(line, "The message"))
        .collect::<Result<Vec<_>, _>>()
        .map(|lines| lines.join("\n"))
}

/// A pending request, as the tab shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpgradeRequestView {
    pub kind: UpgradeKind,
    pub how_many: i64,
    pub message: String,
    pub requested_by: String,
    /// When, as the console shows dates.
    pub requested_at: String,
}

impl UpgradeRequestView {
    /// "Upgrade requested: 50 more accounts, by … on …."
    pub fn pending_line(&self) -> String {
        format!(
            "Upgrade requested: {} more {}, by {} on {}. It is pending with your Umbrella \
             representative.",
            super::bulk::thousands(self.how_many),
            self.kind.as_db(),
            self.requested_by,
            self.requested_at
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(how_many: &str, message: &str) -> UpgradeForm {
        UpgradeForm {
            how_many: how_many.to_owned(),
            message: message.to_owned(),
        }
    }

    #[test]
    fn a_request_names_a_number_in_range_and_a_readable_message() {
        let ok =
            NewUpgradeRequest::parse(&form(" 50 ", "  New term.\r\nTwo faculties.  ")).unwrap();
        assert_eq!(ok.how_many, 50);
        assert_eq!(ok.message, "New term.\nTwo faculties.");
        assert!(
            NewUpgradeRequest::parse(&form("1", "")).is_ok(),
            "the message is optional"
        );
        for bad in ["0", "-3", "100001", "ten", ""] {
            let errors = NewUpgradeRequest::parse(&form(bad, "")).unwrap_err();
            assert_eq!(errors[0].field, "how_many", "{bad}");
        }
        let errors = NewUpgradeRequest::parse(&form("5", "evil\u{202E}text")).unwrap_err();
        assert_eq!(errors[0].field, "message");
        let long = "x".repeat(MAX_UPGRADE_MESSAGE_CHARS + 1);
        assert!(NewUpgradeRequest::parse(&form("5", &long)).is_err());
    }
}
