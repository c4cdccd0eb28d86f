use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::{Element, HtmlElement};

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
    let menu_label = format!("Actions for {}", row.name);
    let button = NodeRef::<leptos::html::Button>::new();
    let menu = NodeRef::<leptos::html::Ul>::new();
    let focus_button = move || {
        if let Some(button) = button.get_untracked() {
            let _ = button.focus();
        }
    };
    // The menu-button pattern: an opened menu has focus on its first item.
    Effect::new(move |_| {
        if let Some(menu) = menu.get() {
            focus_item(&menu, |_, _| 0);
        }
    });
    let on_menu_key = move |ev: leptos::ev::KeyboardEvent| {
        let Some(list) = menu.get_untracked() else {
            return;
        };
        let step: Option<fn(usize, usize) -> usize> = match ev.key().as_str() {
            "ArrowDown" => Some(|at, n| (at + 1) % n),
            "ArrowUp" => Some(|at, n| (at + n - 1) % n),
            "Home" => Some(|_, _| 0),
            "End" => Some(|_, n| n - 1),
            "Escape" => {
                ev.stop_propagation();
                open.set(false);
                focus_button();
                None
            }
            "Tab" => {
                open.set(false);
                None
            }
            _ => None,
        };
        if let Some(step) = step {
            ev.prevent_default();
            focus_item(&list, step);
        }
    };

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
                node_ref=button
                on:click=move |_| open.update(|o| *o = !*o)
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "ArrowDown" || ev.key() == "ArrowUp" {
                        ev.prevent_default();
                        open.set(true);
                    }
                }
            >
                "⋯"
            </button>
            <Show when=move || open.get()>
                <ul
                    class="menu"
                    role="menu"
                    id=menu_id.clone()
                    aria-label=menu_label.clone()
                    node_ref=menu
                    on:keydown=on_menu_key
                >
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
                                    on_cancel=Callback::new(move |_| {
                                        confirming.set(None);
                                        focus_button();
                                    })
                                />
                            }
                        })
                }
            }
        </div>
    }
    .into_any()
}

/// Focuses the menu's item at `pick(current, count)`, where `current` is the
/// focused item's index (0 when none has focus).
fn focus_item(menu: &Element, pick: impl Fn(usize, usize) -> usize) {
    // One item per `<li>`, in order (CMS Login's sits inside its form).
    let items: Vec<HtmlElement> =
        std::iter::successors(menu.first_element_child(), Element::next_element_sibling)
            .filter_map(|li| li.query_selector("[role=menuitem]").ok().flatten())
            .filter_map(|item| item.dyn_into::<HtmlElement>().ok())
            .collect();
    if items.is_empty() {
        return;
    }
    let active = document().active_element();
    let current = items
        .iter()
        .position(|item| active.as_ref().is_some_and(|a| item.is_same_node(Some(a))))
        .unwrap_or(0);
    if let Some(item) = items.get(pick(current, items.len())) {
        let _ = item.focus();
    }
}
