//! The WASM entry point. Pages are rendered on the server; what needs the WASM is an
//! island (`#[island]` in `app`), which the island script hydrates one by one after
//! `hydrate()` has returned. All UI lives in `app`.

mod prefetch;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // A CMS Login tab calls its server functions under its own prefix, where the
    // browser sends its cookie (see server/src/cms.rs).
    let path = web_sys::window()
        .and_then(|window| window.location().pathname().ok())
        .unwrap_or_default();
    if let Some(prefix) = app::cms_path::prefix(&path) {
        let _ = leptos::server_fn::client::try_set_server_url(Box::leak(prefix.into_boxed_str()));
    }
    leptos::mount::hydrate_islands();
    if let Some(document) = web_sys::window().and_then(|window| window.document()) {
        prefetch::on_links(&document);
    }
    // Counts the page's islands: the last one to hydrate marks the page interactive.
    app::components::hydrated::islands_expected();
}
