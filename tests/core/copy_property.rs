//! The copy of a template, checked on randomly generated templates: each copy is
//! the same graph as its source, and shares no row with it.

use std::collections::{BTreeMap, HashSet};
use umbrella::audit::AuditContext;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use umbrella::Umbrella;
use umbrella::domain::PartnerId;
use umbrella::domain::content::Bundle;
use umbrella::domain::content::bundle::{
    AccessControlProfile, AccessRules, Category, CustomDataSchema, Entry, Flavor, Player, Playlist,
    Role, SchemaField, TranscodingProfile,
};
use umbrella::testing::TestDb;

use crate::support::*;
use crate::templates::{from_template, template_with};

fn name() -> impl Strategy<Value = String> {
    "[A-Za-z][A-Za-z0-9 ]{0,10}[A-Za-z0-9]".prop_map(|s| s)
}

/// A tree: each category's parent (if any) comes earlier in generation order; the
/// list is then shuffled so that the writer must order parents first itself.
fn categories() -> impl Strategy<Value = Vec<Category>> {
    prop::collection::vec(
        (
            name(),
            prop::option::weighted(0.6, any::<prop::sample::Index>()),
        ),
        0..40,
    )
    .prop_map(|specs| {
        specs
            .into_iter()
            .enumerate()
            .map(|(i, (name, parent))| Category {
                key: format!("cat{i}"),
                // The index keeps sibling names unique.
                name: format!("{name} {i}"),
                parent: parent
                    .filter(|_| i > 0)
                    .map(|p| format!("cat{}", p.index(i))),
            })
            .collect::<Vec<_>>()
    })
    .prop_shuffle()
}

fn bundle() -> impl Strategy<Value = Bundle> {
    (
        categories(),
        prop::collection::vec(
            (
                name(),
                prop::sample::select(vec!["video", "audio", "image"]),
                prop::collection::vec(any::<prop::sample::Index>(), 0..4),
            ),
            0..10,
        ),
        prop::collection::vec(
            (
                name(),
                prop::collection::vec(any::<prop::sample::Index>(), 0..6),
            ),
            0..10,
        ),
        0..10usize,
        prop::collection::vec(prop::collection::vec((1..4000i64, 1..4000i64), 0..3), 0..10),
        0..6usize,
        prop::collection::vec((1..2000i64, 1..2000i64), 0..10),
        0..10usize,
        0..10usize,
    )
        .prop_map(
            |(
                categories,
                entries,
                playlists,
                roles,
                profiles,
                schemas,
                players,
                acls,
                features,
            )| {
                let category_keys: Vec<String> = categories.iter().map(|c| c.key.clone()).collect();
                let entries: Vec<Entry> = entries
                    .into_iter()
                    .enumerate()
                    .map(|(i, (name, media_type, picks))| {
                        let mut chosen: Vec<String> = if category_keys.is_empty() {
                            Vec::new()
                        } else {
                            picks
                                .iter()
                                .map(|p| p.get(&category_keys).clone())
                                .collect()
                        };
                        chosen.sort();
                        chosen.dedup();
                        Entry {
                            key: format!("entry{i}"),
                            name,
                            description: format!("Description {i}"),
                            media_type: media_type.to_owned(),
                            tags: vec![format!("tag{i}")],
                            reference_id: (i % 2 == 0).then(|| format!("REF-{i}")),
                            categories: chosen,
                        }
                    })
                    .collect();
                let entry_keys: Vec<String> = entries.iter().map(|e| e.key.clone()).collect();
                Bundle {
                    playlists: playlists
                        .into_iter()
                        .map(|(name, picks)| Playlist {
                            name,
                            description: String::new(),
                            entries: if entry_keys.is_empty() {
                                Vec::new()
                            } else {
                                picks.iter().map(|p| p.get(&entry_keys).clone()).collect()
                            },
                        })
                        .collect(),
                    roles: (0..roles)
                        .map(|i| Role {
                            name: format!("Role {i}"),
                            description: String::new(),
                            permissions: vec![format!("perm.{i}")],
                        })
                        .collect(),
                    transcoding_profiles: profiles
                        .into_iter()
                        .enumerate()
                        .map(|(i, flavors)| TranscodingProfile {
                            name: format!("Profile {i}"),
                            is_default: i == 0,
                            flavors: flavors
                                .into_iter()
                                .enumerate()
                                .map(|(f, (width, bitrate))| Flavor {
                                    name: format!("F{f}"),
                                    codec: "h264".into(),
                                    width,
                                    height: width / 2 + 1,
                                    bitrate,
                                })
                                .collect(),
                        })
                        .collect(),
                    custom_data_schemas: (0..schemas)
                        .map(|i| CustomDataSchema {
                            name: format!("Schema {i}"),
                            system_name: format!("schema_{i}"),
                            fields: vec![SchemaField {
                                name: "field".into(),
                                kind: "text".into(),
                                required: i % 2 == 0,
                            }],
                        })
                        .collect(),
                    players: players
                        .into_iter()
                        .enumerate()
                        .map(|(i, (width, height))| Player {
                            name: format!("Player {i}"),
                            width,
                            height,
                            settings: BTreeMap::from([("skin".to_owned(), format!("skin{i}"))]),
                        })
                        .collect(),
                    access_control_profiles: (0..acls)
                        .map(|i| AccessControlProfile {
                            name: format!("ACL {i}"),
                            is_default: i == 0,
                            rules: AccessRules {
                                blocked_countries: vec!["ZZ".into()],
                                allowed_ip_ranges: vec![format!("10.{i}.0.0/16")],
                                ..AccessRules::default()
                            },
                        })
                        .collect(),
                    feature_permissions: (0..features).map(|i| format!("feature_{i}")).collect(),
                    categories,
                    entries,
                    ..Bundle::empty()
                }
            },
        )
}

