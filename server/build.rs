//! With the `embed-site` feature: checks that the built site exists (a clear message
//! when it does not), and prepares what the binary embeds — every file of the site,
//! and next to each one that compresses, its Brotli (`.br`) and gzip (`.gz`) forms,
//! made here once at their best settings so that the server never compresses a
//! static file per request.

#[cfg(feature = "embed-site")]
use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
};

/// Files of these kinds are text or WASM and shrink well; images and fonts are
/// compressed already.
#[cfg(feature = "embed-site")]
const COMPRESSIBLE: &[&str] = &["js", "wasm", "css", "svg", "json", "html", "txt", "map"];

#[cfg(not(feature = "embed-site"))]
fn main() {}

#[cfg(feature = "embed-site")]
fn main() {
    println!("cargo:rerun-if-env-changed=LEPTOS_SITE_ROOT");
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let workspace = manifest_dir.parent().map(PathBuf::from).unwrap_or_default();
    let site = std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".to_owned());
    let site = PathBuf::from(site);
    let site = if site.is_absolute() {
        site
    } else {
        workspace.join(site)
    };
    let wasm = site.join("pkg").join("umbrella.wasm");
    if !wasm.exists() {
        fail(&format!(
            "{} is missing; build the front end first (`make build` does it in the right order)",
            wasm.display()
        ));
    }
    println!("cargo:rerun-if-changed={}", site.display());
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("site");
    if out.exists()
        && let Err(e) = fs::remove_dir_all(&out)
    {
        fail(&format!("cannot clear {}: {e}", out.display()));
    }
    if let Err(e) = prepare(&site, &out) {
        fail(&format!("preparing the embedded site failed: {e}"));
    }
    println!("cargo:rustc-env=UMBRELLA_SITE_DIR={}", out.display());
}

#[cfg(feature = "embed-site")]
fn fail(message: &str) -> ! {
    println!("cargo:warning=embed-site: {message}");
    std::process::exit(1);
}

/// Copies `from` into `to`, adding the compressed forms of what compresses.
#[cfg(feature = "embed-site")]
fn prepare(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let source = entry.path();
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            prepare(&source, &target)?;
            continue;
        }
        println!("cargo:rerun-if-changed={}", source.display());
        let bytes = fs::read(&source)?;
        fs::write(&target, &bytes)?;
        let compressible = source
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| COMPRESSIBLE.contains(&e));
        if !compressible {
            continue;
        }
        // A form that is not smaller is not worth a header: the file goes as it is.
        let brotli = brotli_of(&bytes)?;
        if brotli.len() < bytes.len() {
            fs::write(with_suffix(&target, "br"), brotli)?;
        }
        let gzip = gzip_of(&bytes)?;
        if gzip.len() < bytes.len() {
            fs::write(with_suffix(&target, "gz"), gzip)?;
        }
    }
    Ok(())
}

#[cfg(feature = "embed-site")]
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(feature = "embed-site")]
fn brotli_of(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 24,
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out)
}

#[cfg(feature = "embed-site")]
fn gzip_of(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    encoder.finish()
}
