//! The parent account's users: the quota, the roles, and never without an active
//! Publisher Administrator.

use umbrella::audit::AuditContext;
use umbrella::domain::UserStatus;
use umbrella::users::UserForm;
use umbrella::{Error, Umbrella};

use crate::support::*;

fn user(email: &str, role: &str) -> UserForm {
    UserForm {
        email: email.to_owned(),
        first_name: "Una".to_owned(),
        last_name: "User".to_owned(),
        publisher_user_id: "U-1".to_owned(),
        role: role.to_owned(),
    }
}

async fn users_are_added_within_the_quota_with_an_activation_link(umbrella: &Umbrella) {
    // The organization's quota is 3 users; its first administrator is one.
    let (_, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let (_, quota) = umbrella.parent_users(&admin).await.unwrap();
    assert_eq!((quota.in_use, quota.available()), (1, 2));
    let created = umbrella
        .add_user(
            &AuditContext::unrecorded(),
            &admin,
            &user("una@uni.example", "Publisher Administrator"),
        )
        .await
        .unwrap();
    assert_eq!(created.user.publisher_user_id.as_deref(), Some("U-1"));
    assert!(!created.activation.as_str().is_empty());
    let err = umbrella
        .add_user(
            &AuditContext::unrecorded(),
            &admin,
            &user("UNA@uni.example", "Publisher Administrator"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Taken(f) if f[0].field == "email"),
        "{err:?}"
    );
    let err = umbrella
        .add_user(
            &AuditContext::unrecorded(),
            &admin,
            &user("x@uni.example", "Emperor"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Invalid(f) if f[0].field == "role"),
        "{err:?}"
    );
    let bad = UserForm {
        email: "nope".into(),
        first_name: " ".into(),
        ..user("", "Publisher Administrator")
    };
    let Error::Invalid(fields) = umbrella
        .add_user(&AuditContext::unrecorded(), &admin, &bad)
        .await
        .unwrap_err()
    else {
        panic!()
    };
    assert_eq!(
        fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(),
        ["email", "first_name"]
    );
    assert!(
        fields[0].message.contains("email address"),
        "{}",
        fields[0].message
    );

    // Five racing for the last place: exactly one gets it.
    // Collected first: spawned inside a lazy `map`, each would start only when the
    // loop below awaits the one before, and nothing would race.
    let attempts: Vec<_> = (0..5)
        .map(|i| {
            let umbrella = umbrella.clone();
            let admin = admin.clone();
            tokio::spawn(async move {
                umbrella
                    .add_user(
                        &AuditContext::unrecorded(),
                        &admin,
                        &user(&format!("racer{i}@uni.example"), "Publisher Administrator"),
                    )
                    .await
            })
        })
        .collect();
    let mut added = 0;
    for attempt in attempts {
        match attempt.await.unwrap() {
            Ok(_) => added += 1,
            Err(Error::QuotaReached(m)) => assert!(m.contains("3 users"), "{m}"),
            Err(e) => panic!("{e:?}"),
        }
    }
    assert_eq!(added, 1);
    assert_eq!(
        umbrella.parent_users(&admin).await.unwrap().1.available(),
        0
    );
}

async fn the_last_publisher_administrator_stays(umbrella: &Umbrella) {
    let (parent, actor, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let (_, _, other_org) = org_with_admin(umbrella, "Other", "boss@other.example", 5).await;
    // The parent's own roles (from a bundle) are offered beside Publisher Administrator.
    let bundle = umbrella::templates::starter_content().to_json();
    umbrella
        .import_account_content(&AuditContext::unrecorded(), parent, &bundle)
        .await
        .unwrap();
    let roles = umbrella.user_roles(&admin).await.unwrap();
    assert_eq!(roles[0], "Publisher Administrator");
    assert!(roles.contains(&"Content Manager".to_owned()));
    assert_eq!(
        roles
            .iter()
            .filter(|r| *r == "Publisher Administrator")
            .count(),
        1
    );

    let me = actor.user_id;
    let conflict = |r: Result<(), Error>, text: &str| match r {
        Err(Error::Conflict(m)) => assert!(m.contains(text), "{m}"),
        other => panic!("expected a conflict about {text}, got {other:?}"),
    };
    // Alone, the owner can be neither demoted, deactivated nor removed.
    conflict(
        umbrella
            .set_user_role(&AuditContext::unrecorded(), &admin, me, "Content Manager")
            .await
            .map(|_| ()),
        "last active Publisher Administrator",
    );
    conflict(
        umbrella
            .set_user_active(&AuditContext::unrecorded(), &admin, me, false)
            .await
            .map(|_| ()),
        "yourself",
    );
    conflict(
        umbrella
            .remove_user(&AuditContext::unrecorded(), &admin, me)
            .await,
        "owner",
    );

    // With a second administrator, one of the two may step down, not both.
    let second = umbrella
        .add_user(
            &AuditContext::unrecorded(),
            &admin,
            &user("two@uni.example", "Publisher Administrator"),
        )
        .await
        .unwrap()
        .user
        .id;
    let as_second = admin.for_tests(second);
    assert_eq!(
        umbrella
            .set_user_role(
                &AuditContext::unrecorded(),
                &as_second,
                me,
                "Content Manager"
            )
            .await
            .unwrap()
            .role,
        "Content Manager"
    );
    conflict(
        umbrella
            .set_user_role(&AuditContext::unrecorded(), &admin, second, "Analyst")
            .await
            .map(|_| ()),
        "last active Publisher Administrator",
    );
    conflict(
        umbrella
            .set_user_active(&AuditContext::unrecorded(), &admin, second, false)
            .await
            .map(|_| ()),
        "last active Publisher Administrator",
    );
    umbrella
        .set_user_role(
            &AuditContext::unrecorded(),
            &as_second,
            me,
            "Publisher Administrator",
        )
        .await
        .unwrap();
    assert_eq!(
        umbrella
            .set_user_active(&AuditContext::unrecorded(), &admin, second, false)
            .await
            .unwrap()
            .status,
        UserStatus::Blocked
    );
    // A deactivated user cannot sign in, and is back when reactivated.
    umbrella
        .set_user_active(&AuditContext::unrecorded(), &admin, second, true)
        .await
        .unwrap();
    umbrella
        .remove_user(&AuditContext::unrecorded(), &admin, second)
        .await
        .unwrap();
    assert_eq!(umbrella.parent_users(&admin).await.unwrap().1.in_use, 1);
    let err = umbrella
        .set_user_role(&AuditContext::unrecorded(), &admin, me, "Emperor")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Invalid(f) if f[0].field == "role"),
        "{err:?}"
    );

    // Another organization's administrator cannot reach these users.
    for result in [
        umbrella
            .set_user_active(&AuditContext::unrecorded(), &other_org, me, false)
            .await
            .map(|_| ()),
        umbrella
            .set_user_role(&AuditContext::unrecorded(), &other_org, me, "Analyst")
            .await
            .map(|_| ()),
        umbrella
            .remove_user(&AuditContext::unrecorded(), &other_org, me)
            .await,
    ] {
        assert!(matches!(result, Err(Error::NotFound(_))), "{result:?}");
    }
}

umbrella::test_on_both_databases!(
    users_are_added_within_the_quota_with_an_activation_link,
    the_last_publisher_administrator_stays,
);
