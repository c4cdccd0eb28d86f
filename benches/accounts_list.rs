//! How fast the Multi Account list answers in a very large organization.
//!
//! Seeds one organization with UMBRELLA_BENCH_ACCOUNTS child accounts (default
//! 1,000,000) on SQLite and on PostgreSQL, then times each kind of request the tab
//! makes, printing p50 and p95. Run it with `make bench`.

// A benchmark, not product code: a failed setup should stop it loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use umbrella::Umbrella;
use umbrella::auth::OrgAdmin;
use umbrella::domain::{AccountQuery, Cursor, Search, SearchMode, Sort};
use umbrella::testing::{TestDb, bulk_seed_accounts, organization_with_admin};

const RUNS: usize = 25;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

async fn measure<F, Fut>(backend: &str, name: &str, mut run: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = usize>,
{
    let mut times = Vec::with_capacity(RUNS);
    let mut rows = 0;
    run().await; // warm the cache: the figures are for a database in use
    for _ in 0..RUNS {
        let started = Instant::now();
        rows = run().await;
        times.push(started.elapsed());
    }
    times.sort();
    println!(
        "{backend:<10} {name:<34} p50 {:>8.2} ms   p95 {:>8.2} ms   ({rows} rows)",
        percentile(&times, 0.50).as_secs_f64() * 1000.0,
        percentile(&times, 0.95).as_secs_f64() * 1000.0,
    );
}

async fn setup(umbrella: &Umbrella, accounts: usize) -> OrgAdmin {
    let (parent, admin) =
        organization_with_admin(umbrella, "Huge University", "bench@huge.example", 0).await;
    let started = Instant::now();
    bulk_seed_accounts(umbrella, admin.organization_id(), parent, accounts)
        .await
        .unwrap();
    eprintln!(
        "seeded {accounts} accounts in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    admin
}

async fn run(backend: &str, umbrella: &Umbrella, accounts: usize) {
    let admin = setup(umbrella, accounts).await;
    let list = |query: AccountQuery| {
        let umbrella = umbrella.clone();
        let admin = admin.clone();
        async move {
            umbrella
                .list_accounts(&admin, &query)
                .await
                .unwrap()
                .accounts
                .len()
        }
    };
    measure(backend, "first page (Active+Blocked, newest)", || {
        list(AccountQuery::default_view())
    })
    .await;

    // The cursor of page 5,000 (50 per page), found once, untimed, by walking.
    let deep_page = 5_000.min(accounts / 50);
    let mut deep = AccountQuery::default_view();
    for _ in 1..deep_page {
        let page = umbrella.list_accounts(&admin, &deep).await.unwrap();
        deep.after = page.next;
    }
    let deep_cursor: Option<Cursor> = deep.after.clone();
    measure(backend, &format!("page {deep_page} (keyset)"), || {
        list(AccountQuery {
            after: deep_cursor.clone(),
            ..AccountQuery::default_view()
        })
    })
    .await;
    let by_name = AccountQuery {
        sort: Sort::parse("name").unwrap(),
        ..AccountQuery::default_view()
    };
    measure(backend, "first page sorted by name", || {
        list(by_name.clone())
    })
    .await;
    let removed = AccountQuery {
        statuses: vec![umbrella::domain::Status::Removed],
        ..AccountQuery::default_view()
    };
    measure(backend, "first page of Removed only", || {
        list(removed.clone())
    })
    .await;

    // Seeded account `i` is active when i % 50 >= 5 (see bulk_seed_accounts); its
    // Partner ID is i + 2 (the parent is 1).
    let active = |fraction: usize| accounts / fraction / 50 * 50 + 7;
    let searches = [
        (
            "search Partner ID",
            SearchMode::PartnerId,
            (active(2) + 2).to_string(),
        ),
        (
            "search Account Name (one match)",
            SearchMode::AccountName,
            format!("{:07}", active(3)),
        ),
        (
            "search Account Name (all match)",
            SearchMode::AccountName,
            "faculty".to_owned(),
        ),
        (
            "search free text (email, one)",
            SearchMode::FreeText,
            format!("admin{}@", active(4)),
        ),
        (
            "search free text (website, one)",
            SearchMode::FreeText,
            format!("acct{}.", active(5)),
        ),
        (
            "search free text (all match)",
            SearchMode::FreeText,
            "example".to_owned(),
        ),
    ];
    for (name, mode, text) in searches {
        let query = AccountQuery {
            search: Search::parse(mode, &text).unwrap(),
            ..AccountQuery::default_view()
        };
        measure(backend, name, || list(query.clone())).await;
    }
    measure(backend, "status counts", || {
        let umbrella = umbrella.clone();
        let admin = admin.clone();
        async move {
            let counts = umbrella.status_counts(&admin).await.unwrap();
            (counts.active + counts.blocked + counts.removed) as usize
        }
    })
    .await;
    measure(backend, "quota line", || {
        let umbrella = umbrella.clone();
        let admin = admin.clone();
        async move { umbrella.account_quota(&admin).await.unwrap().in_use as usize }
    })
    .await;
}

#[tokio::main]
async fn main() {
    let accounts: usize = std::env::var("UMBRELLA_BENCH_ACCOUNTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    println!("Multi Account list, one organization of {accounts} accounts, {RUNS} runs each");
    let sqlite = TestDb::sqlite().await;
    run("sqlite", sqlite.umbrella(), accounts).await;
    drop(sqlite);
    match TestDb::postgres().await {
        Some(postgres) => run("postgres", postgres.umbrella(), accounts).await,
        None => println!("postgres   skipped: no server at UMBRELLA_TEST_POSTGRES_URL"),
    }
}
