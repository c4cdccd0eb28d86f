use leptos::prelude::*;

use crate::components::content::section::{EditableKind, EditableSection, ItemForm};
use crate::components::content::{
    ItemFormButtons, general_error, join_ids, or_na, split_ids, typed_values,
};
use crate::components::field_error::FieldError;
use crate::components::hydrated::needs_wasm;
use crate::components::return_here::ReturnHere;
use crate::components::text_field::TextField;
use crate::error::AppError;
use crate::server_fns::content::{
    CategoryView, DeleteEntry, EntriesView, EntryRowView, SaveEntry, console_entries,
};

const MEDIA_TYPES: [(&str, &str); 3] = [("video", "Video"), ("audio", "Audio"), ("image", "Image")];

/// The account's entries, a page at a time, and a form to add one or edit the
/// chosen one.
#[component]
pub fn EntriesSection() -> impl IntoView {
    view! { <EditableSection kind=Entries /> }
}

#[derive(Clone, Copy)]
struct Entries;

impl EditableKind for Entries {
    type Data = EntriesView;
    type Row = EntryRowView;
    type Save = SaveEntry;
    type Delete = DeleteEntry;
    const WHAT: &'static str = "entry";
    const CAPTION: &'static str = "Entries";
    const EMPTY: &'static str = "This account has no entries yet.";
    const CONSEQUENCE: &'static str = " It leaves its categories and playlists.";
    const COLUMNS: &'static [&'static str] =
        &["Name", "Media Type", "Tags", "Categories", "Reference ID"];

    fn load(page: Option<i64>) -> impl Future<Output = Result<EntriesView, AppError>> + Send {
        console_entries(page)
    }

    fn rows(data: &EntriesView) -> Vec<EntryRowView> {
        data.entries.clone()
    }

    fn names(entry: &EntryRowView) -> (i64, String, String) {
        (entry.id, entry.name.clone(), entry.name.clone())
    }

    fn cells(data: &EntriesView) -> impl Fn(&EntryRowView) -> AnyView + 'static {
        // By ID: an account may hold 10,000 categories.
        let paths: std::collections::HashMap<i64, String> = data
            .categories
            .iter()
            .map(|c| (c.id, c.path.clone()))
            .collect();
        move |entry| {
            let names: Vec<_> = entry
                .category_ids
                .iter()
                .filter_map(|id| paths.get(id).cloned())
                .collect();
            view! {
                <td>{entry.name.clone()}</td>
                <td>{entry.media_type.clone()}</td>
                <td>{or_na(&entry.tags)}</td>
                <td>{or_na(&names.join("; "))}</td>
                <td>{or_na(&entry.reference_id)}</td>
            }
            .into_any()
        }
    }

    fn delete(id: i64) -> DeleteEntry {
        DeleteEntry { id }
    }

    fn form(form: ItemForm<Self>, data: &EntriesView) -> AnyView {
        view! { <EntryForm form categories=data.categories.clone() /> }.into_any()
    }

    fn pager(data: &EntriesView, page: RwSignal<Option<i64>>) -> Option<AnyView> {
        let waiting_for_wasm = needs_wasm();
        let next = data.next;
        Some(
            view! {
                <nav class="pager" aria-label="Entries pages">
                    {move || {
                        page.get()
                            .is_some()
                            .then(|| {
                                view! {
                                    <button
                                        type="button"
                                        class="secondary"
                                        disabled=waiting_for_wasm
                                        on:click=move |_| page.set(None)
                                    >
                                        "First page"
                                    </button>
                                }
                            })
                    }}
                    {next
                        .map(|next| {
                            view! {
                                <button
                                    type="button"
                                    class="secondary"
                                    disabled=waiting_for_wasm
                                    on:click=move |_| page.set(Some(next))
                                >
                                    "Next page"
                                </button>
                            }
                        })}
                </nav>
            }
            .into_any(),
        )
    }
}

