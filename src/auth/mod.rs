//! Signing in and out, and finding out who is calling.

mod activation;
mod cms;
mod password;
mod throttle;
mod token;

pub use activation::ACTIVATION_LIFETIME_SECONDS;
pub(crate) use activation::issue_activation;
pub use activation::{LinkFor, ReissuedLink};
pub(crate) use password::hash as hash_password;
pub(crate) use throttle::Attempt;
pub use token::{ActivationToken, ApiToken, SessionToken};

use crate::Umbrella;
use crate::audit::AuditContext;
use crate::clock::Timestamp;
use crate::domain::audit::AuditAction;
use crate::domain::{
    AccountName, EmailAddress, OrganizationId, PartnerId, Password, Role, Status, UserId,
    UserStatus,
};
use crate::error::{Error, Result};
use crate::storage::{sessions, users};

pub use cms::CmsSession;

/// Limits on attempts at a secret and on how long sessions last; settings of
/// `serve`, the same for every server on one database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuthLimits {
    /// Failed attempts allowed per subject (an email, …) within the window.
    pub failures: u32,
    pub failure_window_seconds: i64,
    /// An administrator's session ends after this long without a request…
    pub session_idle_seconds: i64,
    /// …and this long after sign-in, whatever happens.
    pub session_absolute_seconds: i64,
}

impl Default for AuthLimits {
    fn default() -> Self {
        Self {
            failures: 5,
            failure_window_seconds: 15 * 60,
            session_idle_seconds: 60 * 60,
            session_absolute_seconds: 12 * 60 * 60,
        }
    }
}

/// A session's last use is written at most this often, so that a busy session
/// costs a write a minute rather than one per request.
const TOUCH_EVERY_SECONDS: i64 = 60;

/// How long a CMS Login session lasts unless the server is told otherwise.
pub const CMS_SESSION_DEFAULT_MINUTES: i64 = 60;

/// Where a CMS Login session came from: the administrator who started it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CmsOrigin {
    pub started_by: UserId,
    pub started_by_email: EmailAddress,
}

/// The signed-in user making a request, as established from their session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user_id: UserId,
    pub email: EmailAddress,
    pub display_name: String,
    pub role: Role,
    pub account_id: PartnerId,
    pub account_name: AccountName,
    pub organization_id: OrganizationId,
    pub is_parent_account: bool,
    /// Set when this is a CMS Login session: the actor is the account's owner, in
    /// that account's console only.
    pub cms: Option<CmsOrigin>,
}

/// Proof that the caller is a Publisher Administrator of a parent account. Only
/// [`Actor::org_admin`] makes one (and, for tests, [`OrgAdmin::for_tests`]): its
/// fields are private to the core, so a service that takes an `OrgAdmin` cannot be
/// called on behalf of anyone else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgAdmin {
    /// The administrator, or `None` for an API token (which acts for the
    /// organization, not as any one person).
    pub(crate) user_id: Option<UserId>,
    pub(crate) organization_id: OrganizationId,
    pub(crate) parent_id: PartnerId,
}

impl OrgAdmin {
    pub fn user_id(&self) -> Option<UserId> {
        self.user_id
    }

    pub fn organization_id(&self) -> OrganizationId {
        self.organization_id
    }

    /// The organization's parent account, where the administrator works.
    pub fn parent_id(&self) -> PartnerId {
        self.parent_id
    }

    /// Another administrator of the same organization (tests only: production
    /// proofs come from a session).
    #[cfg(any(test, feature = "testing"))]
    pub fn for_tests(&self, user_id: UserId) -> Self {
        Self {
            user_id: Some(user_id),
            ..self.clone()
        }
    }
}

/// A caller that claims to be an administrator of its organization. Change services
/// that need an [`OrgAdmin`] take one and check it as the change runs, so that a
/// caller who is not one is refused under the change's own audit entry: a person
/// ([`Actor`]) is checked; a proof already made (an API token's) is one.
pub trait AdminClaim: std::fmt::Debug {
    fn org_admin(&self) -> Result<OrgAdmin>;
    /// The account the caller works in, which an entry about the organization's own
    /// users names, refused or not.
    fn home_account(&self) -> PartnerId;
}

impl AdminClaim for OrgAdmin {
    fn org_admin(&self) -> Result<OrgAdmin> {
        Ok(self.clone())
    }

    fn home_account(&self) -> PartnerId {
        self.parent_id
    }
}

impl AdminClaim for Actor {
    fn org_admin(&self) -> Result<OrgAdmin> {
        Actor::org_admin(self)
    }

    fn home_account(&self) -> PartnerId {
        self.account_id
    }
}

