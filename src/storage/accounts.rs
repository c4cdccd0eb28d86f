//! SQL for accounts.

use sqlx::AnyConnection;

use super::placeholders;
use crate::clock::Timestamp;
use crate::domain::{
    Account, AccountName, EmailAddress, NewAccount, OrganizationId, PartnerId, PersonName,
    PhoneNumber, ReferenceId, Status, WebsiteUrl,
};
use crate::error::{Error, Result};

// The flag is read through CASE because SQLite keeps it as an integer and
// PostgreSQL as a boolean; both give an integer this way.
const COLUMNS: &str = "partner_id, organization_id, parent_id, name, status, admin_name, \
     admin_email, admin_phone, reference_id, website_url, \
     CASE WHEN is_template THEN 1 ELSE 0 END AS is_template, created_at";

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

pub(crate) async fn find(conn: &mut AnyConnection, id: PartnerId) -> Result<Option<Account>> {
    let row: Option<AccountRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM accounts WHERE partner_id = $1"
    ))
    .bind(id.get())
    .fetch_optional(conn)
    .await?;
    row.map(Account::try_from).transpose()
}

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

/// Where a page of the accounts list starts: after this (creation time, Partner ID).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub created_at: Timestamp,
    pub partner_id: PartnerId,
}

impl Cursor {
    /// The cursor as it travels in a URL: `<created-millis>.<partner-id>`.
    pub fn to_token(self) -> String {
        format!("{}.{}", self.created_at.millis(), self.partner_id)
    }

    pub fn parse(token: &str) -> Result<Self, String> {
        let message = || "This page link is not valid; go back to the first page.".to_owned();
        let (created, partner) = token.split_once('.').ok_or_else(message)?;
        Ok(Self {
            created_at: Timestamp::from_millis(created.parse().map_err(|_| message())?),
            partner_id: PartnerId::new(partner.parse().map_err(|_| message())?),
        })
    }
}

/// One page of an organization's accounts, newest first, by keyset (never OFFSET).
pub(crate) async fn page(
    conn: &mut AnyConnection,
    organization: OrganizationId,
    statuses: &[Status],
    after: Option<Cursor>,
    limit: i64,
) -> Result<Vec<Account>> {
    let status_list = placeholders(2, statuses.len());
    let keyset = if after.is_some() {
        let n = 2 + statuses.len();
        format!(" AND (created_at, partner_id) < (${n}, ${})", n + 1)
    } else {
        String::new()
    };
    let limit_at = 2 + statuses.len() + if after.is_some() { 2 } else { 0 };
    let sql = format!(
        "SELECT {COLUMNS} FROM accounts WHERE organization_id = $1 AND status IN ({status_list}){keyset} \
         ORDER BY created_at DESC, partner_id DESC LIMIT ${limit_at}"
    );
    let mut query = sqlx::query_as::<_, AccountRow>(&sql).bind(organization.get());
    for status in statuses {
        query = query.bind(status.as_db());
    }
    if let Some(cursor) = after {
        query = query
            .bind(cursor.created_at.millis())
            .bind(cursor.partner_id.get());
    }
    let rows = query.bind(limit).fetch_all(conn).await?;
    rows.into_iter().map(Account::try_from).collect()
}
