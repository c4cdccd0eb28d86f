use axum::http::{StatusCode, header};
use umbrella::testing::TestDb;

use crate::support::*;

#[tokio::test]
async fn signing_in_sets_a_safe_cookie_and_lands_on_the_multi_account_tab() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    let reply = app
        .call(
            "sign_in",
            &[("email", "boss@uni.example"), ("password", PASSWORD)],
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let set_cookie = reply.header(header::SET_COOKIE).unwrap();
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    assert!(set_cookie.contains("Path=/"), "{set_cookie}");
    assert_eq!(reply.header(header::LOCATION), Some("/"));
    let cookie = reply.session_cookie().unwrap();

    let home = app.page("/", Some(&cookie)).await;
    assert_eq!(home.status, StatusCode::FOUND);
    assert_eq!(home.header(header::LOCATION), Some("/multi-account"));
    let tab = app.page("/multi-account", Some(&cookie)).await;
    assert_eq!(tab.status, StatusCode::OK);
    assert!(tab.body.contains("Uni (Parent)"), "{}", tab.body);
}

#[tokio::test]
async fn wrong_credentials_get_one_generic_message() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    let wrong_password = app
        .call(
            "sign_in",
            &[("email", "boss@uni.example"), ("password", "not it at all")],
            None,
        )
        .await;
    let unknown_email = app
        .call(
            "sign_in",
            &[("email", "who@uni.example"), ("password", PASSWORD)],
            None,
        )
        .await;
    let huge = "x".repeat(1_000_000);
    let huge_input = app
        .call("sign_in", &[("email", &huge), ("password", &huge)], None)
        .await;
    for reply in [&wrong_password, &unknown_email, &huge_input] {
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
        assert!(reply.session_cookie().is_none());
        assert!(
            reply.body.contains("The email or password is incorrect."),
            "{}",
            reply.body
        );
    }
    assert_eq!(wrong_password.body, unknown_email.body);
}

#[tokio::test]
async fn a_missing_field_is_a_clear_client_error() {
    let app = TestApp::new().await;
    let reply = app
        .call("sign_in", &[("email", "boss@uni.example")], None)
        .await;
    assert!(
        reply.status.is_client_error(),
        "{} {}",
        reply.status,
        reply.body
    );
    assert!(reply.body.contains("password"), "{}", reply.body);
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    let cookie = app.sign_in("boss@uni.example", PASSWORD).await;
    let reply = app.call("sign_out", &[], Some(&cookie)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply
            .header(header::SET_COOKIE)
            .unwrap()
            .contains("Max-Age=0")
    );
    // The old cookie, replayed, is worth nothing.
    let tab = app.page("/multi-account", Some(&cookie)).await;
    assert_eq!(tab.status, StatusCode::FOUND);
    assert_eq!(tab.header(header::LOCATION), Some("/login"));
}

#[tokio::test]
async fn sessions_survive_a_server_restart() {
    let db = TestDb::sqlite().await;
    let first = TestApp {
        router: app_for(db.umbrella().clone()),
        db,
    };
    first.organization("Uni", "boss@uni.example").await;
    let cookie = first.sign_in("boss@uni.example", PASSWORD).await;
    // A new process: a new pool on the same database file, a new router.
    first.umbrella().db().close().await;
    let reopened = umbrella::Umbrella::new(umbrella::Db::connect(first.db.url()).await.unwrap());
    let second = app_for(reopened);
    let restarted = TestApp {
        db: first.db,
        router: second,
    };
    let tab = restarted.page("/multi-account", Some(&cookie)).await;
    assert_eq!(tab.status, StatusCode::OK, "{}", tab.body);
    assert!(tab.body.contains("Uni (Parent)"));
}
