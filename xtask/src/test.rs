//! `cargo xtask test`: every layer, in order, each against its own fresh server.

use anyhow::Context;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use std::cell::Cell;

use crate::proc::{cmd, port_free, run, run_counted, spawn, wait_port, Counts, Server};
use crate::{build, root, setup};

pub const E2E_PORT: u16 = 18090;
pub const E2E_BIG_PORT: u16 = 18091;
pub const E2E_SUBPATH_PORT: u16 = 18094;
pub const UNIT_PORT: u16 = 18081;
pub const OS_CONSOLE_PORT: u16 = 18092;
pub const MATRIX_PORT: u16 = 18096;
/// What a first visit may download (brotli): a guard against growth. It stands at today's
/// size plus a little; the goal is well below (see docs/size.md).
pub const SIZE_BUDGET_BYTES: u64 = 356_900;
pub const EMBED_PORTAL_PORT: u16 = 18097;
pub const EMBED_CONSOLE_PORT: u16 = 18098;
pub const EMBED_FOREIGN_PORT: u16 = 18099;
pub const EMBED_FALLBACK_PORT: u16 = 18100;

pub fn logs_dir() -> PathBuf {
    let d = root().join("target/test-logs");
    let _ = std::fs::create_dir_all(&d);
    d
}

/// Builds the sandbox binary; returns its path.
pub fn build_sandbox() -> anyhow::Result<PathBuf> {
    run(cmd("cargo")
        .args(["build", "--quiet", "-p", "ims-sandbox"])
        .current_dir(root()))?;
    Ok(root().join("target/debug/ims-sandbox"))
}

pub fn sandbox(port: u16, extra: &[&str]) -> anyhow::Result<Server> {
    if !port_free(port) {
        return Err(anyhow::anyhow!(
            "port {port} is busy: stop what runs there and try again"
        ));
    }
    let bin = build_sandbox()?;
    let mut c = cmd(bin.to_str().unwrap_or("ims-sandbox"));
    c.args(["--port", &port.to_string()]).args(extra);
    let s = spawn(
        "sandbox",
        &mut c,
        &logs_dir().join(format!("sandbox-{port}.log")),
    )?;
    wait_port(port, Duration::from_secs(20))?;
    Ok(s)
}

/// Plain static files on another origin (the example portal), with Python's own server:
/// no headers of the console's, as a portal would have its own.
pub fn static_server(port: u16, dir: &std::path::Path) -> anyhow::Result<Server> {
    if !port_free(port) {
        return Err(anyhow::anyhow!(
            "port {port} is busy: stop what runs there and try again"
        ));
    }
    let mut c = cmd("python3");
    c.args([
        "-m",
        "http.server",
        &port.to_string(),
        "--bind",
        "127.0.0.1",
        "--directory",
    ])
    .arg(dir);
    let s = spawn(
        "static server",
        &mut c,
        &logs_dir().join(format!("static-{port}.log")),
    )?;
    wait_port(port, Duration::from_secs(20))?;
    Ok(s)
}

fn layer(name: &str, f: impl FnOnce() -> anyhow::Result<()>) -> anyhow::Result<()> {
    println!("\n==== {name} ====");
    let started = Instant::now();
    let r = f();
    println!(
        "==== {name}: {} in {:.1} s ====",
        if r.is_ok() { "passed" } else { "FAILED" },
        started.elapsed().as_secs_f64()
    );
    r
}

thread_local! {
    /// Every runner's counts, for the closing line.
    pub static TOTAL: Cell<Counts> = const { Cell::new(Counts { passed: 0, failed: 0 }) };
}

pub fn counted(c: &mut std::process::Command) -> anyhow::Result<()> {
    TOTAL.with(|t| run_counted(c, t))
}

pub fn all(skip_openstack: bool, only: Option<Layer>) -> anyhow::Result<()> {
    let started = Instant::now();
    let result = run_layers(skip_openstack, only);
    println!(
        "\ntest layers took {:.0} s",
        started.elapsed().as_secs_f64()
    );
    let t = TOTAL.with(Cell::get);
    // The plain closing line CI reads: every test of every layer.
    println!("tests: {} passed, {} failed", t.passed, t.failed);
    result
}

