use leptos::prelude::*;

use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::hydrated::needs_wasm;
use crate::error::AppError;
use crate::server_fns::content::{ExportContent, ImportContent};

/// Export the account's whole content as a JSON bundle, or replace it with one.
#[component]
pub fn BundleSection() -> impl IntoView {
    let export = ServerAction::<ExportContent>::new();
    let import = ServerAction::<ImportContent>::new();
    let text = RwSignal::new(String::new());
    let confirming = RwSignal::new(false);
    let exported = move || export.value().get().and_then(Result::ok);
    let import_error = Signal::derive(move || import.value().get().and_then(Result::err));
    // Whatever the answer, the question is over; a refusal is listed below the form.
    Effect::new(move |_| {
        if import.value().get().is_some() {
            confirming.set(false);
        }
    });

    let waiting_for_wasm = needs_wasm();
    view! {
        <section class="card" aria-labelledby="export-title">
            <h2 id="export-title">"Export content"</h2>
            <p>
                "The account's entries, categories, roles, profiles, schemas, players, playlists and feature permissions, as one JSON document."
            </p>
            <button
                type="button"
                class="primary"
                aria-busy=move || export.pending().get().to_string()
                disabled=move || export.pending().get() || waiting_for_wasm()
                on:click=move |_| {
                    export.dispatch(ExportContent {});
                }
            >
                "Export content"
            </button>
            {move || {
                export
                    .value()
                    .get()
                    .and_then(Result::err)
                    .map(|e| {
                        view! {
                            <p class="form-error" role="alert">
                                {e.to_string()}
                            </p>
                        }
                    })
            }}
            {move || {
                exported()
                    .map(|json| {
                        let href = format!(
                            "data:application/json;charset=utf-8,{}",
                            crate::list_params::percent_encode(&json),
                        );
                        view! {
                            <div class="field">
                                <label for="exported-bundle">"Exported bundle"</label>
                                <textarea id="exported-bundle" readonly rows="10">
                                    {json}
                                </textarea>
                            </div>
                            <a href=href download="content-bundle.json">
                                "Download the bundle"
                            </a>
                        }
                    })
            }}
        </section>
        <section class="card" aria-labelledby="import-title">
            <h2 id="import-title">"Import content"</h2>
            <p>
                "Replaces all of this account's content with a bundle's. The bundle is checked whole first; if anything in it is wrong, nothing changes."
            </p>
            <div class="field">
                <label for="import-bundle">"Bundle to import"</label>
                <textarea
                    id="import-bundle"
                    rows="10"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                ></textarea>
            </div>
            <button
                type="button"
                class="danger"
                disabled=move || text.get().trim().is_empty() || waiting_for_wasm()
                on:click=move |_| {
                    import.value().set(None);
                    confirming.set(true);
                }
            >
                "Import content"
            </button>
            {move || {
                import
                    .value()
                    .get()
                    .and_then(Result::ok)
                    .map(|counts| {
                        let summary: Vec<String> = counts
                            .by_kind()
                            .map(|(kind, count)| format!("{count} {}", kind.label()))
                            .collect();
                        view! {
                            <p class="notice" role="status">
                                {format!("Imported: {}.", summary.join(", "))}
                            </p>
                        }
                    })
            }}
            {move || {
                import_error
                    .get()
                    .filter(|_| !confirming.get())
                    .map(|e| view! { <ImportErrors error=e /> })
            }}
        </section>
        <Show when=move || confirming.get()>
            <ConfirmDialog
                title="Replace all content?".to_owned()
                message="Everything this account has now (entries, categories, playlists and the rest) will be replaced by the bundle's content."
                    .to_owned()
                confirm_label="Replace content".to_owned()
                pending=import.pending()
                error=Signal::derive(|| None::<String>)
                on_confirm=Callback::new(move |_| {
                    import
                        .dispatch(ImportContent {
                            bundle: text.get_untracked(),
                        });
                })
                on_cancel=Callback::new(move |_| confirming.set(false))
            />
        </Show>
    }
}

/// A refused bundle's problems, each naming its item.
#[component]
fn ImportErrors(error: AppError) -> impl IntoView {
    match error {
        AppError::Invalid(problems) => view! {
            <div class="form-error" role="alert">
                <p>"The bundle was not imported; nothing changed:"</p>
                <ul>
                    {problems
                        .into_iter()
                        .map(|p| view! { <li>{format!("{}: {}", p.field, p.message)}</li> })
                        .collect_view()}
                </ul>
            </div>
        }
        .into_any(),
        other => view! {
            <p class="form-error" role="alert">
                {other.to_string()}
            </p>
        }
        .into_any(),
    }
}
