//! Buttons that only the WASM can make work (they open a dialog or a menu, or change
//! what the page holds) are disabled until it has hydrated the page, so that an early
//! click on a slow connection never silently does nothing.

use leptos::prelude::*;

/// Set once the front end has hydrated the whole page. One signal for the page, not
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

/// Called by the front end when hydration has finished: enables what waited for it.
/// Not earlier: an element hydrates against the HTML the server sent, so a value that
/// changed before its turn would never reach the page.
#[cfg(feature = "hydrate")]
pub fn mark_hydrated() {
    HYDRATED.get_or_init(Default::default).set(true);
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
            <button type="submit" class="secondary" hidden=move || !needs_wasm()>"Show"</button>
        </form>
    }
}
