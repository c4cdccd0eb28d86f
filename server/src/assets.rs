//! The site's static files (wasm, js, css, public/). With the `embed-site` feature
//! they are compiled into the binary, with Brotli and gzip forms made at build time
//! (`build.rs`), so it runs alone in an empty directory and never compresses a static
//! file per request; without it (debug builds, tests) they are read from the site
//! directory on disk.
//!
//! Every file is also served under a content-hashed name (`pkg/umbrella.css` as
//! `pkg/umbrella.3f2a9c0d1e2b4a5c.css`) that browsers may keep for a year: a new build
//! has new names, so nobody revalidates or runs a stale front end. The plain name
//! still answers, revalidated, for what refers to a file by its own name (the JS glue
//! imports its snippets by relative path). The front end's JS and WASM share one
//! hash, because Leptos derives both names from one `output_name`.

mod encoding;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use sha2::{Digest, Sha256};

pub use encoding::Encoding;

/// The front end's files, named by `output_name` ("umbrella") in `pkg/`.
const BUNDLE_JS: &str = "pkg/umbrella.js";
const BUNDLE_WASM: &str = "pkg/umbrella.wasm";
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
}

/// The site's files by every name they answer to, built once.
#[derive(Debug, Default)]
pub struct Catalog {
    by_path: HashMap<String, Named>,
    hashed_names: HashMap<String, String>,
}

impl Catalog {
    /// The running binary's catalog.
    pub fn get() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| Catalog::of(source::files(), source::digest))
    }

    fn of(files: Vec<String>, digest: impl Fn(&str) -> Option<[u8; 32]>) -> Catalog {
        let primary: Vec<String> = files
            .into_iter()
            .filter(|f| Encoding::of_suffix(f).is_none())
            .collect();
        let digests: HashMap<&str, [u8; 32]> = primary
            .iter()
            .filter_map(|f| digest(f).map(|d| (f.as_str(), d)))
            .collect();
        // The JS and the WASM share the hash of both.
        let bundle = match (digests.get(BUNDLE_JS), digests.get(BUNDLE_WASM)) {
            (Some(js), Some(wasm)) => {
                let mut both = Sha256::new();
                both.update(js);
                both.update(wasm);
                Some(short_hex(&both.finalize()))
            }
            _ => None,
        };
        let mut catalog = Catalog::default();
        for file in &primary {
            let Some(digest) = digests.get(file.as_str()) else {
                continue;
            };
            let hash = match (file.as_str(), &bundle) {
                (BUNDLE_JS | BUNDLE_WASM, Some(bundle)) => bundle.clone(),
                _ => short_hex(digest),
            };
            let tag = short_hex(digest);
            let hashed = hashed_name(file, &hash);
            catalog.by_path.insert(
                file.clone(),
                Named {
                    file: file.clone(),
                    hashed: false,
                    tag: tag.clone(),
                },
            );
            catalog.by_path.insert(
                hashed.clone(),
                Named {
                    file: file.clone(),
                    hashed: true,
                    tag,
                },
            );
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

    /// Leptos' `output_name` for the front end: "umbrella.<hash>", so that the
    /// hydration script asks for the hashed JS and WASM.
    pub fn bundle_name(&self) -> String {
        self.hashed_names
            .get(BUNDLE_JS)
            .and_then(|name| name.strip_prefix("pkg/"))
            .and_then(|name| name.strip_suffix(".js"))
            .unwrap_or("umbrella")
            .to_owned()
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
    let encoding = Encoding::choose(request_headers, |e| {
        source::read(&e.variant_of(&named.file)).is_some()
    });
    let bytes = source::read(&encoding.variant_of(&named.file))?;
    let has_variants = Encoding::COMPRESSED
        .iter()
        .any(|e| source::read(&e.variant_of(&named.file)).is_some());
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
        let css = catalog.url("pkg/umbrella.css");
        assert!(
            css.starts_with("/pkg/umbrella.") && css.ends_with(".css"),
            "{css}"
        );
        assert_eq!(css.len(), "/pkg/umbrella..css".len() + HASH_CHARS);
        let named = catalog.lookup(&css).expect("the hashed name answers");
        assert!(named.hashed);
        assert_eq!(named.file, "pkg/umbrella.css");
        let plain = catalog
            .lookup("/pkg/umbrella.css")
            .expect("the plain name answers");
        assert!(!plain.hashed);
        // A compressed form is not a file of its own.
        assert!(catalog.lookup("/pkg/umbrella.wasm.br").is_none());
        assert_eq!(catalog.url("nowhere.txt"), "/nowhere.txt");
    }

    #[test]
    fn the_js_and_the_wasm_share_the_bundle_name() {
        let catalog = catalog();
        let bundle = catalog.bundle_name();
        assert!(bundle.starts_with("umbrella."), "{bundle}");
        assert_eq!(catalog.url(BUNDLE_JS), format!("/pkg/{bundle}.js"));
        assert_eq!(catalog.url(BUNDLE_WASM), format!("/pkg/{bundle}.wasm"));
        // Without a built front end, the plain name.
        assert_eq!(Catalog::default().bundle_name(), "umbrella");
    }

    #[test]
    fn a_change_of_content_is_a_change_of_name() {
        let before = catalog();
        let after = Catalog::of(vec!["pkg/umbrella.css".to_owned()], |_| {
            Some(Sha256::digest(b"new rules").into())
        });
        assert_ne!(
            before.url("pkg/umbrella.css"),
            after.url("pkg/umbrella.css")
        );
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
