//! The Audit tab's server function: an organization's audit log, for its
//! Publisher Administrators only.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRowView {
    pub id: i64,
    /// `2026-11-27 17:30:05` (UTC).
    pub at: String,
    pub actor: String,
    pub acting_as: Option<String>,
    pub action: String,
    pub partner_id: Option<i64>,
    /// The account's name, while it exists.
    pub account_name: Option<String>,
    pub address: String,
    /// "Done", "Refused" or "Failed" ([`umbrella::domain::audit::AuditOutcome::label`]).
    pub outcome: String,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPageView {
    pub entries: Vec<AuditRowView>,
    /// The `before` of the next (older) page.
    pub next_before: Option<String>,
}

/// A page of the caller's organization's audit log, newest first. The arguments are
/// the URL's parameters; the core checks each and names any it cannot accept.
#[server(prefix = "/api", endpoint = "list_audit")]
pub async fn list_audit(
    partner_id: String,
    action: String,
    from: String,
    to: String,
    before: String,
) -> Result<AuditPageView, AppError> {
    use crate::server::{actor, core, fail};
    use umbrella::clock::Timestamp;
    use umbrella::domain::audit::{AuditFilter, AuditFilterForm, action_label};

    let admin = actor().await?.org_admin().map_err(fail)?;
    let filter = AuditFilter::parse(&AuditFilterForm {
        partner_id,
        action,
        from,
        to,
        before,
    })
    .map_err(fail)?;
    let page = core()?.audit_log(&admin, &filter).await.map_err(fail)?;
    Ok(AuditPageView {
        entries: page
            .entries
            .into_iter()
            .map(|e| AuditRowView {
                id: e.id,
                at: Timestamp::from_millis(e.at).display_seconds(),
                action: action_label(&e.action).to_owned(),
                actor: e.actor,
                acting_as: e.acting_as,
                partner_id: e.partner_id,
                account_name: e.account_name,
                address: e.address,
                outcome: e.outcome.label().to_owned(),
                detail: e.detail,
            })
            .collect(),
        next_before: page.next_before.map(|cursor| cursor.to_token()),
    })
}
