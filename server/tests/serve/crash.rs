//! Killed at random moments: the real binary creates accounts from a template at
//! the copy limits and imports bundles in a loop, is killed with SIGKILL, and
//! restarted, several times. Afterwards every account has all of its content or
//! none, the quota counters equal the real counts, every change that committed has
//! its audit entry, and SQLite's integrity check passes.

use std::net::SocketAddr;
use std::time::Duration;
use umbrella::audit::AuditContext;

use rand::Rng;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use umbrella::Backend;
use umbrella::Umbrella;
use umbrella::domain::PartnerId;
use umbrella::testing::TestDb;

use crate::{PASSWORD, Server, organization_with_quota, session_cookie, sign_in, status_of};

const ROUNDS: usize = 6;

/// A bundle of `categories` categories (ten to a level, so never deep) and
/// `entries` entries, each in a category.
fn bundle(categories: usize, entries: usize, tag: &str) -> String {
    let categories: Vec<serde_json::Value> = (0..categories)
        .map(|i| {
            let parent = (i >= 10).then(|| format!("c{}", i / 10 - 1));
            serde_json::json!({ "key": format!("c{i}"), "name": format!("{tag} {i}"), "parent": parent })
        })
        .collect();
    let entries: Vec<serde_json::Value> = (0..entries)
        .map(|i| {
            serde_json::json!({
                "key": format!("e{i}"), "name": format!("{tag} entry {i}"),
                "media_type": "video", "categories": [format!("c{i}")]
            })
        })
        .collect();
    serde_json::json!({
        "format": "umbrella-content/1", "categories": categories, "entries": entries
    })
    .to_string()
}

async fn content_counts(core: &Umbrella, account: i64) -> (i64, i64) {
    sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM categories WHERE account_id = $1), \
         (SELECT COUNT(*) FROM entries WHERE account_id = $1)",
    )
    .bind(account)
    .fetch_one(core.db().pool())
    .await
    .unwrap()
}

/// Sends creations and imports until the server dies; how many answered 200.
async fn load(address: SocketAddr, cookie: String, template: PartnerId, tag: usize) -> usize {
    let mut done = 0;
    for n in 1.. {
        let (path, body) = if n % 3 == 0 {
            let json = if n % 2 == 0 {
                bundle(120, 6, "A")
            } else {
                bundle(40, 3, "B")
            };
            (
                "/api/import_content",
                format!("bundle={}", app::list_params::percent_encode(&json)),
            )
        } else {
            (
                "/api/create_account",
                format!(
                    "admin_name=Chris+Child&name=Crash+{tag}+{n}&admin_email=c{tag}x{n}%40uni.example\
                     &admin_phone=555-0199&website_url=&reference_id=&template={template}"
                ),
            )
        };
        match try_post(address, path, &body, &cookie).await {
            Some(200) => done += 1,
            Some(_) => {}
            None => break,
        }
    }
    done
}

/// A form POST from the server's own page; its status, or `None` when the server
/// is gone (before or while answering).
async fn try_post(address: SocketAddr, path: &str, body: &str, cookie: &str) -> Option<u16> {
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nOrigin: http://{address}\r\n\
         Cookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(address).await.ok()?;
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.ok()?;
    status_of(&String::from_utf8_lossy(&answer))
}

