//! SQL for organizations and their quotas.

use sqlx::AnyConnection;

use crate::clock::Timestamp;
use crate::domain::{OrganizationId, PartnerId, Status};
use crate::domain::{OrganizationSummary, QuotaStatus, StatusCounts};
use crate::error::Result;

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct OrganizationRow {
    pub id: i64,
    pub account_quota: i64,
    pub user_quota: i64,
    pub accounts_in_use: i64,
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn insert(
    conn: &mut AnyConnection,
    account_quota: i64,
    user_quota: i64,
    created_at: Timestamp,
) -> Result<OrganizationId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO organizations (account_quota, user_quota, created_at) \
         VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(account_quota)
    .bind(user_quota)
    .bind(created_at.millis())
    .fetch_one(conn)
    .await?;
    Ok(OrganizationId::new(id))
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn find(
    conn: &mut AnyConnection,
    id: OrganizationId,
) -> Result<Option<OrganizationRow>> {
    Ok(sqlx::query_as(
        "SELECT id, account_quota, user_quota, accounts_in_use FROM organizations WHERE id = $1",
    )
    .bind(id.get())
    .fetch_optional(conn)
    .await?)
}

/// Takes one place of the account quota, or returns `false` when none is left.
///
/// A single conditional UPDATE: PostgreSQL locks the row, SQLite serialises writers,
/// so concurrent creations can never take more places than the quota has. It is
/// meant to be the first write of its transaction (SQLite then waits for the write
/// lock instead of failing to upgrade a read lock).
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn take_account_place(
    conn: &mut AnyConnection,
    id: OrganizationId,
) -> Result<bool> {
    let result = sqlx::query(
        "UPDATE organizations SET accounts_in_use = accounts_in_use + 1 \
         WHERE id = $1 AND accounts_in_use < account_quota",
    )
    .bind(id.get())
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Locks the organization's row for the rest of the transaction.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn lock(conn: &mut AnyConnection, id: OrganizationId) -> Result<()> {
    sqlx::query("UPDATE organizations SET id = id WHERE id = $1")
        .bind(id.get())
        .execute(conn)
        .await?;
    Ok(())
}

fn status_column(status: Status) -> &'static str {
    match status {
        Status::Active => "active_accounts",
        Status::Blocked => "blocked_accounts",
        Status::Removed => "removed_accounts",
    }
}

/// Moves one account from one status count to another (`from` is `None` for a new account).
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn count_status_change(
    conn: &mut AnyConnection,
    id: OrganizationId,
    from: Option<Status>,
    to: Status,
) -> Result<()> {
    let to = status_column(to);
    let set = match from.map(status_column) {
        Some(from) => format!("{from} = {from} - 1, {to} = {to} + 1"),
        None => format!("{to} = {to} + 1"),
    };
    sqlx::query(&format!("UPDATE organizations SET {set} WHERE id = $1"))
        .bind(id.get())
        .execute(conn)
        .await?;
    Ok(())
}

/// Moves `n` accounts from one status count to another (a bulk job's batch).
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn count_status_changes(
    conn: &mut AnyConnection,
    id: OrganizationId,
    from: Status,
    to: Status,
    n: i64,
) -> Result<()> {
    let (from, to) = (status_column(from), status_column(to));
    sqlx::query(&format!(
        "UPDATE organizations SET {from} = {from} - $1, {to} = {to} + $1 WHERE id = $2"
    ))
    .bind(n)
    .bind(id.get())
    .execute(conn)
    .await?;
    Ok(())
}

/// Gives back `n` places of the account quota (a bulk job removed accounts).
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn release_account_places(
    conn: &mut AnyConnection,
    id: OrganizationId,
    n: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE organizations SET accounts_in_use = CASE WHEN accounts_in_use > $1 \
         THEN accounts_in_use - $1 ELSE 0 END WHERE id = $2",
    )
    .bind(n)
    .bind(id.get())
    .execute(conn)
    .await?;
    Ok(())
}

/// A removed account was deleted: it no longer counts among the removed.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn forget_removed_account(
    conn: &mut AnyConnection,
    id: OrganizationId,
) -> Result<()> {
    sqlx::query("UPDATE organizations SET removed_accounts = removed_accounts - 1 WHERE id = $1")
        .bind(id.get())
        .execute(conn)
        .await?;
    Ok(())
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn status_counts(
    conn: &mut AnyConnection,
    id: OrganizationId,
) -> Result<Option<StatusCounts>> {
    let row: Option<(i64, i64, i64)> = sqlx::query_as(
        "SELECT active_accounts, blocked_accounts, removed_accounts FROM organizations WHERE id = $1",
    )
    .bind(id.get())
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(active, blocked, removed)| StatusCounts {
        active,
        blocked,
        removed,
    }))
}

/// The account quota line and the counts per status, from the one row that holds both.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn quota_and_counts(
    conn: &mut AnyConnection,
    id: OrganizationId,
) -> Result<Option<(QuotaStatus, StatusCounts)>> {
    let row: Option<(i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT accounts_in_use, account_quota, active_accounts, blocked_accounts, \
         removed_accounts FROM organizations WHERE id = $1",
    )
    .bind(id.get())
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(in_use, quota, active, blocked, removed)| {
        (
            QuotaStatus { in_use, quota },
            StatusCounts {
                active,
                blocked,
                removed,
            },
        )
    }))
}

