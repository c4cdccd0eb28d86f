use umbrella::{Error, Umbrella};

use crate::support::*;

async fn creating_an_organization_makes_a_parent_with_its_administrator(umbrella: &Umbrella) {
    let (parent, actor, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    assert_eq!(actor.account_id, parent);
    assert!(actor.is_parent_account);
    assert_eq!(admin.parent_id, parent);
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
        .create_organization(&form, password())
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
                &admin,
                &account_form(&format!("A{i}"), &format!("a{i}@x.example")),
            )
            .await
            .unwrap();
    }
    let summary = umbrella.set_quota(parent, Some(2), Some(1)).await.unwrap();
    assert_eq!((summary.account_quota, summary.user_quota), (2, 1));
    let err = umbrella.set_quota(parent, Some(1), None).await.unwrap_err();
    assert!(
        matches!(err, Error::Invalid(ref f) if f[0].field == "accounts"),
        "{err:?}"
    );
    let err = umbrella.set_quota(parent, None, Some(0)).await.unwrap_err();
    assert!(
        matches!(err, Error::Invalid(ref f) if f[0].field == "users"),
        "{err:?}"
    );
    let unchanged = umbrella.set_quota(parent, None, None).await.unwrap();
    assert_eq!((unchanged.account_quota, unchanged.user_quota), (2, 1));
}

async fn quotas_are_set_only_on_parent_accounts(umbrella: &Umbrella) {
    let (_, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let child = umbrella
        .create_account(&admin, &account_form("Child", "c@x.example"))
        .await
        .unwrap()
        .account;
    let err = umbrella
        .set_quota(child.partner_id, Some(9), None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
}

umbrella::test_on_both_databases!(
    creating_an_organization_makes_a_parent_with_its_administrator,
    bad_organization_input_is_refused_and_writes_nothing,
    quotas_can_be_changed_but_not_below_what_is_in_use,
    quotas_are_set_only_on_parent_accounts,
);
