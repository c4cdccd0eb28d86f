//! A bulk job is the server's, not the page's: killed mid-job, a server that
//! starts again on the same database finishes it, with nothing done twice.

use std::time::{Duration, Instant};

use umbrella::domain::Status;
use umbrella::domain::audit::AuditAction;
use umbrella::testing::{TestDb, bulk_seed_accounts};

use crate::{PASSWORD, Server, organization_with_quota, post_form, session_cookie, sign_in};

/// Ten batches or so: the server is killed after the first has committed.
const ACCOUNTS: usize = 5_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_job_cut_short_by_a_kill_resumes_when_the_server_starts_again() {
    let db = TestDb::sqlite().await;
    let core = db.umbrella();
    let parent = organization_with_quota(&db, 0).await;
    let admin = umbrella::testing::admin_signed_in(core, "boss@uni.example", PASSWORD).await;
    bulk_seed_accounts(core, admin.organization_id(), parent, ACCOUNTS)
        .await
        .unwrap();
    let before = core.status_counts(&admin).await.unwrap();

    let mut server = Server::start(&db, &[]);
    let (status, answer) = sign_in(server.address, "boss@uni.example", PASSWORD).await;
    assert_eq!(status, 200, "{answer}");
    let cookie = session_cookie(&answer).unwrap();
    let (status, answer) = post_form(
        server.address,
        "/api/start_bulk_action",
        "action=block&all_matching=true&status=active",
        Some(&cookie),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    // Killed once a batch has committed, so that the restart starts mid-job.
    let started = Instant::now();
    while core
        .current_bulk_job(&admin)
        .await
        .unwrap()
        .unwrap()
        .processed
        == 0
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no batch committed"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    let cut = core.current_bulk_job(&admin).await.unwrap().unwrap();
    assert!(
        !cut.finished && cut.processed > 0,
        "killed while at work: {cut:?}"
    );
    assert_eq!(cut.total, before.active);

    let _again = Server::start(&db, &[]);
    let started = Instant::now();
    let job = loop {
        let job = core.current_bulk_job(&admin).await.unwrap().unwrap();
        if job.finished {
            break job;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "not finished after a restart: {job:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    eprintln!(
        "killed at {} of {}; finished after the restart in {:.1} s",
        cut.processed,
        cut.total,
        started.elapsed().as_secs_f64()
    );
    assert_eq!(
        (job.done, job.skipped),
        (before.active - 1, 1),
        "all but the parent"
    );
    let after = core.status_counts(&admin).await.unwrap();
    assert_eq!(after.of(Status::Active), 1);
    assert_eq!(after.of(Status::Blocked), before.blocked + job.done);
    // Each account blocked once, and recorded once: no batch was half done or redone.
    let entries = core.operator_audit_log(None).await.unwrap();
    let blocks = entries
        .iter()
        .filter(|e| e.action == AuditAction::AccountBlock.code())
        .count() as i64;
    assert_eq!(blocks, job.done);
}