const TABLES: [&str; 8] = [
    "categories",
    "entries",
    "playlists",
    "cms_roles",
    "transcoding_profiles",
    "custom_data_schemas",
    "players",
    "access_control_profiles",
];

async fn row_ids(umbrella: &Umbrella, account: PartnerId) -> HashSet<(String, i64)> {
    let mut ids = HashSet::new();
    for table in TABLES {
        let rows: Vec<i64> =
            sqlx::query_scalar(&format!("SELECT id FROM {table} WHERE account_id = $1"))
                .bind(account.get())
                .fetch_all(umbrella.db().pool())
                .await
                .unwrap();
        ids.extend(rows.into_iter().map(|id| (table.to_owned(), id)));
    }
    ids
}

/// References of the copy that land outside it: category parents, entries'
/// categories, playlists' entries, flavors' profiles.
async fn references_leaving(umbrella: &Umbrella, account: PartnerId) -> i64 {
    let sql = "SELECT \
        (SELECT COUNT(*) FROM categories c JOIN categories p ON p.id = c.parent_id WHERE c.account_id = $1 AND p.account_id <> $1) + \
        (SELECT COUNT(*) FROM entry_categories ec JOIN categories c ON c.id = ec.category_id JOIN entries e ON e.id = ec.entry_id \
           WHERE (e.account_id = $1 OR ec.account_id = $1) AND (c.account_id <> $1 OR e.account_id <> $1)) + \
        (SELECT COUNT(*) FROM playlist_entries pe JOIN entries e ON e.id = pe.entry_id JOIN playlists p ON p.id = pe.playlist_id \
           WHERE (p.account_id = $1 OR pe.account_id = $1) AND (e.account_id <> $1 OR p.account_id <> $1))";
    sqlx::query_scalar(sql)
        .bind(account.get())
        .fetch_one(umbrella.db().pool())
        .await
        .unwrap()
}

fn copies_are_the_same_graph_as_their_templates(db: TestDb, cases: u32) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let umbrella = db.umbrella().clone();
    let (_, _, admin) =
        runtime.block_on(org_with_admin(&umbrella, "Uni", "boss@uni.example", 1_000));
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let cases_run = std::sync::atomic::AtomicU32::new(0);
    runner
        .run(&bundle(), |source| {
            let case = cases_run.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            runtime.block_on(async {
                let template =
                    template_with(&umbrella, &admin, &format!("Template {case}"), &source).await;
                let copy = umbrella
                    .create_account(
                        &AuditContext::unrecorded(),
                        &admin,
                        &from_template(
                            &format!("Copy {case}"),
                            &format!("copy{case}@uni.example"),
                            template,
                        ),
                    )
                    .await
                    .unwrap()
                    .account
                    .partner_id;
                let original = umbrella.export_account_content(template).await.unwrap();
                let copied = umbrella.export_account_content(copy).await.unwrap();
                assert_eq!(copied, original, "the copy differs from its template");
                assert_eq!(copied.counts(), source.counts());
                let (ours, theirs) = (
                    row_ids(&umbrella, copy).await,
                    row_ids(&umbrella, template).await,
                );
                assert_eq!(ours.len() as i64, {
                    let c = source.counts();
                    c.categories
                        + c.entries
                        + c.playlists
                        + c.roles
                        + c.transcoding_profiles
                        + c.custom_data_schemas
                        + c.players
                        + c.access_control_profiles
                });
                assert!(
                    ours.is_disjoint(&theirs),
                    "the copy shares rows with its template"
                );
                assert_eq!(references_leaving(&umbrella, copy).await, 0);
            });
            Ok(())
        })
        .unwrap();
}

#[test]
fn copies_are_the_same_graph_on_sqlite() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let db = runtime.block_on(TestDb::sqlite());
    copies_are_the_same_graph_as_their_templates(db, 48);
}

#[test]
fn copies_are_the_same_graph_on_postgres() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    if let Some(db) = runtime.block_on(TestDb::postgres()) {
        copies_are_the_same_graph_as_their_templates(db, 24);
    }
}
