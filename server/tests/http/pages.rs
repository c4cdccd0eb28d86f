use axum::http::{StatusCode, header};

use crate::support::*;

#[tokio::test]
async fn anonymous_callers_are_sent_to_sign_in_and_refused_by_server_functions() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    for path in ["/", "/multi-account", "/multi-account?status=all"] {
        let reply = app.page(path, None).await;
        assert_eq!(reply.status, StatusCode::FOUND, "{path}");
        assert_eq!(reply.header(header::LOCATION), Some("/login"), "{path}");
        assert!(!reply.body.contains("Uni (Parent)"));
    }
    let reply = app.call("list_accounts", &[], None).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert!(!reply.body.contains("Uni"));
    let forged = app
        .call(
            "list_accounts",
            &[],
            Some("umbrella_session=0123456789abcdef"),
        )
        .await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_sign_in_page_has_labelled_fields() {
    let app = TestApp::new().await;
    let reply = app.page("/login", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    for fragment in [
        r#"<label for="sign-in-email">Email</label>"#,
        r#"<label for="sign-in-password">Password</label>"#,
        "Sign in</button>",
        // The front end's script, by its hashed name when the site is built.
        "/pkg/umbrella",
    ] {
        assert!(reply.body.contains(fragment), "missing {fragment}");
    }
}

#[tokio::test]
async fn the_tab_shows_the_accounts_and_the_quota_line() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    app.child("boss@uni.example", "Arts", "arts@uni.example")
        .await;
    let cookie = app.sign_in("boss@uni.example", PASSWORD).await;
    let reply = app.page("/multi-account", Some(&cookie)).await;
    assert_eq!(reply.status, StatusCode::OK);
    for column in [
        "Account Name",
        "Partner ID",
        "Status",
        "Administrator",
        "Admin Email",
        "Admin Phone",
        "Reference ID",
        "Website URL",
        "Creation Date",
    ] {
        assert!(
            reply.body.contains(&format!(">{column}</")),
            "missing column {column}"
        );
    }
    assert!(reply.body.contains("Uni (Parent)"));
    assert!(reply.body.contains(">Arts</th>"));
    assert!(reply.body.contains(">N/A</td>"));
    assert!(
        reply
            .body
            .contains("Current status: 1 account in use, 4 additional remaining.")
    );
}

#[tokio::test]
async fn a_child_accounts_user_gets_their_console_and_not_the_multi_account_tab() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    let child = app
        .child("boss@uni.example", "Arts", "owner@arts.example")
        .await;
    umbrella::testing::set_owner_password(app.umbrella(), child, PASSWORD).await;
    let cookie = app.sign_in("owner@arts.example", PASSWORD).await;
    // They land on their own account's console; the Multi Account tab is not theirs.
    let home = app.page("/", Some(&cookie)).await;
    assert_eq!(
        home.header(header::LOCATION),
        Some("/console"),
        "{}",
        home.body
    );
    let console = app.page("/console", Some(&cookie)).await;
    assert_eq!(console.status, StatusCode::OK);
    assert!(console.body.contains("<h1>Overview</h1>") && console.body.contains("Arts"));
    assert!(!console.body.contains(">Multi Account</a>"));
    let tab = app.page("/multi-account", Some(&cookie)).await;
    assert_eq!(tab.status, StatusCode::FORBIDDEN);
    assert!(!tab.body.contains("Uni (Parent)"));
    let api = app.call("list_accounts", &[], Some(&cookie)).await;
    assert_eq!(api.status, StatusCode::FORBIDDEN);
    assert!(
        api.body.contains("Publisher Administrators"),
        "{}",
        api.body
    );
}

#[tokio::test]
async fn bad_filters_get_precise_errors() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    let cookie = app.sign_in("boss@uni.example", PASSWORD).await;
    let reply = app
        .call("list_accounts", &[("status", "deleted")], Some(&cookie))
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Unknown status"), "{}", reply.body);
    let reply = app
        .call("list_accounts", &[("after", "not-a-cursor")], Some(&cookie))
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("\"after\""), "{}", reply.body);
}

#[tokio::test]
async fn unknown_paths_and_climbing_paths_are_not_found() {
    let app = TestApp::new().await;
    for path in ["/nowhere", "/pkg/../Cargo.toml", "/pkg/missing.js"] {
        let reply = app.page(path, None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(app.page("/healthz", None).await.body, "ok");
}