/// Gives back one place of the account quota (an account was removed).
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn release_account_place(
    conn: &mut AnyConnection,
    id: OrganizationId,
) -> Result<()> {
    sqlx::query(
        "UPDATE organizations SET accounts_in_use = accounts_in_use - 1 \
         WHERE id = $1 AND accounts_in_use > 0",
    )
    .bind(id.get())
    .execute(conn)
    .await?;
    Ok(())
}

/// Sets both quotas, unless what is in use no longer fits them; `false` then.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn set_quotas(
    conn: &mut AnyConnection,
    id: OrganizationId,
    account_quota: i64,
    user_quota: i64,
) -> Result<bool> {
    let result = sqlx::query(
        "UPDATE organizations SET account_quota = $1, user_quota = $2 \
         WHERE id = $3 AND accounts_in_use <= $1 AND $2 >= (SELECT COUNT(*) FROM users u \
         JOIN accounts a ON a.partner_id = u.account_id \
         WHERE a.organization_id = $3 AND a.parent_id IS NULL)",
    )
    .bind(account_quota)
    .bind(user_quota)
    .bind(id.get())
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// A summary row as read.
#[derive(sqlx::FromRow)]
struct SummaryRow {
    parent_partner_id: i64,
    name: String,
    admin_email: String,
    accounts_in_use: i64,
    account_quota: i64,
    users_in_use: i64,
    user_quota: i64,
    category_copy_limit: i64,
    item_copy_limit: i64,
}

impl From<SummaryRow> for OrganizationSummary {
    fn from(row: SummaryRow) -> Self {
        OrganizationSummary {
            parent_partner_id: row.parent_partner_id,
            name: row.name,
            admin_email: row.admin_email,
            accounts_in_use: row.accounts_in_use,
            account_quota: row.account_quota,
            users_in_use: row.users_in_use,
            user_quota: row.user_quota,
            category_copy_limit: row.category_copy_limit,
            item_copy_limit: row.item_copy_limit,
        }
    }
}

const SUMMARY: &str = "SELECT a.partner_id AS parent_partner_id, a.name, a.admin_email, \
     o.accounts_in_use, o.account_quota, \
     (SELECT COUNT(*) FROM users u WHERE u.account_id = a.partner_id) AS users_in_use, \
     o.user_quota, o.category_copy_limit, o.item_copy_limit \
     FROM organizations o JOIN accounts a ON a.organization_id = o.id AND a.parent_id IS NULL";

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn summaries(conn: &mut AnyConnection) -> Result<Vec<OrganizationSummary>> {
    // The platform's own organization (the Default Template's) is not a customer.
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "{SUMMARY} WHERE NOT o.is_platform ORDER BY a.partner_id"
    ))
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(OrganizationSummary::from).collect())
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn summary(
    conn: &mut AnyConnection,
    parent: PartnerId,
) -> Result<Option<OrganizationSummary>> {
    let row: Option<SummaryRow> = sqlx::query_as(&format!("{SUMMARY} WHERE a.partner_id = $1"))
        .bind(parent.get())
        .fetch_optional(conn)
        .await?;
    Ok(row.map(OrganizationSummary::from))
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn count(conn: &mut AnyConnection) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM organizations WHERE NOT is_platform")
            .fetch_one(conn)
            .await?,
    )
}

/// How much of a template an organization's new accounts may copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CopyLimits {
    pub categories: i64,
    pub items: i64,
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn copy_limits(
    conn: &mut AnyConnection,
    id: OrganizationId,
) -> Result<Option<CopyLimits>> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT category_copy_limit, item_copy_limit FROM organizations WHERE id = $1",
    )
    .bind(id.get())
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(categories, items)| CopyLimits { categories, items }))
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn set_copy_limits(
    conn: &mut AnyConnection,
    id: OrganizationId,
    limits: CopyLimits,
) -> Result<()> {
    sqlx::query(
        "UPDATE organizations SET category_copy_limit = $1, item_copy_limit = $2 WHERE id = $3",
    )
    .bind(limits.categories)
    .bind(limits.items)
    .bind(id.get())
    .execute(conn)
    .await?;
    Ok(())
}

/// The platform's own organization, if it exists yet.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn platform(conn: &mut AnyConnection) -> Result<Option<OrganizationId>> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM organizations WHERE is_platform")
        .fetch_optional(conn)
        .await?;
    Ok(id.map(OrganizationId::new))
}

/// The organization's parent account.
pub(crate) async fn parent_of(
    conn: &mut AnyConnection,
    organization: OrganizationId,
) -> Result<Option<PartnerId>> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT partner_id FROM accounts WHERE organization_id = $1 AND parent_id IS NULL",
    )
    .bind(organization.get())
    .fetch_optional(conn)
    .await?;
    Ok(id.map(PartnerId::new))
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn insert_platform(
    conn: &mut AnyConnection,
    created_at: Timestamp,
) -> Result<OrganizationId, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO organizations (account_quota, user_quota, created_at, is_platform) \
         VALUES (0, 1, $1, $2) RETURNING id",
    )
    .bind(created_at.millis())
    .bind(true)
    .fetch_one(conn)
    .await?;
    Ok(OrganizationId::new(id))
}
