use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::session::{EndCmsSession, SignOut, SignedInUser};
use crate::lazy_pages::{TabScreen, prefetch};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    MultiAccount,
    Users,
    Audit,
    /// The signed-in user's own account: its content and users.
    Account,
}

/// Where the console's pages are: `/console…`, or `/cms/<partner_id>/console…` in a
/// CMS Login tab (whose cookie and server functions live under that prefix).
pub fn console_base() -> String {
    use_params_map()
        .get_untracked()
        .get("pid")
        .map(|pid| format!("/cms/{pid}"))
        .unwrap_or_default()
}

/// The path of a console section (`""` for the overview) in this tab.
pub fn console_href(section: &str) -> String {
    let base = console_base();
    if section.is_empty() {
        format!("{base}/console")
    } else {
        format!("{base}/console/{section}")
    }
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
    view! {
        <ConsoleHeader me tab />
        <main class="console">{children()}</main>
    }
}

/// The top of a console page: who is signed in, a way out, and the tabs. Pages
/// whose body loads its own data render it beside this, not inside (see
/// `pages/console.rs`).
#[component]
pub fn ConsoleHeader(me: SignedInUser, tab: Tab) -> impl IntoView {
    let is_org_admin = me.is_org_admin;
    let current = move |t: Tab| (tab == t).then_some("page");
    let way_out = match me.cms_started_by.clone() {
        Some(admin) => view! { <CmsBanner account=me.account_name.clone() admin /> }.into_any(),
        None => {
            let sign_out = ServerAction::<SignOut>::new();
            view! {
                <ActionForm action=sign_out attr:class="sign-out">
                    <button type="submit" class="secondary">"Sign out"</button>
                </ActionForm>
            }
            .into_any()
        }
    };

    view! {
        <header class="top-bar">
            <span class="brand">"Umbrella"</span>
            <span class="signed-in-as">
                <span class="account">{me.account_name}</span>
                <span class="user">{me.email}</span>
            </span>
            {way_out}
        </header>
        <nav class="tabs" aria-label="Console">
            <Show when=move || is_org_admin>
                <a
                    href="/multi-account"
                    aria-current=current(Tab::MultiAccount)
                    on:pointerenter=move |_| prefetch(TabScreen::MultiAccount)
                    on:focus=move |_| prefetch(TabScreen::MultiAccount)
                >
                    "Multi Account"
                </a>
                <a
                    href="/users"
                    aria-current=current(Tab::Users)
                    on:pointerenter=move |_| prefetch(TabScreen::Users)
                    on:focus=move |_| prefetch(TabScreen::Users)
                >
                    "Users"
                </a>
                <a
                    href="/audit"
                    aria-current=current(Tab::Audit)
                    on:pointerenter=move |_| prefetch(TabScreen::Audit)
                    on:focus=move |_| prefetch(TabScreen::Audit)
                >
                    "Audit"
                </a>
            </Show>
            <a
                href=console_href("")
                aria-current=current(Tab::Account)
                on:pointerenter=move |_| prefetch(TabScreen::Account)
                on:focus=move |_| prefetch(TabScreen::Account)
            >
                "Account"
            </a>
        </nav>
    }
}

/// Says whose account this tab is in and who stepped in, with the way out.
#[component]
fn CmsBanner(account: String, admin: String) -> impl IntoView {
    let end = ServerAction::<EndCmsSession>::new();
    let pending = end.pending();
    view! {
        <div class="cms-banner" role="status">
            <span>{format!("Signed in to {account} as its owner by {admin}")}</span>
            <ActionForm action=end attr:class="sign-out">
                <button type="submit" class="secondary" disabled=pending>
                    {move || if pending.get() { "Ending…" } else { "End session" }}
                </button>
            </ActionForm>
            {move || {
                end.value()
                    .get()
                    .and_then(Result::err)
                    .map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })
            }}
        </div>
    }
}
