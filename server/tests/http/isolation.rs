use axum::http::StatusCode;

use crate::support::*;

/// An administrator of organization A never sees anything of organization B, by
/// page or by server function, whatever the filter.
#[tokio::test]
async fn organizations_never_see_each_other() {
    let app = TestApp::new().await;
    app.organization("Alpha Uni", "boss@alpha.example").await;
    app.organization("Beta College", "boss@beta.example").await;
    app.child("boss@alpha.example", "Alpha Arts", "arts@alpha.example")
        .await;
    app.child("boss@beta.example", "Beta Bio", "bio@beta.example")
        .await;

    let alpha = app.sign_in("boss@alpha.example", PASSWORD).await;
    let beta = app.sign_in("boss@beta.example", PASSWORD).await;
    for status in ["", "active", "blocked", "removed", "all"] {
        let reply = app
            .call("list_accounts", &[("status", status)], Some(&alpha))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert!(!reply.body.contains("Beta"), "{status}: {}", reply.body);
        assert!(
            !reply.body.contains("beta.example"),
            "{status}: {}",
            reply.body
        );
        let page = app
            .page(&format!("/multi-account?status={status}"), Some(&beta))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("Alpha"), "{status}");
        assert!(!page.body.contains("alpha.example"), "{status}");
    }
    let alpha_page = app.page("/multi-account?status=all", Some(&alpha)).await;
    assert!(alpha_page.body.contains("Alpha Arts"));
}
