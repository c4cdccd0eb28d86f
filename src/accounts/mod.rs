//! The Multi Account tab's rules: what an organization administrator may see and do
//! with the accounts of their organization.

mod status;

pub(crate) use status::{StatusMoves, changed_under_lock};

use crate::Umbrella;
use crate::audit::AuditContext;
use crate::auth::{ActivationToken, AdminClaim, OrgAdmin, issue_activation};
use crate::clock::Timestamp;
use crate::domain::audit::AuditAction;
use crate::domain::{
    Account, AccountAction, AccountForm, AccountQuery, ActionRefusal, Cursor, NewAccount,
    PartnerId, QuotaStatus, Role, Status, StatusCounts,
};
use crate::error::{Error, Result};
use crate::storage::accounts as store;
use crate::storage::{content, is_unique_violation, organizations, users};
use crate::templates::content_to_copy;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountPage {
    pub accounts: Vec<Account>,
    /// Where the next page starts, if there is one.
    pub next: Option<Cursor>,
}

/// A new account and the secret of its owner's activation link, to be shown once.
#[derive(Debug)]
pub struct CreatedAccount {
    pub account: Account,
    pub activation: ActivationToken,
}

/// What the Multi Account tab shows above its list: the quota line, the counts per
/// status and the pending request for more accounts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountsOverview {
    pub quota: QuotaStatus,
    pub counts: StatusCounts,
    pub upgrade: Option<crate::domain::upgrade::UpgradeRequestView>,
}

/// How many accounts one step of a CSV export reads: large enough that a million
/// take a thousand queries, small enough that a step holds well under a megabyte.
pub const EXPORT_BATCH: i64 = 1000;

impl Umbrella {
    #[tracing::instrument(skip_all)]
    pub async fn account_quota(&self, admin: &OrgAdmin) -> Result<QuotaStatus> {
        let mut conn = self.db().pool().acquire().await?;
        let org = organizations::find(&mut conn, admin.organization_id)
            .await?
            .ok_or_else(|| Error::NotFound("organization".to_owned()))?;
        Ok(QuotaStatus {
            in_use: org.accounts_in_use,
            quota: org.account_quota,
        })
    }

    /// The tab's header in two indexed reads on one connection: it is asked with
    /// every page of the list.
    #[tracing::instrument(skip_all)]
    pub async fn accounts_overview(&self, admin: &OrgAdmin) -> Result<AccountsOverview> {
        let mut conn = self.db().pool().acquire().await?;
        let (quota, counts) = organizations::quota_and_counts(&mut conn, admin.organization_id)
            .await?
            .ok_or_else(|| Error::NotFound("organization".to_owned()))?;
        let upgrade = crate::storage::upgrade_requests::pending(
            &mut conn,
            admin.organization_id,
            crate::domain::upgrade::UpgradeKind::Accounts,
        )
        .await?
        .map(crate::upgrades::view);
        Ok(AccountsOverview {
            quota,
            counts,
            upgrade,
        })
    }

    /// A page of the administrator's own organization's accounts; never another's.
    #[tracing::instrument(skip(self))]
    pub async fn list_accounts(
        &self,
        admin: &OrgAdmin,
        query: &AccountQuery,
    ) -> Result<AccountPage> {
        let limit = query.limit.clamp(1, AccountQuery::MAX_PAGE_SIZE);
        self.page_of_accounts(admin, query, limit).await
    }

    /// The next [`EXPORT_BATCH`] accounts of a CSV export of the administrator's
    /// list: the tab's filter, search and order, keyset-paged from `query.after` as
    /// the tab pages (the size of its pages does not count).
    #[tracing::instrument(skip(self))]
    pub async fn export_accounts_batch(
        &self,
        admin: &OrgAdmin,
        query: &AccountQuery,
    ) -> Result<AccountPage> {
        self.page_of_accounts(admin, query, EXPORT_BATCH).await
    }

