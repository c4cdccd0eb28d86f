//! One page of an organization's accounts: filters, search and keyset order.
//!
//! Searching is where the time goes in a large organization, and the fastest way to
//! answer depends on how many accounts match:
//!
//! - **few** (a name, an email): collect the matches from an index, then order them;
//! - **many** (a word every account has): walk the list in its order and keep the rows
//!   that match, which stops as soon as a page is full.
//!
//! SQLite asks its trigram index how many match (cheaply, up to a limit) and picks.
//! PostgreSQL's planner picks on its own, given a trigram lookup it can afford
//! (see `trigrams`: the index is asked for the text's rare part).

use sqlx::AnyConnection;

use super::trigrams::TrigramIndex;
use super::{AccountRow, COLUMNS};
use crate::domain::{Account, AccountQuery, CursorKey, Direction, OrganizationId, Search, SortKey};
use crate::error::Result;
use crate::storage::sql::{Sql, Value};
use crate::storage::{Backend, Db};

/// The trigram indexes find substrings of three characters or more; shorter ones
/// are matched by a walk (they match too much to be worth an index anyway).
const TRIGRAM: usize = 3;

/// Up to this many matches in SQLite's index, collecting them is the faster plan.
const COLLECT_LIMIT: i64 = 2_000;

/// How many rows of the list a walk looks at before it gives up on finding a page:
/// about 2 ms on a 2-core machine. Beyond it the matches are too sparse at the front
/// of the list, and collecting them from the index is faster.
const WALK_WINDOW: i64 = 2_000;

/// One page of an organization's accounts in the query's order, by keyset:
/// the page starts after the cursor's (sort value, Partner ID), never at an OFFSET.
/// Runs inside the caller's transaction.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn page(
    conn: &mut AnyConnection,
    db: &Db,
    organization: OrganizationId,
    query: &AccountQuery,
    limit: i64,
) -> Result<Vec<Account>> {
    let Some(search) = &query.search else {
        return fetch(conn, &select(organization, query, None, limit)).await;
    };
    match db.backend() {
        Backend::Postgres => {
            // Plan this page with its actual values: after a few runs PostgreSQL may
            // switch a prepared statement to a generic plan, which cannot see a
            // search's pattern and scans instead of using the trigram index.
            sqlx::query("SET LOCAL plan_cache_mode = force_custom_plan")
                .execute(&mut *conn)
                .await?;
            let index = match search {
                Search::PartnerId(_) => None,
                Search::AccountName(_) => Some(TrigramIndex::Name),
                Search::FreeText(_) => Some(TrigramIndex::Text),
            };
            let sample = match index {
                Some(index) => Some(db.trigram_samples().get(&mut *conn, index).await?),
                None => None,
            };
            let probe = match (search, &sample) {
                (Search::AccountName(text) | Search::FreeText(text), Some(sample)) => {
                    sample.probe(text)
                }
                _ => None,
            };
            let filter = Filter::Postgres(search, probe);
            fetch(conn, &select(organization, query, Some(filter), limit)).await
        }
        Backend::Sqlite => {
            let Some(fts) = fts_query(search) else {
                let filter = Filter::Like(search);
                return fetch(conn, &select(organization, query, Some(filter), limit)).await;
            };
            if fts_matches(conn, &fts).await? >= COLLECT_LIMIT
                && let Some(rows) = walk(conn, organization, query, search, limit).await?
            {
                return Ok(rows);
            }
            let filter = Filter::Collect(fts);
            fetch(conn, &select(organization, query, Some(filter), limit)).await
        }
    }
}

/// How a search narrows the list.
enum Filter<'a> {
    /// A LIKE on each searched column (SQLite, ASCII case-insensitive like `lower`).
    Like(&'a Search),
    /// The partner IDs SQLite's trigram index finds for this FTS5 query.
    Collect(String),
    /// PostgreSQL's expressions, exactly as its trigram indexes are built; the
    /// index looks up the probe (a part of the text) when there is one.
    Postgres(&'a Search, Option<&'a str>),
}

/// The page's conditions and order, without the search.
struct Listing {
    conditions: Vec<String>,
    order_by: String,
}

fn listing(sql: &mut Sql, organization: OrganizationId, query: &AccountQuery) -> Listing {
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
    Listing {
        conditions,
        order_by,
    }
}

/// `SELECT` one page, the search (if any) a condition beside the others.
fn select(
    organization: OrganizationId,
    query: &AccountQuery,
    filter: Option<Filter<'_>>,
    limit: i64,
) -> Sql {
    let mut sql = Sql::default();
    let Listing {
        mut conditions,
        order_by,
    } = listing(&mut sql, organization, query);
    if let Some(filter) = filter {
        conditions.push(filter_condition(&mut sql, filter));
    }
    let limit = sql.param(Value::Int(limit));
    sql.push_str(&format!(
        "SELECT {} FROM accounts WHERE {} ORDER BY {order_by} LIMIT {limit}",
        *COLUMNS,
        conditions.join(" AND ")
    ));
    sql
}

