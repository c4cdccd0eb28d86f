use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::components::accounts_table::AccountsTable;
use crate::components::add_account::AddAccount;
use crate::components::bulk_actions::BulkArea;
use crate::components::console_layout::ConsoleLayout;
use crate::components::page_size::PageSize;
use crate::components::quota_line::QuotaLine;
use crate::components::search_bar::SearchBar;
use crate::components::status_filter::StatusFilter;
use crate::error::AppError;
use crate::list_params::ListParams;
use crate::server_fns::accounts::load_accounts;
use crate::server_fns::bulk::current_bulk_job;
use crate::server_fns::session::current_user;

/// The Multi Account tab: the organization's accounts under the quota line.
/// Filter, search, sort, size and page live in the URL. Drawn by the server; what
/// needs the WASM (adding, the controls that change the view on their own, the bulk
/// bar, a row's checkbox and menu) is an island.
#[component]
pub fn MultiAccountPage() -> impl IntoView {
    let params = ListParams::from_query(&crate::here::query());
    let who = Resource::new_blocking(|| (), |_| current_user());
    let page = Resource::new_blocking(
        {
            let params = params.clone();
            move || params.clone()
        },
        load_accounts,
    );
    let bulk = Resource::new_blocking(|| (), |_| current_bulk_job());

    view! {
        <Title text="Multi Account" />
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || {
                let params = params.clone();
                Suspend::new(async move {
                    let me = match who.await {
                        Ok(Some(me)) => me,
                        Ok(None) => return view! { <Redirect path="/login" /> }.into_any(),
                        Err(e) => {
                            return view! {
                                <p role="alert" class="form-error">
                                    {e.to_string()}
                                </p>
                            }
                                .into_any();
                        }
                    };
                    let body = match page.await {
                        Ok(page) => {
                            let next = page
                                .next
                                .map(|after| {
                                    ListParams {
                                        after,
                                        ..params.clone()
                                    }
                                        .href()
                                });
                            let ids: Vec<i64> = page
                                .rows
                                .iter()
                                .map(|row| row.partner_id)
                                .collect();
                            let job = bulk.await.ok().flatten();
                            // No job, or one that could not be read: the page still works.
                            view! {
                                <QuotaLine
                                    in_use=page.in_use
                                    remaining=page.remaining
                                    upgrade=page.upgrade.clone()
                                />
                                <div class="toolbar">
                                    <AddAccount />
                                    <SearchBar params=params.clone() />
                                    <StatusFilter params=params.clone() counts=page.counts />
                                    <PageSize params=params.clone() />
                                    <a class="button secondary" href=params.export_href() download>
                                        "Export CSV"
                                    </a>
                                </div>
                                <BulkArea
                                    params=params.clone()
                                    page=ids
                                    more_pages=next.is_some()
                                    job
                                />
                                <AccountsTable rows=page.rows params=params.clone() />
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
                                <p role="alert" class="form-error">
                                    {e.to_string()}
                                </p>
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
                })
            }}
        </Suspense>
    }
}
