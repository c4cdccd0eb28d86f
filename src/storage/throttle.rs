//! SQL for failed attempts: one row per failure, per subject, by time.

use sqlx::AnyConnection;

use crate::clock::Timestamp;
use crate::error::Result;

/// The times of a subject's latest failures since `since`, newest first, at most `limit`.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn recent(
    conn: &mut AnyConnection,
    subject: &str,
    since: Timestamp,
    limit: i64,
) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT at FROM auth_failures WHERE subject = $1 AND at > $2 ORDER BY at DESC LIMIT $3",
    )
    .bind(subject)
    .bind(since.millis())
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn insert(conn: &mut AnyConnection, subject: &str, at: Timestamp) -> Result<()> {
    sqlx::query("INSERT INTO auth_failures (subject, at) VALUES ($1, $2)")
        .bind(subject)
        .bind(at.millis())
        .execute(conn)
        .await?;
    Ok(())
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn clear(conn: &mut AnyConnection, subject: &str) -> Result<()> {
    sqlx::query("DELETE FROM auth_failures WHERE subject = $1")
        .bind(subject)
        .execute(conn)
        .await?;
    Ok(())
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn delete_before(conn: &mut AnyConnection, before: Timestamp) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM auth_failures WHERE at <= $1")
        .bind(before.millis())
        .execute(conn)
        .await?
        .rows_affected())
}
