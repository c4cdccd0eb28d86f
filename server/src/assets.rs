//! The site's static files (wasm, js, css, public/). With the `embed-site` feature
//! they are compiled into the binary, so it runs alone in an empty directory;
//! without it (debug builds, tests) they are read from the site directory on disk.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;

/// A static file, ready to send.
pub struct Asset {
    pub bytes: std::borrow::Cow<'static, [u8]>,
    pub etag: String,
}

#[cfg(feature = "embed-site")]
mod source {
    use super::Asset;

    #[derive(rust_embed::RustEmbed)]
    #[folder = "$UMBRELLA_SITE_DIR"]
    struct Site;

    pub fn find(path: &str) -> Option<Asset> {
        let file = Site::get(path)?;
        Some(Asset {
            etag: format!("\"{}\"", hex(&file.metadata.sha256_hash())),
            bytes: file.data,
        })
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(not(feature = "embed-site"))]
mod source {
    use super::Asset;

    /// `LEPTOS_SITE_ROOT` when set (cargo-leptos sets it), else `target/site`.
    fn site_root() -> std::path::PathBuf {
        std::env::var("LEPTOS_SITE_ROOT")
            .unwrap_or_else(|_| "target/site".to_owned())
            .into()
    }

    pub fn find(path: &str) -> Option<Asset> {
        let bytes = std::fs::read(site_root().join(path)).ok()?;
        let modified = std::fs::metadata(site_root().join(path))
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_millis())
            .unwrap_or_default();
        Some(Asset {
            etag: format!("\"{modified:x}-{:x}\"", bytes.len()),
            bytes: bytes.into(),
        })
    }
}

/// The file at a request path, if the site has one. Paths that climb out of the
/// site (`..`) or name a directory are never served.
pub fn lookup(path: &str) -> Option<Asset> {
    let relative = path.trim_start_matches('/');
    if relative.is_empty()
        || relative.ends_with('/')
        || relative
            .split('/')
            .any(|part| part == ".." || part == "." || part.is_empty())
    {
        return None;
    }
    source::find(relative)
}

/// Answers a request for a static file, honouring `If-None-Match`.
pub fn respond(path: &str, asset: Asset, request_headers: &HeaderMap) -> Response {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let builder = Response::builder()
        .header(header::ETAG, &asset.etag)
        // Names are not content-hashed: let browsers keep a copy but revalidate it.
        .header(header::CACHE_CONTROL, "no-cache");
    let not_modified = request_headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|tag| tag.as_bytes() == asset.etag.as_bytes());
    let response = if not_modified {
        builder.status(StatusCode::NOT_MODIFIED).body(Body::empty())
    } else {
        builder
            .header(
                header::CONTENT_TYPE,
                HeaderValue::from_str(mime.as_ref())
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
            )
            .body(Body::from(asset.bytes))
    };
    response.unwrap_or_else(|_| {
        let mut fallback = Response::new(Body::empty());
        *fallback.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        fallback
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_site_are_refused() {
        for path in [
            "/",
            "/../Cargo.toml",
            "/pkg/../../etc/passwd",
            "/pkg//x",
            "/pkg/",
        ] {
            assert!(lookup(path).is_none(), "{path}");
        }
    }
}
