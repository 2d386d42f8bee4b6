//! The deployment test layer: the release tarballs (root and sub-path) served by
//! `cargo xtask nginx` over TLS and HTTP/2 in front of the sandbox, with the IAM leg itself
//! in TLS through a second nginx that answers only to the right SNI name and Host.

use anyhow::Context;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::proc::{cmd, run, spawn, wait_port, Server};
use crate::test::{logs_dir, node_tests, sandbox};
use crate::{package, root, tls};

const SANDBOX_PORT: u16 = 18095;
const TLS_FRONT_PORT: u16 = 18443;
const ROOT_PORT: u16 = 18444;
const SUBPATH_PORT: u16 = 18445;
pub const STOP_TEST_PORT: u16 = 18446;
const REGIONS_PORT: u16 = 18447;

fn work() -> PathBuf {
    root().join("target/nginx-test")
}

/// Builds the tarball for `public_url` and unpacks it; returns its dist/.
fn unpacked_package(public_url: &str) -> anyhow::Result<PathBuf> {
    let tarball = package::run(&package::Args {
        public_url: public_url.into(),
        out: work().join("packages"),
    })?;
    let into = work().join("unpacked");
    std::fs::create_dir_all(&into).with_context(|| format!("cannot create {}", into.display()))?;
    run(cmd("tar").arg("-xzf").arg(&tarball).arg("-C").arg(&into))?;
    let name = tarball
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .trim_end_matches(".tar.gz")
        .to_string();
    Ok(into.join(name).join("dist"))
}

/// A TLS-only stand-in for a cloud endpoint in front of the sandbox: it refuses handshakes
/// for any other SNI name and requests for any other Host, and tells in a header which TLS
/// name and protocol the request came with.
fn tls_front(dir: &Path, leaf: &tls::Leaf) -> anyhow::Result<Server> {
    let run_dir = dir.join("tls-front");
    std::fs::create_dir_all(run_dir.join("tmp"))
        .with_context(|| format!("cannot create {}", run_dir.join("tmp").display()))?;
    let r = run_dir.display();
    let (cert, key) = (leaf.cert.display(), leaf.key.display());
    let conf = format!(
        "pid {r}/nginx.pid;\nerror_log {r}/error.log warn;\nevents {{ worker_connections 256; }}\nhttp {{\n\
         \x20 access_log {r}/access.log;\n  client_body_temp_path {r}/tmp/body;\n  proxy_temp_path {r}/tmp/proxy;\n\
         \x20 fastcgi_temp_path {r}/tmp/fastcgi;\n  uwsgi_temp_path {r}/tmp/uwsgi;\n  scgi_temp_path {r}/tmp/scgi;\n\
         \x20 server {{ listen 127.0.0.1:{TLS_FRONT_PORT} ssl default_server; listen [::1]:{TLS_FRONT_PORT} ssl default_server; ssl_reject_handshake on; }}\n\
         \x20 server {{\n    listen 127.0.0.1:{TLS_FRONT_PORT} ssl; listen [::1]:{TLS_FRONT_PORT} ssl; server_name localhost;\n\
         \x20   ssl_certificate {cert}; ssl_certificate_key {key};\n\
         \x20   location / {{\n      if ($http_host != \"localhost:{TLS_FRONT_PORT}\") {{ return 421; }}\n\
         \x20     add_header X-Upstream-TLS \"$ssl_protocol $ssl_server_name\" always;\n\
         \x20     proxy_pass http://127.0.0.1:{SANDBOX_PORT};\n    }}\n  }}\n}}\n"
    );
    crate::nginx::serve(
        "tls front",
        &run_dir,
        conf,
        TLS_FRONT_PORT,
        &logs_dir().join("nginx-tls-front.log"),
    )
}

/// This program's path. If cargo rebuilt it while it runs (Trunk's hook does `cargo run -p
/// xtask`), Linux reports the old file as "… (deleted)": the new one is at the same path.
pub fn xtask_bin() -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe().context("cannot find the running xtask")?;
    let shown = exe.display().to_string();
    Ok(PathBuf::from(
        shown.strip_suffix(" (deleted)").unwrap_or(&shown),
    ))
}

