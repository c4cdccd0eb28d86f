use umbrella::audit::AuditContext;
use umbrella::{Error, Umbrella};

use crate::support::*;

async fn creating_an_organization_makes_a_parent_with_its_administrator(umbrella: &Umbrella) {
    let (parent, actor, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    assert_eq!(actor.account_id, parent);
    assert!(actor.is_parent_account);
    assert_eq!(admin.parent_id(), parent);
    let orgs = umbrella.list_organizations().await.unwrap();
    assert_eq!(orgs.len(), 1);
    assert_eq!(orgs[0].parent(), parent);
    assert_eq!(orgs[0].name, "Uni");
    assert_eq!((orgs[0].accounts_in_use, orgs[0].account_quota), (0, 5));
    assert_eq!((orgs[0].users_in_use, orgs[0].user_quota), (1, 3));
}

async fn bad_organization_input_is_refused_and_writes_nothing(umbrella: &Umbrella) {
    let mut form = organization(" ", "not-an-email", -1);
    form.admin_phone = "phone".to_owned();
    let err = umbrella
        .create_organization(&AuditContext::unrecorded(), &form, password())
        .await
        .unwrap_err();
    let Error::Invalid(fields) = err else {
        panic!("expected Invalid, got {err:?}")
    };
    let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        names,
        ["name", "admin-email", "admin-phone", "account-quota"]
    );
    assert!(umbrella.list_organizations().await.unwrap().is_empty());
}

async fn quotas_can_be_changed_but_not_below_what_is_in_use(umbrella: &Umbrella) {
    let (parent, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    for i in 0..2 {
        umbrella
            .create_account(
                &AuditContext::unrecorded(),
                &admin,
                &account_form(&format!("A{i}"), &format!("a{i}@x.example")),
            )
            .await
            .unwrap();
    }
    let summary = umbrella
        .set_quota(&AuditContext::unrecorded(), parent, Some(2), Some(1))
        .await
        .unwrap();
    assert_eq!((summary.account_quota, summary.user_quota), (2, 1));
    let err = umbrella
        .set_quota(&AuditContext::unrecorded(), parent, Some(1), None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Invalid(ref f) if f[0].field == "accounts"),
        "{err:?}"
    );
    let err = umbrella
        .set_quota(&AuditContext::unrecorded(), parent, None, Some(0))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Invalid(ref f) if f[0].field == "users"),
        "{err:?}"
    );
    let unchanged = umbrella
        .set_quota(&AuditContext::unrecorded(), parent, None, None)
        .await
        .unwrap();
    assert_eq!((unchanged.account_quota, unchanged.user_quota), (2, 1));
}

async fn quotas_are_set_only_on_parent_accounts(umbrella: &Umbrella) {
    let (_, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let child = umbrella
        .create_account(
            &AuditContext::unrecorded(),
            &admin,
            &account_form("Child", "c@x.example"),
        )
        .await
        .unwrap()
        .account;
    let err = umbrella
        .set_quota(&AuditContext::unrecorded(), child.partner_id, Some(9), None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
}

/// Deleting erases a removed account with everything in it, and nothing else.
async fn only_removed_accounts_are_deleted_with_their_content_and_users(umbrella: &Umbrella) {
    use umbrella::domain::AccountAction;
    let (_, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let mut form = account_form("Physics", "phys@uni.example");
    // From the Default Template, so the account has content of every kind.
    form.template = Some(
        umbrella
            .template_choices(&admin)
            .await
            .unwrap()
            .first()
            .unwrap()
            .partner_id,
    );
    let child = umbrella
        .create_account(&AuditContext::unrecorded(), &admin, &form)
        .await
        .unwrap()
        .account
        .partner_id;
    let kept = new_child(umbrella, &admin, "Maths", "maths@uni.example").await;
    let err = umbrella
        .delete_account(&AuditContext::unrecorded(), child)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Conflict(m) if m.contains("active")),
        "{err:?}"
    );
    umbrella
        .change_account_status(
            &AuditContext::unrecorded(),
            &admin,
            child,
            AccountAction::Remove,
        )
        .await
        .unwrap();
    let count = |sql: &'static str| async move {
        sqlx::query_scalar::<_, i64>(sql)
            .bind(child.get())
            .fetch_one(umbrella.db().pool())
            .await
            .unwrap()
    };
    assert!(count("SELECT COUNT(*) FROM categories WHERE account_id = $1").await > 0);
    umbrella
        .delete_account(&AuditContext::unrecorded(), child)
        .await
        .unwrap();
    for sql in [
        "SELECT COUNT(*) FROM accounts WHERE partner_id = $1",
        "SELECT COUNT(*) FROM users WHERE account_id = $1",
        "SELECT COUNT(*) FROM categories WHERE account_id = $1",
        "SELECT COUNT(*) FROM cms_roles WHERE account_id = $1",
        "SELECT COUNT(*) FROM players WHERE account_id = $1",
    ] {
        assert_eq!(count(sql).await, 0, "{sql}");
    }
    let counts = umbrella.status_counts(&admin).await.unwrap();
    // The parent and "Maths" are active; no removed account is counted any more.
    assert_eq!((counts.active, counts.removed), (2, 0));
    assert!(matches!(
        umbrella
            .delete_account(&AuditContext::unrecorded(), child)
            .await,
        Err(Error::NotFound(_))
    ));
    // The other account is untouched.
    let err = umbrella
        .delete_account(&AuditContext::unrecorded(), kept)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Conflict(_)));
}

umbrella::test_on_both_databases!(
    only_removed_accounts_are_deleted_with_their_content_and_users,
    creating_an_organization_makes_a_parent_with_its_administrator,
    bad_organization_input_is_refused_and_writes_nothing,
    quotas_can_be_changed_but_not_below_what_is_in_use,
    quotas_are_set_only_on_parent_accounts,
);
