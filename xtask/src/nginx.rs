//! `cargo xtask nginx`: the shipped config (`deploy/ims-share-console.conf`) rendered for two
//! upstreams and run by Debian's nginx in the foreground, serving a release build over TLS and
//! HTTP/2. Ctrl-C or SIGTERM stops nginx and its workers before this command returns.

use anyhow::Context;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::proc::{cmd, output, spawn, wait_port, Server};
use crate::{root, tls};

const BROTLI_MODULE: &str = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so";
const SYSTEM_CA: &str = "/etc/ssl/certs/ca-certificates.crt";

#[derive(clap::Args, Clone)]
pub struct Args {
    /// IAM base URL, without /v3 (https://iam.eu-de.otc.t-systems.com).
    #[arg(long)]
    pub iam: String,
    /// IMS base URL, without a version (https://ims.eu-de.otc.t-systems.com).
    #[arg(long)]
    pub ims: String,
    /// The HTTPS port to listen on (HTTP/2 and HTTP/1.1).
    #[arg(long, default_value_t = 8443)]
    pub port: u16,
    /// The path the console is served under, as it was built with (`--public-url`).
    #[arg(long, default_value = "/")]
    pub public_url: String,
    /// The release build to serve: a dist/ folder. Default: the workspace's dist/, built if missing.
    #[arg(long)]
    pub dist: Option<PathBuf>,
    /// TLS certificate and key (PEM). Default: a certificate for localhost and 127.0.0.1
    /// from a local CA made under target/nginx/tls (ca.pem is the one to trust).
    #[arg(long, requires = "key")]
    pub cert: Option<PathBuf>,
    #[arg(long, requires = "cert")]
    pub key: Option<PathBuf>,
    /// CA bundle that upstream TLS certificates are checked against.
    #[arg(long, default_value = SYSTEM_CA)]
    pub upstream_ca: PathBuf,
    /// The server_name nginx answers to.
    #[arg(long, default_value = "_")]
    pub server_name: String,
    /// Write the rendered config and check it with `nginx -t`, but do not serve.
    #[arg(long)]
    pub check_only: bool,
    /// The image service of one region, proxied under /ims/NAME/ (repeat per region; the URL
    /// may carry a path). config.json's "ims_url": "/ims/{region}" then sends each project's
    /// calls to its region.
    #[arg(long = "region", value_name = "NAME=URL")]
    pub regions: Vec<String>,
}

/// One region's image service behind /ims/<name>/.
#[derive(Debug, PartialEq)]
pub struct Region {
    pub name: String,
    pub upstream: Upstream,
    /// The URL's path, ending in `/` (`/` when it has none).
    pub path: String,
}

pub fn parse_region(spec: &str) -> anyhow::Result<Region> {
    let (name, url) = spec
        .split_once('=')
        .ok_or_else(|| anyhow::anyhow!("--region {spec}: give NAME=URL"))?;
    let name = name.trim();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_".contains(c))
    {
        return Err(anyhow::anyhow!(
            "--region {spec}: a region name is letters, digits, - and _"
        ));
    }
    let (scheme, rest) = url
        .trim()
        .split_once("://")
        .ok_or_else(|| anyhow::anyhow!("--region {spec}: not a URL"))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].trim_end_matches('/')),
        None => (rest, ""),
    };
    Ok(Region {
        name: name.to_string(),
        upstream: parse_upstream(&format!("{scheme}://{authority}"))?,
        path: format!("{path}/"),
    })
}

fn upstream_name(region: &str) -> String {
    format!("ims_console_region_{}", region.replace('-', "_"))
}

