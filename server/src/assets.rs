//! The site's static files (wasm, js, css, public/). With the `embed-site` feature
//! they are compiled into the binary, with Brotli and gzip forms made at build time
//! (`build.rs`), so it runs alone in an empty directory and never compresses a static
//! file per request; without it (debug builds, tests) they are read from the site
//! directory on disk.
//!
//! Every file is also served under a content-hashed name that browsers may keep for
//! a year: a new build has new names, so nobody revalidates or runs a stale front
//! end. The front end's files (`pkg/`: JS, WASM, the lazily loaded WASM chunks and
//! their loader, CSS) refer to each other by relative paths, and the chunk loader
//! imports the main JS by name, so they move together into one directory named by
//! the hash of them all (`pkg/umbrella.js` as `pkg/3f2a9c0d1e2b4a5c/umbrella.js`):
//! renaming each by its own hash would need their contents rewritten, and the main
//! JS and the loader import each other. Other files (`public/`) are renamed one by
//! one (`favicon.svg` as `favicon.9b1c….svg`). The plain names still answer,
//! revalidated.

mod encoding;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use sha2::{Digest, Sha256};

pub use encoding::Encoding;

/// The front end's directory, `site_pkg_dir` in Leptos' options.
const PKG: &str = "pkg";
/// Hex digits of the content hash in a name: 64 bits.
const HASH_CHARS: usize = 16;
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

#[cfg(feature = "embed-site")]
mod source {
    use std::borrow::Cow;

    #[derive(rust_embed::RustEmbed)]
    #[folder = "$UMBRELLA_SITE_DIR"]
    struct Site;

    pub fn files() -> Vec<String> {
        Site::iter().map(|name| name.into_owned()).collect()
    }

    pub fn read(path: &str) -> Option<Cow<'static, [u8]>> {
        Site::get(path).map(|file| file.data)
    }

    /// Computed when the binary was built.
    pub fn digest(path: &str) -> Option<[u8; 32]> {
        Site::get(path).map(|file| file.metadata.sha256_hash())
    }
}

#[cfg(not(feature = "embed-site"))]
mod source {
    use std::borrow::Cow;
    use std::path::{Path, PathBuf};

    use sha2::{Digest, Sha256};

    /// `LEPTOS_SITE_ROOT` when set (cargo-leptos sets it), else `target/site`.
    fn site_root() -> PathBuf {
        std::env::var("LEPTOS_SITE_ROOT")
            .unwrap_or_else(|_| "target/site".to_owned())
            .into()
    }

    pub fn files() -> Vec<String> {
        let mut found = Vec::new();
        walk(&site_root(), "", &mut found);
        found
    }

    fn walk(dir: &Path, prefix: &str, found: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            let relative = format!("{prefix}{name}");
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => walk(&entry.path(), &format!("{relative}/"), found),
                Ok(_) => found.push(relative),
                Err(_) => {}
            }
        }
    }

    pub fn read(path: &str) -> Option<Cow<'static, [u8]>> {
        std::fs::read(site_root().join(path)).ok().map(Cow::Owned)
    }

    pub fn digest(path: &str) -> Option<[u8; 32]> {
        read(path).map(|bytes| Sha256::digest(&bytes).into())
    }
}

/// Marks a static file's response, so that the compression layer leaves it alone:
/// it is already in the best form the client accepts.
#[derive(Clone, Copy, Debug)]
pub struct StaticFile;

/// What a request path names: a file of the site, and whether the name carries its
/// content's hash (so that it can be cached for good).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Named {
    file: String,
    hashed: bool,
    tag: String,
    /// The compressed forms stored beside the file, known once when the catalog is
    /// built, so that a request reads only the one it is sent.
    compressed: Vec<Encoding>,
}

/// The site's files by every name they answer to, built once.
#[derive(Debug, Default)]
pub struct Catalog {
    by_path: HashMap<String, Named>,
    hashed_names: HashMap<String, String>,
    pkg_dir: Option<String>,
}

