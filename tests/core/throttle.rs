//! Throttled attempts at a secret: five failed sign-ins per email in fifteen minutes,
//! counted in the database (so every server on it agrees); activation and CMS Login
//! counted the same way.

use umbrella::audit::AuditContext;
use umbrella::auth::{ActivationToken, AuthLimits};
use umbrella::domain::AccountAction;
use umbrella::domain::Password;
use umbrella::testing::{TEST_ADDRESS, TestDb, set_owner_password, start_cms_login};
use umbrella::{Error, Umbrella};

use crate::support::*;

fn offered(password: &str) -> Password {
    Password::offered(password.to_owned())
}

async fn sign_in(umbrella: &Umbrella, email: &str, password: &str) -> Result<(), Error> {
    umbrella
        .sign_in(email, offered(password), TEST_ADDRESS)
        .await
        .map(|_| ())
}

/// Moves every recorded failure `minutes` into the past, as if that time went by.
async fn age_failures(umbrella: &Umbrella, minutes: i64) {
    sqlx::query("UPDATE auth_failures SET at = at - $1")
        .bind(minutes * 60 * 1000)
        .execute(umbrella.db().pool())
        .await
        .unwrap();
}

async fn failures_of(umbrella: &Umbrella, subject: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM auth_failures WHERE subject = $1")
        .bind(subject)
        .fetch_one(umbrella.db().pool())
        .await
        .unwrap()
}

async fn five_failures_lock_an_email_until_the_window_passes(umbrella: &Umbrella) {
    org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    org_with_admin(umbrella, "Other", "other@other.example", 5).await;
    for _ in 0..5 {
        assert!(matches!(
            sign_in(umbrella, "boss@uni.example", "wrong password").await,
            Err(Error::InvalidCredentials)
        ));
    }
    // Now even the right password is refused, with the time left, whatever the case.
    let Err(Error::TooManyAttempts {
        retry_after_seconds,
    }) = sign_in(umbrella, " BOSS@uni.example", PASSWORD).await
    else {
        panic!("the sixth attempt must be throttled");
    };
    assert!(
        (14 * 60..=15 * 60).contains(&retry_after_seconds),
        "{retry_after_seconds}"
    );
    let message = Error::TooManyAttempts {
        retry_after_seconds,
    }
    .to_string();
    assert_eq!(message, "Too many attempts. Try again in 15 minutes.");
    // Refused attempts are not counted: the window does not grow.
    assert_eq!(failures_of(umbrella, "sign-in:boss@uni.example").await, 5);
    // Another email is not affected.
    sign_in(umbrella, "other@other.example", PASSWORD)
        .await
        .unwrap();

    // Ten minutes on, still locked, and told so.
    age_failures(umbrella, 10).await;
    let Err(Error::TooManyAttempts {
        retry_after_seconds,
    }) = sign_in(umbrella, "boss@uni.example", PASSWORD).await
    else {
        panic!("still inside the window");
    };
    assert!(
        (4 * 60..=5 * 60).contains(&retry_after_seconds),
        "{retry_after_seconds}"
    );
    // Once the window has passed, the right password works and clears the count.
    age_failures(umbrella, 6).await;
    sign_in(umbrella, "boss@uni.example", PASSWORD)
        .await
        .unwrap();
    assert_eq!(failures_of(umbrella, "sign-in:boss@uni.example").await, 0);
    // Old failures go with the purge.
    sign_in(umbrella, "other@other.example", "wrong password")
        .await
        .unwrap_err();
    age_failures(umbrella, 16).await;
    assert_eq!(umbrella.purge_old_failures().await.unwrap(), 1);
}

async fn a_success_clears_the_count(umbrella: &Umbrella) {
    org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    for _ in 0..4 {
        sign_in(umbrella, "boss@uni.example", "wrong password")
            .await
            .unwrap_err();
    }
    sign_in(umbrella, "boss@uni.example", PASSWORD)
        .await
        .unwrap();
    for _ in 0..4 {
        sign_in(umbrella, "boss@uni.example", "wrong password")
            .await
            .unwrap_err();
    }
    sign_in(umbrella, "boss@uni.example", PASSWORD)
        .await
        .unwrap();
}

async fn unknown_emails_are_counted_too(umbrella: &Umbrella) {
    let limits = AuthLimits {
        failures: 2,
        ..AuthLimits::default()
    };
    let umbrella = umbrella.clone().with_auth_limits(limits);
    for _ in 0..2 {
        assert!(matches!(
            sign_in(&umbrella, "nobody@nowhere.example", PASSWORD).await,
            Err(Error::InvalidCredentials)
        ));
    }
    assert!(matches!(
        sign_in(&umbrella, "nobody@nowhere.example", PASSWORD).await,
        Err(Error::TooManyAttempts { .. })
    ));
}