/// The upstream blocks and locations of the regions (empty without any).
pub fn render_regions(regions: &[Region]) -> (String, String) {
    let mut upstreams = String::new();
    let mut locations = String::new();
    for r in regions {
        let u = upstream_name(&r.name);
        upstreams.push_str(&format!(
            "upstream {u} {{\n    server {};\n    keepalive 16;\n}}\n",
            r.upstream.server
        ));
        locations.push_str(&format!(
            "    location /ims/{name}/ {{\n        proxy_pass {scheme}://{u}{path};\n        proxy_set_header Host {host};\n        proxy_ssl_name {sni};\n    }}\n",
            name = r.name,
            scheme = r.upstream.scheme,
            path = r.path,
            host = r.upstream.host_header,
            sni = r.upstream.name,
        ));
    }
    (upstreams, locations)
}

/// One upstream, as the template needs it.
#[derive(Debug, PartialEq)]
pub struct Upstream {
    pub scheme: String,
    /// `host:port` for nginx's `server` line.
    pub server: String,
    /// The Host header: the host, with the port when it is not the scheme's default.
    pub host_header: String,
    /// The name sent in TLS SNI and checked in the certificate.
    pub name: String,
}

pub fn parse_upstream(url: &str) -> anyhow::Result<Upstream> {
    let (scheme, rest) = url
        .trim()
        .split_once("://")
        .ok_or_else(|| anyhow::anyhow!("{url}: not a URL (https://host[:port])"))?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => 443,
        "http" => 80,
        _ => return Err(anyhow::anyhow!("{url}: only http and https upstreams")),
    };
    let authority = rest.split('/').next().unwrap_or_default();
    if rest.trim_end_matches('/') != authority {
        return Err(anyhow::anyhow!(
            "{url}: give the service's base URL without a path (the console adds /v1, /v2, /v3)"
        ));
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => (
            h.to_string(),
            p.parse::<u16>()
                .map_err(|_| anyhow::anyhow!("{url}: bad port"))?,
        ),
        _ => (authority.to_string(), default_port),
    };
    if host.is_empty() || host.contains(['@', ' ']) {
        return Err(anyhow::anyhow!("{url}: no host"));
    }
    let host_header = if port == default_port {
        host.clone()
    } else {
        format!("{host}:{port}")
    };
    Ok(Upstream {
        scheme,
        server: format!("{host}:{port}"),
        host_header,
        name: host.trim_matches(['[', ']']).to_string(),
    })
}

/// The values the template's `@@…@@` placeholders take.
pub struct Site<'a> {
    pub listen: String,
    pub server_name: &'a str,
    pub cert: &'a Path,
    pub key: &'a Path,
    pub root: &'a Path,
    pub public_url: &'a str,
    pub csp: &'a str,
    /// `DENY`, or empty when portals may frame the console.
    pub frame_options: &'a str,
    pub iam: &'a Upstream,
    pub ims: &'a Upstream,
    pub upstream_ca: &'a Path,
    pub regions: &'a [Region],
}

pub fn render(template: &str, s: &Site) -> String {
    let redirect = if s.public_url == "/" {
        String::new()
    } else {
        format!(
            "    location = / {{\n        return 302 {};\n    }}",
            s.public_url
        )
    };
    let (region_upstreams, region_locations) = render_regions(s.regions);
    let pairs: [(&str, String); 20] = [
        ("FRAME_OPTIONS", s.frame_options.to_string()),
        ("REGION_UPSTREAMS", region_upstreams),
        ("REGION_LOCATIONS", region_locations),
        ("LISTEN", s.listen.clone()),
        ("SERVER_NAME", s.server_name.to_string()),
        ("CERT", s.cert.display().to_string()),
        ("KEY", s.key.display().to_string()),
        ("ROOT", s.root.display().to_string()),
        ("ROOT_REDIRECT", redirect),
        ("PUBLIC_URL", s.public_url.to_string()),
        ("CSP", s.csp.to_string()),
        ("IAM_SERVER", s.iam.server.clone()),
        ("IAM_SCHEME", s.iam.scheme.clone()),
        ("IAM_HOST", s.iam.host_header.clone()),
        ("IAM_NAME", s.iam.name.clone()),
        ("IMS_SERVER", s.ims.server.clone()),
        ("IMS_SCHEME", s.ims.scheme.clone()),
        ("IMS_HOST", s.ims.host_header.clone()),
        ("IMS_NAME", s.ims.name.clone()),
        ("UPSTREAM_CA", s.upstream_ca.display().to_string()),
    ];
    let mut out = template.to_string();
    for (k, v) in pairs {
        out = out.replace(&format!("@@{k}@@"), &v);
    }
    out
}

