//! The screens whose code loads when first visited: with `cargo leptos build
//! --split`, each `view` below and everything only it reaches goes into a WASM
//! chunk of its own, so the sign-in page downloads none of them.

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
