//! Dev tooling the README names: `cargo xtask setup | build | demo | test | bench`.
//! Every step installs what it needs, idempotently, from the package registries only.

mod bench;
mod proc;
mod setup;
mod sizes;
mod test;

use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask sits in the workspace").to_path_buf()
}

const USAGE: &str = "usage: cargo xtask <setup | build | demo | test [--skip-openstack] | bench>
  setup   install the tools (idempotent: skips what is there at the right version)
  build   release build of the console into dist/, with its sizes
  demo    build, then serve the console on the sandbox at http://127.0.0.1:8080
  test    every test layer: native, browser unit, end-to-end (sandbox), real Keystone + Glance
  bench   shares 10 images x 20 projects on real Glance through the console, beside the raw-HTTP floor";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::all(),
        Some("build") => setup::all().and_then(|_| build()),
        Some("demo") => setup::all().and_then(|_| build()).and_then(|_| demo()),
        Some("test") => test::all(args.iter().any(|a| a == "--skip-openstack")),
        Some("bench") => bench::share_benchmark(),
        _ => {
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    };
    if let Err(e) = result {
        eprintln!("xtask: {e}");
        std::process::exit(1);
    }
}

/// `trunk build --release` with the pinned tools, then the sizes of dist/.
pub fn build() -> Result<(), String> {
    let started = std::time::Instant::now();
    proc::run(proc::cmd("trunk").args(["build", "--release"]).current_dir(root()))?;
    println!("release build took {:.1} s", started.elapsed().as_secs_f64());
    sizes::print(&root().join("dist"))
}

fn demo() -> Result<(), String> {
    let sandbox = test::build_sandbox()?;
    println!("\nIMS Share Console on the built-in sandbox: http://127.0.0.1:8080");
    println!("Demo sign-in (domain Default):");
    println!("  owner   / Owner-Pass-1   project acme-images (owns the images; may also switch to acme-dev)");
    println!("  dev     / Dev-Pass-1     project acme-dev    (has images shared with it)");
    println!("  tester  / Test-Pass-1    project acme-test");
    println!("Stop with Ctrl-C.\n");
    let dist = root().join("dist");
    proc::run(proc::cmd(sandbox.to_str().unwrap_or("ims-sandbox")).args(["--port", "8080", "--dist"]).arg(dist))
}
