//! The reseller API's list and search at a million accounts, next to the same
//! queries through the core (what the Multi Account tab's server function calls),
//! in the same run on the same database: the API's own cost is the ratio.
//!
//! Seeds one organization with UMBRELLA_BENCH_ACCOUNTS accounts (default 1,000,000)
//! on SQLite and on PostgreSQL. Run it with `make bench-api` (or `make bench`).

// A benchmark, not product code: a failed setup should stop it loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;
use umbrella::Umbrella;
use umbrella::audit::AuditContext;
use umbrella::domain::{AccountQuery, ApiTokenForm, Search, SearchMode};
use umbrella::testing::{TestDb, bulk_seed_accounts, organization_with_admin};
use umbrella_server::api::ApiRate;
use umbrella_server::web::{WebConfig, router};

const RUNS: usize = 25;

fn p50(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

async fn time<F, Fut>(mut run: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    run().await; // warm: the figures are for a database in use
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        run().await;
        times.push(started.elapsed());
    }
    p50(times)
}

async fn run(backend: &str, umbrella: &Umbrella, accounts: usize) {
    let (parent, admin) =
        organization_with_admin(umbrella, "Huge Reseller", "bench@huge.example", 0).await;
    let started = Instant::now();
    bulk_seed_accounts(umbrella, admin.organization_id(), parent, accounts)
        .await
        .unwrap();
    eprintln!(
        "seeded {accounts} accounts in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let token = umbrella
        .operator_create_api_token(
            &AuditContext::unrecorded(),
            parent,
            &ApiTokenForm {
                name: "bench".into(),
                access: "read_only".into(),
                expires_days: String::new(),
            },
        )
        .await
        .unwrap()
        .secret;
    let mut config = WebConfig::new("127.0.0.1:3999".parse().unwrap());
    config.api_rate = ApiRate {
        per_second: NonZeroU32::new(1_000_000).unwrap(),
        burst: NonZeroU32::new(1_000_000).unwrap(),
    };
    let app = router(umbrella.clone(), &config);

    // Seeded account `i` is active when i % 50 >= 5; its name is "Account {i:07}
    // Faculty" and its email admin{i}@acct{i}.example (see bulk_seed_accounts).
    let one = accounts / 3 / 50 * 50 + 7;
    let cases: Vec<(&str, Option<Search>, String)> = vec![
        ("first page", None, String::new()),
        (
            "search Account Name (one)",
            Search::parse(SearchMode::AccountName, &format!("{one:07}")).unwrap(),
            format!("name={one:07}"),
        ),
        (
            "search free text (email, one)",
            Search::parse(SearchMode::FreeText, &format!("admin{one}@")).unwrap(),
            format!("q=admin{one}%40"),
        ),
        (
            "search free text (all match)",
            Search::parse(SearchMode::FreeText, "example").unwrap(),
            "q=example".to_owned(),
        ),
    ];
    for (name, search, params) in cases {
        let query = AccountQuery {
            search,
            ..AccountQuery::default_view()
        };
        let core = time(|| async {
            let page = umbrella.list_accounts(&admin, &query).await.unwrap();
            assert!(!page.accounts.is_empty());
        })
        .await;
        let uri = format!("/api/v1/accounts?{params}");
        let api = time(|| async {
            let request = Request::get(&uri)
                .header(header::AUTHORIZATION, format!("Bearer {}", token.as_str()))
                .body(Body::empty())
                .unwrap();
            let response = app.clone().oneshot(request).await.unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            let body = response.into_body().collect().await.unwrap().to_bytes();
            assert!(body.len() > 20);
        })
        .await;
        println!(
            "{backend:<10} {name:<32} core p50 {:>7.2} ms   API p50 {:>7.2} ms   {:>4.1}x (target at most 2x)",
            core.as_secs_f64() * 1000.0,
            api.as_secs_f64() * 1000.0,
            api.as_secs_f64() / core.as_secs_f64(),
        );
    }
}

#[tokio::main]
async fn main() {
    let accounts: usize = std::env::var("UMBRELLA_BENCH_ACCOUNTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    println!(
        "Reseller API list and search, one organization of {accounts} accounts, p50 of {RUNS}"
    );
    let sqlite = TestDb::sqlite().await;
    run("sqlite", sqlite.umbrella(), accounts).await;
    drop(sqlite);
    match TestDb::postgres().await {
        Some(postgres) => run("postgres", postgres.umbrella(), accounts).await,
        None => println!("postgres   skipped: no server at UMBRELLA_TEST_POSTGRES_URL"),
    }
}
