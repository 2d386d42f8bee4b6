//! Installs the tools, each only when missing or at another version, saying what it does.

use anyhow::Context;
use std::path::Path;

use crate::proc::{binaryen_bin, cache_dir, cmd, esbuild_bin, output, run};
use crate::root;

pub const TRUNK_VERSION: &str = "0.21.14";
pub const BINARYEN_VERSION: &str = "132.0.0";
pub const ESBUILD_VERSION: &str = "0.24.2";
pub const PLAYWRIGHT_VERSION: &str = "1.65.1";

/// Debian packages: the browser for every browser test, brotli for the precompressed build,
/// nginx with the brotli_static module and openssl for the deployment tests.
const APT_PACKAGES: [&str; 6] = [
    "chromium",
    "chromium-driver",
    "brotli",
    "nginx",
    "libnginx-mod-http-brotli-static",
    "openssl",
];
/// One file per package above that shows it is installed.
const APT_FILES: [&str; 6] = [
    "/usr/bin/chromium",
    "/usr/bin/chromedriver",
    "/usr/bin/brotli",
    "/usr/sbin/nginx",
    "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so",
    "/usr/bin/openssl",
];

/// The wasm-bindgen version Cargo.lock pins: the CLI must be exactly the same.
pub fn wasm_bindgen_version() -> anyhow::Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).context("Cargo.lock")?;
    let mut lines = lock.lines();
    while let Some(l) = lines.next() {
        if l == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|v| v.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err(anyhow::anyhow!("wasm-bindgen is not in Cargo.lock"))
}

fn have(program: &str, args: &[&str], wanted: &str) -> bool {
    output(cmd(program).args(args)).is_some_and(|v| v.contains(wanted))
}

/// An npm package in its own folder under the cache, checked by running `bin --version`.
fn npm_tool(package: &str, version: &str, bin: &Path, shows: &str) -> anyhow::Result<()> {
    step(
        &format!("{package} (npm {version})"),
        have(bin.to_str().unwrap_or(""), &["--version"], shows),
        || {
            run(cmd("npm")
                .args(["install", "--no-audit", "--no-fund", "--prefix"])
                .arg(cache_dir().join(package))
                .arg(format!("{package}@{version}")))
        },
    )
}

fn step(name: &str, ok: bool, install: impl FnOnce() -> anyhow::Result<()>) -> anyhow::Result<()> {
    if ok {
        println!("setup: {name}: already installed");
        return Ok(());
    }
    println!("setup: installing {name} …");
    let started = std::time::Instant::now();
    install()?;
    println!(
        "setup: {name} installed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

pub fn all() -> anyhow::Result<()> {
    step(
        "rust target wasm32-unknown-unknown",
        have(
            "rustup",
            &["target", "list", "--installed"],
            "wasm32-unknown-unknown",
        ),
        || run(cmd("rustup").args(["target", "add", "wasm32-unknown-unknown"])),
    )?;
    step(
        &format!("trunk {TRUNK_VERSION}"),
        have("trunk", &["--version"], TRUNK_VERSION),
        || run(cmd("cargo").args(["install", "--locked", "trunk", "--version", TRUNK_VERSION])),
    )?;
    let wb = wasm_bindgen_version()?;
    let wb_ok = have("wasm-bindgen", &["--version"], &wb)
        && have("wasm-bindgen-test-runner", &["--version"], &wb);
    // Not --locked: its lock file pins a webpki-roots the registry no longer serves.
    step(&format!("wasm-bindgen-cli {wb}"), wb_ok, || {
        run(cmd("cargo").args(["install", "--force", "wasm-bindgen-cli", "--version", &wb]))
    })?;
    let wasm_opt = binaryen_bin().join("wasm-opt");
    npm_tool("binaryen", BINARYEN_VERSION, &wasm_opt, "version 132")?;
    npm_tool("esbuild", ESBUILD_VERSION, &esbuild_bin(), ESBUILD_VERSION)?;
    let apt_ok = APT_FILES.iter().all(|f| Path::new(f).exists());
    step(
        &format!("{} (apt)", APT_PACKAGES.join(", ")),
        apt_ok,
        || {
            run(cmd("apt-get").args(["update", "-q"]))?;
            run(cmd("apt-get")
                .args(["install", "-y", "-q", "--no-install-recommends"])
                .args(APT_PACKAGES)
                .env("DEBIAN_FRONTEND", "noninteractive"))
        },
    )?;
    let e2e = root().join("e2e");
    let pw = std::fs::read_to_string(e2e.join("node_modules/playwright-core/package.json"))
        .unwrap_or_default();
    let npm_ok = pw.contains(&format!("\"version\": \"{PLAYWRIGHT_VERSION}\""))
        && e2e.join("node_modules/axe-core/axe.min.js").exists()
        && e2e
            .join("node_modules/@cdktf/hcl2json/package.json")
            .exists();
    step(
        &format!("playwright-core {PLAYWRIGHT_VERSION}, axe-core and hcl2json (npm ci, no browser download)"),
        npm_ok,
        || {
            run(cmd("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&e2e)
                .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))
        },
    )?;
    Ok(())
}
