use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::api::session::current_user;
use crate::components::console_layout::ConsoleLayout;

/// `/`: sends each person where they belong. Organization administrators go to the
/// Multi Account tab, everyone else signed in is told this console is not theirs
/// (with a 403), and anonymous visitors go to the sign-in page.
#[component]
pub fn HomePage() -> impl IntoView {
    let who = Resource::new_blocking(|| (), |_| current_user());

    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match who.await {
                    Ok(Some(me)) if me.is_org_admin => {
                        view! { <Redirect path="/multi-account" /> }.into_any()
                    }
                    Ok(Some(me)) => {
                        #[cfg(feature = "ssr")]
                        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                            response.set_status(http::StatusCode::FORBIDDEN);
                        }
                        view! {
                            <Title text="No access" />
                            <ConsoleLayout me=me.clone()>
                                <section class="card" role="alert">
                                    <h1>"No access to this console"</h1>
                                    <p>
                                        {format!(
                                            "You are signed in as {} of the account {}. Only Publisher \
                                             Administrators of an organization's parent account can use \
                                             the Umbrella console.",
                                            me.email,
                                            me.account_name,
                                        )}
                                    </p>
                                </section>
                            </ConsoleLayout>
                        }
                            .into_any()
                    }
                    Ok(None) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! { <p role="alert" class="form-error">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
