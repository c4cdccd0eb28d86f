//! An account's console: its users edit entries, categories and playlists, and
//! export and import the whole content; never another account's.

use umbrella::audit::AuditContext;
use umbrella::content::AccountUser;
use umbrella::domain::content::{Bundle, CategoryForm, EntryForm, PlaylistForm};
use umbrella::domain::{AccountAction, CategoryId};
use umbrella::testing::set_owner_password;
use umbrella::{Error, Umbrella};

use crate::support::*;

/// The owner of a new child account, signed in, as a console user.
pub async fn console_user(umbrella: &Umbrella, org: &str, account: &str) -> AccountUser {
    let (_, _, admin) = org_with_admin(umbrella, org, &format!("boss@{org}.example"), 5).await;
    let email = format!("owner@{account}.{org}.example");
    let id = new_child(umbrella, &admin, account, &email).await;
    set_owner_password(umbrella, id, PASSWORD).await;
    let actor = umbrella::testing::actor_signed_in(umbrella, &email, PASSWORD).await;
    assert_eq!(actor.account_id, id);
    actor.account_user()
}

fn category(name: &str, parent: Option<CategoryId>) -> CategoryForm {
    CategoryForm {
        name: name.to_owned(),
        parent,
    }
}

fn entry(name: &str, categories: Vec<CategoryId>) -> EntryForm {
    EntryForm {
        name: name.to_owned(),
        media_type: "video".to_owned(),
        tags: "a, b".to_owned(),
        categories,
        ..EntryForm::default()
    }
}

fn field_of(err: &Error) -> &str {
    match err {
        Error::Invalid(fields) => &fields[0].field,
        other => panic!("expected a field error, got {other:?}"),
    }
}

async fn categories_form_a_tree_with_unique_sibling_names(umbrella: &Umbrella) {
    let user = console_user(umbrella, "uni", "arts").await;
    let news = umbrella
        .save_category(
            &AuditContext::unrecorded(),
            &user,
            None,
            &category("News", None),
        )
        .await
        .unwrap();
    let local = umbrella
        .save_category(
            &AuditContext::unrecorded(),
            &user,
            None,
            &category("Local", Some(news)),
        )
        .await
        .unwrap();
    let street = umbrella
        .save_category(
            &AuditContext::unrecorded(),
            &user,
            None,
            &category("Street", Some(local)),
        )
        .await
        .unwrap();
    // Same name elsewhere in the tree is fine; beside a sibling it is not.
    umbrella
        .save_category(
            &AuditContext::unrecorded(),
            &user,
            None,
            &category("Local", None),
        )
        .await
        .unwrap();
    let err = umbrella
        .save_category(
            &AuditContext::unrecorded(),
            &user,
            None,
            &category("Local", Some(news)),
        )
        .await
        .unwrap_err();
    assert_eq!(field_of(&err), "name");
    // No move under itself or its own subcategory.
    for target in [news, street] {
        let err = umbrella
            .save_category(
                &AuditContext::unrecorded(),
                &user,
                Some(news),
                &category("News", Some(target)),
            )
            .await
            .unwrap_err();
        assert_eq!(field_of(&err), "parent", "{err:?}");
    }
    // A move elsewhere works and takes the subtree along.
    let sport = umbrella
        .save_category(
            &AuditContext::unrecorded(),
            &user,
            None,
            &category("Sport", None),
        )
        .await
        .unwrap();
    umbrella
        .save_category(
            &AuditContext::unrecorded(),
            &user,
            Some(local),
            &category("Local", Some(sport)),
        )
        .await
        .unwrap();
    let rows = umbrella.list_categories(&user).await.unwrap();
    let parent_of = |id| rows.iter().find(|r| r.id == id).unwrap().parent_id;
    assert_eq!(
        (parent_of(local), parent_of(street)),
        (Some(sport), Some(local))
    );
    // Deleting a category deletes its subcategories; entries stay, without it.
    let e = umbrella
        .save_entry(
            &AuditContext::unrecorded(),
            &user,
            None,
            &entry("Clip", vec![street, news]),
        )
        .await
        .unwrap();
    umbrella
        .delete_category(&AuditContext::unrecorded(), &user, sport)
        .await
        .unwrap();
    let names: Vec<_> = umbrella
        .list_categories(&user)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(names, ["Local", "News"]);
    let entries = umbrella.list_entries(&user).await.unwrap();
    assert_eq!(
        (entries[0].id, entries[0].category_ids.clone()),
        (e, vec![news])
    );
}

