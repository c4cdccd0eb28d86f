use leptos::prelude::*;

use crate::components::bulk_actions::{SelectPage, SelectRow};
use crate::components::row_actions::{RowActions, has_actions};
use crate::list_params::ListParams;
use crate::server_fns::accounts::AccountRow;

const NOT_AVAILABLE: &str = "N/A";
/// The list's order when the URL names none: newest first.
const DEFAULT_SORT: &str = "-created";

fn or_na(value: Option<String>) -> String {
    value.unwrap_or_else(|| NOT_AVAILABLE.to_owned())
}

/// A column header that sorts by its column: first in its natural direction, then
/// the other way; `aria-sort` tells assistive technology the current order.
#[component]
fn SortableHeader(label: &'static str, key: &'static str, params: ListParams) -> impl IntoView {
    let current = if params.sort.is_empty() {
        DEFAULT_SORT.to_owned()
    } else {
        params.sort.clone()
    };
    let ascending = current == key;
    let descending = current.strip_prefix('-') == Some(key);
    let natural = if key == "created" {
        format!("-{key}")
    } else {
        key.to_owned()
    };
    let next = if ascending {
        format!("-{key}")
    } else if descending {
        key.to_owned()
    } else {
        natural
    };
    let next = ListParams {
        sort: if next == DEFAULT_SORT {
            String::new()
        } else {
            next
        },
        ..params.first_page()
    };
    let aria_sort = if ascending {
        "ascending"
    } else if descending {
        "descending"
    } else {
        "none"
    };
    view! {
        <th scope="col" aria-sort=aria_sort>
            <a href=next.href() class="sort-link">
                {label}
            </a>
            // Outside the link and hidden: the arrow must not become part of its name.
            <span class="sort-arrow" aria-hidden="true">
                {if ascending { " ▲" } else if descending { " ▼" } else { "" }}
            </span>
        </th>
    }
}

/// The organization's accounts, one row each, with the columns of the original console.
/// Drawn by the server; a row's checkbox and menu are islands.
#[component]
pub fn AccountsTable(rows: Vec<AccountRow>, params: ListParams) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">"No accounts match this view."</p> }.into_any();
    }
    let page: Vec<i64> = rows.iter().map(|row| row.partner_id).collect();
    view! {
        <div class="table-scroll">
            <table class="accounts" aria-label="Accounts">
                <thead>
                    <tr>
                        <td class="select-cell">
                            <SelectPage page=page.clone() />
                        </td>
                        <SortableHeader label="Account Name" key="name" params=params.clone() />
                        <SortableHeader label="Partner ID" key="partner" params=params.clone() />
                        <th scope="col">"Status"</th>
                        <th scope="col">"Administrator"</th>
                        <th scope="col">"Admin Email"</th>
                        <th scope="col">"Admin Phone"</th>
                        <th scope="col">"Reference ID"</th>
                        <th scope="col">"Website URL"</th>
                        <SortableHeader label="Creation Date" key="created" params=params.clone() />
                        <th scope="col">
                            <span class="visually-hidden">"Actions"</span>
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|row| {
                            let name = if row.is_parent {
                                format!("{} (Parent)", row.name)
                            } else if row.is_template {
                                format!("{} (Template)", row.name)
                            } else {
                                row.name.clone()
                            };
                            let status = row.status.label();
                            // Templates are marked so admins see why they have no actions.
                            view! {
                                <tr>
                                    <td class="select-cell">
                                        <SelectRow
                                            id=row.partner_id
                                            name=row.name.clone()
                                            page=page.clone()
                                        />
                                    </td>
                                    <th scope="row">{name}</th>
                                    <td>{row.partner_id}</td>
                                    <td>
                                        <span class=format!(
                                            "status status-{}",
                                            status.to_lowercase(),
                                        )>{status}</span>
                                    </td>
                                    <td>{row.admin_name.clone()}</td>
                                    <td>{row.admin_email.clone()}</td>
                                    <td>{row.admin_phone.clone()}</td>
                                    <td>{or_na(row.reference_id.clone())}</td>
                                    <td>{or_na(row.website_url.clone())}</td>
                                    <td>{row.created.clone()}</td>
                                    <td>
                                        {if has_actions(&row) {
                                            view! { <RowActions row /> }.into_any()
                                        } else {
                                            view! { <span class="visually-hidden">"No actions"</span> }
                                                .into_any()
                                        }}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
