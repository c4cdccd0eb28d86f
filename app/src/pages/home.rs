use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::server_fns::session::current_user;

/// `/`: sends each person where they belong. Organization administrators go to the
/// Multi Account tab, everyone else signed in to their account's console, and
/// anonymous visitors to the sign-in page.
#[component]
pub fn HomePage() -> impl IntoView {
    let who = Resource::new_blocking(|| (), |_| current_user());

    view! {
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match who.await {
                    Ok(Some(me)) if me.is_org_admin => {
                        view! { <Redirect path="/multi-account" /> }.into_any()
                    }
                    Ok(Some(_)) => view! { <Redirect path="/console" /> }.into_any(),
                    Ok(None) => view! { <Redirect path="/login" /> }.into_any(),
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
