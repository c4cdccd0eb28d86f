use leptos::prelude::*;

/// "Current status: 2 accounts in use, 3 additional remaining."
#[component]
pub fn QuotaLine(in_use: i64, remaining: i64) -> impl IntoView {
    let noun = if in_use == 1 { "account" } else { "accounts" };
    view! {
        <p class="quota-line">
            {format!("Current status: {in_use} {noun} in use, {remaining} additional remaining.")}
        </p>
        <p class="quota-note">
            "Accounts in use are active or blocked accounts that are not templates. "
            "Need more? Ask your Umbrella representative for a larger quota."
        </p>
    }
}
