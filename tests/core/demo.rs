use umbrella::Umbrella;
use umbrella::demo::{DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD};
use umbrella::domain::AccountQuery;
use umbrella::domain::{Password, Status};

async fn the_demo_seeds_once_with_mixed_statuses(umbrella: &Umbrella) {
    let seed = umbrella.seed_demo().await.unwrap().expect("seeded");
    assert!(
        umbrella.seed_demo().await.unwrap().is_none(),
        "seeds only an empty database"
    );
    let actor = umbrella
        .sign_in(
            DEMO_ADMIN_EMAIL,
            Password::offered(DEMO_ADMIN_PASSWORD.to_owned()),
            umbrella::testing::TEST_ADDRESS,
        )
        .await
        .unwrap()
        .actor;
    assert_eq!(actor.account_id, seed.parent);
    let admin = actor.org_admin().unwrap();
    let all = AccountQuery {
        statuses: Status::ALL.to_vec(),
        ..AccountQuery::default_view()
    };
    let accounts = umbrella.list_accounts(&admin, &all).await.unwrap().accounts;
    let count = |s| accounts.iter().filter(|a| a.status == s).count();
    assert_eq!(accounts.len(), 5);
    assert_eq!(
        (
            count(Status::Active),
            count(Status::Blocked),
            count(Status::Removed)
        ),
        (3, 1, 1)
    );
    assert_eq!(umbrella.account_quota(&admin).await.unwrap().in_use, 3);
}

umbrella::test_on_both_databases!(the_demo_seeds_once_with_mixed_statuses);
