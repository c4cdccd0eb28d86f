use leptos::prelude::*;

use crate::components::return_here::ReturnHere;
use crate::server_fns::session::{EndCmsSession, SignOut, SignedInUser, current_user};

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
    umbrella::web::paths::prefix(&crate::here::path()).unwrap_or_default()
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

/// A console page whose body is an island that loads its own data: the header
/// waits for the signed-in user, and the body is rendered beside it, not inside its
/// Suspense (a component created inside a `Suspend` runs twice during server
/// rendering, and an island there would load its data twice).
#[component]
pub fn ConsoleFrame(tab: Tab, title: &'static str, children: Children) -> impl IntoView {
    let who = Resource::new_blocking(|| (), |_| current_user());
    view! {
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match who.await {
                    Ok(Some(me)) => view! { <ConsoleHeader me tab /> }.into_any(),
                    Ok(None) => {
                        view! { <leptos_router::components::Redirect path="/login" /> }.into_any()
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
        <main class="console">
            <h1>{title}</h1>
            {children()}
        </main>
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
                    <button type="submit" class="secondary">
                        "Sign out"
                    </button>
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
                <TabLink
                    href="/multi-account"
                    tab=Tab::MultiAccount
                    current=tab
                    label="Multi Account"
                />
                <TabLink href="/users" tab=Tab::Users current=tab label="Users" />
                <TabLink href="/audit" tab=Tab::Audit current=tab label="Audit" />
                <TabLink href="/api-tokens" tab=Tab::Api current=tab label="API" />
            </Show>
            <TabLink href=console_href("") tab=Tab::Account current=tab label="Account" />
        </nav>
    }
}

/// A console tab, marked when it is the current page.
#[component]
fn TabLink(
    #[prop(into)] href: String,
    tab: Tab,
    current: Tab,
    label: &'static str,
) -> impl IntoView {
    view! {
        <a href=href aria-current=(tab == current).then_some("page")>
            {label}
        </a>
    }
}

/// Says whose account this tab is in and who stepped in, with the way out. A plain
/// form to the server function under the tab's prefix, where the browser sends the
/// tab's cookie: it works before the WASM has loaded, and needs none. A refusal comes
/// back on the page, read by the action from the URL.
#[component]
fn CmsBanner(account: String, admin: String) -> impl IntoView {
    use leptos::server_fn::ServerFn;
    let end = ServerAction::<EndCmsSession>::new();
    let action = format!("{}{}", console_base(), EndCmsSession::PATH);
    view! {
        <div class="cms-banner" role="status">
            <span>{format!("Signed in to {account} as its owner by {admin}")}</span>
            <form method="post" action=action class="sign-out">
                <ReturnHere />
                <button type="submit" class="secondary">
                    "End session"
                </button>
            </form>
            {end
                .value()
                .get_untracked()
                .and_then(Result::err)
                .map(|e| {
                    view! {
                        <p class="form-error" role="alert">
                            {e.to_string()}
                        </p>
                    }
                })}
        </div>
    }
}
