use std::collections::HashSet;
use umbrella::audit::AuditContext;

use umbrella::domain::Status;
use umbrella::domain::{AccountAction, AccountQuery};
use umbrella::{Error, Umbrella};

use crate::support::*;

async fn new_accounts_take_quota_places_until_none_is_left(umbrella: &Umbrella) {
    let (parent, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 2).await;
    let a = umbrella
        .create_account(
            &AuditContext::unrecorded(),
            &admin,
            &account_form("Arts", "arts@uni.example"),
        )
        .await
        .unwrap()
        .account;
    assert_eq!(a.parent_id, Some(parent));
    assert_eq!(a.status, Status::Active);
    assert!(!a.is_template);
    umbrella
        .create_account(
            &AuditContext::unrecorded(),
            &admin,
            &account_form("Science", "sci@uni.example"),
        )
        .await
        .unwrap();
    let quota = umbrella.account_quota(&admin).await.unwrap();
    assert_eq!((quota.in_use, quota.remaining()), (2, 0));
    let err = umbrella
        .create_account(
            &AuditContext::unrecorded(),
            &admin,
            &account_form("Law", "law@uni.example"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::QuotaReached(ref m) if m.contains("quota")),
        "{err:?}"
    );
    // Removing an account frees its place.
    umbrella
        .change_account_status(
            &AuditContext::unrecorded(),
            &admin,
            a.partner_id,
            AccountAction::Remove,
        )
        .await
        .unwrap();
    assert_eq!(umbrella.account_quota(&admin).await.unwrap().in_use, 1);
    umbrella
        .create_account(
            &AuditContext::unrecorded(),
            &admin,
            &account_form("Law", "law@uni.example"),
        )
        .await
        .unwrap();
}

