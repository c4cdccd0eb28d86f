use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::HtmlElement;

/// What can take focus inside a dialog, in document order.
const FOCUSABLE: &str = "input:not([type=hidden]):not([disabled]), select:not([disabled]), \
     textarea:not([disabled]), button:not([disabled]), [href]";

/// The frame of every dialog: a backdrop, `role="dialog"` named by its title, and
/// the WAI-ARIA dialog pattern's keyboard: focus moves into the dialog when it
/// opens (its first field or button), Escape closes it, and focus goes back to
/// what opened it. The content (title included) is the caller's.
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
    let dialog = NodeRef::<leptos::html::Div>::new();
    let opener = StoredValue::new_local(None::<HtmlElement>);
    // Effects run in the browser only, once the dialog is in the page.
    Effect::new(move |_| {
        let Some(dialog) = dialog.get() else {
            return;
        };
        opener.set_value(
            document()
                .active_element()
                .and_then(|element| element.dyn_into::<HtmlElement>().ok()),
        );
        let first = dialog
            .query_selector(FOCUSABLE)
            .ok()
            .flatten()
            .and_then(|element| element.dyn_into::<HtmlElement>().ok());
        let _ = match first {
            Some(element) => element.focus(),
            None => dialog.focus(),
        };
    });
    on_cleanup(move || {
        // An opener that has gone (a menu item) leaves focus to the caller.
        if let Some(opener) = opener.try_get_value().flatten()
            && opener.is_connected()
        {
            let _ = opener.focus();
        }
    });
    view! {
        <div class="modal-backdrop">
            <div
                class="modal card"
                role="dialog"
                aria-modal="true"
                aria-labelledby=labelled_by
                aria-describedby=described_by
                tabindex="-1"
                node_ref=dialog
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Escape" {
                        ev.stop_propagation();
                        on_close.run(());
                    }
                }
            >
                {children()}
            </div>
        </div>
    }
}
