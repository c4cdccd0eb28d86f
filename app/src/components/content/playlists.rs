use leptos::prelude::*;

use crate::api::content::{DeletePlaylist, PlaylistRowView, SavePlaylist, console_playlists};
use crate::components::content::{
    ConfirmDelete, ItemActions, ItemFormButtons, general_error, join_ids, or_na, split_ids,
    typed_values,
};
use crate::components::field_error::FieldError;
use crate::components::hydrated::needs_wasm;
use crate::components::return_here::ReturnHere;
use crate::components::text_field::TextField;
use crate::error::AppError;

/// The account's playlists, and a form to add one or edit the chosen one, with its
/// entries in play order.
#[component]
pub fn PlaylistsSection() -> impl IntoView {
    let save = ServerAction::<SavePlaylist>::new();
    let delete = ServerAction::<DeletePlaylist>::new();
    // Reloaded after a change succeeded only: a refused save keeps the form as typed.
    let changed = RwSignal::new(0_u32);
    let data = Resource::new(move || changed.get(), |_| console_playlists());
    let editing = RwSignal::new(None::<PlaylistRowView>);
    let deleting = RwSignal::new(None::<(i64, String)>);
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let typed = StoredValue::new({
        let typed = typed_values();
        let get = |name: &str| typed.get(name).unwrap_or_default();
        PlaylistRowView {
            id: 0,
            name: get("name"),
            description: get("description"),
            entry_ids: split_ids(&get("entries")),
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
                    let entries = data.entries.clone();
                    let names = {
                        // By ID: an account may hold 10,000 entries.
                        let by_id: std::collections::HashMap<i64, String> = entries.iter().cloned().collect();
                        move |ids: &[i64]| {
                            let names: Vec<String> = ids.iter().filter_map(|id| by_id.get(id).cloned()).collect();
                            or_na(&names.join(", "))
                        }
                    };
                    let playlists = data.playlists.clone();
                    view! {
                        {if playlists.is_empty() {
                            view! { <p>"This account has no playlists yet."</p> }.into_any()
                        } else {
                            view! {
                                <table>
                                    <caption>"Playlists"</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">"Name"</th>
                                            <th scope="col">"Description"</th>
                                            <th scope="col">"Entries, in order"</th>
                                            <th scope="col">"Actions"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {playlists
                                            .into_iter()
                                            .map(|playlist| {
                                                let edit = playlist.clone();
                                                let (id, name) = (playlist.id, playlist.name.clone());
                                                view! {
                                                    <tr>
                                                        <td>{playlist.name.clone()}</td>
                                                        <td>{or_na(&playlist.description)}</td>
                                                        <td>{names(&playlist.entry_ids)}</td>
                                                        <ItemActions label=playlist.name.clone()
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
                        {move || view! { <PlaylistForm save editing=editing.get() typed=typed.get_value() entries=entries.clone() error on_cancel=Callback::new(move |_| editing.set(None)) /> }}
                    }
                        .into_any()
                })}
            </Transition>
            <ConfirmDelete
                target=deleting
                what="playlist"
                consequence=" Its entries stay."
                pending=delete.pending()
                error=Signal::derive(move || delete.value().get().and_then(Result::err).map(|e| e.to_string()))
                on_confirm=Callback::new(move |id| { delete.dispatch(DeletePlaylist { id }); })
                on_cancel=Callback::new(move |_| delete.value().set(None))
            />
        }
}

#[component]
fn PlaylistForm(
    save: ServerAction<SavePlaylist>,
    editing: Option<PlaylistRowView>,
    /// A new playlist as typed before a refused plain form post.
    typed: PlaylistRowView,
    entries: Vec<(i64, String)>,
    error: Signal<Option<AppError>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let pending = save.pending();
    let is_editing = editing.is_some();
    let playlist = editing.unwrap_or(typed);
    let needs_wasm = needs_wasm();
    let title = if is_editing {
        format!("Edit playlist {}", playlist.name)
    } else {
        "Add playlist".to_owned()
    };
    let chosen = RwSignal::new(playlist.entry_ids.clone());
    let to_add = RwSignal::new(
        entries
            .first()
            .map(|(id, _)| id.to_string())
            .unwrap_or_default(),
    );
    let name_of = {
        let entries = entries.clone();
        move |id: i64| {
            entries
                .iter()
                .find(|(e, _)| *e == id)
                .map(|(_, n)| n.clone())
                .unwrap_or_default()
        }
    };
    view! {
        <section class="card item-form" aria-labelledby="playlist-form-title">
            <h2 id="playlist-form-title">{title}</h2>
            <ActionForm action=save attr:novalidate=true>
                <ReturnHere keep="name,description,entries" />
                <input type="hidden" name="id" value=if is_editing { playlist.id.to_string() } else { String::new() } />
                <TextField id="playlist-name" name="name" label="Name" required=true value=playlist.name.clone() error />
                <div class="field">
                    <label for="playlist-description">"Description"</label>
                    <textarea id="playlist-description" name="description" rows="2">{playlist.description.clone()}</textarea>
                    <FieldError error field="description" />
                </div>
                <fieldset class="choices">
                    <legend>"Entries, in play order"</legend>
                    <ol aria-label="Playlist entries">
                        {move || {
                            let ids = chosen.get();
                            let count = ids.len();
                            ids.into_iter()
                                .enumerate()
                                .map(|(position, id)| {
                                    let name = name_of(id);
                                    view! {
                                        <li>
                                            <span>{name.clone()}</span>
                                            <button type="button" class="secondary small" aria-label=format!("Move {name} up")
                                                disabled=move || position == 0 || needs_wasm()
                                                on:click=move |_| chosen.update(|ids| ids.swap(position, position - 1))>"Up"</button>
                                            <button type="button" class="secondary small" aria-label=format!("Move {name} down")
                                                disabled=move || position + 1 == count || needs_wasm()
                                                on:click=move |_| chosen.update(|ids| ids.swap(position, position + 1))>"Down"</button>
                                            <button type="button" class="secondary small" aria-label=format!("Remove {name} from the playlist")
                                                disabled=needs_wasm
                                                on:click=move |_| chosen.update(|ids| { ids.remove(position); })>"Remove"</button>
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ol>
                    {if entries.is_empty() {
                        view! { <p class="hint">"The account has no entries to add yet."</p> }.into_any()
                    } else {
                        view! {
                            <div class="add-row">
                                <label for="playlist-add-entry">"Entry to add"</label>
                                <select id="playlist-add-entry" on:change=move |ev| to_add.set(event_target_value(&ev))>
                                    {entries.iter().map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> }).collect_view()}
                                </select>
                                <button type="button" class="secondary" disabled=needs_wasm on:click=move |_| {
                                    if let Ok(id) = to_add.get_untracked().parse::<i64>() {
                                        chosen.update(|ids| ids.push(id));
                                    }
                                }>"Add to playlist"</button>
                            </div>
                        }
                            .into_any()
                    }}
                    <input type="hidden" name="entries" value=join_ids(&playlist.entry_ids) prop:value=move || join_ids(&chosen.get()) />
                    <FieldError error field="entries" />
                </fieldset>
                {general_error(error)}
                <ItemFormButtons what="playlist" is_editing pending on_cancel />
            </ActionForm>
        </section>
    }
}
