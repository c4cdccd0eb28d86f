use leptos::prelude::*;

use umbrella::domain::{Search, SearchMode};

use crate::list_params::ListParams;

/// Search by Partner ID, Account Name or free text. A plain GET form: the search
/// lands in the URL, and needs no WASM.
#[component]
pub fn SearchBar(params: ListParams) -> impl IntoView {
    let mode = if params.mode.is_empty() {
        SearchMode::FreeText.as_param().to_owned()
    } else {
        params.mode.clone()
    };
    view! {
        <form method="get" action="/multi-account" class="search" role="search">
            <div class="field inline">
                <label for="search-mode">"Search by"</label>
                <select id="search-mode" name="mode">
                    {SearchMode::ALL
                        .into_iter()
                        .map(|choice| {
                            let value = choice.as_param();
                            view! {
                                <option value=value selected=value == mode>
                                    {choice.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field inline">
                <label for="search-text">"Search"</label>
                <input
                    id="search-text"
                    type="search"
                    name="q"
                    value=params.q.clone()
                    maxlength=Search::MAX_CHARS_ATTRIBUTE
                />
            </div>
            // The rest of the view is kept; the page starts again from the first.
            {(!params.status.is_empty())
                .then(|| {
                    view! { <input type="hidden" name="status" value=params.status.clone() /> }
                })}
            {(!params.sort.is_empty())
                .then(|| view! { <input type="hidden" name="sort" value=params.sort.clone() /> })}
            {(!params.size.is_empty())
                .then(|| view! { <input type="hidden" name="size" value=params.size.clone() /> })}
            <button type="submit" class="secondary">
                "Search"
            </button>
        </form>
    }
}
