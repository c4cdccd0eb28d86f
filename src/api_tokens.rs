//! API tokens: made and revoked by an organization's Publisher Administrators (the
//! API tab) or by the operator, and checked on every call to the API.
//!
//! A token acts for its organization, not as a person: it gets an [`OrgAdmin`]
//! without a user, so the rules are the console's, and the audit log names the token.

use crate::Umbrella;
use crate::audit::{AuditContext, Change};
use crate::auth::{AdminClaim, ApiToken, OrgAdmin};
use crate::clock::Timestamp;
use crate::domain::audit::AuditAction;
use crate::domain::{
    ApiAccess, ApiTokenForm, ApiTokenId, ApiTokenView, NewApiToken, OrganizationId, PartnerId,
};
use crate::error::{Error, Result};
use crate::storage::api_tokens as store;
use crate::storage::organizations;

/// Live API tokens an organization may hold unless the server is told otherwise:
/// each has a rate of its own, so their number bounds what one organization may ask.
pub const DEFAULT_TOKEN_LIMIT: u32 = 25;

/// A token's last use is written at most this often, so that a busy client costs
/// a write a minute rather than one per call.
const TOUCH_EVERY_MILLIS: i64 = 60_000;

/// A token just made, with the one chance to see its secret.
#[derive(Debug)]
pub struct CreatedApiToken {
    pub token: ApiTokenView,
    pub secret: ApiToken,
}

/// The caller of an API request: a live token of one organization.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiCaller {
    pub token_id: ApiTokenId,
    pub name: String,
    pub access: ApiAccess,
    admin: OrgAdmin,
}

impl ApiCaller {
    /// Any live token may read its organization.
    pub fn reader(&self) -> &OrgAdmin {
        &self.admin
    }

    /// A change needs a read-and-write token.
    pub fn writer(&self) -> Result<&OrgAdmin> {
        if self.access.may_write() {
            Ok(&self.admin)
        } else {
            Err(Error::Forbidden(format!(
                "The API token \"{}\" is read only; changes need a \"Read and write\" token.",
                self.name
            )))
        }
    }

    pub fn organization_id(&self) -> OrganizationId {
        self.admin.organization_id
    }

    /// Who the audit log says made a change: the token, by name.
    pub fn audit_context(&self, address: impl Into<String>) -> AuditContext {
        AuditContext::new(
            format!("API token \"{}\"", self.name),
            None,
            Some(self.admin.organization_id),
            address,
        )
    }
}

impl Umbrella {
    /// The organization's live tokens, newest first (never their secrets).
    #[tracing::instrument(skip_all)]
    pub async fn api_tokens(&self, admin: &OrgAdmin) -> Result<Vec<ApiTokenView>> {
        let mut conn = self.db().pool().acquire().await?;
        store::list(&mut conn, admin.organization_id).await
    }

    /// Makes a token for the administrator's organization; its secret is in the
    /// answer and nowhere else.
    #[tracing::instrument(skip_all)]
    pub async fn create_api_token(
        &self,
        who: &AuditContext,
        admin: &impl AdminClaim,
        created_by: &str,
        form: &ApiTokenForm,
    ) -> Result<CreatedApiToken> {
        self.audited(who, AuditAction::ApiTokenCreate, None, async |change| {
            let admin = &admin.org_admin()?;
            let token = NewApiToken::parse(form).map_err(Error::Invalid)?;
            self.insert_api_token(change, admin.organization_id, &token, created_by)
                .await
        })
        .await
    }

    /// Revokes one of the organization's tokens; it stops working at once.
    #[tracing::instrument(skip(self, admin, who))]
    pub async fn revoke_api_token(
        &self,
        who: &AuditContext,
        admin: &impl AdminClaim,
        id: ApiTokenId,
    ) -> Result<()> {
        self.audited(who, AuditAction::ApiTokenRevoke, None, async |change| {
            let admin = &admin.org_admin()?;
            self.revoke_in(change, admin.organization_id, id).await
        })
        .await
    }

    /// The operator's `create-api-token`: for the organization whose parent
    /// account is `parent`.
    #[tracing::instrument(skip(self, form, who))]
    pub async fn operator_create_api_token(
        &self,
        who: &AuditContext,
        parent: PartnerId,
        form: &ApiTokenForm,
    ) -> Result<CreatedApiToken> {
        self.audited(
            who,
            AuditAction::ApiTokenCreate,
            Some(parent),
            async |change| {
                let token = NewApiToken::parse(form).map_err(Error::Invalid)?;
                let mut conn = self.db().pool().acquire().await?;
                let organization = store::organization_of_parent(&mut conn, parent)
                    .await?
                    .ok_or_else(|| {
                        Error::NotFound(format!("organization with parent Partner ID {parent}"))
                    })?;
                drop(conn);
                self.insert_api_token(change, organization, &token, "operator")
                    .await
            },
        )
        .await
    }