impl Catalog {
    /// The running binary's catalog.
    pub fn get() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| Catalog::of(source::files(), source::digest))
    }

    fn of(files: Vec<String>, digest: impl Fn(&str) -> Option<[u8; 32]>) -> Catalog {
        let stored: std::collections::HashSet<String> = files.iter().cloned().collect();
        let mut primary: Vec<(String, [u8; 32])> = files
            .into_iter()
            .filter(|f| Encoding::of_suffix(f).is_none())
            .filter_map(|f| digest(&f).map(|d| (f, d)))
            .collect();
        primary.sort();
        let pkg_prefix = format!("{PKG}/");
        // One hash for the front end's directory: every name and content in it.
        let mut front_end = Sha256::new();
        for (file, digest) in primary.iter().filter(|(f, _)| f.starts_with(&pkg_prefix)) {
            front_end.update(file.as_bytes());
            front_end.update(digest);
        }
        let pkg_hash = short_hex(&front_end.finalize());
        let mut catalog = Catalog::default();
        for (file, digest) in &primary {
            let tag = short_hex(digest);
            let hashed = match file.strip_prefix(&pkg_prefix) {
                Some(rest) => {
                    catalog.pkg_dir = Some(format!("{PKG}/{pkg_hash}"));
                    format!("{PKG}/{pkg_hash}/{rest}")
                }
                None => hashed_name(file, &tag),
            };
            let compressed: Vec<Encoding> = Encoding::COMPRESSED
                .into_iter()
                .filter(|e| stored.contains(&e.variant_of(file)))
                .collect();
            for (path, is_hashed) in [(file.clone(), false), (hashed.clone(), true)] {
                catalog.by_path.insert(
                    path,
                    Named {
                        file: file.clone(),
                        hashed: is_hashed,
                        tag: tag.clone(),
                        compressed: compressed.clone(),
                    },
                );
            }
            catalog.hashed_names.insert(file.clone(), hashed);
        }
        catalog
    }

    /// The URL to put in a page for a site file: its hashed name when the site has
    /// it, else its plain path.
    pub fn url(&self, file: &str) -> String {
        match self.hashed_names.get(file) {
            Some(hashed) => format!("/{hashed}"),
            None => format!("/{file}"),
        }
    }

    /// Leptos' `site_pkg_dir`: the front end's hashed directory, so that the
    /// hydration script asks for the hashed JS and WASM (`pkg` before a build).
    pub fn pkg_dir(&self) -> String {
        self.pkg_dir.clone().unwrap_or_else(|| PKG.to_owned())
    }

    fn lookup(&self, path: &str) -> Option<&Named> {
        self.by_path.get(path.trim_start_matches('/'))
    }
}

/// `pkg/umbrella.css` with hash `h` is `pkg/umbrella.h.css`.
fn hashed_name(file: &str, hash: &str) -> String {
    let (dir, name) = file.rsplit_once('/').unwrap_or(("", file));
    let renamed = match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
        None => format!("{name}.{hash}"),
    };
    if dir.is_empty() {
        renamed
    } else {
        format!("{dir}/{renamed}")
    }
}

fn short_hex(bytes: &[u8]) -> String {
    let mut hex = hex::encode(bytes);
    hex.truncate(HASH_CHARS);
    hex
}

/// Answers a request for a static file, if the path names one: the best encoding
/// the client accepts, cached for good under a hashed name and revalidated under a
/// plain one, `If-None-Match` honoured.
pub fn respond(path: &str, request_headers: &HeaderMap) -> Option<Response> {
    let named = Catalog::get().lookup(path)?;
    let encoding = Encoding::choose(request_headers, |e| named.compressed.contains(&e));
    let bytes = source::read(&encoding.variant_of(&named.file))?;
    let has_variants = !named.compressed.is_empty();
    Some(response(
        named,
        encoding,
        has_variants,
        bytes,
        request_headers,
    ))
}

