//! The screens whose code loads when first visited: with `cargo leptos build
//! --split`, each `view` below and everything only it reaches goes into a WASM
//! chunk of its own, so the sign-in page downloads none of them. A console tab
//! fetches its screen's chunk when the pointer or the focus reaches it.

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

use crate::components::console_layout::Tab;
use crate::pages::activate::ActivatePage;
use crate::pages::api_tokens::ApiTokensPage;
use crate::pages::audit::AuditPage;
use crate::pages::console::ConsolePage;
use crate::pages::multi_account::MultiAccountPage;
use crate::pages::users::UsersPage;

macro_rules! lazy_page {
    ($route:ident, $page:ident) => {
        #[doc = concat!("[`", stringify!($page), "`], loaded on first visit.")]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page /> }.into_any()
            }
        }
    };
}

lazy_page!(MultiAccountRoute, MultiAccountPage);
lazy_page!(UsersRoute, UsersPage);
lazy_page!(AuditRoute, AuditPage);
lazy_page!(ConsoleRoute, ConsolePage);
lazy_page!(ActivateRoute, ActivatePage);
lazy_page!(ApiTokensRoute, ApiTokensPage);

/// Starts fetching a tab's code when the person shows they may follow it (the
/// pointer enters the link, or it gets focus), so the click does not wait for it.
/// Not at load: compiling every chunk up front costs the page it is on (Lighthouse's
/// blocking time doubled), for tabs many people never open.
pub fn prefetch(tab: Tab) {
    leptos::task::spawn_local(async move {
        match tab {
            Tab::MultiAccount => MultiAccountRoute::preload().await,
            Tab::Users => UsersRoute::preload().await,
            Tab::Audit => AuditRoute::preload().await,
            Tab::Api => ApiTokensRoute::preload().await,
            Tab::Account => ConsoleRoute::preload().await,
        }
    });
}