async fn one_blocked_account_never_locks_its_owner_out_of_another(umbrella: &Umbrella) {
    // One person owns an account in two organizations, with one password.
    let (_, _, first) = org_with_admin(umbrella, "First", "first@one.example", 5).await;
    let (_, _, second) = org_with_admin(umbrella, "Second", "second@two.example", 5).await;
    let blocked = new_child(umbrella, &first, "Blocked", "sam@both.example").await;
    let active = new_child(umbrella, &second, "Active", "sam@both.example").await;
    set_owner_password(umbrella, blocked, PASSWORD).await;
    set_owner_password(umbrella, active, PASSWORD).await;
    umbrella
        .change_account_status(
            &AuditContext::unrecorded(),
            &first,
            blocked,
            AccountAction::Block,
        )
        .await
        .unwrap();
    let signed_in = umbrella
        .sign_in("sam@both.example", offered(PASSWORD), TEST_ADDRESS)
        .await
        .unwrap();
    assert_eq!(signed_in.actor.account_id, active);
    // With the other one blocked too, the person is told why.
    umbrella
        .change_account_status(
            &AuditContext::unrecorded(),
            &second,
            active,
            AccountAction::Block,
        )
        .await
        .unwrap();
    assert!(matches!(
        sign_in(umbrella, "sam@both.example", PASSWORD).await,
        Err(Error::AccountUnavailable(_))
    ));
    // A right password for a blocked account is no guess: it is not counted.
    assert_eq!(failures_of(umbrella, "sign-in:sam@both.example").await, 0);
}

async fn made_up_activation_links_are_throttled_by_address(umbrella: &Umbrella) {
    let (_, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let created = umbrella
        .create_account(
            &AuditContext::unrecorded(),
            &admin,
            &account_form("Physics", "phys@uni.example"),
        )
        .await
        .unwrap();
    for _ in 0..5 {
        let forged = ActivationToken::from_client(&"ab".repeat(32));
        assert!(matches!(
            umbrella.activate(&forged, password(), TEST_ADDRESS).await,
            Err(Error::Invalid(_))
        ));
    }
    // Now even a real link is refused from that address, and not spent…
    assert!(matches!(
        umbrella
            .activate(&created.activation, password(), TEST_ADDRESS)
            .await,
        Err(Error::TooManyAttempts { .. })
    ));
    // …so the person can use it from elsewhere.
    umbrella
        .activate(&created.activation, password(), "198.51.100.20")
        .await
        .unwrap();
}

async fn refused_cms_logins_are_throttled_per_administrator(umbrella: &Umbrella) {
    let (parent, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let child = new_child(umbrella, &admin, "Physics", "phys@uni.example").await;
    for _ in 0..5 {
        assert!(matches!(
            start_cms_login(umbrella, &admin, parent).await,
            Err(Error::Forbidden(_))
        ));
    }
    assert!(matches!(
        start_cms_login(umbrella, &admin, child).await,
        Err(Error::TooManyAttempts { .. })
    ));
    age_failures(umbrella, 16).await;
    start_cms_login(umbrella, &admin, child).await.unwrap();
}

umbrella::test_on_both_databases!(
    five_failures_lock_an_email_until_the_window_passes,
    a_success_clears_the_count,
    unknown_emails_are_counted_too,
    one_blocked_account_never_locks_its_owner_out_of_another,
    made_up_activation_links_are_throttled_by_address,
    refused_cms_logins_are_throttled_per_administrator,
);

/// Two servers on one database: failures on one lock the email on the other.
async fn two_servers_share_the_count(db: &TestDb) {
    let first = db.umbrella();
    let second = Umbrella::connect(db.url()).await.unwrap();
    org_with_admin(first, "Uni", "boss@uni.example", 5).await;
    for server in [first, &second, first, &second, first] {
        sign_in(server, "boss@uni.example", "wrong password")
            .await
            .unwrap_err();
    }
    for server in [first, &second] {
        assert!(matches!(
            sign_in(server, "boss@uni.example", PASSWORD).await,
            Err(Error::TooManyAttempts { .. })
        ));
    }
    second.db().close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_sqlite_servers_share_the_count() {
    two_servers_share_the_count(&TestDb::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_postgres_servers_share_the_count() {
    if let Some(db) = TestDb::postgres().await {
        two_servers_share_the_count(&db).await;
    }
}
