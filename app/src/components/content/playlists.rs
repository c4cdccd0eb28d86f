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
    DeletePlaylist, PlaylistRowView, PlaylistsView, SavePlaylist, console_playlists,
};

/// The account's playlists, and a form to add one or edit the chosen one, with its
/// entries in play order.
#[component]
pub fn PlaylistsSection() -> impl IntoView {
    view! { <EditableSection kind=Playlists /> }
}

#[derive(Clone, Copy)]
struct Playlists;

impl EditableKind for Playlists {
    type Data = PlaylistsView;
    type Row = PlaylistRowView;
    type Save = SavePlaylist;
    type Delete = DeletePlaylist;
    const WHAT: &'static str = "playlist";
    const CAPTION: &'static str = "Playlists";
    const EMPTY: &'static str = "This account has no playlists yet.";
    const CONSEQUENCE: &'static str = " Its entries stay.";
    const COLUMNS: &'static [&'static str] = &["Name", "Description", "Entries, in order"];

    fn load(_: Option<i64>) -> impl Future<Output = Result<PlaylistsView, AppError>> + Send {
        console_playlists()
    }

    fn rows(data: &PlaylistsView) -> Vec<PlaylistRowView> {
        data.playlists.clone()
    }

    fn names(playlist: &PlaylistRowView) -> (i64, String, String) {
        (playlist.id, playlist.name.clone(), playlist.name.clone())
    }

    fn cells(data: &PlaylistsView) -> impl Fn(&PlaylistRowView) -> AnyView + 'static {
        // By ID: an account may hold 10,000 entries.
        let by_id: std::collections::HashMap<i64, String> = data.entries.iter().cloned().collect();
        move |playlist| {
            let names: Vec<String> = playlist
                .entry_ids
                .iter()
                .filter_map(|id| by_id.get(id).cloned())
                .collect();
            view! {
                <td>{playlist.name.clone()}</td>
                <td>{or_na(&playlist.description)}</td>
                <td>{or_na(&names.join(", "))}</td>
            }
            .into_any()
        }
    }

    fn delete(id: i64) -> DeletePlaylist {
        DeletePlaylist { id }
    }

    fn form(form: ItemForm<Self>, data: &PlaylistsView) -> AnyView {
        view! { <PlaylistForm form entries=data.entries.clone() /> }.into_any()
    }
}

/// A new playlist as typed before a refused plain form post came back in the URL.
fn typed_playlist() -> PlaylistRowView {
    let typed = typed_values();
    let get = |name: &str| typed.get(name).unwrap_or_default();
    PlaylistRowView {
        id: 0,
        name: get("name"),
        description: get("description"),
        entry_ids: split_ids(&get("entries")),
    }
}

#[component]
fn PlaylistForm(form: ItemForm<Playlists>, entries: Vec<(i64, String)>) -> impl IntoView {
    let ItemForm {
        save,
        editing,
        error,
        on_cancel,
    } = form;
    let pending = save.pending();
    let is_editing = editing.is_some();
    let playlist = editing.unwrap_or_else(typed_playlist);
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
                <input
                    type="hidden"
                    name="id"
                    value=if is_editing { playlist.id.to_string() } else { String::new() }
                />
                <TextField
                    id="playlist-name"
                    name="name"
                    label="Name"
                    required=true
                    value=playlist.name.clone()
                    error
                />
                <div class="field">
                    <label for="playlist-description">"Description"</label>
                    <textarea id="playlist-description" name="description" rows="2">
                        {playlist.description.clone()}
                    </textarea>
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
                                            <button
                                                type="button"
                                                class="secondary small"
                                                aria-label=format!("Move {name} up")
                                                disabled=move || position == 0 || needs_wasm()
                                                on:click=move |_| {
                                                    chosen.update(|ids| ids.swap(position, position - 1))
                                                }
                                            >
                                                "Up"
                                            </button>
                                            <button
                                                type="button"
                                                class="secondary small"
                                                aria-label=format!("Move {name} down")
                                                disabled=move || position + 1 == count || needs_wasm()
                                                on:click=move |_| {
                                                    chosen.update(|ids| ids.swap(position, position + 1))
                                                }
                                            >
                                                "Down"
                                            </button>
                                            <button
                                                type="button"
                                                class="secondary small"
                                                aria-label=format!("Remove {name} from the playlist")
                                                disabled=needs_wasm
                                                on:click=move |_| {
                                                    chosen
                                                        .update(|ids| {
                                                            ids.remove(position);
                                                        })
                                                }
                                            >
                                                "Remove"
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ol>
                    {if entries.is_empty() {
                        view! { <p class="hint">"The account has no entries to add yet."</p> }
                            .into_any()
                    } else {
                        view! {
                            <div class="add-row">
                                <label for="playlist-add-entry">"Entry to add"</label>
                                <select
                                    id="playlist-add-entry"
                                    on:change=move |ev| to_add.set(event_target_value(&ev))
                                >
                                    {entries
                                        .iter()
                                        .map(|(id, name)| {
                                            view! {
                                                <option value=id.to_string()>{name.clone()}</option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                                <button
                                    type="button"
                                    class="secondary"
                                    disabled=needs_wasm
                                    on:click=move |_| {
                                        if let Ok(id) = to_add.get_untracked().parse::<i64>() {
                                            chosen.update(|ids| ids.push(id));
                                        }
                                    }
                                >
                                    "Add to playlist"
                                </button>
                            </div>
                        }
                            .into_any()
                    }}
                    <input
                        type="hidden"
                        name="entries"
                        value=join_ids(&playlist.entry_ids)
                        prop:value=move || join_ids(&chosen.get())
                    />
                    <FieldError error field="entries" />
                </fieldset>
                {general_error(error)}
                <ItemFormButtons what="playlist" is_editing pending on_cancel />
            </ActionForm>
        </section>
    }
}
