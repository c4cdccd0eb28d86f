//! "Request an upgrade" through the router, and the pending request on both tabs.

use axum::http::StatusCode;

use crate::support::*;

#[tokio::test]
async fn a_request_shows_as_pending_on_its_tab_and_cannot_be_sent_twice() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    let cookie = app.sign_in("boss@uni.example", PASSWORD).await;
    let ask = |kind: &'static str, how_many: &'static str| {
        let cookie = cookie.clone();
        let app = &app;
        async move {
            app.call(
                "request_upgrade",
                &[
                    ("kind", kind),
                    ("how_many", how_many),
                    ("message", "Spring term"),
                ],
                Some(&cookie),
            )
            .await
        }
    };
    let reply = ask("accounts", "abc").await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert!(reply.body.contains("how_many"), "{}", reply.body);
    let reply = ask("servers", "5").await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );

    let reply = ask("accounts", "50").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.body.contains("\"how_many\":50"), "{}", reply.body);
    let reply = ask("accounts", "60").await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    assert!(reply.body.contains("already pending"), "{}", reply.body);

    let accounts = app.call("list_accounts", &[], Some(&cookie)).await;
    assert!(
        accounts
            .body
            .contains("\"upgrade\":{\"kind\":\"Accounts\",\"how_many\":50"),
        "{}",
        accounts.body
    );
    let users = app.call("list_users", &[], Some(&cookie)).await;
    assert!(users.body.contains("\"upgrade\":null"), "{}", users.body);
    let reply = ask("users", "2").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let users = app.call("list_users", &[], Some(&cookie)).await;
    assert!(
        users
            .body
            .contains("\"upgrade\":{\"kind\":\"Users\",\"how_many\":2"),
        "{}",
        users.body
    );
}
