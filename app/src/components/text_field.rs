use leptos::prelude::*;

use crate::components::field_error::FieldError;
use crate::error::AppError;

/// A labelled input, with the server's message for it shown beside it.
#[component]
pub fn TextField(
    /// The input's id (the label points at it).
    #[prop(into)]
    id: String,
    /// The form field's name, which is also the name the server's errors use.
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    /// Shows a "*" beside the label: for forms that mix required and optional fields.
    #[prop(optional)]
    mark_required: bool,
    /// The last answer of the form's server function, if it reports field errors.
    #[prop(optional, into)]
    error: Option<Signal<Option<AppError>>>,
    /// The value the field starts with (editing an existing item).
    #[prop(optional, into)]
    value: Option<String>,
) -> impl IntoView {
    let has_error = move || {
        error
            .and_then(|e| e.get())
            .and_then(|e| e.field(name))
            .is_some()
    };
    view! {
        <div class="field">
            // The mark stays outside the label, so the field's name is the label alone;
            // `required` tells assistive technology.
            <div class="label-row">
                <label for=id.clone()>{label}</label>
                {mark_required
                    .then(|| {
                        view! {
                            <span class="required" aria-hidden="true">
                                "*"
                            </span>
                        }
                    })}
            </div>
            <input
                id=id
                name=name
                type=kind
                value=value
                autocomplete=autocomplete
                required=required
                aria-required=required.then_some("true")
                aria-invalid=move || error.map(|_| has_error().to_string())
                aria-describedby=error.map(|_| format!("{name}-error"))
            />
            {error.map(|error| view! { <FieldError error field=name /> })}
        </div>
    }
}
