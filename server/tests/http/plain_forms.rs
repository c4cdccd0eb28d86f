//! Forms posted by the browser itself (before the WASM has loaded, or without
//! JavaScript) end on a real page: the form's page with the error beside its field,
//! or the same destination as with JavaScript. Never a JSON body.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::support::*;

/// A form as Chromium posts it from one of our pages: HTML accepted, our Origin.
async fn post_form(app: &TestApp, function: &str, form: &[(&str, &str)]) -> Reply {
    let request = Request::post(format!("/api/{function}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8")
        .header(header::ORIGIN, ORIGIN)
        .body(Body::from(form_body(form)))
        .unwrap();
    app.send(request).await
}

/// The refusal a plain form post's answer carries to its page, as a `Cookie` header.
fn flash_of(reply: &Reply) -> String {
    reply.cookie("umbrella_flash").expect("a flash cookie")
}

/// The URL-safe base64 server_fn puts an error into.
fn url_safe_base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |n, b| (n << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
        out.push_str(&"=".repeat(3 - chunk.len()));
    }
    out
}

#[tokio::test]
async fn no_page_shows_error_text_that_a_link_carries() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    let lure = "Your account is locked. Call +1 555 0100 to unlock it.";
    let crafted = url_safe_base64(format!("{{\"SignInRefused\":\"{lure}\"}}").as_bytes());
    let paths = [
        format!("/login?__path=/api/sign_in&__err={crafted}"),
        format!("/activate?token=x&__path=/api/activate&__err={crafted}"),
    ];
    for path in &paths {
        let page = app.page(path, None).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(!page.body.contains("locked"), "{path}: {}", page.body);
    }
    // Nor a flash cookie for another page than the one asked for.
    let refused = post_form(
        &app,
        "sign_in",
        &[
            ("__return", "/login"),
            ("email", "boss@uni.example"),
            ("password", "not it at all"),
        ],
    )
    .await;
    let flash = flash_of(&refused);
    let elsewhere = app.page("/activate?token=x", Some(&flash)).await;
    assert!(
        !elsewhere
            .body
            .contains("The email or password is incorrect.")
    );
}

#[tokio::test]
async fn a_refused_sign_in_goes_back_to_the_sign_in_page_with_its_message() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    let form = |password| {
        [
            ("__return", "/login"),
            ("__keep", "email,password"),
            ("email", "boss@uni.example"),
            ("password", password),
        ]
    };
    let refused = post_form(&app, "sign_in", &form("not it at all")).await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER, "{}", refused.body);
    let back = refused.header(header::LOCATION).unwrap().to_owned();
    assert_eq!(
        back, "/login?email=boss%40uni.example",
        "no error in the URL"
    );
    let flash = flash_of(&refused);
    assert!(
        !back.contains("not+it") && !flash.contains("not+it"),
        "the password never comes back: {back} {flash}"
    );
    let page = app.page(&back, Some(&flash)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("The email or password is incorrect."),
        "{}",
        page.body
    );
    assert!(
        page.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|c| c.to_str().unwrap().starts_with("umbrella_flash=;")),
        "the flash is read once"
    );
    let again = app.page(&back, None).await;
    assert!(!again.body.contains("The email or password is incorrect."));
    assert!(
        page.body.contains("value=\"boss@uni.example\""),
        "{}",
        page.body
    );

    let signed_in = post_form(&app, "sign_in", &form(PASSWORD)).await;
    assert!(signed_in.status.is_redirection(), "{}", signed_in.status);
    assert_eq!(signed_in.header(header::LOCATION), Some("/"));
    assert!(signed_in.session_cookie().is_some());
}

