//! The Users tab's server functions through the real router.

use axum::http::StatusCode;

use crate::support::*;

#[tokio::test]
async fn an_admin_adds_a_user_who_activates_and_others_are_refused() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    let child = app
        .child("boss@uni.example", "Arts", "owner@arts.example")
        .await;
    umbrella::testing::set_owner_password(app.umbrella(), child, PASSWORD).await;
    let admin = app.sign_in("boss@uni.example", PASSWORD).await;
    let child_owner = app.sign_in("owner@arts.example", PASSWORD).await;

    let page = app.call("list_users", &[], Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("\"in_use\":1") && page.body.contains("\"available\":2"),
        "{}",
        page.body
    );
    let form = [
        ("email", "una@uni.example"),
        ("first_name", "Una"),
        ("last_name", "User"),
        ("publisher_user_id", ""),
        ("role", "Publisher Administrator"),
    ];
    let added = app.call("add_user", &form, Some(&admin)).await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let reply: serde_json::Value = serde_json::from_str(&added.body).unwrap();
    let link = reply["activation_path"].as_str().unwrap();
    let token = link.strip_prefix("/activate?token=").unwrap();
    let activated = app
        .call(
            "activate",
            &[
                ("token", token),
                ("password", "una's own password"),
                ("confirm", "una's own password"),
            ],
            None,
        )
        .await;
    assert_eq!(activated.status, StatusCode::OK, "{}", activated.body);
    assert!(
        app.page("/users", activated.session_cookie().as_deref())
            .await
            .body
            .contains("una@uni.example")
    );

    // Anyone but the parent's Publisher Administrators is refused by the server.
    for caller in [Some(child_owner.as_str()), None] {
        for (function, args) in [
            ("list_users", &[][..]),
            ("add_user", &form[..]),
            ("change_user", &[("id", "1"), ("action", "remove")][..]),
        ] {
            let reply = app.call(function, args, caller).await;
            let expected = if caller.is_some() {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::UNAUTHORIZED
            };
            assert_eq!(reply.status, expected, "{function}: {}", reply.body);
        }
    }
    // At the quota (3): a clear refusal.
    let third = [
        ("email", "tri@uni.example"),
        ("first_name", "Tri"),
        ("last_name", "User"),
        ("publisher_user_id", ""),
        ("role", "Publisher Administrator"),
    ];
    assert_eq!(
        app.call("add_user", &third, Some(&admin)).await.status,
        StatusCode::OK
    );
    let fourth = [
        ("email", "four@uni.example"),
        ("first_name", "Four"),
        ("last_name", "User"),
        ("publisher_user_id", ""),
        ("role", "Publisher Administrator"),
    ];
    let refused = app.call("add_user", &fourth, Some(&admin)).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(refused.body.contains("3 users"), "{}", refused.body);
    let bad_action = app
        .call(
            "change_user",
            &[("id", "1"), ("action", "promote")],
            Some(&admin),
        )
        .await;
    assert_eq!(bad_action.status, StatusCode::UNPROCESSABLE_ENTITY);
}
