use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::accounts::StatusCountsView;
use crate::components::hydrated::ListControlForm;
use crate::list_params::ListParams;

/// The choices of the status filter: (URL value, label). The empty value is the
/// default view, Active and Blocked.
pub const STATUS_CHOICES: [(&str, &str); 5] = [
    ("", "Active and Blocked"),
    ("active", "Active"),
    ("blocked", "Blocked"),
    ("removed", "Removed"),
    ("all", "All Statuses"),
];

/// The "Status" filter and the count of accounts in each status. Choosing a status
/// changes the URL, which reloads the list from its first page.
#[component]
pub fn StatusFilter(params: ListParams, counts: StatusCountsView) -> impl IntoView {
    let navigate = use_navigate();
    let current = params.status.clone();
    let form_params = params.clone();
    let on_change = move |ev: leptos::ev::Event| {
        let next = ListParams {
            status: event_target_value(&ev),
            ..params.first_page()
        };
        navigate(&next.href(), Default::default());
    };

    view! {
        <ListControlForm params=form_params changes="status">
        <div class="field inline">
            <label for="status-filter">"Status"</label>
            <select id="status-filter" name="status" on:change=on_change>
                {STATUS_CHOICES
                    .into_iter()
                    .map(|(value, label)| {
                        view! {
                            <option value=value selected=value == current>
                                {label}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
        </ListControlForm>
        <p class="status-counts" aria-label="Accounts per status">
            {format!(
                "Active: {} · Blocked: {} · Removed: {}",
                counts.active,
                counts.blocked,
                counts.removed,
            )}
        </p>
    }
}