/// A new entry as typed before a refused plain form post came back in the URL.
fn typed_entry() -> EntryRowView {
    let typed = typed_values();
    let get = |name: &str| typed.get(name).unwrap_or_default();
    EntryRowView {
        id: 0,
        name: get("name"),
        description: get("description"),
        media_type: typed
            .get("media_type")
            .unwrap_or_else(|| "video".to_owned()),
        tags: get("tags"),
        reference_id: get("reference_id"),
        category_ids: split_ids(&get("categories")),
    }
}

#[component]
fn EntryForm(form: ItemForm<Entries>, categories: Vec<CategoryView>) -> impl IntoView {
    let ItemForm {
        save,
        editing,
        error,
        on_cancel,
    } = form;
    let pending = save.pending();
    let title = match &editing {
        Some(e) => format!("Edit entry {}", e.name),
        None => "Add entry".to_owned(),
    };
    let entry = editing.clone().unwrap_or_else(typed_entry);
    let needs_wasm = needs_wasm();
    let chosen = RwSignal::new(entry.category_ids.clone());
    let is_editing = editing.is_some();
    view! {
        <section class="card item-form" aria-labelledby="entry-form-title">
            <h2 id="entry-form-title">{title}</h2>
            <ActionForm action=save attr:novalidate=true>
                <ReturnHere keep="name,description,media_type,tags,reference_id,categories" />
                <input
                    type="hidden"
                    name="id"
                    value=if is_editing { entry.id.to_string() } else { String::new() }
                />
                <TextField
                    id="entry-name"
                    name="name"
                    label="Name"
                    required=true
                    value=entry.name.clone()
                    error
                />
                <div class="field">
                    <label for="entry-description">"Description"</label>
                    <textarea id="entry-description" name="description" rows="3">
                        {entry.description.clone()}
                    </textarea>
                    <FieldError error field="description" />
                </div>
                <div class="field">
                    <label for="entry-media-type">"Media Type"</label>
                    <select id="entry-media-type" name="media_type">
                        {MEDIA_TYPES
                            .iter()
                            .map(|(value, label)| {
                                view! {
                                    <option value=*value selected=entry.media_type == *value>
                                        {*label}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <FieldError error field="media_type" />
                </div>
                <TextField
                    id="entry-tags"
                    name="tags"
                    label="Tags (comma-separated)"
                    value=entry.tags.clone()
                    error
                />
                <TextField
                    id="entry-reference"
                    name="reference_id"
                    label="Reference ID"
                    value=entry.reference_id.clone()
                    error
                />
                <fieldset class="choices">
                    <legend>"Categories"</legend>
                    {if categories.is_empty() {
                        view! { <p class="hint">"The account has no categories yet."</p> }
                            .into_any()
                    } else {
                        categories
                            .into_iter()
                            .map(|c| {
                                let id = c.id;
                                let input_id = format!("entry-category-{id}");
                                view! {
                                    <div class="choice">
                                        // Ticking needs the WASM (it fills the hidden list below).
                                        <input
                                            type="checkbox"
                                            id=input_id.clone()
                                            disabled=needs_wasm
                                            prop:checked=move || chosen.get().contains(&id)
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                chosen
                                                    .update(|ids| {
                                                        ids.retain(|x| *x != id);
                                                        if on {
                                                            ids.push(id);
                                                        }
                                                    });
                                            }
                                        />
                                        <label for=input_id>{c.path}</label>
                                    </div>
                                }
                            })
                            .collect_view()
                            .into_any()
                    }}
                    <input
                        type="hidden"
                        name="categories"
                        value=join_ids(&entry.category_ids)
                        prop:value=move || join_ids(&chosen.get())
                    />
                    <FieldError error field="categories" />
                </fieldset>
                {general_error(error)}
                <ItemFormButtons what="entry" is_editing pending on_cancel />
            </ActionForm>
        </section>
    }
}
