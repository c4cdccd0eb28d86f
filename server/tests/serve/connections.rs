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
    // All from one address: lift the per-client cap, which would close most at once.
    let server = Server::start(
        &db,
        &[
            "--header-timeout-seconds",
            "2",
            "--max-connections-per-client",
            "1000",
        ],
    );
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

/// A connection from `local` (a loopback address of its own) whose receive buffer is
/// as small as the kernel allows, so the server's answers back up at once.
async fn connect_from(
    local: &str,
    server: SocketAddr,
    receive_buffer: u32,
) -> std::io::Result<TcpStream> {
    let socket = tokio::net::TcpSocket::new_v4()?;
    socket.set_recv_buffer_size(receive_buffer)?;
    socket.bind(format!("{local}:0").parse().unwrap())?;
    socket.connect(server).await
}

/// `/healthz` from `local`: whether it was answered 200, and how long that took.
async fn healthz_from(local: &str, server: SocketAddr) -> (bool, Duration) {
    let started = Instant::now();
    let answered = async {
        let mut stream = connect_from(local, server, 65_536).await.ok()?;
        let request =
            format!("GET /healthz HTTP/1.1\r\nHost: {server}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.ok()?;
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.ok()?;
        Some(crate::status_of(&answer) == Some(200))
    };
    let ok = tokio::time::timeout(Duration::from_secs(5), answered)
        .await
        .ok()
        .flatten()
        .unwrap_or(false);
    (ok, started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn clients_that_never_read_cannot_shut_others_out() {
    let db = TestDb::sqlite().await;
    let server = Server::start(
        &db,
        &[
            "--write-timeout-seconds",
            "6",
            "--max-connections-per-client",
            "64",
        ],
    );
    // Each asks for the 60 KB document 200 times over and reads none of it: 12 MB
    // of answers per connection, far beyond what the kernel's buffers hold.
    let pipelined = format!(
        "GET /api/v1/openapi.json HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.address
    )
    .repeat(200);
    let mut hogs = Vec::new();
    let flooding = Instant::now();
    for _ in 0..1_100 {
        let Ok(mut stream) = connect_from("127.0.0.1", server.address, 2_048).await else {
            continue;
        };
        // Refused connections are closed at once; their write may fail.
        let _ = stream.write_all(pipelined.as_bytes()).await;
        hogs.push(stream);
    }
    assert!(hogs.len() > 1_000, "{} connections made", hogs.len());
    let flooded = Instant::now();
    eprintln!("1,100 connections made in {:?}", flooding.elapsed());
    // Another address is served throughout, each answer within a second.
    let mut slowest = Duration::ZERO;
    while flooded.elapsed() < Duration::from_secs(2) {
        let (ok, took) = healthz_from("127.0.0.2", server.address).await;
        assert!(
            ok && took < Duration::from_secs(1),
            "127.0.0.2 waited {took:?} (answered: {ok})"
        );
        slowest = slowest.max(took);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The flooding address itself is at its cap: a 1,101st connection is closed unanswered.
    let (ok, _) = healthz_from("127.0.0.1", server.address).await;
    assert!(!ok, "a client past its connection cap is not served");
    // Answers that make no progress are dropped after the write timeout, and with
    // them the client's places.
    let mut freed = None;
    while flooded.elapsed() < Duration::from_secs(15) {
        if healthz_from("127.0.0.1", server.address).await.0 {
            freed = Some(flooded.elapsed());
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let freed = freed.expect("the stalled answers were dropped within 15 s");
    let peak = server.peak_rss_mib();
    eprintln!(
        "1,100 never-reading connections: another address answered within {slowest:?} \
         throughout; the flooder's places came back after {freed:?} (write timeout 6 s); \
         peak RSS {peak} MiB"
    );
    // The first connections stalled as the flood began, `flood_took` before its end.
    let flood_took = flooded.duration_since(flooding);
    assert!(
        freed + flood_took >= Duration::from_secs(5),
        "not before the timeout: {freed:?} after a flood of {flood_took:?}"
    );
    assert!(peak < 200, "memory stays bounded: {peak} MiB");
    drop(hogs);
}
