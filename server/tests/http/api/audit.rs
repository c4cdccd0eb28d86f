//! The API's Audit tab: the organization's log, its filters and its cursor.

use std::num::NonZeroU32;

use axum::http::StatusCode;
use serde_json::Value;

use super::accounts::new_account;
use super::{api, org_and_token};
use crate::support::*;
use umbrella::testing::TestDb;

fn field_names(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_pages_and_filters_as_the_tab_does() {
    // More requests than a token's default burst.
    let app = TestApp::on(TestDb::sqlite().await, |config| {
        config.api_rate = umbrella_server::api::ApiRate {
            per_second: NonZeroU32::new(1000).unwrap(),
            burst: NonZeroU32::new(1000).unwrap(),
        };
    });
    let (parent, token) = org_and_token(&app, "boss@net.example", "read_write").await;
    let token = Some(token.as_str());
    let (_, created, _) = api(
        &app,
        "POST",
        "/api/v1/accounts",
        token,
        Some(new_account("Channel One", "one@net.example")),
    )
    .await;
    let id = created["account"]["partner_id"].as_i64().unwrap();
    let block = format!("/api/v1/accounts/{id}/block");
    assert_eq!(
        api(&app, "POST", &block, token, None).await.0,
        StatusCode::OK
    );
    // 55 refusals (the parent is not the API's to block) make more than a page.
    let parent_block = format!("/api/v1/accounts/{}/block", parent.get());
    for _ in 0..55 {
        assert_eq!(
            api(&app, "POST", &parent_block, token, None).await.0,
            StatusCode::FORBIDDEN
        );
    }
    // Another organization's entries never show.
    let (_, theirs) = org_and_token(&app, "boss@other.example", "read_write").await;
    api(
        &app,
        "POST",
        "/api/v1/accounts",
        Some(&theirs),
        Some(new_account("Theirs", "theirs@other.example")),
    )
    .await;

    let mut seen = Vec::new();
    let mut path = "/api/v1/audit".to_owned();
    loop {
        let (status, page, _) = api(&app, "GET", &path, token, None).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let entries = page["entries"].as_array().unwrap();
        assert!(entries.len() <= 50);
        seen.extend(entries.iter().cloned());
        match page["next"].as_str() {
            Some(next) => path = format!("/api/v1/audit?before={next}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 57, "every entry once, over two pages");
    assert_eq!(seen[0]["action"], "account.block");
    assert_eq!(seen[0]["outcome"], "refused");
    assert_eq!(seen[56]["action"], "account.create");
    assert_eq!(seen[56]["action_label"], "Create account");
    assert_eq!(seen[56]["account_name"], "Channel One");
    assert!(seen[56]["at"].as_str().unwrap().ends_with('Z'));
    let ids: Vec<i64> = seen.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert!(
        ids.windows(2).all(|w| w[0] > w[1]),
        "newest first, no repeats"
    );

    let (_, page, _) = api(
        &app,
        "GET",
        &format!("/api/v1/audit?action=account.block&partner_id={id}"),
        token,
        None,
    )
    .await;
    let entries = page["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{page}");
    assert_eq!(
        (
            entries[0]["partner_id"].as_i64(),
            entries[0]["outcome"].as_str()
        ),
        (Some(id), Some("done"))
    );
    let (_, page, _) = api(
        &app,
        "GET",
        "/api/v1/audit?from=2000-01-01&to=2000-12-31",
        token,
        None,
    )
    .await;
    assert_eq!(page["entries"], Value::Array(Vec::new()));

    for (query, field) in [
        ("action=account.explode", "action"),
        ("from=2026-13-01", "from"),
        ("from=2026-11-02&to=2026-11-01", "to"),
        ("before=yesterday", "before"),
        ("partner_id=0", "partner_id"),
    ] {
        let (status, problem, _) =
            api(&app, "GET", &format!("/api/v1/audit?{query}"), token, None).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {problem}"
        );
        assert_eq!(field_names(&problem), [field], "{query}");
    }
}
