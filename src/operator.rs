//! What the vendor's operators do, through the `umbrella operator` commands:
//! create organizations, set their quotas, delete removed accounts.

use crate::Umbrella;
use crate::accounts::split_name;
use crate::audit::AuditContext;
use crate::auth::hash_password;
use crate::clock::Timestamp;
use crate::domain::OrganizationSummary;
use crate::domain::audit::AuditAction;
use crate::domain::upgrade::UpgradeKind;
use crate::domain::{
    AccountName, EmailAddress, NewAccount, PartnerId, Password, PersonName, PhoneNumber, Role,
    Status,
};
use crate::error::{Error, FieldError, FieldErrors, Result};
use crate::storage::organizations;
use crate::storage::{accounts, upgrade_requests, users};

/// Quotas an operator may set: generous, but bounded so that a typo cannot ask for
/// a number the counters cannot hold.
pub const MAX_QUOTA: i64 = 100_000_000;
pub const DEFAULT_ACCOUNT_QUOTA: i64 = 5;
pub const DEFAULT_USER_QUOTA: i64 = 3;

/// The raw input of `operator create-organization`.
#[derive(Clone, Debug)]
pub struct OrganizationForm {
    pub name: String,
    pub admin_name: String,
    pub admin_email: String,
    pub admin_phone: String,
    pub account_quota: i64,
    pub user_quota: i64,
}

fn check_quota(value: i64, min: i64) -> Result<i64, String> {
    if (min..=MAX_QUOTA).contains(&value) {
        Ok(value)
    } else {
        Err(format!(
            "must be between {min} and {MAX_QUOTA}, not {value}"
        ))
    }
}

impl Umbrella {
    /// Creates an organization: its parent account and the parent's first Publisher
    /// Administrator, who signs in with `password`. Returns the parent's Partner ID.
    #[tracing::instrument(skip_all)]
    pub async fn create_organization(
        &self,
        who: &AuditContext,
        form: &OrganizationForm,
        password: Password,
    ) -> Result<PartnerId> {
        self.audited(who, AuditAction::OrganizationCreate, None, async |change| {
            let mut errors = FieldErrors::default();
            let name = errors.check("name", AccountName::parse(&form.name));
            let admin_name = errors.check(
                "admin-name",
                PersonName::parse(&form.admin_name, "Administrator"),
            );
            let admin_email = errors.check("admin-email", EmailAddress::parse(&form.admin_email));
            let admin_phone = errors.check("admin-phone", PhoneNumber::parse(&form.admin_phone));
            let account_quota = errors.check("account-quota", check_quota(form.account_quota, 0));
            let user_quota = errors.check("user-quota", check_quota(form.user_quota, 1));
            let (
                Some(name),
                Some(admin_name),
                Some(admin_email),
                Some(admin_phone),
                Some(account_quota),
                Some(user_quota),
            ) = (
                name,
                admin_name,
                admin_email,
                admin_phone,
                account_quota,
                user_quota,
            )
            else {
                return Err(Error::Invalid(errors.into_vec()));
            };
            let parent = NewAccount {
                admin_name,
                name,
                admin_email,
                admin_phone,
                website_url: None,
                reference_id: None,
                template: None,
            };
            let password_hash = hash_password(&password).await?;
            let now = Timestamp::now();
            let mut tx = self.db().begin_write().await?;
            let organization =
                organizations::insert(&mut tx, account_quota, user_quota, now).await?;
            let partner_id = accounts::insert(&mut tx, organization, None, &parent, now).await?;
            organizations::count_status_change(
                &mut tx,
                organization,
                None,
                crate::domain::Status::Active,
            )
            .await?;
            let (first_name, last_name) = split_name(parent.admin_name.as_str());
            users::insert(
                &mut tx,
                users::NewUser {
                    account: partner_id,
                    email: &parent.admin_email,
                    first_name,
                    last_name,
                    role: &Role::PublisherAdministrator,
                    password_hash: Some(&password_hash),
                    is_owner: true,
                },
                now,
            )
            .await?;
            change.commit(tx, Some(partner_id)).await?;
            tracing::info!(partner_id = %partner_id, "organization created");
            Ok(partner_id)
        })
        .await
    }

