//! Fresh, private databases for tests: a new SQLite file, or a new PostgreSQL
//! database on the server at `UMBRELLA_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`). Each is dropped when its
//! [`TestDb`] is, also when the test panics.
//!
//! Without a reachable PostgreSQL the PostgreSQL variants are skipped with a
//! message, except where PostgreSQL is required ([`postgres_required`]): then
//! they fail, so that half of the suite can never pass silently.

// Test support: a failure to set up the database should stop the test loudly.
#![allow(clippy::expect_used)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use rand::Rng;
use sqlx::{Connection, Executor};

use crate::Umbrella;

const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// Whether the PostgreSQL tests must run: on CI (`CI` set to anything but empty,
/// `0` or `false`) or when `UMBRELLA_REQUIRE_POSTGRES` asks for it the same way.
pub fn postgres_required() -> bool {
    let asks = |name: &str| {
        std::env::var(name).is_ok_and(|value| !matches!(value.trim(), "" | "0" | "false" | "no"))
    };
    asks("CI") || asks("UMBRELLA_REQUIRE_POSTGRES")
}

pub struct TestDb {
    umbrella: Umbrella,
    url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(PathBuf),
    Postgres { admin_url: String, name: String },
}

fn unique_name() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    format!(
        "umbrella_test_{}_{}_{:08x}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        rand::thread_rng().r#gen::<u32>()
    )
}

impl TestDb {
    pub async fn sqlite() -> Self {
        let path = std::env::temp_dir().join(format!("{}.db", unique_name()));
        let url = format!("sqlite://{}", path.display());
        let umbrella = Umbrella::connect(&url)
            .await
            .expect("a fresh SQLite database");
        Self {
            umbrella,
            url,
            cleanup: Cleanup::Sqlite(path),
        }
    }

    /// A fresh PostgreSQL database, or `None` (with a message) when no server is
    /// reachable outside CI.
    pub async fn postgres() -> Option<Self> {
        let admin_url = std::env::var("UMBRELLA_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned());
        let mut admin = match sqlx::PgConnection::connect(&admin_url).await {
            Ok(conn) => conn,
            Err(e) if !postgres_required() => {
                eprintln!("skipping a PostgreSQL test: cannot reach {admin_url}: {e}");
                return None;
            }
            Err(e) => panic!(
                "PostgreSQL is required (CI or UMBRELLA_REQUIRE_POSTGRES is set): \
                 cannot reach {admin_url}: {e}"
            ),
        };
        let name = unique_name();
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("CREATE DATABASE");
        let url = match admin_url.rsplit_once('/') {
            Some((server, _)) => format!("{server}/{name}"),
            None => panic!("UMBRELLA_TEST_POSTGRES_URL must end in /database"),
        };
        let cleanup = Cleanup::Postgres { admin_url, name };
        let umbrella = Umbrella::connect(&url)
            .await
            .expect("a fresh PostgreSQL database");
        Some(Self {
            umbrella,
            url,
            cleanup,
        })
    }

    pub fn umbrella(&self) -> &Umbrella {
        &self.umbrella
    }

    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Sqlite(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut file = path.clone().into_os_string();
                    file.push(suffix);
                    let _ = std::fs::remove_file(file);
                }
            }
            Cleanup::Postgres { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop cannot await, and may run inside a runtime: use a thread of its own.
                let dropped = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()?;
                    runtime.block_on(async {
                        let mut admin = sqlx::PgConnection::connect(&admin_url).await?;
                        admin
                            .execute(
                                format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str(),
                            )
                            .await?;
                        Ok::<_, sqlx::Error>(())
                    })?;
                    Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
                })
                .join();
                if !matches!(dropped, Ok(Ok(()))) {
                    eprintln!("could not drop the test database {}", self.url);
                }
            }
        }
    }
}

/// Runs each named `async fn(&Umbrella)` as two tests: on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! test_on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod on_sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = $crate::testing::TestDb::sqlite().await;
                    super::$name(db.umbrella()).await;
                }
            )*
        }
        mod on_postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(db) = $crate::testing::TestDb::postgres().await {
                        super::$name(db.umbrella()).await;
                    }
                }
            )*
        }
    };
}

/// Gives an account's owner a password directly, standing in for the activation
/// link a person would follow.
pub async fn set_owner_password(
    umbrella: &Umbrella,
    account: crate::domain::PartnerId,
    password: &str,
) {
    let password =
        crate::domain::Password::parse_new(password.to_owned()).expect("a valid password");
    let hash = crate::auth::hash_password(&password)
        .await
        .expect("hashing");
    let mut conn = umbrella.db().pool().acquire().await.expect("a connection");
    let updated = crate::storage::users::set_owner_password_hash(&mut conn, account, &hash)
        .await
        .expect("the update");
    assert!(updated, "account {account} has no owner");
}

/// The client address tests give the core (sign-in, activation, CMS Login).
pub const TEST_ADDRESS: &str = "192.0.2.1";

