//! SQL for the audit log: insert and read, nothing else (the table refuses the rest).

use sqlx::AnyConnection;

use crate::audit::{AuditEntry, AuditFilter};
use crate::clock::Timestamp;
use crate::domain::{OrganizationId, PartnerId, UserId};
use crate::error::Result;

pub(crate) struct NewEntry<'a> {
    pub at: Timestamp,
    pub organization_id: Option<OrganizationId>,
    pub actor: &'a str,
    pub actor_user_id: Option<UserId>,
    pub acting_as: Option<&'a str>,
    pub action: &'a str,
    pub partner_id: Option<PartnerId>,
    pub address: &'a str,
    pub outcome: &'a str,
    pub detail: &'a str,
}

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
    .bind(entry.action)
    .bind(entry.partner_id.map(PartnerId::get))
    .bind(entry.address)
    .bind(entry.outcome)
    .bind(entry.detail)
    .execute(conn)
    .await?;
    Ok(())
}

/// How many refusals (and failures) a caller has had recorded since `since`,
/// counting no further than `up_to`.
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
pub(crate) async fn page<'a>(
    conn: &mut AnyConnection,
    organization: OrganizationId,
    filter: &'a AuditFilter,
    limit: i64,
) -> Result<Vec<AuditEntry>> {
    let mut sql = format!("SELECT {COLUMNS} FROM audit_log WHERE organization_id = $1");
    let mut values: Vec<Value<'a>> = vec![Value::Int(organization.get())];
    let mut condition = |sql_part: &str, value: Value<'a>| {
        values.push(value);
        sql.push_str(&sql_part.replace('?', &format!("${}", values.len())));
    };
    if let Some(account) = filter.partner_id {
        condition(" AND partner_id = ?", Value::Int(account.get()));
    }
    if let Some(action) = &filter.action {
        condition(" AND action = ?", Value::Text(action));
    }
    if let Some(from) = filter.from {
        condition(" AND at >= ?", Value::Int(from.millis()));
    }
    if let Some(to) = filter.to {
        condition(" AND at < ?", Value::Int(to.millis()));
    }
    if let Some(before) = filter.before {
        // A row-value comparison, which both databases read as an index range.
        condition(" AND (at, id) < (?", Value::Int(before.at));
        condition(", ?)", Value::Int(before.id));
    }
    condition(" ORDER BY at DESC, id DESC LIMIT ?", Value::Int(limit));
    let mut query = sqlx::query_as(&sql);
    for value in values {
        query = match value {
            Value::Int(v) => query.bind(v),
            Value::Text(v) => query.bind(v),
        };
    }
    Ok(query.fetch_all(conn).await?)
}

enum Value<'a> {
    Int(i64),
    Text(&'a str),
}

/// Every entry, or one account's, oldest first.
pub(crate) async fn all(
    conn: &mut AnyConnection,
    account: Option<PartnerId>,
) -> Result<Vec<AuditEntry>> {
    Ok(match account {
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
    })
}