async fn concurrent_creations_never_exceed_the_quota(umbrella: &Umbrella) {
    let (_, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    // Collected first: spawned inside a lazy `map`, each would start only when the
    // loop below awaits the one before, and nothing would race.
    let attempts: Vec<_> = (0..20)
        .map(|i| {
            let umbrella = umbrella.clone();
            let admin = admin.clone();
            tokio::spawn(async move {
                umbrella
                    .create_account(
                        &AuditContext::unrecorded(),
                        &admin,
                        &account_form(&format!("A{i}"), &format!("a{i}@uni.example")),
                    )
                    .await
            })
        })
        .collect();
    let mut created = 0;
    for attempt in attempts {
        match attempt.await.unwrap() {
            Ok(_) => created += 1,
            Err(Error::QuotaReached(_)) => {}
            Err(other) => panic!("unexpected error: {other:?}"),
        }
    }
    assert_eq!(created, 5);
    let page = umbrella
        .list_accounts(&admin, &AccountQuery::default_view())
        .await
        .unwrap();
    assert_eq!(page.accounts.len(), 6, "five children and the parent");
    assert_eq!(umbrella.account_quota(&admin).await.unwrap().in_use, 5);
}

async fn one_account_per_administrator_email_in_an_organization(umbrella: &Umbrella) {
    let (_, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let (_, _, other) = org_with_admin(umbrella, "College", "boss@college.example", 5).await;
    umbrella
        .create_account(
            &AuditContext::unrecorded(),
            &admin,
            &account_form("Arts", "same@x.example"),
        )
        .await
        .unwrap();
    let err = umbrella
        .create_account(
            &AuditContext::unrecorded(),
            &admin,
            &account_form("Arts 2", "SAME@x.example"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Taken(ref f) if f[0].field == "admin_email"),
        "{err:?}"
    );
    assert_eq!(
        umbrella.account_quota(&admin).await.unwrap().in_use,
        1,
        "nothing half-written"
    );
    // Another organization may use the same email.
    umbrella
        .create_account(
            &AuditContext::unrecorded(),
            &other,
            &account_form("Arts", "same@x.example"),
        )
        .await
        .unwrap();
}

async fn bad_account_input_is_refused_field_by_field(umbrella: &Umbrella) {
    let (_, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let mut form = account_form(&"n".repeat(1_000_000), "x");
    form.website_url = "ftp://x".to_owned();
    let err = umbrella
        .create_account(&AuditContext::unrecorded(), &admin, &form)
        .await
        .unwrap_err();
    let Error::Invalid(fields) = err else {
        panic!("{err:?}")
    };
    let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(names, ["name", "admin_email", "website_url"]);
    assert_eq!(umbrella.account_quota(&admin).await.unwrap().in_use, 0);
}

async fn each_status_change_follows_the_rules(umbrella: &Umbrella) {
    let (parent, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let id = new_child(umbrella, &admin, "Arts", "arts@uni.example").await;
    let nobody = AuditContext::unrecorded();
    let change = |action| umbrella.change_account_status(&nobody, &admin, id, action);
    assert!(matches!(
        change(AccountAction::Unblock).await,
        Err(Error::Conflict(_))
    ));
    assert_eq!(
        change(AccountAction::Block).await.unwrap().status,
        Status::Blocked
    );
    assert!(matches!(
        change(AccountAction::Block).await,
        Err(Error::Conflict(_))
    ));
    assert_eq!(
        change(AccountAction::Unblock).await.unwrap().status,
        Status::Active
    );
    assert_eq!(
        change(AccountAction::Block).await.unwrap().status,
        Status::Blocked
    );
    assert_eq!(
        change(AccountAction::Remove).await.unwrap().status,
        Status::Removed
    );
    for action in [
        AccountAction::Block,
        AccountAction::Unblock,
        AccountAction::Remove,
    ] {
        assert!(
            matches!(change(action).await, Err(Error::Conflict(_))),
            "{action:?}"
        );
    }
    for action in [AccountAction::Block, AccountAction::Remove] {
        let err = umbrella
            .change_account_status(&AuditContext::unrecorded(), &admin, parent, action)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
    }
}

async fn organizations_never_see_each_other(umbrella: &Umbrella) {
    let (_, _, uni) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let (college_parent, _, college) =
        org_with_admin(umbrella, "College", "boss@college.example", 5).await;
    let theirs = umbrella
        .create_account(
            &AuditContext::unrecorded(),
            &college,
            &account_form("Their Arts", "arts@college.example"),
        )
        .await
        .unwrap()
        .account;
    umbrella
        .create_account(
            &AuditContext::unrecorded(),
            &uni,
            &account_form("Our Arts", "arts@uni.example"),
        )
        .await
        .unwrap();
    let all = AccountQuery {
        statuses: Status::ALL.to_vec(),
        ..AccountQuery::default_view()
    };
    let names: HashSet<_> = umbrella
        .list_accounts(&uni, &all)
        .await
        .unwrap()
        .accounts
        .into_iter()
        .map(|a| a.name.into_inner())
        .collect();
    assert_eq!(
        names,
        HashSet::from(["Uni".to_owned(), "Our Arts".to_owned()])
    );
    for target in [theirs.partner_id, college_parent] {
        let err = umbrella
            .change_account_status(
                &AuditContext::unrecorded(),
                &uni,
                target,
                AccountAction::Block,
            )
            .await
            .unwrap_err();
        assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    }
}

async fn the_list_pages_by_keyset_and_filters_by_status(umbrella: &Umbrella) {
    let (_, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 50).await;
    let mut ids = Vec::new();
    for i in 0..7 {
        let account = umbrella
            .create_account(
                &AuditContext::unrecorded(),
                &admin,
                &account_form(&format!("A{i}"), &format!("a{i}@uni.example")),
            )
            .await
            .unwrap();
        ids.push(account.account.partner_id);
    }
    umbrella
        .change_account_status(
            &AuditContext::unrecorded(),
            &admin,
            ids[3],
            AccountAction::Remove,
        )
        .await
        .unwrap();
    let mut query = AccountQuery {
        limit: 3,
        ..AccountQuery::default_view()
    };
    let mut seen = Vec::new();
    loop {
        let page = umbrella.list_accounts(&admin, &query).await.unwrap();
        assert!(page.accounts.len() <= 3);
        seen.extend(page.accounts.iter().map(|a| a.partner_id));
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len(), 7, "six children in use and the parent");
    assert!(!seen.contains(&ids[3]));
    let unique: HashSet<_> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no account on two pages");

    let removed = AccountQuery {
        statuses: vec![Status::Removed],
        ..AccountQuery::default_view()
    };
    let page = umbrella.list_accounts(&admin, &removed).await.unwrap();
    assert_eq!(
        page.accounts
            .iter()
            .map(|a| a.partner_id)
            .collect::<Vec<_>>(),
        [ids[3]]
    );
    let none = AccountQuery {
        statuses: vec![],
        ..AccountQuery::default_view()
    };
    assert!(matches!(
        umbrella.list_accounts(&admin, &none).await,
        Err(Error::Invalid(_))
    ));
}

umbrella::test_on_both_databases!(
    new_accounts_take_quota_places_until_none_is_left,
    concurrent_creations_never_exceed_the_quota,
    one_account_per_administrator_email_in_an_organization,
    bad_account_input_is_refused_field_by_field,
    each_status_change_follows_the_rules,
    organizations_never_see_each_other,
    the_list_pages_by_keyset_and_filters_by_status,
);
