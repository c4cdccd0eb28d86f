//! SQL for the API's idempotency keys.

use sqlx::AnyConnection;

use crate::clock::Timestamp;
use crate::error::Result;

/// What is stored for a key.
#[derive(sqlx::FromRow)]
pub(crate) struct KeyRow {
    pub fingerprint: String,
    pub status: Option<i64>,
    pub body: Option<String>,
    pub created_at: i64,
}

/// Claims the key for a new request; `false` if it is already held.
pub(crate) async fn insert(
    conn: &mut AnyConnection,
    token: i64,
    key: &str,
    fingerprint: &str,
    at: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO api_idempotency (token_id, key, fingerprint, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (token_id, key) DO NOTHING",
    )
    .bind(token)
    .bind(key)
    .bind(fingerprint)
    .bind(at.millis())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn find(
    conn: &mut AnyConnection,
    token: i64,
    key: &str,
) -> Result<Option<KeyRow>> {
    Ok(sqlx::query_as(
        "SELECT fingerprint, status, body, created_at FROM api_idempotency \
         WHERE token_id = $1 AND key = $2",
    )
    .bind(token)
    .bind(key)
    .fetch_optional(conn)
    .await?)
}

/// Takes over an unfinished claim made at `made_at`; `false` if another did first.
pub(crate) async fn retake(
    conn: &mut AnyConnection,
    token: i64,
    key: &str,
    made_at: i64,
    at: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE api_idempotency SET created_at = $1 \
         WHERE token_id = $2 AND key = $3 AND status IS NULL AND created_at = $4",
    )
    .bind(at.millis())
    .bind(token)
    .bind(key)
    .bind(made_at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn settle(
    conn: &mut AnyConnection,
    token: i64,
    key: &str,
    status: u16,
    body: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE api_idempotency SET status = $1, body = $2 WHERE token_id = $3 AND key = $4",
    )
    .bind(i64::from(status))
    .bind(body)
    .bind(token)
    .bind(key)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn release(conn: &mut AnyConnection, token: i64, key: &str) -> Result<()> {
    sqlx::query("DELETE FROM api_idempotency WHERE token_id = $1 AND key = $2 AND status IS NULL")
        .bind(token)
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn forget_before(conn: &mut AnyConnection, before: Timestamp) -> Result<()> {
    sqlx::query("DELETE FROM api_idempotency WHERE created_at < $1")
        .bind(before.millis())
        .execute(conn)
        .await?;
    Ok(())
}
