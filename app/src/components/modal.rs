use leptos::prelude::*;

/// The frame of every dialog: a backdrop, `role="dialog"` named by its title, and
/// Escape to close. The content (title included) is the caller's.
#[component]
pub fn Modal(
    /// The id of the element that names the dialog (its title).
    labelled_by: &'static str,
    /// The id of the element that describes it, if any.
    #[prop(optional)]
    described_by: Option<&'static str>,
    on_close: Callback<()>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="modal-backdrop">
            <div
                class="modal card"
                role="dialog"
                aria-modal="true"
                aria-labelledby=labelled_by
                aria-describedby=described_by
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Escape" {
                        on_close.run(());
                    }
                }
            >
                {children()}
            </div>
        </div>
    }
}