async fn killed_at_random_moments_nothing_is_half_done(db: TestDb) {
    let core = db.umbrella();
    let parent = organization_with_quota(&db, 100_000).await;
    // A template at the copy limits: 500 categories and 10 entries.
    let admin = umbrella::testing::admin_signed_in(core, "boss@uni.example", PASSWORD).await;
    let template = core
        .create_account(
            &AuditContext::unrecorded(),
            &admin,
            &umbrella::domain::AccountForm {
                admin_name: "Tina Template".into(),
                name: "Template".into(),
                admin_email: "template@uni.example".into(),
                admin_phone: "555 0101".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .account
        .partner_id;
    core.import_account_content(&AuditContext::unrecorded(), template, &bundle(500, 10, "T"))
        .await
        .unwrap();
    core.set_template(&AuditContext::unrecorded(), template, true)
        .await
        .unwrap();

    let lifted = ["--attempts-per-minute", "100000"];
    let mut answered = 0;
    let mut cookie = None;
    for round in 0..ROUNDS {
        let mut server = Server::start(&db, &lifted);
        let address = server.address;
        let session = match &cookie {
            Some(cookie) => cookie,
            None => {
                let (status, answer) = sign_in(address, "boss@uni.example", PASSWORD).await;
                assert_eq!(status, 200, "{answer}");
                cookie.insert(session_cookie(&answer).unwrap())
            }
        };
        let clients: Vec<_> = (0..3)
            .map(|c| tokio::spawn(load(address, session.clone(), template, round * 10 + c)))
            .collect();
        let moment = rand::thread_rng().gen_range(150..900);
        tokio::time::sleep(Duration::from_millis(moment)).await;
        server.child.kill().unwrap();
        server.child.wait().unwrap();
        for client in clients {
            answered += client.await.unwrap();
        }
    }
    // One clean start after the last kill: recovery and migrations run.
    drop(Server::start(&db, &lifted));
    eprintln!(
        "{:?}: {ROUNDS} SIGKILLs, {answered} changes answered 200 before them",
        core.db().backend()
    );
    assert!(answered > 0, "the load got through");

    // Every account made from the template has all of its content.
    let children: Vec<i64> = sqlx::query_scalar(
        "SELECT partner_id FROM accounts WHERE parent_id = $1 AND NOT is_template",
    )
    .bind(parent.get())
    .fetch_all(core.db().pool())
    .await
    .unwrap();
    assert!(!children.is_empty());
    for child in &children {
        assert_eq!(
            content_counts(core, *child).await,
            (500, 10),
            "account {child}"
        );
    }
    // The parent's content is one whole bundle or the other (or none yet).
    let parent_content = content_counts(core, parent.get()).await;
    assert!(
        [(0, 0), (120, 6), (40, 3)].contains(&parent_content),
        "{parent_content:?}"
    );
    // The counters equal the real counts.
    let (in_use, active, counted_in_use, counted_active): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT o.accounts_in_use, o.active_accounts, \
         (SELECT COUNT(*) FROM accounts a WHERE a.organization_id = o.id \
          AND a.parent_id IS NOT NULL AND NOT a.is_template AND a.status <> 'removed'), \
         (SELECT COUNT(*) FROM accounts a WHERE a.organization_id = o.id AND a.status = 'active') \
         FROM organizations o JOIN accounts p ON p.organization_id = o.id WHERE p.partner_id = $1",
    )
    .bind(parent.get())
    .fetch_one(core.db().pool())
    .await
    .unwrap();
    assert_eq!((in_use, active), (counted_in_use, counted_active));
    // Every account that exists has the entry of its creation.
    let unrecorded: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM accounts a WHERE a.parent_id = $1 AND NOT a.is_template \
         AND NOT EXISTS (SELECT 1 FROM audit_log l WHERE l.partner_id = a.partner_id \
         AND l.action = 'account.create' AND l.outcome = 'done')",
    )
    .bind(parent.get())
    .fetch_one(core.db().pool())
    .await
    .unwrap();
    assert_eq!(unrecorded, 0);
    let (created_entries, imports): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM audit_log WHERE action = 'account.create' AND outcome = 'done'), \
         (SELECT COUNT(*) FROM audit_log WHERE action = 'content.import' AND outcome = 'done')",
    )
    .fetch_one(core.db().pool())
    .await
    .unwrap();
    assert_eq!(
        created_entries as usize,
        children.len(),
        "no entry without its change"
    );
    assert!(created_entries + imports >= answered as i64);
    if core.db().backend() == Backend::Sqlite {
        let check: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(core.db().pool())
            .await
            .unwrap();
        assert_eq!(check, "ok");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_at_random_moments_on_sqlite() {
    killed_at_random_moments_nothing_is_half_done(TestDb::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_at_random_moments_on_postgres() {
    if let Some(db) = TestDb::postgres().await {
        killed_at_random_moments_nothing_is_half_done(db).await;
    }
}
