use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use umbrella::domain::{Status, StatusCounts};

use crate::components::hydrated::ListControlForm;
use crate::list_params::ListParams;

/// The "Status" filter and the count of accounts in each status. Choosing a status
/// changes the URL, which reloads the list from its first page.
#[component]
pub fn StatusFilter(params: ListParams, counts: StatusCounts) -> impl IntoView {
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
                {Status::FILTERS
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
                "{}: {} · {}: {} · {}: {}",
                Status::Active.label(),
                counts.active,
                Status::Blocked.label(),
                counts.blocked,
                Status::Removed.label(),
                counts.removed,
            )}
        </p>
    }
}
