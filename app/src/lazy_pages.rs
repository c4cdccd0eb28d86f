//! The screens whose code loads when first visited: with `cargo leptos build
//! --split`, each `view` below and everything only it reaches goes into a WASM
//! chunk of its own, so the sign-in page downloads none of them. The console's
//! tabs fetch the others' chunks once their own page is interactive.

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

use crate::pages::activate::ActivatePage;
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

/// Fetches, in the background, the code of the screens the console's tabs lead to,
/// so that following a tab does not wait for its chunk. Runs in the browser once
/// the page is interactive (an effect never runs on the server).
pub fn prefetch_tabs(is_org_admin: bool) {
    Effect::new(move |_| {
        // Each on its own: one slow or failed fetch does not hold up the others.
        leptos::task::spawn_local(ConsoleRoute::preload());
        if is_org_admin {
            leptos::task::spawn_local(MultiAccountRoute::preload());
            leptos::task::spawn_local(UsersRoute::preload());
            leptos::task::spawn_local(AuditRoute::preload());
        }
    });
}
