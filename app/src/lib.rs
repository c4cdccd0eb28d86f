//! Umbrella's web console: pages, components and the server functions behind them.
// Deep view types of server-rendered pages around islands (tests build without type erasure).
#![recursion_limit = "256"]

/// The paths of a CMS Login tab, which the WASM entry reads too.
pub use umbrella::web::paths as cms_path;
pub mod components;
pub mod error;
pub mod here;
pub mod list_params;
#[cfg(feature = "ssr")]
pub mod mail;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
pub mod server_fns;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{ParamSegment, SsrMode, StaticSegment};

use pages::activate::ActivatePage;
use pages::api_tokens::ApiTokensPage;
use pages::audit::AuditPage;
use pages::console::{CmsEndedPage, ConsolePage};
use pages::home::HomePage;
use pages::login::LoginPage;
use pages::multi_account::MultiAccountPage;
use pages::users::UsersPage;

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
                {ships_script().then(|| view! { <HydrationScripts options islands=true /> })}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Whether the page loads the WASM (the islands runtime, then each island's code).
/// The sign-in page does not: its form works whole without it (a plain post comes back with the error beside its field, or goes on
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

/// The text of a `<title>`, escaped for HTML on the server (which writes the head as a
/// string); in the browser `document.title` takes plain text.
fn title_text(page: &str) -> std::borrow::Cow<'_, str> {
    #[cfg(feature = "ssr")]
    {
        html_escape::encode_text(page)
    }
    #[cfg(not(feature = "ssr"))]
    {
        std::borrow::Cow::Borrowed(page)
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    view! {
        // leptos_meta writes the title into the head as it is: escape it here, for a
        // page's title holds names people typed (an account's, in the console).
        <Title formatter=|page: String| format!("{} · Umbrella", title_text(&page)) />
        // Rendered on the server only: a link or a form is a page load, and the
        // islands on the new page hydrate there.
        <Router>
            // Pages that decide on a redirect or a status code render whole
            // before they answer (SsrMode::Async), so headers are still open.
            <Routes fallback=pages::not_found::NotFound>
                <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async />
                <Route path=StaticSegment("login") view=LoginPage />
                <Route path=StaticSegment("activate") view=ActivatePage />
                <Route path=StaticSegment("console") view=ConsolePage ssr=SsrMode::Async />
                <Route path=StaticSegment("users") view=UsersPage ssr=SsrMode::Async />
                <Route
                    path=(StaticSegment("console"), ParamSegment("section"))
                    view=ConsolePage
                    ssr=SsrMode::Async
                />
                <Route path=StaticSegment("audit") view=AuditPage ssr=SsrMode::Async />
                <Route path=StaticSegment("api-tokens") view=ApiTokensPage ssr=SsrMode::Async />
                // A CMS Login tab: the same console under the account's own prefix,
                // where its cookie and its server functions live.
                <Route
                    path=(StaticSegment("cms"), ParamSegment("pid"), StaticSegment("console"))
                    view=ConsolePage
                    ssr=SsrMode::Async
                />
                <Route
                    path=(
                        StaticSegment("cms"),
                        ParamSegment("pid"),
                        StaticSegment("console"),
                        ParamSegment("section"),
                    )
                    view=ConsolePage
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment("cms"), ParamSegment("pid"), StaticSegment("ended"))
                    view=CmsEndedPage
                />
                <Route
                    path=StaticSegment("multi-account")
                    view=MultiAccountPage
                    ssr=SsrMode::Async
                />
            </Routes>
        </Router>
    }
}
