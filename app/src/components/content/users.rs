use leptos::prelude::*;

use crate::server_fns::content::console_users;

/// The account's console users.
#[component]
pub fn UsersSection() -> impl IntoView {
    let users = Resource::new(|| (), |_| console_users());
    view! {
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(users) => {
                        view! {
                            <table>
                                <caption>"Users of this account"</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Name"</th>
                                        <th scope="col">"Email"</th>
                                        <th scope="col">"Role"</th>
                                        <th scope="col">"Status"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {users
                                        .into_iter()
                                        .map(|u| {
                                            view! {
                                                <tr>
                                                    <td>{u.name}{u.is_owner.then_some(" (Owner)")}</td>
                                                    <td>{u.email}</td>
                                                    <td>{u.role}</td>
                                                    <td>{u.status}</td>
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
    }
}
