//! CMS Login through the real router: the POST that starts it, the cookie confined
//! to the account's prefix, the banner, the end, and the audit entries.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::support::*;

impl TestApp {
    /// Starts a CMS Login as the browser's form does.
    pub async fn cms_login(&self, account: i64, cookie: Option<&str>) -> Reply {
        let mut request = Request::post(format!("/cms/{account}/login"))
            .header(header::ACCEPT, "text/html")
            .header(header::ORIGIN, ORIGIN);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// A server function called from a CMS Login tab (under its prefix).
    pub async fn cms_call(&self, account: i64, function: &str, cookie: &str) -> Reply {
        let request = Request::post(format!("/cms/{account}/api/{function}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .header(header::COOKIE, cookie);
        self.send(request.body(Body::empty()).unwrap()).await
    }
}

impl Reply {
    /// The CMS Login cookie this reply sets: (`name=value`, the whole header).
    pub fn cms_cookie(&self) -> Option<(String, String)> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("umbrella_cms="))
            .map(|v| {
                (
                    v.split(';').next().unwrap_or_default().to_owned(),
                    v.to_owned(),
                )
            })
    }
}

#[tokio::test]
async fn an_admin_steps_into_an_account_and_out_again() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    let child = app
        .child("boss@uni.example", "Physics", "phys@uni.example")
        .await
        .get();
    let other = app
        .child("boss@uni.example", "Maths", "maths@uni.example")
        .await
        .get();
    let admin = app.sign_in("boss@uni.example", PASSWORD).await;

    let started = app.cms_login(child, Some(&admin)).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    assert_eq!(
        started.header(header::LOCATION),
        Some(format!("/cms/{child}/console").as_str())
    );
    assert!(
        started.session_cookie().is_none(),
        "the admin's own cookie is untouched"
    );
    let (cms, whole) = started.cms_cookie().expect("a CMS Login cookie");
    assert!(whole.contains(&format!("Path=/cms/{child}")), "{whole}");
    assert!(
        whole.contains("HttpOnly") && whole.contains("Max-Age=3600"),
        "{whole}"
    );

    let page = app.page(&format!("/cms/{child}/console"), Some(&cms)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body
            .contains("Signed in to Physics as its owner by boss@uni.example"),
        "{}",
        page.body
    );
    assert!(page.body.contains("End session"));
    assert_eq!(
        app.cms_call(child, "console_overview", &cms).await.status,
        StatusCode::OK
    );
    // Confined: not under another account, not outside /cms, not the Multi Account tab.
    assert_eq!(
        app.cms_call(other, "console_overview", &cms).await.status,
        StatusCode::UNAUTHORIZED
    );
    let as_plain_session = cms.replace("umbrella_cms=", "umbrella_session=");
    assert_eq!(
        app.call("console_overview", &[], Some(&as_plain_session))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.cms_call(child, "list_accounts", &cms).await.status,
        StatusCode::FORBIDDEN
    );
    // The admin's own session, sent along to /cms/… as browsers do, counts for nothing there.
    assert_eq!(
        app.cms_call(child, "console_overview", &admin).await.status,
        StatusCode::UNAUTHORIZED
    );

    let ended = app.cms_call(child, "end_cms_session", &cms).await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
    let (cleared, whole) = ended.cms_cookie().expect("the cookie is cleared");
    assert_eq!(cleared, "umbrella_cms=");
    assert!(whole.contains("Max-Age=0") && whole.contains(&format!("Path=/cms/{child}")));
    assert_eq!(
        app.cms_call(child, "console_overview", &cms).await.status,
        StatusCode::UNAUTHORIZED
    );
    let page = app.page(&format!("/cms/{child}/console"), Some(&cms)).await;
    assert_eq!(page.status, StatusCode::FOUND);
    assert_eq!(
        page.header(header::LOCATION),
        Some(format!("/cms/{child}/ended").as_str())
    );
    assert_eq!(
        app.call("list_accounts", &[], Some(&admin)).await.status,
        StatusCode::OK
    );

