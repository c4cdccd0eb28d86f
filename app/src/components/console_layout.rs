use leptos::prelude::*;

use crate::api::session::{SignOut, SignedInUser};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    MultiAccount,
    Users,
    /// The signed-in user's own account: its content and users.
    Account,
}

/// The frame of every console page: who is signed in, a way out, and the tabs.
#[component]
pub fn ConsoleLayout(
    me: SignedInUser,
    /// Which tab the page belongs to.
    #[prop(default = Tab::MultiAccount)]
    tab: Tab,
    children: Children,
) -> impl IntoView {
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
        <nav class="tabs" aria-label="Console">
            <Show when=move || is_org_admin>
                <a href="/multi-account" aria-current=(tab == Tab::MultiAccount).then_some("page")>
                    "Multi Account"
                </a>
                <a href="/users" aria-current=(tab == Tab::Users).then_some("page")>"Users"</a>
            </Show>
            <a href="/console" aria-current=(tab == Tab::Account).then_some("page")>"Account"</a>
        </nav>
        <main class="console">{children()}</main>
    }
}
