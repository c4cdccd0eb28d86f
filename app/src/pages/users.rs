use leptos::prelude::*;
use leptos_meta::Title;
use umbrella::domain::upgrade::UpgradeKind;

use crate::components::activation_notice::{ActivationNotice, ResendFor};
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::console_layout::{ConsoleFrame, Tab};
use crate::components::field_error::{FieldError, general_error};
use crate::components::hydrated::needs_wasm;
use crate::components::modal::Modal;
use crate::components::text_field::TextField;
use crate::components::upgrade_request::UpgradeRequest;
use crate::error::AppError;
use crate::server_fns::users::{
    AddUser, ChangeUser, CreatedUserView, ParentUserView, SetUserRole, list_users,
};

/// The Users tab of the parent account: its users under the user quota line.
#[component]
pub fn UsersPage() -> impl IntoView {
    view! {
        <Title text="Users" />
        <ConsoleFrame tab=Tab::Users title="Users">
            <UsersBody />
        </ConsoleFrame>
    }
}

/// The page's body: an island, loaded when the page is first shown.
#[island(lazy)]
fn UsersBody() -> impl IntoView {
    crate::components::hydrated::island_ready();
    let add = ServerAction::<AddUser>::new();
    let change = ServerAction::<ChangeUser>::new();
    let role = ServerAction::<SetUserRole>::new();
    // Reloaded after a change succeeded only, so a refused one keeps the dialog as
    // typed. Everything that must outlive a reload lives here, above the list.
    let changed = RwSignal::new(0_u32);
    let page = Resource::new_blocking(move || changed.get(), |_| list_users());
    let created = RwSignal::new(None::<CreatedUserView>);
    let adding = RwSignal::new(false);
    let removing = RwSignal::new(None::<ParentUserView>);
    let change_error = Signal::derive(move || {
        change
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| role.value().get().and_then(Result::err))
    });
    // One effect per action: each reacts to its own answer only.
    Effect::new(move |_| {
        if let Some(Ok(view)) = add.value().get() {
            created.set(Some(view));
            adding.set(false);
            changed.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = change.value().get() {
            removing.set(None);
            changed.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = role.value().get() {
            changed.update(|n| *n += 1);
        }
    });

    view! {
        <Transition fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => {
                        let roles = page.roles.clone();
                        let self_id = page.me;
                        view! {
                            <p class="quota-line">
                                {format!(
                                    "Current status: {} {} in use, {} additional available.",
                                    page.in_use,
                                    if page.in_use == 1 { "user" } else { "users" },
                                    page.available,
                                )}
                            </p>
                            <UpgradeRequest kind=UpgradeKind::Users pending=page.upgrade.clone() />
                            <div class="toolbar">
                                <AddUserDialog add created open=adding roles=page.roles.clone() />
                            </div>
                            {move || {
                                change_error
                                    .get()
                                    .map(|e| {
                                        view! {
                                            <p class="form-error" role="alert">
                                                {e.to_string()}
                                            </p>
                                        }
                                    })
                            }}
                            <table class="users">
                                <caption>"Users"</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Name"</th>
                                        <th scope="col">"Email"</th>
                                        <th scope="col">"Role"</th>
                                        <th scope="col">"Status"</th>
                                        <th scope="col">"Publisher User ID"</th>
                                        <th scope="col">"Actions"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {page
                                        .users
                                        .into_iter()
                                        .map(|user| {
                                            let roles = roles.clone();
                                            let is_me = user.id == self_id;
                                            let (id, name, active) = (
                                                user.id,
                                                user.name.clone(),
                                                user.active,
                                            );
                                            let target = user.clone();
                                            view! {
                                                <tr>
                                                    <th scope="row">
                                                        {user.name.clone()}{user.is_owner.then_some(" (Owner)")}
                                                    </th>
                                                    <td>{user.email.clone()}</td>
                                                    <td>
                                                        <label class="visually-hidden" for=format!("role-{id}")>
                                                            {format!("Role of {name}")}
                                                        </label>
                                                        <select
                                                            id=format!("role-{id}")
                                                            disabled=needs_wasm()
                                                            on:change=move |ev| {
                                                                change.value().set(None);
                                                                role.dispatch(SetUserRole {
                                                                    id,
                                                                    role: event_target_value(&ev),
                                                                });
                                                            }
                                                        >
                                                            {roles
                                                                .into_iter()
                                                                .map(|r| {
                                                                    let selected = r == user.role;
                                                                    let label = r.clone();
                                                                    view! {
                                                                        <option value=r selected=selected>
                                                                            {label}
                                                                        </option>
                                                                    }
                                                                })
                                                                .collect_view()}
                                                        </select>
                                                    </td>
                                                    <td>{if active { "Active" } else { "Deactivated" }}</td>
                                                    <td>
                                                        {user
                                                            .publisher_user_id
                                                            .clone()
                                                            .unwrap_or_else(|| "N/A".to_owned())}
                                                    </td>
                                                    <td class="item-actions">
                                                        {(!is_me)
                                                            .then(|| {
                                                                let (label, action) = if active {
                                                                    ("Deactivate", "deactivate")
                                                                } else {
                                                                    ("Reactivate", "reactivate")
                                                                };
                                                                let name = name.clone();
                                                                view! {
                                                                    <button
                                                                        type="button"
                                                                        class="secondary"
                                                                        aria-label=format!("{label} {name}")
                                                                        disabled=needs_wasm()
                                                                        on:click=move |_| {
                                                                            role.value().set(None);
                                                                            change
                                                                                .dispatch(ChangeUser {
                                                                                    id,
                                                                                    action: action.to_owned(),
                                                                                });
                                                                        }
                                                                    >
                                                                        {label}
                                                                    </button>
                                                                    <button
                                                                        type="button"
                                                                        class="danger"
                                                                        aria-label=format!("Remove {name}")
                                                                        disabled=needs_wasm()
                                                                        on:click=move |_| {
                                                                            change.value().set(None);
                                                                            removing.set(Some(target.clone()));
                                                                        }
                                                                    >
                                                                        "Remove"
                                                                    </button>
                                                                }
                                                            })}
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
            removing
                .get()
                .map(|user| {
                    let id = user.id;
                    view! {
                        <ConfirmDialog
                            title=format!("Remove {}?", user.name)
                            message=format!(
                                "{} ({}) will no longer be able to sign in. This cannot be undone.",
                                user.name,
                                user.email,
                            )
                            confirm_label="Remove".to_owned()
                            pending=change.pending()
                            error=Signal::derive(move || {
                                change.value().get().and_then(Result::err).map(|e| e.to_string())
                            })
                            on_confirm=Callback::new(move |_| {
                                change
                                    .dispatch(ChangeUser {
                                        id,
                                        action: "remove".to_owned(),
                                    });
                            })
                            on_cancel=Callback::new(move |_| {
                                change.value().set(None);
                                removing.set(None);
                            })
                        />
                    }
                })
        }}
    }
}

#[component]
fn AddUserDialog(
    add: ServerAction<AddUser>,
    created: RwSignal<Option<CreatedUserView>>,
    /// Whether the dialog is open: the page's, so that reloading the list keeps it open.
    open: RwSignal<bool>,
    roles: Vec<String>,
) -> impl IntoView {
    let pending = add.pending();
    let error = Signal::derive(move || add.value().get().and_then(Result::err));
    let close = move || {
        open.set(false);
        add.value().set(None);
    };
    let roles = StoredValue::new(roles);
    view! {
        <button
            type="button"
            class="primary"
            disabled=needs_wasm()
            on:click=move |_| {
                created.set(None);
                add.value().set(None);
                open.set(true);
            }
        >
            "Add User"
        </button>
        {move || {
            created
                .get()
                .map(|view| {
                    view! {
                        <ActivationNotice
                            intro=format!("User {} added.", view.user.email)
                            recipient=view.user.email.clone()
                            delivery=view.delivery.clone()
                            resend=ResendFor::ParentUser(view.user.id)
                        />
                    }
                })
        }}
        <Show when=move || open.get()>
            <Modal labelled_by="add-user-title" on_close=Callback::new(move |_| close())>
                <h2 id="add-user-title">"Add User"</h2>
                <ActionForm action=add attr:novalidate=true>
                    <TextField
                        id="user-email"
                        name="email"
                        label="Login email address"
                        kind="email"
                        required=true
                        error
                    />
                    <TextField
                        id="user-first-name"
                        name="first_name"
                        label="First Name"
                        required=true
                        error
                    />
                    <TextField
                        id="user-last-name"
                        name="last_name"
                        label="Last Name"
                        required=true
                        error
                    />
                    <TextField
                        id="user-publisher-id"
                        name="publisher_user_id"
                        label="Publisher User ID"
                        error
                    />
                    <div class="field">
                        <label for="user-role">"User role"</label>
                        <select id="user-role" name="role">
                            {roles
                                .get_value()
                                .into_iter()
                                .map(|r| {
                                    let label = r.clone();
                                    view! { <option value=r>{label}</option> }
                                })
                                .collect_view()}
                        </select>
                        <FieldError error field="role" />
                    </div>
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
                            "Add"
                        </button>
                    </div>
                </ActionForm>
            </Modal>
        </Show>
    }
}
