//! SQL for accounts.

use std::sync::LazyLock;

use sqlx::AnyConnection;

use super::Backend;
use super::sql::{Sql, Value, flag};
use crate::clock::Timestamp;
use crate::domain::{
    Account, AccountName, EmailAddress, NewAccount, OrganizationId, PartnerId, PersonName,
    PhoneNumber, ReferenceId, Status, WebsiteUrl,
};
use crate::domain::{AccountQuery, CursorKey, Direction, Search, SortKey};
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

/// `%text%` for LIKE, with LIKE's own wildcards escaped (used with `ESCAPE '\'`).
fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// An FTS5 phrase that matches `text` literally (quotes doubled).
fn fts_phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The free-text haystack; PostgreSQL's trigram index is built on exactly this expression.
const PG_TEXT: &str =
    "lower(name || ' ' || coalesce(website_url, '') || ' ' || admin_name || ' ' || admin_email)";

/// The trigram index finds substrings of three characters or more; shorter ones
/// fall back to a scan (they match too much to be worth an index anyway).
const TRIGRAM: usize = 3;

/// How SQLite joins a full-text match to the ordered list.
#[derive(Clone, Copy)]
enum FtsPlan {
    /// Few matches: collect them from the index, then order them.
    Collect,
    /// Many matches: walk the list in its order and keep the rows that match,
    /// which stops as soon as a page is full.
    Filter,
}

/// Matches above this make [`FtsPlan::Filter`] the faster plan: with more than
/// this many among the rows, a page's worth turns up early in any order.
const FTS_COLLECT_LIMIT: i64 = 2_000;

/// The FTS5 query for a search, when the trigram index can answer it.
fn fts_query(search: &Search) -> Option<String> {
    match search {
        Search::AccountName(text) if text.chars().count() >= TRIGRAM => {
            Some(format!("name : {}", fts_phrase(text)))
        }
        Search::FreeText(text) if text.chars().count() >= TRIGRAM => Some(fts_phrase(text)),
        _ => None,
    }
}

/// Chooses the plan by counting matches, up to the limit (cheap either way).
async fn fts_plan(conn: &mut AnyConnection, fts: &str) -> Result<FtsPlan> {
    let matches: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT rowid FROM accounts_search \
         WHERE accounts_search MATCH $1 LIMIT $2)",
    )
    .bind(fts)
    .bind(FTS_COLLECT_LIMIT)
    .fetch_one(conn)
    .await?;
    Ok(if matches < FTS_COLLECT_LIMIT {
        FtsPlan::Collect
    } else {
        FtsPlan::Filter
    })
}

fn search_condition(
    sql: &mut Sql,
    backend: Backend,
    search: &Search,
    fts: Option<(String, FtsPlan)>,
) -> String {
    if let (Backend::Sqlite, Some((query, plan))) = (backend, fts) {
        let query = sql.param(Value::Text(query));
        return match plan {
            FtsPlan::Collect => format!(
                "partner_id IN (SELECT rowid FROM accounts_search WHERE accounts_search MATCH {query})"
            ),
            FtsPlan::Filter => format!(
                "EXISTS (SELECT 1 FROM accounts_search WHERE accounts_search MATCH {query} \
                 AND accounts_search.rowid = accounts.partner_id)"
            ),
        };
    }
    match (search, backend) {
        (Search::PartnerId(id), _) => format!("partner_id = {}", sql.param(Value::Int(id.get()))),
        (Search::AccountName(text), _) => {
            let pattern = sql.param(Value::Text(like_pattern(text)));
            format!("lower(name) LIKE {pattern} ESCAPE '\\'")
        }
        (Search::FreeText(text), Backend::Postgres) => {
            // Backslash is PostgreSQL's default LIKE escape.
            let pattern = sql.param(Value::Text(like_pattern(text)));
            format!("{PG_TEXT} LIKE {pattern}")
        }
        (Search::FreeText(text), Backend::Sqlite) => {
            let p = sql.param(Value::Text(like_pattern(text)));
            format!(
                "(lower(name) LIKE {p} ESCAPE '\\' OR lower(coalesce(website_url, '')) LIKE {p} ESCAPE '\\' \
                 OR lower(admin_name) LIKE {p} ESCAPE '\\' OR lower(admin_email) LIKE {p} ESCAPE '\\')"
            )
        }
    }
}

/// One page of an organization's accounts in the query's order, by keyset:
/// the page starts after the cursor's (sort value, Partner ID), never at an OFFSET.
/// Runs inside the caller's transaction.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn page(
    conn: &mut AnyConnection,
    backend: Backend,
    organization: OrganizationId,
    query: &AccountQuery,
    limit: i64,
) -> Result<Vec<Account>> {
    if backend == Backend::Postgres {
        // Plan this page with its actual values: after a few runs PostgreSQL may
        // switch a prepared statement to a generic plan, which cannot see a
        // search's pattern and scans instead of using the trigram index.
        sqlx::query("SET LOCAL plan_cache_mode = force_custom_plan")
            .execute(&mut *conn)
            .await?;
    }
    let mut sql = Sql::default();
    let org = sql.param(Value::Int(organization.get()));
    let statuses: Vec<String> = query
        .statuses
        .iter()
        .map(|s| sql.param(Value::Text(s.as_db().to_owned())))
        .collect();
    let mut conditions = vec![
        format!("organization_id = {org}"),
        format!("status IN ({})", statuses.join(", ")),
    ];
    if let Some(search) = &query.search {
        let fts = match (backend, fts_query(search)) {
            (Backend::Sqlite, Some(fts)) => {
                let plan = fts_plan(conn, &fts).await?;
                Some((fts, plan))
            }
            _ => None,
        };
        conditions.push(search_condition(&mut sql, backend, search, fts));
    }
    let (order, compare) = match query.sort.direction {
        Direction::Asc => ("ASC", ">"),
        Direction::Desc => ("DESC", "<"),
    };
    let column = match query.sort.key {
        SortKey::Created => Some("created_at"),
        SortKey::Name => Some("name"),
        SortKey::PartnerId => None,
    };
    if let Some(cursor) = &query.after {
        let id = cursor.partner_id.get();
        let condition = match &cursor.key {
            CursorKey::Created(at) => Some(Value::Int(at.millis())),
            CursorKey::Name(name) => Some(Value::Text(name.clone())),
            CursorKey::PartnerId => None,
        }
        .zip(column)
        .map(|(value, column)| {
            let value = sql.param(value);
            let id = sql.param(Value::Int(id));
            format!("({column}, partner_id) {compare} ({value}, {id})")
        })
        .unwrap_or_else(|| format!("partner_id {compare} {}", sql.param(Value::Int(id))));
        conditions.push(condition);
    }
    let order_by = match column {
        Some(column) => format!("{column} {order}, partner_id {order}"),
        None => format!("partner_id {order}"),
    };
    let limit = sql.param(Value::Int(limit));
    sql.push_str(&format!(
        "SELECT {} FROM accounts WHERE {} ORDER BY {order_by} LIMIT {limit}",
        *COLUMNS,
        conditions.join(" AND ")
    ));
    let rows: Vec<AccountRow> = sql.query_as().fetch_all(conn).await?;
    rows.into_iter().map(Account::try_from).collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn fts_phrases_quote_literally() {
        assert_eq!(fts_phrase("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
