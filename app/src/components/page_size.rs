use leptos::prelude::*;

use umbrella::domain::AccountQuery;

use crate::components::hydrated::ListControlForm;
use crate::list_params::ListParams;

/// How many accounts a page shows.
#[island]
pub fn PageSize(params: ListParams) -> impl IntoView {
    crate::components::hydrated::island_ready();
    let form_params = params.clone();
    let default_size = AccountQuery::DEFAULT_PAGE_SIZE.to_string();
    let current = if params.size.is_empty() {
        default_size.clone()
    } else {
        params.size.clone()
    };
    let on_change = move |ev: leptos::ev::Event| {
        let size = event_target_value(&ev);
        let next = ListParams {
            size: if size == default_size {
                String::new()
            } else {
                size
            },
            ..params.first_page()
        };
        crate::here::go_to(&next.href());
    };
    view! {
        <ListControlForm params=form_params changes="size">
            <div class="field inline">
                <label for="page-size">"Page size"</label>
                <select id="page-size" name="size" on:change=on_change>
                    {AccountQuery::PAGE_SIZES
                        .into_iter()
                        .map(|size| {
                            let value = size.to_string();
                            let selected = value == current;
                            let label = value.clone();
                            view! {
                                <option value=value selected=selected>
                                    {label}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
        </ListControlForm>
    }
}
