use leptos::prelude::*;

use crate::api::accounts::AccountRow;

const NOT_AVAILABLE: &str = "N/A";

fn or_na(value: Option<String>) -> String {
    value.unwrap_or_else(|| NOT_AVAILABLE.to_owned())
}

/// The organization's accounts, one row each, with the columns of the original console.
#[component]
pub fn AccountsTable(rows: Vec<AccountRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">"No accounts match this filter."</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="accounts" aria-label="Accounts">
                <thead>
                    <tr>
                        <th scope="col">"Account Name"</th>
                        <th scope="col">"Partner ID"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Administrator"</th>
                        <th scope="col">"Admin Email"</th>
                        <th scope="col">"Admin Phone"</th>
                        <th scope="col">"Reference ID"</th>
                        <th scope="col">"Website URL"</th>
                        <th scope="col">"Creation Date"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|row| {
                            let name = if row.is_parent {
                                format!("{} (Parent)", row.name)
                            } else {
                                row.name
                            };
                            let status = row.status.label();
                            view! {
                                <tr>
                                    <th scope="row">{name}</th>
                                    <td>{row.partner_id}</td>
                                    <td>
                                        <span class=format!(
                                            "status status-{}",
                                            status.to_lowercase(),
                                        )>{status}</span>
                                    </td>
                                    <td>{row.admin_name}</td>
                                    <td>{row.admin_email}</td>
                                    <td>{row.admin_phone}</td>
                                    <td>{or_na(row.reference_id)}</td>
                                    <td>{or_na(row.website_url)}</td>
                                    <td>{row.created}</td>
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
