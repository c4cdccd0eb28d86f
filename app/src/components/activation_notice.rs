use leptos::prelude::*;

use crate::components::hydrated::needs_wasm;
use crate::server_fns::{ActivationDelivery, ResendActivation};

/// An absolute link for a path of this site, as the browser sees the site.
pub fn absolute(path: &str) -> String {
    #[cfg(feature = "hydrate")]
    if let Ok(origin) = window().location().origin() {
        return format!("{origin}{path}");
    }
    path.to_owned()
}

/// Whose link "Resend" renews.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResendFor {
    AccountOwner(i64),
    ParentUser(i64),
}

/// The notice after an account or user is created: "Activation email sent to …",
/// or the one-time link to hand over with "Copy link"; and "Resend", which makes a
/// new link (the earlier one stops working) and sends or shows it the same way.
#[component]
pub fn ActivationNotice(
    /// "Account Arts created (Partner ID 12)."
    intro: String,
    /// Who the link is for.
    recipient: String,
    delivery: ActivationDelivery,
    resend: ResendFor,
) -> impl IntoView {
    let delivery = RwSignal::new(delivery);
    let renewed = RwSignal::new(false);
    let copied = RwSignal::new(None::<bool>);
    let again = ServerAction::<ResendActivation>::new();
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| match again.value().get() {
        Some(Ok(next)) => {
            delivery.set(next);
            renewed.set(true);
            copied.set(None);
            error.set(None);
        }
        Some(Err(e)) => error.set(Some(e.to_string())),
        None => {}
    });
    let run_resend = move |_| {
        let (partner_id, user_id) = match resend {
            ResendFor::AccountOwner(id) => (Some(id.to_string()), None),
            ResendFor::ParentUser(id) => (None, Some(id.to_string())),
        };
        again.dispatch(ResendActivation {
            partner_id,
            user_id,
        });
    };
    let pending = again.pending();
    let needs_wasm = needs_wasm();
    let recipient = StoredValue::new(recipient);

    view! {
        <div class="notice activation-notice" role="status">
            <p>
                {intro} " "
                {move || {
                    let d = delivery.get();
                    match (d.emailed_to, renewed.get()) {
                        (Some(to), false) => format!("Activation email sent to {to}."),
                        (Some(to), true) => {
                            format!(
                                "A new activation email was sent to {to}; the earlier link no longer works.",
                            )
                        }
                        (None, renewed) => {
                            let lead = if renewed {
                                "A new link was made; the earlier one no longer works. "
                            } else {
                                ""
                            };
                            format!(
                                "{lead}Send this one-time activation link to {}; it works once, for 7 days, and is shown only now:",
                                recipient.get_value(),
                            )
                        }
                    }
                }}
            </p>
            {move || {
                delivery
                    .get()
                    .email_error
                    .map(|reason| {
                        view! {
                            <p class="form-error" role="alert">
                                {format!("The activation email could not be sent: {reason}")}
                            </p>
                        }
                    })
            }}
            {move || {
                delivery
                    .get()
                    .activation_path
                    .map(|path| {
                        let link = absolute(&path);
                        let copy_text = link.clone();
                        view! {
                            <p class="activation-link-row">
                                <code class="activation-link">{link}</code>
                                <button
                                    type="button"
                                    class="secondary"
                                    disabled=needs_wasm
                                    on:click=move |_| copy_to_clipboard(copy_text.clone(), copied)
                                >
                                    "Copy link"
                                </button>
                            </p>
                        }
                    })
            }}
            {move || {
                copied
                    .get()
                    .map(|ok| {
                        if ok {
                            view! { <p class="hint">"Link copied."</p> }.into_any()
                        } else {
                            view! {
                                <p class="form-error" role="alert">
                                    "The browser did not allow copying; select the link and copy it."
                                </p>
                            }
                                .into_any()
                        }
                    })
            }}
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
            <p>
                <button
                    type="button"
                    class="secondary"
                    disabled=move || pending.get() || needs_wasm()
                    aria-busy=move || pending.get().to_string()
                    on:click=run_resend
                >
                    "Resend"
                </button>
            </p>
        </div>
    }
    .into_any()
}

/// Writes `text` to the clipboard; `copied` says whether the browser allowed it.
fn copy_to_clipboard(text: String, copied: RwSignal<Option<bool>>) {
    #[cfg(feature = "hydrate")]
    {
        let promise = window().navigator().clipboard().write_text(&text);
        leptos::task::spawn_local(async move {
            let done = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            copied.set(Some(done));
        });
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (text, copied);
    }
}
