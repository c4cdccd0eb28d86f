//! SQL for sign-in sessions. Only the SHA-256 of a session's token is stored.

use sqlx::AnyConnection;

use crate::clock::Timestamp;
use crate::domain::{PartnerId, UserId};
use crate::error::Result;

pub(crate) struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user: UserId,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    /// For a CMS Login: the one account it may reach and who started it.
    pub scope: Option<(PartnerId, UserId)>,
}

pub(crate) async fn insert(conn: &mut AnyConnection, session: &NewSession<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, \
         scoped_account_id, started_by_user_id) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(session.token_hash)
    .bind(session.user.get())
    .bind(session.created_at.millis())
    .bind(session.expires_at.millis())
    .bind(session.scope.map(|(account, _)| account.get()))
    .bind(session.scope.map(|(_, starter)| starter.get()))
    .execute(conn)
    .await?;
    Ok(())
}

/// Everything a request needs to know about who is calling, in one query.
#[derive(sqlx::FromRow)]
pub(crate) struct SessionRow {
    pub expires_at: i64,
    pub user_id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: String,
    pub user_status: String,
    pub partner_id: i64,
    pub account_name: String,
    pub account_status: String,
    pub parent_id: Option<i64>,
    pub organization_id: i64,
    pub scoped_account_id: Option<i64>,
    pub started_by_user_id: Option<i64>,
    pub started_by_email: Option<String>,
    pub started_by_status: Option<String>,
}

pub(crate) async fn find(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<SessionRow>> {
    Ok(sqlx::query_as(
        "SELECT s.expires_at, u.id AS user_id, u.email, u.first_name, u.last_name, u.role, \
         u.status AS user_status, a.partner_id, a.name AS account_name, \
         a.status AS account_status, a.parent_id, a.organization_id, \
         s.scoped_account_id, s.started_by_user_id, \
         starter.email AS started_by_email, starter.status AS started_by_status \
         FROM sessions s \
         JOIN users u ON u.id = s.user_id \
         JOIN accounts a ON a.partner_id = u.account_id \
         LEFT JOIN users starter ON starter.id = s.started_by_user_id \
         WHERE s.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await?)
}

pub(crate) async fn delete(conn: &mut AnyConnection, token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn delete_expired(conn: &mut AnyConnection, now: Timestamp) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now.millis())
        .execute(conn)
        .await?
        .rows_affected())
}
