//! SQL for bulk jobs and their items.

use sqlx::AnyConnection;

use super::sql::{Sql, Value, flag};
use crate::clock::Timestamp;
use crate::domain::bulk::BulkOutcome;
use crate::domain::{AccountAction, AccountStanding, OrganizationId, PartnerId, Status, UserId};
use crate::error::{Error, Result};

/// Rows per multi-row INSERT: three parameters each, far below either database's
/// limit on parameters per statement.
const INSERT_CHUNK: usize = 300;

pub(crate) struct NewJob<'a> {
    pub organization_id: OrganizationId,
    pub action: AccountAction,
    pub actor: &'a str,
    pub actor_user_id: Option<UserId>,
    pub acting_as: Option<&'a str>,
    pub address: &'a str,
    pub total: i64,
    pub started_at: Timestamp,
}

/// A job as stored.
#[derive(Clone, Debug)]
pub(crate) struct Job {
    pub id: i64,
    pub organization_id: OrganizationId,
    pub action: AccountAction,
    pub actor: String,
    pub actor_user_id: Option<UserId>,
    pub acting_as: Option<String>,
    pub address: String,
    pub total: i64,
    pub processed: i64,
    pub done: i64,
    pub skipped: i64,
    pub processed_through: i64,
    pub finished: bool,
}

#[derive(sqlx::FromRow)]
struct JobRow {
    id: i64,
    organization_id: i64,
    action: String,
    actor: String,
    actor_user_id: Option<i64>,
    acting_as: Option<String>,
    address: String,
    total: i64,
    processed: i64,
    done: i64,
    skipped: i64,
    processed_through: i64,
    finished_at: Option<i64>,
}

impl TryFrom<JobRow> for Job {
    type Error = Error;

    fn try_from(row: JobRow) -> Result<Self> {
        let action = AccountAction::parse(&row.action)
            .map_err(|_| Error::Internal(format!("unknown bulk action {:?}", row.action)))?;
        Ok(Job {
            id: row.id,
            organization_id: OrganizationId::new(row.organization_id),
            action,
            actor: row.actor,
            actor_user_id: row.actor_user_id.map(UserId::new),
            acting_as: row.acting_as,
            address: row.address,
            total: row.total,
            processed: row.processed,
            done: row.done,
            skipped: row.skipped,
            processed_through: row.processed_through,
            finished: row.finished_at.is_some(),
        })
    }
}

const JOB_COLUMNS: &str = "id, organization_id, action, actor, actor_user_id, acting_as, \
     address, total, processed, done, skipped, processed_through, finished_at";

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn insert_job(conn: &mut AnyConnection, job: &NewJob<'_>) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO bulk_jobs (organization_id, action, actor, actor_user_id, acting_as, \
         address, total, started_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(job.organization_id.get())
    .bind(job.action.as_param())
    .bind(job.actor)
    .bind(job.actor_user_id.map(UserId::get))
    .bind(job.acting_as)
    .bind(job.address)
    .bind(job.total)
    .bind(job.started_at.millis())
    .fetch_one(conn)
    .await?)
}

/// Writes the job's accounts (Partner ID and name), pending.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn insert_items(
    conn: &mut AnyConnection,
    job: i64,
    items: &[(PartnerId, String)],
) -> Result<()> {
    for chunk in items.chunks(INSERT_CHUNK) {
        let mut sql = Sql::new("INSERT INTO bulk_job_items (job_id, partner_id, name) VALUES ");
        for (i, (id, name)) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push(
                "(?, ?, ?)",
                [
                    Value::Int(job),
                    Value::Int(id.get()),
                    Value::Text(name.clone()),
                ],
            );
        }
        sql.query().execute(&mut *conn).await?;
    }
    Ok(())
}

/// The organization's job at work, if any.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn running(conn: &mut AnyConnection, org: OrganizationId) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM bulk_jobs WHERE organization_id = $1 AND finished_at IS NULL",
    )
    .bind(org.get())
    .fetch_optional(conn)
    .await?)
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<Job>> {
    let row: Option<JobRow> = sqlx::query_as(&format!(
        "SELECT {JOB_COLUMNS} FROM bulk_jobs WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.map(Job::try_from).transpose()
}

/// The organization's newest job its panel still shows (not dismissed).
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn latest_shown(
    conn: &mut AnyConnection,
    org: OrganizationId,
) -> Result<Option<Job>> {
    let row: Option<JobRow> = sqlx::query_as(&format!(
        "SELECT {JOB_COLUMNS} FROM bulk_jobs WHERE organization_id = $1 \
         AND dismissed_at IS NULL ORDER BY id DESC LIMIT 1"
    ))
    .bind(org.get())
    .fetch_optional(conn)
    .await?;
    row.map(Job::try_from).transpose()
}

/// Every job not finished, oldest first: what a starting server takes up again.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn unfinished(conn: &mut AnyConnection) -> Result<Vec<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM bulk_jobs WHERE finished_at IS NULL ORDER BY id")
            .fetch_all(conn)
            .await?,
    )
}

