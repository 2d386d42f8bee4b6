//! Running commands with the project's tool folders first on PATH, and background servers
//! that stop when dropped.

use anyhow::Context;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn home() -> PathBuf {
    PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| "/root".into()))
}

/// Where installs that outlive a clone go (npm binaryen, the OpenStack venv).
pub fn cache_dir() -> PathBuf {
    home().join(".cache/ims-share-console")
}

pub fn binaryen_bin() -> PathBuf {
    cache_dir().join("binaryen/node_modules/.bin")
}

/// esbuild from npm, which minifies the release build's scripts (`dist.rs`).
pub fn esbuild_bin() -> PathBuf {
    cache_dir().join("esbuild/node_modules/.bin/esbuild")
}

fn path_var() -> String {
    let cargo_home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| home().join(".cargo"));
    let cargo_bin = cargo_home.join("bin");
    format!(
        "{}:{}:{}",
        binaryen_bin().display(),
        cargo_bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

pub fn cmd(program: &str) -> Command {
    let mut c = Command::new(program);
    c.env("PATH", path_var())
        .env("TRUNK_SKIP_VERSION_CHECK", "true");
    c
}

pub fn run(c: &mut Command) -> anyhow::Result<()> {
    let shown = format!("{c:?}");
    let status = c
        .status()
        .with_context(|| format!("cannot start {shown}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(anyhow::anyhow!("{shown} failed with {status}"))
    }
}

/// Test counts read from runner output: cargo / wasm-bindgen-test ("test result: ok. N passed;
/// M failed") and node's spec reporter ("ℹ pass N", "ℹ fail M").
#[derive(Default, Clone, Copy)]
pub struct Counts {
    pub passed: u64,
    pub failed: u64,
}

pub fn count_line(line: &str, c: &mut Counts) {
    let num = |s: &str| {
        s.trim()
            .split(|ch: char| !ch.is_ascii_digit())
            .next()
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(0)
    };
    if let Some(rest) = line.split("test result: ").nth(1) {
        for part in rest.split(';') {
            let part = part.trim_start_matches(|ch: char| !ch.is_ascii_digit());
            if part.contains("passed") {
                c.passed += num(part);
            } else if part.contains("failed") {
                c.failed += num(part);
            }
        }
    } else if let Some(n) = line.trim().strip_prefix("ℹ pass ") {
        c.passed += num(n);
    } else if let Some(n) = line.trim().strip_prefix("ℹ fail ") {
        c.failed += num(n);
    }
}

/// Runs a test command, echoing its output as it comes and adding its counts to `total`.
pub fn run_counted(c: &mut Command, total: &std::cell::Cell<Counts>) -> anyhow::Result<()> {
    use std::io::BufRead;
    let shown = format!("{c:?}");
    let mut child = c
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start {shown}"))?;
    let mut counts = total.get();
    if let Some(out) = child.stdout.take() {
        for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
            println!("{line}");
            count_line(&line, &mut counts);
        }
    }
    total.set(counts);
    let status = child
        .wait()
        .with_context(|| format!("{shown} did not end"))?;
    if status.success() {
        Ok(())
    } else {
        Err(anyhow::anyhow!("{shown} failed with {status}"))
    }
}

/// stdout of a command, or None if it could not run or failed.
pub fn output(c: &mut Command) -> Option<String> {
    let out = c.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// A background process, killed when dropped.
pub struct Server {
    pub child: Child,
}

impl Drop for Server {
    /// SIGTERM first, so that a server with children (nginx and its workers) stops them;
    /// killed if it has not ended within 10 s.
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .stderr(Stdio::null())
            .status();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn spawn(name: &str, c: &mut Command, log: &std::path::Path) -> anyhow::Result<Server> {
    let file =
        std::fs::File::create(log).with_context(|| format!("cannot write {}", log.display()))?;
    let err = file
        .try_clone()
        .with_context(|| format!("cannot write {}", log.display()))?;
    let child = c
        .stdout(file)
        .stderr(err)
        .spawn()
        .with_context(|| format!("cannot start {name}"))?;
    Ok(Server { child })
}

/// Waits until a TCP port answers.
pub fn wait_port(port: u16, timeout: Duration) -> anyhow::Result<()> {
    let started = Instant::now();
    while started.elapsed() < timeout {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(anyhow::anyhow!(
        "nothing answered on 127.0.0.1:{port} within {timeout:?}"
    ))
}

pub fn port_free(port: u16) -> bool {
    std::net::TcpListener::bind(("127.0.0.1", port)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::{count_line, Counts};

    #[test]
    fn reads_cargo_wasm_and_node_summaries() {
        let mut c = Counts::default();
        for line in [
            "test result: ok. 46 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out",
            "test result: FAILED. 3 passed; 2 failed; 1 ignored",
            "ℹ pass 23",
            "ℹ fail 1",
            "ℹ tests 24",
            "running 8 tests",
        ] {
            count_line(line, &mut c);
        }
        assert_eq!((c.passed, c.failed), (72, 3));
    }
}
