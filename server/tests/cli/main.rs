//! The operator commands, run as the real binary against a fresh SQLite file.

// The whole crate is tests: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Output, Stdio};
use umbrella::audit::AuditContext;

use umbrella::auth::OrgAdmin;
use umbrella::domain::{PartnerId, Password};
use umbrella::testing::TestDb;

fn umbrella(db: &TestDb, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_umbrella"))
        .args(args)
        .env("DATABASE_URL", db.url())
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Creates the "Network" organization with the operator command, signs its
/// administrator in, and adds one account through them.
async fn network_with_account(db: &TestDb, name: &str, email: &str) -> (OrgAdmin, PartnerId) {
    let created = umbrella(
        db,
        &[
            "operator",
            "create-organization",
            "--name",
            "Network",
            "--admin-name",
            "Nia Net",
            "--admin-email",
            "nia@network.example",
            "--admin-phone",
            "+1 555 0100",
        ],
        "a long enough password\n",
    );
    assert!(created.status.success(), "{}", text(&created.stderr));
    let core = db.umbrella();
    let admin = core
        .sign_in(
            "nia@network.example",
            Password::offered("a long enough password".into()),
            umbrella::testing::TEST_ADDRESS,
        )
        .await
        .unwrap()
        .actor
        .org_admin()
        .unwrap();
    // The command prints the new parent's Partner ID, for the next commands.
    assert_eq!(text(&created.stdout).trim(), admin.parent_id().to_string());
    let form = umbrella::domain::AccountForm {
        admin_name: "An Owner".into(),
        name: name.into(),
        admin_email: email.into(),
        admin_phone: "555 0101".into(),
        ..Default::default()
    };
    let account = core
        .create_account(&AuditContext::unrecorded(), &admin, &form)
        .await
        .unwrap()
        .account
        .partner_id;
    (admin, account)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operators_mark_templates_and_move_content_with_bundles() {
    let db = TestDb::sqlite().await;
    let (admin, account) = network_with_account(&db, "House Style", "ty@network.example").await;
    let core = db.umbrella();
    let id = account.to_string();

    // A bad bundle: refused with the item named, nothing changed.
    let dir = std::env::temp_dir().join(format!("umbrella-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        r#"{"format":"umbrella-content/1","players":[{"name":"P","width":0,"height":9}]}"#,
    )
    .unwrap();
    let refused = umbrella(
        &db,
        &[
            "operator",
            "import-content",
            "--partner-id",
            &id,
            bad.to_str().unwrap(),
        ],
        "",
    );
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("players[0] \"P\".width"),
        "{}",
        text(&refused.stderr)
    );

    // A good one from standard input, then exported back.
    let good = umbrella::templates::starter_content().to_json();
    let imported = umbrella(
        &db,
        &["operator", "import-content", "--partner-id", &id, "-"],
        &good,
    );
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    assert!(
        text(&imported.stdout).contains("5 Categories"),
        "{}",
        text(&imported.stdout)
    );
    let exported = umbrella(
        &db,
        &["operator", "export-content", "--partner-id", &id],
        "",
    );
    let bundle = umbrella::domain::content::Bundle::from_json(&text(&exported.stdout)).unwrap();
    assert_eq!(
        bundle.counts(),
        umbrella::templates::starter_content().counts()
    );

    // Templates and the default template.
    let marked = umbrella(&db, &["operator", "set-template", "--partner-id", &id], "");
    assert!(
        text(&marked.stdout).contains("is now a template"),
        "{}",
        text(&marked.stderr)
    );
    // An organization's own template cannot be everyone's default; a platform copy can.
    let refused = umbrella(
        &db,
        &["operator", "set-default-template", "--partner-id", &id],
        "",
    );
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("only a platform template can be the Default Template"),
        "{}",
        text(&refused.stderr)
    );
    let copied = umbrella(
        &db,
        &[
            "operator",
            "create-platform-template",
            "--name",
            "House",
            "--from",
            &id,
        ],
        "",
    );
    assert!(copied.status.success(), "{}", text(&copied.stderr));
    let platform = text(&copied.stdout).trim().to_owned();
    let default = umbrella(
        &db,
        &[
            "operator",
            "set-default-template",
            "--partner-id",
            &platform,
        ],
        "",
    );
    assert!(default.status.success(), "{}", text(&default.stderr));
    let choices = core.template_choices(&admin).await.unwrap();
    assert_eq!(
        (
            choices.len(),
            choices[0].partner_id.to_string(),
            choices[0].is_default,
            choices[0].counts,
            choices[1].partner_id.to_string()
        ),
        (2, platform.clone(), true, choices[1].counts, id.clone())
    );
    let parent = admin.parent_id().to_string();
    let limits = umbrella(
        &db,
        &[
            "operator",
            "set-copy-limits",
            "--partner-id",
            &parent,
            "--items",
            "2",
        ],
        "",
    );
    assert!(
        text(&limits.stdout).contains("500 categories, 2 items"),
        "{}",
        text(&limits.stderr)
    );
    let off = umbrella(
        &db,
        &[
            "operator",
            "set-template",
            "--partner-id",
            &platform,
            "--off",
        ],
        "",
    );
    assert!(!off.status.success());
    assert!(
        text(&off.stderr).contains("default template"),
        "{}",
        text(&off.stderr)
    );
    let missing = umbrella(
        &db,
        &["operator", "export-content", "--partner-id", "999999"],
        "",
    );
    assert!(!missing.status.success());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operators_delete_removed_accounts_and_read_the_audit_log() {
    use umbrella::domain::AccountAction;

    let db = TestDb::sqlite().await;
    let (admin, account) = network_with_account(&db, "Old Channel", "old@network.example").await;
    let core = db.umbrella();
    let id = account.to_string();

    let refused = umbrella(
        &db,
        &["operator", "delete-account", "--partner-id", &id],
        "",
    );
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("only a removed account can be deleted"),
        "{}",
        text(&refused.stderr)
    );
    core.change_account_status(
        &AuditContext::unrecorded(),
        &admin,
        account,
        AccountAction::Remove,
    )
    .await
    .unwrap();
    let deleted = umbrella(
        &db,
        &["operator", "delete-account", "--partner-id", &id],
        "",
    );
    assert!(deleted.status.success(), "{}", text(&deleted.stderr));
    assert!(text(&deleted.stdout).contains(&format!("account {id} deleted")));
    assert!(
        core.sign_in(
            "old@network.example",
            Password::offered("whatever it was".into()),
            umbrella::testing::TEST_ADDRESS
        )
        .await
        .is_err()
    );

    let audit = umbrella(&db, &["operator", "audit", "--partner-id", &id], "");
    assert!(audit.status.success(), "{}", text(&audit.stderr));
    let out = text(&audit.stdout);
    let lines: Vec<Vec<&str>> = out
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    let summary: Vec<(&str, &str, &str)> = lines.iter().map(|f| (f[3], f[5], f[8])).collect();
    assert_eq!(
        summary,
        [
            ("operator", "account.delete", "refused"),
            ("operator", "account.delete", "done"),
        ],
        "{out}"
    );
    // The entries stay in the organization's log after the account is gone.
    assert!(lines.iter().all(|f| f[2] != "-"), "{out}");
    let everything = umbrella(&db, &["operator", "audit"], "");
    assert!(text(&everything.stdout).contains("organization.create"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_during_writes_is_whole_and_serves() {
    let db = TestDb::sqlite().await;
    let (admin, _) = network_with_account(&db, "First", "first@network.example").await;
    // Accounts keep being created while the backup runs.
    let writer = {
        let core = db.umbrella().clone();
        tokio::spawn(async move {
            let mut made = 0;
            for n in 0..40 {
                let form = umbrella::domain::AccountForm {
                    admin_name: "An Owner".into(),
                    name: format!("Busy {n}"),
                    admin_email: format!("busy{n}@network.example"),
                    admin_phone: "555 0101".into(),
                    ..Default::default()
                };
                if core
                    .create_account(&AuditContext::unrecorded(), &admin, &form)
                    .await
                    .is_ok()
                {
                    made += 1;
                }
            }
            made
        })
    };
    let file = std::env::temp_dir().join(format!("umbrella-backup-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&file);
    let backup = umbrella(
        &db,
        &["operator", "backup", "--to", file.to_str().unwrap()],
        "",
    );
    assert!(backup.status.success(), "{}", text(&backup.stderr));
    assert!(writer.await.unwrap() > 0);
    // A second backup to the same file is refused, not overwritten.
    let again = umbrella(
        &db,
        &["operator", "backup", "--to", file.to_str().unwrap()],
        "",
    );
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("exists already"));

    let url = format!("sqlite://{}", file.display());
    let copy = umbrella::Umbrella::connect(&url).await.unwrap();
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(copy.db().pool())
        .await
        .unwrap();
    assert_eq!(check, "ok");
    // Consistent: the counters agree with the rows they count.
    let (in_use, counted): (i64, i64) = sqlx::query_as(
        "SELECT organizations.accounts_in_use, (SELECT COUNT(*) FROM accounts \
         WHERE accounts.organization_id = organizations.id AND parent_id IS NOT NULL \
         AND NOT is_template AND status <> 'removed') FROM organizations \
         JOIN accounts ON accounts.organization_id = organizations.id \
         WHERE accounts.name = 'Network'",
    )
    .fetch_one(copy.db().pool())
    .await
    .unwrap();
    assert_eq!(in_use, counted);
    assert!(counted >= 1);
    copy.db().close().await;

    // Serving from the backup works: it is ready and its administrator signs in.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_umbrella"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("DATABASE_URL", &url)
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = server.stdout.take().unwrap();
    let started = std::io::BufRead::lines(std::io::BufReader::new(stdout))
        .map_while(Result::ok)
        .any(|line| line.contains("listening on"));
    assert!(started);
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    std::io::Write::write_all(
        &mut stream,
        b"GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .unwrap();
    let mut answer = String::new();
    std::io::Read::read_to_string(&mut stream, &mut answer).unwrap();
    let _ = server.kill();
    let _ = server.wait();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn postgres_backups_point_to_pg_dump() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let refused = umbrella(&db, &["operator", "backup", "--to", "/tmp/x.db"], "");
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("pg_dump"),
        "{}",
        text(&refused.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operators_create_and_revoke_api_tokens() {
    let db = TestDb::sqlite().await;
    let (admin, account) = network_with_account(&db, "Channel 1", "c1@network.example").await;
    let parent = admin.parent_id().to_string();
    let created = umbrella(
        &db,
        &[
            "operator",
            "create-api-token",
            "--partner-id",
            &parent,
            "--name",
            "Billing",
            "--read-only",
            "--expires-days",
            "7",
        ],
        "",
    );
    assert!(created.status.success(), "{}", text(&created.stderr));
    // Only the token on standard output, for a script to capture.
    let secret = text(&created.stdout).trim().to_owned();
    assert_eq!(secret.len(), 64, "{secret}");
    assert!(text(&created.stderr).contains("Read only, expires"));
    let core = db.umbrella();
    let caller = core
        .api_caller(&umbrella::auth::ApiToken::from_client(&secret))
        .await
        .unwrap();
    assert_eq!(caller.organization_id(), admin.organization_id());
    assert!(caller.writer().is_err(), "--read-only");
    let tokens = core.api_tokens(&admin).await.unwrap();
    assert_eq!(tokens.len(), 1);

    // A child account does not name an organization; a bad expiry is refused.
    let child = umbrella(
        &db,
        &[
            "operator",
            "create-api-token",
            "--partner-id",
            &account.to_string(),
            "--name",
            "X",
        ],
        "",
    );
    assert!(!child.status.success());
    assert!(
        text(&child.stderr).contains("not found"),
        "{}",
        text(&child.stderr)
    );
    let bad = umbrella(
        &db,
        &[
            "operator",
            "create-api-token",
            "--partner-id",
            &parent,
            "--name",
            "Y",
            "--expires-days",
            "0",
        ],
        "",
    );
    assert!(!bad.status.success());
    assert!(
        text(&bad.stderr).contains("expires_days"),
        "{}",
        text(&bad.stderr)
    );

    let id = tokens[0].id.to_string();
    let revoked = umbrella(
        &db,
        &["operator", "revoke-api-token", "--token-id", &id],
        "",
    );
    assert!(revoked.status.success(), "{}", text(&revoked.stderr));
    assert!(
        core.api_caller(&umbrella::auth::ApiToken::from_client(&secret))
            .await
            .is_err()
    );
    // Both commands are in the organization's log, as the operator's.
    let log = core
        .audit_log(&admin, &umbrella::domain::audit::AuditFilter::default())
        .await
        .unwrap();
    let seen: Vec<(&str, &str)> = log
        .entries
        .iter()
        .take(2)
        .map(|e| (e.action.as_str(), e.actor.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("api_token.revoke", "operator"),
            ("api_token.create", "operator")
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operators_list_upgrade_requests_and_set_quota_closes_them() {
    use umbrella::audit::AuditContext;
    use umbrella::domain::upgrade::{UpgradeForm, UpgradeKind};

    let db = TestDb::sqlite().await;
    let (admin, _) = network_with_account(&db, "Channel", "ch@network.example").await;
    let core = db.umbrella();
    let context = AuditContext::new(
        "nia@network.example",
        admin.user_id(),
        Some(admin.organization_id()),
        "192.0.2.1",
    );
    let form = UpgradeForm {
        how_many: "20".into(),
        message: "Ten new channels\tin spring".into(),
    };
    core.request_upgrade(&context, &admin, UpgradeKind::Accounts, &form)
        .await
        .unwrap_err(); // a tab is a control character: refused
    let form = UpgradeForm {
        message: "Ten new channels in spring".into(),
        ..form
    };
    core.request_upgrade(&context, &admin, UpgradeKind::Accounts, &form)
        .await
        .unwrap();

    let listed = umbrella(&db, &["operator", "upgrade-requests"], "");
    assert!(listed.status.success(), "{}", text(&listed.stderr));
    let out = text(&listed.stdout);
    let rows: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
    let parent = admin.parent_id().to_string();
    assert_eq!(rows.len(), 2, "{out}");
    assert_eq!(
        (rows[1][0], rows[1][1], rows[1][2], rows[1][3], rows[1][4]),
        (
            parent.as_str(),
            "Network",
            "accounts",
            "20",
            "nia@network.example"
        ),
        "{out}"
    );
    assert_eq!(rows[1][6], "Ten new channels in spring");

    let set = umbrella(
        &db,
        &[
            "operator",
            "set-quota",
            "--partner-id",
            &parent,
            "--accounts",
            "25",
        ],
        "",
    );
    assert!(set.status.success(), "{}", text(&set.stderr));
    let listed = umbrella(&db, &["operator", "upgrade-requests"], "");
    assert_eq!(
        text(&listed.stdout).lines().count(),
        1,
        "only the header is left"
    );
    let audit = text(&umbrella(&db, &["operator", "audit"], "").stdout);
    assert!(
        audit.contains("Closed the pending request for more accounts"),
        "{audit}"
    );
}
