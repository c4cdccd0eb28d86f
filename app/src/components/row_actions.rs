use leptos::prelude::*;

use umbrella::domain::AccountAction;

use crate::api::accounts::{AccountRow, ChangeAccountStatus};
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::hydrated::needs_wasm;

/// The "Actions for <name>" menu of one row, with its confirmations.
#[component]
pub fn RowActions(row: AccountRow, on_changed: Callback<()>) -> impl IntoView {
    // Exactly what the core's rules allow; the server checks them again.
    let actions: Vec<AccountAction> = AccountAction::offered(row.standing()).collect();
    let cms_login = row.standing().allows_cms_login();
    if actions.is_empty() && !cms_login {
        return view! { <span class="visually-hidden">"No actions"</span> }.into_any();
    }
    let open = RwSignal::new(false);
    let confirming = RwSignal::new(None::<AccountAction>);
    let change = ServerAction::<ChangeAccountStatus>::new();
    let pending = change.pending();
    let error = RwSignal::new(None::<String>);
    let partner_id = row.partner_id;
    let name = row.name.clone();
    let menu_id = format!("actions-{partner_id}");

    // When a change has gone through, refresh the list; when it failed, say why.
    Effect::new(move |_| match change.value().get() {
        Some(Ok(_)) => {
            confirming.set(None);
            error.set(None);
            on_changed.run(());
        }
        Some(Err(e)) => error.set(Some(e.to_string())),
        None => {}
    });

    let run = move |action: AccountAction| {
        change.dispatch(ChangeAccountStatus {
            partner_id: partner_id.to_string(),
            action: action.as_param().to_owned(),
        });
    };
    let choose = move |action: AccountAction| {
        open.set(false);
        error.set(None);
        if action.confirmation().is_some() {
            confirming.set(Some(action));
        } else {
            run(action);
        }
    };

    view! {
        <div class="row-actions">
            <button
                type="button"
                class="menu-button"
                aria-haspopup="menu"
                aria-controls=menu_id.clone()
                aria-expanded=move || open.get().to_string()
                aria-label=format!("Actions for {name}")
                disabled=needs_wasm()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                "⋯"
            </button>
            <Show when=move || open.get()>
                <ul class="menu" role="menu" id=menu_id.clone()>
                    // A plain form: the POST opens the new tab itself, so no popup
                    // blocker stands in the way, and the server starts the session.
                    {cms_login
                        .then(|| {
                            view! {
                                <li role="none">
                                    <form
                                        method="post"
                                        action=format!("/cms/{partner_id}/login")
                                        target="_blank"
                                    >
                                        <button type="submit" role="menuitem">
                                            "CMS Login"
                                        </button>
                                    </form>
                                </li>
                            }
                        })}
                    {actions
                        .clone()
                        .into_iter()
                        .map(|action| {
                            view! {
                                <li role="none">
                                    <button
                                        type="button"
                                        role="menuitem"
                                        on:click=move |_| choose(action)
                                    >
                                        {action.label()}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </Show>
            {move || {
                error
                    .get()
                    .filter(|_| confirming.get().is_none())
                    .map(|e| view! { <p class="form-error" role="alert">{e}</p> })
            }}
            {
                let name = row.name.clone();
                move || {
                    confirming
                        .get()
                        .map(|action| {
                            view! {
                                <ConfirmDialog
                                    title=format!("{} {}?", action.label(), name)
                                    message=action.confirmation().unwrap_or_default().to_owned()
                                    confirm_label=action.label().to_owned()
                                    pending=pending
                                    error=error
                                    on_confirm=Callback::new(move |_| run(action))
                                    on_cancel=Callback::new(move |_| confirming.set(None))
                                />
                            }
                        })
                }
            }
        </div>
    }
    .into_any()
}
