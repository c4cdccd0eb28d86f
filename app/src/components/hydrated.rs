//! Buttons that only the WASM can make work (they open a dialog or a menu, or change
//! what the page holds) are disabled until it has hydrated the page, so that an early
//! click on a slow connection never silently does nothing.

use leptos::prelude::*;

/// Set once the islands of the page have hydrated. One signal for the page, not
/// one per button: a table of 25 rows asked for 50 signals and 50 effects only to
/// learn this, all made and run while the page hydrates.
#[cfg(feature = "hydrate")]
static HYDRATED: std::sync::OnceLock<ArcRwSignal<bool>> = std::sync::OnceLock::new();

/// False on the server and until the page is hydrated; true from then on. Use as
/// `disabled=needs_wasm()`.
pub fn needs_wasm() -> impl Fn() -> bool + Copy + Send + Sync + 'static {
    || {
        #[cfg(feature = "hydrate")]
        {
            !HYDRATED.get_or_init(Default::default).get()
        }
        // The server never hydrates, and must not keep a page's subscribers in a
        // signal every request shares.
        #[cfg(not(feature = "hydrate"))]
        {
            true
        }
    }
}

/// Called by the front end before the islands hydrate: how many there are to wait
/// for. A page without any is interactive at once.
#[cfg(feature = "hydrate")]
pub fn islands_expected() {
    let count = document()
        .query_selector_all("leptos-island")
        .map(|islands| islands.length())
        .unwrap_or(0);
    ISLANDS.with(|islands| islands.expected.set(count));
    if count == 0 {
        mark_hydrated();
    }
}

/// What the island script has hydrated so far, against what the page holds.
#[cfg(feature = "hydrate")]
#[derive(Default)]
struct IslandCount {
    expected: std::cell::Cell<u32>,
    done: std::cell::Cell<u32>,
}

#[cfg(feature = "hydrate")]
thread_local! {
    static ISLANDS: IslandCount = IslandCount::default();
}

/// Called first thing in every island: once the island has hydrated (its effects run
/// after its elements are in place), it counts itself in, and the last island marks
/// the page. Islands that need code of their own load it first, so this cannot be
/// done when the script starts hydrating.
pub fn island_ready() {
    #[cfg(feature = "hydrate")]
    Effect::new(|_| {
        let last = ISLANDS.with(|islands| {
            islands.done.set(islands.done.get() + 1);
            islands.done.get() == islands.expected.get()
        });
        if last {
            mark_hydrated();
        }
    });
}

/// Enables what waited for the WASM, and marks `<body data-hydrated>`: end-to-end
/// tests wait for it before they act, and a page whose WASM is broken never gets it.
/// Not earlier: an element hydrates against the HTML the server sent, so a value that
/// changed before its turn would never reach the page.
#[cfg(feature = "hydrate")]
fn mark_hydrated() {
    HYDRATED.get_or_init(Default::default).set(true);
    if let Some(body) = document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}

/// A plain GET form around one control of the Multi Account list: without the WASM
/// its "Show" button submits it (the URL is the view); once hydrated, the control
/// changes the view by itself and the button is hidden.
#[component]
pub fn ListControlForm(
    params: crate::list_params::ListParams,
    /// The parameter the control sets; the others are kept.
    changes: &'static str,
    children: Children,
) -> impl IntoView {
    let needs_wasm = needs_wasm();
    view! {
        <form method="get" action="/multi-account" class="list-control">
            {params
                .kept_fields(changes)
                .into_iter()
                .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
                .collect_view()}
            {children()}
            <button type="submit" class="secondary" hidden=move || !needs_wasm()>
                "Show"
            </button>
        </form>
    }
}