/// The http {} wrapper for a self-contained nginx under `run_dir`: its own pid, logs and
/// temp folders, so it needs no change to the system's nginx.
fn main_conf(run_dir: &Path, site: &Path) -> String {
    let r = run_dir.display();
    format!(
        "{}load_module {BROTLI_MODULE};\nworker_processes 2;\npid {r}/nginx.pid;\nerror_log {r}/error.log warn;\n\
         events {{ worker_connections 1024; }}\n\
         http {{\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n    sendfile on;\n\
         \x20   access_log {r}/access.log;\n    client_body_temp_path {r}/tmp/body;\n    proxy_temp_path {r}/tmp/proxy;\n\
         \x20   fastcgi_temp_path {r}/tmp/fastcgi;\n    uwsgi_temp_path {r}/tmp/uwsgi;\n    scgi_temp_path {r}/tmp/scgi;\n\
         \x20   include {};\n}}\n",
        workers_user(),
        site.display()
    )
}

/// Started as root, nginx would run its workers as www-data, which cannot read a build in a
/// private folder (a clone under `mktemp -d`): this nginx serves the invoking user's files,
/// so its workers run as that user.
pub fn workers_user() -> String {
    match output(cmd("id").arg("-u")).as_deref() {
        Some("0") => "user root;\n".into(),
        _ => String::new(),
    }
}

fn normalize_public_url(p: &str) -> String {
    let p = p.trim().trim_matches('/');
    if p.is_empty() {
        "/".into()
    } else {
        format!("/{p}/")
    }
}