    /// The operator's `revoke-api-token`, by the token's ID.
    #[tracing::instrument(skip(self, who))]
    pub async fn operator_revoke_api_token(
        &self,
        who: &AuditContext,
        id: ApiTokenId,
    ) -> Result<()> {
        // The entry goes to the token's organization's log; an unknown token is
        // refused under the operator's own.
        let organization = self.organization_of_api_token(id).await?;
        let who = organization.map_or_else(|| who.clone(), |org| who.in_organization(org));
        self.audited(&who, AuditAction::ApiTokenRevoke, None, async |change| {
            let organization =
                organization.ok_or_else(|| Error::NotFound(format!("API token {id}")))?;
            self.revoke_in(change, organization, id).await
        })
        .await
    }

    /// The organization the operator's token command concerns, for its audit entry.
    pub async fn organization_of_api_token(
        &self,
        id: ApiTokenId,
    ) -> Result<Option<OrganizationId>> {
        let mut conn = self.db().pool().acquire().await?;
        store::organization_of(&mut conn, id).await
    }

    /// Who is calling with this token: refused alike when it is unknown, revoked
    /// or expired (the caller learns only that it does not work), or when its
    /// organization's parent account is gone.
    #[tracing::instrument(skip_all)]
    pub async fn api_caller(&self, secret: &ApiToken) -> Result<ApiCaller> {
        let mut conn = self.db().pool().acquire().await?;
        let row = store::find_caller(&mut conn, &secret.hash())
            .await?
            .ok_or(Error::Unauthenticated)?;
        let now = Timestamp::now();
        if row.revoked_at.is_some() || row.expires_at.is_some_and(|at| at <= now.millis()) {
            return Err(Error::Unauthenticated);
        }
        let access = ApiAccess::from_db(&row.access)
            .ok_or_else(|| Error::Internal(format!("unknown token access {:?}", row.access)))?;
        if row
            .last_used_at
            .is_none_or(|at| now.millis() - at >= TOUCH_EVERY_MILLIS)
        {
            store::touch(&mut conn, row.id, now).await?;
        }
        Ok(ApiCaller {
            token_id: ApiTokenId::new(row.id),
            name: row.name,
            access,
            admin: OrgAdmin {
                user_id: None,
                organization_id: OrganizationId::new(row.organization_id),
                parent_id: PartnerId::new(row.parent_id),
            },
        })
    }

    async fn insert_api_token(
        &self,
        change: Change,
        organization: OrganizationId,
        token: &NewApiToken,
        created_by: &str,
    ) -> Result<CreatedApiToken> {
        let secret = ApiToken::generate();
        let mut tx = self.db().begin_write().await?;
        // Under the organization's lock: two creations at the limit cannot both pass.
        organizations::lock(&mut tx, organization).await?;
        let limit = self.api_token_limit();
        if store::live_count(&mut tx, organization, Timestamp::now()).await? >= i64::from(limit) {
            return Err(Error::QuotaReached(format!(
                "The organization has {limit} live API tokens, the most it may have; revoke one \
                 it no longer uses first."
            )));
        }
        let view = store::insert(
            &mut tx,
            organization,
            token,
            &secret.hash(),
            created_by,
            Timestamp::now(),
        )
        .await?
        .ok_or_else(|| {
            Error::Conflict(format!(
                "A token named \"{}\" already exists; revoke it or choose another name.",
                token.name
            ))
        })?;
        let note = format!("token \"{}\" ({})", view.name, view.access.label());
        change.commit_noting(tx, None, &note).await?;
        Ok(CreatedApiToken {
            token: view,
            secret,
        })
    }

    async fn revoke_in(
        &self,
        change: Change,
        organization: OrganizationId,
        id: ApiTokenId,
    ) -> Result<()> {
        let mut tx = self.db().begin_write().await?;
        let name = store::revoke(&mut tx, organization, id, Timestamp::now())
            .await?
            .ok_or_else(|| Error::NotFound(format!("API token {id}")))?;
        change
            .commit_noting(tx, None, &format!("token \"{name}\""))
            .await
    }
}
