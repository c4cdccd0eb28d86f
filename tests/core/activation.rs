use umbrella::audit::AuditContext;
use umbrella::auth::ActivationToken;
use umbrella::domain::AccountAction;
use umbrella::domain::Password;
use umbrella::{Error, Umbrella};

use crate::support::*;

fn new_password() -> Password {
    Password::parse_new("the owner's own password".to_owned()).unwrap()
}

async fn an_owner_activates_once_and_signs_in(umbrella: &Umbrella) {
    let (_, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let created = umbrella
        .create_account(
            &AuditContext::unrecorded(),
            &admin,
            &account_form("Arts", "owner@arts.example"),
        )
        .await
        .unwrap();
    let signed_in = umbrella
        .activate(
            &created.activation,
            new_password(),
            umbrella::testing::TEST_ADDRESS,
        )
        .await
        .unwrap();
    assert_eq!(signed_in.actor.account_id, created.account.partner_id);
    assert!(!signed_in.actor.is_org_admin());
    // The password now works for sign-in.
    umbrella
        .sign_in(
            "owner@arts.example",
            Password::offered("the owner's own password".to_owned()),
            umbrella::testing::TEST_ADDRESS,
        )
        .await
        .unwrap();
    // The link is spent.
    let again = umbrella
        .activate(
            &created.activation,
            new_password(),
            umbrella::testing::TEST_ADDRESS,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(again, Error::Invalid(ref f) if f[0].field == "token"),
        "{again:?}"
    );
}

async fn forged_links_activate_nothing(umbrella: &Umbrella) {
    let (_, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    umbrella
        .create_account(
            &AuditContext::unrecorded(),
            &admin,
            &account_form("Arts", "owner@arts.example"),
        )
        .await
        .unwrap();
    for forged in ["", "00", &"f".repeat(64), &"x".repeat(10_000)] {
        let err = umbrella
            .activate(
                &ActivationToken::from_client(forged),
                new_password(),
                umbrella::testing::TEST_ADDRESS,
            )
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Invalid(_)), "{err:?}");
    }
}

async fn racing_uses_of_one_link_succeed_once(umbrella: &Umbrella) {
    let (_, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let created = umbrella
        .create_account(
            &AuditContext::unrecorded(),
            &admin,
            &account_form("Arts", "owner@arts.example"),
        )
        .await
        .unwrap();
    let attempts: Vec<_> = (0..6)
        .map(|_| {
            let umbrella = umbrella.clone();
            let token = created.activation.clone();
            tokio::spawn(async move {
                umbrella
                    .activate(&token, new_password(), umbrella::testing::TEST_ADDRESS)
                    .await
            })
        })
        .collect();
    let mut succeeded = 0;
    for attempt in attempts {
        if attempt.await.unwrap().is_ok() {
            succeeded += 1;
        }
    }
    assert_eq!(succeeded, 1);
}

async fn a_blocked_accounts_owner_is_refused_with_a_reason(umbrella: &Umbrella) {
    let (_, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let created = umbrella
        .create_account(
            &AuditContext::unrecorded(),
            &admin,
            &account_form("Arts", "owner@arts.example"),
        )
        .await
        .unwrap();
    let session = umbrella
        .activate(
            &created.activation,
            new_password(),
            umbrella::testing::TEST_ADDRESS,
        )
        .await
        .unwrap();
    umbrella
        .change_account_status(
            &AuditContext::unrecorded(),
            &admin,
            created.account.partner_id,
            AccountAction::Block,
        )
        .await
        .unwrap();
    assert!(matches!(
        umbrella.authenticate(&session.token, None).await,
        Err(Error::Unauthenticated)
    ));
    let err = umbrella
        .sign_in(
            "owner@arts.example",
            Password::offered("the owner's own password".to_owned()),
            umbrella::testing::TEST_ADDRESS,
        )
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "This account is blocked. Contact your organization's administrator."
    );
}

umbrella::test_on_both_databases!(
    an_owner_activates_once_and_signs_in,
    forged_links_activate_nothing,
    racing_uses_of_one_link_succeed_once,
    a_blocked_accounts_owner_is_refused_with_a_reason,
);