    /// Sets an organization's quotas; `None` keeps the current value. A quota below
    /// what is already in use is refused: quotas are never exceeded.
    #[tracing::instrument(skip(self, who))]
    pub async fn set_quota(
        &self,
        who: &AuditContext,
        parent: PartnerId,
        accounts: Option<i64>,
        users: Option<i64>,
    ) -> Result<OrganizationSummary> {
        self.audited(
            who,
            AuditAction::OrganizationQuota,
            Some(parent),
            async |change| {
                let mut tx = self.db().begin_write().await?;
                // Write first: on SQLite a transaction that has read cannot always be
                // upgraded to a writer ("database is locked" under load).
                accounts::lock(&mut tx, parent).await?;
                let account = accounts::find(&mut tx, parent)
                    .await?
                    .filter(|a| a.is_parent())
                    .ok_or_else(|| {
                        Error::NotFound(format!("organization with parent Partner ID {parent}"))
                    })?;
                let current = organizations::summary(&mut tx, parent)
                    .await?
                    .ok_or_else(|| Error::NotFound(format!("organization of {parent}")))?;
                let mut errors = FieldErrors::default();
                let account_quota = accounts.unwrap_or(current.account_quota);
                let user_quota = users.unwrap_or(current.user_quota);
                if errors
                    .check("accounts", check_quota(account_quota, 0))
                    .is_some()
                    && account_quota < current.accounts_in_use
                {
                    errors.push(FieldError::new(
                        "accounts",
                        format!(
                            "{} accounts are in use; the quota cannot be lower",
                            current.accounts_in_use
                        ),
                    ));
                }
                if errors.check("users", check_quota(user_quota, 1)).is_some()
                    && user_quota < current.users_in_use
                {
                    errors.push(FieldError::new(
                        "users",
                        format!(
                            "the parent account has {} users; the quota cannot be lower",
                            current.users_in_use
                        ),
                    ));
                }
                let errors = errors.into_vec();
                if !errors.is_empty() {
                    return Err(Error::Invalid(errors));
                }
                // Conditional on the usage still fitting, so a creation racing with this
                // change cannot leave the organization over its new quota.
                if !organizations::set_quotas(
                    &mut tx,
                    account.organization_id,
                    account_quota,
                    user_quota,
                )
                .await?
                {
                    return Err(Error::Conflict(
                        "The organization's usage changed meanwhile; run the command again."
                            .to_owned(),
                    ));
                }
                let summary = organizations::summary(&mut tx, parent)
                    .await?
                    .ok_or_else(|| Error::Internal("the organization vanished".to_owned()))?;
                // The quota set answers the organization's request for more of it.
                let now = Timestamp::now();
                let mut closed = Vec::new();
                for (kind, given) in [
                    (UpgradeKind::Accounts, accounts.is_some()),
                    (UpgradeKind::Users, users.is_some()),
                ] {
                    if given
                        && upgrade_requests::close(&mut tx, account.organization_id, kind, now)
                            .await?
                    {
                        closed.push(kind.as_db());
                    }
                }
                let note = if closed.is_empty() {
                    String::new()
                } else {
                    format!(
                        "Closed the pending request for more {}",
                        closed.join(" and ")
                    )
                };
                change.commit_noting(tx, None, &note).await?;
                Ok(summary)
            },
        )
        .await
    }

    /// Erases a removed account for good: the account, its content, its users and
    /// their sessions (the database cascades from the account row). Refused for an
    /// account in any other status, so a mistyped ID cannot erase a live account.
    #[tracing::instrument(skip(self, who))]
    pub async fn delete_account(&self, who: &AuditContext, partner_id: PartnerId) -> Result<()> {
        self.audited(
            who,
            AuditAction::AccountDelete,
            Some(partner_id),
            async |change| {
                let mut tx = self.db().begin_write().await?;
                // Write first (SQLite): the account's lock, then read it.
                accounts::lock(&mut tx, partner_id).await?;
                let account = accounts::find(&mut tx, partner_id)
                    .await?
                    .ok_or_else(|| Error::NotFound(format!("account {partner_id}")))?;
                if account.status != Status::Removed {
                    return Err(Error::Conflict(format!(
                        "Account {partner_id} is {}; only a removed account can be deleted. \
                 Remove it in the console first.",
                        account.status.label().to_lowercase()
                    )));
                }
                accounts::delete(&mut tx, partner_id).await?;
                organizations::forget_removed_account(&mut tx, account.organization_id).await?;
                change.commit(tx, None).await?;
                tracing::info!(partner_id = %partner_id, "account deleted");
                Ok(())
            },
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    pub async fn list_organizations(&self) -> Result<Vec<OrganizationSummary>> {
        let mut conn = self.db().pool().acquire().await?;
        organizations::summaries(&mut conn).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn organization_count(&self) -> Result<i64> {
        let mut conn = self.db().pool().acquire().await?;
        organizations::count(&mut conn).await
    }
}
