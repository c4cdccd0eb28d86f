//! The PostgreSQL half of the suite cannot pass silently: where PostgreSQL is
//! required and unreachable, its tests fail instead of returning early.

use std::process::Command;

/// Runs one PostgreSQL test of this binary against a server that is not there.
fn run_demo_test_without_postgres(require: Option<&str>) -> std::process::Output {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([
            "--exact",
            "demo::on_postgres::the_demo_seeds_once_with_mixed_statuses",
        ])
        // Port 9 (discard) has no PostgreSQL on it.
        .env(
            "UMBRELLA_TEST_POSTGRES_URL",
            "postgres://postgres@127.0.0.1:9/postgres",
        )
        .env_remove("CI")
        .env_remove("UMBRELLA_REQUIRE_POSTGRES");
    if let Some(value) = require {
        command.env("UMBRELLA_REQUIRE_POSTGRES", value);
    }
    command.output().unwrap()
}

#[test]
fn an_unreachable_postgres_fails_the_test_when_required() {
    let required = run_demo_test_without_postgres(Some("1"));
    assert!(
        !required.status.success(),
        "the test passed without PostgreSQL"
    );
    assert!(
        String::from_utf8_lossy(&required.stdout).contains("PostgreSQL is required"),
        "{}",
        String::from_utf8_lossy(&required.stdout)
    );
    // Left to a developer's choice, the same run is skipped (with a message).
    let optional = run_demo_test_without_postgres(None);
    assert!(
        optional.status.success(),
        "{}",
        String::from_utf8_lossy(&optional.stdout)
    );
}
