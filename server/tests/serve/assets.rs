//! Static files from the real binary: content-hashed names cached for good, the
//! compressed form made ahead of time chosen by `Accept-Encoding`, and nothing
//! compressed per request. The site is a small one the test writes, read from disk
//! as a debug build does; the release build embeds the same files and forms.

use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use umbrella::testing::TestDb;

use crate::Server;

/// A GET with extra header lines; the status, the header block (lower-cased) and
/// the body's bytes.
async fn get(address: SocketAddr, path: &str, headers: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(address).await.unwrap();
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: {address}\r\n{headers}Connection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8_lossy(&answer[..split]).to_lowercase();
    let body = answer[split + 4..].to_vec();
    (crate::status_of(&head).unwrap_or(0), head, body)
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines()
        .find_map(|line| line.strip_prefix(&format!("{name}: ")))
        .map(str::trim)
}

/// `href="…"` or `src="…"` values in a page that start with `prefix`.
fn links<'a>(page: &'a str, prefix: &str) -> Vec<&'a str> {
    page.split('"')
        .filter(|part| part.starts_with(prefix))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn static_files_are_hashed_precompressed_and_cached_for_good() {
    let site = tempfile_dir();
    let pkg = site.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    let css = "body { color: black; }\n".repeat(200);
    std::fs::write(pkg.join("umbrella.css"), &css).unwrap();
    std::fs::write(pkg.join("umbrella.js"), "export default function () {}\n").unwrap();
    std::fs::write(pkg.join("umbrella.wasm"), b"\0asm\x01\0\0\0").unwrap();
    // A Brotli form, as the build makes it (the bytes only need to be told apart).
    std::fs::write(pkg.join("umbrella.css.br"), b"brotli form").unwrap();
    std::fs::write(
        site.join("favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();

    let db = TestDb::sqlite().await;
    let site_root = site.to_str().unwrap();
    let server = Server::start_with_env(&db, &[], &[("LEPTOS_SITE_ROOT", site_root)]);
    let address = server.address;

    // The page names every file by its hashed name; the page itself is not stored.
    // (Not the sign-in page: it loads no code.)
    let (status, head, page) = get(address, "/activate?token=abc", "").await;
    assert_eq!(status, 200);
    assert_eq!(header(&head, "cache-control"), Some("no-store"));
    let page = String::from_utf8(page).unwrap();
    let front_end = links(&page, "/pkg/");
    let stylesheet = front_end
        .iter()
        .find(|l| l.ends_with("/umbrella.css"))
        .expect("a stylesheet in the front end's directory");
    let dir = stylesheet.trim_end_matches("/umbrella.css");
    assert_ne!(dir, "/pkg", "the directory is named by a hash");
    assert!(
        front_end.contains(&format!("{dir}/umbrella.js").as_str()),
        "{front_end:?}"
    );
    // Leptos names the WASM `umbrella_bg.wasm` unless cargo-leptos built it (as
    // for the release binary): the hashed directory holds it either way.
    assert!(
        front_end
            .iter()
            .any(|l| l.starts_with(dir) && l.ends_with(".wasm")),
        "{front_end:?}"
    );
    let icon = links(&page, "/favicon.");
    assert!(
        icon.iter()
            .any(|l| l.ends_with(".svg") && *l != "/favicon.svg"),
        "{icon:?}"
    );

    // A browser gets the Brotli form, cached for a year.
    let browser = "Accept-Encoding: gzip, deflate, br, zstd\r\n";
    let (status, head, body) = get(address, stylesheet, browser).await;
    assert_eq!(status, 200);
    assert_eq!(header(&head, "content-encoding"), Some("br"));
    assert_eq!(header(&head, "content-type"), Some("text/css"));
    assert_eq!(
        header(&head, "cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(header(&head, "vary"), Some("accept-encoding"));
    assert_eq!(body, b"brotli form");
    let etag = header(&head, "etag").unwrap().to_owned();

    // Asked again with its tag: nothing to send.
    let (status, _, body) = get(
        address,
        stylesheet,
        &format!("{browser}If-None-Match: {etag}\r\n"),
    )
    .await;
    assert_eq!(status, 304);
    assert!(body.is_empty());

    // Without a stored gzip form, a gzip-only client gets the file as it is: the
    // server does not compress static files per request.
    let (status, head, body) = get(address, stylesheet, "Accept-Encoding: gzip\r\n").await;
    assert_eq!(status, 200);
    assert_eq!(header(&head, "content-encoding"), None);
    assert_eq!(body, css.as_bytes());
    assert_ne!(header(&head, "etag").unwrap(), etag);

    // The plain name still answers, revalidated each time.
    let (status, head, _) = get(address, "/pkg/umbrella.css", browser).await;
    assert_eq!(status, 200);
    assert_eq!(header(&head, "cache-control"), Some("no-cache"));

    // A stale hash names nothing.
    let (status, _, _) = get(address, "/pkg/0000000000000000/umbrella.css", browser).await;
    assert_eq!(status, 404);
    drop(server);
    let _ = std::fs::remove_dir_all(&site);
}

/// A fresh directory under the system's temporary one (one test per process).
fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("umbrella-site-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
