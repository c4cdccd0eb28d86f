//! The audit log as people read it: the Audit tab's pages of one organization's
//! entries, and the operator's whole log. Recording is `audit`'s; this side needs
//! the caller's proof, which recording must not (the session code records too).

use crate::Umbrella;
use crate::auth::OrgAdmin;
use crate::domain::PartnerId;
use crate::domain::audit::{AUDIT_PAGE_SIZE, AuditCursor, AuditEntry, AuditFilter};
use crate::error::{Error, Result};
use crate::storage::audit as store;

/// A page of entries and the token of the next (older) one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub next_before: Option<AuditCursor>,
}

/// How many accounts a name in the Audit tab's Account field may stand for: one
/// query's worth of IDs, and more than a person would read the log of at once.
pub const MAX_NAMED_ACCOUNTS: usize = 200;

impl Umbrella {
    /// The administrator's organization's entries, newest first.
    #[tracing::instrument(skip_all)]
    pub async fn audit_log(&self, admin: &OrgAdmin, filter: &AuditFilter) -> Result<AuditPage> {
        let accounts = match &filter.account_name {
            Some(name) => {
                let found = self.accounts_named(admin, name).await?;
                if found.is_empty() {
                    return Ok(AuditPage {
                        entries: Vec::new(),
                        next_before: None,
                    });
                }
                Some(found)
            }
            None => None,
        };
        let mut conn = self.db().pool().acquire().await?;
        let mut entries = store::page(
            &mut conn,
            admin.organization_id,
            filter,
            accounts.as_deref(),
            AUDIT_PAGE_SIZE + 1,
        )
        .await?;
        let next_before = if entries.len() as i64 > AUDIT_PAGE_SIZE {
            entries.truncate(AUDIT_PAGE_SIZE as usize);
            entries.last().map(AuditCursor::of)
        } else {
            None
        };
        let mut ids: Vec<i64> = entries.iter().filter_map(|e| e.partner_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let names: std::collections::HashMap<i64, String> =
            store::account_names(&mut conn, admin.organization_id, &ids)
                .await?
                .into_iter()
                .collect();
        for entry in &mut entries {
            entry.account_name = entry.partner_id.and_then(|id| names.get(&id).cloned());
        }
        Ok(AuditPage {
            entries,
            next_before,
        })
    }

    /// The accounts of every status whose name contains `name`, found the way the
    /// Multi Account tab searches (its indexes), at most [`MAX_NAMED_ACCOUNTS`].
    async fn accounts_named(&self, admin: &OrgAdmin, name: &str) -> Result<Vec<PartnerId>> {
        let mut query = crate::domain::AccountQuery::default_view();
        query.statuses = crate::domain::Status::ALL.to_vec();
        query.limit = crate::domain::AccountQuery::MAX_PAGE_SIZE;
        query.search = crate::domain::Search::parse(crate::domain::SearchMode::AccountName, name)
            .map_err(|message| Error::invalid("partner_id", message))?;
        query.sort = crate::domain::Sort::parse("partner")
            .map_err(|message| Error::invalid("partner_id", message))?;
        let mut found = Vec::new();
        loop {
            let page = self.list_accounts(admin, &query).await?;
            found.extend(page.accounts.iter().map(|a| a.partner_id));
            if found.len() > MAX_NAMED_ACCOUNTS {
                return Err(Error::invalid(
                    "partner_id",
                    format!(
                        "More than {MAX_NAMED_ACCOUNTS} accounts have a name like this; \
                         give more of the name, or a Partner ID."
                    ),
                ));
            }
            match page.next {
                Some(next) => query.after = Some(next),
                None => return Ok(found),
            }
        }
    }

    /// Every entry (or one account's), oldest first: the operator's view.
    #[tracing::instrument(skip_all)]
    pub async fn operator_audit_log(&self, account: Option<PartnerId>) -> Result<Vec<AuditEntry>> {
        let mut conn = self.db().pool().acquire().await?;
        store::all(&mut conn, account).await
    }
}
