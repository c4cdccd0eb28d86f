use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use crate::api::accounts::list_accounts;
use crate::api::session::current_user;
use crate::components::accounts_table::AccountsTable;
use crate::components::console_layout::ConsoleLayout;
use crate::components::quota_line::QuotaLine;
use crate::components::status_filter::StatusFilter;
use crate::error::AppError;

/// The Multi Account tab: the organization's accounts under the quota line.
/// The filter and the page live in the URL (`?status=…&after=…`).
#[component]
pub fn MultiAccountPage() -> impl IntoView {
    let query = use_query_map();
    let params = move || {
        let q = query.get();
        (q.get("status"), q.get("after"))
    };
    let who = Resource::new_blocking(|| (), |_| current_user());
    let page = Resource::new_blocking(params, |(status, after)| list_accounts(status, after));

    view! {
        <Title text="Multi Account" />
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let me = match who.await {
                    Ok(Some(me)) => me,
                    Ok(None) => return view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => {
                        return view! { <p role="alert" class="form-error">{e.to_string()}</p> }
                            .into_any();
                    }
                };
                let (status, _) = params();
                let status = status.unwrap_or_default();
                let body = match page.await {
                    Ok(page) => {
                        let next = page.next.map(|token| {
                            let mut href = format!("/multi-account?after={token}");
                            if !status.is_empty() {
                                href.push_str(&format!("&status={status}"));
                            }
                            href
                        });
                        let first = if status.is_empty() {
                            "/multi-account".to_owned()
                        } else {
                            format!("/multi-account?status={status}")
                        };
                        view! {
                            <QuotaLine in_use=page.in_use remaining=page.remaining />
                            <div class="toolbar">
                                <StatusFilter current=status.clone() />
                            </div>
                            <AccountsTable rows=page.rows />
                            <nav class="pager" aria-label="Pages">
                                <a href=first>"First page"</a>
                                {next.map(|href| view! { <a href=href>"Next page"</a> })}
                            </nav>
                        }
                            .into_any()
                    }
                    Err(AppError::Unauthenticated) => {
                        view! { <Redirect path="/login" /> }.into_any()
                    }
                    Err(e) => view! { <p role="alert" class="form-error">{e.to_string()}</p> }.into_any(),
                };
                view! {
                    <ConsoleLayout me=me>
                        <h1>"Multi Account"</h1>
                        {body}
                    </ConsoleLayout>
                }
                    .into_any()
            })}
        </Suspense>
    }
}
