//! Template accounts and the copy of their content into new accounts.

use umbrella::audit::AuditContext;
use umbrella::auth::OrgAdmin;
use umbrella::domain::AccountAction;
use umbrella::domain::PartnerId;
use umbrella::domain::content::Bundle;
use umbrella::domain::content::bundle::{Category, Entry, Player, Playlist};
use umbrella::templates::DEFAULT_TEMPLATE_NAME;
use umbrella::{Error, Umbrella};

use crate::support::*;

/// An account of the organization filled with `bundle` and marked as a template.
pub async fn template_with(
    umbrella: &Umbrella,
    admin: &OrgAdmin,
    name: &str,
    bundle: &Bundle,
) -> PartnerId {
    let email = format!(
        "{}@templates.example",
        name.to_lowercase().replace(' ', "-")
    );
    let id = umbrella
        .create_account(
            &AuditContext::unrecorded(),
            admin,
            &account_form(name, &email),
        )
        .await
        .unwrap()
        .account
        .partner_id;
    umbrella
        .import_account_content(&AuditContext::unrecorded(), id, &bundle.to_json())
        .await
        .unwrap();
    umbrella
        .set_template(&AuditContext::unrecorded(), id, true)
        .await
        .unwrap();
    id
}

pub fn from_template(
    name: &str,
    email: &str,
    template: PartnerId,
) -> umbrella::domain::AccountForm {
    umbrella::domain::AccountForm {
        template: Some(template),
        ..account_form(name, email)
    }
}

fn players(n: usize) -> Bundle {
    Bundle {
        players: (0..n)
            .map(|i| Player {
                name: format!("Player {i}"),
                width: 640,
                height: 360,
                settings: Default::default(),
            })
            .collect(),
        ..Bundle::empty()
    }
}

async fn every_new_database_has_the_default_template(umbrella: &Umbrella) {
    let (_, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let choices = umbrella.template_choices(&admin).await.unwrap();
    assert_eq!(choices.len(), 1);
    let default = &choices[0];
    assert!(default.is_default);
    assert_eq!(default.name, DEFAULT_TEMPLATE_NAME);
    assert!(
        default.counts.categories >= 3 && default.counts.players == 1 && default.counts.roles >= 4
    );
    // It belongs to no customer organization.
    assert_eq!(umbrella.list_organizations().await.unwrap().len(), 1);
    // A second start does not make a second one.
    umbrella.ensure_platform().await.unwrap();
    assert_eq!(umbrella.template_choices(&admin).await.unwrap().len(), 1);

    let copy = umbrella
        .create_account(
            &AuditContext::unrecorded(),
            &admin,
            &from_template("Arts", "arts@uni.example", default.partner_id),
        )
        .await
        .unwrap()
        .account;
    let source = umbrella
        .export_account_content(default.partner_id)
        .await
        .unwrap();
    assert_eq!(
        umbrella
            .export_account_content(copy.partner_id)
            .await
            .unwrap(),
        source
    );
}

async fn a_template_is_offered_only_to_its_organization_and_is_outside_the_quota(
    umbrella: &Umbrella,
) {
    let (_, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 2).await;
    let (_, _, other) = org_with_admin(umbrella, "Other", "boss@other.example", 2).await;
    let template = template_with(umbrella, &admin, "Channel Template", &players(2)).await;
    assert_eq!(umbrella.account_quota(&admin).await.unwrap().in_use, 0);

    let names: Vec<_> = umbrella
        .template_choices(&admin)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, [DEFAULT_TEMPLATE_NAME, "Channel Template"]);
    assert_eq!(umbrella.template_choices(&other).await.unwrap().len(), 1);
    let err = umbrella
        .create_account(
            &AuditContext::unrecorded(),
            &other,
            &from_template("Stolen", "s@other.example", template),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Invalid(f) if f[0].field == "template"),
        "{err:?}"
    );

    // The organization's admin cannot block or remove a template.
    for action in [AccountAction::Block, AccountAction::Remove] {
        let err = umbrella
            .change_account_status(&AuditContext::unrecorded(), &admin, template, action)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
    }
    // Turned back, it takes a place again; with none left, that is refused.
    umbrella
        .create_account(
            &AuditContext::unrecorded(),
            &admin,
            &account_form("A", "a@uni.example"),
        )
        .await
        .unwrap();
    umbrella
        .create_account(
            &AuditContext::unrecorded(),
            &admin,
            &account_form("B", "b@uni.example"),
        )
        .await
        .unwrap();
    let err = umbrella
        .set_template(&AuditContext::unrecorded(), template, false)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::QuotaReached(_)), "{err:?}");
    umbrella
        .set_quota(
            &AuditContext::unrecorded(),
            admin.parent_id(),
            Some(3),
            None,
        )
        .await
        .unwrap();
    assert!(
        !umbrella
            .set_template(&AuditContext::unrecorded(), template, false)
            .await
            .unwrap()
            .is_template
    );
    assert_eq!(umbrella.account_quota(&admin).await.unwrap().in_use, 3);
}