/// Writes the configuration for `args` under target/nginx/<port>/ and checks it; returns
/// the main config file.
pub fn prepare(args: &Args) -> anyhow::Result<PathBuf> {
    if !Path::new("/usr/sbin/nginx").exists() || !Path::new(BROTLI_MODULE).exists() {
        crate::setup::all()?;
    }
    let public_url = normalize_public_url(&args.public_url);
    let dist = match &args.dist {
        Some(d) => d.clone(),
        None => {
            let d = root().join("dist");
            if !d.join("index.html").exists() {
                crate::release_build(&d, &public_url)?;
            }
            d
        }
    };
    let dist = std::fs::canonicalize(&dist).with_context(|| format!("{}", dist.display()))?;
    if !dist.join("index.html").exists() {
        return Err(anyhow::anyhow!(
            "{} holds no index.html: give a release build with --dist",
            dist.display()
        ));
    }
    let run_dir = root().join("target/nginx").join(args.port.to_string());
    for d in ["tmp", "www"] {
        std::fs::create_dir_all(run_dir.join(d))
            .with_context(|| format!("{}", run_dir.display()))?;
    }
    // Under a sub-path the build sits in a folder of that name below the document root.
    let doc_root = if public_url == "/" {
        dist.clone()
    } else {
        let www = run_dir.join("www");
        let _ = std::fs::remove_dir_all(&www);
        let link = www.join(public_url.trim_matches('/'));
        std::fs::create_dir_all(link.parent().unwrap_or(&www)).with_context(|| {
            format!("cannot create {}", link.parent().unwrap_or(&www).display())
        })?;
        std::os::unix::fs::symlink(&dist, &link).with_context(|| format!("{}", link.display()))?;
        www
    };
    let (cert, key) = match (&args.cert, &args.key) {
        (Some(c), Some(k)) => (c.clone(), k.clone()),
        _ => {
            let leaf = tls::leaf(
                &root().join("target/nginx/tls"),
                "console",
                &["localhost", "127.0.0.1"],
            )?;
            (leaf.cert, leaf.key)
        }
    };
    // Read at every start: the CSP's frame-ancestors and X-Frame-Options follow the
    // config.json served, so an edit of embed.allowed_origins takes effect on a restart.
    let config_json = std::fs::read_to_string(dist.join("config.json")).ok();
    if let Some(text) = &config_json {
        ims_api::config::Config::from_json(text).map_err(anyhow::Error::msg)?;
    }
    let csp = ims_api::csp::policy_for_config_json(config_json.as_deref());
    let frame_options =
        ims_api::csp::frame_options_for_config_json(config_json.as_deref()).unwrap_or("");
    let (iam, ims) = (parse_upstream(&args.iam)?, parse_upstream(&args.ims)?);
    let regions = args
        .regions
        .iter()
        .map(|r| parse_region(r))
        .collect::<Result<Vec<_>, _>>()?;
    let template = std::fs::read_to_string(root().join("deploy/ims-share-console.conf"))
        .context("deploy/ims-share-console.conf")?;
    let site = render(
        &template,
        &Site {
            listen: args.port.to_string(),
            server_name: &args.server_name,
            cert: &cert,
            key: &key,
            root: &doc_root,
            public_url: &public_url,
            csp: &csp,
            frame_options,
            iam: &iam,
            ims: &ims,
            upstream_ca: &args.upstream_ca,
            regions: &regions,
        },
    );
    let site_path = run_dir.join("site.conf");
    std::fs::write(&site_path, site)
        .with_context(|| format!("cannot write {}", site_path.display()))?;
    let main = run_dir.join("nginx.conf");
    std::fs::write(&main, main_conf(&run_dir, &site_path))
        .with_context(|| format!("cannot write {}", main.display()))?;
    let check = command(&main)
        .arg("-t")
        .output()
        .context("cannot run nginx")?;
    if !check.status.success() {
        return Err(anyhow::anyhow!(
            "nginx refused the rendered config {}:\n{}",
            site_path.display(),
            String::from_utf8_lossy(&check.stderr)
        ));
    }
    Ok(main)
}

/// `nginx -p <its folder> -c <main>`: the one way this crate checks, starts and stops nginx.
pub fn command(main: &Path) -> std::process::Command {
    let mut c = cmd("nginx");
    c.arg("-p")
        .arg(main.parent().unwrap_or(Path::new(".")))
        .arg("-c")
        .arg(main);
    c
}