fn response(
    named: &Named,
    encoding: Encoding,
    has_variants: bool,
    bytes: Cow<'static, [u8]>,
    request_headers: &HeaderMap,
) -> Response {
    let etag = format!("\"{}{}\"", named.tag, encoding.tag_suffix());
    let mime = mime_guess::from_path(&named.file).first_or_octet_stream();
    let cache = if named.hashed { IMMUTABLE } else { "no-cache" };
    let mut builder = Response::builder()
        .header(header::ETAG, &etag)
        .header(header::CACHE_CONTROL, cache);
    if has_variants {
        builder = builder.header(header::VARY, "accept-encoding");
    }
    let not_modified = request_headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|tag| tag.as_bytes() == etag.as_bytes());
    let response = if not_modified {
        builder.status(StatusCode::NOT_MODIFIED).body(Body::empty())
    } else {
        if let Some(name) = encoding.header_value() {
            builder = builder.header(header::CONTENT_ENCODING, name);
        }
        builder
            .header(
                header::CONTENT_TYPE,
                HeaderValue::from_str(mime.as_ref())
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
            )
            .body(Body::from(bytes))
    };
    let mut response = response.unwrap_or_else(|_| {
        let mut fallback = Response::new(Body::empty());
        *fallback.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        fallback
    });
    response.extensions_mut().insert(StaticFile);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest_of(file: &str) -> Option<[u8; 32]> {
        Some(Sha256::digest(file.as_bytes()).into())
    }

    fn catalog() -> Catalog {
        Catalog::of(
            [
                "pkg/umbrella.js",
                "pkg/umbrella.wasm",
                "pkg/umbrella.wasm.br",
                "pkg/umbrella.css",
                "pkg/chunk_1.wasm",
                "favicon.svg",
            ]
            .map(str::to_owned)
            .to_vec(),
            digest_of,
        )
    }

    #[test]
    fn files_get_hashed_names_and_keep_their_plain_ones() {
        let catalog = catalog();
        let icon = catalog.url("favicon.svg");
        assert!(
            icon.starts_with("/favicon.") && icon.ends_with(".svg"),
            "{icon}"
        );
        assert_eq!(icon.len(), "/favicon..svg".len() + HASH_CHARS);
        let named = catalog.lookup(&icon).expect("the hashed name answers");
        assert!(named.hashed);
        assert_eq!(named.file, "favicon.svg");
        let plain = catalog
            .lookup("/favicon.svg")
            .expect("the plain name answers");
        assert!(!plain.hashed);
        // A compressed form is not a file of its own, but its file knows of it.
        assert!(catalog.lookup("/pkg/umbrella.wasm.br").is_none());
        let wasm = catalog.lookup("/pkg/umbrella.wasm").expect("the WASM");
        assert_eq!(wasm.compressed, vec![Encoding::Brotli]);
        assert!(plain.compressed.is_empty());
        assert_eq!(catalog.url("nowhere.txt"), "/nowhere.txt");
    }

    #[test]
    fn the_front_end_moves_together_into_its_hashed_directory() {
        let catalog = catalog();
        let dir = catalog.pkg_dir();
        assert!(
            dir.starts_with("pkg/") && dir.len() == "pkg/".len() + HASH_CHARS,
            "{dir}"
        );
        for file in [
            "umbrella.js",
            "umbrella.wasm",
            "umbrella.css",
            "chunk_1.wasm",
        ] {
            let url = catalog.url(&format!("pkg/{file}"));
            assert_eq!(url, format!("/{dir}/{file}"));
            let named = catalog.lookup(&url).expect("the hashed path answers");
            assert!(named.hashed);
            assert_eq!(named.file, format!("pkg/{file}"));
        }
        // Without a built front end, the plain directory.
        assert_eq!(Catalog::default().pkg_dir(), "pkg");
    }

    #[test]
    fn a_change_of_content_is_a_change_of_name() {
        let before = catalog();
        let after = Catalog::of(
            vec!["pkg/umbrella.css".to_owned(), "favicon.svg".to_owned()],
            |_| Some(Sha256::digest(b"new rules").into()),
        );
        assert_ne!(before.pkg_dir(), after.pkg_dir());
        assert_ne!(before.url("favicon.svg"), after.url("favicon.svg"));
        assert!(before.lookup(&after.url("pkg/umbrella.css")).is_none());
    }

    #[test]
    fn paths_that_leave_the_site_are_refused() {
        let catalog = catalog();
        for path in [
            "/",
            "/../pkg/umbrella.css",
            "/pkg/../favicon.svg",
            "/pkg//umbrella.js",
            "/pkg/",
        ] {
            assert!(catalog.lookup(path).is_none(), "{path}");
        }
    }

    #[test]
    fn hashed_names_keep_the_extension_last() {
        assert_eq!(hashed_name("favicon.svg", "ab"), "favicon.ab.svg");
        assert_eq!(hashed_name("pkg/a.b.js", "ab"), "pkg/a.b.ab.js");
        assert_eq!(hashed_name("LICENSE", "ab"), "LICENSE.ab");
    }
}
