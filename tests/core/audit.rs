//! The audit log: outcomes recorded (refusals too), each organization sees its own,
//! filters and pages work, and the database refuses to change or delete an entry.

use umbrella::audit::AuditContext;
use umbrella::domain::AccountAction;
use umbrella::domain::PartnerId;
use umbrella::domain::audit::{AuditAction, AuditFilter, AuditFilterForm, AuditOutcome};
use umbrella::{Error, Umbrella};

use crate::support::*;

fn filter(partner_id: &str, action: &str) -> AuditFilter {
    AuditFilter::parse(&AuditFilterForm {
        partner_id: partner_id.to_owned(),
        action: action.to_owned(),
        ..Default::default()
    })
    .unwrap()
}

async fn changes_and_refusals_are_recorded_per_organization(umbrella: &Umbrella) {
    let (_, actor, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let (_, stranger_actor, stranger) =
        org_with_admin(umbrella, "Else", "else@else.example", 5).await;
    let context = AuditContext::for_actor(&actor, "192.0.2.7");
    let child = umbrella
        .create_account(
            &context,
            &admin,
            &account_form("Physics", "phys@uni.example"),
        )
        .await
        .unwrap()
        .account
        .partner_id;
    umbrella
        .change_account_status(&context, &admin, child, AccountAction::Block)
        .await
        .unwrap();
    // Blocking twice is refused; the refusal is recorded with its reason.
    let err = umbrella
        .change_account_status(&context, &admin, child, AccountAction::Block)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Conflict(_)));
    // Another organization's admin tries: refused as "not found", in *their* log.
    let stranger_context = AuditContext::for_actor(&stranger_actor, "198.51.100.1");
    let err = umbrella
        .change_account_status(&stranger_context, &stranger, child, AccountAction::Block)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)));

    let page = umbrella
        .audit_log(&admin, &AuditFilter::default())
        .await
        .unwrap();
    let seen: Vec<_> = page
        .entries
        .iter()
        .map(|e| (e.action.as_str(), e.outcome.as_db(), e.partner_id))
        .collect();
    assert_eq!(
        seen,
        [
            ("account.block", "refused", Some(child.get())),
            ("account.block", "done", Some(child.get())),
            ("account.create", "done", Some(child.get())),
        ],
        "newest first, this organization's only"
    );
    let refused = &page.entries[0];
    // The tab shows the account by name as well as by ID.
    let account = umbrella.account(&admin, child).await.unwrap();
    assert_eq!(refused.account_name.as_deref(), Some(account.name.as_str()));
    assert_eq!(refused.actor, "boss@uni.example");
    assert_eq!(refused.address, "192.0.2.7");
    assert!(refused.detail.contains("blocked"), "{}", refused.detail);
    assert!(page.next_before.is_none());

    let theirs = umbrella
        .audit_log(&stranger, &AuditFilter::default())
        .await
        .unwrap();
    assert_eq!(theirs.entries.len(), 1);
    assert_eq!(theirs.entries[0].outcome, AuditOutcome::Refused);

    // Filters: by action, by account (none for an unrelated ID).
    let created = umbrella
        .audit_log(&admin, &filter("", "account.create"))
        .await
        .unwrap();
    assert_eq!(created.entries.len(), 1);
    let none = umbrella
        .audit_log(&admin, &filter("424242", ""))
        .await
        .unwrap();
    assert!(none.entries.is_empty());
    let future = AuditFilter::parse(&AuditFilterForm {
        from: "2999-01-01".into(),
        ..Default::default()
    })
    .unwrap();
    assert!(
        umbrella
            .audit_log(&admin, &future)
            .await
            .unwrap()
            .entries
            .is_empty()
    );
}

