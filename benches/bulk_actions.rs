//! How long a bulk action takes: every active account of an organization blocked by
//! one job ("Select all N matching", then "Block selected"), from the click to the
//! last batch committed, on SQLite and PostgreSQL. Run it with `make bench`.
//!
//! UMBRELLA_BENCH_BULK_ACCOUNTS sets the organization's size (default 11,120, of
//! which 10,005 are active: the seed makes one in ten blocked or removed).

// A benchmark, not product code: a failed setup should stop it loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use umbrella::Umbrella;
use umbrella::audit::AuditContext;
use umbrella::bulk::BulkSelection;
use umbrella::domain::{AccountAction, AccountQuery, Status};
use umbrella::testing::{TestDb, bulk_seed_accounts, organization_with_admin};

async fn run(backend: &str, umbrella: &Umbrella, accounts: usize) {
    let (parent, admin) =
        organization_with_admin(umbrella, "Term End University", "bench@term.example", 0).await;
    bulk_seed_accounts(umbrella, admin.organization_id(), parent, accounts)
        .await
        .unwrap();
    let active = AccountQuery {
        statuses: vec![Status::Active],
        ..AccountQuery::default_view()
    };
    let started = Instant::now();
    let job = umbrella
        .start_bulk_action(
            &AuditContext::unrecorded(),
            &admin,
            AccountAction::Block,
            BulkSelection::Matching(active),
        )
        .await
        .unwrap();
    let resolved = started.elapsed();
    umbrella.run_bulk_job(job.id).await.unwrap();
    let took = started.elapsed();
    let view = umbrella.current_bulk_job(&admin).await.unwrap().unwrap();
    assert!(view.finished);
    println!(
        "{backend:<10} block all matching: {} blocked, {} skipped in {:>6.2} s \
         (selection resolved in {:.2} s; {:.0} accounts/s)   target: 10,000 in <= 10 s on SQLite",
        view.done,
        view.skipped,
        took.as_secs_f64(),
        resolved.as_secs_f64(),
        view.done as f64 / took.as_secs_f64(),
    );
}

#[tokio::main]
async fn main() {
    let accounts: usize = std::env::var("UMBRELLA_BENCH_BULK_ACCOUNTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(11_120);
    println!("Bulk action, one organization of {accounts} accounts");
    let sqlite = TestDb::sqlite().await;
    run("sqlite", sqlite.umbrella(), accounts).await;
    drop(sqlite);
    match TestDb::postgres().await {
        Some(postgres) => run("postgres", postgres.umbrella(), accounts).await,
        None => println!("postgres   skipped: no server at UMBRELLA_TEST_POSTGRES_URL"),
    }
}
