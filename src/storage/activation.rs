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

/// A user a new activation link may be for: their ID, email, account, and whether
/// they have chosen a password already (then no link is sent).
pub(crate) struct LinkUser {
    pub id: UserId,
    pub email: String,
    pub account: PartnerId,
    pub account_name: String,
    pub activated: bool,
}

type LinkUserRow = (i64, String, i64, String, Option<String>);

fn link_user((id, email, account, account_name, hash): LinkUserRow) -> LinkUser {
    LinkUser {
        id: UserId::new(id),
        email,
        account: PartnerId::new(account),
        account_name,
        activated: hash.is_some(),
    }
}

const LINK_USER: &str = "SELECT u.id, u.email, a.partner_id, a.name, u.password_hash FROM users u \
     JOIN accounts a ON a.partner_id = u.account_id";

/// The owner of one of the organization's child accounts.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn account_owner(
    conn: &mut AnyConnection,
    organization: OrganizationId,
    account: PartnerId,
) -> Result<Option<LinkUser>> {
    let row: Option<LinkUserRow> = sqlx::query_as(&format!(
        "{LINK_USER} WHERE a.partner_id = $1 AND a.organization_id = $2 \
         AND a.parent_id IS NOT NULL AND u.is_owner"
    ))
    .bind(account.get())
    .bind(organization.get())
    .fetch_optional(conn)
    .await?;
    Ok(row.map(link_user))
}

/// A user of the organization's parent account.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn parent_user(
    conn: &mut AnyConnection,
    parent: PartnerId,
    user: UserId,
) -> Result<Option<LinkUser>> {
    let row: Option<LinkUserRow> = sqlx::query_as(&format!(
        "{LINK_USER} WHERE u.id = $1 AND u.account_id = $2"
    ))
    .bind(user.get())
    .bind(parent.get())
    .fetch_optional(conn)
    .await?;
    Ok(row.map(link_user))
}

/// Ends every unused link of the user (a new one replaces them): marked used, so
/// that the one-use rule answers for them too.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn retire_unused(
    conn: &mut AnyConnection,
    user: UserId,
    now: Timestamp,
) -> Result<()> {
    sqlx::query("UPDATE activation_tokens SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
        .bind(now.millis())
        .bind(user.get())
        .execute(conn)
        .await?;
    Ok(())
}

/// How many links the user was issued since `since`, and the oldest of them.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn issued_since(
    conn: &mut AnyConnection,
    user: UserId,
    since: Timestamp,
) -> Result<(i64, Option<Timestamp>)> {
    let (count, oldest): (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MIN(created_at) FROM activation_tokens \
         WHERE user_id = $1 AND created_at >= $2",
    )
    .bind(user.get())
    .bind(since.millis())
    .fetch_one(conn)
    .await?;
    Ok((count, oldest.map(Timestamp::from_millis)))
}
