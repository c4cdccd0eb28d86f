use leptos::prelude::*;

use crate::components::activation_notice::{ActivationNotice, ResendFor};
use crate::components::field_error::{FieldError, general_error};
use crate::components::hydrated::needs_wasm;
use crate::components::modal::Modal;
use crate::components::text_field::TextField;
use crate::error::AppError;
use crate::server_fns::accounts::{
    CreateAccount, CreatedAccountView, TemplateChoiceView, template_choices,
};

/// The form's fields: (name sent to the server, label, required, input type).
const FIELDS: [(&str, &str, bool, &str); 6] = [
    ("admin_name", "Administrator", true, "text"),
    ("name", "Account Name", true, "text"),
    ("admin_email", "Administrator Email", true, "email"),
    ("admin_phone", "Administrator Phone", true, "tel"),
    ("website_url", "Website URL", false, "url"),
    ("reference_id", "Reference ID", false, "text"),
];

/// Where the new account's notice waits while the page loads again to list it: this
/// tab's session storage, read and removed as soon as the page is back.
const CREATED_KEY: &str = "umbrella.created-account";

/// The "Add Account" button, its dialog, and the notice with the new owner's
/// one-time activation link (shown once, here, and nowhere else). A creation loads
/// the page again, so that the server's list shows the new row; the notice is kept
/// across that load in the tab's session storage.
#[island]
pub fn AddAccount() -> impl IntoView {
    crate::components::hydrated::island_ready();
    let created = RwSignal::new(None::<CreatedAccountView>);
    // In the browser only, once hydrated: the server never draws the notice.
    Effect::new(move |_| created.set(take_created()));
    let on_created = Callback::new(move |view: CreatedAccountView| {
        keep_created(&view);
        crate::here::reload();
    });
    let open = RwSignal::new(false);
    let create = ServerAction::<CreateAccount>::new();
    let pending = create.pending();
    let error = Signal::derive(move || create.value().get().and_then(Result::err));

    Effect::new(move |_| {
        if let Some(Ok(view)) = create.value().get() {
            open.set(false);
            create.value().set(None);
            on_created.run(view);
        }
    });
    let close = move || {
        open.set(false);
        create.value().set(None);
    };
    // The Template field sits between Website URL and Reference ID, as in the original.
    let field =
        move |&(name, label, required, kind): &(&'static str, &'static str, bool, &'static str)| {
            view! {
                <TextField
                    id=format!("add-{name}")
                    name
                    label
                    kind
                    required
                    mark_required=required
                    error
                />
            }
        };

    view! {
        <button
            type="button"
            class="primary add-account"
            disabled=needs_wasm()
            on:click=move |_| {
                created.set(None);
                open.set(true);
            }
        >
            "Add Account"
        </button>
        {move || {
            created
                .get()
                .map(|view| {
                    view! {
                        <ActivationNotice
                            intro=format!(
                                "Account {} created (Partner ID {}).",
                                view.row.name,
                                view.row.partner_id,
                            )
                            recipient=view.row.admin_email.clone()
                            delivery=view.delivery.clone()
                            resend=ResendFor::AccountOwner(view.row.partner_id)
                        />
                    }
                })
        }}
        <Show when=move || open.get()>
            <Modal labelled_by="add-account-title" on_close=Callback::new(move |_| close())>
                <h2 id="add-account-title">"Add Account"</h2>
                // Our own messages, beside each field, rather than the browser's.
                <ActionForm action=create attr:novalidate=true>
                    <fieldset>
                        <legend>"Account Info"</legend>
                        {FIELDS[..5].iter().map(field).collect_view()}
                        <TemplateField error />
                        {FIELDS[5..].iter().map(field).collect_view()}
                    </fieldset>
                    <p class="hint">"Fields marked * are required."</p>
                    {general_error(error)}
                    <div class="modal-buttons">
                        <button type="button" class="secondary" on:click=move |_| close()>
                            "Cancel"
                        </button>
                        <button
                            type="submit"
                            class="primary"
                            aria-busy=move || pending.get().to_string()
                            disabled=move || pending.get()
                        >
                            "Create"
                        </button>
                    </div>
                    <Show when=move || pending.get()>
                        <p class="hint" role="status">
                            "Creating the account…"
                        </p>
                    </Show>
                </ActionForm>
            </Modal>
        </Show>
    }
}

/// Keeps the notice of a new account for the page that loads next in this tab.
fn keep_created(view: &CreatedAccountView) {
    #[cfg(feature = "hydrate")]
    if let (Ok(Some(storage)), Ok(json)) = (
        window().session_storage(),
        leptos::serde_json::to_string(view),
    ) {
        let _ = storage.set_item(CREATED_KEY, &json);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (view, CREATED_KEY);
}

/// The notice kept by [`keep_created`], once: it is removed as it is read.
fn take_created() -> Option<CreatedAccountView> {
    #[cfg(feature = "hydrate")]
    {
        let storage = window().session_storage().ok().flatten()?;
        let json = storage.get_item(CREATED_KEY).ok().flatten()?;
        let _ = storage.remove_item(CREATED_KEY);
        leptos::serde_json::from_str(&json).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    None
}

/// "Copy Content from Template Account": the Default Template (chosen at first) and
/// the organization's own templates, and what the chosen one would copy. Asked for
/// when the dialog opens (a task, not a resource: the dialog is never on the page the
/// server draws, and Suspense's machinery would weigh on this tab's WASM).
#[component]
fn TemplateField(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let choices = RwSignal::new(None::<Result<Vec<TemplateChoiceView>, AppError>>);
    leptos::task::spawn_local(async move { choices.set(Some(template_choices().await)) });
    let selected = RwSignal::new(None::<String>);

    view! {
        <div class="field">
            <label for="add-template">"Copy Content from Template Account"</label>
            {move || {
                let choices: Vec<TemplateChoiceView> = match choices.get() {
                    None => return view! { <p class="hint">"Loading templates…"</p> }.into_any(),
                    Some(Ok(choices)) => choices,
                    Some(Err(e)) => {
                        return view! {
                            <p class="form-error" role="alert">
                                {e.to_string()}
                            </p>
                        }
                            .into_any();
                    }
                };
                let first = choices.first().map(|c| c.partner_id.to_string()).unwrap_or_default();
                if selected.get_untracked().is_none() {
                    selected.set(Some(first));
                }
                let options = choices.clone();
                let contents = move || {
                    let chosen = selected.get().unwrap_or_default();
                    choices
                        .iter()
                        .find(|c| c.partner_id.to_string() == chosen)
                        .map(|c| {
                            view! {
                                <ul
                                    class="template-contents"
                                    aria-label=format!("What {} copies", c.name)
                                >
                                    {c
                                        .counts
                                        .by_kind()
                                        .map(|(kind, count)| {
                                            view! { <li>{format!("{}: {count}", kind.label())}</li> }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                        })
                };
                view! {
                    <select
                        id="add-template"
                        name="template"
                        aria-describedby="template-error"
                        on:change=move |ev| selected.set(Some(event_target_value(&ev)))
                    >
                        {options
                            .into_iter()
                            .map(|c| {
                                let value = c.partner_id.to_string();
                                let is_selected = selected.get_untracked().as_deref()
                                    == Some(value.as_str());
                                view! {
                                    <option value=value selected=is_selected>
                                        {c.name}
                                    </option>
                                }
                            })
                            .collect_view()}
                        <option value="" selected=move || selected.get().as_deref() == Some("")>
                            "None: start with an empty account"
                        </option>
                    </select>
                    {contents}
                }
                    .into_any()
            }}
            <FieldError error field="template" />
        </div>
    }
}
