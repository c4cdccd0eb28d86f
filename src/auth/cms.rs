//! CMS Login: an organization's administrator steps into one of its accounts as the
//! account's owner, in a session that reaches that account's console and nothing
//! else, and that says who started it.

use super::{Attempt, SessionToken, sessions};
use crate::Umbrella;
use crate::audit::{AuditContext, Change};
use crate::auth::{AdminClaim, OrgAdmin};
use crate::clock::Timestamp;
use crate::domain::audit::AuditAction;
use crate::domain::{PartnerId, Status};
use crate::error::{Error, Result};
use crate::storage::{accounts, users};

/// A started CMS Login session: the token for its cookie and where it leads.
#[derive(Debug)]
pub struct CmsSession {
    pub token: SessionToken,
    pub partner_id: PartnerId,
    pub lifetime_seconds: i64,
}

impl Umbrella {
    /// Starts a CMS Login into one of the administrator's accounts. Refused for an
    /// account of another organization (as if missing), for the parent account (its
    /// console is the administrator's own "Account" tab) and for blocked or removed
    /// accounts.
    ///
    /// `admin_session` is the administrator's own session: the CMS Login ends with
    /// it. Refusals count as failures of the administrator (`from` is their
    /// address, for the log), throttled as sign-ins are.
    #[tracing::instrument(skip(self, admin, admin_session, who))]
    pub async fn start_cms_session(
        &self,
        who: &AuditContext,
        admin: &impl AdminClaim,
        admin_session: &SessionToken,
        partner_id: PartnerId,
        from: &str,
    ) -> Result<CmsSession> {
        self.audited(
            who,
            AuditAction::CmsLoginStart,
            Some(partner_id),
            async |change| {
                let admin = &admin.org_admin()?;
                let Some(admin_user) = admin.user_id else {
                    return Err(Error::Forbidden(
                        "CMS Login is for a signed-in administrator.".to_owned(),
                    ));
                };
                let attempt = Attempt::CmsLogin(admin_user);
                self.refuse_if_throttled(attempt).await?;
                let started = self
                    .open_cms_session(change, admin, admin_session, partner_id)
                    .await;
                if let Err(error) = &started {
                    tracing::warn!(admin = %admin_user, address = %from, partner_id = %partner_id,
                error = %error, "CMS Login refused");
                    if !matches!(
                        error,
                        Error::Database(_) | Error::Unavailable(_) | Error::Internal(_)
                    ) {
                        self.record_failure(attempt).await?;
                    }
                }
                started
            },
        )
        .await
    }

    async fn open_cms_session(
        &self,
        change: Change,
        admin: &OrgAdmin,
        admin_session: &SessionToken,
        partner_id: PartnerId,
    ) -> Result<CmsSession> {
        let Some(admin_user) = admin.user_id else {
            return Err(Error::Unauthenticated);
        };
        let mut conn = self.db().begin_write().await?;
        let parent = admin_session.hash();
        if !sessions::belongs_to(&mut conn, &parent, admin_user).await? {
            return Err(Error::Unauthenticated);
        }
        let account = accounts::find(&mut conn, partner_id)
            .await?
            .filter(|a| a.organization_id == admin.organization_id)
            .ok_or_else(|| Error::NotFound(format!("account {partner_id}")))?;
        if account.is_parent() {
            return Err(Error::Forbidden(
                "The parent account is your own: open it with the Account tab.".to_owned(),
            ));
        }
        if account.status != Status::Active {
            return Err(Error::Conflict(format!(
                "Account {partner_id} is {}; CMS Login works only for active accounts.",
                account.status.label().to_lowercase()
            )));
        }
        let owner = users::active_owner(&mut conn, partner_id).await?;
        let owner = owner.ok_or_else(|| {
            Error::Conflict(format!(
                "Account {partner_id} has no active owner to sign in as."
            ))
        })?;
        let token = SessionToken::generate();
        let now = Timestamp::now();
        sessions::insert(
            &mut conn,
            &sessions::NewSession {
                token_hash: &token.hash(),
                user: owner,
                created_at: now,
                expires_at: now.plus_seconds(self.cms_session_seconds()),
                scope: Some((partner_id, admin_user, &parent)),
            },
        )
        .await?;
        change.commit(conn, None).await?;
        tracing::info!(partner_id = %partner_id, admin = %admin_user, "CMS Login started");
        Ok(CmsSession {
            token,
            partner_id,
            lifetime_seconds: self.cms_session_seconds(),
        })
    }
}
