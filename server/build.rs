//! With the `embed-site` feature, tells the compiler where the built site is, and
//! fails early with a clear message when it has not been built yet.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-env-changed=LEPTOS_SITE_ROOT");
    println!("cargo:rerun-if-env-changed=CARGO_FEATURE_EMBED_SITE");
    if std::env::var_os("CARGO_FEATURE_EMBED_SITE").is_none() {
        return;
    }
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
        println!(
            "cargo:warning=embed-site: {} is missing; build the front end first \
             (`make build` does it in the right order)",
            wasm.display()
        );
        std::process::exit(1);
    }
    println!("cargo:rerun-if-changed={}", site.display());
    println!("cargo:rustc-env=UMBRELLA_SITE_DIR={}", site.display());
}
