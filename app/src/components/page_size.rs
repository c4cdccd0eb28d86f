use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::components::hydrated::ListControlForm;
use crate::list_params::ListParams;

const SIZES: [&str; 4] = ["25", "50", "100", "200"];
const DEFAULT_SIZE: &str = "50";

/// How many accounts a page shows.
#[component]
pub fn PageSize(params: ListParams) -> impl IntoView {
    let navigate = use_navigate();
    let form_params = params.clone();
    let current = if params.size.is_empty() {
        DEFAULT_SIZE.to_owned()
    } else {
        params.size.clone()
    };
    let on_change = move |ev: leptos::ev::Event| {
        let size = event_target_value(&ev);
        let next = ListParams {
            size: if size == DEFAULT_SIZE {
                String::new()
            } else {
                size
            },
            ..params.first_page()
        };
        navigate(&next.href(), Default::default());
    };
    view! {
        <ListControlForm params=form_params changes="size">
        <div class="field inline">
            <label for="page-size">"Page size"</label>
            <select id="page-size" name="size" on:change=on_change>
                {SIZES
                    .into_iter()
                    .map(|size| view! { <option value=size selected=size == current>{size}</option> })
                    .collect_view()}
            </select>
        </div>
        </ListControlForm>
    }
}
