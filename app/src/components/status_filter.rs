use leptos::prelude::*;

use umbrella::domain::{Status, StatusCounts};

use crate::components::hydrated::ListControlForm;
use crate::list_params::ListParams;

/// The "Status" filter and the count of accounts in each status. Choosing a status
/// loads the list in that status from its first page.
#[island]
pub fn StatusFilter(params: ListParams, counts: StatusCounts) -> impl IntoView {
    crate::components::hydrated::island_ready();
    let current = params.status.clone();
    let form_params = params.clone();
    let on_change = move |ev: leptos::ev::Event| {
        let next = ListParams {
            status: event_target_value(&ev),
            ..params.first_page()
        };
        crate::here::go_to(&next.href());
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