    /// Records that the administrator exported the list, before its first row goes
    /// out: every account's contact details leave in one file, so the log says who,
    /// when, from where, and with which filter (`filter`, as the URL gave it).
    #[tracing::instrument(skip(self, who, admin))]
    pub async fn note_accounts_export(
        &self,
        who: &AuditContext,
        admin: &impl AdminClaim,
        filter: &str,
    ) -> Result<()> {
        self.audited(who, AuditAction::AccountsExport, None, async |change| {
            // Only an administrator may export; the entry goes to the organization
            // the change's context names.
            admin.org_admin()?;
            let tx = self.db().begin_write().await?;
            change.commit_noting(tx, None, filter).await
        })
        .await
    }

    async fn page_of_accounts(
        &self,
        admin: &OrgAdmin,
        query: &AccountQuery,
        limit: i64,
    ) -> Result<AccountPage> {
        if query.statuses.is_empty() {
            return Err(Error::invalid("status", "Choose at least one status."));
        }
        // A transaction: the page's PostgreSQL planner setting lasts for it alone.
        let mut tx = self.db().pool().begin().await?;
        // One row more than the page tells whether a next page exists, without counting.
        let mut accounts =
            store::page(&mut tx, self.db(), admin.organization_id, query, limit + 1).await?;
        tx.commit().await?;
        let next = if accounts.len() as i64 > limit {
            accounts.truncate(limit as usize);
            accounts.last().map(|a| Cursor::after(a, query.sort.key))
        } else {
            None
        };
        Ok(AccountPage { accounts, next })
    }

    /// One account of the administrator's organization (its parent included);
    /// another organization's answers "not found", as if it did not exist.
    #[tracing::instrument(skip(self, admin))]
    pub async fn account(&self, admin: &OrgAdmin, partner_id: PartnerId) -> Result<Account> {
        let mut conn = self.db().pool().acquire().await?;
        store::find(&mut conn, partner_id)
            .await?
            .filter(|a| a.organization_id == admin.organization_id)
            .ok_or_else(|| Error::NotFound(format!("account {partner_id}")))
    }

    /// The organization's accounts per status, read from counters (no scan).
    #[tracing::instrument(skip_all)]
    pub async fn status_counts(&self, admin: &OrgAdmin) -> Result<StatusCounts> {
        let mut conn = self.db().pool().acquire().await?;
        organizations::status_counts(&mut conn, admin.organization_id)
            .await?
            .ok_or_else(|| Error::NotFound("organization".to_owned()))
    }

