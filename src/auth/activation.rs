//! One-time activation links: how a new user (an account's owner) chooses their
//! first password. Valid for seven days, usable once, stored only as a hash.

use super::token::ActivationToken;
use super::{Attempt, SignedIn, hash_password};
use crate::Umbrella;
use crate::audit::AuditContext;
use crate::auth::AdminClaim;
use crate::clock::Timestamp;
use crate::domain::audit::AuditAction;
use crate::domain::{PartnerId, Password, UserId};
use crate::error::{Error, Result};
use crate::storage::{Conn, activation as store, users};

pub const ACTIVATION_LIFETIME_SECONDS: i64 = 7 * 24 * 60 * 60;

/// Links one person may be issued per hour (the first included): enough for a
/// mistyped address and a lost email, too few to make Resend a way to flood an
/// inbox through the server's mail relay.
pub const LINKS_PER_HOUR: i64 = 5;

/// Issues a link for `user`, inside the caller's transaction.
pub(crate) async fn issue_activation(
    conn: &mut Conn,
    user: UserId,
    now: Timestamp,
) -> Result<ActivationToken> {
    let token = ActivationToken::generate();
    store::insert(
        conn,
        &token.hash(),
        user,
        now,
        now.plus_seconds(ACTIVATION_LIFETIME_SECONDS),
    )
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
        let usable = store::usable(&mut conn, &token.hash(), Timestamp::now()).await?;
        drop(conn);
        if usable.is_none() {
            tracing::warn!(address = %from, "activation failed: the link matches no usable token");
            self.record_failure(attempt).await?;
            return Err(invalid_link());
        }
        let password_hash = hash_password(&password).await?;
        let now = Timestamp::now();
        let mut tx = self.db().begin_write().await?;
        let Some(user) = store::spend(&mut tx, &token.hash(), now).await? else {
            return Err(invalid_link());
        };
        users::set_password_hash(&mut tx, user, &password_hash).await?;
        // Recorded with the change: the person who chose their password, from where.
        let (email, account, organization) = store::user_identity(&mut tx, user).await?;
        let context = AuditContext::new(email, Some(user), Some(organization), from);
        crate::audit::record_done(&mut tx, &context, AuditAction::UserActivate, account, "")
            .await?;
        tx.commit().await?;
        tracing::info!(user = %user, "activated");
        self.open_session(user).await
    }
}

/// Whose activation link an administrator sends again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkFor {
    /// The owner of one of the organization's accounts.
    AccountOwner(PartnerId),
    /// A user of the organization's parent account (the Users tab).
    ParentUser(UserId),
}

/// A new link and where it goes.
#[derive(Debug)]
pub struct ReissuedLink {
    pub email: String,
    pub account: PartnerId,
    pub account_name: String,
    pub token: ActivationToken,
}

impl Umbrella {
    /// Issues a new activation link for someone who has not chosen a password yet;
    /// every earlier link of theirs stops working in the same transaction.
    #[tracing::instrument(skip(self, admin, who))]
    pub async fn reissue_activation(
        &self,
        who: &AuditContext,
        admin: &impl AdminClaim,
        target: LinkFor,
    ) -> Result<ReissuedLink> {
        self.audited(
            who,
            AuditAction::UserActivationResend,
            Some(match target {
                LinkFor::AccountOwner(account) => account,
                LinkFor::ParentUser(_) => admin.home_account(),
            }),
            async |change| {
                let admin = &admin.org_admin()?;
                let mut tx = self.db().begin_write().await?;
                crate::storage::organizations::lock(&mut tx, admin.organization_id).await?;
                let found = match target {
                    LinkFor::AccountOwner(account) => {
                        store::account_owner(&mut tx, admin.organization_id, account).await?
                    }
                    LinkFor::ParentUser(user) => {
                        store::parent_user(&mut tx, admin.parent_id, user).await?
                    }
                };
                // Another organization's account or user reads exactly like a missing one.
                let user = found.ok_or_else(|| match target {
                    LinkFor::AccountOwner(account) => Error::NotFound(format!("account {account}")),
                    LinkFor::ParentUser(user) => Error::NotFound(format!("user {user}")),
                })?;
                if user.activated {
                    return Err(Error::Conflict(format!(
                        "{} has chosen a password already; there is no link to send.",
                        user.email
                    )));
                }
                let now = Timestamp::now();
                let hour_ago = now.plus_seconds(-60 * 60);
                if let (issued, Some(oldest)) =
                    store::issued_since(&mut tx, user.id, hour_ago).await?
                    && issued >= LINKS_PER_HOUR
                {
                    let free_at = oldest.plus_seconds(60 * 60);
                    return Err(Error::TooManyAttempts {
                        retry_after_seconds: ((free_at.millis() - now.millis()) / 1000).max(1),
                    });
                }
                store::retire_unused(&mut tx, user.id, now).await?;
                let token = issue_activation(&mut tx, user.id, now).await?;
                change
                    .commit_noting(tx, Some(user.account), &user.email)
                    .await?;
                Ok(ReissuedLink {
                    email: user.email,
                    account: user.account,
                    account_name: user.account_name,
                    token,
                })
            },
        )
        .await
    }
}

fn invalid_link() -> Error {
    Error::invalid(
        "token",
        "This activation link is not valid: it may have expired or been used already. \
         Ask your administrator for a new one.",
    )
}
