//! CMS Login: a session scoped to one account, carrying who started it, refused for
//! accounts that are not active, and ending with the account or the administrator.

use umbrella::audit::AuditContext;
use umbrella::domain::AccountAction;
use umbrella::domain::PartnerId;
use umbrella::{Error, Umbrella};

use crate::support::*;

async fn a_cms_session_reaches_its_account_only(umbrella: &Umbrella) {
    let (parent, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let child = new_child(umbrella, &admin, "Physics", "phys@uni.example").await;
    let other = new_child(umbrella, &admin, "Maths", "maths@uni.example").await;

    let session = umbrella::testing::start_cms_login(umbrella, &admin, child)
        .await
        .unwrap();
    assert_eq!(session.lifetime_seconds, 60 * 60, "60 minutes by default");
    let actor = umbrella
        .authenticate(&session.token, Some(child))
        .await
        .unwrap();
    assert_eq!(actor.account_id, child);
    assert_eq!(
        actor.email.as_str(),
        "phys@uni.example",
        "signed in as the owner"
    );
    let cms = actor.cms.clone().expect("a CMS Login session says so");
    assert_eq!(cms.started_by, admin.user_id().unwrap());
    assert_eq!(cms.started_by_email.as_str(), "boss@uni.example");
    // Nowhere else: not as an ordinary session, not under another account's URL.
    for scope in [None, Some(other), Some(parent)] {
        assert!(
            matches!(
                umbrella.authenticate(&session.token, scope).await,
                Err(Error::Unauthenticated)
            ),
            "{scope:?}"
        );
    }
    // Never the Multi Account tab, even in a parent-level role.
    assert!(matches!(actor.org_admin(), Err(Error::Forbidden(_))));
    assert!(!actor.is_org_admin());
    // An ordinary session is not accepted under a CMS Login URL either.
    let own = umbrella
        .sign_in(
            "boss@uni.example",
            umbrella::domain::Password::offered(PASSWORD.into()),
            umbrella::testing::TEST_ADDRESS,
        )
        .await
        .unwrap();
    assert!(matches!(
        umbrella.authenticate(&own.token, Some(child)).await,
        Err(Error::Unauthenticated)
    ));
    // Ending it leaves the administrator's own session alone.
    umbrella.sign_out(&session.token).await.unwrap();
    assert!(
        umbrella
            .authenticate(&session.token, Some(child))
            .await
            .is_err()
    );
    assert!(umbrella.authenticate(&own.token, None).await.is_ok());
}

async fn cms_login_is_refused_where_it_does_not_belong(umbrella: &Umbrella) {
    let (parent, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let (_, _, stranger) = org_with_admin(umbrella, "Else", "else@else.example", 5).await;
    let child = new_child(umbrella, &admin, "Physics", "phys@uni.example").await;
    assert!(matches!(
        umbrella::testing::start_cms_login(umbrella, &stranger, child).await,
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        umbrella::testing::start_cms_login(umbrella, &admin, parent).await,
        Err(Error::Forbidden(_))
    ));
    assert!(matches!(
        umbrella::testing::start_cms_login(umbrella, &admin, PartnerId::new(999_999)).await,
        Err(Error::NotFound(_))
    ));
    // A live CMS session ends the moment its account is blocked.
    let session = umbrella::testing::start_cms_login(umbrella, &admin, child)
        .await
        .unwrap();
    umbrella
        .change_account_status(
            &AuditContext::unrecorded(),
            &admin,
            child,
            AccountAction::Block,
        )
        .await
        .unwrap();
    assert!(
        umbrella
            .authenticate(&session.token, Some(child))
            .await
            .is_err()
    );
    let err = umbrella::testing::start_cms_login(umbrella, &admin, child)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Conflict(m) if m.contains("blocked")),
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
    let err = umbrella::testing::start_cms_login(umbrella, &admin, child)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Conflict(m) if m.contains("removed")),
        "{err:?}"
    );
}

async fn a_cms_session_ends_with_its_administrator(umbrella: &Umbrella) {
    let (_, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let second = umbrella
        .add_user(
            &AuditContext::unrecorded(),
            &admin,
            &umbrella::users::UserForm {
                email: "two@uni.example".into(),
                first_name: "Two".into(),
                last_name: "Admin".into(),
                publisher_user_id: String::new(),
                role: "Publisher Administrator".into(),
            },
        )
        .await
        .unwrap();
    let child = new_child(umbrella, &admin, "Physics", "phys@uni.example").await;
    let session = umbrella::testing::start_cms_login(umbrella, &admin, child)
        .await
        .unwrap();
    // The first administrator is deactivated by the second: their CMS Login stops.
    let second_admin = admin.for_tests(second.user.id);
    umbrella
        .set_user_active(
            &AuditContext::unrecorded(),
            &second_admin,
            admin.user_id().unwrap(),
            false,
        )
        .await
        .unwrap();
    assert!(
        umbrella
            .authenticate(&session.token, Some(child))
            .await
            .is_err()
    );
}

async fn the_lifetime_is_configurable(umbrella: &Umbrella) {
    let umbrella = umbrella.clone().with_cms_session_minutes(5);
    let (_, _, admin) = org_with_admin(&umbrella, "Uni", "boss@uni.example", 5).await;
    let child = new_child(&umbrella, &admin, "Physics", "phys@uni.example").await;
    let session = umbrella::testing::start_cms_login(&umbrella, &admin, child)
        .await
        .unwrap();
    assert_eq!(session.lifetime_seconds, 5 * 60);
    let (created, expires): (i64, i64) =
        sqlx::query_as("SELECT created_at, expires_at FROM sessions WHERE scoped_account_id = $1")
            .bind(child.get())
            .fetch_one(umbrella.db().pool())
            .await
            .unwrap();
    assert_eq!(expires - created, 5 * 60 * 1000);
}

umbrella::test_on_both_databases!(
    a_cms_session_reaches_its_account_only,
    cms_login_is_refused_where_it_does_not_belong,
    a_cms_session_ends_with_its_administrator,
    the_lifetime_is_configurable,
);
