//! The audit log: who did what to which account, when, from where, and how it ended —
//! refused attempts included. The table is append-only by database triggers, so not
//! even a bug here can change or delete an entry.
//!
//! Every change goes through [`Umbrella::audited`], which runs the change and then
//! writes its entry, whatever the outcome.

use std::future::Future;

use chrono::{NaiveDate, TimeZone, Utc};
use sqlx::AnyConnection;

use crate::Umbrella;
use crate::auth::{Actor, OrgAdmin};
use crate::clock::Timestamp;
use crate::domain::{OrganizationId, PartnerId, UserId};
use crate::error::{Error, FieldErrors, Result};
use crate::storage::audit as store;

/// What an entry records, with the label the Audit tab shows for it.
pub const ACTIONS: [(&str, &str); 21] = [
    ("account.create", "Create account"),
    ("account.block", "Block account"),
    ("account.unblock", "Unblock account"),
    ("account.remove", "Remove account"),
    ("account.delete", "Delete account"),
    ("cms_login.start", "CMS Login"),
    ("cms_login.end", "End CMS Login"),
    ("user.add", "Add user"),
    ("user.deactivate", "Deactivate user"),
    ("user.reactivate", "Reactivate user"),
    ("user.remove", "Remove user"),
    ("user.role", "Change user role"),
    ("content.save", "Save content"),
    ("content.delete", "Delete content"),
    ("content.import", "Import content"),
    ("organization.create", "Create organization"),
    ("organization.quota", "Set quota"),
    ("organization.copy_limits", "Set copy limits"),
    ("template.set", "Mark template"),
    ("template.unset", "Unmark template"),
    ("template.default", "Set default template"),
];

/// The label of an action code, or the code itself for one this build does not know.
pub fn action_label(code: &str) -> &str {
    ACTIONS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, label)| label)
}

/// Who is acting, for the entries their changes write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditContext {
    /// The person (their email) or "operator".
    pub actor: String,
    pub actor_user_id: Option<UserId>,
    /// The account owner a CMS Login session acts as.
    pub acting_as: Option<String>,
    /// Whose log shows the entry; for the operator, the account's organization.
    pub organization_id: Option<OrganizationId>,
    /// The client's address, or where an operator command ran.
    pub address: String,
}

impl AuditContext {
    /// A signed-in user. In a CMS Login session the actor is the administrator who
    /// started it, acting as the account's owner.
    pub fn for_actor(actor: &Actor, address: impl Into<String>) -> Self {
        match &actor.cms {
            Some(cms) => Self {
                actor: cms.started_by_email.as_str().to_owned(),
                actor_user_id: Some(cms.started_by),
                acting_as: Some(actor.email.as_str().to_owned()),
                organization_id: Some(actor.organization_id),
                address: address.into(),
            },
            None => Self {
                actor: actor.email.as_str().to_owned(),
                actor_user_id: Some(actor.user_id),
                acting_as: None,
                organization_id: Some(actor.organization_id),
                address: address.into(),
            },
        }
    }

    /// The vendor's operator, running a command on this machine.
    pub fn operator() -> Self {
        Self {
            actor: "operator".to_owned(),
            actor_user_id: None,
            acting_as: None,
            organization_id: None,
            address: "operator command".to_owned(),
        }
    }
}

