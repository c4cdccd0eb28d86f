//! User text never becomes markup: every page is rendered with an account, a user
//! and content named like markup, and the name must come out as text.

use axum::http::StatusCode;
use umbrella::audit::AuditContext;
use umbrella::domain::content::ContentKind;

use crate::support::*;

/// Markup that would close the title, open a script and break out of an attribute.
const NAME: &str = "</title><script>\"'&<>";

/// The page's `<title>` text, as written.
fn title_of(body: &str) -> &str {
    body.split("<title>")
        .nth(1)
        .and_then(|rest| rest.split("</title>").next())
        .unwrap_or_default()
}

/// `body` holds `NAME` only as text: never as written (which would be markup in the
/// head or a text node, and a way out of any attribute).
fn assert_text_only(path: &str, body: &str) {
    assert!(
        !body.contains(NAME),
        "{path}: the name reached the page unescaped:\n{body}"
    );
    assert!(
        !title_of(body).contains('<'),
        "{path}: the title holds markup: {}",
        title_of(body)
    );
}

#[tokio::test]
async fn every_page_shows_names_made_of_markup_as_text() {
    let app = TestApp::new().await;
    app.organization(NAME, "boss@uni.example").await;
    let child = app
        .child("boss@uni.example", NAME, "owner@uni.example")
        .await;
    let content = format!(
        r#"{{"format":"umbrella-content/1",
            "categories":[{{"key":"c0","name":{name}}}],
            "entries":[{{"key":"e0","name":{name},"description":{name},"media_type":"video","tags":[],"categories":["c0"]}}],
            "playlists":[{{"name":{name},"description":{name},"entries":["e0"]}}],
            "players":[{{"name":{name},"width":640,"height":360}}]}}"#,
        name = serde_json::to_string(NAME).unwrap()
    );
    app.umbrella()
        .import_account_content(&AuditContext::unrecorded(), child, &content)
        .await
        .unwrap();
    let admin = app.sign_in("boss@uni.example", PASSWORD).await;
    let added = app
        .call(
            "add_user",
            &[
                ("email", "staff@uni.example"),
                ("first_name", NAME),
                ("last_name", NAME),
                ("publisher_user_id", NAME),
                ("role", "Publisher Administrator"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let token = app
        .call(
            "create_api_token",
            &[
                ("name", NAME),
                ("access", "read_only"),
                ("expires_days", ""),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(token.status, StatusCode::OK, "{}", token.body);

    let mut pages = vec![
        "/multi-account".to_owned(),
        format!(
            "/multi-account?q={}",
            app::list_params::percent_encode(NAME)
        ),
        "/users".to_owned(),
        "/audit".to_owned(),
        "/api-tokens".to_owned(),
        "/console".to_owned(),
    ];
    let sections = ContentKind::ALL
        .iter()
        .map(|kind| kind.slug())
        .chain(["users", "bundle"]);
    pages.extend(sections.clone().map(|slug| format!("/console/{slug}")));
    let mut seen_as_text = 0;
    for path in &pages {
        let page = app.page(path, Some(&admin)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_text_only(path, &page.body);
        seen_as_text += usize::from(page.body.contains("&lt;/title&gt;&lt;script&gt;"));
    }

    // The account's own console, through CMS Login (its title names the account).
    let started = app.cms_login(child.get(), Some(&admin)).await;
    let (cms, _) = started.cms_cookie().expect("a CMS Login cookie");
    let cms_cookie = format!("{admin}; {cms}");
    let mut cms_pages = vec![format!("/cms/{child}/console")];
    cms_pages.extend(sections.map(|slug| format!("/cms/{child}/console/{slug}")));
    for path in &cms_pages {
        let page = app.page(path, Some(&cms_cookie)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_text_only(path, &page.body);
        assert!(
            title_of(&page.body).contains("&lt;/title&gt;&lt;script&gt;"),
            "{path}: the title names the account, as text: {}",
            title_of(&page.body)
        );
        seen_as_text += 1;
    }
    assert!(
        seen_as_text >= pages.len() / 2 + cms_pages.len(),
        "the name is on the pages, as text ({seen_as_text} of {})",
        pages.len() + cms_pages.len()
    );
}
