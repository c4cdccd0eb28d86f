//! The authorization matrix: every route of the API × no token, a bad one, revoked,
//! expired, another organization's read-only and read-write, and the owner's.

use axum::http::{StatusCode, header};
use serde_json::{Value, json};
use umbrella::audit::AuditContext;
use umbrella::domain::{ApiTokenForm, PartnerId};

use super::accounts::new_account;
use super::{api, org_and_token};
use crate::support::*;

/// A route, its body, and what the owner's read-write token and another
/// organization's read-only token get.
struct Route {
    method: &'static str,
    path: String,
    body: Option<Value>,
    writes: bool,
    /// Names one of the owner's accounts or users (another organization's
    /// token finds nothing there).
    names_mine: bool,
    owner_gets: StatusCode,
    /// The action the owner's call is recorded under (the service chooses it).
    recorded_as: Option<&'static str>,
}

impl Route {
    fn recorded_as(self, code: &'static str) -> Self {
        Self {
            recorded_as: Some(code),
            ..self
        }
    }
}

/// The action codes of the entries past the first `count`.
async fn actions_since(app: &TestApp, count: i64) -> Vec<String> {
    sqlx::query_scalar("SELECT action FROM audit_log ORDER BY id LIMIT 100000 OFFSET $1")
        .bind(count)
        .fetch_all(app.umbrella().db().pool())
        .await
        .unwrap()
}

async fn entries(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(app.umbrella().db().pool())
        .await
        .unwrap()
}

fn route(method: &'static str, path: String, body: Option<Value>, owner_gets: u16) -> Route {
    Route {
        writes: method != "GET",
        names_mine: path.contains("/accounts/") || path.contains("/users/"),
        method,
        path,
        body,
        owner_gets: StatusCode::from_u16(owner_gets).unwrap(),
        recorded_as: None,
    }
}

async fn dead_token(app: &TestApp, parent: PartnerId, expired: bool) -> String {
    let made = app
        .umbrella()
        .operator_create_api_token(
            &AuditContext::unrecorded(),
            parent,
            &ApiTokenForm {
                name: if expired { "Old" } else { "Gone" }.into(),
                access: "read_write".into(),
                expires_days: if expired { "1" } else { "" }.into(),
            },
        )
        .await
        .unwrap();
    if expired {
        sqlx::query("UPDATE api_tokens SET created_at = 0, expires_at = 1 WHERE id = $1")
            .bind(made.token.id.get())
            .execute(app.umbrella().db().pool())
            .await
            .unwrap();
    } else {
        app.umbrella()
            .operator_revoke_api_token(&AuditContext::unrecorded(), made.token.id)
            .await
            .unwrap();
    }
    made.secret.as_str().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_holds_for_every_kind_of_token() {
    let app = TestApp::new().await;
    let (_, writer) = org_and_token(&app, "boss@net.example", "read_write").await;
    let (other_parent, reader) = org_and_token(&app, "boss@other.example", "read_only").await;
    let (_, other_writer) = org_and_token(&app, "boss@third.example", "read_write").await;
    let revoked = dead_token(&app, other_parent, false).await;
    let expired = dead_token(&app, other_parent, true).await;

    let (status, created, _) = api(
        &app,
        "POST",
        "/api/v1/accounts",
        Some(&writer),
        Some(new_account("Mine", "mine@net.example")),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let mine = created["account"]["partner_id"].as_i64().unwrap();
    let new_user = |email: &str| {
        json!({"email": email, "first_name": "Lee", "last_name": "Park",
               "role": "Publisher Administrator"})
    };
    let (status, added, _) = api(
        &app,
        "POST",
        "/api/v1/users",
        Some(&writer),
        Some(new_user("lee@net.example")),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    let lee = added["user"]["id"].as_i64().unwrap();
    let (_, bundle, _) = api(
        &app,
        "GET",
        &format!("/api/v1/accounts/{mine}/content"),
        Some(&writer),
        None,
    )
    .await;

    // In order: the owner's token runs each once, so later rows see earlier changes.
    let routes = [
        route("GET", "/api/v1/organization".into(), None, 200),
        route("GET", "/api/v1/templates".into(), None, 200),
        route("GET", "/api/v1/accounts".into(), None, 200),
        route("GET", format!("/api/v1/accounts/{mine}"), None, 200),
        route(
            "POST",
            "/api/v1/accounts".into(),
            Some(new_account("New", "new@x.example")),
            201,
        )
        .recorded_as("account.create"),
        // Active already: the console's rule answers.
        route(
            "POST",
            format!("/api/v1/accounts/{mine}/unblock"),
            None,
            409,
        )
        .recorded_as("account.unblock"),
        route("GET", format!("/api/v1/accounts/{mine}/content"), None, 200),
        route(
            "PUT",
            format!("/api/v1/accounts/{mine}/content"),
            Some(bundle),
            200,
        )
        .recorded_as("content.import"),
        route("GET", "/api/v1/users".into(), None, 200),
        route(
            "POST",
            "/api/v1/users".into(),
            Some(new_user("kim@net.example")),
            201,
        )
        .recorded_as("user.add"),
        route(
            "PUT",
            format!("/api/v1/users/{lee}/role"),
            Some(json!({"role": "Publisher Administrator"})),
            200,
        )
        .recorded_as("user.role"),
        route("POST", format!("/api/v1/users/{lee}/deactivate"), None, 200)
            .recorded_as("user.deactivate"),
        route("POST", format!("/api/v1/users/{lee}/reactivate"), None, 200)
            .recorded_as("user.reactivate"),
        route("POST", format!("/api/v1/users/{lee}/remove"), None, 204).recorded_as("user.remove"),
        route("GET", "/api/v1/audit".into(), None, 200),
    ];
    for r in &routes {
        let (method, path) = (r.method, r.path.as_str());
        for (who, token) in [
            ("none", None),
            ("garbage", Some("x".repeat(64))),
            ("revoked", Some(revoked.clone())),
            ("expired", Some(expired.clone())),
        ] {
            let (status, problem, reply) =
                api(&app, method, path, token.as_deref(), r.body.clone()).await;
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "{who} {method} {path}: {problem}"
            );
            assert!(
                reply
                    .header(header::WWW_AUTHENTICATE)
                    .unwrap()
                    .starts_with("Bearer")
            );
        }
        // Another organization's read-only token: its own organization only.
        let (status, _, _) = api(&app, method, path, Some(&reader), r.body.clone()).await;
        let expected = match (r.writes, r.names_mine) {
            (true, _) => StatusCode::FORBIDDEN,
            (false, true) => StatusCode::NOT_FOUND,
            (false, false) => StatusCode::OK,
        };
        assert_eq!(status, expected, "read-only other org {method} {path}");
        // Another organization's read-write token finds nothing of ours.
        if r.names_mine {
            let (status, answer, _) =
                api(&app, method, path, Some(&other_writer), r.body.clone()).await;
            assert_eq!(
                status,
                StatusCode::NOT_FOUND,
                "read-write other org {method} {path}: {answer}"
            );
        }
        let before = entries(&app).await;
        let (status, answer, _) = api(&app, method, path, Some(&writer), r.body.clone()).await;
        assert_eq!(status, r.owner_gets, "read-write {method} {path}: {answer}");
        // Done or refused, the owner's call is on record under its own action.
        let written = actions_since(&app, before).await;
        let expected: Vec<String> = r.recorded_as.iter().map(|c| (*c).to_owned()).collect();
        assert_eq!(written, expected, "the audit of {method} {path}");
    }
}
