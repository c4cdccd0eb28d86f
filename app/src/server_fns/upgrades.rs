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
    use crate::server::{actor, fail, who};
    use umbrella::Error;
    use umbrella::domain::upgrade::{UpgradeForm, UpgradeKind};

    let actor = actor().await?;
    let kind = UpgradeKind::parse(&kind).map_err(|m| fail(Error::invalid("kind", m)))?;
    let form = UpgradeForm { how_many, message };
    crate::server::core()?
        .request_upgrade(&who(&actor), &actor, kind, &form)
        .await
        .map_err(fail)
}
