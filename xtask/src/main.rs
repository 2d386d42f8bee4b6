//! Dev tooling the README names: `cargo xtask setup | build | demo | test | bench | nginx |
//! package`. Every step installs what it needs, idempotently, from the package registries only.

mod bench;
mod deploy_layer;
mod dist;
mod goals;
mod nginx;
mod openstack;
mod package;
mod proc;
mod sdk;
mod setup;
mod sizes;
mod test;
mod tls;

use anyhow::Context;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace")
        .to_path_buf()
}

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Build, serve, test and package IMS Share Console"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Install the tools (idempotent: skips what is there at the right version).
    Setup,
    /// Release build of the console into dist/, with its sizes.
    Build,
    /// Build, then serve the console on the sandbox at http://127.0.0.1:8080.
    Demo,
    /// Every test layer: native, browser unit, end-to-end (sandbox), nginx, real Keystone + Glance.
    Test {
        /// Leave out the real Keystone + Glance layer.
        #[arg(long)]
        skip_openstack: bool,
        /// Run only this layer (after the set-up).
        #[arg(long, value_enum)]
        only: Option<test::Layer>,
    },
    /// Benchmarks: `all` (default) runs the size, `start` and `share` measures and prints each
    /// performance goal with its figure; `share` shares 10 images x 20 projects on real Glance
    /// through the console beside the raw-HTTP floor; `start` times the cold start, direct and
    /// through nginx;
    /// `plan` times reading and comparing a share plan of 10,000 rows; `scale` measures 20,000
    /// images, 1,000 projects x 10 images and a session of 500 jobs on the sandbox.
    Bench {
        #[arg(value_enum, default_value = "all")]
        what: bench::Which,
    },
    /// Serve a release build with the shipped nginx config (TLS, HTTP/2) in front of IAM and IMS.
    Nginx(nginx::Args),
    /// Release tarball: dist/ with precompressed files, the nginx config, a config.json template, DEPLOY.md.
    Package(package::Args),
    /// Trunk's post-build hook: no inline script, the CSP, precompressed files.
    #[command(hide = true)]
    FinishDist,
}

fn main() {
    let result = match Cli::parse().command {
        Command::Setup => setup::all(),
        Command::Build => setup::all().and_then(|_| build()),
        Command::Demo => setup::all().and_then(|_| build()).and_then(|_| demo()),
        Command::Test {
            skip_openstack,
            only,
        } => test::all(skip_openstack, only),
        Command::Bench {
            what: bench::Which::All,
        } => bench::all_benchmarks(),
        Command::Bench {
            what: bench::Which::Share,
        } => setup::all()
            .and_then(|_| build())
            .and_then(|_| bench::share_benchmark())
            .map(|_| ()),
        Command::Bench {
            what: bench::Which::Start,
        } => setup::all()
            .and_then(|_| build())
            .and_then(|_| bench::start_benchmark())
            .map(|_| ()),
        Command::Bench {
            what: bench::Which::Plan,
        } => bench::plan_benchmark(),
        Command::Bench {
            what: bench::Which::Inputs,
        } => setup::all()
            .and_then(|_| build())
            .and_then(|_| bench::inputs_benchmark()),
        Command::Bench {
            what: bench::Which::Scale,
        } => setup::all()
            .and_then(|_| build())
            .and_then(|_| bench::scale_benchmark()),
        Command::Nginx(args) => nginx::run(&args),
        Command::Package(args) => setup::all().and_then(|_| package::run(&args).map(|_| ())),
        Command::FinishDist => dist::finish_from_trunk_env(),
    };
    if let Err(e) = result {
        eprintln!("xtask: {e:#}");
        std::process::exit(1);
    }
}

/// `trunk build --release` with the pinned tools, then the sizes of dist/.
pub fn build() -> anyhow::Result<()> {
    release_build(&root().join("dist"), "/")?;
    sizes::print(&root().join("dist"))
}

/// A release build of the console into `out`, for serving under `public_url`.
pub fn release_build(out: &Path, public_url: &str) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    proc::run(
        proc::cmd("trunk")
            .args(["build", "--release", "--public-url", public_url, "--dist"])
            .arg(out)
            .current_dir(root()),
    )?;
    println!(
        "release build ({public_url}) took {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

const DEMO_PORT: u16 = 8080;
const DEMO_PORTAL_PORT: u16 = 8082;

fn demo() -> anyhow::Result<()> {
    let sandbox = test::build_sandbox()?;
    // The console allows the example portal to frame it; everything else is the shipped config.
    let portal = format!("http://127.0.0.1:{DEMO_PORTAL_PORT}");
    let config_path = test::logs_dir().join("demo-config.json");
    let shipped =
        std::fs::read_to_string(root().join("static/config.json")).with_context(|| {
            format!(
                "cannot read {}",
                root().join("static/config.json").display()
            )
        })?;
    let mut config: serde_json::Value =
        serde_json::from_str(&shipped).context("static/config.json is not JSON")?;
    config["embed"] = serde_json::json!({"allowed_origins": [portal]});
    // One path per region on this origin, as a proxy for two regions would have it.
    config["ims_url"] = serde_json::json!("/{region}");
    config["region"] = serde_json::json!("sandbox-1");
    // The sandbox answers as Huawei Cloud's IMS does today: accounts and organizations too.
    config["member_kinds"] = serde_json::json!(["project", "domain", "organization"]);
    std::fs::write(&config_path, config.to_string())
        .with_context(|| format!("cannot write {}", config_path.display()))?;
    let _portal = test::static_server(DEMO_PORTAL_PORT, &root().join("e2e/portal"))?;
    println!("\nIMS Share Console on the built-in sandbox: http://127.0.0.1:{DEMO_PORT}");
    println!("The same console embedded in an example portal (another origin): {portal}/?console=http://127.0.0.1:{DEMO_PORT}/");
    println!("Demo sign-in (domain Default):");
    println!("  owner   / Owner-Pass-1   project acme-images (owns the images; may also switch to acme-dev,");
    println!("                           and to sandbox-2_acme in the sandbox's second region)");
    println!("  dev     / Dev-Pass-1     project acme-dev    (has images shared with it)");
    println!("  tester  / Test-Pass-1    project acme-test");
    println!("Stop with Ctrl-C.\n");
    let dist = root().join("dist");
    proc::run(
        proc::cmd(sandbox.to_str().unwrap_or("ims-sandbox"))
            .args([
                "--port",
                &DEMO_PORT.to_string(),
                "--cors-origin",
                &portal,
                "--config",
            ])
            .arg(&config_path)
            .arg("--dist")
            .arg(dist),
    )
}
