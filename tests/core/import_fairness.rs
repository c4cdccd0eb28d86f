//! One organization's largest import never fails another organization's writes, nor
//! makes them wait a second: on SQLite, where every write takes the one write lock,
//! and on PostgreSQL.

use std::time::{Duration, Instant};

use umbrella::Umbrella;
use umbrella::audit::AuditContext;
use umbrella::domain::content::{EntryForm, MAX_ROWS};

async fn another_organizations_saves_succeed_within_a_second_during_the_largest_import(
    umbrella: &Umbrella,
) {
    let importer = crate::content::console_user(umbrella, "big", "archive").await;
    let other = crate::content::console_user(umbrella, "small", "faculty").await;
    let bundle = umbrella::testing::largest_bundle();
    let rows = 10_000 + 10_000 + 20_000 + 1_000 + 19_000;
    assert_eq!(rows, MAX_ROWS, "the largest bundle there may be");

    let import = {
        let umbrella = umbrella.clone();
        tokio::spawn(async move {
            let started = Instant::now();
            // Twice over: the second replaces what the first wrote, so it deletes
            // 60,000 rows as well as writing them.
            for _ in 0..2 {
                umbrella
                    .import_content(&AuditContext::unrecorded(), &importer, &bundle)
                    .await
                    .unwrap();
            }
            started.elapsed()
        })
    };
    let context = AuditContext::new(
        "owner@faculty.small.example",
        None,
        Some(other.organization_id()),
        "198.51.100.1",
    );
    let mut waits = Vec::new();
    while !import.is_finished() {
        let started = Instant::now();
        let saved = umbrella
            .save_entry(
                &context,
                &other,
                None,
                &EntryForm {
                    name: format!("Lecture {}", waits.len()),
                    media_type: "video".to_owned(),
                    ..EntryForm::default()
                },
            )
            .await;
        let took = started.elapsed();
        assert!(
            saved.is_ok(),
            "save {} failed after {took:?}: {saved:?}",
            waits.len()
        );
        waits.push(took);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let imported = import.await.unwrap();
    let slowest = waits.iter().max().copied().unwrap_or_default();
    eprintln!(
        "{:?}: two imports of {MAX_ROWS} rows took {imported:?}; {} saves of another \
         organization meanwhile, the slowest {slowest:?}",
        umbrella.db().backend(),
        waits.len()
    );
    assert!(
        waits.len() >= 3,
        "saves ran during the import: {}",
        waits.len()
    );
    assert!(
        slowest < Duration::from_secs(1),
        "a save waited {slowest:?}"
    );
}

umbrella::test_on_both_databases!(
    another_organizations_saves_succeed_within_a_second_during_the_largest_import,
);
