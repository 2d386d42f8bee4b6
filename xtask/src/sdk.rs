//! The vendor SDK layer: Huawei's Python SDK for IMS (`huaweicloudsdkims`, pinned in
//! `e2e/sdk/requirements.txt`) drives the sandbox, so the sandbox answers in the shapes of the
//! vendor's own models (paged member lists, accounts and organizations, jobs, quota).

use anyhow::Context;
use std::path::PathBuf;

use crate::proc::{cache_dir, cmd, run};
use crate::root;
use crate::test::{counted, sandbox};

pub const SDK_PORT: u16 = 18112;

fn venv() -> PathBuf {
    cache_dir().join("ims-sdk-venv")
}

fn python() -> PathBuf {
    venv().join("bin/python")
}

/// The venv with the pinned SDK, made once per requirements file (a stamp holds the file as
/// it was installed).
pub fn setup() -> anyhow::Result<()> {
    let requirements = root().join("e2e/sdk/requirements.txt");
    let wanted = std::fs::read_to_string(&requirements)
        .with_context(|| format!("cannot read {}", requirements.display()))?;
    let stamp = venv().join("requirements.installed");
    if python().exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(&wanted) {
        return Ok(());
    }
    run(cmd("python3").args(["-m", "venv"]).arg(venv()))?;
    run(cmd(python().to_str().unwrap_or("python"))
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
        ])
        .arg(&requirements))?;
    std::fs::write(&stamp, wanted).with_context(|| format!("cannot write {}", stamp.display()))
}

/// Runs the SDK's calls against a sandbox of its own.
pub fn layer() -> anyhow::Result<()> {
    setup()?;
    let _sandbox = sandbox(SDK_PORT, &["--job-delay-ms", "50"])?;
    counted(
        cmd(python().to_str().unwrap_or("python"))
            .arg(root().join("e2e/sdk/ims_sdk_contract.py"))
            .arg(format!("http://127.0.0.1:{SDK_PORT}")),
    )
}