/// Signs a person in through the core, as the sign-in page would, from
/// [`TEST_ADDRESS`]: who they are to the services.
pub async fn actor_signed_in(
    umbrella: &Umbrella,
    email: &str,
    password: &str,
) -> crate::auth::Actor {
    umbrella
        .sign_in(
            email,
            crate::domain::Password::offered(password.to_owned()),
            TEST_ADDRESS,
        )
        .await
        .expect("signs in")
        .actor
}

/// Signs an organization's administrator in through the core.
pub async fn admin_signed_in(
    umbrella: &Umbrella,
    email: &str,
    password: &str,
) -> crate::auth::OrgAdmin {
    actor_signed_in(umbrella, email, password)
        .await
        .org_admin()
        .expect("an organization administrator")
}

/// Opens a session for a user without their password (argon2 is the slow part of
/// signing in), for tests that need many sessions.
pub async fn session_for(
    umbrella: &Umbrella,
    user: crate::domain::UserId,
) -> crate::auth::SessionToken {
    umbrella.open_session(user).await.expect("a session").token
}

/// Starts a CMS Login for `admin` from a fresh session of theirs, for tests that do
/// not need that session themselves.
pub async fn start_cms_login(
    umbrella: &Umbrella,
    admin: &crate::auth::OrgAdmin,
    account: crate::domain::PartnerId,
) -> crate::error::Result<crate::auth::CmsSession> {
    let own = session_for(umbrella, admin.user_id.expect("a person")).await;
    umbrella
        .start_cms_session(
            &crate::audit::AuditContext::unrecorded(),
            admin,
            &own,
            account,
            TEST_ADDRESS,
        )
        .await
}

/// The owner user of an account.
pub async fn owner_of(
    umbrella: &Umbrella,
    account: crate::domain::PartnerId,
) -> crate::domain::UserId {
    let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE account_id = $1 AND is_owner")
        .bind(account.get())
        .fetch_one(umbrella.db().pool())
        .await
        .expect("the account's owner");
    crate::domain::UserId::new(id)
}

/// Gives a user any role directly (the Users tab offers only the account's roles).
pub async fn set_role(umbrella: &Umbrella, user: crate::domain::UserId, role: &str) {
    sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
        .bind(role)
        .bind(user.get())
        .execute(umbrella.db().pool())
        .await
        .expect("the update");
}

/// Seeds `count` child accounts into an organization as fast as the database
/// allows (multi-row INSERTs in one transaction), for benchmarks of very large
/// organizations: 90% active, 8% blocked, 2% removed, one second apart. The
/// counters the core keeps are set to match.
pub async fn bulk_seed_accounts(
    umbrella: &Umbrella,
    organization: crate::domain::OrganizationId,
    parent: crate::domain::PartnerId,
    count: usize,
) -> Result<(), crate::Error> {
    const ROWS_PER_STATEMENT: usize = 500;
    let start = crate::clock::Timestamp::now().millis() - (count as i64) * 1000;
    let status_of = |i: usize| match i % 50 {
        0 => "removed",
        1..=4 => "blocked",
        _ => "active",
    };
    let mut tx = umbrella.db().begin_write().await?;
    let mut done = 0;
    while done < count {
        let rows = ROWS_PER_STATEMENT.min(count - done);
        let mut sql = String::from(
            "INSERT INTO accounts (organization_id, parent_id, name, status, admin_name, \
             admin_email, admin_email_key, admin_phone, website_url, created_at) VALUES ",
        );
        for row in 0..rows {
            let p = row * 10;
            if row > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                p + 1,
                p + 2,
                p + 3,
                p + 4,
                p + 5,
                p + 6,
                p + 7,
                p + 8,
                p + 9,
                p + 10
            ));
        }
        let mut query = sqlx::query(&sql);
        for i in done..done + rows {
            let email = format!("admin{i}@acct{i}.example");
            query = query
                .bind(organization.get())
                .bind(parent.get())
                .bind(format!("Account {i:07} Faculty"))
                .bind(status_of(i))
                .bind(format!("Admin {i}"))
                .bind(email.clone())
                .bind(email)
                .bind("+1 555 0100")
                .bind(format!("https://acct{i}.example"))
                .bind(start + (i as i64) * 1000);
        }
        query.execute(&mut *tx).await?;
        done += rows;
    }
    let removed = (0..count).filter(|i| status_of(*i) == "removed").count() as i64;
    let blocked = (0..count).filter(|i| status_of(*i) == "blocked").count() as i64;
    let active = count as i64 - removed - blocked;
    sqlx::query(
        "UPDATE organizations SET account_quota = account_quota + $1, \
         accounts_in_use = accounts_in_use + $1, active_accounts = active_accounts + $2, \
         blocked_accounts = blocked_accounts + $3, removed_accounts = removed_accounts + $4 \
         WHERE id = $5",
    )
    .bind(active + blocked)
    .bind(active)
    .bind(blocked)
    .bind(removed)
    .bind(organization.get())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    // Fresh statistics, as a database that grew over time would have.
    // On PostgreSQL also VACUUM, as autovacuum would have long since: it moves the
    // rows the trigram indexes hold in their pending list (scanned whole on every
    // search) into the index proper.
    let analyze = match umbrella.db().backend() {
        crate::storage::Backend::Sqlite => "ANALYZE",
        crate::storage::Backend::Postgres => "VACUUM ANALYZE accounts",
    };
    sqlx::query(analyze).execute(umbrella.db().pool()).await?;
    Ok(())
}

