//! The hidden fields that let a form work before the WASM has loaded (or without
//! JavaScript): the browser then posts the form itself, and the server needs to know
//! which page to send it back to, with the error beside its field. Browsers send no
//! Referer here (`Referrer-Policy: no-referrer`), so the form says it.

use leptos::prelude::*;

/// The page the form is on (path and query).
pub const RETURN_FIELD: &str = "__return";
/// Fields whose typed values come back in that page's URL (never a password: the
/// server drops any field named like one).
pub const KEEP_FIELD: &str = "__keep";

/// Put inside a server function's form: where a plain form post comes back to, and
/// which of its values (comma-separated names) come back filled in.
#[component]
pub fn ReturnHere(#[prop(optional)] keep: &'static str) -> impl IntoView {
    let path = crate::here::path();
    let search = crate::here::search();
    let here = if search.is_empty() {
        path
    } else {
        format!("{path}?{search}")
    };
    view! {
        <input type="hidden" name=RETURN_FIELD value=here />
        {(!keep.is_empty()).then(|| view! { <input type="hidden" name=KEEP_FIELD value=keep /> })}
    }
}
