use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::{Element, HtmlElement};

use umbrella::domain::AccountAction;

use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::hydrated::{island_ready, needs_wasm};
use crate::error::AppError;
use crate::server_fns::accounts::{AccountRow, change_account_status};

/// What a row's menu and its confirmation share: the row, the change action, the
/// change waiting for its confirmation and the last error.
#[derive(Clone, Copy)]
struct RowChanges {
    partner_id: i64,
    name: StoredValue<String>,
    change: Action<AccountAction, Result<AccountRow, AppError>>,
    confirming: RwSignal<Option<AccountAction>>,
    error: RwSignal<Option<String>>,
}

impl RowChanges {
    /// `on_changed` runs when a change has gone through.
    fn new(partner_id: i64, name: String, on_changed: Callback<()>) -> Self {
        let changes = Self {
            partner_id,
            name: StoredValue::new(name),
            change: Action::new(move |action: &AccountAction| {
                change_account_status(partner_id.to_string(), action.as_param().to_owned())
            }),
            confirming: RwSignal::new(None),
            error: RwSignal::new(None),
        };
        // When a change has gone through, show it; when it failed, say why.
        Effect::new(move |_| match changes.change.value().get() {
            Some(Ok(_)) => {
                changes.confirming.set(None);
                changes.error.set(None);
                on_changed.run(());
            }
            Some(Err(e)) => changes.error.set(Some(e.to_string())),
            None => {}
        });
        changes
    }

    fn choose(self, action: AccountAction) {
        self.error.set(None);
        if action.confirmation().is_some() {
            self.confirming.set(Some(action));
        } else {
            self.change.dispatch(action);
        }
    }

    /// The error of a change that is not shown in a confirmation.
    fn error_beside_menu(self) -> Option<String> {
        self.error.get().filter(|_| self.confirming.get().is_none())
    }
}

/// The id of a row's menu button, where focus goes back after its confirmation.
fn button_id(partner_id: i64) -> String {
    format!("actions-button-{partner_id}")
}

/// The confirmation of the change a row's menu asked for ("Block <name>?").
#[component]
fn RowChangeDialog(changes: RowChanges) -> impl IntoView {
    let pending = changes.change.pending();
    move || {
        changes.confirming.get().map(|action| {
            view! {
                <ConfirmDialog
                    title=format!("{} {}?", action.label(), changes.name.get_value())
                    message=action.confirmation().unwrap_or_default().to_owned()
                    confirm_label=action.label().to_owned()
                    pending=pending
                    error=changes.error
                    on_confirm=Callback::new(move |_| {
                        changes.change.dispatch(action);
                    })
                    on_cancel=Callback::new(move |_| {
                        changes.confirming.set(None);
                        if let Some(button) = document()
                            .get_element_by_id(&button_id(changes.partner_id))
                            .and_then(|button| button.dyn_into::<HtmlElement>().ok())
                        {
                            let _ = button.focus();
                        }
                    })
                />
            }
        })
    }
}

/// Whether a row has a menu at all: the parent, templates and removed accounts have
/// none, and get no island.
pub fn has_actions(row: &AccountRow) -> bool {
    AccountAction::offered(row.standing()).next().is_some() || row.standing().allows_cms_login()
}

/// The "Actions for <name>" menu button of one row, with its confirmation. Its menu
/// is made when it opens. A change that went through loads the page again: the
/// table around it is the server's.
#[island]
pub fn RowActions(row: AccountRow) -> impl IntoView {
    island_ready();
    let changes = RowChanges::new(
        row.partner_id,
        row.name.clone(),
        Callback::new(|_| crate::here::reload()),
    );
    // Exactly what the core's rules allow; the server checks them again.
    let actions: Vec<AccountAction> = AccountAction::offered(row.standing()).collect();
    let cms_login = row.standing().allows_cms_login();
    let open = RwSignal::new(false);
    let partner_id = row.partner_id;
    let menu_id = format!("actions-{partner_id}");
    let label = format!("Actions for {}", row.name);
    let button = NodeRef::<leptos::html::Button>::new();
    let close = Callback::new(move |focus_button: bool| {
        open.set(false);
        if focus_button && let Some(button) = button.get_untracked() {
            let _ = button.focus();
        }
    });

    view! {
        <div class="row-actions">
            <button
                type="button"
                class="menu-button"
                id=button_id(partner_id)
                aria-haspopup="menu"
                aria-controls=menu_id.clone()
                aria-expanded=move || open.get().to_string()
                aria-label=label.clone()
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
                <RowMenu
                    id=menu_id.clone()
                    label=label.clone()
                    cms_login
                    actions=actions.clone()
                    changes
                    close
                />
            </Show>
            {move || {
                changes
                    .error_beside_menu()
                    .map(|e| {
                        view! {
                            <p class="form-error" role="alert">
                                {e}
                            </p>
                        }
                    })
            }}
        </div>
        <RowChangeDialog changes />
    }
}

/// An opened row menu: the menu-button pattern's keyboard, focus on its first item.
#[component]
fn RowMenu(
    id: String,
    label: String,
    cms_login: bool,
    actions: Vec<AccountAction>,
    changes: RowChanges,
    /// Closes the menu; `true` gives focus back to its button.
    close: Callback<bool>,
) -> impl IntoView {
    let menu = NodeRef::<leptos::html::Ul>::new();
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
                close.run(true);
                None
            }
            "Tab" => {
                close.run(false);
                None
            }
            _ => None,
        };
        if let Some(step) = step {
            ev.prevent_default();
            focus_item(&list, step);
        }
    };
    view! {
        <ul class="menu" role="menu" id=id aria-label=label node_ref=menu on:keydown=on_menu_key>
            // A plain form: the POST opens the new tab itself, so no popup
            // blocker stands in the way, and the server starts the session.
            {cms_login
                .then(|| {
                    view! {
                        <li role="none">
                            <form
                                method="post"
                                action=format!("/cms/{}/login", changes.partner_id)
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
                .into_iter()
                .map(|action| {
                    view! {
                        <li role="none">
                            <button
                                type="button"
                                role="menuitem"
                                on:click=move |_| {
                                    close.run(false);
                                    changes.choose(action);
                                }
                            >
                                {action.label()}
                            </button>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
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
