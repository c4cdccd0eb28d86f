//! A change and its audit entry are one transaction; refusals are recorded in their
//! own, capped per caller and hour; an activation by link is recorded too.

use umbrella::audit::{AuditContext, MAX_DETAIL_CHARS, REFUSALS_PER_HOUR};
use umbrella::domain::AccountAction;
use umbrella::domain::Password;
use umbrella::domain::audit::{AuditAction, AuditOutcome};
use umbrella::{Error, Umbrella};

use crate::support::*;

/// Blocks or unblocks `child` as the administrator, recorded under `context`.
async fn status_change(
    umbrella: &Umbrella,
    context: &AuditContext,
    admin: &umbrella::auth::OrgAdmin,
    child: umbrella::domain::PartnerId,
    action: AccountAction,
) -> umbrella::error::Result<umbrella::domain::Account> {
    umbrella
        .change_account_status(context, admin, child, action)
        .await
}

async fn a_change_whose_entry_cannot_be_written_is_rolled_back(umbrella: &Umbrella) {
    let (_, actor, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let context = AuditContext::for_actor(&actor, "192.0.2.7");
    umbrella::arm_fail_point(umbrella, "audit.entry")
        .await
        .unwrap();
    let failed = umbrella
        .create_account(
            &context,
            &admin,
            &account_form("Physics", "phys@uni.example"),
        )
        .await
        .unwrap_err();
    assert!(matches!(failed, Error::Internal(_)), "{failed:?}");
    // No account, no quota place taken, and the failure itself is on record.
    assert_eq!(umbrella.account_quota(&admin).await.unwrap().in_use, 0);
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE name = 'Physics'")
        .fetch_one(umbrella.db().pool())
        .await
        .unwrap();
    assert_eq!(count, 0);
    let log = umbrella.operator_audit_log(None).await.unwrap();
    let last = log.last().unwrap();
    assert_eq!(
        (last.action.as_str(), last.outcome.as_db()),
        ("account.create", "failed")
    );

    // The same change, recorded: the entry names the account it made.
    let created = umbrella
        .create_account(
            &context,
            &admin,
            &account_form("Physics", "phys@uni.example"),
        )
        .await
        .unwrap();
    let log = umbrella.operator_audit_log(None).await.unwrap();
    let last = log.last().unwrap();
    assert_eq!(last.outcome, AuditOutcome::Done);
    assert_eq!(last.partner_id, Some(created.account.partner_id.get()));
}

async fn refusals_are_capped_per_caller_and_hour(umbrella: &Umbrella) {
    let (_, actor, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let child = new_child(umbrella, &admin, "Physics", "phys@uni.example").await;
    let context = AuditContext::for_actor(&actor, "192.0.2.7");
    // Unblocking an active account is refused every time.
    for _ in 0..REFUSALS_PER_HOUR + 15 {
        let refused =
            status_change(umbrella, &context, &admin, child, AccountAction::Unblock).await;
        assert!(matches!(refused, Err(Error::Conflict(_))));
    }
    let log = umbrella.operator_audit_log(Some(child)).await.unwrap();
    let refusals: Vec<_> = log
        .iter()
        .filter(|e| e.outcome == AuditOutcome::Refused)
        .collect();
    assert_eq!(refusals.len() as i64, REFUSALS_PER_HOUR + 1);
    assert!(
        refusals
            .last()
            .unwrap()
            .detail
            .contains("were not recorded")
    );
    // Another caller (another address) still has their own allowance, and a done
    // change is always recorded.
    let elsewhere = AuditContext::for_actor(&actor, "198.51.100.9");
    let _ = status_change(umbrella, &elsewhere, &admin, child, AccountAction::Unblock).await;
    status_change(umbrella, &context, &admin, child, AccountAction::Block)
        .await
        .unwrap();
    let log = umbrella.operator_audit_log(Some(child)).await.unwrap();
    assert!(log.iter().any(|e| e.address == "198.51.100.9"));
    assert_eq!(log.last().unwrap().outcome, AuditOutcome::Done);
}

async fn a_refusals_detail_is_capped(umbrella: &Umbrella) {
    let context = AuditContext::operator();
    let long = "x".repeat(5_000);
    let _ = umbrella
        .audited_by_hand(&context, AuditAction::OrganizationQuota, None, async |_| {
            Err::<(), _>(Error::Conflict(long.clone()))
        })
        .await;
    let log = umbrella.operator_audit_log(None).await.unwrap();
    let detail = &log.last().unwrap().detail;
    assert_eq!(
        detail.chars().count(),
        MAX_DETAIL_CHARS + 1,
        "cut, with an ellipsis"
    );
}

async fn an_activation_by_link_is_recorded(umbrella: &Umbrella) {
    let (_, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let created = umbrella
        .create_account(
            &AuditContext::unrecorded(),
            &admin,
            &account_form("Physics", "phys@uni.example"),
        )
        .await
        .unwrap();
    umbrella
        .activate(
            &created.activation,
            Password::parse_new(PASSWORD.to_owned()).unwrap(),
            "203.0.113.5",
        )
        .await
        .unwrap();
    let log = umbrella
        .operator_audit_log(Some(created.account.partner_id))
        .await
        .unwrap();
    let entry = log.iter().find(|e| e.action == "user.activate").unwrap();
    assert_eq!(entry.actor, "phys@uni.example");
    assert_eq!(entry.address, "203.0.113.5");
    assert_eq!(entry.organization_id, Some(admin.organization_id().get()));
}

umbrella::test_on_both_databases!(
    a_change_whose_entry_cannot_be_written_is_rolled_back,
    refusals_are_capped_per_caller_and_hour,
    a_refusals_detail_is_capped,
    an_activation_by_link_is_recorded,
);