/// Seeds `count` audit entries into an organization as fast as the database allows,
/// for benchmarks: one a second, about 10,000 accounts, and actions of every
/// frequency — most are content saves, one in a thousand is an account deletion.
pub async fn bulk_seed_audit(
    umbrella: &Umbrella,
    organization: crate::domain::OrganizationId,
    count: usize,
) -> crate::error::Result<()> {
    const ROWS_PER_INSERT: usize = 1000;
    let action_of = |i: usize| match i % 1000 {
        0 => "account.delete",
        1..=50 => "account.block",
        51..=100 => "cms_login.start",
        _ => "content.save",
    };
    let start = crate::clock::Timestamp::now().millis() - (count as i64) * 1000;
    let mut tx = umbrella.db().begin_write().await?;
    let mut done = 0;
    while done < count {
        let rows = ROWS_PER_INSERT.min(count - done);
        let placeholders: Vec<String> = (0..rows)
            .map(|r| {
                let b = r * 7;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, '192.0.2.1', ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO audit_log (at, organization_id, actor, action, partner_id, address, \
             outcome, detail) VALUES {}",
            placeholders.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for i in done..done + rows {
            query = query
                .bind(start + (i as i64) * 1000)
                .bind(organization.get())
                .bind(format!("admin{}@bench.example", i % 7))
                .bind(action_of(i))
                .bind(1_000_000 + (i % 10_000) as i64)
                .bind(if i % 97 == 0 { "refused" } else { "done" })
                .bind("");
        }
        query.execute(&mut *tx).await?;
        done += rows;
    }
    tx.commit().await?;
    let analyze = match umbrella.db().backend() {
        crate::storage::Backend::Sqlite => "ANALYZE",
        crate::storage::Backend::Postgres => "ANALYZE audit_log",
    };
    sqlx::query(analyze).execute(umbrella.db().pool()).await?;
    Ok(())
}

/// Runs `op` once to warm up, then `runs` times; returns the p50 and p95 times.
pub async fn p50_p95<F, Fut>(runs: usize, mut op: F) -> (std::time::Duration, std::time::Duration)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    op().await;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = std::time::Instant::now();
        op().await;
        times.push(started.elapsed());
    }
    times.sort();
    let at = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
    (at(0.50), at(0.95))
}

/// Creates an organization and signs its administrator in: the start of every
/// benchmark. Returns the parent's Partner ID and the administrator.
pub async fn organization_with_admin(
    umbrella: &Umbrella,
    name: &str,
    admin_email: &str,
    account_quota: i64,
) -> (crate::domain::PartnerId, crate::auth::OrgAdmin) {
    const PASSWORD: &str = "bench password";
    let parent = umbrella
        .create_organization(
            &crate::audit::AuditContext::unrecorded(),
            &crate::operator::OrganizationForm {
                name: name.to_owned(),
                admin_name: "Bench Admin".to_owned(),
                admin_email: admin_email.to_owned(),
                admin_phone: "+1 555 0100".to_owned(),
                account_quota,
                user_quota: 3,
            },
            crate::domain::Password::parse_new(PASSWORD.to_owned()).expect("a valid password"),
        )
        .await
        .expect("a new organization");
    let admin = admin_signed_in(umbrella, admin_email, PASSWORD).await;
    (parent, admin)
}

/// The most an import may ask for: 60,000 rows (`bundle::MAX_ROWS`).
///
/// 10,000 categories (ten children each, so five levels), 10,000 entries with long
/// descriptions and tags in two categories each, 1,000 playlists of 19 entries:
/// about 14 MiB form-encoded, near the import's body limit.
pub fn largest_bundle() -> String {
    let categories: Vec<serde_json::Value> = (0..10_000)
        .map(|i| {
            let parent = (i >= 10).then(|| format!("c{}", i / 10 - 1));
            serde_json::json!({ "key": format!("c{i}"), "name": format!("Category {i}"), "parent": parent })
        })
        .collect();
    let entries: Vec<serde_json::Value> = (0..10_000)
        .map(|i| {
            serde_json::json!({
                "key": format!("e{i}"), "name": format!("Entry {i}"),
                "description": "Lorem ipsum dolor sit amet ".repeat(30),
                "media_type": "video", "tags": ["lecture", format!("t{}", i % 97)],
                "categories": [format!("c{i}"), format!("c{}", (i * 7 + 1) % 10_000)]
            })
        })
        .collect();
    let playlists: Vec<serde_json::Value> = (0..1_000)
        .map(|i| {
            let entries: Vec<String> = (0..19)
                .map(|j| format!("e{}", (i * 5 + j) % 10_000))
                .collect();
            serde_json::json!({ "name": format!("Playlist {i}"), "entries": entries })
        })
        .collect();
    serde_json::json!({
        "format": "umbrella-content/1",
        "categories": categories, "entries": entries, "playlists": playlists
    })
    .to_string()
}
