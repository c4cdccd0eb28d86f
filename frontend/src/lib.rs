//! The WASM entry point: hydrates the page the server rendered. All UI lives in `app`.

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
    // Screens load their code when first visited (lazy routes), so hydrating one
    // may wait for its WASM chunk: hydrate asynchronously, then mark the page.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let Some(body) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.body())
    else {
        return;
    };
    leptos::task::spawn_local(async move {
        leptos::mount::hydrate_from_async(body.clone(), app::App)
            .await
            .forget();
        app::components::hydrated::mark_hydrated();
        // Marks the page as interactive; end-to-end tests wait for it before they
        // act, and a page whose WASM is broken never gets it.
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
