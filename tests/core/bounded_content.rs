//! Categories nest at most 32 levels, wherever they come from (the console, an
//! import, a template copy), and a subtree of any allowed size deletes on both
//! databases without leaning on recursive cascades.

use umbrella::audit::AuditContext;
use umbrella::content::AccountUser;
use umbrella::domain::CategoryId;
use umbrella::domain::content::{Bundle, CategoryForm, MAX_CATEGORY_DEPTH};
use umbrella::{Error, Umbrella};

use crate::support::*;

fn category(name: &str, parent: Option<CategoryId>) -> CategoryForm {
    CategoryForm {
        name: name.to_owned(),
        parent,
    }
}

/// A bundle of one chain of categories, `levels` deep.
fn chain(levels: usize, name: impl Fn(usize) -> String) -> String {
    let categories: Vec<serde_json::Value> = (0..levels)
        .map(|i| {
            let parent = (i > 0).then(|| format!("c{}", i - 1));
            serde_json::json!({ "key": format!("c{i}"), "name": name(i), "parent": parent })
        })
        .collect();
    serde_json::json!({ "format": "umbrella-content/1", "categories": categories }).to_string()
}

fn field_messages(error: Error) -> Vec<(String, String)> {
    match error {
        Error::Invalid(fields) => fields.into_iter().map(|f| (f.field, f.message)).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

async fn owner(umbrella: &Umbrella) -> AccountUser {
    crate::content::console_user(umbrella, "deep", "tree").await
}

async fn the_console_refuses_the_33rd_level(umbrella: &Umbrella) {
    let user = owner(umbrella).await;
    let mut parent = None;
    let mut ids = Vec::new();
    for level in 1..=MAX_CATEGORY_DEPTH {
        let id = umbrella
            .save_category(
                &AuditContext::unrecorded(),
                &user,
                None,
                &category(&format!("Level {level}"), parent),
            )
            .await
            .unwrap();
        ids.push(id);
        parent = Some(id);
    }
    let refused = umbrella
        .save_category(
            &AuditContext::unrecorded(),
            &user,
            None,
            &category("One too deep", parent),
        )
        .await
        .unwrap_err();
    let messages = field_messages(refused);
    assert_eq!(messages[0].0, "parent");
    assert!(
        messages[0].1.contains("\"One too deep\"") && messages[0].1.contains("at most 32 levels"),
        "{messages:?}"
    );
    // Moving a subtree under another chain counts the levels below it too.
    let side = umbrella
        .save_category(
            &AuditContext::unrecorded(),
            &user,
            None,
            &category("Side", None),
        )
        .await
        .unwrap();
    let side_child = umbrella
        .save_category(
            &AuditContext::unrecorded(),
            &user,
            None,
            &category("Side child", Some(side)),
        )
        .await
        .unwrap();
    let refused = umbrella
        .save_category(
            &AuditContext::unrecorded(),
            &user,
            Some(side),
            &category("Side", Some(ids[30])),
        )
        .await
        .unwrap_err();
    assert!(field_messages(refused)[0].1.contains("33 levels deep"));
    // One level fewer fits.
    umbrella
        .save_category(
            &AuditContext::unrecorded(),
            &user,
            Some(side),
            &category("Side", Some(ids[29])),
        )
        .await
        .unwrap();
    // The whole chain, 32 levels and the side branch, goes in one delete.
    umbrella
        .delete_category(&AuditContext::unrecorded(), &user, ids[0])
        .await
        .unwrap();
    let left = umbrella.list_categories(&user).await.unwrap();
    assert!(left.is_empty(), "{left:?}");
    let _ = side_child;
}

async fn imports_and_copies_refuse_deeper_trees(umbrella: &Umbrella) {
    let user = owner(umbrella).await;
    // A long name (100 characters is allowed) is quoted cut to 80.
    let long = "N".repeat(100);
    let refused = umbrella
        .import_content(
            &AuditContext::unrecorded(),
            &user,
            &chain(MAX_CATEGORY_DEPTH + 1, |i| {
                if i == MAX_CATEGORY_DEPTH {
                    long.clone()
                } else {
                    format!("C{i}")
                }
            }),
        )
        .await
        .unwrap_err();
    let messages = field_messages(refused);
    assert_eq!(messages.len(), 1, "only the one category past the limit");
    let (field, message) = &messages[0];
    assert!(field.starts_with("categories[32]"), "{field}");
    assert!(message.contains("at most 32 levels"), "{message}");
    assert!(
        message.contains(&format!("\"{}…\"", "N".repeat(80))),
        "{message}"
    );
    assert!(!message.contains(&"N".repeat(81)));
    // A chain of 10,000 is refused as quickly: each walk stops at the limit.
    let started = std::time::Instant::now();
    let refused = umbrella
        .import_content(
            &AuditContext::unrecorded(),
            &user,
            &chain(10_000, |i| format!("C{i}")),
        )
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::Invalid(_)));
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    // Exactly 32 levels import, list and delete.
    umbrella
        .import_content(
            &AuditContext::unrecorded(),
            &user,
            &chain(MAX_CATEGORY_DEPTH, |i| format!("C{i}")),
        )
        .await
        .unwrap();
    let listed = umbrella.list_categories(&user).await.unwrap();
    assert_eq!(listed.len(), MAX_CATEGORY_DEPTH);
    let root = listed.iter().find(|c| c.parent_id.is_none()).unwrap().id;
    umbrella
        .delete_category(&AuditContext::unrecorded(), &user, root)
        .await
        .unwrap();
    assert!(umbrella.list_categories(&user).await.unwrap().is_empty());
    // A re-import over a full chain clears it leaves first.
    umbrella
        .import_content(
            &AuditContext::unrecorded(),
            &user,
            &chain(MAX_CATEGORY_DEPTH, |i| format!("C{i}")),
        )
        .await
        .unwrap();
    umbrella
        .import_content(
            &AuditContext::unrecorded(),
            &user,
            &Bundle::empty().to_json(),
        )
        .await
        .unwrap();
    assert!(umbrella.list_categories(&user).await.unwrap().is_empty());
}

async fn a_template_deeper_than_the_limit_is_not_copied(umbrella: &Umbrella) {
    let (_, _, admin) = org_with_admin(umbrella, "Deep", "boss@deep.example", 5).await;
    let template = new_child(umbrella, &admin, "Deep template", "t@deep.example").await;
    // Written past the limit behind the core's back, as data from before it could be.
    let pool = umbrella.db().pool();
    let mut parent: Option<i64> = None;
    for level in 0..=MAX_CATEGORY_DEPTH {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO categories (account_id, parent_id, name) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(template.get())
        .bind(parent)
        .bind(format!("L{level}"))
        .fetch_one(pool)
        .await
        .unwrap();
        parent = Some(id);
    }
    umbrella
        .set_template(&AuditContext::unrecorded(), template, true)
        .await
        .unwrap();
    let mut form = account_form("Copy", "copy@deep.example");
    form.template = Some(template);
    let refused = umbrella
        .create_account(&AuditContext::unrecorded(), &admin, &form)
        .await
        .unwrap_err();
    let messages = field_messages(refused);
    assert_eq!(messages[0].0, "template");
    assert!(
        messages[0].1.contains("\"L32\" 33 levels deep"),
        "{messages:?}"
    );
    // Nothing was taken: no quota place (the template itself takes none).
    assert_eq!(umbrella.account_quota(&admin).await.unwrap().in_use, 0);
}

umbrella::test_on_both_databases!(
    the_console_refuses_the_33rd_level,
    imports_and_copies_refuse_deeper_trees,
    a_template_deeper_than_the_limit_is_not_copied,
);
