//! The account console's sections, one module per kind of page.

pub mod bundle;
pub mod categories;
pub mod entries;
pub mod items;
pub mod playlists;
pub mod users;

use leptos::prelude::*;

use crate::components::confirm_dialog::ConfirmDialog;
use crate::error::AppError;

/// IDs as a hidden form field carries them: "3,1,2".
pub fn join_ids(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Shows a server function's error that is not about one field (those are shown
/// beside their fields).
pub fn general_error(error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error
            .get()
            .filter(|e| !matches!(e, AppError::Invalid(_)))
            .map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })
    }
}

/// A "Delete <name>" confirmation for one item. The caller runs the deletion and
/// clears `target` once it succeeded.
#[component]
pub fn ConfirmDelete(
    /// The item waiting for confirmation: (id, name).
    target: RwSignal<Option<(i64, String)>>,
    /// What the item is, e.g. "entry".
    what: &'static str,
    #[prop(optional)] consequence: &'static str,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] error: Signal<Option<String>>,
    on_confirm: Callback<i64>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    move || {
        target.get().map(|(id, name)| {
            view! {
                <ConfirmDialog
                    title=format!("Delete {what} {name}?")
                    message=format!("The {what} {name} will be deleted.{consequence} This cannot be undone.")
                    confirm_label="Delete".to_owned()
                    pending
                    error
                    on_confirm=Callback::new(move |_| on_confirm.run(id))
                    on_cancel=Callback::new(move |_| {
                        target.set(None);
                        on_cancel.run(());
                    })
                />
            }
        })
    }
}