async fn the_default_template_can_be_replaced_but_not_unmarked(umbrella: &Umbrella) {
    let (_, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let (_, _, other) = org_with_admin(umbrella, "Other", "boss@other.example", 5).await;
    let old = umbrella.template_choices(&admin).await.unwrap()[0].partner_id;
    assert!(matches!(
        umbrella
            .set_template(&AuditContext::unrecorded(), old, false)
            .await,
        Err(Error::Conflict(_))
    ));
    let plain = umbrella
        .create_account(
            &AuditContext::unrecorded(),
            &admin,
            &account_form("Plain", "p@uni.example"),
        )
        .await
        .unwrap()
        .account;
    assert!(matches!(
        umbrella
            .set_default_template(&AuditContext::unrecorded(), plain.partner_id)
            .await,
        Err(Error::Conflict(_))
    ));
    let mine = template_with(umbrella, &admin, "House Style", &players(1)).await;
    let refused = umbrella
        .set_default_template(&AuditContext::unrecorded(), mine)
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, Error::Conflict(m) if m.contains("only a platform template can be the Default Template")),
        "an organization's own template is refused: {refused:?}"
    );
    // The operator makes a platform copy of it, which the organization cannot change.
    let platform = umbrella
        .create_platform_template(&AuditContext::unrecorded(), "House Style", Some(mine))
        .await
        .unwrap();
    umbrella
        .set_default_template(&AuditContext::unrecorded(), platform)
        .await
        .unwrap();
    // Every organization is offered the new default, under the default's name.
    let offered = umbrella.template_choices(&other).await.unwrap();
    assert_eq!(
        (
            offered[0].partner_id,
            offered[0].is_default,
            offered[0].counts.players
        ),
        (platform, true, 1)
    );
    assert!(offered.iter().all(|c| c.partner_id != old));
    // The organization's later edits of its own template stay its own.
    umbrella
        .import_account_content(&AuditContext::unrecorded(), mine, &players(3).to_json())
        .await
        .unwrap();
    let offered = umbrella.template_choices(&other).await.unwrap();
    assert_eq!(offered[0].counts.players, 1);
}

async fn an_organizations_default_template_becomes_a_frozen_platform_copy(umbrella: &Umbrella) {
    let (_, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let (_, _, other) = org_with_admin(umbrella, "Other", "boss@other.example", 5).await;
    let mine = template_with(umbrella, &admin, "House Style", &players(2)).await;
    // What an earlier version allowed: the default pointing at an organization's account.
    sqlx::query("UPDATE platform_settings SET default_template_id = $1")
        .bind(mine.get())
        .execute(umbrella.db().pool())
        .await
        .unwrap();
    umbrella.ensure_platform().await.unwrap();
    let offered = umbrella.template_choices(&other).await.unwrap();
    let default = &offered[0];
    assert!(default.is_default);
    assert_ne!(default.partner_id, mine, "the default is a copy now");
    assert_eq!(default.counts.players, 2, "with the content it had");
    assert!(
        offered.iter().all(|c| c.partner_id != mine),
        "the organization's own template is its own again"
    );
    // The organization's edits no longer reach it; a second start changes nothing.
    umbrella
        .import_account_content(&AuditContext::unrecorded(), mine, &players(5).to_json())
        .await
        .unwrap();
    umbrella.ensure_platform().await.unwrap();
    let again = umbrella.template_choices(&other).await.unwrap();
    assert_eq!(
        (again[0].partner_id, again[0].counts.players),
        (default.partner_id, 2)
    );
    assert_eq!(
        umbrella.template_choices(&admin).await.unwrap()[0].partner_id,
        default.partner_id
    );
}

async fn a_template_over_a_limit_is_refused_naming_the_kind(umbrella: &Umbrella) {
    let (parent, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let template = template_with(umbrella, &admin, "Big", &players(11)).await;
    let before = umbrella.account_quota(&admin).await.unwrap();
    let err = umbrella
        .create_account(
            &AuditContext::unrecorded(),
            &admin,
            &from_template("Copy", "copy@uni.example", template),
        )
        .await
        .unwrap_err();
    let Error::Invalid(fields) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(fields[0].field, "template");
    assert!(
        fields[0]
            .message
            .contains("11 Players (at most 10 can be copied)"),
        "{}",
        fields[0].message
    );
    assert_eq!(umbrella.account_quota(&admin).await.unwrap(), before);
    assert_eq!(umbrella.status_counts(&admin).await.unwrap().active, 2);

    // The operator raises the limit for this organization, and lowers the categories one.
    umbrella
        .set_copy_limits(&AuditContext::unrecorded(), parent, Some(2), Some(11))
        .await
        .unwrap();
    umbrella
        .create_account(
            &AuditContext::unrecorded(),
            &admin,
            &from_template("Copy", "copy@uni.example", template),
        )
        .await
        .unwrap();
    let categories = Bundle {
        categories: (0..3)
            .map(|i| Category {
                key: format!("k{i}"),
                name: format!("C{i}"),
                parent: None,
            })
            .collect(),
        ..Bundle::empty()
    };
    let wide = template_with(umbrella, &admin, "Wide", &categories).await;
    let err = umbrella
        .create_account(
            &AuditContext::unrecorded(),
            &admin,
            &from_template("Copy 2", "copy2@uni.example", wide),
        )
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("3 Categories (at most 2 can be copied)"),
        "{err}"
    );
    assert!(
        umbrella
            .set_copy_limits(&AuditContext::unrecorded(), parent, Some(-1), None)
            .await
            .is_err()
    );
}

async fn a_failure_in_the_middle_of_a_copy_leaves_nothing(umbrella: &Umbrella) {
    let (_, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let default = umbrella.template_choices(&admin).await.unwrap()[0].partner_id;
    let before = umbrella.account_quota(&admin).await.unwrap();
    let pool = umbrella.db().pool();
    let count_categories = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM categories")
            .fetch_one(pool)
            .await
            .unwrap()
    };
    let categories_before = count_categories().await;
    umbrella::arm_fail_point(umbrella, "content.write.after_categories")
        .await
        .unwrap();
    let err = umbrella
        .create_account(
            &AuditContext::unrecorded(),
            &admin,
            &from_template("Arts", "arts@uni.example", default),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Internal(m) if m.contains("injected")),
        "{err:?}"
    );
    assert_eq!(umbrella.account_quota(&admin).await.unwrap(), before);
    let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE name = 'Arts'")
        .fetch_one(pool)
        .await
        .unwrap();
    let users: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email_key = 'arts@uni.example'")
            .fetch_one(pool)
            .await
            .unwrap();
    assert_eq!((accounts, users), (0, 0));
    assert_eq!(count_categories().await, categories_before);
    // Disarmed: the same creation now succeeds.
    umbrella
        .create_account(
            &AuditContext::unrecorded(),
            &admin,
            &from_template("Arts", "arts@uni.example", default),
        )
        .await
        .unwrap();
}

