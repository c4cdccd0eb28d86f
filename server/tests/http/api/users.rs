//! The API's Users tab: the parent's users, with the console's rules.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{api, org_and_token, token_for};
use crate::support::*;

fn new_user(email: &str, role: &str) -> Value {
    json!({"email": email, "first_name": "Lee", "last_name": "Park", "role": role,
           "publisher_user_id": "LP-7"})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reseller_manages_the_parents_users_by_the_consoles_rules() {
    let app = TestApp::new().await;
    let (parent, token) = org_and_token(&app, "boss@net.example", "read_write").await;
    let token = Some(token.as_str());
    // The parent's own CMS roles are roles its users may have: import some.
    let (status, _, _) = api(
        &app,
        "PUT",
        &format!("/api/v1/accounts/{parent}/content"),
        token,
        Some(serde_json::to_value(umbrella::templates::starter_content()).unwrap()),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    let (status, list, _) = api(&app, "GET", "/api/v1/users", token, None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(
        (list["in_use"].as_i64(), list["quota"].as_i64()),
        (Some(1), Some(3))
    );
    assert_eq!(list["available"], 2);
    let owner = &list["users"][0];
    assert_eq!(owner["email"], "boss@net.example");
    assert_eq!(
        (owner["is_owner"].as_bool(), owner["status"].as_str()),
        (Some(true), Some("active"))
    );
    let owner_id = owner["id"].as_i64().unwrap();
    let roles: Vec<String> = serde_json::from_value(list["roles"].clone()).unwrap();
    assert!(
        roles.contains(&"Publisher Administrator".to_owned()),
        "{roles:?}"
    );
    let other_role = roles
        .iter()
        .find(|r| *r != "Publisher Administrator")
        .expect("the parent has a role besides Publisher Administrator")
        .clone();

    let (status, added, _) = api(
        &app,
        "POST",
        "/api/v1/users",
        token,
        Some(new_user("lee@net.example", "Publisher Administrator")),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    let lee = added["user"]["id"].as_i64().unwrap();
    assert_eq!(added["user"]["publisher_user_id"], "LP-7");
    assert!(
        added["activation_url"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{ORIGIN}/activate?token="))
    );

    // The same email twice is a conflict naming the field; bad fields are 422.
    let (status, problem, _) = api(
        &app,
        "POST",
        "/api/v1/users",
        token,
        Some(new_user("lee@net.example", "Publisher Administrator")),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "email");
    let (status, problem, _) = api(
        &app,
        "POST",
        "/api/v1/users",
        token,
        Some(new_user("not an email", "Emperor")),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"email") && fields.contains(&"role"),
        "{fields:?}"
    );

    let (status, changed, _) = api(
        &app,
        "PUT",
        &format!("/api/v1/users/{lee}/role"),
        token,
        Some(json!({ "role": other_role })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["role"], other_role.as_str());
    let (status, changed, _) = api(
        &app,
        "POST",
        &format!("/api/v1/users/{lee}/deactivate"),
        token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["status"], "deactivated");

    // The owner is the last active Publisher Administrator, and never removed.
    for action in ["deactivate", "remove"] {
        let (status, problem, _) = api(
            &app,
            "POST",
            &format!("/api/v1/users/{owner_id}/{action}"),
            token,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "{action} owner: {problem}");
    }
    let (status, _, _) = api(
        &app,
        "PUT",
        &format!("/api/v1/users/{owner_id}/role"),
        token,
        Some(json!({ "role": other_role })),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);

    let (status, changed, _) = api(
        &app,
        "POST",
        &format!("/api/v1/users/{lee}/reactivate"),
        token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["status"], "active");
    let (status, _, reply) = api(
        &app,
        "POST",
        &format!("/api/v1/users/{lee}/remove"),
        token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(reply.body.is_empty());
    let (_, list, _) = api(&app, "GET", "/api/v1/users", token, None).await;
    assert_eq!(list["users"].as_array().unwrap().len(), 1);

    // No such user, no such action, a read-only token.
    let (status, _, _) = api(&app, "POST", "/api/v1/users/999999/remove", token, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = api(
        &app,
        "POST",
        &format!("/api/v1/users/{owner_id}/promote"),
        token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let reader = token_for(&app, parent, "read_only", "Reader").await;
    let (status, _, _) = api(
        &app,
        "POST",
        "/api/v1/users",
        Some(&reader),
        Some(new_user("kim@net.example", "Publisher Administrator")),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Each change is in the organization's log with the token as who.
    let (status, log, _) = api(&app, "GET", "/api/v1/audit", token, None).await;
    assert_eq!(status, StatusCode::OK, "{log}");
    let done: Vec<&str> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["outcome"] == "done")
        .map(|e| {
            assert_eq!(e["actor"], "API token \"read_write token\"");
            e["action"].as_str().unwrap()
        })
        .collect();
    assert_eq!(
        done,
        [
            "user.remove",
            "user.reactivate",
            "user.deactivate",
            "user.role",
            "user.add",
            "content.import"
        ]
    );
}
