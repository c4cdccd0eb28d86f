//! Buttons that only the WASM can make work (they open a dialog or a menu, or change
//! what the page holds) are disabled until it has hydrated the page, so that an early
//! click on a slow connection never silently does nothing.

use leptos::prelude::*;

/// False on the server and until the page is hydrated; true from then on (effects run
/// only in the browser, after hydration). Use as `disabled=needs_wasm()`.
pub fn needs_wasm() -> impl Fn() -> bool + Copy + Send + Sync + 'static {
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    move || !hydrated.get()
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
