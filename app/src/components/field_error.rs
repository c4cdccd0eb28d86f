use leptos::prelude::*;

use crate::error::AppError;

/// The message for one field, shown beside it, from a server function's error.
#[component]
pub fn FieldError(
    #[prop(into)] error: Signal<Option<AppError>>,
    field: &'static str,
) -> impl IntoView {
    move || {
        error.get().and_then(|e| e.field(field)).map(|message| {
            view! {
                <p class="field-error" id=format!("{field}-error") role="alert">
                    {message}
                </p>
            }
        })
    }
}

/// Shows a server function's error that is not about one field (those are shown
/// beside their fields).
pub fn general_error(error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error
            .get()
            .filter(|e| !matches!(e, AppError::Invalid(_)))
            .map(|e| {
                view! {
                    <p class="form-error" role="alert">
                        {e.to_string()}
                    </p>
                }
            })
    }
}
