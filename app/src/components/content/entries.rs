use leptos::prelude::*;

use crate::api::content::{DeleteEntry, EntryRowView, SaveEntry, console_entries};
use crate::components::content::{
    ConfirmDelete, ItemActions, ItemFormButtons, general_error, join_ids, or_na, split_ids,
    typed_values,
};
use crate::components::field_error::FieldError;
use crate::components::hydrated::needs_wasm;
use crate::components::return_here::ReturnHere;
use crate::components::text_field::TextField;
use crate::error::AppError;

const MEDIA_TYPES: [(&str, &str); 3] = [("video", "Video"), ("audio", "Audio"), ("image", "Image")];

/// The account's entries, and a form to add one or edit the chosen one.
#[component]
pub fn EntriesSection() -> impl IntoView {
    let save = ServerAction::<SaveEntry>::new();
    let delete = ServerAction::<DeleteEntry>::new();
    // Reloaded after a change succeeded only: a refused save keeps the form as typed.
    let changed = RwSignal::new(0_u32);
    // The page shown: after this entry (None: the first page).
    let after = RwSignal::new(None::<i64>);
    let data = Resource::new(
        move || (changed.get(), after.get()),
        |(_, after)| console_entries(after),
    );
    let waiting_for_wasm = needs_wasm();
    let editing = RwSignal::new(None::<EntryRowView>);
    let deleting = RwSignal::new(None::<(i64, String)>);
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let typed = StoredValue::new({
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
    });
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

    view! {
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let data = match data.await {
                        Ok(data) => data,
                        Err(e) => return view! { <p role="alert" class="form-error">{e.to_string()}</p> }.into_any(),
                    };
                    // By ID: an account may hold 10,000 categories.
                    let paths: std::collections::HashMap<i64, String> =
                        data.categories.iter().map(|c| (c.id, c.path.clone())).collect();
                    let category_names = move |ids: &[i64]| {
                        let names: Vec<_> = ids.iter().filter_map(|id| paths.get(id).cloned()).collect();
                        or_na(&names.join("; "))
                    };
                    let next = data.next;
                    let pager = view! {
                        <nav class="pager" aria-label="Entries pages">
                            {move || after.get().is_some().then(|| view! {
                                <button type="button" class="secondary" disabled=waiting_for_wasm
                                    on:click=move |_| after.set(None)>"First page"</button>
                            })}
                            {next.map(|next| view! {
                                <button type="button" class="secondary" disabled=waiting_for_wasm
                                    on:click=move |_| after.set(Some(next))>"Next page"</button>
                            })}
                        </nav>
                    };
                    let rows = data.entries.clone();
                    let form_categories = data.categories.clone();
                    view! {
                        {if rows.is_empty() {
                            view! { <p>"This account has no entries yet."</p> }.into_any()
                        } else {
                            view! {
                                <table>
                                    <caption>"Entries"</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">"Name"</th>
                                            <th scope="col">"Media Type"</th>
                                            <th scope="col">"Tags"</th>
                                            <th scope="col">"Categories"</th>
                                            <th scope="col">"Reference ID"</th>
                                            <th scope="col">"Actions"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {rows
                                            .into_iter()
                                            .map(|entry| {
                                                let edit = entry.clone();
                                                let (id, name) = (entry.id, entry.name.clone());
                                                view! {
                                                    <tr>
                                                        <td>{entry.name.clone()}</td>
                                                        <td>{entry.media_type.clone()}</td>
                                                        <td>{or_na(&entry.tags)}</td>
                                                        <td>{category_names(&entry.category_ids)}</td>
                                                        <td>{or_na(&entry.reference_id)}</td>
                                                        <ItemActions label=entry.name.clone()
        on_edit=Callback::new(move |_| { save.value().set(None); editing.set(Some(edit.clone())); })
        on_delete=Callback::new(move |_| deleting.set(Some((id, name.clone()))))
    />
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            }
                                .into_any()
                        }}
                        {pager}
                        {move || view! { <EntryForm save editing=editing.get() typed=typed.get_value() categories=form_categories.clone() error on_cancel=Callback::new(move |_| editing.set(None)) /> }}
                    }
                        .into_any()
                })}
            </Transition>
            <ConfirmDelete
                target=deleting
                what="entry"
                consequence=" It leaves its categories and playlists."
                pending=delete.pending()
                error=Signal::derive(move || delete.value().get().and_then(Result::err).map(|e| e.to_string()))
                on_confirm=Callback::new(move |id| { delete.dispatch(DeleteEntry { id }); })
                on_cancel=Callback::new(move |_| delete.value().set(None))
            />
        }
}

#[component]
fn EntryForm(
    save: ServerAction<SaveEntry>,
    editing: Option<EntryRowView>,
    /// A new entry as typed before a refused plain form post.
    typed: EntryRowView,
    categories: Vec<crate::api::content::CategoryView>,
    error: Signal<Option<AppError>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let pending = save.pending();
    let title = match &editing {
        Some(e) => format!("Edit entry {}", e.name),
        None => "Add entry".to_owned(),
    };
    let entry = editing.clone().unwrap_or(typed);
    let needs_wasm = needs_wasm();
    let chosen = RwSignal::new(entry.category_ids.clone());
    let is_editing = editing.is_some();
    view! {
        <section class="card item-form" aria-labelledby="entry-form-title">
            <h2 id="entry-form-title">{title}</h2>
            <ActionForm action=save attr:novalidate=true>
                <ReturnHere keep="name,description,media_type,tags,reference_id,categories" />
                <input type="hidden" name="id" value=if is_editing { entry.id.to_string() } else { String::new() } />
                <TextField id="entry-name" name="name" label="Name" required=true value=entry.name.clone() error />
                <div class="field">
                    <label for="entry-description">"Description"</label>
                    <textarea id="entry-description" name="description" rows="3">{entry.description.clone()}</textarea>
                    <FieldError error field="description" />
                </div>
                <div class="field">
                    <label for="entry-media-type">"Media Type"</label>
                    <select id="entry-media-type" name="media_type">
                        {MEDIA_TYPES
                            .iter()
                            .map(|(value, label)| view! { <option value=*value selected=entry.media_type == *value>{*label}</option> })
                            .collect_view()}
                    </select>
                    <FieldError error field="media_type" />
                </div>
                <TextField id="entry-tags" name="tags" label="Tags (comma-separated)" value=entry.tags.clone() error />
                <TextField id="entry-reference" name="reference_id" label="Reference ID" value=entry.reference_id.clone() error />
                <fieldset class="choices">
                    <legend>"Categories"</legend>
                    {if categories.is_empty() {
                        view! { <p class="hint">"The account has no categories yet."</p> }.into_any()
                    } else {
                        categories
                            .into_iter()
                            .map(|c| {
                                let id = c.id;
                                let input_id = format!("entry-category-{id}");
                                view! {
                                    <div class="choice">
                                        // Ticking needs the WASM (it fills the hidden list below).
                                        <input type="checkbox" id=input_id.clone()
                                            disabled=needs_wasm
                                            prop:checked=move || chosen.get().contains(&id)
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                chosen.update(|ids| {
                                                    ids.retain(|x| *x != id);
                                                    if on { ids.push(id); }
                                                });
                                            } />
                                        <label for=input_id>{c.path}</label>
                                    </div>
                                }
                            })
                            .collect_view()
                            .into_any()
                    }}
                    <input type="hidden" name="categories" value=join_ids(&entry.category_ids) prop:value=move || join_ids(&chosen.get()) />
                    <FieldError error field="categories" />
                </fieldset>
                {general_error(error)}
                <ItemFormButtons what="entry" is_editing pending on_cancel />
            </ActionForm>
        </section>
    }
}
