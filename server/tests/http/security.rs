//! What an attacker tries against the router: changes from another site, guessing
//! passwords, spoofed addresses, framing, caching; and what each gets.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use umbrella::testing::TestDb;

use crate::support::*;

const ACCOUNT: &[(&str, &str)] = &[
    ("admin_name", "Eve Evil"),
    ("name", "Planted"),
    ("admin_email", "eve@evil.example"),
    ("admin_phone", "555 0100"),
    ("website_url", ""),
    ("reference_id", ""),
];

/// A form POST to a server function with the given extra headers.
fn post(function: &str, form: &[(&str, &str)], headers: &[(&str, &str)]) -> Request<Body> {
    let mut request = Request::post(format!("/api/{function}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(Body::from(form_body(form))).unwrap()
}

async fn accounts_named(app: &TestApp, name: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE name = $1")
        .bind(name)
        .fetch_one(app.umbrella().db().pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn changes_from_another_site_are_refused() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    let cookie = app.sign_in("boss@uni.example", PASSWORD).await;
    let cookie = cookie.as_str();

    let refused: &[&[(&str, &str)]] = &[
        // A page on another origin posting with the administrator's cookie.
        &[("origin", "https://evil.example"), ("cookie", cookie)],
        &[
            ("origin", "https://evil.example"),
            ("sec-fetch-site", "cross-site"),
            ("cookie", cookie),
        ],
        // A sandboxed frame or a redirect chain: the browser says "null".
        &[("origin", "null"), ("cookie", cookie)],
        // A sibling subdomain is another origin too.
        &[
            ("origin", "http://evil.127.0.0.1:3999"),
            ("sec-fetch-site", "same-site"),
            ("cookie", cookie),
        ],
        // Cross-site without an Origin header (older browsers, some redirects).
        &[("sec-fetch-site", "cross-site"), ("cookie", cookie)],
        // A cookie, and nothing to say which page sent it.
        &[("cookie", cookie)],
    ];
    for headers in refused {
        let reply = app.send(post("create_account", ACCOUNT, headers)).await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{headers:?}: {}",
            reply.body
        );
        assert!(
            reply
                .body
                .contains("Umbrella accepts changes only from its own pages"),
            "{}",
            reply.body
        );
        // The WASM reads it as the error it knows.
        assert!(reply.body.starts_with("{\"Forbidden\":"), "{}", reply.body);
    }
    assert_eq!(
        accounts_named(&app, "Planted").await,
        0,
        "nothing was created"
    );

    // Umbrella's own pages: the browser says same-origin, or names our origin.
    let same_origin = app
        .send(post(
            "create_account",
            ACCOUNT,
            &[("sec-fetch-site", "same-origin"), ("cookie", cookie)],
        ))
        .await;
    assert_eq!(same_origin.status, StatusCode::OK, "{}", same_origin.body);
    let second = [
        ("name", "Planted too"),
        ("admin_email", "eve2@evil.example"),
    ];
    let form: Vec<_> = ACCOUNT
        .iter()
        .map(|(k, v)| {
            second
                .iter()
                .find(|(sk, _)| sk == k)
                .map_or((*k, *v), |s| *s)
        })
        .collect();
    let by_origin = app
        .send(post(
            "create_account",
            &form,
            &[("origin", ORIGIN), ("cookie", cookie)],
        ))
        .await;
    assert_eq!(by_origin.status, StatusCode::OK, "{}", by_origin.body);

    // Sign-in is a change too (login CSRF would sign a victim into our account).
    let planted_sign_in = app
        .send(post(
            "sign_in",
            &[("email", "boss@uni.example"), ("password", PASSWORD)],
            &[("origin", "https://evil.example")],
        ))
        .await;
    assert_eq!(planted_sign_in.status, StatusCode::FORBIDDEN);
    assert!(planted_sign_in.session_cookie().is_none());
    // A plain form post from our own sign-in page carries our Origin: let through.
    let own_form = app
        .send(post(
            "sign_in",
            &[("email", "boss@uni.example"), ("password", PASSWORD)],
            &[("origin", ORIGIN)],
        ))
        .await;
    assert!(own_form.session_cookie().is_some(), "{}", own_form.body);
    // Reading is never refused, and a script without a session borrows no one's authority.
    let anonymous = app
        .send(post(
            "sign_in",
            &[("email", "x@y.example"), ("password", "wrong one")],
            &[],
        ))
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn behind_a_proxy_the_public_url_is_the_origin() {
    let app = TestApp::on(TestDb::sqlite().await, |config| {
        config.public_origin = "https://umbrella.example.org".to_owned();
    });
    app.organization("Uni", "boss@uni.example").await;
    let cookie = app.sign_in("boss@uni.example", PASSWORD).await;
    let from_public = app
        .send(post(
            "create_account",
            ACCOUNT,
            &[
                ("origin", "https://umbrella.example.org"),
                ("cookie", &cookie),
            ],
        ))
        .await;
    assert_eq!(from_public.status, StatusCode::OK, "{}", from_public.body);
    // The address the server listens on is not what browsers see any more.
    let from_listen = app
        .send(post(
            "create_account",
            ACCOUNT,
            &[("origin", ORIGIN), ("cookie", &cookie)],
        ))
        .await;
    assert_eq!(from_listen.status, StatusCode::FORBIDDEN);
    let plain_http = app
        .send(post(
            "create_account",
            ACCOUNT,
            &[
                ("origin", "http://umbrella.example.org"),
                ("cookie", &cookie),
            ],
        ))
        .await;
    assert_eq!(
        plain_http.status,
        StatusCode::FORBIDDEN,
        "the scheme is part of the origin"
    );
}

/// The nonce of a policy's `script-src`.
fn nonce_of(policy: &str) -> String {
    let start = policy.find("'nonce-").expect("a nonce in the policy") + "'nonce-".len();
    policy[start..].split('\'').next().unwrap().to_owned()
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    let cookie = app.sign_in("boss@uni.example", PASSWORD).await;
    let first = app.page("/login", None).await;
    let second = app.page("/login", None).await;
    let signed_in = app.page("/multi-account", Some(&cookie)).await;
    let call = app.call("list_accounts", &[], Some(&cookie)).await;
    let activation = app.page("/activate?token=abc", None).await;
    let missing = app.page("/no/such/page", None).await;
    for (what, reply) in [
        ("sign-in page", &first),
        ("Multi Account tab", &signed_in),
        ("server function", &call),
        ("activation page", &activation),
        ("not found", &missing),
    ] {
        let policy = reply
            .header(header::CONTENT_SECURITY_POLICY)
            .unwrap_or_else(|| panic!("{what}: no CSP"));
        for directive in [
            "default-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
            "'wasm-unsafe-eval'",
        ] {
            assert!(policy.contains(directive), "{what}: {policy}");
        }
        assert!(!policy.contains("unsafe-inline"), "{what}: {policy}");
        assert_eq!(
            reply.header(header::X_CONTENT_TYPE_OPTIONS),
            Some("nosniff"),
            "{what}"
        );
        assert_eq!(
            reply.header(header::REFERRER_POLICY),
            Some("no-referrer"),
            "{what}"
        );
        assert_eq!(
            reply.header(header::X_FRAME_OPTIONS),
            Some("DENY"),
            "{what}"
        );
        assert!(reply.headers.contains_key("permissions-policy"), "{what}");
        assert_eq!(
            reply.header(header::CACHE_CONTROL),
            Some("no-store"),
            "{what}"
        );
        assert!(
            !reply
                .headers
                .contains_key(header::STRICT_TRANSPORT_SECURITY),
            "{what}: no HSTS over plain HTTP"
        );
    }
    // The sign-in page loads no code (its form works without it): no module, no WASM.
    assert!(
        !first.body.contains(".wasm") && !first.body.contains(".js\""),
        "{}",
        first.body
    );
    // Every script of a page carries this answer's nonce, and only this answer's.
    let nonce = nonce_of(signed_in.header(header::CONTENT_SECURITY_POLICY).unwrap());
    assert!(nonce.len() >= 32, "{nonce}");
    let scripts = signed_in.body.matches("<script").count();
    assert!(scripts > 0, "the hydration script is inline");
    assert_eq!(
        signed_in
            .body
            .matches(&format!("nonce=\"{nonce}\""))
            .count(),
        scripts,
        "{}",
        signed_in.body
    );
    assert_ne!(
        nonce_of(first.header(header::CONTENT_SECURITY_POLICY).unwrap()),
        nonce_of(second.header(header::CONTENT_SECURITY_POLICY).unwrap()),
        "a fresh nonce per answer"
    );
    let not_found_nonce = nonce_of(missing.header(header::CONTENT_SECURITY_POLICY).unwrap());
    assert!(
        missing
            .body
            .contains(&format!("nonce=\"{not_found_nonce}\""))
    );
}

#[tokio::test]
async fn secure_cookies_are_host_cookies_with_hsts() {
    let app = TestApp::on(TestDb::sqlite().await, |config| {
        config.cookies.secure = true;
    });
    app.organization("Uni", "boss@uni.example").await;
    let reply = app
        .call(
            "sign_in",
            &[("email", "boss@uni.example"), ("password", PASSWORD)],
            None,
        )
        .await;
    let set_cookie = reply.header(header::SET_COOKIE).unwrap();
    assert!(
        set_cookie.starts_with("__Host-umbrella_session="),
        "{set_cookie}"
    );
    for attribute in ["Path=/", "Secure", "HttpOnly", "SameSite=Lax"] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    assert!(!set_cookie.contains("Domain"), "{set_cookie}");
    assert!(
        reply
            .header(header::STRICT_TRANSPORT_SECURITY)
            .is_some_and(|v| v.starts_with("max-age=")),
    );
    let cookie = set_cookie.split(';').next().unwrap();
    assert_eq!(
        app.page("/multi-account", Some(cookie)).await.status,
        StatusCode::OK
    );
    // The unprefixed name (which a sibling subdomain or plain HTTP could plant) is not read.
    let planted = cookie.replacen("__Host-", "", 1);
    assert_eq!(
        app.page("/multi-account", Some(&planted)).await.status,
        StatusCode::FOUND
    );
}

async fn five_wrong_passwords_lock_the_email(db: TestDb) {
    let app = TestApp::on(db, |_| {});
    app.organization("Uni", "boss@uni.example").await;
    for _ in 0..5 {
        let reply = app
            .call(
                "sign_in",
                &[("email", "boss@uni.example"), ("password", "wrong one!")],
                None,
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let reply = app
        .call(
            "sign_in",
            &[("email", "boss@uni.example"), ("password", PASSWORD)],
            None,
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        reply.body
    );
    let retry: i64 = reply.header(header::RETRY_AFTER).unwrap().parse().unwrap();
    assert!((14 * 60..=15 * 60).contains(&retry), "{retry}");
    assert!(
        reply
            .body
            .contains("Too many attempts. Try again in 15 minutes."),
        "{}",
        reply.body
    );
    assert!(reply.session_cookie().is_none());
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_email_on_sqlite() {
    five_wrong_passwords_lock_the_email(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_email_on_postgres() {
    if let Some(db) = TestDb::postgres().await {
        five_wrong_passwords_lock_the_email(db).await;
    }
}

fn sign_in_request(email: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut all = vec![("sec-fetch-site", "same-origin")];
    all.extend_from_slice(headers);
    post(
        "sign_in",
        &[("email", email), ("password", "not the password")],
        &all,
    )
}

#[tokio::test]
async fn one_address_gets_twenty_attempts_a_minute() {
    let app = TestApp::new().await;
    // Every attempt with another email, so that only the address can be counted.
    for n in 0..20 {
        let reply = app
            .send_from(
                sign_in_request(&format!("guess{n}@uni.example"), &[]),
                "198.51.100.1:4000",
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "attempt {n}");
    }
    let reply = app
        .send_from(
            sign_in_request("guess20@uni.example", &[]),
            "198.51.100.1:4001",
        )
        .await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = reply.header(header::RETRY_AFTER).unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert!(
        reply
            .body
            .contains("Too many attempts. Try again in 1 minute."),
        "{}",
        reply.body
    );
    // Activation and CMS Login count against the same allowance.
    let activation = app
        .send_from(
            post(
                "activate",
                &[("token", "x"), ("password", "p"), ("confirm", "p")],
                &[("sec-fetch-site", "same-origin")],
            ),
            "198.51.100.1:4002",
        )
        .await;
    assert_eq!(activation.status, StatusCode::TOO_MANY_REQUESTS);
    // Another address is not affected.
    let other = app
        .send_from(
            sign_in_request("guess0@uni.example", &[]),
            "198.51.100.2:4000",
        )
        .await;
    assert_eq!(other.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
    let app = TestApp::on(TestDb::sqlite().await, |config| {
        config.trusted_proxies = vec!["10.0.0.0/8".parse().unwrap()];
        config.attempts_per_minute = 2;
    });
    let through_proxy = |client: &str, n: usize| {
        sign_in_request(&format!("p{n}@uni.example"), &[("x-forwarded-for", client)])
    };
    // Through the proxy, each client has its own allowance…
    for n in 0..2 {
        let reply = app
            .send_from(through_proxy("203.0.113.1", n), "10.0.0.2:5000")
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let third = app
        .send_from(through_proxy("203.0.113.1", 2), "10.0.0.2:5000")
        .await;
    assert_eq!(third.status, StatusCode::TOO_MANY_REQUESTS);
    let neighbour = app
        .send_from(through_proxy("203.0.113.2", 3), "10.0.0.2:5000")
        .await;
    assert_eq!(neighbour.status, StatusCode::UNAUTHORIZED);
    // …while anyone else's X-Forwarded-For is ignored: a new value each time buys nothing.
    for n in 0..2 {
        let reply = app
            .send_from(
                through_proxy(&format!("192.0.2.{n}"), 10 + n),
                "198.51.100.9:5000",
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let spoofed = app
        .send_from(through_proxy("192.0.2.99", 20), "198.51.100.9:5000")
        .await;
    assert_eq!(spoofed.status, StatusCode::TOO_MANY_REQUESTS);

    // The audit log records the client the proxy names.
    app.organization("Uni", "boss@uni.example").await;
    let signed_in = app
        .send_from(
            post(
                "sign_in",
                &[("email", "boss@uni.example"), ("password", PASSWORD)],
                &[
                    ("sec-fetch-site", "same-origin"),
                    ("x-forwarded-for", "203.0.113.50"),
                ],
            ),
            "10.0.0.2:5001",
        )
        .await;
    let cookie = signed_in.session_cookie().expect("signed in");
    let created = app
        .send_from(
            post(
                "create_account",
                ACCOUNT,
                &[
                    ("sec-fetch-site", "same-origin"),
                    ("cookie", &cookie),
                    ("forwarded", "for=203.0.113.77;proto=https, for=10.0.0.3"),
                ],
            ),
            "10.0.0.2:5002",
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let address: String =
        sqlx::query_scalar("SELECT address FROM audit_log WHERE action = 'account.create'")
            .fetch_one(app.umbrella().db().pool())
            .await
            .unwrap();
    assert_eq!(address, "203.0.113.77");
}

#[tokio::test]
async fn names_that_read_as_something_else_are_refused_beside_their_field() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    let cookie = app.sign_in("boss@uni.example", PASSWORD).await;
    let spoof = [
        ("admin_name", "Eve\u{200B}Evil"),
        ("name", "Physics\u{202E}txt.exe"),
        ("admin_email", "eve@evil.example"),
        ("admin_phone", "555 0100"),
        ("website_url", ""),
        ("reference_id", ""),
    ];
    let reply = app.call("create_account", &spoof, Some(&cookie)).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    let problems: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    let fields: Vec<_> = problems["Invalid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["field"].as_str().unwrap().to_owned(),
                p["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        fields.contains(&(
            "name".to_owned(),
            "Account Name must not contain invisible formatting characters (it has U+202E)."
                .to_owned()
        )),
        "{fields:?}"
    );
    assert!(
        fields
            .iter()
            .any(|(f, m)| f == "admin_name" && m.contains("U+200B")),
        "{fields:?}"
    );
    // Decomposed letters are stored composed: one name, one way.
    let composed = [
        ("admin_name", "Ze\u{301}lie"),
        ("name", "Cafe\u{301}"),
        ("admin_email", "zelie@uni.example"),
        ("admin_phone", "555 0100"),
        ("website_url", ""),
        ("reference_id", ""),
    ];
    let reply = app.call("create_account", &composed, Some(&cookie)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(accounts_named(&app, "Caf\u{e9}").await, 1);
}
