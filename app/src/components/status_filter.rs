use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// The choices of the status filter: (URL value, label). The empty value is the
/// default view, Active and Blocked.
pub const STATUS_CHOICES: [(&str, &str); 5] = [
    ("", "Active and Blocked"),
    ("active", "Active"),
    ("blocked", "Blocked"),
    ("removed", "Removed"),
    ("all", "All Statuses"),
];

/// The "Status" filter. Choosing a status changes the URL, which reloads the list;
/// so a reload or a shared link shows the same view.
#[component]
pub fn StatusFilter(current: String) -> impl IntoView {
    let navigate = use_navigate();
    let on_change = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let url = if value.is_empty() {
            "/multi-account".to_owned()
        } else {
            format!("/multi-account?status={value}")
        };
        navigate(&url, Default::default());
    };

    view! {
        <div class="field inline">
            <label for="status-filter">"Status"</label>
            <select id="status-filter" name="status" on:change=on_change>
                {STATUS_CHOICES
                    .into_iter()
                    .map(|(value, label)| {
                        view! {
                            <option value=value selected=value == current>
                                {label}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
