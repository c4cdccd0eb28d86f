//! A screen's island code, fetched when the pointer or the focus reaches a link to
//! the screen, so that the page the click loads finds it in the browser's cache
//! (immutable, so kept) instead of waiting for it. Only the download: the code is
//! compiled on the page that runs it, so the page the link is on pays nothing.

use std::cell::RefCell;

use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::js_sys::{Array, Object, Reflect};
use web_sys::{Document, Element, Event};

/// A console path (after any CMS Login prefix) and the island that holds its screen,
/// as `#[island(lazy)]` names its split (`UsersBody` → `users_body_loader_<n>`).
const SCREENS: [(&str, &str); 6] = [
    ("/users", "users_body_loader_"),
    ("/api-tokens", "api_tokens_body_loader_"),
    ("/console/entries", "entries_loader_"),
    ("/console/categories", "categories_loader_"),
    ("/console/playlists", "playlists_loader_"),
    ("/console/bundle", "bundle_loader_"),
];

thread_local! {
    /// The build's split manifest (split name → its files), read once. Read with the
    /// browser's JSON, not serde: every console page loads this code.
    static MANIFEST: RefCell<Option<JsValue>> = const { RefCell::new(None) };
    static ASKED: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
}

/// Listens, on the whole page, for the pointer entering or the focus reaching a link.
pub fn on_links(document: &Document) {
    let Some(base) = pkg_base(document) else {
        return;
    };
    let listener = Closure::<dyn Fn(Event)>::new(move |event: Event| {
        let Some(path) = event
            .target()
            .and_then(|target| target.dyn_into::<Element>().ok())
            .and_then(|element| element.closest("a[href]").ok().flatten())
            .and_then(|link| link.get_attribute("href"))
        else {
            return;
        };
        let local = app::cms_path::split(&path).map_or(path.as_str(), |(_, rest)| rest);
        if let Some((_, split)) = SCREENS.iter().find(|(screen, _)| *screen == local) {
            prefetch(base.clone(), split);
        }
    });
    for kind in ["pointerover", "focusin"] {
        let _ = document.add_event_listener_with_callback(kind, listener.as_ref().unchecked_ref());
    }
    // The listener lives as long as the page.
    listener.forget();
}

/// `/pkg/<hash>`: where the page's own script came from.
fn pkg_base(document: &Document) -> Option<String> {
    let href = document
        .query_selector("link[rel=modulepreload]")
        .ok()??
        .get_attribute("href")?;
    href.rsplit_once('/').map(|(base, _)| base.to_owned())
}

/// Adds a `<link rel="prefetch">` for each file of the split, once each.
fn prefetch(base: String, split: &'static str) {
    let first = ASKED.with(|asked| {
        let mut asked = asked.borrow_mut();
        if asked.contains(&split) {
            return false;
        }
        asked.push(split);
        true
    });
    if !first {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let Some(files) = files_of(&base, split).await else {
            return;
        };
        let Some(document) = web_sys::window().and_then(|window| window.document()) else {
            return;
        };
        for file in files {
            if let (Ok(link), Some(head)) = (document.create_element("link"), document.head()) {
                let _ = link.set_attribute("rel", "prefetch");
                let _ = link.set_attribute("href", &format!("{base}/{file}.wasm"));
                let _ = head.append_child(&link);
            }
        }
    });
}

/// The files of the split whose name starts with `split`, reading the manifest once.
async fn files_of(base: &str, split: &str) -> Option<Vec<String>> {
    if MANIFEST.with(|manifest| manifest.borrow().is_none()) {
        let manifest = fetch_manifest(base).await?;
        MANIFEST.with(|cell| *cell.borrow_mut() = Some(manifest));
    }
    let manifest = MANIFEST.with(|manifest| manifest.borrow().clone())?;
    let object = manifest.dyn_ref::<Object>()?;
    let name = Object::keys(object)
        .iter()
        .filter_map(|key| key.as_string())
        .find(|name| name.starts_with(split))?;
    let files = Reflect::get(object, &JsValue::from_str(&name)).ok()?;
    Some(
        files
            .dyn_ref::<Array>()?
            .iter()
            .filter_map(|file| file.as_string())
            .collect(),
    )
}

async fn fetch_manifest(base: &str) -> Option<JsValue> {
    let window = web_sys::window()?;
    let answer =
        JsFuture::from(window.fetch_with_str(&format!("{base}/__wasm_split_manifest.json")))
            .await
            .ok()?
            .dyn_into::<web_sys::Response>()
            .ok()?;
    if !answer.ok() {
        return None;
    }
    JsFuture::from(answer.json().ok()?).await.ok()
}
