//! How long creating an account from a template at the copy limits takes: 500
//! categories (a tree) and 10 items of every other kind, entries in categories and
//! playlists of entries. Prints p50 and p95 on SQLite and PostgreSQL, next to a floor
//! measured in the same run on the same database: the copy's content rows written by
//! plain prepared statements in one transaction, with no checks and no reads, and
//! the ratio of the copy to it. Run it with `make bench` or `make bench-copy`.

// A benchmark, not product code: a failed setup should stop it loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::time::Duration;
use umbrella::audit::AuditContext;

use umbrella::Umbrella;
use umbrella::domain::content::Bundle;
use umbrella::domain::content::bundle::{
    AccessControlProfile, AccessRules, Category, CustomDataSchema, Entry, Flavor, Player, Playlist,
    Role, SchemaField, TranscodingProfile,
};
use umbrella::domain::{AccountForm, PartnerId};
use umbrella::testing::{TestDb, organization_with_admin};

const RUNS: usize = 25;

/// A template exactly at the default limits.
fn template_at_the_limits() -> Bundle {
    // Five levels deep, each category with up to 5 children.
    let categories = (0..500)
        .map(|i| Category {
            key: format!("c{i}"),
            name: format!("Category {i}"),
            parent: (i >= 5).then(|| format!("c{}", i / 5 - 1)),
        })
        .collect();
    let entries = (0..10)
        .map(|i| Entry {
            key: format!("e{i}"),
            name: format!("Entry {i}"),
            description: "A description of some length, as entries have.".repeat(3),
            media_type: "video".into(),
            tags: vec!["one".into(), "two".into()],
            reference_id: Some(format!("REF-{i}")),
            categories: (0..5).map(|c| format!("c{}", i * 50 + c)).collect(),
        })
        .collect();
    let n = 0..10;
    Bundle {
        categories,
        entries,
        playlists: n
            .clone()
            .map(|i| Playlist {
                name: format!("Playlist {i}"),
                description: String::new(),
                entries: (0..10).map(|e| format!("e{e}")).collect(),
            })
            .collect(),
        roles: n
            .clone()
            .map(|i| Role {
                name: format!("Role {i}"),
                description: "Role".into(),
                permissions: vec!["content.manage".into(), "analytics.view".into()],
            })
            .collect(),
        transcoding_profiles: n
            .clone()
            .map(|i| TranscodingProfile {
                name: format!("Profile {i}"),
                is_default: i == 0,
                flavors: (1..=3)
                    .map(|f| Flavor {
                        name: format!("F{f}"),
                        codec: "h264".into(),
                        width: 640 * f,
                        height: 360 * f,
                        bitrate: 800 * f,
                    })
                    .collect(),
            })
            .collect(),
        custom_data_schemas: n
            .clone()
            .map(|i| CustomDataSchema {
                name: format!("Schema {i}"),
                system_name: format!("schema_{i}"),
                fields: vec![SchemaField {
                    name: "department".into(),
                    kind: "text".into(),
                    required: true,
                }],
            })
            .collect(),
        players: n
            .clone()
            .map(|i| Player {
                name: format!("Player {i}"),
                width: 640,
                height: 360,
                settings: BTreeMap::from([("autoplay".into(), "false".into())]),
            })
            .collect(),
        access_control_profiles: n
            .clone()
            .map(|i| AccessControlProfile {
                name: format!("ACL {i}"),
                is_default: i == 0,
                rules: AccessRules {
                    allowed_domains: vec!["example.com".into()],
                    ..AccessRules::default()
                },
            })
            .collect(),
        feature_permissions: n.map(|i| format!("feature_{i}")).collect(),
        ..Bundle::empty()
    }
}

async fn run(backend: &str, umbrella: &Umbrella) {
    let (_, admin) =
        organization_with_admin(umbrella, "Bench Network", "bench@network.example", 1_000).await;
    let form = |i: usize, template: Option<PartnerId>| AccountForm {
        admin_name: "Channel Owner".into(),
        name: format!("Channel {i}"),
        admin_email: format!("owner{i}@network.example"),
        admin_phone: "555 0100".into(),
        website_url: String::new(),
        reference_id: String::new(),
        template,
    };
    let template = umbrella
        .create_account(&AuditContext::unrecorded(), &admin, &form(0, None))
        .await
        .unwrap()
        .account
        .partner_id;
    let bundle = template_at_the_limits();
    umbrella
        .import_account_content(&AuditContext::unrecorded(), template, &bundle.to_json())
        .await
        .unwrap();
    umbrella
        .set_template(&AuditContext::unrecorded(), template, true)
        .await
        .unwrap();

    let mut next = 0;
    let copy = measure(backend, "create account from the template", || {
        next += 1;
        let form = form(next, Some(template));
        let admin = &admin;
        async move {
            umbrella
                .create_account(&AuditContext::unrecorded(), admin, &form)
                .await
                .unwrap();
        }
    })
    .await;
    // The floor: the same content rows into fresh accounts, by plain statements.
    let mut targets = Vec::new();
    for i in 0..=RUNS {
        let form = form(10_000 + i, None);
        let account = umbrella
            .create_account(&AuditContext::unrecorded(), &admin, &form)
            .await
            .unwrap()
            .account
            .partner_id;
        targets.push(account.get());
    }
    let postgres = backend == "postgres";
    let floor = measure(backend, "floor: the rows, plain statements", || {
        let account = targets.pop().unwrap();
        let bundle = &bundle;
        async move { write_floor(umbrella.db().pool(), account, bundle, postgres).await }
    })
    .await;
    println!(
        "{backend:<10} {:<36} {:>8.1}x (target at most 3x)",
        "copy / floor, p50",
        copy.as_secs_f64() / floor.as_secs_f64()
    );
    // Its two halves, for where the time goes: reading the template, writing a copy.
    measure(backend, "export the template (read)", || async {
        umbrella.export_account_content(template).await.unwrap();
    })
    .await;
    let json = bundle.to_json();
    measure(backend, "import into an account (replace)", || async {
        umbrella
            .import_account_content(&AuditContext::unrecorded(), template, &json)
            .await
            .unwrap();
    })
    .await;
}