#[tokio::test]
async fn a_refused_activation_names_its_field_on_the_activation_page() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    let cookie = app.sign_in("boss@uni.example", PASSWORD).await;
    let created = app
        .call(
            "create_account",
            &[
                ("admin_name", "Chris Child"),
                ("name", "Physics"),
                ("admin_email", "phys@uni.example"),
                ("admin_phone", "555 0100"),
                ("website_url", ""),
                ("reference_id", ""),
            ],
            Some(&cookie),
        )
        .await;
    let created: serde_json::Value = serde_json::from_str(&created.body).unwrap();
    let link = created["activation_path"].as_str().unwrap().to_owned();
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let too_short = [
        ("__return", link.as_str()),
        ("token", token.as_str()),
        ("password", "short"),
        ("confirm", "short"),
    ];
    let refused = post_form(&app, "activate", &too_short).await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    let back = refused.header(header::LOCATION).unwrap().to_owned();
    assert_eq!(back, link);
    let page = app.page(&back, Some(&flash_of(&refused))).await;
    assert!(
        page.body.contains("at least 10 characters"),
        "{}",
        page.body
    );
    // A return path to another site is not followed.
    let elsewhere = [
        ("__return", "//evil.example/phish"),
        ("token", token.as_str()),
        ("password", "short"),
        ("confirm", "short"),
    ];
    let refused = post_form(&app, "activate", &elsewhere).await;
    let location = refused.header(header::LOCATION).unwrap_or_default();
    assert!(
        location.starts_with('/') && !location.starts_with("//"),
        "{location}"
    );
}

#[tokio::test]
async fn before_hydration_the_multi_account_tab_reads_by_plain_forms_and_disables_the_rest() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    let cookie = app.sign_in("boss@uni.example", PASSWORD).await;
    let page = app
        .page("/multi-account?q=phys&sort=name&status=all", Some(&cookie))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    // Controls that open a dialog or a menu wait for the WASM, and say so.
    assert!(
        body.contains("<button type=\"button\" disabled class=\"primary add-account\">"),
        "{body}"
    );
    // The status filter and page size are GET forms with a "Show" button, each
    // keeping the rest of the view.
    let status_form = body
        .split("<form method=\"get\" action=\"/multi-account\" class=\"list-control\">")
        .nth(1)
        .expect("the status filter's form")
        .split("</form>")
        .next()
        .unwrap();
    assert!(status_form.contains("name=\"status\""), "{status_form}");
    assert!(
        status_form.contains("name=\"q\" value=\"phys\""),
        "{status_form}"
    );
    assert!(
        status_form.contains("name=\"sort\" value=\"name\""),
        "{status_form}"
    );
    assert!(
        !status_form.contains("type=\"hidden\" name=\"status\""),
        "{status_form}"
    );
    assert!(status_form.contains(">Show</button>"), "{status_form}");
    assert!(!status_form.contains("hidden>Show"), "{status_form}");
}

#[tokio::test]
async fn refusals_of_plain_posts_are_pages_not_json() {
    let app = TestApp::on(umbrella::testing::TestDb::sqlite().await, |config| {
        config.attempts_per_minute = 1;
    });
    let form = form_body(&[("email", "x@y.example"), ("password", "a guess")]);
    let from = |origin: &str| {
        let mut request = Request::post("/api/sign_in")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html")
            .header(header::ORIGIN, origin)
            .body(Body::from(form.clone()))
            .unwrap();
        request.extensions_mut().insert(axum::extract::ConnectInfo(
            "198.51.100.3:7000".parse::<std::net::SocketAddr>().unwrap(),
        ));
        request
    };
    let cross_site = app.send(from("https://evil.example")).await;
    assert_eq!(cross_site.status, StatusCode::FORBIDDEN);
    assert!(
        cross_site.body.starts_with("<!DOCTYPE html>"),
        "{}",
        cross_site.body
    );
    assert!(
        cross_site
            .body
            .contains("accepts changes only from its own pages")
    );
    // The one attempt of the minute, then too many: a page that says when.
    assert_eq!(app.send(from(ORIGIN)).await.status, StatusCode::SEE_OTHER);
    let throttled = app.send(from(ORIGIN)).await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        throttled.body.starts_with("<!DOCTYPE html>"),
        "{}",
        throttled.body
    );
    assert!(
        throttled
            .body
            .contains("Too many attempts. Try again in 1 minute.")
    );
}