/// The layers, for `--only` while working on one of them.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Layer {
    Native,
    /// Huawei's Python SDK for IMS against the sandbox.
    Sdk,
    Browser,
    E2e,
    Nginx,
    Openstack,
}

fn run_layers(skip_openstack: bool, only: Option<Layer>) -> anyhow::Result<()> {
    let want = |l: Layer| only.is_none_or(|o| o == l);
    layer("setup", setup::all)?;
    if want(Layer::Native) {
        layer("1. native tests (cargo test --workspace)", || {
            counted(
                cmd("cargo")
                    .args(["test", "--workspace"])
                    .current_dir(root()),
            )
        })?;
    }
    if want(Layer::Sdk) {
        layer(
            "1b. the vendor's SDK (huaweicloudsdkims) against the sandbox",
            crate::sdk::layer,
        )?;
    }
    if want(Layer::Browser) || want(Layer::E2e) {
        layer("release build", build)?;
        layer("size budget of the first load", || {
            crate::sizes::check_budget(&root().join("dist"), SIZE_BUDGET_BYTES)
        })?;
    }
    if want(Layer::Browser) {
        layer(
            "2. browser unit tests (wasm-bindgen-test, headless Chromium)",
            browser_unit,
        )?;
    }
    let dist = root().join("dist");
    if want(Layer::E2e) {
        layer(
            "3. end-to-end against the sandbox (playwright-core, headless Chromium)",
            || {
                // The image endpoint comes from the catalog, so a project's region picks it.
                let config = logs_dir().join("e2e-config.json");
                let text = r#"{"iam_url": "", "ims_url": "", "flavor": "auto", "region": "sandbox-1", "default_domain": "Default", "member_kinds": ["project", "domain", "organization"]}"#;
                std::fs::write(&config, text)
                    .with_context(|| format!("cannot write {}", config.display()))?;
                let _main = sandbox(
                    E2E_PORT,
                    &[
                        "--dist",
                        dist.to_str().unwrap_or("dist"),
                        "--config",
                        config.to_str().unwrap_or(""),
                        "--job-delay-ms",
                        "300..700",
                    ],
                )?;
                let _big = sandbox(
                    E2E_BIG_PORT,
                    &[
                        "--dist",
                        dist.to_str().unwrap_or("dist"),
                        "--images",
                        "5000",
                    ],
                )?;
                let sub = subpath_build()?;
                let _sub = sandbox(E2E_SUBPATH_PORT, &["--dist", sub.to_str().unwrap_or("")])?;
                node_tests(
                    "tests/",
                    &[
                        ("E2E_BASE", format!("http://127.0.0.1:{E2E_PORT}")),
                        ("E2E_BIG_BASE", format!("http://127.0.0.1:{E2E_BIG_PORT}")),
                        (
                            "E2E_SUBPATH_BASE",
                            format!("http://127.0.0.1:{E2E_SUBPATH_PORT}/console"),
                        ),
                    ],
                )
            },
        )?;
        layer(
            "3b. the fault matrix (every call family x every failure)",
            || {
                let config = logs_dir().join("matrix-config.json");
                let text = r#"{"iam_url": "", "ims_url": "/", "flavor": "ims", "default_domain": "Default", "request_timeout_s": 3}"#;
                std::fs::write(&config, text)
                    .with_context(|| format!("cannot write {}", config.display()))?;
                let _s = sandbox(
                    MATRIX_PORT,
                    &[
                        "--dist",
                        dist.to_str().unwrap_or("dist"),
                        "--config",
                        config.to_str().unwrap_or(""),
                        "--job-delay-ms",
                        "200..400",
                    ],
                )?;
                node_tests(
                    "matrix/",
                    &[("E2E_BASE", format!("http://127.0.0.1:{MATRIX_PORT}"))],
                )
            },
        )?;
        layer("3c. embedded in a portal on another origin", || {
            let portal = format!("http://127.0.0.1:{EMBED_PORTAL_PORT}");
            let config = logs_dir().join("embed-config.json");
            let text = format!(
                r#"{{"iam_url": "", "ims_url": "/", "flavor": "ims", "default_domain": "Default", "embed": {{"allowed_origins": ["{portal}"]}}}}"#
            );
            std::fs::write(&config, text)
                .with_context(|| format!("cannot write {}", config.display()))?;
            let _console = sandbox(
                EMBED_CONSOLE_PORT,
                &[
                    "--dist",
                    dist.to_str().unwrap_or("dist"),
                    "--config",
                    config.to_str().unwrap_or(""),
                    "--cors-origin",
                    &portal,
                    "--job-delay-ms",
                    "200..400",
                ],
            )?;
            // The same, keeping the console's own sign-in as a fallback.
            let fallback = logs_dir().join("embed-fallback-config.json");
            let text = format!(
                r#"{{"iam_url": "", "ims_url": "/", "flavor": "ims", "default_domain": "Default", "embed": {{"allowed_origins": ["{portal}"], "sign_in": true}}}}"#
            );
            std::fs::write(&fallback, text)
                .with_context(|| format!("cannot write {}", fallback.display()))?;
            let _fallback = sandbox(
                EMBED_FALLBACK_PORT,
                &[
                    "--dist",
                    dist.to_str().unwrap_or("dist"),
                    "--config",
                    fallback.to_str().unwrap_or(""),
                    "--cors-origin",
                    &portal,
                ],
            )?;
            let _portal = static_server(EMBED_PORTAL_PORT, &root().join("e2e/portal"))?;
            let _foreign = static_server(EMBED_FOREIGN_PORT, &root().join("e2e/portal"))?;
            node_tests(
                "embed/",
                &[
                    ("E2E_BASE", format!("http://127.0.0.1:{EMBED_CONSOLE_PORT}")),
                    ("PORTAL_BASE", portal.clone()),
                    (
                        "FOREIGN_BASE",
                        format!("http://127.0.0.1:{EMBED_FOREIGN_PORT}"),
                    ),
                    (
                        "FALLBACK_BASE",
                        format!("http://127.0.0.1:{EMBED_FALLBACK_PORT}"),
                    ),
                ],
            )
        })?;
    }
    if want(Layer::Nginx) {
        layer(
            "4. the shipped nginx config: TLS, HTTP/2, headers, journeys (real nginx)",
            crate::deploy_layer::layer,
        )?;
    }
    if skip_openstack || !want(Layer::Openstack) {
        println!("\n(real Keystone + Glance layer skipped on request)");
    } else {
        layer(
            "5. real OpenStack Keystone + Glance (contract and end-to-end)",
            crate::openstack::layer,
        )?;
    }
    Ok(())
}

