//! `umbrella serve` as the real binary, over real TCP: what a flood of sign-ins
//! costs it. Password hashing is bounded, so memory stays flat and a real person
//! still gets in.

// The whole crate is tests: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use umbrella::audit::AuditContext;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use umbrella::domain::{PartnerId, Password};
use umbrella::operator::OrganizationForm;
use umbrella::testing::TestDb;

mod assets;
mod bulk_resume;
mod connections;
mod crash;
mod large_import;
mod two_servers;

pub(crate) const PASSWORD: &str = "a long enough password";

/// A port nothing listens on right now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The server process, stopped when the test ends however it ends.
pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) address: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(db: &TestDb, extra: &[&str]) -> Self {
        Self::start_with_env(db, extra, &[])
    }

    fn start_with_env(db: &TestDb, extra: &[&str], env: &[(&str, &str)]) -> Self {
        let port = free_port();
        let address: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        // UMBRELLA_SERVE_BIN measures another build, e.g. the release binary.
        let binary = std::env::var("UMBRELLA_SERVE_BIN")
            .ok()
            .filter(|path| !path.is_empty())
            .unwrap_or_else(|| env!("CARGO_BIN_EXE_umbrella").to_owned());
        let mut child = Command::new(binary)
            .args(["serve", "--listen", &address.to_string()])
            .args(extra)
            .env("DATABASE_URL", db.url())
            .env("RUST_LOG", "error")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        loop {
            let line = lines
                .next()
                .expect("the server said where it listens")
                .unwrap();
            if line.contains("listening on") {
                break;
            }
        }
        Self { child, address }
    }

    /// The most memory the process has held so far (VmHWM), in MiB.
    pub(crate) fn peak_rss_mib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let kib: u64 = status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .expect("VmHWM in /proc/<pid>/status");
        kib / 1024
    }
}

/// One HTTP/1.1 sign-in as a browser's page sends it; the status and the whole answer.
pub(crate) async fn sign_in(address: SocketAddr, email: &str, password: &str) -> (u16, String) {
    let body = format!(
        "email={}&password={}",
        email.replace('@', "%40"),
        password.replace(' ', "+")
    );
    post_form(address, "/api/sign_in", &body, None).await
}

/// A form-encoded POST from one of the server's own pages, with a cookie if given;
/// the status and the whole answer.
pub(crate) async fn post_form(
    address: SocketAddr,
    path: &str,
    body: &str,
    cookie: Option<&str>,
) -> (u16, String) {
    let cookie = cookie.map_or(String::new(), |c| format!("Cookie: {c}\r\n"));
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nOrigin: http://{address}\r\n{cookie}\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    (status_of(&answer).unwrap_or(0), answer)
}

/// The status code of a raw HTTP answer.
pub(crate) fn status_of(answer: &str) -> Option<u16> {
    answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
}

/// The `name=value` of the session cookie an answer sets.
pub(crate) fn session_cookie(answer: &str) -> Option<String> {
    answer
        .lines()
        .filter(|line| line.to_ascii_lowercase().starts_with("set-cookie:"))
        .filter_map(|line| line.split_once(':').map(|(_, v)| v.trim()))
        .find(|v| v.starts_with("umbrella_session="))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}

pub(crate) async fn organization(db: &TestDb) {
    organization_with_quota(db, 5).await;
}

/// "Uni", administered by boss@uni.example; its parent account's Partner ID.
pub(crate) async fn organization_with_quota(db: &TestDb, account_quota: i64) -> PartnerId {
    db.umbrella()
        .create_organization(
            &AuditContext::unrecorded(),
            &OrganizationForm {
                name: "Uni".to_owned(),
                admin_name: "Pat Parent".to_owned(),
                admin_email: "boss@uni.example".to_owned(),
                admin_phone: "+1 555 0100".to_owned(),
                account_quota,
                user_quota: 3,
            },
            Password::parse_new(PASSWORD.to_owned()).unwrap(),
        )
        .await
        .unwrap()
}

/// Sends `count` sign-ins with unknown emails at once; their statuses and answers.
async fn flood(address: SocketAddr, count: usize, tag: &str) -> Vec<(u16, String)> {
    let calls: Vec<_> = (0..count)
        .map(|n| {
            let email = format!("{tag}{n}@nowhere.example");
            tokio::spawn(async move { sign_in(address, &email, "some guess or other").await })
        })
        .collect();
    let mut answers = Vec::new();
    for call in calls {
        answers.push(call.await.unwrap());
    }
    answers
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_flood_of_sign_ins_keeps_memory_bounded_and_lets_a_person_in() {
    let db = TestDb::sqlite().await;
    organization(&db).await;
    // The per-address limit would stop this flood first: lift it to see the hashing bound.
    // And the per-client connection cap, which would close most of 240 at once.
    let server = Server::start(
        &db,
        &[
            "--attempts-per-minute",
            "100000",
            "--max-connections-per-client",
            "1000",
        ],
    );
    let before = server.peak_rss_mib();

    let attackers = tokio::spawn(flood(server.address, 64, "flood"));
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (status, answer) = sign_in(server.address, "boss@uni.example", PASSWORD).await;
    assert_eq!(status, 200, "the real user signs in meanwhile: {answer}");
    assert!(answer.contains("umbrella_session="), "{answer}");
    let answers = attackers.await.unwrap();
    assert!(
        answers.iter().all(|(status, _)| *status == 401),
        "64 wait their turn: {:?}",
        answers.iter().map(|(s, _)| s).collect::<Vec<_>>()
    );
    let peak = server.peak_rss_mib();
    eprintln!("64 concurrent sign-ins: peak RSS {peak} MiB (before: {before} MiB)");
    assert!(peak < 200, "peak RSS {peak} MiB");

    // Far past the queue, the rest are told to come back instead of piling up.
    let answers = flood(server.address, 240, "wave").await;
    let busy: Vec<_> = answers
        .iter()
        .filter(|(status, _)| *status == 503)
        .collect();
    assert!(!busy.is_empty(), "some of 240 at once find the queue full");
    assert!(
        answers
            .iter()
            .all(|(status, _)| matches!(status, 401 | 503))
    );
    for (_, answer) in &busy {
        assert!(
            answer.contains("The server is busy. Please try again in a moment."),
            "{answer}"
        );
        assert!(
            answer.to_ascii_lowercase().contains("retry-after: 1"),
            "{answer}"
        );
    }
    let peak = server.peak_rss_mib();
    eprintln!(
        "240 concurrent sign-ins: {} busy, peak RSS {peak} MiB",
        busy.len()
    );
    assert!(peak < 200, "peak RSS {peak} MiB");
}

#[tokio::test]
async fn serving_beyond_loopback_without_secure_cookies_warns_at_start() {
    let db = TestDb::sqlite().await;
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_umbrella"))
        .args(["serve", "--listen", &format!("0.0.0.0:{port}")])
        .env("DATABASE_URL", db.url())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let started = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .any(|line| line.contains("listening on"));
    assert!(started);
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(log.contains("without --secure-cookies"), "{log}");
    assert!(log.contains("no --public-url"), "{log}");
}
