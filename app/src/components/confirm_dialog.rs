use leptos::prelude::*;

use crate::components::modal::Modal;

/// A modal question before a destructive action. Escape or "Cancel" closes it;
/// focus starts on "Cancel", the choice that changes nothing.
#[component]
pub fn ConfirmDialog(
    /// The dialog's title, which is also its accessible name.
    title: String,
    message: String,
    /// The label of the button that does it (e.g. "Block").
    confirm_label: String,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] error: Signal<Option<String>>,
    on_confirm: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    view! {
        <Modal labelled_by="confirm-title" described_by="confirm-message" on_close=on_cancel>
            <h2 id="confirm-title">{title}</h2>
            <p id="confirm-message">{message}</p>
            {move || {
                error
                    .get()
                    .map(|e| {
                        view! {
                            <p class="form-error" role="alert">
                                {e}
                            </p>
                        }
                    })
            }}
            <div class="modal-buttons">
                <button type="button" class="secondary" on:click=move |_| on_cancel.run(())>
                    "Cancel"
                </button>
                <button
                    type="button"
                    class="danger"
                    aria-busy=move || pending.get().to_string()
                    disabled=move || pending.get()
                    on:click=move |_| on_confirm.run(())
                >
                    {confirm_label}
                </button>
            </div>
        </Modal>
    }
}
