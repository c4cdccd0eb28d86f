//! Upgrade requests: "Need more accounts? Request an upgrade" on the Multi Account
//! tab (and the same for users on the Users tab). A request is stored and audited,
//! shown as pending to the organization, listed for the operator, and closed when
//! the operator sets that quota (`Umbrella::set_quota`).

use crate::Umbrella;
use crate::audit::AuditContext;
use crate::auth::{AdminClaim, OrgAdmin};
use crate::clock::Timestamp;
use crate::domain::PartnerId;
use crate::domain::audit::AuditAction;
use crate::domain::upgrade::{NewUpgradeRequest, UpgradeForm, UpgradeKind, UpgradeRequestView};
use crate::error::{Error, Result};
use crate::storage::upgrade_requests::{self as store, Request};
use crate::storage::{is_unique_violation, organizations};

/// A pending request as the operator lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingUpgrade {
    /// The organization's parent account: what `set-quota --partner-id` takes.
    pub parent: PartnerId,
    pub organization: String,
    pub kind: UpgradeKind,
    pub how_many: i64,
    pub message: String,
    pub requested_by: String,
    pub requested_at: Timestamp,
}

fn already_pending(kind: UpgradeKind) -> Error {
    Error::Conflict(format!(
        "A request for more {} is already pending; your Umbrella representative will \
         answer it.",
        kind.as_db()
    ))
}

pub(crate) fn view(request: Request) -> UpgradeRequestView {
    UpgradeRequestView {
        kind: request.kind,
        how_many: request.how_many,
        message: request.message,
        requested_by: request.requested_by,
        requested_at: request.requested_at.display(),
    }
}

impl Umbrella {
    /// Asks the operator for more accounts or users for the administrator's
    /// organization. One pending request per kind.
    #[tracing::instrument(skip(self, form, who, admin))]
    pub async fn request_upgrade(
        &self,
        who: &AuditContext,
        admin: &impl AdminClaim,
        kind: UpgradeKind,
        form: &UpgradeForm,
    ) -> Result<UpgradeRequestView> {
        self.audited(who, AuditAction::UpgradeRequest, None, async |change| {
            let admin = &admin.org_admin()?;
            let request = NewUpgradeRequest::parse(form).map_err(Error::Invalid)?;
            // The person (or the API token) the audit entry names.
            let requested_by = who.actor.clone();
            let mut tx = self.db().begin_write().await?;
            organizations::lock(&mut tx, admin.organization_id).await?;
            if store::pending(&mut tx, admin.organization_id, kind)
                .await?
                .is_some()
            {
                return Err(already_pending(kind));
            }
            let now = Timestamp::now();
            store::insert(
                &mut tx,
                admin.organization_id,
                kind,
                &request,
                &requested_by,
                now,
            )
            .await
            .map_err(|e| {
                if is_unique_violation(&e, &["upgrade_requests"]) {
                    already_pending(kind)
                } else {
                    Error::from(e)
                }
            })?;
            let note = format!("{} more {}", request.how_many, kind.as_db());
            change.commit_noting(tx, None, &note).await?;
            Ok(UpgradeRequestView {
                kind,
                how_many: request.how_many,
                message: request.message,
                requested_by,
                requested_at: now.display(),
            })
        })
        .await
    }

    /// The organization's pending request of this kind, if any.
    #[tracing::instrument(skip(self, admin))]
    pub async fn pending_upgrade(
        &self,
        admin: &OrgAdmin,
        kind: UpgradeKind,
    ) -> Result<Option<UpgradeRequestView>> {
        let mut conn = self.db().pool().acquire().await?;
        Ok(store::pending(&mut conn, admin.organization_id, kind)
            .await?
            .map(view))
    }

    /// Every organization's pending requests, oldest first (the operator's list).
    #[tracing::instrument(skip_all)]
    pub async fn pending_upgrade_requests(&self) -> Result<Vec<PendingUpgrade>> {
        let mut conn = self.db().pool().acquire().await?;
        Ok(store::all_pending(&mut conn)
            .await?
            .into_iter()
            .map(|r| PendingUpgrade {
                parent: r.parent,
                organization: r.organization_name,
                kind: r.kind,
                how_many: r.how_many,
                message: r.message,
                requested_by: r.requested_by,
                requested_at: r.requested_at,
            })
            .collect())
    }
}
