//! SQL for one-time activation links (stored only as hashes).

use sqlx::AnyConnection;

use crate::clock::Timestamp;
use crate::domain::{OrganizationId, PartnerId, UserId};
use crate::error::Result;

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn insert(
    conn: &mut AnyConnection,
    token_hash: &str,
    user: UserId,
    created_at: Timestamp,
    expires_at: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO activation_tokens (token_hash, user_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(user.get())
    .bind(created_at.millis())
    .bind(expires_at.millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// Whose link this is, if it is unused and unexpired.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn usable(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<UserId>> {
    let user: Option<i64> = sqlx::query_scalar(
        "SELECT user_id FROM activation_tokens \
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now.millis())
    .fetch_optional(conn)
    .await?;
    Ok(user.map(UserId::new))
}

/// Spends a usable link and returns its user: one statement finds and spends it,
/// so two uses racing cannot both succeed.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn spend(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<UserId>> {
    let user: Option<i64> = sqlx::query_scalar(
        "UPDATE activation_tokens SET used_at = $1 \
         WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
    )
    .bind(now.millis())
    .bind(token_hash)
    .fetch_optional(conn)
    .await?;
    Ok(user.map(UserId::new))
}

/// Who a user is, for the audit entry of their activation.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn user_identity(
    conn: &mut AnyConnection,
    user: UserId,
) -> Result<(String, PartnerId, OrganizationId)> {
    let (email, account, organization): (String, i64, i64) = sqlx::query_as(
        "SELECT users.email, users.account_id, accounts.organization_id FROM users \
         JOIN accounts ON accounts.partner_id = users.account_id WHERE users.id = $1",
    )
    .bind(user.get())
    .fetch_one(conn)
    .await?;
    Ok((
        email,
        PartnerId::new(account),
        OrganizationId::new(organization),
    ))
}
