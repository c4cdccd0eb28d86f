use leptos::prelude::*;

use crate::server_fns::content::console_items;

/// The items of a kind the console lists without editing (they are filled by
/// importing a bundle, or come with the template).
#[component]
pub fn ItemsSection(kind: String, title: &'static str) -> impl IntoView {
    let items = Resource::new(move || kind.clone(), console_items);
    view! {
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match items.await {
                    Ok(items) if items.is_empty() => {
                        view! {
                            <p>{format!("This account has no {} yet.", title.to_lowercase())}</p>
                        }
                            .into_any()
                    }
                    Ok(items) => {
                        view! {
                            <table>
                                <caption>{title}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Name"</th>
                                        <th scope="col">"Details"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {items
                                        .into_iter()
                                        .map(|i| {
                                            view! {
                                                <tr>
                                                    <td>{i.name}</td>
                                                    <td>{i.details}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
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
                }
            })}
        </Suspense>
        <p class="hint">
            "To change these, import a content bundle under "
            <a href=crate::components::console_layout::console_href(
                "bundle",
            )>"Export and import"</a>"."
        </p>
    }
}
