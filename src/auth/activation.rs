//! One-time activation links: how a new user (an account's owner) chooses their
//! first password. Valid for seven days, usable once, stored only as a hash.

use sqlx::AnyConnection;

use super::token::{ActivationToken, SecretToken};
use super::{Attempt, SignedIn, hash_password};
use crate::Umbrella;
use crate::audit::AuditContext;
use crate::clock::Timestamp;
use crate::domain::{OrganizationId, PartnerId, Password, UserId};
use crate::error::{Error, Result};

pub const ACTIVATION_LIFETIME_SECONDS: i64 = 7 * 24 * 60 * 60;

/// Issues a link for `user`, inside the caller's transaction.
pub(crate) async fn issue_activation(
    conn: &mut AnyConnection,
    user: UserId,
    now: Timestamp,
) -> Result<ActivationToken> {
    let token = SecretToken::generate();
    sqlx::query(
        "INSERT INTO activation_tokens (token_hash, user_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(token.hash())
    .bind(user.get())
    .bind(now.millis())
    .bind(now.plus_seconds(ACTIVATION_LIFETIME_SECONDS).millis())
    .execute(conn)
    .await?;
    Ok(token)
}

impl Umbrella {
    /// Uses an activation link: sets the user's password and signs them in; `from`
    /// is the client's address.
    ///
    /// The token is checked before any password is hashed, so a flood of made-up
    /// links costs a lookup each; links that match nothing count as failures of
    /// their address (see [`Attempt::Activation`]). The link is spent by the same
    /// statement that finds it again, so two uses racing cannot both succeed.
    #[tracing::instrument(skip_all)]
    pub async fn activate(
        &self,
        token: &ActivationToken,
        password: Password,
        from: &str,
    ) -> Result<SignedIn> {
        let attempt = Attempt::Activation(from);
        self.refuse_if_throttled(attempt).await?;
        let mut conn = self.db().pool().acquire().await?;
        let usable: Option<i64> = sqlx::query_scalar(
            "SELECT user_id FROM activation_tokens \
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(token.hash())
        .bind(Timestamp::now().millis())
        .fetch_optional(&mut *conn)
        .await?;
        drop(conn);
        if usable.is_none() {
            tracing::warn!(address = %from, "activation failed: the link matches no usable token");
            self.record_failure(attempt).await?;
            return Err(invalid_link());
        }
        let password_hash = hash_password(&password).await?;
        let now = Timestamp::now();
        let mut tx = self.db().pool().begin().await?;
        let user: Option<i64> = sqlx::query_scalar(
            "UPDATE activation_tokens SET used_at = $1 \
             WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
        )
        .bind(now.millis())
        .bind(token.hash())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(user) = user else {
            return Err(invalid_link());
        };
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(&password_hash)
            .bind(user)
            .execute(&mut *tx)
            .await?;
        // Recorded with the change: the person who chose their password, from where.
        let (email, account, organization): (String, i64, i64) = sqlx::query_as(
            "SELECT users.email, users.account_id, accounts.organization_id FROM users \
             JOIN accounts ON accounts.partner_id = users.account_id WHERE users.id = $1",
        )
        .bind(user)
        .fetch_one(&mut *tx)
        .await?;
        let context = AuditContext {
            actor: email,
            actor_user_id: Some(UserId::new(user)),
            acting_as: None,
            organization_id: Some(OrganizationId::new(organization)),
            address: from.to_owned(),
        };
        crate::audit::record_done(&mut tx, &context, "user.activate", PartnerId::new(account))
            .await?;
        tx.commit().await?;
        tracing::info!(user, "activated");
        self.open_session(UserId::new(user)).await
    }
}

fn invalid_link() -> Error {
    Error::invalid(
        "token",
        "This activation link is not valid: it may have expired or been used already. \
         Ask your administrator for a new one.",
    )
}
