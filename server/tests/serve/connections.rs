//! The connection limits of the real binary: a client that sends half a request is
//! dropped after the header timeout while others are served, and SIGTERM exits
//! within the grace period even with a request that never completes.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use umbrella::testing::TestDb;

use crate::Server;

/// A whole GET; the status line's code.
async fn get(address: SocketAddr, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    (crate::status_of(&answer).unwrap_or(0), answer)
}

/// Waits until the server closes the connection; how long that took.
async fn closed_after(mut stream: TcpStream, started: Instant, limit: Duration) -> Duration {
    let mut buffer = [0u8; 1024];
    loop {
        match tokio::time::timeout_at((started + limit).into(), stream.read(&mut buffer)).await {
            Ok(Ok(0) | Err(_)) => return started.elapsed(),
            // hyper may answer 408 before it closes.
            Ok(Ok(_)) => continue,
            Err(_) => panic!("the connection was still open after {limit:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn half_sent_requests_are_dropped_after_the_header_timeout_while_others_are_served() {
    let db = TestDb::sqlite().await;
    let server = Server::start(&db, &["--header-timeout-seconds", "2"]);
    let started = Instant::now();
    let mut stalled = Vec::new();
    for _ in 0..100 {
        let mut stream = TcpStream::connect(server.address).await.unwrap();
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: stalled.example\r\nX-Slow: ")
            .await
            .unwrap();
        stalled.push(stream);
    }
    // Others are served meanwhile, at once.
    let served = Instant::now();
    let (status, answer) = get(server.address, "/healthz").await;
    assert_eq!(status, 200, "{answer}");
    assert!(
        served.elapsed() < Duration::from_secs(1),
        "{:?}",
        served.elapsed()
    );

    let waits: Vec<_> = stalled
        .into_iter()
        .map(|stream| tokio::spawn(closed_after(stream, started, Duration::from_secs(6))))
        .collect();
    let mut slowest = Duration::ZERO;
    for wait in waits {
        slowest = slowest.max(wait.await.unwrap());
    }
    eprintln!("100 half-sent requests: all dropped within {slowest:?} (header timeout 2 s)");
    assert!(
        slowest >= Duration::from_millis(1900),
        "not before the timeout: {slowest:?}"
    );
    // An idle keep-alive connection is let go after the same time.
    let mut idle = TcpStream::connect(server.address).await.unwrap();
    let request = format!("GET /healthz HTTP/1.1\r\nHost: {}\r\n\r\n", server.address);
    idle.write_all(request.as_bytes()).await.unwrap();
    let kept = Instant::now();
    let held = closed_after(idle, kept, Duration::from_secs(6)).await;
    eprintln!("an idle keep-alive connection was closed after {held:?}");
    assert!(held >= Duration::from_millis(1900), "{held:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_with_a_hung_client_exits_within_the_grace_period() {
    let db = TestDb::sqlite().await;
    let mut server = Server::start(&db, &["--shutdown-grace-seconds", "2"]);
    // A request whose body never comes: its handler waits for it.
    let mut hung = TcpStream::connect(server.address).await.unwrap();
    let head = format!(
        "POST /api/sign_in HTTP/1.1\r\nHost: {0}\r\nOrigin: http://{0}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nemail=",
        server.address
    );
    hung.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;

    let signalled = Instant::now();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    // New connections are no longer accepted once the signal is handled.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        TcpStream::connect(server.address).await.is_err(),
        "the listener closes at once"
    );
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(6),
            "still running {:?} after SIGTERM",
            signalled.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let took = signalled.elapsed();
    eprintln!("SIGTERM with a hung client: exited {status} after {took:?} (grace 2 s)");
    assert!(status.success(), "{status}");
    assert!(
        took >= Duration::from_millis(1900),
        "it waited for the request: {took:?}"
    );
    drop(hung);
}

#[tokio::test]
async fn ready_when_the_database_answers() {
    let db = TestDb::sqlite().await;
    let server = Server::start(&db, &[]);
    let (status, answer) = get(server.address, "/readyz").await;
    assert_eq!(status, 200, "{answer}");
    let (status, _) = get(server.address, "/healthz").await;
    assert_eq!(status, 200);
}