impl AuditContext {
    /// A signed-in user. In a CMS Login session the actor is the administrator who
    /// started it, acting as the account's owner.
    pub fn for_actor(actor: &Actor, address: impl Into<String>) -> Self {
        match &actor.cms {
            Some(cms) => {
                let mut context = Self::new(
                    cms.started_by_email.as_str(),
                    Some(cms.started_by),
                    Some(actor.organization_id),
                    address,
                );
                context.acting_as = Some(actor.email.as_str().to_owned());
                context
            }
            None => Self::new(
                actor.email.as_str(),
                Some(actor.user_id),
                Some(actor.organization_id),
                address,
            ),
        }
    }
}

impl Actor {
    pub fn is_org_admin(&self) -> bool {
        self.is_parent_account && self.role == Role::PublisherAdministrator && self.cms.is_none()
    }

    pub fn org_admin(&self) -> Result<OrgAdmin> {
        if self.cms.is_some() {
            return Err(Error::Forbidden(
                "A CMS Login session works only in its account's console.".to_owned(),
            ));
        }
        if self.is_org_admin() {
            Ok(OrgAdmin {
                user_id: Some(self.user_id),
                organization_id: self.organization_id,
                parent_id: self.account_id,
            })
        } else {
            Err(Error::Forbidden(
                "Only Publisher Administrators of the parent account may manage \
                 the organization's accounts."
                    .to_owned(),
            ))
        }
    }
}

/// A successful sign-in: the token for the browser's cookie and who signed in.
#[derive(Debug)]
pub struct SignedIn {
    pub token: SessionToken,
    pub expires_at: Timestamp,
    pub actor: Actor,
}

impl Umbrella {
    /// Checks an email and password and opens a session; `from` is the client's
    /// address, for the log.
    ///
    /// Wrong email and wrong password give the same error, in about the same time.
    /// Only after the password is proven right does the caller learn that their
    /// account is blocked or removed. After [`AuthLimits::failures`] failures for
    /// one email within the window, every attempt for it is refused until the
    /// window passes, the right password included; a success clears the count.
    #[tracing::instrument(skip_all)]
    pub async fn sign_in(&self, email: &str, password: Password, from: &str) -> Result<SignedIn> {
        let key = email.trim().to_lowercase();
        let attempt = Attempt::SignIn(&key);
        self.refuse_if_throttled(attempt).await?;
        let error = match self.check_credentials(&key, &password).await {
            Ok(user) => {
                self.clear_failures(attempt).await?;
                return self.open_session(user).await;
            }
            Err(error) => error,
        };
        match &error {
            Error::InvalidCredentials => {
                tracing::warn!(email = %key, address = %from, "sign-in failed: wrong email or password");
                self.record_failure(attempt).await?;
            }
            Error::AccountUnavailable(status) => {
                // The password was right: not a guess, so not counted.
                tracing::warn!(email = %key, address = %from, status = status.as_db(),
                    "sign-in refused: the account is not active");
            }
            _ => {}
        }
        Err(error)
    }

    /// The user whose password this is. An email that several accounts' users
    /// share tries each of them, so one blocked account never locks its owner out
    /// of another; the refusal reported is the most telling one met.
    async fn check_credentials(&self, key: &str, password: &Password) -> Result<UserId> {
        let candidates = if key.len() <= EmailAddress::MAX {
            let mut conn = self.db().pool().acquire().await?;
            users::credentials_by_email(&mut conn, key).await?
        } else {
            Vec::new()
        };
        if candidates.iter().all(|c| c.password_hash.is_none()) {
            password::verify(None, password).await?;
            return Err(Error::InvalidCredentials);
        }
        let mut refusal = Error::InvalidCredentials;
        for candidate in candidates {
            if candidate.password_hash.is_none()
                || !password::verify(candidate.password_hash, password).await?
            {
                continue;
            }
            if candidate.user_status != UserStatus::Active {
                continue;
            }
            match candidate.account_status {
                Status::Active => return Ok(UserId::new(candidate.user_id)),
                status => refusal = Error::AccountUnavailable(status),
            }
        }
        Err(refusal)
    }

    #[tracing::instrument(skip_all)]
    pub(crate) async fn open_session(&self, user: UserId) -> Result<SignedIn> {
        let token = SessionToken::generate();
        let now = Timestamp::now();
        let expires_at = now.plus_seconds(self.auth_limits().session_absolute_seconds);
        let mut conn = self.db().pool().acquire().await?;
        sessions::insert(
            &mut conn,
            &sessions::NewSession {
                token_hash: &token.hash(),
                user,
                created_at: now,
                expires_at,
                scope: None,
            },
        )
        .await?;
        drop(conn);
        let actor = self.authenticate(&token, None).await?;
        tracing::info!(user = %user, "signed in");
        Ok(SignedIn {
            token,
            expires_at,
            actor,
        })
    }

