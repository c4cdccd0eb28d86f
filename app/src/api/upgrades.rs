//! "Need more? Request an upgrade": the request an administrator sends the operator.

use leptos::prelude::*;

use umbrella::domain::upgrade::UpgradeRequestView;

use crate::error::AppError;

/// Asks for `how_many` more accounts or users (`kind`), with an optional message.
#[server(prefix = "/api", endpoint = "request_upgrade")]
pub async fn request_upgrade(
    kind: String,
    how_many: String,
    message: String,
) -> Result<UpgradeRequestView, AppError> {
    use crate::server::{actor, audited, fail};
    use umbrella::Error;
    use umbrella::domain::audit::AuditAction;
    use umbrella::domain::upgrade::{UpgradeForm, UpgradeKind};

    let actor = actor().await?;
    let kind = UpgradeKind::parse(&kind).map_err(|m| fail(Error::invalid("kind", m)))?;
    let form = UpgradeForm { how_many, message };
    let core = crate::server::core()?;
    audited(&actor, AuditAction::UpgradeRequest, None, async |change| {
        let admin = actor.org_admin()?;
        core.request_upgrade(change, &admin, kind, &form).await
    })
    .await
}
