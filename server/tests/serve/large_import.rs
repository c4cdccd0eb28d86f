//! The largest bundle an import accepts (near the 16 MiB body limit, 10,000
//! categories and entries), imported and listed through the real binary: the import
//! and the category list stay under 150 MiB, every listing and the export under 200.

use std::time::Instant;

use umbrella::testing::TestDb;

use crate::{PASSWORD, Server, organization, post_form, session_cookie, sign_in};

/// A page as the browser asks for it, with the session; the status and the answer.
async fn get_page(address: std::net::SocketAddr, path: &str, cookie: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nAccept: text/html\r\nCookie: {cookie}\r\n\
         Connection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer).into_owned();
    (crate::status_of(&answer).unwrap_or(0), answer)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_largest_bundle_imports_and_lists_its_categories_within_150_mib() {
    let db = TestDb::sqlite().await;
    organization(&db).await;
    let server = Server::start(&db, &[]);
    let (status, answer) = sign_in(server.address, "boss@uni.example", PASSWORD).await;
    assert_eq!(status, 200, "{answer}");
    let cookie = session_cookie(&answer).unwrap();
    let body = format!(
        "bundle={}",
        app::list_params::percent_encode(&umbrella::testing::largest_bundle())
    );
    let mib = body.len() as f64 / (1024.0 * 1024.0);
    assert!((12.0..16.0).contains(&mib), "{mib:.1} MiB: near the limit");
    let before = server.peak_rss_mib();

    let started = Instant::now();
    let (status, answer) =
        post_form(server.address, "/api/import_content", &body, Some(&cookie)).await;
    assert_eq!(
        status,
        200,
        "{}",
        answer
            .split("\r\n\r\n")
            .nth(1)
            .unwrap_or_default()
            .chars()
            .take(800)
            .collect::<String>()
    );
    let imported = started.elapsed();
    let after_import = server.peak_rss_mib();
    let started = Instant::now();
    let mut peaks = Vec::new();
    for function in [
        "console_categories",
        "console_entries",
        "console_playlists",
        "export_content",
    ] {
        let (status, answer) = post_form(
            server.address,
            &format!("/api/{function}"),
            "",
            Some(&cookie),
        )
        .await;
        assert_eq!(
            status,
            200,
            "{function}: {}",
            answer.chars().take(300).collect::<String>()
        );
        assert!(answer.len() > 100_000, "{function} lists it all");
        peaks.push((function, server.peak_rss_mib()));
    }
    // And the console's pages of that account, as a browser asks for them.
    for path in [
        "/console",
        "/console/entries",
        "/console/categories",
        "/console/playlists",
        "/console/bundle",
    ] {
        let (status, answer) = get_page(server.address, path, &cookie).await;
        assert_eq!(
            status,
            200,
            "{path}: {}",
            answer.chars().take(300).collect::<String>()
        );
        peaks.push((path, server.peak_rss_mib()));
    }
    let listed = started.elapsed();
    let peak = server.peak_rss_mib();
    eprintln!(
        "largest bundle ({mib:.1} MiB form-encoded): imported in {imported:?}, listed and \
         exported in {listed:?}; peak RSS {peak} MiB (before: {before} MiB, after the \
         import {after_import} MiB, then {peaks:?})"
    );
    // The case: the import and the category listing, which used to build
    // every category's full path.
    let categories = peaks[0].1;
    assert!(
        categories < 150,
        "import and category list: peak RSS {categories} MiB"
    );
    // Every other whole-account answer too (each is megabytes of JSON, held a few
    // times over while it is encoded); this debug build starts ~25 MiB above the
    // release binary.
    // The target is 200 MiB for the release binary; this debug build starts about
    // 30 MiB above it.
    let limit = if std::env::var_os("UMBRELLA_SERVE_BIN").is_some() {
        200
    } else {
        230
    };
    assert!(peak < limit, "peak RSS {peak} MiB (limit {limit})");
}
