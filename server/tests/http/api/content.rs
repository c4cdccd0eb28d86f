//! The API's content bundles: an account's whole content out and back in.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use umbrella::audit::AuditContext;
use umbrella::domain::AccountAction;

use super::{api, org_and_token, token_for};
use crate::support::*;

async fn put_raw(
    app: &TestApp,
    path: &str,
    token: &str,
    content_type: &str,
    body: Vec<u8>,
) -> Reply {
    app.send(
        Request::put(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bundle_goes_out_of_one_account_and_into_another() {
    let app = TestApp::new().await;
    let (parent, writer) = org_and_token(&app, "boss@net.example", "read_write").await;
    let token = Some(writer.as_str());
    let arts = app
        .child("boss@net.example", "Arts", "arts@net.example")
        .await;
    let music = app
        .child("boss@net.example", "Music", "music@net.example")
        .await;
    let starter = umbrella::templates::starter_content();

    let (status, counts, _) = api(
        &app,
        "PUT",
        &format!("/api/v1/accounts/{arts}/content"),
        token,
        Some(serde_json::to_value(&starter).unwrap()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{counts}");
    let expected = starter.counts();
    assert_eq!(counts["categories"], expected.categories);
    assert_eq!(counts["roles"], expected.roles);
    let (status, bundle, reply) = api(
        &app,
        "GET",
        &format!("/api/v1/accounts/{arts}/content"),
        token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reply.header(header::CONTENT_TYPE), Some("application/json"));
    assert_eq!(
        bundle["categories"].as_array().unwrap().len() as i64,
        expected.categories
    );

    // What one account exports, another imports, and exports the same again.
    let (status, _, _) = api(
        &app,
        "PUT",
        &format!("/api/v1/accounts/{music}/content"),
        token,
        Some(bundle.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, again, _) = api(
        &app,
        "GET",
        &format!("/api/v1/accounts/{music}/content"),
        token,
        None,
    )
    .await;
    assert_eq!(again, bundle);

    // A bad bundle changes nothing and says what is wrong.
    let path = format!("/api/v1/accounts/{music}/content");
    let reply = put_raw(
        &app,
        &path,
        &writer,
        "application/json",
        b"{\"format\": 1".to_vec(),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    let problem: Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(problem["errors"][0]["field"], "bundle");
    let mut broken = bundle.clone();
    broken["entries"] = json!([{"key": "e1", "name": "Lost", "media_type": "video",
                                "categories": ["no such category"]}]);
    let (status, problem, _) = api(&app, "PUT", &path, token, Some(broken)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let reply = put_raw(&app, &path, &writer, "text/plain", b"{}".to_vec()).await;
    assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let reply = put_raw(
        &app,
        &path,
        &writer,
        "application/json",
        vec![b' '; 17 << 20],
    )
    .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    let (_, unchanged, _) = api(&app, "GET", &path, token, None).await;
    assert_eq!(unchanged, bundle);

    // Read-only tokens read; another organization finds nothing.
    let reader = token_for(&app, parent, "read_only", "Reader").await;
    assert_eq!(
        api(&app, "GET", &path, Some(&reader), None).await.0,
        StatusCode::OK
    );
    assert_eq!(
        api(&app, "PUT", &path, Some(&reader), Some(bundle.clone()))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let (_, theirs) = org_and_token(&app, "boss@other.example", "read_write").await;
    assert_eq!(
        api(&app, "GET", &path, Some(&theirs), None).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        api(&app, "PUT", &path, Some(&theirs), Some(bundle.clone()))
            .await
            .0,
        StatusCode::NOT_FOUND
    );

    // Nothing of a blocked account's content can be viewed; a removed one is frozen.
    let admin =
        umbrella::testing::admin_signed_in(app.umbrella(), "boss@net.example", PASSWORD).await;
    for action in [AccountAction::Block, AccountAction::Remove] {
        app.umbrella()
            .change_account_status(&AuditContext::unrecorded(), &admin, music, action)
            .await
            .unwrap();
        let (status, problem, _) = api(&app, "GET", &path, token, None).await;
        assert_eq!(status, StatusCode::CONFLICT, "{problem}");
        let (status, problem, _) = api(&app, "PUT", &path, token, Some(bundle.clone())).await;
        let expected = match action {
            AccountAction::Block => StatusCode::OK,
            _ => StatusCode::CONFLICT,
        };
        assert_eq!(status, expected, "{action:?}: {problem}");
    }

    let (_, log, _) = api(
        &app,
        "GET",
        "/api/v1/audit?action=content.import",
        token,
        None,
    )
    .await;
    let outcomes: Vec<(i64, &str)> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["partner_id"].as_i64().unwrap(),
                e["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    let (arts, music) = (arts.get(), music.get());
    assert_eq!(
        outcomes,
        [
            (music, "refused"),
            (music, "done"),
            (music, "refused"),
            (music, "refused"),
            (music, "done"),
            (arts, "done")
        ]
    );
}