/// One entry, as it was written.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub organization_id: Option<i64>,
    pub actor: String,
    pub acting_as: Option<String>,
    pub action: String,
    pub partner_id: Option<i64>,
    pub address: String,
    /// "done", "refused" or "failed".
    pub outcome: String,
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
    pub action: Option<String>,
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
        let partner_id = present(&form.partner_id)
            .and_then(|raw| errors.check("partner_id", PartnerId::parse(&raw)));
        let action = present(&form.action).and_then(|raw| {
            let known = ACTIONS.iter().any(|(code, _)| *code == raw);
            errors.check(
                "action",
                if known {
                    Ok(raw)
                } else {
                    Err("Choose an action from the list.".to_owned())
                },
            )
        });
        let from = present(&form.from).and_then(|raw| errors.check("from", day_start(&raw, 0)));
        let to = present(&form.to).and_then(|raw| errors.check("to", day_start(&raw, 1)));
        if let (Some(from), Some(to)) = (from, to)
            && to <= from
        {
            errors.push(crate::FieldError::new(
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

/// A page of entries and the token of the next (older) one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub next_before: Option<AuditCursor>,
}

/// How an attempt ended, from the error the change returned.
fn outcome<T>(result: &Result<T>) -> (&'static str, String) {
    match result {
        Ok(_) => ("done", String::new()),
        Err(e @ (Error::Database(_) | Error::Migration(_) | Error::Internal(_))) => {
            ("failed", e.to_string())
        }
        Err(e) => ("refused", e.to_string()),
    }
}

impl Umbrella {
    /// Runs a change and records it, with its outcome, in the audit log.
    ///
    /// The entry is written after the change's own transaction, in a separate one:
    /// a refused or failed change has rolled back, and its entry must stay.
    pub async fn audited<T>(
        &self,
        context: &AuditContext,
        action: &str,
        account: Option<PartnerId>,
        change: impl Future<Output = Result<T>>,
    ) -> Result<T> {
        self.audited_with(context, action, account, change, |_| None)
            .await
    }

    /// As [`Umbrella::audited`], for a change that makes the account it names (its
    /// ID is known only afterwards).
    pub async fn audited_with<T>(
        &self,
        context: &AuditContext,
        action: &str,
        account: Option<PartnerId>,
        change: impl Future<Output = Result<T>>,
        made: impl FnOnce(&T) -> Option<PartnerId>,
    ) -> Result<T> {
        // Every code must have a label and a place in the Audit tab's filter; the
        // tests (debug builds) call every audited change.
        debug_assert!(
            ACTIONS.iter().any(|(code, _)| *code == action),
            "unknown audit action {action}"
        );
        let organization_id = match (context.organization_id, account) {
            (Some(org), _) => Some(org),
            // The operator acts on accounts by ID; the entry goes to that account's
            // organization, looked up before the change (which may delete it).
            (None, Some(account)) => self.organization_of(account).await.unwrap_or(None),
            (None, None) => None,
        };
        let result = change.await;
        let (outcome, detail) = outcome(&result);
        let account = account.or_else(|| result.as_ref().ok().and_then(made));
        let entry = store::NewEntry {
            at: Timestamp::now(),
            organization_id,
            actor: &context.actor,
            actor_user_id: context.actor_user_id,
            acting_as: context.acting_as.as_deref(),
            action,
            partner_id: account,
            address: &context.address,
            outcome,
            detail: &detail,
        };
        if let Err(e) = self.write_audit_entry(&entry).await {
            // The change itself stands (it is committed); losing its entry is logged
            // loudly so that an operator can see the gap.
            tracing::error!(error = ?e, action, "could not write the audit entry");
        }
        result
    }

    async fn write_audit_entry(&self, entry: &store::NewEntry<'_>) -> Result<()> {
        let mut conn = self.db().pool().acquire().await?;
        store::insert(&mut conn, entry).await
    }

    async fn organization_of(&self, account: PartnerId) -> Result<Option<OrganizationId>> {
        let mut conn = self.db().pool().acquire().await?;
        organization_of(&mut conn, account).await
    }

    /// The administrator's organization's entries, newest first.
    pub async fn audit_log(&self, admin: &OrgAdmin, filter: &AuditFilter) -> Result<AuditPage> {
        let mut conn = self.db().pool().acquire().await?;
        let mut entries = store::page(
            &mut conn,
            admin.organization_id,
            filter,
            AUDIT_PAGE_SIZE + 1,
        )
        .await?;
        let next_before = if entries.len() as i64 > AUDIT_PAGE_SIZE {
            entries.truncate(AUDIT_PAGE_SIZE as usize);
            entries.last().map(AuditCursor::of)
        } else {
            None
        };
        Ok(AuditPage {
            entries,
            next_before,
        })
    }

    /// Every entry (or one account's), oldest first: the operator's view.
    pub async fn operator_audit_log(&self, account: Option<PartnerId>) -> Result<Vec<AuditEntry>> {
        let mut conn = self.db().pool().acquire().await?;
        store::all(&mut conn, account).await
    }
}

async fn organization_of(
    conn: &mut AnyConnection,
    account: PartnerId,
) -> Result<Option<OrganizationId>> {
    let org: Option<i64> =
        sqlx::query_scalar("SELECT organization_id FROM accounts WHERE partner_id = $1")
            .bind(account.get())
            .fetch_optional(conn)
            .await?;
    Ok(org.map(OrganizationId::new))
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
            partner_id: "x".to_owned(),
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
    fn refusals_and_failures_are_told_apart() {
        assert_eq!(outcome(&Ok::<(), Error>(())).0, "done");
        assert_eq!(
            outcome::<()>(&Err(Error::Forbidden("no".to_owned()))),
            ("refused", "no".to_owned())
        );
        assert_eq!(
            outcome::<()>(&Err(Error::Internal("x".to_owned()))).0,
            "failed"
        );
    }
}