    let audit = app
        .call(
            "list_audit",
            &[
                ("partner_id", &child.to_string()),
                ("action", ""),
                ("from", ""),
                ("to", ""),
                ("before", ""),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(audit.status, StatusCode::OK, "{}", audit.body);
    let log: serde_json::Value = serde_json::from_str(&audit.body).unwrap();
    let actions: Vec<_> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["action"].as_str().unwrap(), e["acting_as"].as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("End CMS Login", Some("phys@uni.example")),
            ("CMS Login", None),
        ]
    );
}

#[tokio::test]
async fn cms_login_is_refused_to_the_wrong_people_and_accounts() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    app.organization("Else", "else@else.example").await;
    let child = app
        .child("boss@uni.example", "Physics", "phys@uni.example")
        .await;
    umbrella::testing::set_owner_password(app.umbrella(), child, PASSWORD).await;
    let child = child.get();
    let admin = app.sign_in("boss@uni.example", PASSWORD).await;
    let stranger = app.sign_in("else@else.example", PASSWORD).await;
    let owner = app.sign_in("phys@uni.example", PASSWORD).await;

    let anonymous = app.cms_login(child, None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(anonymous.header(header::LOCATION), Some("/login"));
    for (cookie, status) in [
        (&owner, StatusCode::FORBIDDEN),
        (&stranger, StatusCode::NOT_FOUND),
    ] {
        let reply = app.cms_login(child, Some(cookie)).await;
        assert_eq!(reply.status, status, "{}", reply.body);
        assert!(reply.cms_cookie().is_none());
        assert!(reply.body.contains("CMS Login refused"));
    }
    // From another site: refused before anything else.
    let forged = Request::post(format!("/cms/{child}/login"))
        .header(header::HOST, "umbrella.example")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::COOKIE, &admin)
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(forged).await.status, StatusCode::FORBIDDEN);

    let blocked = app
        .call(
            "change_account_status",
            &[("partner_id", &child.to_string()), ("action", "block")],
            Some(&admin),
        )
        .await;
    assert_eq!(blocked.status, StatusCode::OK);
    let refused = app.cms_login(child, Some(&admin)).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.contains("blocked"), "{}", refused.body);

    let entries = app
        .umbrella()
        .operator_audit_log(Some(umbrella::domain::PartnerId::new(child)))
        .await
        .unwrap();
    let outcomes: Vec<_> = entries
        .iter()
        .map(|e| (e.actor.as_str(), e.action.as_str(), e.outcome.as_db()))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("phys@uni.example", "cms_login.start", "refused"),
            ("else@else.example", "cms_login.start", "refused"),
            ("boss@uni.example", "account.block", "done"),
            ("boss@uni.example", "cms_login.start", "refused"),
        ]
    );
}

#[tokio::test]
async fn a_cms_login_ends_when_its_administrator_signs_out() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    let child = app
        .child("boss@uni.example", "Physics", "phys@uni.example")
        .await
        .get();
    let admin = app.sign_in("boss@uni.example", PASSWORD).await;
    let (cms, _) = app
        .cms_login(child, Some(&admin))
        .await
        .cms_cookie()
        .unwrap();
    let console = format!("/cms/{child}/console");
    assert_eq!(app.page(&console, Some(&cms)).await.status, StatusCode::OK);

    // The administrator signs out in their own tab: the CMS Login tab is over too.
    app.call("sign_out", &[], Some(&admin)).await;
    let after = app.page(&console, Some(&cms)).await;
    assert_eq!(after.status, StatusCode::FOUND, "{}", after.body);
    assert_eq!(
        after.header(header::LOCATION),
        Some(format!("/cms/{child}/ended").as_str())
    );
}

#[tokio::test]
async fn an_idle_session_is_sent_to_sign_in() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    let cookie = app.sign_in("boss@uni.example", PASSWORD).await;
    assert_eq!(
        app.page("/multi-account", Some(&cookie)).await.status,
        StatusCode::OK
    );
    // An hour and a minute without a request (the default idle timeout is an hour).
    sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - $1")
        .bind(61_i64 * 60 * 1000)
        .execute(app.umbrella().db().pool())
        .await
        .unwrap();
    let idle = app.page("/multi-account", Some(&cookie)).await;
    assert_eq!(idle.status, StatusCode::FOUND);
    assert_eq!(idle.header(header::LOCATION), Some("/login"));
}
