use leptos::prelude::*;
use leptos_meta::Title;

use leptos_router::hooks::use_query_map;

use crate::components::return_here::ReturnHere;
use crate::components::text_field::TextField;
use crate::server_fns::session::SignIn;

#[component]
pub fn LoginPage() -> impl IntoView {
    let sign_in = ServerAction::<SignIn>::new();
    // After a plain form post was refused, the typed email comes back in the URL.
    let typed_email = use_query_map()
        .get_untracked()
        .get("email")
        .unwrap_or_default();
    let pending = sign_in.pending();
    let error = move || {
        sign_in
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    };

    view! {
        <Title text="Sign in" />
        <main class="centered">
            <section class="card sign-in" aria-labelledby="sign-in-title">
                <h1 id="sign-in-title">"Sign in to Umbrella"</h1>
                <ActionForm action=sign_in>
                    <ReturnHere keep="email" />
                    <TextField
                        id="sign-in-email"
                        name="email"
                        label="Email"
                        kind="email"
                        autocomplete="username"
                        required=true
                        value=typed_email
                    />
                    <TextField
                        id="sign-in-password"
                        name="password"
                        label="Password"
                        kind="password"
                        autocomplete="current-password"
                        required=true
                    />
                    {move || {
                        error()
                            .map(|message| {
                                view! {
                                    <p class="form-error" role="alert">
                                        {message}
                                    </p>
                                }
                            })
                    }}
                    <button
                        type="submit"
                        class="primary"
                        aria-busy=move || pending.get().to_string()
                    >
                        {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </ActionForm>
            </section>
        </main>
    }
}
