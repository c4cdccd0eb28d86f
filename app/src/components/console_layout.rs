use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::session::{EndCmsSession, SignOut, SignedInUser};
use crate::lazy_pages::prefetch;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    MultiAccount,
    Users,
    Audit,
    /// The organization's tokens for the reseller API.
    Api,
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
                <TabLink href="/multi-account" tab=Tab::MultiAccount current=tab label="Multi Account" />
                <TabLink href="/users" tab=Tab::Users current=tab label="Users" />
                <TabLink href="/audit" tab=Tab::Audit current=tab label="Audit" />
                <TabLink href="/api-tokens" tab=Tab::Api current=tab label="API" />
            </Show>
            <TabLink href=console_href("") tab=Tab::Account current=tab label="Account" />
        </nav>
    }
}

/// A console tab: marked when it is the current page, and fetching its screen's code
/// as soon as the pointer or the focus reaches it, so the click does not wait for it.
#[component]
fn TabLink(
    #[prop(into)] href: String,
    tab: Tab,
    current: Tab,
    label: &'static str,
) -> impl IntoView {
    view! {
        <a
            href=href
            aria-current=(tab == current).then_some("page")
            on:pointerenter=move |_| prefetch(tab)
            on:focus=move |_| prefetch(tab)
        >
            {label}
        </a>
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
