//! The one editable section of the account console: a table of one kind of item,
//! with Edit and Delete on each row, a form to add one or edit the chosen one, and
//! a confirmation before a deletion. Entries, categories and playlists are kinds of
//! it ([`EditableKind`]); each says only what differs: what it loads, its columns,
//! its form.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::components::content::{ConfirmDelete, ItemActions};
use crate::error::AppError;

/// A kind of item the console's section edits.
pub trait EditableKind: Copy + Send + Sync + 'static {
    /// What the section loads: the rows and whatever the form and cells need.
    type Data: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static;
    /// One row of the table, and what the form edits.
    type Row: Clone + Send + Sync + 'static;
    /// The server function that adds or changes one; it answers the item's ID.
    type Save: ServerFn<Output = i64, Error = AppError> + Clone + Send + Sync + 'static;
    /// The server function that deletes one.
    type Delete: ServerFn<Output = (), Error = AppError> + Clone + Send + Sync + 'static;

    /// The item as people call it: "entry".
    const WHAT: &'static str;
    /// The table's caption: "Entries".
    const CAPTION: &'static str;
    /// What the section says while there is none.
    const EMPTY: &'static str;
    /// What a deletion does beyond the item, said in its confirmation.
    const CONSEQUENCE: &'static str;
    /// The table's columns before "Actions".
    const COLUMNS: &'static [&'static str];

    /// Loads the section; `page` is the item after which the shown page starts
    /// (`None`: the first), for the kinds that page.
    fn load(page: Option<i64>) -> impl Future<Output = Result<Self::Data, AppError>> + Send;
    fn rows(data: &Self::Data) -> Vec<Self::Row>;
    /// The row's ID, its name in the confirmation, and its label on the buttons.
    fn names(row: &Self::Row) -> (i64, String, String);
    /// Draws a row's cells (before its actions), knowing the whole of what loaded.
    fn cells(data: &Self::Data) -> impl Fn(&Self::Row) -> AnyView + 'static;
    fn delete(id: i64) -> Self::Delete;
    /// The add-or-edit form; `editing` is the row being edited, if any.
    fn form(form: ItemForm<Self>, data: &Self::Data) -> AnyView;
    /// Page buttons under the table, for the kinds that page.
    fn pager(_data: &Self::Data, _page: RwSignal<Option<i64>>) -> Option<AnyView> {
        None
    }
}

/// What a kind's form gets from its section.
pub struct ItemForm<K: EditableKind> {
    pub save: ServerAction<K::Save>,
    pub editing: Option<K::Row>,
    pub error: Signal<Option<AppError>>,
    pub on_cancel: Callback<()>,
}

/// The section of one kind of item.
#[component]
pub fn EditableSection<K: EditableKind>(
    /// Which kind; its type says everything.
    #[allow(unused_variables)]
    kind: K,
) -> impl IntoView {
    let save = ServerAction::<K::Save>::new();
    let delete = ServerAction::<K::Delete>::new();
    // Reloaded after a change succeeded only: a refused save keeps the form as typed.
    let changed = RwSignal::new(0_u32);
    let page = RwSignal::new(None::<i64>);
    let data = Resource::new(
        move || (changed.get(), page.get()),
        |(_, page)| K::load(page),
    );
    let editing = RwSignal::new(None::<K::Row>);
    let deleting = RwSignal::new(None::<(i64, String)>);
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            editing.set(None);
            changed.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            deleting.set(None);
            delete.value().set(None);
            changed.update(|n| *n += 1);
        }
    });
    let on_cancel = Callback::new(move |_| editing.set(None));

    view! {
        <Transition fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                let data = match data.await {
                    Ok(data) => data,
                    Err(e) => {
                        return view! {
                            <p role="alert" class="form-error">
                                {e.to_string()}
                            </p>
                        }
                            .into_any();
                    }
                };
                let rows = K::rows(&data);
                let table = if rows.is_empty() {
                    view! { <p>{K::EMPTY}</p> }.into_any()
                } else {
                    let cells = K::cells(&data);
                    view! {
                        <table>
                            <caption>{K::CAPTION}</caption>
                            <thead>
                                <tr>
                                    {K::COLUMNS
                                        .iter()
                                        .map(|column| view! { <th scope="col">{*column}</th> })
                                        .collect_view()} <th scope="col">"Actions"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows
                                    .into_iter()
                                    .map(|row| {
                                        let (id, name, label) = K::names(&row);
                                        let drawn = cells(&row);
                                        let on_edit = Callback::new(move |_| {
                                            save.value().set(None);
                                            editing.set(Some(row.clone()));
                                        });
                                        let on_delete = Callback::new(move |_| {
                                            deleting.set(Some((id, name.clone())))
                                        });
                                        view! {
                                            <tr>{drawn} <ItemActions label on_edit on_delete /></tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    }
                        .into_any()
                };
                let pager = K::pager(&data, page);
                view! {
                    {table}
                    {pager}
                    {move || {
                        K::form(
                            ItemForm {
                                save,
                                editing: editing.get(),
                                error,
                                on_cancel,
                            },
                            &data,
                        )
                    }}
                }
                    .into_any()
            })}
        </Transition>
        <ConfirmDelete
            target=deleting
            what=K::WHAT
            consequence=K::CONSEQUENCE
            pending=delete.pending()
            error=Signal::derive(move || {
                delete.value().get().and_then(Result::err).map(|e| e.to_string())
            })
            on_confirm=Callback::new(move |id| {
                delete.dispatch(K::delete(id));
            })
            on_cancel=Callback::new(move |_| delete.value().set(None))
        />
    }
}
