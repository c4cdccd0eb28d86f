use leptos::prelude::*;

use crate::api::session::{SignOut, SignedInUser};

/// The frame of every console page: who is signed in, a way out, and the tabs.
#[component]
pub fn ConsoleLayout(me: SignedInUser, children: Children) -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    let is_org_admin = me.is_org_admin;

    view! {
        <header class="top-bar">
            <span class="brand">"Umbrella"</span>
            <span class="signed-in-as">
                <span class="account">{me.account_name}</span>
                <span class="user">{me.email}</span>
            </span>
            <ActionForm action=sign_out attr:class="sign-out">
                <button type="submit" class="secondary">"Sign out"</button>
            </ActionForm>
        </header>
        <Show when=move || is_org_admin>
            <nav class="tabs" aria-label="Console">
                <a href="/multi-account" aria-current="page">"Multi Account"</a>
            </nav>
        </Show>
        <main class="console">{children()}</main>
    }
}
