//! The audit log's vocabulary: what an entry records, how an attempt ended, and the
//! Audit tab's filter. The browser shares it (the filter's choices and labels).

use chrono::{NaiveDate, TimeZone, Utc};

use super::PartnerId;
use crate::clock::Timestamp;
use crate::error::{Error, FieldErrors, Result};

macro_rules! audit_actions {
    ($($variant:ident => ($code:literal, $label:literal),)*) => {
        /// What an entry records. Every change the console, the API or an operator
        /// command makes is one of these.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum AuditAction {
            $($variant,)*
        }

        impl AuditAction {
            pub const ALL: &'static [AuditAction] = &[$(AuditAction::$variant,)*];

            /// The code stored in the log, e.g. `account.create`.
            pub fn code(self) -> &'static str {
                match self {
                    $(AuditAction::$variant => $code,)*
                }
            }

            /// What the Audit tab calls it.
            pub fn label(self) -> &'static str {
                match self {
                    $(AuditAction::$variant => $label,)*
                }
            }
        }
    };
}

audit_actions! {
    AccountCreate => ("account.create", "Create account"),
    AccountBlock => ("account.block", "Block account"),
    AccountUnblock => ("account.unblock", "Unblock account"),
    AccountRemove => ("account.remove", "Remove account"),
    AccountDelete => ("account.delete", "Delete account"),
    AccountsExport => ("accounts.export", "Export accounts (CSV)"),
    AccountsBulk => ("accounts.bulk", "Bulk action"),
    UpgradeRequest => ("upgrade.request", "Request upgrade"),
    CmsLoginStart => ("cms_login.start", "CMS Login"),
    CmsLoginEnd => ("cms_login.end", "End CMS Login"),
    UserActivate => ("user.activate", "Activate by link"),
    UserActivationResend => ("user.activation_resend", "Send a new activation link"),
    UserAdd => ("user.add", "Add user"),
    UserDeactivate => ("user.deactivate", "Deactivate user"),
    UserReactivate => ("user.reactivate", "Reactivate user"),
    UserRemove => ("user.remove", "Remove user"),
    UserRole => ("user.role", "Change user role"),
    ContentSave => ("content.save", "Save content"),
    ContentDelete => ("content.delete", "Delete content"),
    ContentImport => ("content.import", "Import content"),
    OrganizationCreate => ("organization.create", "Create organization"),
    OrganizationQuota => ("organization.quota", "Set quota"),
    OrganizationCopyLimits => ("organization.copy_limits", "Set copy limits"),
    TemplateSet => ("template.set", "Mark template"),
    TemplateUnset => ("template.unset", "Unmark template"),
    TemplateDefault => ("template.default", "Set default template"),
    ApiTokenCreate => ("api_token.create", "Create API token"),
    ApiTokenRevoke => ("api_token.revoke", "Revoke API token"),
}

impl AuditAction {
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|a| a.code() == code)
    }
}

impl crate::domain::AccountAction {
    /// The entry a status change writes.
    pub fn audit_action(self) -> AuditAction {
        match self {
            crate::domain::AccountAction::Block => AuditAction::AccountBlock,
            crate::domain::AccountAction::Unblock => AuditAction::AccountUnblock,
            crate::domain::AccountAction::Remove => AuditAction::AccountRemove,
        }
    }
}

/// The label of a stored action code, or the code itself for one this build does
/// not know (a newer build may have written it).
pub fn action_label(code: &str) -> &str {
    match AuditAction::from_code(code) {
        Some(action) => action.label(),
        None => code,
    }
}

/// How an attempt ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum AuditOutcome {
    Done,
    /// A rule said no (the caller may act on the reason).
    Refused,
    /// Something broke (the database, a bug).
    Failed,
}

impl AuditOutcome {
    pub const ALL: [AuditOutcome; 3] = [
        AuditOutcome::Done,
        AuditOutcome::Refused,
        AuditOutcome::Failed,
    ];

    /// As stored and as the operator's listing prints it.
    pub fn as_db(self) -> &'static str {
        match self {
            AuditOutcome::Done => "done",
            AuditOutcome::Refused => "refused",
            AuditOutcome::Failed => "failed",
        }
    }

    pub fn from_db(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_db() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            AuditOutcome::Done => "Done",
            AuditOutcome::Refused => "Refused",
            AuditOutcome::Failed => "Failed",
        }
    }
}

/// One entry, as it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub organization_id: Option<i64>,
    pub actor: String,
    pub acting_as: Option<String>,
    /// The stored code: [`AuditAction::code`], or one a newer build wrote.
    pub action: String,
    pub partner_id: Option<i64>,
    /// The account's name where the entry names one that still exists (filled in
    /// for the Audit tab; the log itself keeps the ID).
    pub account_name: Option<String>,
    pub address: String,
    pub outcome: AuditOutcome,
    /// Why it was refused, or what it did.
    pub detail: String,
}

/// The Audit tab's filter, as the URL gives it; [`AuditFilter::parse`] checks it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilterForm {
    pub partner_id: String,
    pub action: String,
    /// `YYYY-MM-DD`, from the start of that day (UTC).
    pub from: String,
    /// `YYYY-MM-DD`, to the end of that day (UTC).
    pub to: String,
    /// Where the previous page ended ([`AuditCursor::to_token`]).
    pub before: String,
}

