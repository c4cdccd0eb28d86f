use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::session::SignIn;

#[component]
pub fn LoginPage() -> impl IntoView {
    let sign_in = ServerAction::<SignIn>::new();
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
                    <div class="field">
                        <label for="sign-in-email">"Email"</label>
                        <input
                            id="sign-in-email"
                            type="email"
                            name="email"
                            autocomplete="username"
                            required
                        />
                    </div>
                    <div class="field">
                        <label for="sign-in-password">"Password"</label>
                        <input
                            id="sign-in-password"
                            type="password"
                            name="password"
                            autocomplete="current-password"
                            required
                        />
                    </div>
                    {move || error().map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
                    <button type="submit" class="primary" aria-busy=move || pending.get().to_string()>
                        {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </ActionForm>
            </section>
        </main>
    }
}