    /// Creates an account in the administrator's organization, with its owner user
    /// and the one-time link with which the owner chooses a password.
    ///
    /// One transaction: the quota place, the account, its owner, the link and the
    /// copy of the chosen template's content are written together or not at all.
    #[tracing::instrument(skip(self, form, who, admin))]
    pub async fn create_account(
        &self,
        who: &AuditContext,
        admin: &impl AdminClaim,
        form: &AccountForm,
    ) -> Result<CreatedAccount> {
        self.audited(who, AuditAction::AccountCreate, None, async |change| {
            let admin = &admin.org_admin()?;
            let new = NewAccount::parse(form).map_err(Error::Invalid)?;
            let mut tx = self.db().begin_write().await?;
            if !organizations::take_account_place(&mut tx, admin.organization_id).await? {
                return Err(Error::QuotaReached(
                    "Your organization has reached its account quota. Remove an account you no \
                 longer need, or request an upgrade under the quota line."
                        .to_owned(),
                ));
            }
            let duplicate = || {
                Error::Taken(vec![crate::FieldError::new(
                    "admin_email",
                    "Your organization already has an account with this administrator email; \
                 each account needs its own.",
                )])
            };
            if store::admin_email_taken(&mut tx, admin.organization_id, &new.admin_email).await? {
                return Err(duplicate());
            }
            // Read and checked before the account is written: a template over the
            // limits is refused with nothing written.
            let copied = match new.template {
                Some(template) => {
                    Some(content_to_copy(&mut tx, admin.organization_id, template).await?)
                }
                None => None,
            };
            let now = Timestamp::now();
            let partner_id = store::insert(
                &mut tx,
                admin.organization_id,
                Some(admin.parent_id),
                &new,
                now,
            )
            .await
            .map_err(|e| {
                if is_unique_violation(&e, &["accounts_one_admin_email_per_org", "admin_email_key"])
                {
                    duplicate()
                } else {
                    Error::from(e)
                }
            })?;
            organizations::count_status_change(
                &mut tx,
                admin.organization_id,
                None,
                Status::Active,
            )
            .await?;
            let (first_name, last_name) = split_name(new.admin_name.as_str());
            let owner = users::insert(
                &mut tx,
                users::NewUser {
                    account: partner_id,
                    email: &new.admin_email,
                    first_name,
                    last_name,
                    role: &Role::PublisherAdministrator,
                    password_hash: None,
                    is_owner: true,
                },
                now,
            )
            .await?;
            let activation = issue_activation(&mut tx, owner, now).await?;
            if let Some(bundle) = &copied {
                content::write(&mut tx, self.db().backend(), partner_id, bundle, now).await?;
            }
            let account = store::find(&mut tx, partner_id)
                .await?
                .ok_or_else(|| Error::Internal("the new account vanished".to_owned()))?;
            change.commit(tx, Some(partner_id)).await?;
            tracing::info!(partner_id = %partner_id, "account created");
            Ok(CreatedAccount {
                account,
                activation,
            })
        })
        .await
    }

    /// Blocks, unblocks or removes one of the administrator's accounts.
    #[tracing::instrument(skip(self, who, admin))]
    pub async fn change_account_status(
        &self,
        who: &AuditContext,
        admin: &impl AdminClaim,
        partner_id: PartnerId,
        action: AccountAction,
    ) -> Result<Account> {
        self.audited(who, action.audit_action(), Some(partner_id), async |change| {
            let admin = &admin.org_admin()?;
            let mut tx = self.db().begin_write().await?;
            // Write first: serialises changes within the organization and, on SQLite,
            // takes the write lock before reading (a read lock cannot be upgraded safely).
            organizations::lock(&mut tx, admin.organization_id).await?;
            let account = store::find(&mut tx, partner_id)
                .await?
                .filter(|a| a.organization_id == admin.organization_id)
                // Another organization's account is reported exactly like a missing one.
                .ok_or_else(|| Error::NotFound(format!("account {partner_id}")))?;
            let to = action
                .check(account.standing())
                .map_err(|refusal| {
                    let message = refusal.explain(action, partner_id, account.status);
                    match refusal {
                        ActionRefusal::ParentAccount | ActionRefusal::TemplateAccount => {
                            Error::Forbidden(message)
                        }
                        ActionRefusal::WrongStatus => Error::Conflict(message),
                    }
                })?;
            let mut moves = StatusMoves::new(admin.organization_id);
            if !moves.apply(&mut tx, partner_id, account.status, to).await? {
                return Err(Error::Conflict(format!(
                    "Account {partner_id} was changed by someone else; reload and try again."
                )));
            }
            moves.settle(&mut tx).await?;
            change.commit(tx, None).await?;
            tracing::info!(partner_id = %partner_id, action = ?action, "account status changed");
            Ok(Account {
                status: to,
                ..account
            })
        })
        .await
    }
}

/// Splits "Ann Marie Admin" into ("Ann Marie", "Admin") for the owner user's names.
pub(crate) fn split_name(full: &str) -> (&str, &str) {
    match full.rsplit_once(' ') {
        Some((first, last)) => (first.trim(), last.trim()),
        None => (full, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_at_the_last_space() {
        assert_eq!(split_name("Ann Marie Admin"), ("Ann Marie", "Admin"));
        assert_eq!(split_name("Cher"), ("Cher", ""));
    }
}