/// The next pending Partner IDs of the job, in order.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn next_items(
    conn: &mut AnyConnection,
    job: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<PartnerId>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT partner_id FROM bulk_job_items WHERE job_id = $1 AND partner_id > $2 \
         ORDER BY partner_id LIMIT $3",
    )
    .bind(job)
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(ids.into_iter().map(PartnerId::new).collect())
}

/// What the rules need of each of these accounts, and whose they are; accounts
/// that no longer exist are absent.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn standings(
    conn: &mut AnyConnection,
    ids: &[PartnerId],
) -> Result<Vec<(PartnerId, OrganizationId, AccountStanding)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(format!(
        "SELECT partner_id, organization_id, parent_id, status, {} FROM accounts \
         WHERE partner_id IN (",
        flag("is_template")
    ));
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push("?", [Value::Int(id.get())]);
    }
    sql.push_str(")");
    let rows: Vec<(i64, i64, Option<i64>, String, i64)> =
        sql.query_as().fetch_all(&mut *conn).await?;
    rows.into_iter()
        .map(|(id, org, parent, status, is_template)| {
            let status = Status::from_db(&status)
                .ok_or_else(|| Error::Internal(format!("unknown account status {status:?}")))?;
            Ok((
                PartnerId::new(id),
                OrganizationId::new(org),
                AccountStanding {
                    status,
                    is_parent: parent.is_none(),
                    is_template: is_template != 0,
                },
            ))
        })
        .collect()
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn set_outcome(
    conn: &mut AnyConnection,
    job: i64,
    id: PartnerId,
    outcome: &BulkOutcome,
) -> Result<()> {
    let (code, reason) = match outcome {
        BulkOutcome::Done => ("done", ""),
        BulkOutcome::Skipped(reason) => ("skipped", reason.as_str()),
    };
    sqlx::query(
        "UPDATE bulk_job_items SET outcome = $1, reason = $2 WHERE job_id = $3 AND partner_id = $4",
    )
    .bind(code)
    .bind(reason)
    .bind(job)
    .bind(id.get())
    .execute(conn)
    .await?;
    Ok(())
}

/// Moves the job on past a batch; `finished` when nothing is left after it.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn advance(
    conn: &mut AnyConnection,
    job: i64,
    batch: (i64, i64),
    through: i64,
    finished: Option<Timestamp>,
) -> Result<()> {
    let (done, skipped) = batch;
    sqlx::query(
        "UPDATE bulk_jobs SET processed = processed + $1, done = done + $2, \
         skipped = skipped + $3, processed_through = $4, finished_at = $5 WHERE id = $6",
    )
    .bind(done + skipped)
    .bind(done)
    .bind(skipped)
    .bind(through)
    .bind(finished.map(Timestamp::millis))
    .bind(job)
    .execute(conn)
    .await?;
    Ok(())
}

/// A finished job's results, skipped accounts first, then in Partner ID order.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn results(
    conn: &mut AnyConnection,
    job: i64,
    limit: i64,
) -> Result<Vec<(PartnerId, String, BulkOutcome)>> {
    let rows: Vec<(i64, String, Option<String>, String)> = sqlx::query_as(
        "SELECT partner_id, name, outcome, reason FROM bulk_job_items WHERE job_id = $1 \
         ORDER BY CASE WHEN outcome = 'skipped' THEN 0 ELSE 1 END, partner_id LIMIT $2",
    )
    .bind(job)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, name, outcome, reason)| {
            let outcome = match outcome.as_deref() {
                Some("done") => BulkOutcome::Done,
                Some(_) => BulkOutcome::Skipped(reason),
                None => return None,
            };
            Some((PartnerId::new(id), name, outcome))
        })
        .collect())
}

/// Hides a finished job's panel; `false` if the organization has no such job.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn dismiss(
    conn: &mut AnyConnection,
    org: OrganizationId,
    job: i64,
    at: Timestamp,
) -> Result<bool> {
    let result = sqlx::query(
        "UPDATE bulk_jobs SET dismissed_at = $1 WHERE id = $2 AND organization_id = $3 \
         AND finished_at IS NOT NULL",
    )
    .bind(at.millis())
    .bind(job)
    .bind(org.get())
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}
