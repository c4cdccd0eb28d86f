use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use umbrella::domain::content::ContentKind;

use crate::components::console_layout::{ConsoleHeader, Tab, console_base, console_href};
use crate::components::content::bundle::BundleSection;
use crate::components::content::categories::CategoriesSection;
use crate::components::content::entries::EntriesSection;
use crate::components::content::items::ItemsSection;
use crate::components::content::playlists::PlaylistsSection;
use crate::components::content::users::UsersSection;
use crate::error::AppError;
use crate::server_fns::content::console_overview;
use crate::server_fns::session::current_user;

/// Which part of the console a path names.
fn title_of(section: &str) -> Option<&'static str> {
    match section {
        "" => Some("Overview"),
        "users" => Some("Users"),
        "bundle" => Some("Export and import"),
        _ => ContentKind::from_slug(section).map(ContentKind::label),
    }
}

/// `/console` and `/console/<section>`: the signed-in user's own account, its
/// content kind by kind, its users, and whole-content export and import.
///
/// The section is rendered outside the Suspense that waits for the user: a
/// component created inside a `Suspend` runs twice during server rendering (Leptos
/// walks a Suspense's children once before it renders them), and a section that
/// creates its own resource there would load it twice, the first time in an owner
/// that is already gone.
#[component]
pub fn ConsolePage() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let section = Memo::new(move |_| params.get().get("section").unwrap_or_default());
    let who = Resource::new_blocking(|| (), |_| current_user());

    view! {
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match who.await {
                    Ok(Some(me)) => {
                        let title = title_of(&section.get()).unwrap_or("Page not found");
                        view! {
                            <Title text=format!("{title} · {}", me.account_name) />
                            <ConsoleHeader me tab=Tab::Account />
                        }
                            .into_any()
                    }
                    Ok(None) => view! { <Redirect path=signed_out_path() /> }.into_any(),
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
        {move || {
            let section = section.get();
            let Some(title) = title_of(&section) else {
                return view! { <crate::pages::not_found::NotFound /> }.into_any();
            };
            let body = match section.as_str() {
                "" => view! { <Overview /> }.into_any(),
                "entries" => view! { <Entries /> }.into_any(),
                "categories" => view! { <Categories /> }.into_any(),
                "playlists" => view! { <Playlists /> }.into_any(),
                "users" => view! { <UsersSection /> }.into_any(),
                "bundle" => view! { <Bundle /> }.into_any(),
                kind => view! { <ItemsSection kind=kind.to_owned() title /> }.into_any(),
            };
            view! {
                <main class="console">
                    <div class="console-columns">
                        <SectionNav current=section.clone() />
                        <div class="console-section">
                            <p class="account-heading">
                                <Suspense>
                                    {move || Suspend::new(async move {
                                        who.await.ok().flatten().map(|me| me.account_name)
                                    })}
                                </Suspense>
                            </p>
                            <h1>{title}</h1>
                            {body}
                        </div>
                    </div>
                </main>
            }
                .into_any()
        }}
    }
}

/// The sections people change things in are islands, each with code of its own
/// that loads when its page is first shown; the others are the server's alone.
macro_rules! section_island {
    ($island:ident, $section:ident) => {
        #[island(lazy)]
        fn $island() -> impl IntoView {
            crate::components::hydrated::island_ready();
            view! { <$section /> }
        }
    };
}

section_island!(Entries, EntriesSection);
section_island!(Categories, CategoriesSection);
section_island!(Playlists, PlaylistsSection);
section_island!(Bundle, BundleSection);

#[component]
fn SectionNav(current: String) -> impl IntoView {
    let link = move |href: String, label: &'static str, slug: &str| {
        let here = (current == slug).then_some("page");
        view! {
            <li>
                <a href=href aria-current=here>
                    {label}
                </a>
            </li>
        }
    };
    view! {
        <nav class="section-nav" aria-label="Account">
            <ul>
                {link(console_href(""), "Overview", "")}
                {ContentKind::ALL
                    .into_iter()
                    .map(|kind| link(console_href(kind.slug()), kind.label(), kind.slug()))
                    .collect_view()} {link(console_href("users"), "Users", "users")}
                {link(console_href("bundle"), "Export and import", "bundle")}
            </ul>
        </nav>
    }
}

/// Every kind with how many items the account has.
#[component]
fn Overview() -> impl IntoView {
    let counts = Resource::new(|| (), |_| console_overview());
    view! {
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match counts.await {
                    Ok(counts) => {
                        view! {
                            <table class="counts">
                                <caption>"Content of this account"</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Kind"</th>
                                        <th scope="col">"Items"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {counts
                                        .by_kind()
                                        .map(|(kind, count)| {
                                            view! {
                                                <tr>
                                                    <th scope="row">
                                                        <a href=console_href(
                                                            kind.slug(),
                                                        )>{kind.label().to_owned()}</a>
                                                    </th>
                                                    <td>{count}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        }
                            .into_any()
                    }
                    Err(AppError::Unauthenticated) => {
                        view! { <Redirect path=signed_out_path() /> }.into_any()
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
    }
}

/// Where a console without a session sends the tab: the sign-in page, or in a CMS
/// Login tab the page that says the session has ended.
fn signed_out_path() -> String {
    let base = console_base();
    if base.is_empty() {
        "/login".to_owned()
    } else {
        format!("{base}/ended")
    }
}

/// `/cms/<partner_id>/ended`: a CMS Login tab after its session ended or expired.
#[component]
pub fn CmsEndedPage() -> impl IntoView {
    view! {
        <Title text="CMS Login ended" />
        <main class="centered">
            <h1>"The CMS Login session has ended"</h1>
            <p>"You can close this tab. Your own session in the other tab is still open."</p>
            <p>
                <a href="/">"Go to your console"</a>
            </p>
        </main>
    }
}
