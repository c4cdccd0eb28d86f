//! What the router answers when a request is too large or the database is away:
//! a precise 413 or a 503 "database unavailable", never a 500, and service comes
//! back by itself when the database does.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;
use tokio::task::JoinHandle;
use umbrella::Umbrella;
use umbrella::testing::TestDb;

use crate::support::*;

fn post(path: &str, body: String, declared: bool) -> Request<Body> {
    let mut request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin");
    if declared {
        request = request.header(header::CONTENT_LENGTH, body.len());
    }
    request.body(Body::from(body)).unwrap()
}

#[tokio::test]
async fn bodies_past_the_limit_are_refused_with_413() {
    let app = TestApp::new().await;
    let big = format!("name={}", "a".repeat(3 * 1024 * 1024));
    for declared in [true, false] {
        let reply = app
            .send(post("/api/create_account", big.clone(), declared))
            .await;
        assert_eq!(
            reply.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{}",
            reply.body
        );
        assert!(reply.body.contains("(2 MiB)"), "{}", reply.body);
    }
    // An import may be larger: 3 MiB gets past the size check (to the session check).
    let reply = app
        .send(post(
            "/api/import_content",
            format!("bundle={}", "a".repeat(3 * 1024 * 1024)),
            true,
        ))
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
    let reply = app
        .send(post(
            "/api/import_content",
            "a".repeat(17 * 1024 * 1024),
            false,
        ))
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(reply.body.contains("(16 MiB)"), "{}", reply.body);
}

#[tokio::test]
async fn not_ready_while_the_schema_is_behind_this_build() {
    let app = TestApp::new().await;
    assert_eq!(app.page("/readyz", None).await.status, StatusCode::OK);
    sqlx::query(
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
    )
    .execute(app.umbrella().db().pool())
    .await
    .unwrap();
    let reply = app.page("/readyz", None).await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(reply.body.contains("this build needs"), "{}", reply.body);
    // Alive all the same.
    assert_eq!(app.page("/healthz", None).await.status, StatusCode::OK);
}

/// A TCP proxy in front of PostgreSQL that can cut the database off: while down
/// it closes every connection through it and every new one at once.
struct Proxy {
    address: SocketAddr,
    up: Arc<AtomicBool>,
    links: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Proxy {
    async fn start(target: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let up = Arc::new(AtomicBool::new(true));
        let links: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        tokio::spawn({
            let (up, links) = (up.clone(), links.clone());
            async move {
                while let Ok((mut client, _)) = listener.accept().await {
                    if !up.load(Ordering::SeqCst) {
                        continue;
                    }
                    let link = tokio::spawn(async move {
                        if let Ok(mut server) = TcpStream::connect(target).await {
                            let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                        }
                    });
                    links.lock().await.push(link);
                }
            }
        });
        Self { address, up, links }
    }

    async fn down(&self) {
        self.up.store(false, Ordering::SeqCst);
        for link in self.links.lock().await.drain(..) {
            link.abort();
        }
    }

    fn up(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_database_answers_503_and_service_comes_back_by_itself() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let url = db.url().to_owned();
    let (_, rest) = url.split_once('@').unwrap();
    let (host, _) = rest.split_once('/').unwrap();
    let target: SocketAddr = host.parse().unwrap();
    let proxy = Proxy::start(target).await;
    let proxied = url.replace(host, &proxy.address.to_string());
    let umbrella = Umbrella::connect(&proxied).await.unwrap();
    let app = TestApp {
        router: app_for(umbrella),
        db,
    };
    app.organization("Uni", "boss@uni.example").await;
    let cookie = app.sign_in("boss@uni.example", PASSWORD).await;
    let list = [("status", "active")];
    assert_eq!(
        app.call("list_accounts", &list, Some(&cookie)).await.status,
        StatusCode::OK
    );

    // PostgreSQL ends every connection of this database (a restart, a failover).
    sqlx::query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .execute(app.db.umbrella().db().pool())
    .await
    .unwrap();
    let reply = app.call("list_accounts", &list, Some(&cookie)).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "reconnects by itself: {}",
        reply.body
    );

    // Unreachable for a while: every request is told so, promptly.
    proxy.down().await;
    let started = Instant::now();
    let reply = app.call("list_accounts", &list, Some(&cookie)).await;
    let waited = started.elapsed();
    assert_eq!(
        reply.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        reply.body
    );
    assert!(
        reply.body.contains("database is unavailable"),
        "{}",
        reply.body
    );
    assert!(reply.header(header::RETRY_AFTER).is_some());
    assert!(waited < Duration::from_secs(8), "{waited:?}");
    let page = app.page("/", Some(&cookie)).await;
    assert!(
        page.status != StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        page.status
    );
    let started = Instant::now();
    let ready = app.page("/readyz", None).await;
    assert_eq!(
        ready.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        ready.body
    );
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    eprintln!(
        "database away: 503 after {waited:?}; /readyz said {:?}",
        ready.body
    );

    // Back: served again without a restart.
    proxy.up();
    let reply = app.call("list_accounts", &list, Some(&cookie)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(app.page("/readyz", None).await.status, StatusCode::OK);
}