/// The first page among the list's first [`WALK_WINDOW`] rows, if they hold one
/// (or are the whole list); `None` when the matches are too sparse for a walk.
async fn walk(
    conn: &mut AnyConnection,
    organization: OrganizationId,
    query: &AccountQuery,
    search: &Search,
    limit: i64,
) -> Result<Option<Vec<Account>>> {
    let mut sql = Sql::default();
    let Listing {
        conditions,
        order_by,
    } = listing(&mut sql, organization, query);
    let window = sql.param(Value::Int(WALK_WINDOW));
    let like = filter_condition(&mut sql, Filter::Like(search));
    let limit_param = sql.param(Value::Int(limit));
    sql.push_str(&format!(
        "SELECT * FROM (SELECT {} FROM accounts WHERE {} ORDER BY {order_by} LIMIT {window}) \
         WHERE {like} ORDER BY {order_by} LIMIT {limit_param}",
        *COLUMNS,
        conditions.join(" AND ")
    ));
    let rows = fetch(&mut *conn, &sql).await?;
    if rows.len() as i64 >= limit {
        return Ok(Some(rows));
    }
    // Fewer than a page: complete if the window held the whole rest of the list.
    let mut sql = Sql::default();
    let Listing { conditions, .. } = listing(&mut sql, organization, query);
    let window = sql.param(Value::Int(WALK_WINDOW));
    sql.push_str(&format!(
        "SELECT COUNT(*) FROM (SELECT 1 FROM accounts WHERE {} LIMIT {window})",
        conditions.join(" AND ")
    ));
    let seen: i64 = sql.query_scalar().fetch_one(conn).await?;
    Ok((seen < WALK_WINDOW).then_some(rows))
}

async fn fetch(conn: &mut AnyConnection, sql: &Sql) -> Result<Vec<Account>> {
    let rows: Vec<AccountRow> = sql.query_as().fetch_all(conn).await?;
    rows.into_iter().map(Account::try_from).collect()
}

fn filter_condition(sql: &mut Sql, filter: Filter<'_>) -> String {
    match filter {
        Filter::Collect(fts) => {
            let fts = sql.param(Value::Text(fts));
            format!(
                "partner_id IN (SELECT rowid FROM accounts_search WHERE accounts_search MATCH {fts})"
            )
        }
        Filter::Like(Search::PartnerId(id)) | Filter::Postgres(Search::PartnerId(id), _) => {
            format!("partner_id = {}", sql.param(Value::Int(id.get())))
        }
        // SQLite's LIKE ignores ASCII case, and its `lower` changes nothing else:
        // the same matches as `lower(column) LIKE`, without a call per row.
        Filter::Like(Search::AccountName(text)) => {
            let p = sql.param(Value::Text(like_pattern(text)));
            format!("name LIKE {p} ESCAPE '\\'")
        }
        Filter::Like(Search::FreeText(text)) => {
            let p = sql.param(Value::Text(like_pattern(text)));
            format!(
                "(name LIKE {p} ESCAPE '\\' OR website_url LIKE {p} ESCAPE '\\' \
                 OR admin_name LIKE {p} ESCAPE '\\' OR admin_email LIKE {p} ESCAPE '\\')"
            )
        }
        Filter::Postgres(Search::AccountName(text), probe) => {
            pg_contains(sql, "lower(name)", text, probe)
        }
        Filter::Postgres(Search::FreeText(text), probe) => pg_contains(sql, PG_TEXT, text, probe),
    }
}

/// `expr` contains `text`, the index looking up `probe` (a part of it) if given and
/// `strpos` (which no index answers) checking the whole on the rows it finds.
fn pg_contains(sql: &mut Sql, expr: &str, text: &str, probe: Option<&str>) -> String {
    // Backslash is PostgreSQL's default LIKE escape.
    match probe {
        None => format!("{expr} LIKE {}", sql.param(Value::Text(like_pattern(text)))),
        Some(probe) => {
            let probe = sql.param(Value::Text(like_pattern(probe)));
            let text = sql.param(Value::Text(text.to_owned()));
            format!("{expr} LIKE {probe} AND strpos({expr}, {text}) > 0")
        }
    }
}

/// The free-text haystack; PostgreSQL's trigram index is built on exactly this expression.
const PG_TEXT: &str =
    "lower(name || ' ' || coalesce(website_url, '') || ' ' || admin_name || ' ' || admin_email)";

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

/// How many rows (of every organization) the index matches, counted up to
/// [`COLLECT_LIMIT`]: cheap however many there are.
async fn fts_matches(conn: &mut AnyConnection, fts: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT rowid FROM accounts_search \
         WHERE accounts_search MATCH $1 LIMIT $2)",
    )
    .bind(fts)
    .bind(COLLECT_LIMIT)
    .fetch_one(conn)
    .await?)
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
