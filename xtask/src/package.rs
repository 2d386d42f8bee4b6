//! `cargo xtask package`: the release tarball a self-hosting operator unpacks: `dist/` with its
//! precompressed files, the nginx config, a `config.json` template and DEPLOY.md.

use anyhow::Context;
use std::path::PathBuf;

use crate::proc::{self, cmd};
use crate::root;

#[derive(clap::Args, Clone)]
pub struct Args {
    /// The path the console will be served under.
    #[arg(long, default_value = "/")]
    pub public_url: String,
    /// Where the tarball goes.
    #[arg(long, default_value = "target/package")]
    pub out: PathBuf,
}

pub fn run(args: &Args) -> anyhow::Result<PathBuf> {
    let version = env!("CARGO_PKG_VERSION");
    let suffix = args.public_url.trim_matches('/').replace('/', "-");
    let name = if suffix.is_empty() {
        format!("ims-share-console-{version}")
    } else {
        format!("ims-share-console-{version}-{suffix}")
    };
    let out = if args.out.is_absolute() {
        args.out.clone()
    } else {
        root().join(&args.out)
    };
    let stage = out.join(&name);
    let _ = std::fs::remove_dir_all(&stage);
    std::fs::create_dir_all(&stage).with_context(|| format!("{}", stage.display()))?;
    crate::release_build(&stage.join("dist"), &args.public_url)?;
    let copy = |from: &str, to: &str| {
        std::fs::copy(root().join(from), stage.join(to))
            .map(|_| ())
            .with_context(|| from.to_string())
    };
    copy("deploy/ims-share-console.conf", "ims-share-console.conf")?;
    copy("deploy/DEPLOY.md", "DEPLOY.md")?;
    copy("static/config.json", "config.json.template")?;
    let tarball = out.join(format!("{name}.tar.gz"));
    proc::run(
        cmd("tar")
            .arg("-czf")
            .arg(&tarball)
            .arg("-C")
            .arg(&out)
            .arg(&name),
    )?;
    let size = std::fs::metadata(&tarball).map(|m| m.len()).unwrap_or(0);
    println!(
        "package: {} ({:.1} KB)",
        tarball.display(),
        size as f64 / 1000.0
    );
    Ok(tarball)
}
