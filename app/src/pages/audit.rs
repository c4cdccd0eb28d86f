use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;
use umbrella::domain::audit::AuditAction;

use crate::components::console_layout::{ConsoleLayout, Tab};
use crate::components::field_error::FieldError;
use crate::error::AppError;
use crate::server_fns::audit::{AuditPageView, list_audit};
use crate::server_fns::session::current_user;

/// The filter, as the URL carries it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct AuditQuery {
    partner_id: String,
    action: String,
    from: String,
    to: String,
    before: String,
}

impl AuditQuery {
    /// The same filter, at an older page.
    fn href_before(&self, before: &str) -> String {
        let pairs = [
            ("partner_id", self.partner_id.as_str()),
            ("action", self.action.as_str()),
            ("from", self.from.as_str()),
            ("to", self.to.as_str()),
        ];
        let mut query: Vec<String> = pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", urlencoding(v)))
            .collect();
        query.push(format!("before={}", urlencoding(before)));
        format!("/audit?{}", query.join("&"))
    }
}

/// Enough escaping for the values the filter holds (IDs, action codes, dates).
fn urlencoding(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The Audit tab: the organization's audit log, newest first, filtered by account,
/// action and days. Links and a GET form only: the page needs no WASM.
#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.get();
        let get = |key: &str| q.get(key).unwrap_or_default();
        AuditQuery {
            partner_id: get("partner_id"),
            action: get("action"),
            from: get("from"),
            to: get("to"),
            before: get("before"),
        }
    });
    let who = Resource::new_blocking(|| (), |_| current_user());
    let page = Resource::new_blocking(
        move || filter.get(),
        |f| list_audit(f.partner_id, f.action, f.from, f.to, f.before),
    );

    view! {
        <Title text="Audit" />
        <Transition fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
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
                let filter = filter.get_untracked();
                let body = match page.await {
                    Ok(page) => {
                        view! {
                            <FilterForm filter=filter.clone() error=None />
                            <AuditTable page=page filter=filter />
                        }
                            .into_any()
                    }
                    Err(AppError::Unauthenticated) => {
                        view! { <Redirect path="/login" /> }.into_any()
                    }
                    Err(e @ AppError::Invalid(_)) => {
                        view! {
                            <FilterForm filter=filter.clone() error=Some(e) />
                            <p>
                                <a href="/audit">"Show all entries"</a>
                            </p>
                        }
                            .into_any()
                    }
                    Err(e) => {
                        view! {
                            <p role="alert" class="form-error">
                                {e.to_string()}
                            </p>
                        }
                            .into_any()
                    }
                };
                view! {
                    <ConsoleLayout me tab=Tab::Audit>
                        <h1>"Audit"</h1>
                        <p class="hint">
                            "Every change and every CMS Login in your organization, refused attempts included. Entries cannot be changed or deleted."
                        </p>
                        {body}
                    </ConsoleLayout>
                }
                    .into_any()
            })}
        </Transition>
    }
}

/// A GET form: the filter lands in the URL, so a filtered view can be shared.
#[component]
fn FilterForm(filter: AuditQuery, error: Option<AppError>) -> impl IntoView {
    let error = Signal::derive(move || error.clone());
    let chosen = filter.action.clone();
    view! {
        <form method="get" action="/audit" class="audit-filter" role="search">
            <div class="field inline">
                <label for="audit-account">"Account (name or Partner ID)"</label>
                <input
                    id="audit-account"
                    name="partner_id"
                    maxlength="200"
                    value=filter.partner_id.clone()
                />
                <FieldError error field="partner_id" />
            </div>
            <div class="field inline">
                <label for="audit-action">"Action"</label>
                <select id="audit-action" name="action">
                    <option value="">"All actions"</option>
                    {AuditAction::ALL
                        .iter()
                        .map(|action| {
                            let (code, label) = (
                                action.code().to_owned(),
                                action.label().to_owned(),
                            );
                            let selected = code == chosen;
                            // Owned strings: the same view types as the page's other
                            // options, so the WASM holds one instance of their code.
                            view! {
                                <option value=code selected=selected>
                                    {label}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <FieldError error field="action" />
            </div>
            <div class="field inline">
                <label for="audit-from">"From"</label>
                <input id="audit-from" type="date" name="from" value=filter.from.clone() />
                <FieldError error field="from" />
            </div>
            <div class="field inline">
                <label for="audit-to">"To"</label>
                <input id="audit-to" type="date" name="to" value=filter.to.clone() />
                <FieldError error field="to" />
            </div>
            <button type="submit" class="secondary">
                "Filter"
            </button>
            <FieldError error field="before" />
        </form>
    }
}

#[component]
fn AuditTable(page: AuditPageView, filter: AuditQuery) -> impl IntoView {
    if page.entries.is_empty() {
        return view! { <p class="empty">"No entries match."</p> }.into_any();
    }
    let next = page.next_before.map(|before| filter.href_before(&before));
    view! {
        <div class="table-wrap">
            <table class="audit">
                <caption>"Audit log, newest first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"When (UTC)"</th>
                        <th scope="col">"Who"</th>
                        <th scope="col">"Acting as"</th>
                        <th scope="col">"Action"</th>
                        <th scope="col">"Account"</th>
                        <th scope="col">"From"</th>
                        <th scope="col">"Outcome"</th>
                    </tr>
                </thead>
                <tbody>
                    {page
                        .entries
                        .into_iter()
                        .map(|e| {
                            view! {
                                <tr>
                                    <td>{e.at}</td>
                                    <td>{e.actor}</td>
                                    <td>{e.acting_as.unwrap_or_else(|| "—".to_owned())}</td>
                                    <td>{e.action}</td>
                                    <td>{account_cell(e.account_name, e.partner_id)}</td>
                                    <td>{e.address}</td>
                                    <td>
                                        {e.outcome}
                                        {(!e.detail.is_empty())
                                            .then(|| {
                                                view! {
                                                    <span class="detail">{format!(": {}", e.detail)}</span>
                                                }
                                            })}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <nav class="pager" aria-label="Pages">
            <a href="/audit">"Newest entries"</a>
            {next.map(|href| view! { <a href=href>"Older entries"</a> })}
        </nav>
    }
    .into_any()
}

/// "Faculty of Arts (6475)": the name people look for, and the ID the log keeps
/// (alone when the account has since been deleted).
fn account_cell(name: Option<String>, partner_id: Option<i64>) -> String {
    match (name, partner_id) {
        (Some(name), Some(id)) => format!("{name} ({id})"),
        (None, Some(id)) => id.to_string(),
        _ => "—".to_owned(),
    }
}
