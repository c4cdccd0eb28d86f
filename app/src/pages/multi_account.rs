use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use crate::api::accounts::load_accounts;
use crate::api::session::current_user;
use crate::components::accounts_table::AccountsTable;
use crate::components::add_account::AddAccount;
use crate::components::console_layout::ConsoleLayout;
use crate::components::page_size::PageSize;
use crate::components::quota_line::QuotaLine;
use crate::components::search_bar::SearchBar;
use crate::components::status_filter::StatusFilter;
use crate::error::AppError;
use crate::list_params::ListParams;

/// The Multi Account tab: the organization's accounts under the quota line.
/// Filter, search, sort, size and page live in the URL.
#[component]
pub fn MultiAccountPage() -> impl IntoView {
    let query = use_query_map();
    let params = Memo::new(move |_| ListParams::from_query(&query.get()));
    let who = Resource::new_blocking(|| (), |_| current_user());
    let page = Resource::new_blocking(move || params.get(), load_accounts);
    let refresh = Callback::new(move |_| page.refetch());
    // Lives above the list, so that reloading the list does not lose it.
    let created = RwSignal::new(None);

    view! {
        <Title text="Multi Account" />
        // Transition, not Suspense: while the list reloads, the old one stays.
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let me = match who.await {
                    Ok(Some(me)) => me,
                    Ok(None) => return view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => {
                        return view! { <p role="alert" class="form-error">{e.to_string()}</p> }
                            .into_any();
                    }
                };
                let params = params.get_untracked();
                let body = match page.await {
                    Ok(page) => {
                        let next = page
                            .next
                            .map(|after| ListParams { after, ..params.clone() }.href());
                        view! {
                            <QuotaLine in_use=page.in_use remaining=page.remaining />
                            <div class="toolbar">
                                <AddAccount created on_created=refresh />
                                <SearchBar params=params.clone() />
                                <StatusFilter params=params.clone() counts=page.counts />
                                <PageSize params=params.clone() />
                                // A file, not a screen: the router leaves it to the browser.
                                <a
                                    class="button secondary"
                                    href=params.export_href()
                                    download
                                    rel="external"
                                >
                                    "Export CSV"
                                </a>
                            </div>
                            <AccountsTable rows=page.rows params=params.clone() on_changed=refresh />
                            <nav class="pager" aria-label="Pages">
                                <a href=params.first_page().href()>"First page"</a>
                                {next.map(|href| view! { <a href=href>"Next page"</a> })}
                            </nav>
                        }
                            .into_any()
                    }
                    Err(AppError::Unauthenticated) => {
                        view! { <Redirect path="/login" /> }.into_any()
                    }
                    Err(e) => {
                        view! {
                            <p role="alert" class="form-error">{e.to_string()}</p>
                            <p>
                                <a href="/multi-account">"Back to all accounts"</a>
                            </p>
                        }
                            .into_any()
                    }
                };
                view! {
                    <ConsoleLayout me=me>
                        <h1>"Multi Account"</h1>
                        {body}
                    </ConsoleLayout>
                }
                    .into_any()
            })}
        </Transition>
    }
}
