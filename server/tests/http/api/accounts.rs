//! The API's accounts, organization and templates: tokens, problems, the rules of
//! the console, idempotent creates, rate limits and the generated document.

use std::num::NonZeroU32;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};

use umbrella::testing::TestDb;

use super::{api, org_and_token};
use crate::support::*;

pub(super) fn new_account(name: &str, email: &str) -> Value {
    json!({
        "name": name,
        "admin_name": "Ana Owner",
        "admin_email": email,
        "admin_phone": "+1 555 0101",
        "website_url": "https://example.org",
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reseller_creates_finds_and_blocks_an_account() {
    let app = TestApp::new().await;
    let (parent, token) = org_and_token(&app, "boss@net.example", "read_write").await;
    let token = Some(token.as_str());

    let (status, templates, _) = api(&app, "GET", "/api/v1/templates", token, None).await;
    assert_eq!(status, StatusCode::OK, "{templates}");
    assert_eq!(templates[0]["name"], "Default Template");
    assert_eq!(templates[0]["is_default"], true);
    assert!(templates[0]["copies"]["categories"].as_i64().unwrap() > 0);
    let (status, org, _) = api(&app, "GET", "/api/v1/organization", token, None).await;
    assert_eq!(status, StatusCode::OK, "{org}");
    assert_eq!(org["parent_partner_id"], parent.get());
    assert_eq!(
        org["accounts"],
        json!({"in_use": 0, "quota": 5, "remaining": 5})
    );

    let (status, created, reply) = api(
        &app,
        "POST",
        "/api/v1/accounts",
        token,
        Some(new_account("Channel One", "one@net.example")),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(reply.header(header::CONTENT_TYPE), Some("application/json"));
    let id = created["account"]["partner_id"].as_i64().unwrap();
    assert_eq!(created["account"]["status"], "active");
    assert!(
        created["activation_url"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{ORIGIN}/activate?token="))
    );

    let (status, page, _) = api(
        &app,
        "GET",
        "/api/v1/accounts?mode=text&q=channel%20one",
        token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["accounts"].as_array().unwrap().len(), 1);
    assert_eq!(page["accounts"][0]["partner_id"], id);
    assert_eq!(page["next"], Value::Null);

    let (status, blocked, _) = api(
        &app,
        "POST",
        &format!("/api/v1/accounts/{id}/block"),
        token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{blocked}");
    assert_eq!(blocked["status"], "blocked");
    // The console's rule: blocking twice is a conflict.
    let (status, problem, reply) = api(
        &app,
        "POST",
        &format!("/api/v1/accounts/{id}/block"),
        token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(
        reply.header(header::CONTENT_TYPE),
        Some("application/problem+json")
    );
    assert_eq!(problem["status"], 409);
    // The parent account is not the API's to block.
    let (status, _, _) = api(
        &app,
        "POST",
        &format!("/api/v1/accounts/{}/block", parent.get()),
        token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a refused rule is 403");

    let (status, one, _) = api(&app, "GET", &format!("/api/v1/accounts/{id}"), token, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["status"], "blocked");

    // Every change is in the audit log, the token as who.
    let entries: Vec<(String, String)> =
        sqlx::query_as("SELECT action, actor FROM audit_log WHERE outcome = 'done' ORDER BY id")
            .fetch_all(app.umbrella().db().pool())
            .await
            .unwrap();
    let by_token: Vec<&str> = entries
        .iter()
        .filter(|(_, actor)| actor == "API token \"read_write token\"")
        .map(|(action, _)| action.as_str())
        .collect();
    assert_eq!(by_token, ["account.create", "account.block"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_a_problem_naming_each_field() {
    let app = TestApp::new().await;
    let (_, secret) = org_and_token(&app, "boss@net.example", "read_write").await;
    let token = Some(secret.as_str());
    let (status, problem, reply) = api(
        &app,
        "POST",
        "/api/v1/accounts",
        token,
        Some(json!({
            "name": " ", "admin_name": "A", "admin_email": "not an email", "admin_phone": "x"
        })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(
        reply.header(header::CONTENT_TYPE),
        Some("application/problem+json")
    );
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"name")
            && fields.contains(&"admin_email")
            && fields.contains(&"admin_phone"),
        "{fields:?}"
    );

    // A template is a Partner ID: one that cannot be is refused under its field.
    let (status, problem, _) = api(
        &app,
        "POST",
        "/api/v1/accounts",
        token,
        Some(json!({
            "name": "Arts", "admin_name": "Ann Admin", "admin_email": "ann@net.example",
            "admin_phone": "+1 555 0100", "template": -5
        })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "template", "{problem}");
    assert_eq!(
        problem["errors"][0]["message"],
        umbrella::domain::TEMPLATE_CHOICE
    );

    // A body that is not the type: a problem too, never plain text or a 5xx.
    let (status, problem, _) = api(
        &app,
        "POST",
        "/api/v1/accounts",
        token,
        Some(json!({"name": 5})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let request = Request::post("/api/v1/accounts")
        .header(header::AUTHORIZATION, format!("Bearer {secret}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{not json"))
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.header(header::CONTENT_TYPE),
        Some("application/problem+json")
    );
    let (status, problem, _) = api(
        &app,
        "GET",
        "/api/v1/accounts?size=7&sort=color",
        token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    // The first bad parameter is named (the query is read as one value).
    assert!(fields == ["size"] || fields == ["sort"], "{problem}");

    // The same administrator email twice: a conflict naming the field.
    api(
        &app,
        "POST",
        "/api/v1/accounts",
        token,
        Some(new_account("One", "same@net.example")),
    )
    .await;
    let (status, problem, _) = api(
        &app,
        "POST",
        "/api/v1/accounts",
        token,
        Some(new_account("Two", "SAME@net.example")),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "admin_email");

    let (status, problem, _) = api(&app, "GET", "/api/v1/nothing-here", token, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(problem["status"], 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retried_create_with_its_key_creates_nothing_more() {
    a_retried_create_creates_nothing_more_and_keeps_no_link(TestApp::new().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retried_create_with_its_key_creates_nothing_more_on_postgres() {
    if let Some(db) = umbrella::testing::TestDb::postgres().await {
        a_retried_create_creates_nothing_more_and_keeps_no_link(TestApp::on(db, |_| {})).await;
    }
}

async fn a_retried_create_creates_nothing_more_and_keeps_no_link(app: TestApp) {
    let (_, token) = org_and_token(&app, "boss@net.example", "read_write").await;
    let send = |key: &str, body: Value| {
        Request::post("/api/v1/accounts")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .header("idempotency-key", key)
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let first = app
        .send(send("order-17", new_account("Once", "once@net.example")))
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let again = app
        .send(send("order-17", new_account("Once", "once@net.example")))
        .await;
    assert_eq!(again.status, StatusCode::CREATED);
    let (first_json, again_json): (Value, Value) = (
        serde_json::from_str(&first.body).unwrap(),
        serde_json::from_str(&again.body).unwrap(),
    );
    assert_eq!(
        again_json["account"], first_json["account"],
        "the first answer"
    );
    assert_eq!(
        again_json["activation_url"],
        Value::Null,
        "less the link, which is stored nowhere"
    );
    // What the database holds: no live token anywhere in the kept answer.
    let link = first_json["activation_url"].as_str().unwrap();
    let token = link.split("token=").nth(1).unwrap();
    let kept: Vec<String> =
        sqlx::query_scalar("SELECT body FROM api_idempotency WHERE body IS NOT NULL")
            .fetch_all(app.umbrella().db().pool())
            .await
            .unwrap();
    assert_eq!(kept.len(), 1);
    assert!(
        kept.iter()
            .all(|body| !body.contains(token) && !body.contains("activate?token")),
        "{kept:?}"
    );
    assert_eq!(
        again.header("idempotent-replayed".parse().unwrap()),
        Some("true")
    );
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE admin_email = 'once@net.example'")
            .fetch_one(app.umbrella().db().pool())
            .await
            .unwrap();
    assert_eq!(count, 1);
    // The same key with another body is refused.
    let other = app
        .send(send("order-17", new_account("Twice", "twice@net.example")))
        .await;
    assert_eq!(other.status, StatusCode::CONFLICT, "{}", other.body);
    // A refusal is kept too: the retry gets the same problem.
    let bad = app
        .send(send("order-18", new_account("", "x@net.example")))
        .await;
    let bad_again = app
        .send(send("order-18", new_account("", "x@net.example")))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!((bad_again.status, bad_again.body), (bad.status, bad.body));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_over_its_rate_is_told_when_to_come_back() {
    let app = TestApp::on(TestDb::sqlite().await, |config| {
        config.api_rate = umbrella_server::api::ApiRate {
            per_second: NonZeroU32::new(1).unwrap(),
            burst: NonZeroU32::new(3).unwrap(),
        };
    });
    let (_, token) = org_and_token(&app, "boss@net.example", "read_only").await;
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let (status, _, reply) = api(&app, "GET", "/api/v1/organization", Some(&token), None).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(reply.header(header::RETRY_AFTER), Some("1"));
            assert_eq!(
                reply.header(header::CONTENT_TYPE),
                Some("application/problem+json")
            );
        }
        statuses.push(status.as_u16());
    }
    assert_eq!(statuses, [200, 200, 200, 429, 429]);
    // Another token has its own allowance.
    let (_, other) = org_and_token(&app, "boss@other.example", "read_only").await;
    let (status, _, _) = api(&app, "GET", "/api/v1/organization", Some(&other), None).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn more_tokens_buy_no_more_than_the_organizations_rate() {
    let app = TestApp::on(TestDb::sqlite().await, |config| {
        config.api_organization_rate = umbrella_server::api::ApiRate {
            per_second: NonZeroU32::new(1).unwrap(),
            burst: NonZeroU32::new(4).unwrap(),
        };
    });
    let (parent, first) = org_and_token(&app, "boss@net.example", "read_only").await;
    let mut tokens = vec![first];
    for i in 0..3 {
        tokens.push(super::token_for(&app, parent, "read_only", &format!("Extra {i}")).await);
    }
    // Each token is far below its own rate; together they pass the organization's.
    let mut statuses = Vec::new();
    for token in tokens.iter().cycle().take(8) {
        let (status, problem, reply) =
            api(&app, "GET", "/api/v1/organization", Some(token), None).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            assert!(reply.header(header::RETRY_AFTER).is_some());
            assert!(
                problem["detail"]
                    .as_str()
                    .unwrap()
                    .contains("organization's tokens"),
                "{problem}"
            );
        }
        statuses.push(status.as_u16());
    }
    assert_eq!(statuses, [200, 200, 200, 200, 429, 429, 429, 429]);
    let (_, other) = org_and_token(&app, "boss@other.example", "read_only").await;
    let (status, _, _) = api(&app, "GET", "/api/v1/organization", Some(&other), None).await;
    assert_eq!(status, StatusCode::OK, "other organizations have their own");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_tokens_are_limited_per_address() {
    let app = TestApp::on(TestDb::sqlite().await, |config| {
        config.attempts_per_minute = 3;
    });
    let (_, token) = org_and_token(&app, "boss@net.example", "read_only").await;
    let guess = |secret: &str| {
        Request::get("/api/v1/organization")
            .header(header::AUTHORIZATION, format!("Bearer {secret}"))
            .body(Body::empty())
            .unwrap()
    };
    let mut statuses = Vec::new();
    for i in 0..5 {
        let reply = app
            .send_from(guess(&format!("umb_guess_{i}")), "198.51.100.7:5000")
            .await;
        statuses.push(reply.status.as_u16());
    }
    assert_eq!(statuses, [401, 401, 401, 429, 429]);
    // Once refused, even a real token from that address waits: nothing is looked up.
    let refused = app.send_from(guess(&token), "198.51.100.7:5001").await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.header(header::RETRY_AFTER).is_some());
    // Another address, and its real token, are served.
    let served = app.send_from(guess(&token), "198.51.100.8:5000").await;
    assert_eq!(served.status, StatusCode::OK, "{}", served.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_and_its_reference_page_are_served() {
    let app = TestApp::new().await;
    let reply = app.page("/api/v1/openapi.json", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header(header::CONTENT_TYPE), Some("application/json"));
    let document: Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(document["openapi"], "3.1.0");
    assert!(document["paths"]["/api/v1/accounts"]["post"]["requestBody"].is_object());
    let page = app.page("/api/v1/docs", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("<h1>Umbrella API 1</h1>"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<script"), "served whole, no script");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_follow_next_in_the_order_it_carries() {
    let app = TestApp::new().await;
    let (parent, token) = org_and_token(&app, "boss@net.example", "read_only").await;
    let organization = app
        .umbrella()
        .api_caller(&umbrella::auth::ApiToken::from_client(&token))
        .await
        .unwrap()
        .organization_id();
    umbrella::testing::bulk_seed_accounts(app.umbrella(), organization, parent, 60)
        .await
        .unwrap();
    let names = |page: &Value| -> Vec<String> {
        page["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let (status, first, _) = api(
        &app,
        "GET",
        "/api/v1/accounts?sort=-name&size=25",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let next = first["next"].as_str().unwrap().to_owned();
    assert!(next.starts_with("-name.n"), "{next}");
    // The cursor keeps its order, whatever `sort` says beside it.
    let (status, second, _) = api(
        &app,
        "GET",
        &format!("/api/v1/accounts?sort=partner&size=25&after={next}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{second}");
    let (first, second) = (names(&first), names(&second));
    assert_eq!(second.len(), 25);
    assert!(
        first.last().unwrap() > second.first().unwrap(),
        "{first:?} {second:?}"
    );
    assert!(second.windows(2).all(|w| w[0] >= w[1]));
    // A made-up cursor is refused by name.
    let (status, problem, _) = api(
        &app,
        "GET",
        "/api/v1/accounts?after=created.p_1",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "after");
}
