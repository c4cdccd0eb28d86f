//! Sessions end when they should: after an idle time, at an absolute lifetime, and a
//! CMS Login with the administrator's own session, role or user.

use umbrella::audit::AuditContext;
use umbrella::auth::{AuthLimits, SessionToken};
use umbrella::domain::{PartnerId, Password};
use umbrella::testing::{TEST_ADDRESS, session_for, set_role};
use umbrella::{Error, Umbrella};

use crate::support::*;

/// Pretends the session was last used `minutes` ago.
async fn idle_for(umbrella: &Umbrella, token: &SessionToken, minutes: i64) {
    let hash = {
        use sha2::{Digest, Sha256};
        hex::encode(Sha256::digest(token.as_str().as_bytes()))
    };
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(umbrella::clock::Timestamp::now().millis() - minutes * 60 * 1000)
        .bind(hash)
        .execute(umbrella.db().pool())
        .await
        .unwrap();
}

async fn is_live(umbrella: &Umbrella, token: &SessionToken, scope: Option<PartnerId>) -> bool {
    match umbrella.authenticate(token, scope).await {
        Ok(_) => true,
        Err(Error::Unauthenticated) => false,
        Err(e) => panic!("unexpected {e:?}"),
    }
}

async fn sign_in(umbrella: &Umbrella, email: &str) -> SessionToken {
    umbrella
        .sign_in(email, Password::offered(PASSWORD.into()), TEST_ADDRESS)
        .await
        .unwrap()
        .token
}

async fn a_session_ends_after_its_idle_time(umbrella: &Umbrella) {
    let limits = AuthLimits {
        session_idle_seconds: 30 * 60,
        ..AuthLimits::default()
    };
    let umbrella = &umbrella.clone().with_auth_limits(limits);
    org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let token = sign_in(umbrella, "boss@uni.example").await;
    // Used 29 minutes ago: still live, and the use counts as new activity.
    idle_for(umbrella, &token, 29).await;
    assert!(is_live(umbrella, &token, None).await);
    idle_for(umbrella, &token, 29).await;
    assert!(is_live(umbrella, &token, None).await);
    // Idle for 31 minutes: over.
    idle_for(umbrella, &token, 31).await;
    assert!(!is_live(umbrella, &token, None).await);
    // And purged: even made fresh again, the row is gone.
    idle_for(umbrella, &token, 0).await;
    assert!(!is_live(umbrella, &token, None).await);
}

async fn a_session_ends_at_its_absolute_lifetime(umbrella: &Umbrella) {
    let limits = AuthLimits {
        session_absolute_seconds: 2 * 60 * 60,
        ..AuthLimits::default()
    };
    let umbrella = &umbrella.clone().with_auth_limits(limits);
    org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let signed_in = umbrella
        .sign_in(
            "boss@uni.example",
            Password::offered(PASSWORD.into()),
            TEST_ADDRESS,
        )
        .await
        .unwrap();
    let (created, expires): (i64, i64) =
        sqlx::query_as("SELECT created_at, expires_at FROM sessions ORDER BY created_at DESC")
            .fetch_one(umbrella.db().pool())
            .await
            .unwrap();
    assert_eq!(expires - created, 2 * 60 * 60 * 1000);
    assert_eq!(signed_in.expires_at.millis(), expires);
    // However busy, it ends then.
    sqlx::query("UPDATE sessions SET created_at = $1, expires_at = $2")
        .bind(umbrella::clock::Timestamp::now().millis() - 10)
        .bind(umbrella::clock::Timestamp::now().millis() - 1)
        .execute(umbrella.db().pool())
        .await
        .unwrap();
    assert!(!is_live(umbrella, &signed_in.token, None).await);
}

/// An organization with a child and the administrator's own session.
async fn cms_setup(umbrella: &Umbrella) -> (SessionToken, SessionToken, PartnerId) {
    let (_, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let child = new_child(umbrella, &admin, "Physics", "phys@uni.example").await;
    let own = session_for(umbrella, admin.user_id().unwrap()).await;
    let cms = umbrella
        .start_cms_session(
            &AuditContext::unrecorded(),
            &admin,
            &own,
            child,
            TEST_ADDRESS,
        )
        .await
        .unwrap();
    assert!(is_live(umbrella, &cms.token, Some(child)).await);
    (own, cms.token, child)
}

async fn a_cms_login_ends_when_its_administrator_signs_out(umbrella: &Umbrella) {
    let (own, cms, child) = cms_setup(umbrella).await;
    umbrella.sign_out(&own).await.unwrap();
    assert!(!is_live(umbrella, &cms, Some(child)).await);
}

async fn a_cms_login_ends_when_the_administrators_session_does(umbrella: &Umbrella) {
    let (own, cms, child) = cms_setup(umbrella).await;
    // Work in the CMS tab keeps the administrator's session from idling…
    idle_for(umbrella, &own, 50).await;
    idle_for(umbrella, &cms, 2).await;
    assert!(is_live(umbrella, &cms, Some(child)).await);
    assert!(
        is_live(umbrella, &own, None).await,
        "touched by the CMS tab's use"
    );
    // …but once it has ended, the CMS Login has too.
    idle_for(umbrella, &own, 61).await;
    assert!(!is_live(umbrella, &cms, Some(child)).await);
}

async fn a_cms_login_ends_when_its_administrator_loses_the_role(umbrella: &Umbrella) {
    let (own, cms, child) = cms_setup(umbrella).await;
    let admin = umbrella.authenticate(&own, None).await.unwrap().user_id;
    set_role(umbrella, admin, "Viewer").await;
    assert!(!is_live(umbrella, &cms, Some(child)).await);
}

async fn a_cms_login_ends_when_its_administrator_is_removed(umbrella: &Umbrella) {
    let (own, cms, child) = cms_setup(umbrella).await;
    let admin = umbrella.authenticate(&own, None).await.unwrap().user_id;
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(admin.get())
        .execute(umbrella.db().pool())
        .await
        .unwrap();
    assert!(!is_live(umbrella, &cms, Some(child)).await);
}

async fn a_cms_login_needs_the_administrators_own_session(umbrella: &Umbrella) {
    let (_, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let child = new_child(umbrella, &admin, "Physics", "phys@uni.example").await;
    // Somebody else's session (the child's owner's) cannot carry it.
    let owner = umbrella::testing::owner_of(umbrella, child).await;
    let not_theirs = session_for(umbrella, owner).await;
    assert!(matches!(
        umbrella
            .start_cms_session(
                &AuditContext::unrecorded(),
                &admin,
                &not_theirs,
                child,
                TEST_ADDRESS
            )
            .await,
        Err(Error::Unauthenticated)
    ));
}

umbrella::test_on_both_databases!(
    a_session_ends_after_its_idle_time,
    a_session_ends_at_its_absolute_lifetime,
    a_cms_login_ends_when_its_administrator_signs_out,
    a_cms_login_ends_when_the_administrators_session_does,
    a_cms_login_ends_when_its_administrator_loses_the_role,
    a_cms_login_ends_when_its_administrator_is_removed,
    a_cms_login_needs_the_administrators_own_session,
);