async fn no_user_reaches_another_accounts_content(umbrella: &Umbrella) {
    let ours = console_user(umbrella, "uni", "arts").await;
    let theirs = console_user(umbrella, "other", "law").await;
    let category_id = umbrella
        .save_category(
            &AuditContext::unrecorded(),
            &theirs,
            None,
            &category("Secret", None),
        )
        .await
        .unwrap();
    let entry_id = umbrella
        .save_entry(
            &AuditContext::unrecorded(),
            &theirs,
            None,
            &entry("Secret clip", vec![]),
        )
        .await
        .unwrap();
    let playlist_id = umbrella
        .save_playlist(
            &AuditContext::unrecorded(),
            &theirs,
            None,
            &PlaylistForm {
                name: "Secret list".into(),
                entries: vec![entry_id],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    // Their IDs, used from our account: not found, or refused beside the field.
    assert!(matches!(
        umbrella
            .save_entry(
                &AuditContext::unrecorded(),
                &ours,
                Some(entry_id),
                &entry("Mine", vec![])
            )
            .await,
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        umbrella
            .delete_entry(&AuditContext::unrecorded(), &ours, entry_id)
            .await,
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        umbrella
            .delete_category(&AuditContext::unrecorded(), &ours, category_id)
            .await,
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        umbrella
            .delete_playlist(&AuditContext::unrecorded(), &ours, playlist_id)
            .await,
        Err(Error::NotFound(_))
    ));
    assert_eq!(
        field_of(
            &umbrella
                .save_entry(
                    &AuditContext::unrecorded(),
                    &ours,
                    None,
                    &entry("Mine", vec![category_id])
                )
                .await
                .unwrap_err()
        ),
        "categories"
    );
    assert_eq!(
        field_of(
            &umbrella
                .save_category(
                    &AuditContext::unrecorded(),
                    &ours,
                    None,
                    &category("Mine", Some(category_id))
                )
                .await
                .unwrap_err()
        ),
        "parent"
    );
    let list = PlaylistForm {
        name: "Mine".into(),
        entries: vec![entry_id],
        ..Default::default()
    };
    assert_eq!(
        field_of(
            &umbrella
                .save_playlist(&AuditContext::unrecorded(), &ours, None, &list)
                .await
                .unwrap_err()
        ),
        "entries"
    );
    assert_eq!(
        umbrella.content_counts(&ours).await.unwrap(),
        Default::default()
    );
    assert_eq!(umbrella.content_counts(&theirs).await.unwrap().entries, 1);
}

async fn playlists_keep_their_order_and_lose_deleted_entries(umbrella: &Umbrella) {
    let user = console_user(umbrella, "uni", "arts").await;
    let a = umbrella
        .save_entry(
            &AuditContext::unrecorded(),
            &user,
            None,
            &entry("A", vec![]),
        )
        .await
        .unwrap();
    let b = umbrella
        .save_entry(
            &AuditContext::unrecorded(),
            &user,
            None,
            &entry("B", vec![]),
        )
        .await
        .unwrap();
    let form = PlaylistForm {
        name: "Mix".into(),
        description: "Both".into(),
        entries: vec![b, a, b],
    };
    let id = umbrella
        .save_playlist(&AuditContext::unrecorded(), &user, None, &form)
        .await
        .unwrap();
    assert_eq!(
        umbrella.list_playlists(&user).await.unwrap()[0].entry_ids,
        [b, a, b]
    );
    umbrella
        .save_playlist(
            &AuditContext::unrecorded(),
            &user,
            Some(id),
            &PlaylistForm {
                entries: vec![a, b],
                ..form
            },
        )
        .await
        .unwrap();
    assert_eq!(
        umbrella.list_playlists(&user).await.unwrap()[0].entry_ids,
        [a, b]
    );
    umbrella
        .delete_entry(&AuditContext::unrecorded(), &user, a)
        .await
        .unwrap();
    assert_eq!(
        umbrella.list_playlists(&user).await.unwrap()[0].entry_ids,
        [b]
    );
    let err = umbrella
        .save_entry(
            &AuditContext::unrecorded(),
            &user,
            Some(b),
            &EntryForm {
                media_type: "film".into(),
                ..entry("", vec![])
            },
        )
        .await
        .unwrap_err();
    let Error::Invalid(fields) = err else {
        panic!()
    };
    assert_eq!(
        fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(),
        ["name", "media_type"]
    );
}

async fn a_bad_bundle_changes_nothing_and_names_the_bad_item(umbrella: &Umbrella) {
    let user = console_user(umbrella, "uni", "arts").await;
    umbrella
        .save_category(
            &AuditContext::unrecorded(),
            &user,
            None,
            &category("Keep me", None),
        )
        .await
        .unwrap();
    let before = umbrella.export_content(&user).await.unwrap();
    let mut bad = umbrella::templates::starter_content();
    bad.players[0].width = 0;
    bad.entries.push(umbrella::domain::content::bundle::Entry {
        key: "e".into(),
        name: "Clip".into(),
        description: String::new(),
        media_type: "video".into(),
        tags: vec![],
        reference_id: None,
        categories: vec!["missing".into()],
    });
    let err = umbrella
        .import_content(&AuditContext::unrecorded(), &user, &bad.to_json())
        .await
        .unwrap_err();
    let Error::Invalid(fields) = &err else {
        panic!("{err:?}")
    };
    let named: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
    assert!(
        named.contains(&"entries[0] \"Clip\".categories"),
        "{named:?}"
    );
    assert!(
        named.contains(&"players[0] \"Default Player\".width"),
        "{named:?}"
    );
    for text in [
        "not json",
        "{\"format\":\"umbrella-content/9\"}",
        "{\"format\":\"umbrella-content/1\",\"surprise\":1}",
    ] {
        assert!(
            matches!(
                umbrella
                    .import_content(&AuditContext::unrecorded(), &user, text)
                    .await,
                Err(Error::Invalid(_))
            ),
            "{text}"
        );
    }
    assert_eq!(umbrella.export_content(&user).await.unwrap(), before);

    // A good bundle replaces the content whole, and exports as it was imported.
    let good = umbrella::templates::starter_content();
    umbrella
        .import_content(&AuditContext::unrecorded(), &user, &good.to_json())
        .await
        .unwrap();
    let exported = umbrella.export_content(&user).await.unwrap();
    assert_eq!(exported.counts(), good.counts());
    assert!(exported.categories.iter().all(|c| c.name != "Keep me"));
    assert_eq!(*Bundle::from_json(&exported.to_json()).unwrap(), exported);
}

fn empty_bundle() -> umbrella::domain::content::ValidBundle {
    Bundle::from_json(r#"{"format": "umbrella-content/1"}"#).unwrap()
}

/// The reseller API's door to content: an administrator's own organization's
/// accounts only, nothing of a blocked or removed one to read, a removed one frozen.
async fn administrators_move_bundles_between_their_own_accounts(umbrella: &Umbrella) {
    let (_, _, admin) = org_with_admin(umbrella, "uni", "boss@uni.example", 5).await;
    let (_, _, stranger) = org_with_admin(umbrella, "other", "boss@other.example", 5).await;
    let arts = new_child(umbrella, &admin, "Arts", "owner@arts.example").await;
    let good = umbrella::templates::starter_content();
    let counts = umbrella
        .import_organization_account_content(
            &AuditContext::unrecorded(),
            &admin,
            arts,
            good.clone().check(),
        )
        .await
        .unwrap();
    assert_eq!(counts, good.counts());
    let exported = umbrella
        .organization_account_content(&admin, arts)
        .await
        .unwrap();
    assert_eq!(exported.counts(), good.counts());

    assert!(matches!(
        umbrella.organization_account_content(&stranger, arts).await,
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        umbrella
            .import_organization_account_content(
                &AuditContext::unrecorded(),
                &stranger,
                arts,
                Ok(empty_bundle())
            )
            .await,
        Err(Error::NotFound(_))
    ));
    assert_eq!(
        umbrella
            .organization_account_content(&admin, arts)
            .await
            .unwrap(),
        exported
    );

    for action in [AccountAction::Block, AccountAction::Remove] {
        umbrella
            .change_account_status(&AuditContext::unrecorded(), &admin, arts, action)
            .await
            .unwrap();
        assert!(matches!(
            umbrella.organization_account_content(&admin, arts).await,
            Err(Error::Conflict(_))
        ));
    }
    assert!(matches!(
        umbrella
            .import_organization_account_content(
                &AuditContext::unrecorded(),
                &admin,
                arts,
                Ok(empty_bundle())
            )
            .await,
        Err(Error::Conflict(_))
    ));
}

umbrella::test_on_both_databases!(
    categories_form_a_tree_with_unique_sibling_names,
    no_user_reaches_another_accounts_content,
    playlists_keep_their_order_and_lose_deleted_entries,
    a_bad_bundle_changes_nothing_and_names_the_bad_item,
    administrators_move_bundles_between_their_own_accounts,
);
