use umbrella::audit::AuditContext;
use umbrella::domain::AccountAction;
use umbrella::domain::{Password, Status};
use umbrella::{Error, Umbrella};

use crate::support::*;

fn offered(password: &str) -> Password {
    Password::offered(password.to_owned())
}

async fn sign_in_opens_a_session_that_sign_out_closes(umbrella: &Umbrella) {
    let (parent, _, _) = org_with_admin(umbrella, "Uni", "Boss@Uni.example", 5).await;
    // Emails are matched without regard to case or surrounding spaces.
    let signed_in = umbrella
        .sign_in(
            "  boss@uni.EXAMPLE ",
            offered(PASSWORD),
            umbrella::testing::TEST_ADDRESS,
        )
        .await
        .unwrap();
    let actor = umbrella.authenticate(&signed_in.token, None).await.unwrap();
    assert_eq!(actor.account_id, parent);
    assert!(actor.is_org_admin());
    umbrella.sign_out(&signed_in.token).await.unwrap();
    let err = umbrella
        .authenticate(&signed_in.token, None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unauthenticated));
}

async fn wrong_credentials_get_one_generic_error(umbrella: &Umbrella) {
    org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    for (email, password) in [
        ("boss@uni.example", "wrong password here"),
        ("nobody@uni.example", PASSWORD),
        ("", ""),
        (&"x".repeat(100_000), PASSWORD),
    ] {
        let err = umbrella
            .sign_in(email, offered(password), umbrella::testing::TEST_ADDRESS)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidCredentials), "{err:?}");
    }
}

async fn a_forged_token_is_no_session(umbrella: &Umbrella) {
    let token = umbrella::auth::SessionToken::from_client("00ff");
    assert!(matches!(
        umbrella.authenticate(&token, None).await.unwrap_err(),
        Error::Unauthenticated
    ));
}

async fn child_owners_are_not_org_admins(umbrella: &Umbrella) {
    let (_, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    umbrella
        .create_account(
            &AuditContext::unrecorded(),
            &admin,
            &account_form("Arts", "owner@arts.example"),
        )
        .await
        .unwrap();
    // The owner has no password until activation: sign-in cannot succeed.
    let err = umbrella
        .sign_in(
            "owner@arts.example",
            offered(""),
            umbrella::testing::TEST_ADDRESS,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidCredentials));
}

async fn blocking_an_account_ends_its_sessions_at_once(umbrella: &Umbrella) {
    let (_, _, boss) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let child = umbrella
        .create_account(
            &AuditContext::unrecorded(),
            &boss,
            &account_form("Arts", "owner@arts.example"),
        )
        .await
        .unwrap()
        .account;
    // Give the child's owner a password the way an operator would for a parent.
    umbrella::testing::set_owner_password(umbrella, child.partner_id, PASSWORD).await;
    let session = umbrella
        .sign_in(
            "owner@arts.example",
            offered(PASSWORD),
            umbrella::testing::TEST_ADDRESS,
        )
        .await
        .unwrap();
    let actor = umbrella.authenticate(&session.token, None).await.unwrap();
    assert!(!actor.is_org_admin());
    assert!(matches!(actor.org_admin(), Err(Error::Forbidden(_))));

    umbrella
        .change_account_status(
            &AuditContext::unrecorded(),
            &boss,
            child.partner_id,
            AccountAction::Block,
        )
        .await
        .unwrap();
    assert!(matches!(
        umbrella
            .authenticate(&session.token, None)
            .await
            .unwrap_err(),
        Error::Unauthenticated
    ));
    let err = umbrella
        .sign_in(
            "owner@arts.example",
            offered(PASSWORD),
            umbrella::testing::TEST_ADDRESS,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::AccountUnavailable(Status::Blocked)),
        "{err:?}"
    );
    // A wrong password still learns nothing about the account's status.
    let err = umbrella
        .sign_in(
            "owner@arts.example",
            offered("not the password"),
            umbrella::testing::TEST_ADDRESS,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidCredentials), "{err:?}");

    umbrella
        .change_account_status(
            &AuditContext::unrecorded(),
            &boss,
            child.partner_id,
            AccountAction::Remove,
        )
        .await
        .unwrap();
    let err = umbrella
        .sign_in(
            "owner@arts.example",
            offered(PASSWORD),
            umbrella::testing::TEST_ADDRESS,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::AccountUnavailable(Status::Removed)),
        "{err:?}"
    );
}

umbrella::test_on_both_databases!(
    sign_in_opens_a_session_that_sign_out_closes,
    wrong_credentials_get_one_generic_error,
    a_forged_token_is_no_session,
    child_owners_are_not_org_admins,
    blocking_an_account_ends_its_sessions_at_once,
);
