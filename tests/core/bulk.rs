use umbrella::audit::AuditContext;
use umbrella::auth::{Actor, OrgAdmin};
use umbrella::bulk::{BULK_BATCH, BulkSelection};
use umbrella::domain::audit::{AuditAction, AuditFilter, AuditOutcome};
use umbrella::domain::bulk::{BulkJobView, BulkOutcome};
use umbrella::domain::{AccountAction, AccountQuery, PartnerId, Search, SearchMode, Status};
use umbrella::{Error, Umbrella};

use crate::support::*;

async fn start(
    umbrella: &Umbrella,
    actor: &Actor,
    action: AccountAction,
    selection: BulkSelection,
) -> Result<BulkJobView, Error> {
    let context = AuditContext::for_actor(actor, "192.0.2.44");
    let admin = actor.org_admin().unwrap();
    umbrella
        .start_bulk_action(&context, &admin, action, selection)
        .await
}

/// Runs the job to its end (beside the worker the start set on it) and returns
/// what its panel shows.
async fn finish(umbrella: &Umbrella, admin: &OrgAdmin, job: &BulkJobView) -> BulkJobView {
    umbrella.run_bulk_job(job.id).await.unwrap();
    let view = umbrella.current_bulk_job(admin).await.unwrap().unwrap();
    assert_eq!(view.id, job.id);
    assert!(view.finished);
    view
}

async fn status(umbrella: &Umbrella, admin: &OrgAdmin, id: PartnerId) -> Status {
    umbrella.account(admin, id).await.unwrap().status
}

async fn a_bulk_block_changes_what_it_may_and_says_why_it_skipped_the_rest(umbrella: &Umbrella) {
    let (parent, actor, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 20).await;
    let mut ids = Vec::new();
    for i in 0..6 {
        ids.push(
            new_child(
                umbrella,
                &admin,
                &format!("Faculty {i}"),
                &format!("f{i}@uni.example"),
            )
            .await,
        );
    }
    umbrella
        .change_account_status(
            &umbrella::audit::AuditContext::unrecorded(),
            &admin,
            ids[0],
            AccountAction::Block,
        )
        .await
        .unwrap();
    umbrella
        .set_template(&umbrella::audit::AuditContext::unrecorded(), ids[1], true)
        .await
        .unwrap();
    let mut selection = ids.clone();
    selection.push(parent);
    selection.push(ids[2]); // twice: taken once
    let job = start(
        umbrella,
        &actor,
        AccountAction::Block,
        BulkSelection::Listed(selection),
    )
    .await
    .unwrap();
    assert_eq!((job.total, job.action), (7, AccountAction::Block));
    let view = finish(umbrella, &admin, &job).await;
    assert_eq!((view.processed, view.done, view.skipped), (7, 4, 3));
    assert_eq!(view.summary(), "4 blocked, 3 skipped.");
    // Skipped first, each with its reason, then the done ones.
    let reasons: Vec<(i64, BulkOutcome)> = view
        .results
        .iter()
        .map(|r| (r.partner_id, r.outcome.clone()))
        .collect();
    assert_eq!(
        reasons[..3],
        [
            (
                parent.get(),
                BulkOutcome::Skipped("The parent account cannot be changed.".into())
            ),
            (
                ids[0].get(),
                BulkOutcome::Skipped("Already blocked.".into())
            ),
            (
                ids[1].get(),
                BulkOutcome::Skipped("Template accounts cannot be changed.".into())
            ),
        ]
    );
    assert!(reasons[3..].iter().all(|(_, o)| *o == BulkOutcome::Done));
    for id in &ids[2..] {
        assert_eq!(status(umbrella, &admin, *id).await, Status::Blocked);
    }
    assert_eq!(status(umbrella, &admin, ids[1]).await, Status::Active);
    let counts = umbrella.status_counts(&admin).await.unwrap();
    assert_eq!(
        (counts.active, counts.blocked),
        (2, 5),
        "parent and template stay active"
    );

    // Every changed account has its own entry, in the starter's name; the start has one too.
    let log = umbrella
        .audit_log(&admin, &AuditFilter::default())
        .await
        .unwrap()
        .entries;
    let blocks: Vec<_> = log
        .iter()
        .filter(|e| e.action == AuditAction::AccountBlock.code())
        .collect();
    assert_eq!(blocks.len(), 4);
    for entry in &blocks {
        assert_eq!(entry.actor, "boss@uni.example");
        assert_eq!(entry.address, "192.0.2.44");
        assert_eq!(entry.outcome, AuditOutcome::Done);
        assert_eq!(entry.detail, format!("Bulk job {}", job.id));
    }
    let started = log
        .iter()
        .find(|e| e.action == AuditAction::AccountsBulk.code())
        .unwrap();
    assert!(
        started.detail.contains("7 account(s)"),
        "{}",
        started.detail
    );

    // Dismissed, the panel is gone; the log stays.
    umbrella.dismiss_bulk_job(&admin, job.id).await.unwrap();
    assert_eq!(umbrella.current_bulk_job(&admin).await.unwrap(), None);
}