async fn a_cms_login_records_who_acts_as_whom(umbrella: &Umbrella) {
    let (_, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let child = new_child(umbrella, &admin, "Physics", "phys@uni.example").await;
    let session = umbrella::testing::start_cms_login(umbrella, &admin, child)
        .await
        .unwrap();
    let owner = umbrella
        .authenticate(&session.token, Some(child))
        .await
        .unwrap();
    let context = AuditContext::for_actor(&owner, "192.0.2.9");
    assert_eq!(context.actor, "boss@uni.example");
    assert_eq!(context.acting_as.as_deref(), Some("phys@uni.example"));
    let user = owner.account_user();
    umbrella
        .save_category(
            &context,
            &user,
            None,
            &umbrella::domain::content::CategoryForm {
                name: "News".into(),
                parent: None,
            },
        )
        .await
        .unwrap();
    let page = umbrella
        .audit_log(&admin, &filter(&child.to_string(), ""))
        .await
        .unwrap();
    let entry = &page.entries[0];
    assert_eq!(
        (
            entry.actor.as_str(),
            entry.acting_as.as_deref(),
            entry.action.as_str()
        ),
        ("boss@uni.example", Some("phys@uni.example"), "content.save")
    );
}

async fn pages_are_keyset_paged(umbrella: &Umbrella) {
    let (_, actor, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let context = AuditContext::for_actor(&actor, "192.0.2.7");
    for _ in 0..(umbrella::domain::audit::AUDIT_PAGE_SIZE + 3) {
        let _ = umbrella
            .audited_by_hand(
                &context,
                AuditAction::AccountBlock,
                Some(PartnerId::new(77)),
                async |_| Err::<(), _>(Error::NotFound("account 77".into())),
            )
            .await;
    }
    let first = umbrella
        .audit_log(&admin, &AuditFilter::default())
        .await
        .unwrap();
    assert_eq!(
        first.entries.len() as i64,
        umbrella::domain::audit::AUDIT_PAGE_SIZE
    );
    let before = first.next_before.expect("an older page");
    let second = umbrella
        .audit_log(
            &admin,
            &AuditFilter {
                before: Some(before),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(second.entries.len(), 3);
    assert!(second.next_before.is_none());
    assert!(
        second
            .entries
            .iter()
            .all(|e| umbrella::domain::audit::AuditCursor::of(e) < before)
    );
}

async fn entries_cannot_be_changed_or_deleted(umbrella: &Umbrella) {
    let context = AuditContext::operator();
    let refused = umbrella
        .audited_by_hand(&context, AuditAction::OrganizationQuota, None, async |_| {
            Err::<(), _>(Error::Conflict("no".to_owned()))
        })
        .await;
    assert!(refused.is_err());
    let pool = umbrella.db().pool();
    for sql in [
        "UPDATE audit_log SET outcome = 'refused'",
        "DELETE FROM audit_log",
    ] {
        let err = sqlx::query(sql).execute(pool).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    if umbrella.db().backend() == umbrella::Backend::Postgres {
        let err = sqlx::query("TRUNCATE audit_log")
            .execute(pool)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
    }
    assert_eq!(umbrella.operator_audit_log(None).await.unwrap().len(), 1);
}

/// The Account filter takes a name as well as a Partner ID: the entries of every
/// account of the organization whose name contains it, found by the list's search.
async fn the_account_filter_takes_a_name(umbrella: &Umbrella) {
    let (_, actor, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let (_, stranger_actor, stranger) =
        org_with_admin(umbrella, "Else", "else@else.example", 5).await;
    for (who, admin, name, email) in [
        (&actor, &admin, "Physics", "phys@uni.example"),
        (&actor, &admin, "Physical Education", "pe@uni.example"),
        (&actor, &admin, "Arts", "arts@uni.example"),
        (
            &stranger_actor,
            &stranger,
            "Physics Too",
            "phys@else.example",
        ),
    ] {
        let context = AuditContext::for_actor(who, "192.0.2.7");
        umbrella
            .create_account(&context, admin, &account_form(name, email))
            .await
            .unwrap();
    }
    let names = |page: umbrella::audit_log::AuditPage| -> Vec<String> {
        page.entries
            .into_iter()
            .map(|e| e.account_name.unwrap_or_default())
            .collect()
    };
    let physics = umbrella
        .audit_log(&admin, &filter("PHYS", ""))
        .await
        .unwrap();
    assert_eq!(names(physics), ["Physical Education", "Physics"]);
    let none = umbrella
        .audit_log(&admin, &filter("Chemistry", ""))
        .await
        .unwrap();
    assert!(none.entries.is_empty());
    let arts = umbrella
        .audit_log(&admin, &filter("arts", "account.block"))
        .await
        .unwrap();
    assert!(arts.entries.is_empty(), "both filters hold");

    // A name that stands for too many accounts is refused, naming the field.
    let (parent, _, crowded) = org_with_admin(umbrella, "Crowd", "crowd@crowd.example", 0).await;
    umbrella::testing::bulk_seed_accounts(
        umbrella,
        crowded.organization_id(),
        parent,
        umbrella::audit_log::MAX_NAMED_ACCOUNTS + 1,
    )
    .await
    .unwrap();
    let err = umbrella
        .audit_log(&crowded, &filter("Faculty", ""))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Invalid(f) if f[0].field == "partner_id"),
        "{err:?}"
    );
}

umbrella::test_on_both_databases!(
    changes_and_refusals_are_recorded_per_organization,
    a_cms_login_records_who_acts_as_whom,
    pages_are_keyset_paged,
    entries_cannot_be_changed_or_deleted,
    the_account_filter_takes_a_name,
);
