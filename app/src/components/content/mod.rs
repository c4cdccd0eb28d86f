//! The account console's sections, one module per kind of page.

pub mod bundle;
pub mod categories;
pub mod entries;
pub mod items;
pub mod playlists;
pub mod section;
pub mod users;

use leptos::prelude::*;

use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::hydrated::needs_wasm;

/// The values a refused plain form post brought back in the URL (see
/// `ReturnHere`'s `keep`). Empty when the page was not reached that way.
pub fn typed_values() -> leptos_router::params::ParamsMap {
    crate::here::query()
}

/// IDs from a comma-separated list, skipping anything that is not one.
pub fn split_ids(list: &str) -> Vec<i64> {
    list.split(',')
        .filter_map(|id| id.trim().parse().ok())
        .collect()
}

/// IDs as a hidden form field carries them: "3,1,2".
pub fn join_ids(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

pub use crate::components::field_error::general_error;

/// "N/A" for an empty optional value, as every table of the console shows it.
pub fn or_na(value: &str) -> String {
    if value.is_empty() {
        "N/A".to_owned()
    } else {
        value.to_owned()
    }
}

/// The Edit and Delete buttons of one item's row, named after the item.
#[component]
pub fn ItemActions(
    /// How the item is named to people (e.g. its name, or a category's full path).
    label: String,
    on_edit: Callback<()>,
    on_delete: Callback<()>,
) -> impl IntoView {
    let needs_wasm = needs_wasm();
    view! {
        <td class="item-actions">
            <button
                type="button"
                class="secondary"
                aria-label=format!("Edit {label}")
                disabled=needs_wasm
                on:click=move |_| on_edit.run(())
            >
                "Edit"
            </button>
            <button
                type="button"
                class="danger"
                aria-label=format!("Delete {label}")
                disabled=needs_wasm
                on:click=move |_| on_delete.run(())
            >
                "Delete"
            </button>
        </td>
    }
}

/// An item form's buttons: "Add <what>" or "Save <what>", and "Cancel editing".
#[component]
pub fn ItemFormButtons(
    what: &'static str,
    is_editing: bool,
    #[prop(into)] pending: Signal<bool>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="form-buttons">
            <button
                type="submit"
                class="primary"
                aria-busy=move || pending.get().to_string()
                disabled=move || pending.get()
            >
                {if is_editing { format!("Save {what}") } else { format!("Add {what}") }}
            </button>
            {is_editing
                .then(|| {
                    view! {
                        <button type="button" class="secondary" on:click=move |_| on_cancel.run(())>
                            "Cancel editing"
                        </button>
                    }
                })}
        </div>
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
                    message=format!(
                        "The {what} {name} will be deleted.{consequence} This cannot be undone.",
                    )
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
