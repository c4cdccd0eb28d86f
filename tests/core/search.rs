use umbrella::Umbrella;
use umbrella::audit::AuditContext;
use umbrella::auth::OrgAdmin;
use umbrella::domain::{AccountAction, AccountQuery, Search, SearchMode, Sort, StatusCounts};
use umbrella::domain::{AccountForm, PartnerId, Status};

use crate::support::*;

/// An organization with a few accounts whose fields differ in what each search finds.
async fn seeded(umbrella: &Umbrella) -> (OrgAdmin, Vec<PartnerId>) {
    let (_, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 50).await;
    let accounts = [
        (
            "Faculty of Arts",
            "Ana Garcia",
            "ana@arts.example",
            "https://arts.example",
        ),
        (
            "Science",
            "Sam Lee",
            "sam@lab.example",
            "https://lab.example/arts-and-crafts",
        ),
        ("Medicine", "Art Vandelay", "art@med.example", ""),
        ("100% Radio_1", "Rita Ray", "rita@radio.example", ""),
        ("Law", "Lou Law", "lou@law.example", "https://law.example"),
    ];
    let mut ids = Vec::new();
    for (name, admin_name, email, website) in accounts {
        let form = AccountForm {
            admin_name: admin_name.to_owned(),
            name: name.to_owned(),
            admin_email: email.to_owned(),
            admin_phone: "555-0100".to_owned(),
            website_url: website.to_owned(),
            reference_id: String::new(),
            template: None,
        };
        ids.push(
            umbrella
                .create_account(&AuditContext::unrecorded(), &admin, &form)
                .await
                .unwrap()
                .account
                .partner_id,
        );
    }
    (admin, ids)
}

async fn names(umbrella: &Umbrella, admin: &OrgAdmin, mode: SearchMode, text: &str) -> Vec<String> {
    let query = AccountQuery {
        search: Search::parse(mode, text).unwrap(),
        statuses: Status::ALL.to_vec(),
        sort: Sort::parse("name").unwrap(),
        ..AccountQuery::default_view()
    };
    umbrella
        .list_accounts(admin, &query)
        .await
        .unwrap()
        .accounts
        .into_iter()
        .map(|a| a.name.into_inner())
        .collect()
}

async fn each_search_mode_finds_what_it_should(umbrella: &Umbrella) {
    let (admin, ids) = seeded(umbrella).await;
    let by_id = names(umbrella, &admin, SearchMode::PartnerId, &ids[2].to_string()).await;
    assert_eq!(by_id, ["Medicine"]);
    assert!(
        names(umbrella, &admin, SearchMode::PartnerId, "999999")
            .await
            .is_empty()
    );

    // Account Name: a case-insensitive substring of the name only.
    assert_eq!(
        names(umbrella, &admin, SearchMode::AccountName, "ARTS").await,
        ["Faculty of Arts"]
    );
    // Free text: also the website, the administrator and the email.
    assert_eq!(
        names(umbrella, &admin, SearchMode::FreeText, "arts").await,
        ["Faculty of Arts", "Science"]
    );
    assert_eq!(
        names(umbrella, &admin, SearchMode::FreeText, "Vandelay").await,
        ["Medicine"]
    );
    assert_eq!(
        names(umbrella, &admin, SearchMode::FreeText, "lou@law").await,
        ["Law"]
    );
    // Shorter than a trigram still works.
    assert_eq!(
        names(umbrella, &admin, SearchMode::AccountName, "aw").await,
        ["Law"]
    );
    // "ar": Arts, arts-and-crafts, Art Vandelay, and the parent's Pat Parent.
    assert_eq!(
        names(umbrella, &admin, SearchMode::FreeText, "ar")
            .await
            .len(),
        4
    );
    // LIKE's wildcards and FTS syntax are taken literally.
    assert_eq!(
        names(umbrella, &admin, SearchMode::AccountName, "%").await,
        ["100% Radio_1"]
    );
    assert_eq!(
        names(umbrella, &admin, SearchMode::AccountName, "o_1").await,
        ["100% Radio_1"]
    );
    assert!(
        names(umbrella, &admin, SearchMode::FreeText, "\" OR name:*")
            .await
            .is_empty()
    );
}

async fn search_follows_renames_and_removals_of_status(umbrella: &Umbrella) {
    let (admin, ids) = seeded(umbrella).await;
    umbrella
        .change_account_status(
            &AuditContext::unrecorded(),
            &admin,
            ids[4],
            AccountAction::Remove,
        )
        .await
        .unwrap();
    let default_view = AccountQuery {
        search: Search::parse(SearchMode::AccountName, "law").unwrap(),
        ..AccountQuery::default_view()
    };
    let found = umbrella.list_accounts(&admin, &default_view).await.unwrap();
    assert!(
        found.accounts.is_empty(),
        "removed accounts are not in the default view"
    );
}

