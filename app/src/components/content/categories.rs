use leptos::prelude::*;

/// Deeper categories are indented as this deep (the "Under" column names the parent).
/// Classes, not inline styles: the Content-Security-Policy allows no inline style.
const MAX_INDENT: usize = 8;

use crate::api::content::{CategoryView, DeleteCategory, SaveCategory, console_categories};
use crate::components::content::{ConfirmDelete, ItemActions, ItemFormButtons, general_error};
use crate::components::field_error::FieldError;
use crate::components::return_here::ReturnHere;
use crate::components::text_field::TextField;
use crate::error::AppError;

/// The account's category tree, and a form to add a category or rename and move one.
#[component]
pub fn CategoriesSection() -> impl IntoView {
    let save = ServerAction::<SaveCategory>::new();
    let delete = ServerAction::<DeleteCategory>::new();
    // Reloaded after a change succeeded only: a refused save keeps the form as typed.
    let changed = RwSignal::new(0_u32);
    let data = Resource::new(move || changed.get(), |_| console_categories());
    let editing = RwSignal::new(None::<CategoryView>);
    let deleting = RwSignal::new(None::<(i64, String)>);
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    // After a refused plain form post, what was typed comes back in the URL.
    let typed = StoredValue::new({
        let query = crate::components::content::typed_values();
        (
            query.get("name").unwrap_or_default(),
            query.get("parent").and_then(|p| p.parse::<i64>().ok()),
        )
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
                    let categories = match data.await {
                        Ok(categories) => categories,
                        Err(e) => return view! { <p role="alert" class="form-error">{e.to_string()}</p> }.into_any(),
                    };
                    let all = categories.clone();
                    view! {
                        {if categories.is_empty() {
                            view! { <p>"This account has no categories yet."</p> }.into_any()
                        } else {
                            view! {
                                <table>
                                    <caption>"Categories"</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">"Name"</th>
                                            <th scope="col">"Under"</th>
                                            <th scope="col">"Actions"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {categories
                                            .into_iter()
                                            .map(|category| {
                                                let edit = category.clone();
                                                let (id, name) = (category.id, category.name.clone());
                                                view! {
                                                    <tr>
                                                        <td class=format!("tree-depth-{}", category.depth.min(MAX_INDENT))>{category.name.clone()}</td>
                                                        <td>{category.path.clone()}</td>
                                                        <ItemActions label=category.path.clone()
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
                        {move || view! { <CategoryForm save editing=editing.get() typed=typed.get_value() all=all.clone() error on_cancel=Callback::new(move |_| editing.set(None)) /> }}
                    }
                        .into_any()
                })}
            </Transition>
            <ConfirmDelete
                target=deleting
                what="category"
                consequence=" Its subcategories go with it; its entries stay."
                pending=delete.pending()
                error=Signal::derive(move || delete.value().get().and_then(Result::err).map(|e| e.to_string()))
                on_confirm=Callback::new(move |id| { delete.dispatch(DeleteCategory { id }); })
                on_cancel=Callback::new(move |_| delete.value().set(None))
            />
        }
}

#[component]
fn CategoryForm(
    save: ServerAction<SaveCategory>,
    editing: Option<CategoryView>,
    /// A new category's name and parent as typed before a refused plain form post.
    typed: (String, Option<i64>),
    all: Vec<CategoryView>,
    error: Signal<Option<AppError>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let pending = save.pending();
    let (title, id, name, parent) = match &editing {
        Some(c) => (
            format!("Edit category {}", c.path),
            c.id.to_string(),
            c.name.clone(),
            c.parent_id,
        ),
        None => ("Add category".to_owned(), String::new(), typed.0, typed.1),
    };
    let is_editing = editing.is_some();
    view! {
        <section class="card item-form" aria-labelledby="category-form-title">
            <h2 id="category-form-title">{title}</h2>
            <ActionForm action=save attr:novalidate=true>
                <ReturnHere keep="name,parent" />
                <input type="hidden" name="id" value=id />
                <TextField id="category-name" name="name" label="Name" required=true value=name error />
                <div class="field">
                    <label for="category-parent">"Parent category"</label>
                    <select id="category-parent" name="parent">
                        <option value="" selected=parent.is_none()>"None (top level)"</option>
                        {all
                            .into_iter()
                            .map(|c| view! { <option value=c.id.to_string() selected=parent == Some(c.id)>{c.path}</option> })
                            .collect_view()}
                    </select>
                    <FieldError error field="parent" />
                </div>
                {general_error(error)}
                <ItemFormButtons what="category" is_editing pending on_cancel />
            </ActionForm>
        </section>
    }
}
