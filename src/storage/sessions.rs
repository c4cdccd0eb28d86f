//! SQL for sign-in sessions. Only the SHA-256 of a session's token is stored.

use sqlx::AnyConnection;

use crate::clock::Timestamp;
use crate::domain::{PartnerId, Status, UserId, UserStatus};
use crate::error::Result;

pub(crate) struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user: UserId,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    /// For a CMS Login: the one account it may reach, who started it, and the
    /// hash of the starter's own session, which it never outlives.
    pub scope: Option<(PartnerId, UserId, &'a str)>,
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn insert(conn: &mut AnyConnection, session: &NewSession<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at, \
         scoped_account_id, started_by_user_id, parent_session) \
         VALUES ($1, $2, $3, $4, $3, $5, $6, $7)",
    )
    .bind(session.token_hash)
    .bind(session.user.get())
    .bind(session.created_at.millis())
    .bind(session.expires_at.millis())
    .bind(session.scope.map(|(account, _, _)| account.get()))
    .bind(session.scope.map(|(_, starter, _)| starter.get()))
    .bind(session.scope.map(|(_, _, parent)| parent))
    .execute(conn)
    .await?;
    Ok(())
}

/// Everything a request needs to know about who is calling, in one query.
#[derive(sqlx::FromRow)]
pub(crate) struct SessionRow {
    pub expires_at: i64,
    pub last_seen_at: i64,
    pub parent_session: Option<String>,
    pub parent_expires_at: Option<i64>,
    pub parent_last_seen_at: Option<i64>,
    pub started_by_role: Option<String>,
    pub user_id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: String,
    #[sqlx(try_from = "String")]
    pub user_status: UserStatus,
    pub partner_id: i64,
    pub account_name: String,
    #[sqlx(try_from = "String")]
    pub account_status: Status,
    pub parent_id: Option<i64>,
    pub organization_id: i64,
    pub scoped_account_id: Option<i64>,
    pub started_by_user_id: Option<i64>,
    pub started_by_email: Option<String>,
    pub started_by_status: Option<String>,
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn find(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<SessionRow>> {
    Ok(sqlx::query_as(
        "SELECT s.expires_at, s.last_seen_at, s.parent_session, \
         parent.expires_at AS parent_expires_at, parent.last_seen_at AS parent_last_seen_at, \
         starter.role AS started_by_role, u.id AS user_id, u.email, u.first_name, u.last_name, u.role, \
         u.status AS user_status, a.partner_id, a.name AS account_name, \
         a.status AS account_status, a.parent_id, a.organization_id, \
         s.scoped_account_id, s.started_by_user_id, \
         starter.email AS started_by_email, starter.status AS started_by_status \
         FROM sessions s \
         JOIN users u ON u.id = s.user_id \
         JOIN accounts a ON a.partner_id = u.account_id \
         LEFT JOIN users starter ON starter.id = s.started_by_user_id \
         LEFT JOIN sessions parent ON parent.token_hash = s.parent_session \
         WHERE s.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await?)
}

/// Marks sessions as used now (the idle timeout counts from here).
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn touch(
    conn: &mut AnyConnection,
    token_hashes: &[&str],
    now: Timestamp,
) -> Result<()> {
    for hash in token_hashes {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now.millis())
            .bind(*hash)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Whether `token_hash` is a session of `user` (the session a CMS Login hangs on).
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn belongs_to(
    conn: &mut AnyConnection,
    token_hash: &str,
    user: UserId,
) -> Result<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT user_id FROM sessions WHERE token_hash = $1 AND user_id = $2")
            .bind(token_hash)
            .bind(user.get())
            .fetch_optional(conn)
            .await?;
    Ok(found.is_some())
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn delete(conn: &mut AnyConnection, token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes sessions past their absolute expiry or idle for longer than `idle_seconds`.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn delete_expired(
    conn: &mut AnyConnection,
    now: Timestamp,
    idle_seconds: i64,
) -> Result<u64> {
    Ok(
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
            .bind(now.millis())
            .bind(now.plus_seconds(-idle_seconds).millis())
            .execute(conn)
            .await?
            .rows_affected(),
    )
}
