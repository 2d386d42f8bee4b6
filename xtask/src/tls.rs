//! Certificates for trying and testing TLS locally, made with the `openssl` command: one
//! local CA, and leaf certificates it signs. Real deployments bring their own.

use anyhow::Context;
use std::path::{Path, PathBuf};

use crate::proc::{cmd, run};

pub struct Leaf {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// The local CA in `dir` (made once): its certificate is what a client trusts.
pub fn ca(dir: &Path) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(dir).with_context(|| format!("{}", dir.display()))?;
    let (cert, key) = (dir.join("ca.pem"), dir.join("ca-key.pem"));
    if !cert.exists() || !key.exists() {
        run(cmd("openssl")
            .args([
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "825",
                "-subj",
                "/CN=IMS Share Console local CA",
            ])
            .args([
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ])
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .stderr(std::process::Stdio::null()))?;
    }
    Ok(cert)
}

/// A server certificate for `names` (DNS names or IP addresses), signed by the CA in `dir`.
pub fn leaf(dir: &Path, label: &str, names: &[&str]) -> anyhow::Result<Leaf> {
    ca(dir)?;
    let leaf = Leaf {
        cert: dir.join(format!("{label}.pem")),
        key: dir.join(format!("{label}-key.pem")),
    };
    if leaf.cert.exists() && leaf.key.exists() {
        return Ok(leaf);
    }
    let san: Vec<String> = names
        .iter()
        .map(|n| {
            if n.parse::<std::net::IpAddr>().is_ok() {
                format!("IP:{n}")
            } else {
                format!("DNS:{n}")
            }
        })
        .collect();
    let ext = dir.join(format!("{label}.ext"));
    std::fs::write(
        &ext,
        format!(
            "subjectAltName={}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n",
            san.join(",")
        ),
    )
    .with_context(|| format!("cannot write {}", ext.display()))?;
    let csr = dir.join(format!("{label}.csr"));
    run(cmd("openssl")
        .args(["req", "-newkey", "rsa:2048", "-nodes", "-subj"])
        .arg(format!("/CN={}", names.first().unwrap_or(&"localhost")))
        .arg("-keyout")
        .arg(&leaf.key)
        .arg("-out")
        .arg(&csr)
        .stderr(std::process::Stdio::null()))?;
    run(cmd("openssl")
        .args(["x509", "-req", "-days", "825", "-CAcreateserial", "-in"])
        .arg(&csr)
        .arg("-CA")
        .arg(dir.join("ca.pem"))
        .arg("-CAkey")
        .arg(dir.join("ca-key.pem"))
        .arg("-extfile")
        .arg(&ext)
        .arg("-out")
        .arg(&leaf.cert)
        .stderr(std::process::Stdio::null()))?;
    Ok(leaf)
}
