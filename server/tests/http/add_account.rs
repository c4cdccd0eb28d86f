use axum::http::{StatusCode, header};
use umbrella::audit::AuditContext;

use crate::support::*;

fn form<'a>(name: &'a str, email: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("admin_name", "Ann Owner"),
        ("name", name),
        ("admin_email", email),
        ("admin_phone", "+1 555 0100"),
        ("website_url", ""),
        ("reference_id", ""),
    ]
}

#[tokio::test]
async fn an_account_is_created_and_its_owner_activates_through_the_link() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    let cookie = app.sign_in("boss@uni.example", PASSWORD).await;
    let reply = app
        .call(
            "create_account",
            &form("Arts", "ann@arts.example"),
            Some(&cookie),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let body: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(body["row"]["name"], "Arts");
    let path = body["activation_path"].as_str().unwrap();
    let token = path.strip_prefix("/activate?token=").unwrap();
    assert_eq!(token.len(), 64);

    let page = app.page(path, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Choose your password"));
    let mismatch = app
        .call(
            "activate",
            &[
                ("token", token),
                ("password", "owner password 1"),
                ("confirm", "other"),
            ],
            None,
        )
        .await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(mismatch.body.contains("\"confirm\""));
    let activated = app
        .call(
            "activate",
            &[
                ("token", token),
                ("password", "owner password 1"),
                ("confirm", "owner password 1"),
            ],
            None,
        )
        .await;
    assert_eq!(activated.status, StatusCode::OK, "{}", activated.body);
    assert!(activated.session_cookie().is_some());
    assert_eq!(activated.header(header::LOCATION), Some("/"));
    let again = app
        .call(
            "activate",
            &[
                ("token", token),
                ("password", "owner password 2"),
                ("confirm", "owner password 2"),
            ],
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    app.sign_in("ann@arts.example", "owner password 1").await;
}

#[tokio::test]
async fn bad_creations_are_refused_field_by_field_and_write_nothing() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    let cookie = app.sign_in("boss@uni.example", PASSWORD).await;
    let huge = "n".repeat(1_000_000);
    let bad = vec![
        ("admin_name", " "),
        ("name", huge.as_str()),
        ("admin_email", "not an email"),
        ("admin_phone", "call me"),
        ("website_url", "ftp://x"),
        ("reference_id", ""),
    ];
    let reply = app.call("create_account", &bad, Some(&cookie)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in [
        "admin_name",
        "name",
        "admin_email",
        "admin_phone",
        "website_url",
    ] {
        assert!(
            reply.body.contains(&format!("\"field\":\"{field}\"")),
            "{field}"
        );
    }
    let missing = app
        .call("create_account", &[("name", "Arts")], Some(&cookie))
        .await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    let mut forged = form("Arts", "ann@arts.example");
    forged.push(("template", "1"));
    let template = app.call("create_account", &forged, Some(&cookie)).await;
    assert_eq!(template.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(template.body.contains("\"template\""));
    let list = app
        .call("list_accounts", &[("status", "all")], Some(&cookie))
        .await;
    assert!(list.body.contains("\"in_use\":0"), "{}", list.body);
}

#[tokio::test]
async fn the_quota_and_the_email_rule_have_clear_messages() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    app.umbrella()
        .set_quota(
            &AuditContext::unrecorded(),
            app.umbrella().list_organizations().await.unwrap()[0].parent(),
            Some(2),
            None,
        )
        .await
        .unwrap();
    let cookie = app.sign_in("boss@uni.example", PASSWORD).await;
    let first = app
        .call(
            "create_account",
            &form("Arts", "ann@arts.example"),
            Some(&cookie),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK);
    let duplicate = app
        .call(
            "create_account",
            &form("Arts 2", "ANN@arts.example"),
            Some(&cookie),
        )
        .await;
    // A value in use is a conflict (409), still shown beside its field.
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    assert!(
        duplicate
            .body
            .contains("already has an account with this administrator email")
    );
    let second = app
        .call(
            "create_account",
            &form("Bio", "bo@bio.example"),
            Some(&cookie),
        )
        .await;
    assert_eq!(second.status, StatusCode::OK);
    let quota = app
        .call(
            "create_account",
            &form("Law", "lou@law.example"),
            Some(&cookie),
        )
        .await;
    assert_eq!(quota.status, StatusCode::CONFLICT);
    assert!(
        quota.body.contains("reached its account quota"),
        "{}",
        quota.body
    );
    assert!(quota.body.contains("request an upgrade"), "{}", quota.body);
}
