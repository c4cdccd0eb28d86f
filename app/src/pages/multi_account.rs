use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use crate::api::accounts::load_accounts;
use crate::api::bulk::current_bulk_job;
use crate::api::session::current_user;
use crate::components::accounts_table::AccountsTable;
use crate::components::add_account::AddAccount;
use crate::components::bulk_actions::{BulkBar, BulkJobPanel, Selection};
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
    let selection = Selection::new();
    // Another view, another set of accounts: a selection does not carry over.
    Effect::new(move |_| {
        params.track();
        selection.clear();
    });
    // The organization's bulk job, asked again every half second while it runs.
    let poll = RwSignal::new(0_u32);
    let bulk = Resource::new(move || poll.get(), |_| current_bulk_job());
    // Set while a job this page knows of runs: its end reloads the list.
    let awaiting = RwSignal::new(false);
    Effect::new(move |_| {
        let Some(job) = bulk.get().and_then(Result::ok).flatten() else {
            return;
        };
        if !job.finished {
            awaiting.set(true);
            set_timeout(
                move || poll.update(|n| *n = n.wrapping_add(1)),
                std::time::Duration::from_millis(500),
            );
        } else if awaiting.get_untracked() {
            // Finished: the list shows the accounts as the job left them.
            awaiting.set(false);
            page.refetch();
        }
    });
    let reload_bulk = Callback::new(move |_| poll.update(|n| *n = n.wrapping_add(1)));
    let bulk_started = Callback::new(move |_| {
        awaiting.set(true);
        reload_bulk.run(());
    });

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
                        let ids: Vec<i64> = page.rows.iter().map(|row| row.partner_id).collect();
                        view! {
                            <QuotaLine
                                in_use=page.in_use
                                remaining=page.remaining
                                upgrade=page.upgrade.clone()
                            />
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
                            // Its own boundary: polling the job never blanks the list.
                            <Transition fallback=|| ()>
                                {move || {
                                    bulk.get()
                                        .and_then(Result::ok)
                                        .flatten()
                                        .map(|job| {
                                            view! { <BulkJobPanel job on_dismissed=reload_bulk /> }
                                        })
                                }}
                            </Transition>
                            <BulkBar
                                selection
                                params=params.clone()
                                page=ids
                                more_pages=next.is_some()
                                on_started=bulk_started
                            />
                            <AccountsTable
                                rows=page.rows
                                params=params.clone()
                                selection
                                on_changed=refresh
                            />
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
