//! "Export CSV": the tab's filter and order, every page, streamed; formulas
//! neutralised; the organization's own accounts only; recorded in the audit log.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::support::*;

async fn export(app: &TestApp, query: &str, cookie: Option<&str>) -> Reply {
    let mut request = Request::get(format!("/multi-account/export.csv{query}"));
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    app.send(request.body(Body::empty()).unwrap()).await
}

/// The file's rows (after the byte-order mark), each split into its cells.
fn rows(body: &str) -> Vec<Vec<String>> {
    let text = body
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark first");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_file_holds_the_filtered_list_with_formulas_made_harmless() {
    let app = TestApp::new().await;
    let parent = app.organization("Uni", "boss@uni.example").await;
    app.child(
        "boss@uni.example",
        "=HYPERLINK(\"http://x.example\")",
        "a@uni.example",
    )
    .await;
    let arts = app
        .child(
            "boss@uni.example",
            "Faculty of Arts, \"Old\"",
            "b@uni.example",
        )
        .await;
    app.organization("Other", "boss@other.example").await;
    app.child("boss@other.example", "Not ours", "c@other.example")
        .await;
    let cookie = app.sign_in("boss@uni.example", PASSWORD).await;

    let reply = export(&app, "?sort=name", Some(&cookie)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        reply.header(header::CONTENT_TYPE),
        Some("text/csv; charset=utf-8")
    );
    assert!(
        reply
            .header(header::CONTENT_DISPOSITION)
            .unwrap()
            .starts_with("attachment; filename=\"accounts-")
    );
    assert!(
        reply.body.contains("\r\n"),
        "CRLF rows, as spreadsheets expect"
    );
    let rows = rows(&reply.body);
    assert_eq!(rows[0][0], "Account Name");
    assert_eq!(rows[0].len(), 9);
    let names: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        names,
        [
            "'=HYPERLINK(\"http://x.example\")",
            "Faculty of Arts, \"Old\"",
            "Uni (Parent)"
        ]
    );
    let parent_row = &rows[3];
    assert_eq!(parent_row[1], parent.get().to_string());
    assert_eq!(parent_row[2], "Active");
    assert_eq!(
        parent_row[5], "'+1 555 0100",
        "a phone that starts with + is text"
    );
    assert_eq!(parent_row[6], "", "an absent Reference ID is an empty cell");

    // The filter of the tab: a search, a status.
    let reply = export(&app, "?mode=name&q=arts", Some(&cookie)).await;
    let rows = self::rows(&reply.body);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1][0], "Faculty of Arts, \"Old\"");
    let reply = export(&app, "?status=removed", Some(&cookie)).await;
    assert_eq!(self::rows(&reply.body).len(), 1, "the header alone");

    // A bad filter is named; strangers are sent to sign in.
    let reply = export(&app, "?status=lost", Some(&cookie)).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    let reply = export(&app, "", None).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.header(header::LOCATION), Some("/login"));
    // An account's own user is no administrator of the organization.
    umbrella::testing::set_owner_password(app.umbrella(), arts, PASSWORD).await;
    let owner = app.sign_in("b@uni.example", PASSWORD).await;
    let reply = export(&app, "", Some(&owner)).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);

    // Who exported, with which filter.
    let noted: Vec<(String, String)> = sqlx::query_as(
        "SELECT actor, detail FROM audit_log WHERE action = 'accounts.export' ORDER BY id",
    )
    .fetch_all(app.umbrella().db().pool())
    .await
    .unwrap();
    assert_eq!(noted.len(), 3, "{noted:?}");
    assert_eq!(
        noted[1],
        ("boss@uni.example".to_owned(), "mode=name&q=arts".to_owned())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_list_longer_than_a_batch_comes_whole_and_in_order() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    let actor =
        umbrella::testing::actor_signed_in(app.umbrella(), "boss@uni.example", PASSWORD).await;
    let parent = actor.account_id;
    let count = umbrella::accounts::EXPORT_BATCH as usize * 2 + 500;
    umbrella::testing::bulk_seed_accounts(app.umbrella(), actor.organization_id, parent, count)
        .await
        .unwrap();
    let cookie = app.sign_in("boss@uni.example", PASSWORD).await;

    let reply = export(&app, "?status=all&sort=partner", Some(&cookie)).await;
    assert_eq!(reply.status, StatusCode::OK);
    let rows = rows(&reply.body);
    assert_eq!(
        rows.len(),
        1 + count + 1,
        "the header, every account, the parent"
    );
    let ids: Vec<i64> = rows[1..].iter().map(|r| r[1].parse().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "in order, none twice");
}

/// One organization's export that is still streaming (a download stalled by its
/// client) holds only that organization's share: its next export waits, another
/// organization's runs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_export_holds_only_its_organizations_share() {
    use tower::ServiceExt;
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    app.organization("Net", "boss@net.example").await;
    let uni = app.sign_in("boss@uni.example", PASSWORD).await;
    let net = app.sign_in("boss@net.example", PASSWORD).await;
    let request = |cookie: &str| {
        Request::get("/multi-account/export.csv")
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap()
    };
    // Answered, but its body never read: the export's permits stay taken.
    let stalled = app.router.clone().oneshot(request(&uni)).await.unwrap();
    assert_eq!(stalled.status(), StatusCode::OK);
    let second = app.send(request(&uni)).await;
    assert_eq!(
        second.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        second.body
    );
    assert!(
        second.body.contains("other export is still running"),
        "{}",
        second.body
    );
    assert_eq!(second.header(header::RETRY_AFTER), Some("60"));
    let other = app.send(request(&net)).await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.body);
    assert_eq!(rows(&other.body).len(), 2, "header and the parent");
    // Once the stalled download is dropped (as the write deadline drops it), the
    // organization may export again.
    drop(stalled);
    let again = app.send(request(&uni)).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
}