fn console_nginx(
    port: u16,
    public_url: &str,
    dist: &Path,
    ca: &Path,
    extra: &[String],
) -> anyhow::Result<Server> {
    let xtask = xtask_bin()?;
    let mut c = cmd(xtask.to_str().unwrap_or("xtask"));
    c.args([
        "nginx",
        "--iam",
        &format!("https://localhost:{TLS_FRONT_PORT}"),
        "--ims",
        &format!("http://127.0.0.1:{SANDBOX_PORT}"),
    ])
    .args([
        "--port",
        &port.to_string(),
        "--public-url",
        public_url,
        "--dist",
    ])
    .arg(dist)
    .arg("--upstream-ca")
    .arg(ca)
    .args(extra)
    .current_dir(root());
    let s = spawn(
        "nginx",
        &mut c,
        &logs_dir().join(format!("nginx-{port}.log")),
    )?;
    wait_port(port, Duration::from_secs(30))?;
    Ok(s)
}

pub fn layer() -> anyhow::Result<()> {
    let dir = work();
    let _ = std::fs::remove_dir_all(dir.join("unpacked"));
    let dist = unpacked_package("/")?;
    let sub_dist = unpacked_package("/console/")?;
    let tls_dir = root().join("target/nginx/tls");
    let ca = tls::ca(&tls_dir)?;
    let front_leaf = tls::leaf(&tls_dir, "upstream-localhost", &["localhost"])?;
    let _sandbox = sandbox(SANDBOX_PORT, &["--job-delay-ms", "300..700"])?;
    let _front = tls_front(&dir, &front_leaf)?;
    let _root = console_nginx(ROOT_PORT, "/", &dist, &ca, &[])?;
    let _sub = console_nginx(SUBPATH_PORT, "/console/", &sub_dist, &ca, &[])?;
    // Two regions, one path each: the package's build with config.json's ims_url templated.
    let regions_dist = dir.join("regions-dist");
    let _ = std::fs::remove_dir_all(&regions_dist);
    run(cmd("cp").arg("-r").arg(&dist).arg(&regions_dist))?;
    let config = r#"{"iam_url": "", "ims_url": "/ims/{region}", "flavor": "auto", "region": "sandbox-1", "default_domain": "Default"}"#;
    std::fs::write(regions_dist.join("config.json"), config).with_context(|| {
        format!(
            "cannot write {}",
            regions_dist.join("config.json").display()
        )
    })?;
    let _regions = console_nginx(
        REGIONS_PORT,
        "/",
        &regions_dist,
        &ca,
        &[
            "--region".into(),
            format!("sandbox-1=http://127.0.0.1:{SANDBOX_PORT}"),
            "--region".into(),
            format!("sandbox-2=http://127.0.0.1:{SANDBOX_PORT}/sandbox-2"),
        ],
    )?;
    let xtask = xtask_bin()?;
    node_tests(
        "nginx/",
        &[
            ("E2E_BASE", format!("https://127.0.0.1:{ROOT_PORT}")),
            (
                "NGINX_SUBPATH_BASE",
                format!("https://127.0.0.1:{SUBPATH_PORT}/console"),
            ),
            ("SANDBOX_BASE", format!("http://127.0.0.1:{SANDBOX_PORT}")),
            (
                "TLS_FRONT_BASE",
                format!("https://localhost:{TLS_FRONT_PORT}"),
            ),
            ("LOCAL_CA", ca.display().to_string()),
            ("XTASK_BIN", xtask.display().to_string()),
            ("STOP_TEST_PORT", STOP_TEST_PORT.to_string()),
            (
                "NGINX_REGIONS_BASE",
                format!("https://127.0.0.1:{REGIONS_PORT}"),
            ),
            ("PACKAGE_DIST", dist.display().to_string()),
            ("PACKAGE_SUBPATH_DIST", sub_dist.display().to_string()),
        ],
    )
}
