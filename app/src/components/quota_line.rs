use leptos::prelude::*;

use umbrella::domain::upgrade::{UpgradeKind, UpgradeRequestView};

use crate::components::upgrade_request::UpgradeRequestIsland;

/// "Current status: 2 accounts in use, 3 additional remaining.", and the way to ask
/// for more.
#[component]
pub fn QuotaLine(
    in_use: i64,
    remaining: i64,
    /// The organization's pending request for more accounts, if any.
    upgrade: Option<UpgradeRequestView>,
) -> impl IntoView {
    let noun = if in_use == 1 { "account" } else { "accounts" };
    view! {
        <p class="quota-line">
            {format!("Current status: {in_use} {noun} in use, {remaining} additional remaining.")}
        </p>
        <p class="quota-note">
            "Accounts in use are active or blocked accounts that are not templates."
        </p>
        <UpgradeRequestIsland kind=UpgradeKind::Accounts pending=upgrade />
    }
}