async fn every_sort_order_pages_through_everything_in_order(umbrella: &Umbrella) {
    let (admin, _) = seeded(umbrella).await;
    for sort in [
        "name", "-name", "partner", "-partner", "created", "-created",
    ] {
        let mut query = AccountQuery {
            sort: Sort::parse(sort).unwrap(),
            limit: 2,
            ..AccountQuery::default_view()
        };
        let mut seen = Vec::new();
        loop {
            let page = umbrella.list_accounts(&admin, &query).await.unwrap();
            seen.extend(page.accounts);
            match page.next {
                Some(next) => query.after = Some(next),
                None => break,
            }
        }
        assert_eq!(seen.len(), 6, "{sort}: five children and the parent");
        let mut expected = seen.clone();
        match sort.trim_start_matches('-') {
            "name" => expected.sort_by(|a, b| {
                (a.name.as_str(), a.partner_id).cmp(&(b.name.as_str(), b.partner_id))
            }),
            "partner" => expected.sort_by_key(|a| a.partner_id),
            _ => expected.sort_by_key(|a| (a.created_at, a.partner_id)),
        }
        if sort.starts_with('-') {
            expected.reverse();
        }
        let ids = |list: &[umbrella::domain::Account]| {
            list.iter().map(|a| a.partner_id).collect::<Vec<_>>()
        };
        assert_eq!(ids(&seen), ids(&expected), "{sort}");
    }
}

async fn status_counts_follow_every_change(umbrella: &Umbrella) {
    let (admin, ids) = seeded(umbrella).await;
    let counts = || umbrella.status_counts(&admin);
    assert_eq!(
        counts().await.unwrap(),
        StatusCounts {
            active: 6,
            blocked: 0,
            removed: 0
        }
    );
    umbrella
        .change_account_status(
            &AuditContext::unrecorded(),
            &admin,
            ids[0],
            AccountAction::Block,
        )
        .await
        .unwrap();
    umbrella
        .change_account_status(
            &AuditContext::unrecorded(),
            &admin,
            ids[1],
            AccountAction::Block,
        )
        .await
        .unwrap();
    umbrella
        .change_account_status(
            &AuditContext::unrecorded(),
            &admin,
            ids[1],
            AccountAction::Remove,
        )
        .await
        .unwrap();
    umbrella
        .change_account_status(
            &AuditContext::unrecorded(),
            &admin,
            ids[0],
            AccountAction::Unblock,
        )
        .await
        .unwrap();
    assert_eq!(
        counts().await.unwrap(),
        StatusCounts {
            active: 5,
            blocked: 0,
            removed: 1
        }
    );
    // A refused change moves nothing.
    let _ = umbrella
        .change_account_status(
            &AuditContext::unrecorded(),
            &admin,
            ids[1],
            AccountAction::Block,
        )
        .await
        .unwrap_err();
    assert_eq!(
        counts().await.unwrap(),
        StatusCounts {
            active: 5,
            blocked: 0,
            removed: 1
        }
    );
}

umbrella::test_on_both_databases!(
    each_search_mode_finds_what_it_should,
    search_follows_renames_and_removals_of_status,
    every_sort_order_pages_through_everything_in_order,
    status_counts_follow_every_change,
    searches_with_many_matches_page_correctly,
    many_matches_far_from_the_front_are_all_found,
    a_search_with_common_parts_finds_exactly_its_text,
);

/// Enough matches to take SQLite's other plan (walk the list, keep the matches).
async fn searches_with_many_matches_page_correctly(umbrella: &Umbrella) {
    let (parent, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    umbrella::testing::bulk_seed_accounts(umbrella, admin.organization_id(), parent, 2_600)
        .await
        .unwrap();
    let mut query = AccountQuery {
        search: Search::parse(SearchMode::FreeText, "faculty").unwrap(),
        ..AccountQuery::default_view()
    };
    let first = umbrella.list_accounts(&admin, &query).await.unwrap();
    assert_eq!(first.accounts.len(), 50);
    assert!(
        first
            .accounts
            .iter()
            .all(|a| a.name.as_str().contains("Faculty"))
    );
    assert!(first.accounts.iter().all(|a| a.status != Status::Removed));
    assert!(
        first
            .accounts
            .windows(2)
            .all(|w| w[0].created_at >= w[1].created_at)
    );
    query.after = first.next;
    let second = umbrella.list_accounts(&admin, &query).await.unwrap();
    assert_eq!(second.accounts.len(), 50);
    assert!(second.accounts[0].created_at <= first.accounts[49].created_at);
    // And a rare one in the same organization.
    let rare = AccountQuery {
        search: Search::parse(SearchMode::AccountName, "0001237").unwrap(),
        ..AccountQuery::default_view()
    };
    let found = umbrella
        .list_accounts(&admin, &rare)
        .await
        .unwrap()
        .accounts;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].name.as_str(), "Account 0001237 Faculty");
}

