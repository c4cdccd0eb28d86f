//! The account console's server functions through the real router: each user
//! reaches their own account's content only, and bad input is a precise 4xx.

use axum::http::StatusCode;
use umbrella::audit::AuditContext;

use crate::support::*;

/// A child account's owner, signed in: (their account, their cookie).
async fn owner(app: &TestApp, org: &str, account: &str) -> (umbrella::domain::PartnerId, String) {
    let admin = format!("boss@{org}.example");
    app.organization(org, &admin).await;
    let email = format!("owner@{account}.example");
    let child = app.child(&admin, account, &email).await;
    umbrella::testing::set_owner_password(app.umbrella(), child, PASSWORD).await;
    (child, app.sign_in(&email, PASSWORD).await)
}

#[tokio::test]
async fn an_owner_edits_their_content_and_nobody_else_can() {
    let app = TestApp::new().await;
    let (account, ours) = owner(&app, "uni", "arts").await;
    let (_, theirs) = owner(&app, "other", "law").await;

    let news = app
        .call(
            "save_category",
            &[("id", ""), ("name", "News"), ("parent", "")],
            Some(&ours),
        )
        .await;
    assert_eq!(news.status, StatusCode::OK, "{}", news.body);
    let news_id = news.body.trim().to_owned();
    let entry = app
        .call(
            "save_entry",
            &[
                ("id", ""),
                ("name", "Clip"),
                ("description", ""),
                ("media_type", "video"),
                ("tags", "a"),
                ("reference_id", ""),
                ("categories", &news_id),
            ],
            Some(&ours),
        )
        .await;
    assert_eq!(entry.status, StatusCode::OK, "{}", entry.body);
    let listed = app.call("console_entries", &[], Some(&ours)).await;
    assert!(
        listed.body.contains("\"Clip\"") && listed.body.contains("\"News\""),
        "{}",
        listed.body
    );

    // Another account's user: our IDs are not theirs to touch, and they see none of it.
    let forged = app
        .call("delete_category", &[("id", &news_id)], Some(&theirs))
        .await;
    assert_eq!(forged.status, StatusCode::NOT_FOUND, "{}", forged.body);
    let misplaced = app
        .call(
            "save_category",
            &[("id", ""), ("name", "Mine"), ("parent", &news_id)],
            Some(&theirs),
        )
        .await;
    assert_eq!(
        misplaced.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        misplaced.body
    );
    assert!(misplaced.body.contains("\"parent\""));
    assert!(
        !app.call("console_entries", &[], Some(&theirs))
            .await
            .body
            .contains("Clip")
    );
    // Nobody anonymous.
    for function in ["console_overview", "console_entries", "export_content"] {
        assert_eq!(
            app.call(function, &[], None).await.status,
            StatusCode::UNAUTHORIZED,
            "{function}"
        );
    }
    // Malformed input is the caller's mistake.
    let bad_ids = app
        .call(
            "save_playlist",
            &[
                ("id", ""),
                ("name", "P"),
                ("description", ""),
                ("entries", "1,x"),
            ],
            Some(&ours),
        )
        .await;
    assert_eq!(
        bad_ids.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        bad_ids.body
    );
    let missing = app
        .call("save_entry", &[("name", "Clip")], Some(&ours))
        .await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST, "{}", missing.body);
    let unknown_kind = app
        .call("console_items", &[("kind", "secrets")], Some(&ours))
        .await;
    assert_eq!(unknown_kind.status, StatusCode::NOT_FOUND);

    // Once the account is blocked, its console is shut: the session no longer counts.
    let admin =
        umbrella::testing::admin_signed_in(app.umbrella(), "boss@uni.example", PASSWORD).await;
    app.umbrella()
        .change_account_status(
            &AuditContext::unrecorded(),
            &admin,
            account,
            umbrella::domain::AccountAction::Block,
        )
        .await
        .unwrap();
    assert_eq!(
        app.call("console_entries", &[], Some(&ours)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let page = app.page("/console/entries", Some(&ours)).await;
    assert_eq!(
        page.header(axum::http::header::LOCATION),
        Some("/login"),
        "{}",
        page.status
    );
}

#[tokio::test]
async fn a_bad_bundle_is_refused_whole_with_the_item_named() {
    let app = TestApp::new().await;
    let (account, cookie) = owner(&app, "uni", "arts").await;
    let mut bundle = umbrella::templates::starter_content();
    bundle.categories[1].parent = Some("nowhere".to_owned());
    let reply = app
        .call(
            "import_content",
            &[("bundle", &bundle.to_json())],
            Some(&cookie),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert!(
        reply.body.contains("categories[1] \\\"Sports\\\".parent"),
        "{}",
        reply.body
    );
    assert_eq!(
        app.umbrella()
            .export_account_content(account)
            .await
            .unwrap()
            .counts(),
        Default::default()
    );

    let good = umbrella::templates::starter_content();
    let reply = app
        .call(
            "import_content",
            &[("bundle", &good.to_json())],
            Some(&cookie),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let exported = app.call("export_content", &[], Some(&cookie)).await;
    let json: String = serde_json::from_str(&exported.body).unwrap();
    // Keys are renumbered on export (c0, c1, …); the content is the same.
    let exported = umbrella::domain::content::Bundle::from_json(&json).unwrap();
    assert_eq!(exported.counts(), good.counts());
    assert_eq!(
        *exported,
        app.umbrella()
            .export_account_content(account)
            .await
            .unwrap()
    );
    let lectures = exported
        .categories
        .iter()
        .find(|c| c.name == "Lectures")
        .unwrap();
    let parent = exported
        .categories
        .iter()
        .find(|c| Some(&c.key) == lectures.parent.as_ref())
        .unwrap();
    assert_eq!(parent.name, "Education");
}

#[tokio::test]
async fn the_add_account_dialog_offers_only_the_organizations_templates() {
    let app = TestApp::new().await;
    let (template, _) = owner(&app, "uni", "channel").await;
    app.umbrella()
        .set_template(&AuditContext::unrecorded(), template, true)
        .await
        .unwrap();
    app.organization("Other", "boss@other.example").await;
    let ours = app.sign_in("boss@uni.example", PASSWORD).await;
    let theirs = app.sign_in("boss@other.example", PASSWORD).await;

    let offered = app.call("template_choices", &[], Some(&ours)).await;
    assert!(
        offered.body.contains("Default Template") && offered.body.contains("channel"),
        "{}",
        offered.body
    );
    let elsewhere = app.call("template_choices", &[], Some(&theirs)).await;
    assert!(!elsewhere.body.contains("channel"), "{}", elsewhere.body);

    let id = template.to_string();
    let form = |email: &'static str| {
        vec![
            ("admin_name", "Ann"),
            ("name", "Copy"),
            ("admin_email", email),
            ("admin_phone", "555 0100"),
            ("website_url", ""),
            ("reference_id", ""),
        ]
    };
    let mut forged = form("ann@other.example");
    forged.push(("template", &id));
    let refused = app.call("create_account", &forged, Some(&theirs)).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(refused.body.contains("\"template\""));
    let mut allowed = form("ann@uni.example");
    allowed.push(("template", &id));
    assert_eq!(
        app.call("create_account", &allowed, Some(&ours))
            .await
            .status,
        StatusCode::OK
    );
    // The child owner of the template cannot use the Multi Account functions.
    let owner_cookie = app.sign_in("owner@channel.example", PASSWORD).await;
    assert_eq!(
        app.call("template_choices", &[], Some(&owner_cookie))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

/// The Entries section shows an account's entries a page at a time, by name: every
/// entry once, none twice, whatever the account holds.
#[tokio::test]
async fn entries_come_a_page_at_a_time_in_name_order() {
    let app = TestApp::new().await;
    let (account, ours) = owner(&app, "uni", "arts").await;
    // 250 entries, two of each name, so that pages also break between equal names.
    let entries: Vec<serde_json::Value> = (0..250)
        .map(|i| {
            serde_json::json!({"key": format!("e{i}"), "name": format!("Clip {:03}", i / 2), "media_type": "video"})
        })
        .collect();
    let bundle =
        serde_json::json!({"format": "umbrella-content/1", "entries": entries}).to_string();
    app.umbrella()
        .import_account_content(&AuditContext::unrecorded(), account, &bundle)
        .await
        .unwrap();
    let mut seen: Vec<(String, i64)> = Vec::new();
    let mut after = String::new();
    let mut pages = 0;
    loop {
        let form: Vec<(&str, &str)> = if after.is_empty() {
            vec![]
        } else {
            vec![("after", after.as_str())]
        };
        let page = app.call("console_entries", &form, Some(&ours)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let page: serde_json::Value = serde_json::from_str(&page.body).unwrap();
        let rows = page["entries"].as_array().unwrap();
        assert!(
            rows.len() <= 100,
            "a page holds at most 100: {}",
            rows.len()
        );
        seen.extend(rows.iter().map(|r| {
            (
                r["name"].as_str().unwrap().to_owned(),
                r["id"].as_i64().unwrap(),
            )
        }));
        pages += 1;
        match page["next"].as_i64() {
            Some(next) => after = next.to_string(),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 250, "every entry once");
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted, "in name order, then ID");
    sorted.dedup();
    assert_eq!(sorted.len(), 250, "none twice");
}