async fn later_changes_to_the_template_do_not_reach_the_copy(umbrella: &Umbrella) {
    let (_, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let mut bundle = players(1);
    bundle.categories = vec![Category {
        key: "news".into(),
        name: "News".into(),
        parent: None,
    }];
    bundle.entries = vec![Entry {
        key: "intro".into(),
        name: "Intro".into(),
        description: String::new(),
        media_type: "video".into(),
        tags: vec!["welcome".into()],
        reference_id: None,
        categories: vec!["news".into()],
    }];
    bundle.playlists = vec![Playlist {
        name: "Start".into(),
        description: String::new(),
        entries: vec!["intro".into(), "intro".into()],
    }];
    let template = template_with(umbrella, &admin, "Channel", &bundle).await;
    let copy = umbrella
        .create_account(
            &AuditContext::unrecorded(),
            &admin,
            &from_template("Copy", "copy@uni.example", template),
        )
        .await
        .unwrap()
        .account
        .partner_id;
    let copied = umbrella.export_account_content(copy).await.unwrap();
    umbrella
        .import_account_content(&AuditContext::unrecorded(), template, &players(3).to_json())
        .await
        .unwrap();
    assert_eq!(umbrella.export_account_content(copy).await.unwrap(), copied);
    assert_eq!(copied.playlists[0].entries, ["e0", "e0"]);
    assert_eq!(copied.entries[0].categories, ["c0"]);
    // Removing the copy does not touch the template either.
    umbrella
        .change_account_status(
            &AuditContext::unrecorded(),
            &admin,
            copy,
            AccountAction::Remove,
        )
        .await
        .unwrap();
    assert_eq!(
        umbrella
            .export_account_content(template)
            .await
            .unwrap()
            .players
            .len(),
        3
    );
    assert_eq!(
        umbrella
            .set_template(&AuditContext::unrecorded(), copy, true)
            .await
            .unwrap_err()
            .to_string(),
        format!(
            "Account {copy} is removed; only an active account can be made a template or turned back."
        )
    );
}

umbrella::test_on_both_databases!(
    every_new_database_has_the_default_template,
    a_template_is_offered_only_to_its_organization_and_is_outside_the_quota,
    the_default_template_can_be_replaced_but_not_unmarked,
    an_organizations_default_template_becomes_a_frozen_platform_copy,
    a_template_over_a_limit_is_refused_naming_the_kind,
    a_failure_in_the_middle_of_a_copy_leaves_nothing,
    later_changes_to_the_template_do_not_reach_the_copy,
);
