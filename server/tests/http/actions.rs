use axum::http::StatusCode;
use umbrella::domain::AccountQuery;
use umbrella::domain::Status;

use crate::support::*;

/// A forged form: its fields, as sent.
type Form = Vec<(&'static str, String)>;

/// The statuses of every account of the organization whose admin is `email`.
async fn statuses(app: &TestApp, email: &str) -> Vec<(i64, Status)> {
    let actor = umbrella::testing::actor_signed_in(app.umbrella(), email, PASSWORD).await;
    let query = AccountQuery {
        statuses: Status::ALL.to_vec(),
        ..AccountQuery::default_view()
    };
    app.umbrella()
        .list_accounts(&actor.org_admin().unwrap(), &query)
        .await
        .unwrap()
        .accounts
        .into_iter()
        .map(|a| (a.partner_id.get(), a.status))
        .collect()
}

#[tokio::test]
async fn block_unblock_and_remove_through_the_server_function() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    let arts = app
        .child("boss@uni.example", "Arts", "arts@uni.example")
        .await
        .get();
    let cookie = app.sign_in("boss@uni.example", PASSWORD).await;
    let id = arts.to_string();
    for (action, expected) in [
        ("block", "Blocked"),
        ("unblock", "Active"),
        ("remove", "Removed"),
    ] {
        let reply = app
            .call(
                "change_account_status",
                &[("partner_id", &id), ("action", action)],
                Some(&cookie),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{action}: {}", reply.body);
        assert!(
            reply.body.contains(&format!("\"status\":\"{expected}\"")),
            "{}",
            reply.body
        );
    }
}

#[tokio::test]
async fn forged_calls_get_precise_errors_and_change_nothing() {
    let app = TestApp::new().await;
    let uni = app.organization("Uni", "boss@uni.example").await.get();
    let college = app
        .organization("College", "boss@college.example")
        .await
        .get();
    let ours = app
        .child("boss@uni.example", "Arts", "arts@uni.example")
        .await
        .get();
    let theirs = app
        .child("boss@college.example", "Bio", "bio@college.example")
        .await
        .get();
    let gone = app
        .child("boss@uni.example", "Gone", "gone@uni.example")
        .await
        .get();
    let cookie = app.sign_in("boss@uni.example", PASSWORD).await;
    let removed = app
        .call(
            "change_account_status",
            &[("partner_id", &gone.to_string()), ("action", "remove")],
            Some(&cookie),
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK);

    let before_uni = statuses(&app, "boss@uni.example").await;
    let before_college = statuses(&app, "boss@college.example").await;
    let huge = "9".repeat(1_000_000);
    let cases: Vec<(Form, StatusCode, &str)> = vec![
        (
            vec![
                ("partner_id", theirs.to_string()),
                ("action", "block".into()),
            ],
            StatusCode::NOT_FOUND,
            "No account",
        ),
        (
            vec![
                ("partner_id", college.to_string()),
                ("action", "block".into()),
            ],
            StatusCode::NOT_FOUND,
            "No account",
        ),
        (
            vec![("partner_id", uni.to_string()), ("action", "remove".into())],
            StatusCode::FORBIDDEN,
            "parent account",
        ),
        (
            vec![
                ("partner_id", gone.to_string()),
                ("action", "unblock".into()),
            ],
            StatusCode::CONFLICT,
            "removed",
        ),
        (
            vec![
                ("partner_id", ours.to_string()),
                ("action", "unblock".into()),
            ],
            StatusCode::CONFLICT,
            "active",
        ),
        (
            vec![
                ("partner_id", ours.to_string()),
                ("action", "delete".into()),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
            "Unknown action",
        ),
        (
            vec![("partner_id", ours.to_string())],
            StatusCode::BAD_REQUEST,
            "action",
        ),
        (
            vec![("action", "block".into())],
            StatusCode::BAD_REQUEST,
            "partner_id",
        ),
        (
            vec![("partner_id", "abc".into()), ("action", "block".into())],
            StatusCode::UNPROCESSABLE_ENTITY,
            "Partner ID is a whole number",
        ),
        (
            vec![("partner_id", huge.clone()), ("action", "block".into())],
            StatusCode::UNPROCESSABLE_ENTITY,
            "Partner ID is a whole number",
        ),
        (
            vec![("partner_id", ours.to_string()), ("action", huge.clone())],
            StatusCode::UNPROCESSABLE_ENTITY,
            "Unknown action",
        ),
    ];
    for (form, status, message) in cases {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let reply = app
            .call("change_account_status", &form, Some(&cookie))
            .await;
        let shown: Vec<_> = form
            .iter()
            .map(|(k, v)| (k, &v[..v.len().min(20)]))
            .collect();
        assert_eq!(
            reply.status,
            status,
            "{shown:?}: {}",
            &reply.body[..reply.body.len().min(300)]
        );
        assert!(
            reply.body.contains(message),
            "{shown:?}: {}",
            &reply.body[..reply.body.len().min(300)]
        );
    }
    assert_eq!(statuses(&app, "boss@uni.example").await, before_uni);
    assert_eq!(statuses(&app, "boss@college.example").await, before_college);
}

#[tokio::test]
async fn only_organization_admins_may_change_statuses() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    let arts = app
        .child("boss@uni.example", "Arts", "arts@uni.example")
        .await;
    umbrella::testing::set_owner_password(app.umbrella(), arts, PASSWORD).await;
    let owner = app.sign_in("arts@uni.example", PASSWORD).await;
    let form = [
        ("partner_id", arts.to_string()),
        ("action", "block".to_owned()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let as_owner = app.call("change_account_status", &form, Some(&owner)).await;
    assert_eq!(as_owner.status, StatusCode::FORBIDDEN);
    let anonymous = app.call("change_account_status", &form, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert!(
        statuses(&app, "boss@uni.example")
            .await
            .iter()
            .all(|(_, s)| *s == Status::Active)
    );
}