/// Writes `conf` as `run_dir/nginx.conf` and runs nginx in the foreground (logging to `log`)
/// until the returned server is dropped; answers once `port` takes connections.
pub fn serve(
    name: &str,
    run_dir: &Path,
    conf: String,
    port: u16,
    log: &Path,
) -> anyhow::Result<Server> {
    std::fs::create_dir_all(run_dir.join("tmp"))
        .with_context(|| format!("cannot create {}", run_dir.display()))?;
    let main = run_dir.join("nginx.conf");
    std::fs::write(&main, conf).with_context(|| format!("cannot write {}", main.display()))?;
    let s = spawn(name, command(&main).args(["-g", "daemon off;"]), log)?;
    wait_port(port, Duration::from_secs(10))?;
    Ok(s)
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let main = prepare(args)?;
    let run_dir = main.parent().unwrap_or(Path::new(".")).to_path_buf();
    if args.check_only {
        println!("nginx config written and checked: {}", main.display());
        return Ok(());
    }
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst))
            .context("cannot handle signals")?;
    }
    // Its own process group: a Ctrl-C in the terminal reaches this command, which then stops
    // nginx in order, rather than nginx and its workers each on their own.
    let mut child = command(&main)
        .process_group(0)
        .args(["-g", "daemon off;"])
        .spawn()
        .context("cannot start nginx")?;
    let url = format!(
        "https://127.0.0.1:{}{}",
        args.port,
        normalize_public_url(&args.public_url)
    );
    println!(
        "IMS Share Console through nginx: {url}  (IAM {} · IMS {})",
        args.iam, args.ims
    );
    println!(
        "Logs: {}/error.log, access.log. Stop with Ctrl-C.",
        run_dir.display()
    );
    loop {
        if let Some(status) = child.try_wait().context("cannot wait for nginx")? {
            if stop.load(Ordering::SeqCst) {
                return Ok(());
            }
            return Err(anyhow::anyhow!(
                "nginx ended by itself ({status}); see {}/error.log",
                run_dir.display()
            ));
        }
        if stop.load(Ordering::SeqCst) {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    // A fast shutdown: the master stops its workers, then exits.
    let _ = output(command(&main).args(["-s", "stop"]));
    for _ in 0..100 {
        if child.try_wait().context("cannot wait for nginx")?.is_some() {
            println!("nginx stopped");
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    Err(anyhow::anyhow!(
        "nginx did not stop within 10 s and was killed"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstreams_carry_sni_name_and_host_with_port_when_not_default() {
        let u = parse_upstream("https://iam.eu-de.otc.t-systems.com").unwrap();
        assert_eq!(
            (u.server.as_str(), u.host_header.as_str(), u.name.as_str()),
            (
                "iam.eu-de.otc.t-systems.com:443",
                "iam.eu-de.otc.t-systems.com",
                "iam.eu-de.otc.t-systems.com"
            )
        );
        let u = parse_upstream("http://127.0.0.1:8090/").unwrap();
        assert_eq!(
            (u.scheme.as_str(), u.server.as_str(), u.host_header.as_str()),
            ("http", "127.0.0.1:8090", "127.0.0.1:8090")
        );
        assert!(parse_upstream("https://ims.example.com/v2")
            .unwrap_err()
            .to_string()
            .contains("without a path"));
        assert!(parse_upstream("ftp://x").is_err());
    }

    #[test]
    fn the_template_is_filled_completely() {
        let template =
            std::fs::read_to_string(root().join("deploy/ims-share-console.conf")).unwrap();
        let (iam, ims) = (
            parse_upstream("https://iam.example.com").unwrap(),
            parse_upstream("https://ims.example.com").unwrap(),
        );
        let out = render(
            &template,
            &Site {
                listen: "443".into(),
                server_name: "_",
                cert: Path::new("/c"),
                key: Path::new("/k"),
                root: Path::new("/srv"),
                public_url: "/console/",
                csp: "default-src 'self'",
                frame_options: "DENY",
                iam: &iam,
                ims: &ims,
                upstream_ca: Path::new(SYSTEM_CA),
                regions: &[
                    parse_region("eu-de=https://ims.eu-de.example.com").unwrap(),
                    parse_region("eu-nl=http://127.0.0.1:9000/eu-nl/").unwrap(),
                ],
            },
        );
        assert!(!out.contains("@@"), "a placeholder is left");
        assert!(out.contains(
            "upstream ims_console_region_eu_de {\n    server ims.eu-de.example.com:443;"
        ));
        assert!(out.contains(
            "location /ims/eu-de/ {\n        proxy_pass https://ims_console_region_eu_de/;"
        ));
        assert!(out.contains("location /ims/eu-nl/ {\n        proxy_pass http://ims_console_region_eu_nl/eu-nl/;\n        proxy_set_header Host 127.0.0.1:9000;"));
        assert!(parse_region("eu de=https://x").is_err() && parse_region("https://x").is_err());
        assert!(out.contains("location /console/ {") && out.contains("return 302 /console/;"));
        assert!(
            out.contains("proxy_ssl_name iam.example.com;")
                && out.contains("proxy_set_header Host ims.example.com;")
        );
    }

    #[test]
    fn public_urls_are_normalized() {
        assert_eq!(normalize_public_url(""), "/");
        assert_eq!(normalize_public_url("console"), "/console/");
        assert_eq!(normalize_public_url("/a/b/"), "/a/b/");
    }
}
