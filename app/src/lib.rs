//! Umbrella's web console: pages, components and the server functions behind them.

pub mod api;
pub mod cms_path;
pub mod components;
pub mod error;
pub mod lazy_pages;
pub mod list_params;
#[cfg(feature = "ssr")]
pub mod mail;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, ParamSegment, SsrMode, StaticSegment};

use lazy_pages::{
    ActivateRoute, ApiTokensRoute, AuditRoute, ConsoleRoute, MultiAccountRoute, UsersRoute,
};

use pages::console::CmsEndedPage;
use pages::home::HomePage;
use pages::login::LoginPage;

/// Where the page finds its stylesheet and icon: content-hashed names the server
/// chooses, so that browsers keep them for good (see `server/src/assets.rs`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteFiles {
    pub stylesheet: String,
    pub icon: String,
}

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions, files: SiteFiles) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                // In the shell, not the app: only the server knows the hashed names,
                // and the head is not hydrated.
                <link rel="stylesheet" id="leptos" href=files.stylesheet />
                <link rel="icon" type="image/svg+xml" href=files.icon />
                {ships_script().then(|| view! { <HydrationScripts options /> })}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Whether the page loads the WASM. The sign-in page does not: its form works whole
/// without it (a plain post comes back with the error beside its field, or goes on
/// to the console), and it is where most visits start cold, so it costs only its HTML
/// and stylesheet; the console's first page brings the WASM.
fn ships_script() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().is_none_or(|parts| parts.uri.path() != "/login")
    }
    #[cfg(not(feature = "ssr"))]
    {
        true
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    // True while the router loads the next screen (its data, or its code chunk on a
    // first visit), so that a slow click shows that something is happening.
    let (is_routing, set_is_routing) = signal(false);

    view! {
        <Title formatter=|page: String| format!("{page} · Umbrella") />
        {move || {
            is_routing
                .get()
                .then(|| {
                    view! {
                        <div class="route-pending" role="progressbar" aria-label="Loading the page"></div>
                    }
                })
        }}
        <Router set_is_routing>
            // Pages that decide on a redirect or a status code render whole
            // before they answer (SsrMode::Async), so headers are still open.
            <Routes fallback=pages::not_found::NotFound>
                <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async />
                <Route path=StaticSegment("login") view=LoginPage />
                <Route path=StaticSegment("activate") view={Lazy::<ActivateRoute>::new()} />
                <Route path=StaticSegment("console") view={Lazy::<ConsoleRoute>::new()} ssr=SsrMode::Async />
                <Route path=StaticSegment("users") view={Lazy::<UsersRoute>::new()} ssr=SsrMode::Async />
                <Route
                    path=(StaticSegment("console"), ParamSegment("section"))
                    view={Lazy::<ConsoleRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route path=StaticSegment("audit") view={Lazy::<AuditRoute>::new()} ssr=SsrMode::Async />
                <Route path=StaticSegment("api-tokens") view={Lazy::<ApiTokensRoute>::new()} ssr=SsrMode::Async />
                // A CMS Login tab: the same console under the account's own prefix,
                // where its cookie and its server functions live.
                <Route
                    path=(StaticSegment("cms"), ParamSegment("pid"), StaticSegment("console"))
                    view={Lazy::<ConsoleRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=(
                        StaticSegment("cms"),
                        ParamSegment("pid"),
                        StaticSegment("console"),
                        ParamSegment("section"),
                    )
                    view={Lazy::<ConsoleRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment("cms"), ParamSegment("pid"), StaticSegment("ended"))
                    view=CmsEndedPage
                />
                <Route
                    path=StaticSegment("multi-account")
                    view={Lazy::<MultiAccountRoute>::new()}
                    ssr=SsrMode::Async
                />
            </Routes>
        </Router>
    }
}