async fn all_matching_takes_the_whole_filter_in_batches(umbrella: &Umbrella) {
    let total = BULK_BATCH as usize + 30;
    let (_, actor, admin) = org_with_admin(umbrella, "Net", "boss@net.example", 2_000).await;
    for i in 0..total {
        new_child(
            umbrella,
            &admin,
            &format!("Channel {i}"),
            &format!("c{i}@net.example"),
        )
        .await;
    }
    new_child(umbrella, &admin, "Archive", "archive@net.example").await;
    let mut query = AccountQuery::default_view();
    query.search = Search::parse(SearchMode::AccountName, "channel").unwrap();
    assert_eq!(
        umbrella
            .count_matching_accounts(&admin, &query)
            .await
            .unwrap(),
        total as i64
    );
    // Without a search the counters answer: every active and blocked account, parent included.
    assert_eq!(
        umbrella
            .count_matching_accounts(&admin, &AccountQuery::default_view())
            .await
            .unwrap(),
        total as i64 + 2
    );
    let before = umbrella.account_quota(&admin).await.unwrap().in_use;
    let job = start(
        umbrella,
        &actor,
        AccountAction::Remove,
        BulkSelection::Matching(query),
    )
    .await
    .unwrap();
    assert_eq!(job.total, total as i64);
    let view = finish(umbrella, &admin, &job).await;
    assert_eq!((view.done, view.skipped), (total as i64, 0));
    assert_eq!(
        view.results.len(),
        umbrella::domain::bulk::BULK_RESULTS_SHOWN as usize
    );
    let counts = umbrella.status_counts(&admin).await.unwrap();
    assert_eq!((counts.active, counts.removed), (2, total as i64));
    assert_eq!(
        umbrella.account_quota(&admin).await.unwrap().in_use,
        before - total as i64,
        "removed accounts give their places back"
    );
}

async fn one_job_at_a_time_and_only_the_organizations_accounts(umbrella: &Umbrella) {
    let (_, actor, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 20).await;
    let (_, _, other_admin) = org_with_admin(umbrella, "Other", "boss@other.example", 20).await;
    let ours = new_child(umbrella, &admin, "Arts", "arts@uni.example").await;
    let theirs = new_child(umbrella, &other_admin, "Theirs", "t@other.example").await;

    let err = start(
        umbrella,
        &actor,
        AccountAction::Block,
        BulkSelection::Listed(vec![ours, theirs]),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    let err = start(
        umbrella,
        &actor,
        AccountAction::Block,
        BulkSelection::Listed(vec![]),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Invalid(_)), "{err:?}");
    let too_many = (1..=201).map(PartnerId::new).collect();
    let err = start(
        umbrella,
        &actor,
        AccountAction::Block,
        BulkSelection::Listed(too_many),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Invalid(_)), "{err:?}");

    // The first batch fails (its transaction rolls back whole); the worker retries
    // after a pause, during which the job is still at work.
    umbrella::arm_fail_point(umbrella, "bulk.batch")
        .await
        .unwrap();
    let job = start(
        umbrella,
        &actor,
        AccountAction::Block,
        BulkSelection::Listed(vec![ours]),
    )
    .await
    .unwrap();
    let err = start(
        umbrella,
        &actor,
        AccountAction::Unblock,
        BulkSelection::Listed(vec![ours]),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, Error::Conflict(ref m) if m.contains("already running")),
        "{err:?}"
    );
    let view = finish(umbrella, &admin, &job).await;
    assert_eq!((view.done, view.skipped), (1, 0));
    assert_eq!(status(umbrella, &admin, ours).await, Status::Blocked);
    assert_eq!(
        umbrella.status_counts(&admin).await.unwrap().blocked,
        1,
        "the failed batch moved no counter"
    );
    // Finished, the next may start; another organization's panel never shows ours.
    assert_eq!(umbrella.current_bulk_job(&other_admin).await.unwrap(), None);
    let err = umbrella
        .dismiss_bulk_job(&other_admin, job.id)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    start(
        umbrella,
        &actor,
        AccountAction::Unblock,
        BulkSelection::Listed(vec![ours]),
    )
    .await
    .unwrap();
}

umbrella::test_on_both_databases!(
    a_bulk_block_changes_what_it_may_and_says_why_it_skipped_the_rest,
    all_matching_takes_the_whole_filter_in_batches,
    one_job_at_a_time_and_only_the_organizations_accounts,
);
