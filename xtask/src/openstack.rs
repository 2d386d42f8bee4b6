//! Real Keystone + Glance on loopback (openstack/start.sh): starting and stopping the pair,
//! the console's config for it, and the test layer that runs the contract test and the
//! Glance-flavor journeys against it. The sharing benchmark (`crate::bench`) uses the same.

use anyhow::Context;
use std::path::PathBuf;

use crate::proc::{self, cache_dir, cmd};
use crate::root;
use crate::test::{counted, node_tests, sandbox, OS_CONSOLE_PORT};

pub fn os_base() -> PathBuf {
    root().join("target/openstack")
}

pub fn os_python() -> PathBuf {
    cache_dir().join("openstack/venv/bin/python")
}

/// Keystone + Glance running for as long as this lives; stopped by PID when dropped.
pub struct OpenStack;

impl OpenStack {
    pub fn start() -> anyhow::Result<Self> {
        proc::run(
            cmd("bash")
                .arg(root().join("openstack/start.sh"))
                .arg("--fresh")
                .env("OS_BASE", os_base()),
        )?;
        Ok(OpenStack)
    }
}

impl Drop for OpenStack {
    fn drop(&mut self) {
        let _ = proc::run(
            cmd("bash")
                .arg(root().join("openstack/stop.sh"))
                .env("OS_BASE", os_base()),
        );
    }
}

/// The console's config for the real pair: their own origins, CORS set by start.sh.
pub fn console_config() -> anyhow::Result<PathBuf> {
    let path = os_base().join("console-config.json");
    let text = r#"{"iam_url": "http://127.0.0.1:5000", "ims_url": "http://127.0.0.1:9292", "flavor": "auto", "region": "RegionOne", "default_domain": "Default", "concurrency": 8}"#;
    std::fs::write(&path, text).with_context(|| format!("{}", path.display()))?;
    Ok(path)
}

pub fn os_env() -> Vec<(&'static str, String)> {
    vec![
        ("OS_BASE", os_base().display().to_string()),
        ("OS_PYTHON", os_python().display().to_string()),
        (
            "OS_SEED_SCRIPT",
            root().join("openstack/seed.py").display().to_string(),
        ),
        ("OS_SEED", os_base().join("seed.json").display().to_string()),
    ]
}

pub fn layer() -> anyhow::Result<()> {
    let _os = OpenStack::start()?;
    let config = console_config()?;
    let dist = root().join("dist");
    let _console = sandbox(
        OS_CONSOLE_PORT,
        &[
            "--dist",
            dist.to_str().unwrap_or("dist"),
            "--config",
            config.to_str().unwrap_or(""),
        ],
    )?;
    let mut contract = cmd("cargo");
    contract
        .args([
            "test",
            "-p",
            "ims-sandbox",
            "--test",
            "contract",
            "--",
            "--ignored",
        ])
        .current_dir(root());
    for (k, v) in os_env() {
        contract.env(k, v);
    }
    counted(&mut contract)?;
    let mut env = os_env();
    env.push(("OS_CONSOLE", format!("http://127.0.0.1:{OS_CONSOLE_PORT}")));
    node_tests("openstack/", &env)
}