    /// Who holds this session token. Fails unless the session is current and its
    /// user and account are still allowed in: blocking an account ends its
    /// sessions at once, without a list of sessions to revoke.
    ///
    /// `scope` is the account whose CMS Login URL the request came to (`None`: the
    /// console at large). A CMS Login session counts only under its own account's
    /// URL, and an ordinary session only outside every such URL.
    #[tracing::instrument(skip_all)]
    pub async fn authenticate(
        &self,
        token: &SessionToken,
        scope: Option<PartnerId>,
    ) -> Result<Actor> {
        let mut conn = self.db().pool().acquire().await?;
        let hash = token.hash();
        let Some(row) = sessions::find(&mut conn, &hash).await? else {
            return Err(Error::Unauthenticated);
        };
        let now = Timestamp::now();
        let idle = self.auth_limits().session_idle_seconds;
        let is_live = |expires_at: i64, last_seen_at: i64| {
            expires_at > now.millis() && last_seen_at > now.plus_seconds(-idle).millis()
        };
        if !is_live(row.expires_at, row.last_seen_at) {
            sessions::delete(&mut conn, &hash).await?;
            return Err(Error::Unauthenticated);
        }
        if row.user_status != UserStatus::Active || row.account_status != Status::Active {
            return Err(Error::Unauthenticated);
        }
        if row.scoped_account_id != scope.map(PartnerId::get) {
            return Err(Error::Unauthenticated);
        }
        // A CMS Login never outlives the administrator's own session, nor their
        // being an active Publisher Administrator.
        if row.started_by_user_id.is_some() {
            let parent_live = matches!(
                (row.parent_expires_at, row.parent_last_seen_at),
                (Some(expires_at), Some(last_seen_at)) if is_live(expires_at, last_seen_at)
            );
            let starter_allowed = row
                .started_by_status
                .as_deref()
                .and_then(UserStatus::from_db)
                == Some(UserStatus::Active)
                && row.started_by_role.as_deref().map(Role::from_db)
                    == Some(Role::PublisherAdministrator);
            if !parent_live || !starter_allowed {
                sessions::delete(&mut conn, &hash).await?;
                return Err(Error::Unauthenticated);
            }
        }
        if now.millis() - row.last_seen_at >= TOUCH_EVERY_SECONDS * 1000 {
            // Work in a CMS Login tab is the administrator's work too: it keeps
            // their own session from going idle.
            let mut touched = vec![hash.as_str()];
            touched.extend(row.parent_session.as_deref());
            sessions::touch(&mut conn, &touched, now).await?;
        }
        let cms = match (row.started_by_user_id, row.started_by_email) {
            (Some(id), Some(email)) => Some(CmsOrigin {
                started_by: UserId::new(id),
                started_by_email: EmailAddress::from_trusted(email),
            }),
            _ => None,
        };
        Ok(Actor {
            user_id: UserId::new(row.user_id),
            email: EmailAddress::from_trusted(row.email),
            display_name: format!("{} {}", row.first_name, row.last_name)
                .trim()
                .to_owned(),
            role: Role::from_db(&row.role),
            account_id: PartnerId::new(row.partner_id),
            account_name: AccountName::from_trusted(row.account_name),
            organization_id: OrganizationId::new(row.organization_id),
            is_parent_account: row.parent_id.is_none(),
            cms,
        })
    }

    /// Ends a session on the server; the cookie alone is worth nothing afterwards.
    #[tracing::instrument(skip_all)]
    pub async fn sign_out(&self, token: &SessionToken) -> Result<()> {
        let mut conn = self.db().pool().acquire().await?;
        sessions::delete(&mut conn, &token.hash()).await
    }

    /// Ends a CMS Login session: unlike a plain sign-out, an audited change.
    #[tracing::instrument(skip_all)]
    pub async fn end_cms_session(
        &self,
        who: &AuditContext,
        account: PartnerId,
        token: &SessionToken,
    ) -> Result<()> {
        self.audited(
            who,
            AuditAction::CmsLoginEnd,
            Some(account),
            async |change| {
                let mut tx = self.db().begin_write().await?;
                sessions::delete(&mut tx, &token.hash()).await?;
                change.commit(tx, None).await
            },
        )
        .await
    }

    /// Deletes expired and idle sessions; returns how many.
    #[tracing::instrument(skip_all)]
    pub async fn purge_expired_sessions(&self) -> Result<u64> {
        let mut conn = self.db().pool().acquire().await?;
        let idle = self.auth_limits().session_idle_seconds;
        sessions::delete_expired(&mut conn, Timestamp::now(), idle).await
    }
}