/// The same release build, for serving under `/console/`: `<base href>` and the router's
/// basename come from `--public-url`. The root index.html stands in for the web server's
/// fallback to the app on client-side routes.
fn subpath_build() -> anyhow::Result<PathBuf> {
    let root_dir = root().join("target/subpath");
    let _ = std::fs::remove_dir_all(&root_dir);
    let app = root_dir.join("console");
    crate::release_build(&app, "/console/")?;
    std::fs::copy(app.join("index.html"), root_dir.join("index.html"))
        .with_context(|| format!("cannot copy to {}", root_dir.join("index.html").display()))?;
    Ok(root_dir)
}

fn browser_unit() -> anyhow::Result<()> {
    let _s = sandbox(UNIT_PORT, &["--cors-origin", "*"])?;
    counted(
        cmd("cargo")
            .args([
                "test",
                "--target",
                "wasm32-unknown-unknown",
                "-p",
                "ims-share-console",
            ])
            .current_dir(root())
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env("SANDBOX_URL", format!("http://127.0.0.1:{UNIT_PORT}")),
    )
}

pub fn node_tests(path: &str, env: &[(&str, String)]) -> anyhow::Result<()> {
    let mut c = cmd("node");
    c.args([
        "--test",
        "--test-concurrency=1",
        "--test-reporter=spec",
        path,
    ])
    .current_dir(root().join("e2e"));
    for (k, v) in env {
        c.env(k, v);
    }
    counted(&mut c)
}
