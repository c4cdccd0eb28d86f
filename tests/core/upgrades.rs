use umbrella::audit::AuditContext;
use umbrella::auth::Actor;
use umbrella::domain::audit::{AuditAction, AuditFilter};
use umbrella::domain::upgrade::{UpgradeForm, UpgradeKind, UpgradeRequestView};
use umbrella::{Error, Umbrella};

use crate::support::*;

async fn request(
    umbrella: &Umbrella,
    actor: &Actor,
    kind: UpgradeKind,
    how_many: &str,
) -> Result<UpgradeRequestView, Error> {
    let context = AuditContext::for_actor(actor, "192.0.2.8");
    let admin = actor.org_admin().unwrap();
    let form = UpgradeForm {
        how_many: how_many.to_owned(),
        message: "A new faculty opens in spring.".to_owned(),
    };
    umbrella
        .request_upgrade(&context, &admin, kind, &form)
        .await
}

async fn a_request_is_pending_until_the_operator_sets_that_quota(umbrella: &Umbrella) {
    let (parent, actor, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let (_, _, other) = org_with_admin(umbrella, "Other", "boss@other.example", 5).await;
    let asked = request(umbrella, &actor, UpgradeKind::Accounts, "50")
        .await
        .unwrap();
    assert_eq!(
        (asked.how_many, asked.requested_by.as_str()),
        (50, "boss@uni.example")
    );
    assert!(
        asked
            .pending_line()
            .starts_with("Upgrade requested: 50 more accounts, by boss@uni.example")
    );
    assert_eq!(
        umbrella
            .pending_upgrade(&admin, UpgradeKind::Accounts)
            .await
            .unwrap(),
        Some(asked.clone())
    );
    assert_eq!(
        umbrella
            .pending_upgrade(&other, UpgradeKind::Accounts)
            .await
            .unwrap(),
        None
    );
    // The tab's header reads the same in one go: quota line, counts, pending request.
    let overview = umbrella.accounts_overview(&admin).await.unwrap();
    assert_eq!(overview.upgrade, Some(asked.clone()));
    assert_eq!(
        overview.quota,
        umbrella.account_quota(&admin).await.unwrap()
    );
    assert_eq!(
        overview.counts,
        umbrella.status_counts(&admin).await.unwrap()
    );

    // Asking twice adds nothing; a bad number is named by its field.
    let err = request(umbrella, &actor, UpgradeKind::Accounts, "10")
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Conflict(ref m) if m.contains("already pending")),
        "{err:?}"
    );
    let err = request(umbrella, &actor, UpgradeKind::Users, "0")
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Invalid(ref e) if e[0].field == "how_many"),
        "{err:?}"
    );
    request(umbrella, &actor, UpgradeKind::Users, "2")
        .await
        .unwrap();

    let listed = umbrella.pending_upgrade_requests().await.unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(
        (listed[0].parent, listed[0].organization.as_str()),
        (parent, "Uni")
    );
    assert_eq!(
        (listed[0].kind, listed[0].how_many),
        (UpgradeKind::Accounts, 50)
    );

    // Setting the account quota closes the request for accounts, not the one for users.
    umbrella
        .set_quota(&AuditContext::unrecorded(), parent, Some(55), None)
        .await
        .unwrap();
    assert_eq!(
        umbrella
            .pending_upgrade(&admin, UpgradeKind::Accounts)
            .await
            .unwrap(),
        None
    );
    assert!(
        umbrella
            .pending_upgrade(&admin, UpgradeKind::Users)
            .await
            .unwrap()
            .is_some()
    );
    umbrella
        .set_quota(&AuditContext::unrecorded(), parent, None, Some(5))
        .await
        .unwrap();
    assert!(
        umbrella
            .pending_upgrade_requests()
            .await
            .unwrap()
            .is_empty()
    );
    // Closed, a new request may be made.
    request(umbrella, &actor, UpgradeKind::Accounts, "5")
        .await
        .unwrap();

    let log = umbrella
        .audit_log(&admin, &AuditFilter::default())
        .await
        .unwrap()
        .entries;
    let requests: Vec<_> = log
        .iter()
        .filter(|e| e.action == AuditAction::UpgradeRequest.code())
        .collect();
    // Three done, two refused (the second request for accounts, the bad number).
    assert_eq!(requests.len(), 5);
    assert!(requests.iter().any(|e| e.detail == "50 more accounts"));
}

umbrella::test_on_both_databases!(a_request_is_pending_until_the_operator_sets_that_quota);
