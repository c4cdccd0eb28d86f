//! SQL for accounts.

mod list;
mod trigrams;

pub(crate) use list::page;
pub(crate) use trigrams::Samples as TrigramSamples;

use std::sync::LazyLock;

use sqlx::AnyConnection;

use super::sql::flag;
use crate::clock::Timestamp;
use crate::domain::{
    Account, AccountName, EmailAddress, NewAccount, OrganizationId, PartnerId, PersonName,
    PhoneNumber, ReferenceId, Status, WebsiteUrl,
};
use crate::error::{Error, Result};

static COLUMNS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "partner_id, organization_id, parent_id, name, status, admin_name, admin_email, \
         admin_phone, reference_id, website_url, {}, created_at",
        flag("is_template")
    )
});

#[derive(sqlx::FromRow)]
struct AccountRow {
    partner_id: i64,
    organization_id: i64,
    parent_id: Option<i64>,
    name: String,
    status: String,
    admin_name: String,
    admin_email: String,
    admin_phone: String,
    reference_id: Option<String>,
    website_url: Option<String>,
    is_template: i64,
    created_at: i64,
}

impl TryFrom<AccountRow> for Account {
    type Error = Error;

    fn try_from(row: AccountRow) -> Result<Self> {
        let status = Status::from_db(&row.status)
            .ok_or_else(|| Error::Internal(format!("unknown account status {:?}", row.status)))?;
        Ok(Account {
            partner_id: PartnerId::new(row.partner_id),
            organization_id: OrganizationId::new(row.organization_id),
            parent_id: row.parent_id.map(PartnerId::new),
            name: AccountName::from_trusted(row.name),
            status,
            admin_name: PersonName::from_trusted(row.admin_name),
            admin_email: EmailAddress::from_trusted(row.admin_email),
            admin_phone: PhoneNumber::from_trusted(row.admin_phone),
            reference_id: row.reference_id.map(ReferenceId::from_trusted),
            website_url: row.website_url.map(WebsiteUrl::from_trusted),
            is_template: row.is_template != 0,
            created_at: Timestamp::from_millis(row.created_at),
        })
    }
}

/// Inserts an account; `parent` is `None` for an organization's parent account.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn insert(
    conn: &mut AnyConnection,
    organization: OrganizationId,
    parent: Option<PartnerId>,
    account: &NewAccount,
    created_at: Timestamp,
) -> Result<PartnerId, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO accounts (organization_id, parent_id, name, admin_name, admin_email, \
         admin_email_key, admin_phone, reference_id, website_url, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING partner_id",
    )
    .bind(organization.get())
    .bind(parent.map(PartnerId::get))
    .bind(account.name.as_str())
    .bind(account.admin_name.as_str())
    .bind(account.admin_email.as_str())
    .bind(account.admin_email.key())
    .bind(account.admin_phone.as_str())
    .bind(account.reference_id.as_ref().map(ReferenceId::as_str))
    .bind(account.website_url.as_ref().map(WebsiteUrl::as_str))
    .bind(created_at.millis())
    .fetch_one(conn)
    .await?;
    Ok(PartnerId::new(id))
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn find(conn: &mut AnyConnection, id: PartnerId) -> Result<Option<Account>> {
    let row: Option<AccountRow> = sqlx::query_as(&format!(
        "SELECT {} FROM accounts WHERE partner_id = $1",
        *COLUMNS
    ))
    .bind(id.get())
    .fetch_optional(conn)
    .await?;
    row.map(Account::try_from).transpose()
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn admin_email_taken(
    conn: &mut AnyConnection,
    organization: OrganizationId,
    email: &EmailAddress,
) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT partner_id FROM accounts WHERE organization_id = $1 AND admin_email_key = $2",
    )
    .bind(organization.get())
    .bind(email.key())
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn set_status(
    conn: &mut AnyConnection,
    id: PartnerId,
    from: Status,
    to: Status,
) -> Result<bool> {
    let result =
        sqlx::query("UPDATE accounts SET status = $1 WHERE partner_id = $2 AND status = $3")
            .bind(to.as_db())
            .bind(id.get())
            .bind(from.as_db())
            .execute(conn)
            .await?;
    Ok(result.rows_affected() == 1)
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn organization_of(
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

/// Takes the account's row lock: serialises changes to its content and, on SQLite,
/// makes the write lock the transaction's first step.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn lock(conn: &mut AnyConnection, id: PartnerId) -> Result<()> {
    sqlx::query("UPDATE accounts SET partner_id = partner_id WHERE partner_id = $1")
        .bind(id.get())
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes the account row; its users, sessions and content go with it (ON DELETE
/// CASCADE on every table that names an account). The content goes first, children
/// before parents, so that no cascade has to walk a category tree.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn delete(conn: &mut AnyConnection, id: PartnerId) -> Result<()> {
    crate::storage::content::clear(&mut *conn, id).await?;
    sqlx::query("DELETE FROM accounts WHERE partner_id = $1")
        .bind(id.get())
        .execute(conn)
        .await?;
    Ok(())
}
