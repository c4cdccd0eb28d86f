use leptos::prelude::*;

/// Deeper categories are indented as this deep (the "Under" column names the parent).
/// Classes, not inline styles: the Content-Security-Policy allows no inline style.
const MAX_INDENT: usize = 8;

use crate::components::content::section::{EditableKind, EditableSection, ItemForm};
use crate::components::content::{ItemFormButtons, general_error};
use crate::components::field_error::FieldError;
use crate::components::return_here::ReturnHere;
use crate::components::text_field::TextField;
use crate::error::AppError;
use crate::server_fns::content::{CategoryView, DeleteCategory, SaveCategory, console_categories};

/// The account's category tree, and a form to add a category or rename and move one.
#[component]
pub fn CategoriesSection() -> impl IntoView {
    view! { <EditableSection kind=Categories /> }
}

#[derive(Clone, Copy)]
struct Categories;

impl EditableKind for Categories {
    type Data = Vec<CategoryView>;
    type Row = CategoryView;
    type Save = SaveCategory;
    type Delete = DeleteCategory;
    const WHAT: &'static str = "category";
    const CAPTION: &'static str = "Categories";
    const EMPTY: &'static str = "This account has no categories yet.";
    const CONSEQUENCE: &'static str = " Its subcategories go with it; its entries stay.";
    const COLUMNS: &'static [&'static str] = &["Name", "Under"];

    fn load(_: Option<i64>) -> impl Future<Output = Result<Vec<CategoryView>, AppError>> + Send {
        console_categories()
    }

    fn rows(data: &Vec<CategoryView>) -> Vec<CategoryView> {
        data.clone()
    }

    fn names(category: &CategoryView) -> (i64, String, String) {
        (category.id, category.name.clone(), category.path.clone())
    }

    fn cells(_: &Vec<CategoryView>) -> impl Fn(&CategoryView) -> AnyView + 'static {
        |category| {
            view! {
                <td class=format!(
                    "tree-depth-{}",
                    category.depth.min(MAX_INDENT),
                )>{category.name.clone()}</td>
                <td>{category.path.clone()}</td>
            }
            .into_any()
        }
    }

    fn delete(id: i64) -> DeleteCategory {
        DeleteCategory { id }
    }

    fn form(form: ItemForm<Self>, data: &Vec<CategoryView>) -> AnyView {
        view! { <CategoryForm form all=data.clone() /> }.into_any()
    }
}

#[component]
fn CategoryForm(form: ItemForm<Categories>, all: Vec<CategoryView>) -> impl IntoView {
    let ItemForm {
        save,
        editing,
        error,
        on_cancel,
    } = form;
    let pending = save.pending();
    // After a refused plain form post, what was typed comes back in the URL.
    let typed = {
        let query = crate::components::content::typed_values();
        (
            query.get("name").unwrap_or_default(),
            query.get("parent").and_then(|p| p.parse::<i64>().ok()),
        )
    };
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
                <TextField
                    id="category-name"
                    name="name"
                    label="Name"
                    required=true
                    value=name
                    error
                />
                <div class="field">
                    <label for="category-parent">"Parent category"</label>
                    <select id="category-parent" name="parent">
                        <option value="" selected=parent.is_none()>
                            "None (top level)"
                        </option>
                        {all
                            .into_iter()
                            .map(|c| {
                                view! {
                                    <option value=c.id.to_string() selected=parent == Some(c.id)>
                                        {c.path}
                                    </option>
                                }
                            })
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
