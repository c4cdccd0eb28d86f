use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::return_here::ReturnHere;
use crate::components::text_field::TextField;
use crate::server_fns::session::Activate;

/// `/activate?token=…`: a new user chooses their password through a one-time link.
#[component]
pub fn ActivatePage() -> impl IntoView {
    let token = use_query_map()
        .get_untracked()
        .get("token")
        .unwrap_or_default();
    let activate = ServerAction::<Activate>::new();
    let pending = activate.pending();
    let error = Signal::derive(move || activate.value().get().and_then(Result::err));

    view! {
        <Title text="Choose your password" />
        <main class="centered">
            <section class="card sign-in" aria-labelledby="activate-title">
                <h1 id="activate-title">"Choose your password"</h1>
                <p>"This link works once. Choose a password of at least 10 characters."</p>
                <ActionForm action=activate>
                    <ReturnHere />
                    <input type="hidden" name="token" value=token />
                    <TextField
                        id="activate-password"
                        name="password"
                        label="New password"
                        kind="password"
                        autocomplete="new-password"
                        required=true
                        error
                    />
                    <TextField
                        id="activate-confirm"
                        name="confirm"
                        label="Repeat the password"
                        kind="password"
                        autocomplete="new-password"
                        required=true
                        error
                    />
                    {move || {
                        error
                            .get()
                            .filter(|e| {
                                e.field("password").is_none() && e.field("confirm").is_none()
                            })
                            .map(|e| {
                                view! {
                                    <p class="form-error" role="alert">
                                        {e.to_string()}
                                    </p>
                                }
                            })
                    }}
                    <button
                        type="submit"
                        class="primary"
                        aria-busy=move || pending.get().to_string()
                    >
                        "Set password and sign in"
                    </button>
                </ActionForm>
            </section>
        </main>
    }
}
