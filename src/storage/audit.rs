//! SQL for the audit log: insert and read, nothing else (the table refuses the rest).

use sqlx::AnyConnection;

use super::sql::{Sql, Value};
use crate::clock::Timestamp;
use crate::domain::audit::{AuditAction, AuditEntry, AuditFilter, AuditOutcome};
use crate::domain::{OrganizationId, PartnerId, UserId};
use crate::error::{Error, Result};

pub(crate) struct NewEntry<'a> {
    pub at: Timestamp,
    pub organization_id: Option<OrganizationId>,
    pub actor: &'a str,
    pub actor_user_id: Option<UserId>,
    pub acting_as: Option<&'a str>,
    pub action: AuditAction,
    pub partner_id: Option<PartnerId>,
    pub address: &'a str,
    pub outcome: AuditOutcome,
    pub detail: &'a str,
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn insert(conn: &mut AnyConnection, entry: &NewEntry<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, organization_id, actor, actor_user_id, acting_as, action, \
         partner_id, address, outcome, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(entry.at.millis())
    .bind(entry.organization_id.map(OrganizationId::get))
    .bind(entry.actor)
    .bind(entry.actor_user_id.map(UserId::get))
    .bind(entry.acting_as)
    .bind(entry.action.code())
    .bind(entry.partner_id.map(PartnerId::get))
    .bind(entry.address)
    .bind(entry.outcome.as_db())
    .bind(entry.detail)
    .execute(conn)
    .await?;
    Ok(())
}

/// How many refusals (and failures) a caller has had recorded since `since`,
/// counting no further than `up_to`.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn refusals_since(
    conn: &mut AnyConnection,
    actor: &str,
    address: &str,
    since: Timestamp,
    up_to: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT 1 FROM audit_log WHERE outcome <> 'done' AND actor = $1 \
         AND address = $2 AND at >= $3 LIMIT $4) AS recent",
    )
    .bind(actor)
    .bind(address)
    .bind(since.millis())
    .bind(up_to)
    .fetch_one(conn)
    .await?)
}

const COLUMNS: &str = "id, at, organization_id, actor, acting_as, action, partner_id, address, \
                       outcome, detail";

/// One organization's entries, newest first, after the filter. Only the conditions
/// in use are written, so each query is one range of one index — `(organization_id,
/// at, id)`, `(organization_id, action, at, id)` or `(partner_id, at, id)` — read
/// backwards until `limit` rows.
#[tracing::instrument(level = "debug", skip_all)]
/// `accounts`, when given, keeps the entries about those accounts only (the
/// accounts a name filter found; never empty).
pub(crate) async fn page(
    conn: &mut AnyConnection,
    organization: OrganizationId,
    filter: &AuditFilter,
    accounts: Option<&[PartnerId]>,
    limit: i64,
) -> Result<Vec<AuditEntry>> {
    let mut sql = Sql::new(format!("SELECT {COLUMNS} FROM audit_log WHERE "));
    sql.push("organization_id = ?", [Value::Int(organization.get())]);
    if let Some(account) = filter.partner_id {
        sql.push(" AND partner_id = ?", [Value::Int(account.get())]);
    }
    if let Some(accounts) = accounts {
        let places = vec!["?"; accounts.len()].join(", ");
        sql.push(
            &format!(" AND partner_id IN ({places})"),
            accounts.iter().map(|id| Value::Int(id.get())),
        );
    }
    if let Some(action) = filter.action {
        sql.push(" AND action = ?", [Value::Text(action.code().to_owned())]);
    }
    if let Some(from) = filter.from {
        sql.push(" AND at >= ?", [Value::Int(from.millis())]);
    }
    if let Some(to) = filter.to {
        sql.push(" AND at < ?", [Value::Int(to.millis())]);
    }
    if let Some(before) = filter.before {
        // A row-value comparison, which both databases read as an index range.
        sql.push(
            " AND (at, id) < (?, ?)",
            [Value::Int(before.at), Value::Int(before.id)],
        );
    }
    sql.push(" ORDER BY at DESC, id DESC LIMIT ?", [Value::Int(limit)]);
    let rows: Vec<EntryRow> = sql.query_as().fetch_all(conn).await?;
    rows.into_iter().map(AuditEntry::try_from).collect()
}

/// The names of those of `accounts` that are the organization's and still exist
/// (an operator may have deleted one since), for the Audit tab's "Name (ID)".
pub(crate) async fn account_names(
    conn: &mut AnyConnection,
    organization: OrganizationId,
    accounts: &[i64],
) -> Result<Vec<(i64, String)>> {
    if accounts.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new("SELECT partner_id, name FROM accounts WHERE ");
    sql.push("organization_id = ?", [Value::Int(organization.get())]);
    let places = vec!["?"; accounts.len()].join(", ");
    sql.push(
        &format!(" AND partner_id IN ({places})"),
        accounts.iter().map(|id| Value::Int(*id)),
    );
    Ok(sql.query_as().fetch_all(conn).await?)
}

/// An entry as read: the outcome becomes its type here, once.
#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    at: i64,
    organization_id: Option<i64>,
    actor: String,
    acting_as: Option<String>,
    action: String,
    partner_id: Option<i64>,
    address: String,
    outcome: String,
    detail: String,
}

impl TryFrom<EntryRow> for AuditEntry {
    type Error = Error;

    fn try_from(row: EntryRow) -> Result<Self> {
        let outcome = AuditOutcome::from_db(&row.outcome)
            .ok_or_else(|| Error::Internal(format!("unknown audit outcome {:?}", row.outcome)))?;
        Ok(AuditEntry {
            account_name: None,
            id: row.id,
            at: row.at,
            organization_id: row.organization_id,
            actor: row.actor,
            acting_as: row.acting_as,
            action: row.action,
            partner_id: row.partner_id,
            address: row.address,
            outcome,
            detail: row.detail,
        })
    }
}

/// Every entry, or one account's, oldest first.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn all(
    conn: &mut AnyConnection,
    account: Option<PartnerId>,
) -> Result<Vec<AuditEntry>> {
    let rows: Vec<EntryRow> = match account {
        Some(account) => {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM audit_log WHERE partner_id = $1 ORDER BY id"
            ))
            .bind(account.get())
            .fetch_all(conn)
            .await?
        }
        None => {
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM audit_log ORDER BY id"))
                .fetch_all(conn)
                .await?
        }
    };
    rows.into_iter().map(AuditEntry::try_from).collect()
}
