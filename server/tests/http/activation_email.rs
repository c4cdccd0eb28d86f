//! Activation links by email (`serve --smtp-url`), against a local SMTP sink.

use std::sync::Arc;

use axum::http::StatusCode;
use umbrella::testing::TestDb;

use crate::smtp_sink::SmtpSink;
use crate::support::*;

async fn app_mailing_to(sink: &SmtpSink) -> TestApp {
    let mailer =
        app::mail::Mailer::new(&sink.url, "Umbrella <no-reply@umbrella.test>", ORIGIN).unwrap();
    TestApp::on(TestDb::sqlite().await, |config| {
        config.mailer = Some(Arc::new(mailer));
    })
}

/// The token of the activation link in a message.
fn token_in(message: &str) -> String {
    let link = format!("{ORIGIN}/activate?token=");
    let at = message
        .find(&link)
        .unwrap_or_else(|| panic!("no link in {message}"))
        + link.len();
    message[at..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect()
}

/// Faculty of Arts, owned by olga@arts.example, through the Add Account dialog's call.
async fn create_arts(app: &TestApp, cookie: &str) -> Reply {
    app.call(
        "create_account",
        &[
            ("admin_name", "Olga Owner"),
            ("name", "Faculty of Arts"),
            ("admin_email", "olga@arts.example"),
            ("admin_phone", "555 0100"),
            ("website_url", ""),
            ("reference_id", ""),
        ],
        Some(cookie),
    )
    .await
}

async fn resend(app: &TestApp, form: &[(&str, &str)], cookie: &str) -> Reply {
    app.call("resend_activation", form, Some(cookie)).await
}

async fn activate(app: &TestApp, token: &str) -> Reply {
    let password = "a brand new password";
    app.call(
        "activate",
        &[
            ("token", token),
            ("password", password),
            ("confirm", password),
        ],
        None,
    )
    .await
}

#[tokio::test]
async fn a_new_owner_gets_the_link_by_email_and_resend_replaces_it() {
    let sink = SmtpSink::start().await;
    let app = app_mailing_to(&sink).await;
    app.organization("Uni", "boss@uni.example").await;
    let cookie = app.sign_in("boss@uni.example", PASSWORD).await;
    let reply = create_arts(&app, &cookie).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let created: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(created["emailed_to"], "olga@arts.example");
    // Emailed, the link is not shown to the administrator at all.
    assert!(created["activation_path"].is_null(), "{}", reply.body);
    let partner_id = created["row"]["partner_id"].to_string();

    let messages = sink.messages();
    assert_eq!(messages.len(), 1);
    let first = &messages[0];
    assert!(first.contains("To: olga@arts.example"), "{first}");
    assert!(
        first.contains("Subject: Your Umbrella activation link"),
        "{first}"
    );
    assert!(first.contains("the account Faculty of Arts"), "{first}");
    let old = token_in(first);

    let reply = resend(&app, &[("partner_id", &partner_id)], &cookie).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(
        reply.body.contains("\"emailed_to\":\"olga@arts.example\""),
        "{}",
        reply.body
    );
    let messages = sink.messages();
    assert_eq!(messages.len(), 2);
    let new = token_in(&messages[1]);
    assert_ne!(old, new);

    // The old link stopped working; the new one works, once.
    assert_eq!(
        activate(&app, &old).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(activate(&app, &new).await.status, StatusCode::OK);
    let reply = resend(&app, &[("partner_id", &partner_id)], &cookie).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    assert!(
        reply.body.contains("chosen a password already"),
        "{}",
        reply.body
    );
    assert_eq!(sink.messages().len(), 2, "nothing sent for an active owner");
}

#[tokio::test]
async fn a_new_user_gets_the_link_by_email_too() {
    let sink = SmtpSink::start().await;
    let app = app_mailing_to(&sink).await;
    app.organization("Uni", "boss@uni.example").await;
    let cookie = app.sign_in("boss@uni.example", PASSWORD).await;
    let reply = app
        .call(
            "add_user",
            &[
                ("email", "ulla@uni.example"),
                ("first_name", "Ulla"),
                ("last_name", "User"),
                ("publisher_user_id", ""),
                ("role", "Publisher Administrator"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(
        reply.body.contains("\"emailed_to\":\"ulla@uni.example\""),
        "{}",
        reply.body
    );
    let created: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    let user_id = created["user"]["id"].to_string();
    let first = token_in(&sink.messages()[0]);
    let reply = resend(&app, &[("user_id", &user_id)], &cookie).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let second = token_in(&sink.messages()[1]);
    assert_eq!(
        activate(&app, &first).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(activate(&app, &second).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_refused_email_leaves_the_link_for_the_administrator_with_the_reason() {
    let sink = SmtpSink::refusing().await;
    let app = app_mailing_to(&sink).await;
    app.organization("Uni", "boss@uni.example").await;
    let cookie = app.sign_in("boss@uni.example", PASSWORD).await;
    let reply = create_arts(&app, &cookie).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let created: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert!(created["emailed_to"].is_null());
    let path = created["activation_path"].as_str().unwrap();
    assert!(path.starts_with("/activate?token="), "{path}");
    let reason = created["email_error"].as_str().unwrap();
    assert!(reason.contains("no such mailbox"), "{reason}");
    // The account exists and its link works: a mail problem never loses the account.
    let token = path.trim_start_matches("/activate?token=");
    assert_eq!(activate(&app, token).await.status, StatusCode::OK);
}

#[tokio::test]
async fn without_smtp_the_link_is_shown_and_resend_shows_a_new_one() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    app.organization("College", "boss@college.example").await;
    let arts = app
        .child("boss@uni.example", "Arts", "arts@uni.example")
        .await
        .to_string();
    let cookie = app.sign_in("boss@uni.example", PASSWORD).await;
    let reply = resend(&app, &[("partner_id", &arts)], &cookie).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let delivery: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert!(
        delivery["activation_path"]
            .as_str()
            .unwrap()
            .starts_with("/activate?token=")
    );
    assert!(delivery["emailed_to"].is_null());
    // Five links an hour per person, the first included: Resend cannot flood an inbox.
    for _ in 0..3 {
        let reply = resend(&app, &[("partner_id", &arts)], &cookie).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    let reply = resend(&app, &[("partner_id", &arts)], &cookie).await;
    assert_eq!(
        reply.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        reply.body
    );
    assert!(reply.header(axum::http::header::RETRY_AFTER).is_some());

    // Another organization's account, a bad ID, neither or both targets: precise refusals.
    let college = app.sign_in("boss@college.example", PASSWORD).await;
    let reply = resend(&app, &[("partner_id", &arts)], &college).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    for form in [
        vec![("partner_id", "x")],
        vec![],
        vec![("partner_id", arts.as_str()), ("user_id", "1")],
        vec![("user_id", "-4")],
    ] {
        let reply = app.call("resend_activation", &form, Some(&cookie)).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{form:?}: {}",
            reply.body
        );
    }
}