/// Runs `op` once to warm up, then RUNS times, prints p50 and p95, returns p50.
async fn measure<F, Fut>(backend: &str, name: &str, op: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let (p50, p95) = umbrella::testing::p50_p95(RUNS, op).await;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{backend:<10} {name:<36} p50 {:>8.2} ms   p95 {:>8.2} ms",
        ms(p50),
        ms(p95),
    );
    p50
}

/// The template's content rows written into `account` the plainest way: one
/// prepared statement per row, in one transaction, IDs read back where later rows
/// refer to them. No parsing, no checks, no limits: what the copy cannot beat.
async fn write_floor(pool: &sqlx::AnyPool, account: i64, bundle: &Bundle, postgres: bool) {
    let (yes, no) = if postgres {
        ("TRUE", "FALSE")
    } else {
        ("1", "0")
    };
    let mut tx = pool.begin().await.unwrap();
    let mut categories = std::collections::HashMap::new();
    for category in &bundle.categories {
        let parent = category.parent.as_ref().map(|key| categories[key]);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO categories (account_id, parent_id, name) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(account)
        .bind(parent)
        .bind(&category.name)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        categories.insert(category.key.clone(), id);
    }
    let mut entries = std::collections::HashMap::new();
    for entry in &bundle.entries {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO entries (account_id, name, description, media_type, tags, reference_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(account)
        .bind(&entry.name)
        .bind(&entry.description)
        .bind(&entry.media_type)
        .bind(serde_json::to_string(&entry.tags).unwrap())
        .bind(entry.reference_id.as_deref())
        .bind(0_i64)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        entries.insert(entry.key.clone(), id);
        for category in &entry.categories {
            sqlx::query(
                "INSERT INTO entry_categories (account_id, entry_id, category_id) VALUES ($1, $2, $3)",
            )
            .bind(account)
            .bind(id)
            .bind(categories[category])
            .execute(&mut *tx)
            .await
            .unwrap();
        }
    }
    for playlist in &bundle.playlists {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO playlists (account_id, name, description) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(account)
        .bind(&playlist.name)
        .bind(&playlist.description)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        for (position, entry) in playlist.entries.iter().enumerate() {
            sqlx::query(
                "INSERT INTO playlist_entries (account_id, playlist_id, position, entry_id) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(account)
            .bind(id)
            .bind(position as i64)
            .bind(entries[entry])
            .execute(&mut *tx)
            .await
            .unwrap();
        }
    }
    for role in &bundle.roles {
        sqlx::query(
            "INSERT INTO cms_roles (account_id, name, description, permissions) VALUES ($1, $2, $3, $4)",
        )
        .bind(account)
        .bind(&role.name)
        .bind(&role.description)
        .bind(serde_json::to_string(&role.permissions).unwrap())
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    for profile in &bundle.transcoding_profiles {
        let default = if profile.is_default { yes } else { no };
        let id: i64 = sqlx::query_scalar(&format!(
            "INSERT INTO transcoding_profiles (account_id, name, is_default) \
             VALUES ($1, $2, {default}) RETURNING id"
        ))
        .bind(account)
        .bind(&profile.name)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        for (position, flavor) in profile.flavors.iter().enumerate() {
            sqlx::query(
                "INSERT INTO flavors (profile_id, position, name, codec, width, height, bitrate) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(position as i64)
            .bind(&flavor.name)
            .bind(&flavor.codec)
            .bind(flavor.width)
            .bind(flavor.height)
            .bind(flavor.bitrate)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
    }
    for schema in &bundle.custom_data_schemas {
        sqlx::query(
            "INSERT INTO custom_data_schemas (account_id, name, system_name, fields) VALUES ($1, $2, $3, $4)",
        )
        .bind(account)
        .bind(&schema.name)
        .bind(&schema.system_name)
        .bind(serde_json::to_string(&schema.fields).unwrap())
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    for player in &bundle.players {
        sqlx::query(
            "INSERT INTO players (account_id, name, width, height, settings) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(account)
        .bind(&player.name)
        .bind(player.width)
        .bind(player.height)
        .bind(serde_json::to_string(&player.settings).unwrap())
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    for profile in &bundle.access_control_profiles {
        let default = if profile.is_default { yes } else { no };
        sqlx::query(&format!(
            "INSERT INTO access_control_profiles (account_id, name, is_default, rules) \
             VALUES ($1, $2, {default}, $3)"
        ))
        .bind(account)
        .bind(&profile.name)
        .bind(serde_json::to_string(&profile.rules).unwrap())
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    for feature in &bundle.feature_permissions {
        sqlx::query("INSERT INTO feature_permissions (account_id, name) VALUES ($1, $2)")
            .bind(account)
            .bind(feature)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

#[tokio::main]
async fn main() {
    println!(
        "Creating an account from a template at the copy limits, {RUNS} runs after one warm-up"
    );
    let sqlite = TestDb::sqlite().await;
    run("sqlite", sqlite.umbrella()).await;
    drop(sqlite);
    match TestDb::postgres().await {
        Some(postgres) => run("postgres", postgres.umbrella()).await,
        None => println!("postgres   skipped: no server at UMBRELLA_TEST_POSTGRES_URL"),
    }
}
