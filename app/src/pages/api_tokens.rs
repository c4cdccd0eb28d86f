use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::console_layout::{ConsoleFrame, Tab};
use crate::components::field_error::{FieldError, general_error};
use crate::components::hydrated::needs_wasm;
use crate::components::modal::Modal;
use crate::components::text_field::TextField;
use crate::error::AppError;
use crate::server_fns::tokens::{
    ApiTokenRow, CreateApiToken, CreatedApiToken, RevokeApiToken, list_api_tokens,
};

/// The API tab: the organization's tokens for the reseller API (`/api/v1`).
#[component]
pub fn ApiTokensPage() -> impl IntoView {
    view! {
        <Title text="API" />
        <ConsoleFrame tab=Tab::Api title="API">
            <ApiTokensBody />
        </ConsoleFrame>
    }
}

/// The page's body: an island, loaded when the page is first shown.
#[island(lazy)]
fn ApiTokensBody() -> impl IntoView {
    crate::components::hydrated::island_ready();
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let changed = RwSignal::new(0_u32);
    let tokens = Resource::new_blocking(move || changed.get(), |_| list_api_tokens());
    let created = RwSignal::new(None::<CreatedApiToken>);
    let creating = RwSignal::new(false);
    let revoking = RwSignal::new(None::<ApiTokenRow>);
    Effect::new(move |_| {
        if let Some(Ok(token)) = create.value().get() {
            created.set(Some(token));
            creating.set(false);
            changed.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = revoke.value().get() {
            revoking.set(None);
            changed.update(|n| *n += 1);
        }
    });

    view! {
        <Transition fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match tokens.await {
                    Ok(tokens) => {
                        view! {
                            <p>
                                "Your own systems can manage this organization's accounts through the API. "
                                <a href="/api/v1/docs">"API reference"</a>
                            </p>
                            <div class="toolbar">
                                <CreateTokenDialog create created open=creating />
                            </div>
                            <table class="api-tokens">
                                <caption>"API tokens"</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Name"</th>
                                        <th scope="col">"Access"</th>
                                        <th scope="col">"Created"</th>
                                        <th scope="col">"Created by"</th>
                                        <th scope="col">"Last used"</th>
                                        <th scope="col">"Expires"</th>
                                        <th scope="col">"Actions"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {tokens
                                        .is_empty()
                                        .then(|| {
                                            view! {
                                                <tr>
                                                    <td colspan="7">"No tokens yet."</td>
                                                </tr>
                                            }
                                        })}
                                    {tokens
                                        .into_iter()
                                        .map(|token| {
                                            let target = token.clone();
                                            view! {
                                                <tr>
                                                    <th scope="row">{token.name.clone()}</th>
                                                    <td>{token.access.clone()}</td>
                                                    <td>{token.created.clone()}</td>
                                                    <td>{token.created_by.clone()}</td>
                                                    <td>{token.last_used.clone()}</td>
                                                    <td>{token.expires.clone()}</td>
                                                    <td class="item-actions">
                                                        <button
                                                            type="button"
                                                            class="danger"
                                                            aria-label=format!("Revoke {}", token.name)
                                                            disabled=needs_wasm()
                                                            on:click=move |_| {
                                                                revoke.value().set(None);
                                                                revoking.set(Some(target.clone()));
                                                            }
                                                        >
                                                            "Revoke"
                                                        </button>
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        }
                            .into_any()
                    }
                    Err(AppError::Unauthenticated) => crate::here::signed_out("/login".to_owned()),
                    Err(e) => {
                        view! {
                            <p role="alert" class="form-error">
                                {e.to_string()}
                            </p>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
        {move || {
            revoking
                .get()
                .map(|token| {
                    let id = token.id;
                    view! {
                        <ConfirmDialog
                            title=format!("Revoke {}?", token.name)
                            message=format!(
                                "Systems using the token \"{}\" will be refused from now on. This cannot be undone.",
                                token.name,
                            )
                            confirm_label="Revoke".to_owned()
                            pending=revoke.pending()
                            error=Signal::derive(move || {
                                revoke.value().get().and_then(Result::err).map(|e| e.to_string())
                            })
                            on_confirm=Callback::new(move |_| {
                                revoke.dispatch(RevokeApiToken { id });
                            })
                            on_cancel=Callback::new(move |_| {
                                revoke.value().set(None);
                                revoking.set(None);
                            })
                        />
                    }
                })
        }}
    }
}

#[component]
fn CreateTokenDialog(
    create: ServerAction<CreateApiToken>,
    created: RwSignal<Option<CreatedApiToken>>,
    open: RwSignal<bool>,
) -> impl IntoView {
    let pending = create.pending();
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    let close = move || {
        open.set(false);
        create.value().set(None);
    };
    view! {
        <button
            type="button"
            class="primary"
            disabled=needs_wasm()
            on:click=move |_| {
                created.set(None);
                create.value().set(None);
                open.set(true);
            }
        >
            "Create token"
        </button>
        {move || {
            created
                .get()
                .map(|made| {
                    view! {
                        <div class="notice" role="status">
                            <p>
                                {format!(
                                    "Token \"{}\" created ({}). Copy it now: it is shown only this once.",
                                    made.token.name,
                                    made.token.access,
                                )}
                            </p>
                            <p>
                                <code class="api-token-secret" aria-label="The new token">
                                    {made.secret}
                                </code>
                            </p>
                        </div>
                    }
                })
        }}
        <Show when=move || open.get()>
            <Modal labelled_by="create-token-title" on_close=Callback::new(move |_| close())>
                <h2 id="create-token-title">"Create token"</h2>
                <ActionForm action=create attr:novalidate=true>
                    <TextField id="token-name" name="name" label="Name" required=true error />
                    <div class="field">
                        <label for="token-access">"Access"</label>
                        <select id="token-access" name="access">
                            <option value="read_only">"Read only"</option>
                            <option value="read_write">"Read and write"</option>
                        </select>
                        <FieldError error field="access" />
                    </div>
                    <TextField
                        id="token-expires"
                        name="expires_days"
                        label="Expires after (days, empty for never)"
                        kind="number"
                        error
                    />
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
                </ActionForm>
            </Modal>
        </Show>
    }
}