/// Many matches in the index, but none near the front of this list (or the list is
/// short): a walk cannot fill the page, and the search must still find every match.
async fn many_matches_far_from_the_front_are_all_found(umbrella: &Umbrella) {
    let (parent, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    // Names "Account 0000000 Faculty" …: "0000" is in the first thousand only, which
    // sort last by name descending, behind the 3,100 others.
    umbrella::testing::bulk_seed_accounts(umbrella, admin.organization_id(), parent, 4_100)
        .await
        .unwrap();
    let (other_parent, _, other) = org_with_admin(umbrella, "Other", "boss@other.example", 5).await;
    umbrella::testing::bulk_seed_accounts(umbrella, other.organization_id(), other_parent, 1_000)
        .await
        .unwrap();
    let mut query = AccountQuery {
        search: Search::parse(SearchMode::FreeText, "0000").unwrap(),
        sort: Sort::parse("-name").unwrap(),
        ..AccountQuery::default_view()
    };
    let mut found = Vec::new();
    loop {
        let page = umbrella.list_accounts(&admin, &query).await.unwrap();
        found.extend(
            page.accounts
                .into_iter()
                .map(|a| a.name.as_str().to_owned()),
        );
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    // The first thousand less the removed ones (every 50th).
    assert_eq!(found.len(), 980);
    assert_eq!(found[0], "Account 0000999 Faculty");
    assert!(found.windows(2).all(|w| w[0] > w[1]));
    assert!(found.iter().all(|name| name.contains("0000")));

    // A common word, and a list far shorter than a walk: exactly its own matches.
    let (_, _, small) = org_with_admin(umbrella, "Small", "boss@small.example", 5).await;
    for (name, email) in [
        ("Faculty One", "one@small.example"),
        ("Two", "two@small.example"),
    ] {
        let form = AccountForm {
            admin_name: "Pat Doe".to_owned(),
            name: name.to_owned(),
            admin_email: email.to_owned(),
            admin_phone: "555-0100".to_owned(),
            website_url: String::new(),
            reference_id: String::new(),
            template: None,
        };
        umbrella
            .create_account(&AuditContext::unrecorded(), &small, &form)
            .await
            .unwrap();
    }
    let faculty = AccountQuery {
        search: Search::parse(SearchMode::FreeText, "faculty").unwrap(),
        ..AccountQuery::default_view()
    };
    let page = umbrella.list_accounts(&small, &faculty).await.unwrap();
    let names: Vec<&str> = page.accounts.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Faculty One"]);
    assert!(page.next.is_none());
}

/// PostgreSQL looks up only the rare part of a text ("1237@" of "admin1237@") in its
/// index; what comes back must still hold the whole text.
async fn a_search_with_common_parts_finds_exactly_its_text(umbrella: &Umbrella) {
    let (parent, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    umbrella::testing::bulk_seed_accounts(umbrella, admin.organization_id(), parent, 2_000)
        .await
        .unwrap();
    let find = |mode: SearchMode, text: &str| {
        let query = AccountQuery {
            search: Search::parse(mode, text).unwrap(),
            statuses: Status::ALL.to_vec(),
            ..AccountQuery::default_view()
        };
        let umbrella = umbrella.clone();
        let admin = admin.clone();
        async move {
            let page = umbrella.list_accounts(&admin, &query).await.unwrap();
            page.accounts
                .into_iter()
                .map(|a| a.admin_email.as_str().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        find(SearchMode::FreeText, "admin1237@").await,
        ["admin1237@acct1237.example"]
    );
    assert_eq!(
        find(SearchMode::FreeText, "ADMIN1237@acct1237.").await,
        ["admin1237@acct1237.example"]
    );
    // The rare part alone is there ("1237@"); the whole text is not.
    assert!(find(SearchMode::FreeText, "xadmin1237@").await.is_empty());
    assert!(
        find(SearchMode::AccountName, "account 0001237 faculty x")
            .await
            .is_empty()
    );
    assert_eq!(
        find(SearchMode::AccountName, "Account 0001237 Faculty").await,
        ["admin1237@acct1237.example"]
    );
}