/// A checked filter: entries newest first, keyset-paged by (time, ID).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub partner_id: Option<PartnerId>,
    /// Entries about accounts whose name contains this (the Account field given a
    /// name rather than a Partner ID).
    pub account_name: Option<String>,
    pub action: Option<AuditAction>,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    pub before: Option<AuditCursor>,
}

/// Where a page of the log ended: the time and ID of its last (oldest) entry.
/// Entries are ordered by time, then ID, so that a time range and a page are one
/// range of the same index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct AuditCursor {
    pub at: i64,
    pub id: i64,
}

impl AuditCursor {
    pub fn of(entry: &AuditEntry) -> Self {
        Self {
            at: entry.at,
            id: entry.id,
        }
    }

    /// `1764264605000.42`: for the "Older entries" link.
    pub fn to_token(self) -> String {
        format!("{}.{}", self.at, self.id)
    }

    pub fn parse(token: &str) -> Option<Self> {
        let (at, id) = token.split_once('.')?;
        Some(Self {
            at: at.parse().ok()?,
            id: id.parse().ok()?,
        })
    }
}

/// How many entries a page of the Audit tab holds.
pub const AUDIT_PAGE_SIZE: i64 = 50;

impl AuditFilter {
    pub fn parse(form: &AuditFilterForm) -> Result<Self> {
        let mut errors = FieldErrors::default();
        let present = |raw: &str| {
            Some(raw.trim())
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        // The Account field takes a Partner ID or (anything else) a part of a name.
        let (partner_id, account_name) = match present(&form.partner_id) {
            None => (None, None),
            Some(raw) if raw.bytes().all(|b| b.is_ascii_digit()) => {
                (errors.check("partner_id", PartnerId::parse(&raw)), None)
            }
            Some(raw) => (
                None,
                errors.check(
                    "partner_id",
                    crate::domain::Search::parse(crate::domain::SearchMode::AccountName, &raw)
                        .map(|_| raw.clone()),
                ),
            ),
        };
        let action = present(&form.action).and_then(|raw| {
            errors.check(
                "action",
                AuditAction::from_code(&raw)
                    .ok_or_else(|| "Choose an action from the list.".to_owned()),
            )
        });
        let from = present(&form.from).and_then(|raw| errors.check("from", day_start(&raw, 0)));
        let to = present(&form.to).and_then(|raw| errors.check("to", day_start(&raw, 1)));
        if let (Some(from), Some(to)) = (from, to)
            && to <= from
        {
            errors.push(crate::error::FieldError::new(
                "to",
                "The end date must not be before the start date.",
            ));
        }
        let before = present(&form.before).and_then(|raw| {
            errors.check(
                "before",
                AuditCursor::parse(&raw).ok_or_else(|| {
                    "The page token is not valid; start from the first page.".to_owned()
                }),
            )
        });
        if !errors.is_empty() {
            return Err(Error::Invalid(errors.into_vec()));
        }
        Ok(Self {
            partner_id,
            account_name,
            action,
            from,
            to,
            before,
        })
    }
}

/// Midnight (UTC) at the start of the day `days_later` after the given date.
fn day_start(raw: &str, days_later: i64) -> Result<Timestamp, String> {
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| format!("\"{raw}\" is not a date; write it as YYYY-MM-DD."))?;
    let midnight = date
        .and_hms_opt(0, 0, 0)
        .map(|t| Utc.from_utc_datetime(&t).timestamp_millis())
        .ok_or_else(|| format!("\"{raw}\" is not a date; write it as YYYY-MM-DD."))?;
    Ok(Timestamp::from_millis(midnight).plus_seconds(days_later * 24 * 60 * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_filter_whole_days() {
        let form = AuditFilterForm {
            from: "2026-11-27".to_owned(),
            to: "2026-11-27".to_owned(),
            ..Default::default()
        };
        let filter = AuditFilter::parse(&form).expect("valid");
        let (from, to) = (filter.from.expect("from"), filter.to.expect("to"));
        assert_eq!(to.millis() - from.millis(), 24 * 60 * 60 * 1000);
    }

    #[test]
    fn bad_filters_name_their_fields() {
        let form = AuditFilterForm {
            // Digits are a Partner ID, and there is no account 0 (a name is any
            // other text, tested with the log).
            partner_id: "0".to_owned(),
            action: "account.explode".to_owned(),
            from: "27.11.2026".to_owned(),
            to: String::new(),
            before: "z".to_owned(),
        };
        let Err(Error::Invalid(errors)) = AuditFilter::parse(&form) else {
            panic!("expected field errors");
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["partner_id", "action", "from", "before"]);
    }

    #[test]
    fn codes_and_outcomes_round_trip() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::from_code(action.code()), Some(*action));
        }
        assert_eq!(action_label("account.create"), "Create account");
        assert_eq!(action_label("future.thing"), "future.thing");
        for outcome in AuditOutcome::ALL {
            assert_eq!(AuditOutcome::from_db(outcome.as_db()), Some(outcome));
        }
    }
}
