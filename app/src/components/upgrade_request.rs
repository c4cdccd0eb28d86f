use leptos::prelude::*;

use umbrella::domain::upgrade::{UpgradeKind, UpgradeRequestView};

use crate::components::field_error::{FieldError, general_error};
use crate::components::hydrated::needs_wasm;
use crate::components::modal::Modal;
use crate::components::text_field::TextField;
use crate::server_fns::upgrades::RequestUpgrade;

/// [`UpgradeRequest`] on a page the server draws (the Multi Account tab).
#[island]
pub fn UpgradeRequestIsland(
    kind: UpgradeKind,
    pending: Option<UpgradeRequestView>,
) -> impl IntoView {
    crate::components::hydrated::island_ready();
    view! { <UpgradeRequest kind pending /> }
}

/// Under a quota line: "Need more accounts? Request an upgrade", its dialog, and,
/// once asked, the pending request in its place.
#[component]
pub fn UpgradeRequest(kind: UpgradeKind, pending: Option<UpgradeRequestView>) -> impl IntoView {
    let pending = RwSignal::new(pending);
    let open = RwSignal::new(false);
    let request = ServerAction::<RequestUpgrade>::new();
    let busy = request.pending();
    let error = Signal::derive(move || request.value().get().and_then(Result::err));
    Effect::new(move |_| {
        if let Some(Ok(view)) = request.value().get() {
            pending.set(Some(view));
            open.set(false);
            request.value().set(None);
        }
    });
    let close = move || {
        open.set(false);
        request.value().set(None);
    };
    let noun = kind.as_db();

    view! {
        {move || match pending.get() {
            Some(request) => {
                view! {
                    <p class="quota-note upgrade-pending" role="status">
                        {request.pending_line()}
                    </p>
                }
                    .into_any()
            }
            None => {
                view! {
                    <p class="quota-note">
                        {format!("Need more {noun}? ")}
                        <button
                            type="button"
                            class="link-button"
                            disabled=needs_wasm()
                            on:click=move |_| open.set(true)
                        >
                            "Request an upgrade"
                        </button>
                    </p>
                }
                    .into_any()
            }
        }}
        <Show when=move || open.get()>
            <Modal labelled_by="upgrade-title" on_close=Callback::new(move |_| close())>
                <h2 id="upgrade-title">{format!("Request more {noun}")}</h2>
                <ActionForm action=request attr:novalidate=true>
                    <input type="hidden" name="kind" value=noun />
                    <TextField
                        id="upgrade-how-many"
                        name="how_many"
                        label="How many more"
                        kind="number"
                        required=true
                        error
                    />
                    <div class="field">
                        <label for="upgrade-message">"Message"</label>
                        <textarea
                            id="upgrade-message"
                            name="message"
                            rows="4"
                            maxlength="1000"
                            aria-describedby="message-error"
                        ></textarea>
                        <FieldError error field="message" />
                    </div>
                    <p class="hint">
                        "Your Umbrella representative sees the request and answers it by \
                         raising the quota."
                    </p>
                    {general_error(error)}
                    <div class="modal-buttons">
                        <button type="button" class="secondary" on:click=move |_| close()>
                            "Cancel"
                        </button>
                        <button
                            type="submit"
                            class="primary"
                            aria-busy=move || busy.get().to_string()
                            disabled=move || busy.get()
                        >
                            "Send request"
                        </button>
                    </div>
                </ActionForm>
            </Modal>
        </Show>
    }
    .into_any()
}
