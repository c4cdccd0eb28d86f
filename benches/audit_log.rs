//! How fast the Audit tab answers in an organization with a long history: every
//! filter the tab offers, on an audit log of 1,000,000 entries (set
//! `UMBRELLA_BENCH_AUDIT` to change). Prints p50 and p95 on SQLite and PostgreSQL.
//! Run it with `make bench` (or `make bench-audit`).

// A benchmark, not product code: a failed setup should stop it loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use umbrella::Umbrella;
use umbrella::domain::audit::{AuditFilter, AuditFilterForm};
use umbrella::testing::{TestDb, bulk_seed_audit, organization_with_admin, p50_p95};

const RUNS: usize = 50;

async fn run(backend: &str, umbrella: &Umbrella, entries: usize) {
    let (_, admin) =
        organization_with_admin(umbrella, "Old University", "bench@old.example", 10).await;
    let seeding = Instant::now();
    bulk_seed_audit(umbrella, admin.organization_id(), entries)
        .await
        .unwrap();
    println!(
        "{backend:<10} seeded {entries} entries in {:.1} s",
        seeding.elapsed().as_secs_f64()
    );
    let first = umbrella
        .audit_log(&admin, &AuditFilter::default())
        .await
        .unwrap();
    let newest = &first.entries[0];
    // Half-way back: entries are one second and one ID apart.
    let deep = umbrella::domain::audit::AuditCursor {
        at: newest.at - (entries as i64) / 2 * 1000,
        id: newest.id - (entries as i64) / 2,
    };
    let filters = [
        ("newest page, no filter", AuditFilterForm::default()),
        (
            "a page half-way back",
            AuditFilterForm {
                before: deep.to_token(),
                ..Default::default()
            },
        ),
        (
            "one account (~100 entries)",
            AuditFilterForm {
                partner_id: "1004242".into(),
                ..Default::default()
            },
        ),
        (
            "a rare action (1 in 1,000)",
            AuditFilterForm {
                action: "account.delete".into(),
                ..Default::default()
            },
        ),
        (
            "a common action, one day",
            AuditFilterForm {
                action: "content.save".into(),
                from: day(entries, 2),
                to: day(entries, 2),
                ..Default::default()
            },
        ),
    ];
    for (name, form) in filters {
        let filter = AuditFilter::parse(&form).unwrap();
        let (p50, p95) = p50_p95(RUNS, || {
            let filter = &filter;
            let admin = &admin;
            async move {
                umbrella.audit_log(admin, filter).await.unwrap();
            }
        })
        .await;
        let rows = umbrella
            .audit_log(&admin, &filter)
            .await
            .unwrap()
            .entries
            .len();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{backend:<10} {name:<30} p50 {:>8.2} ms   p95 {:>8.2} ms   ({rows} rows)",
            ms(p50),
            ms(p95)
        );
    }
}

/// The date (YYYY-MM-DD) `days_back` days before now, within the seeded history.
fn day(entries: usize, days_back: i64) -> String {
    let seconds = (entries as i64).min(days_back * 24 * 60 * 60);
    let at = chrono::Utc::now() - chrono::Duration::seconds(seconds);
    at.format("%Y-%m-%d").to_string()
}

#[tokio::main]
async fn main() {
    let entries = std::env::var("UMBRELLA_BENCH_AUDIT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    println!("The Audit tab over {entries} entries, {RUNS} runs after one warm-up");
    let sqlite = TestDb::sqlite().await;
    run("sqlite", sqlite.umbrella(), entries).await;
    drop(sqlite);
    match TestDb::postgres().await {
        Some(postgres) => run("postgres", postgres.umbrella(), entries).await,
        None => println!("postgres   skipped: no server at UMBRELLA_TEST_POSTGRES_URL"),
    }
}
