//! How long creating an account from a template at the copy limits takes: 500
//! categories (a tree) and 10 items of every other kind, entries in categories and
//! playlists of entries. Prints p50 and p95 on SQLite and PostgreSQL. Run it with
//! `make bench`.

// A benchmark, not product code: a failed setup should stop it loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::time::Duration;
use umbrella::audit::Change;

use umbrella::Umbrella;
use umbrella::domain::AccountForm;
use umbrella::domain::content::Bundle;
use umbrella::domain::content::bundle::{
    AccessControlProfile, AccessRules, Category, CustomDataSchema, Entry, Flavor, Player, Playlist,
    Role, SchemaField, TranscodingProfile,
};
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
    let form = |i: usize, template: String| AccountForm {
        admin_name: "Channel Owner".into(),
        name: format!("Channel {i}"),
        admin_email: format!("owner{i}@network.example"),
        admin_phone: "555 0100".into(),
        website_url: String::new(),
        reference_id: String::new(),
        template,
    };
    let template = umbrella
        .create_account(Change::unrecorded(), &admin, &form(0, String::new()))
        .await
        .unwrap()
        .account
        .partner_id;
    let bundle = template_at_the_limits();
    umbrella
        .import_account_content(Change::unrecorded(), template, &bundle.to_json())
        .await
        .unwrap();
    umbrella
        .set_template(Change::unrecorded(), template, true)
        .await
        .unwrap();

    let mut next = 0;
    measure(backend, "create account from the template", || {
        next += 1;
        let form = form(next, template.to_string());
        let admin = &admin;
        async move {
            umbrella
                .create_account(Change::unrecorded(), admin, &form)
                .await
                .unwrap();
        }
    })
    .await;
    // Its two halves, for where the time goes: reading the template, writing a copy.
    measure(backend, "export the template (read)", || async {
        umbrella.export_account_content(template).await.unwrap();
    })
    .await;
    let json = bundle.to_json();
    measure(backend, "import into an account (replace)", || async {
        umbrella
            .import_account_content(Change::unrecorded(), template, &json)
            .await
            .unwrap();
    })
    .await;
}

/// Runs `op` once to warm up, then RUNS times, and prints p50 and p95.
async fn measure<F, Fut>(backend: &str, name: &str, op: F)
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
