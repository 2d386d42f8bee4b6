//! The benchmarks `cargo xtask bench` runs: the sharing benchmark on real Keystone + Glance
//! (started by `crate::openstack`), the cold start, the share plan, scale and large inputs.

use anyhow::Context;
use std::path::PathBuf;

use crate::openstack::{console_config, os_base, os_env, os_python, OpenStack};
use crate::proc::{self, cache_dir, cmd};
use crate::root;
use crate::test::sandbox;

const BENCH_CONSOLE_PORT: u16 = 18093;
const BENCH_NGINX_PORT: u16 = 18194;

/// `cargo xtask bench`: 10 images x 20 projects on real Glance: raw HTTP (8 in parallel),
/// openstacksdk in a loop, the console served directly and through the shipped nginx config,
/// in the same run, once with Glance's token cache off (`token_cache_time` -1) and once at
/// 300 s. Prints figures.
/// Needs the set-up and the release build done.
pub fn share_benchmark() -> anyhow::Result<Vec<ShareMedians>> {
    let _os = OpenStack::start()?;
    let python = os_python();
    if proc::output(cmd(python.to_str().unwrap_or("python3")).args(["-c", "import openstack"]))
        .is_none()
    {
        proc::run(cmd(python.to_str().unwrap_or("python3")).args([
            "-m",
            "pip",
            "install",
            "-q",
            "openstacksdk==4.22.0",
        ]))?;
    }
    let config = console_config()?;
    let dist = root().join("dist");
    let _console = sandbox(
        BENCH_CONSOLE_PORT,
        &[
            "--dist",
            dist.to_str().unwrap_or("dist"),
            "--config",
            config.to_str().unwrap_or(""),
        ],
    )?;
    // The same build behind the shipped nginx config: IAM and Glance on this origin.
    let nginx_dist = root().join("target/bench/nginx-dist");
    let _ = std::fs::remove_dir_all(&nginx_dist);
    std::fs::create_dir_all(root().join("target/bench"))
        .with_context(|| format!("cannot create {}", root().join("target/bench").display()))?;
    proc::run(cmd("cp").arg("-r").arg(&dist).arg(&nginx_dist))?;
    std::fs::write(
        nginx_dist.join("config.json"),
        r#"{"iam_url": "", "ims_url": "/", "flavor": "auto", "region": "RegionOne", "default_domain": "Default", "concurrency": 8}"#,
    )
        .with_context(|| format!("cannot write {}", nginx_dist.join("config.json").display()))?;
    let xtask = crate::deploy_layer::xtask_bin()?;
    let _nginx = proc::spawn(
        "nginx",
        cmd(xtask.to_str().unwrap_or("xtask"))
            .args([
                "nginx",
                "--iam",
                "http://127.0.0.1:5000",
                "--ims",
                "http://127.0.0.1:9292",
            ])
            .args(["--port", &BENCH_NGINX_PORT.to_string(), "--dist"])
            .arg(&nginx_dist),
        &crate::test::logs_dir().join("bench-share-nginx.log"),
    )?;
    proc::wait_port(BENCH_NGINX_PORT, std::time::Duration::from_secs(30))?;
    // BENCH_TOKEN_CACHE=300 (or -1) runs one setting only.
    let only = std::env::var("BENCH_TOKEN_CACHE").ok();
    let mut out = Vec::new();
    for cache in ["-1", "300"]
        .into_iter()
        .filter(|c| only.as_deref().is_none_or(|o| o == *c))
    {
        // Glance again with this token cache; Keystone's tokens and the seed stay.
        proc::run(
            cmd("bash")
                .arg(root().join("openstack/stop.sh"))
                .env("OS_BASE", os_base()),
        )?;
        proc::run(
            cmd("bash")
                .arg(root().join("openstack/start.sh"))
                .env("OS_BASE", os_base())
                .env("OS_TOKEN_CACHE_TIME", cache),
        )?;
        let mut c = cmd("node");
        c.arg("bench/share-bench.mjs")
            .current_dir(root().join("e2e"))
            .env(
                "OS_CONSOLE",
                format!("http://127.0.0.1:{BENCH_CONSOLE_PORT}"),
            )
            .env(
                "OS_NGINX_CONSOLE",
                format!("https://127.0.0.1:{BENCH_NGINX_PORT}"),
            )
            .env("BENCH_SETTING", format!("token_cache_time {cache}"));
        for (k, v) in os_env() {
            c.env(k, v);
        }
        let result = bench_result_path(&format!("share-cache{cache}"))?;
        c.env("BENCH_RESULT", &result);
        proc::run(&mut c)?;
        let figures = read_result(&result)?;
        out.push(ShareMedians {
            setting: format!("token_cache_time {cache}"),
            floor_ms: number(&figures, "floor_ms")?,
            direct_ms: number(&figures, "direct_ms")?,
            nginx_ms: number(&figures, "nginx_ms")?,
        });
    }
    Ok(out)
}

/// One token-cache setting's medians, in ms, as `bench/share-bench.mjs` wrote them.
pub struct ShareMedians {
    pub setting: String,
    pub floor_ms: f64,
    pub direct_ms: f64,
    pub nginx_ms: f64,
}

/// Where a bench script writes its medians (`BENCH_RESULT`), emptied first so that an old
/// file is never read as this run's.
fn bench_result_path(name: &str) -> anyhow::Result<PathBuf> {
    let dir = root().join("target/bench");
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join(format!("{name}.json"));
    let _ = std::fs::remove_file(&path);
    Ok(path)
}

fn read_result(path: &std::path::Path) -> anyhow::Result<serde_json::Value> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("{}: {e} (the bench wrote no figures)", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{}", path.display()))
}

fn number(v: &serde_json::Value, key: &str) -> anyhow::Result<f64> {
    v.get(key)
        .and_then(serde_json::Value::as_f64)
        .ok_or_else(|| anyhow::anyhow!("the bench's figures have no number `{key}`"))
}

/// The issue's three goals in one run: the first load's size, the cold start against Skyline
/// and the batch share against the raw floor in both token-cache settings; each printed with
/// its figure, and by how far it is off when it is not met.
pub fn all_benchmarks() -> anyhow::Result<()> {
    crate::setup::all()?;
    crate::build()?;
    let dist = root().join("dist");
    let first_load: u64 = crate::sizes::first_load(&dist)?.iter().map(|r| r.1).sum();
    let start = start_benchmark()?;
    let shares = share_benchmark()?;
    let skyline = number(&start, &format!("skyline-{SKYLINE_VERSION}-nginx-gzip"))?;
    println!("\nthe goals (issue: performance), this run:");
    println!("{}", crate::goals::first_load(first_load));
    println!(
        "{}",
        crate::goals::cold_start(
            skyline,
            &[
                ("direct", number(&start, START_DIRECT)?),
                ("nginx", number(&start, START_NGINX)?),
            ],
        )
    );
    for s in &shares {
        println!(
            "{}",
            crate::goals::share(
                &s.setting,
                s.floor_ms,
                &[("direct", s.direct_ms), ("nginx", s.nginx_ms)],
            )
        );
    }
    inputs_benchmark()
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Which {
    /// The three goals in one run: size, cold start, share (both token-cache settings).
    All,
    /// 10 images x 20 projects on real Glance: the console beside the raw floor and openstacksdk.
    Share,
    /// Navigation to a visible password field: the console beside Skyline, fresh contexts.
    Start,
    /// Reading and comparing a share plan of 10,000 rows with the members that exist.
    Plan,
    /// 20,000 images, 1,000 projects x 10 images, a session of 500 jobs (sandbox).
    Scale,
    /// Large inputs in linear time: 10,000 IDs pasted, a 10,000-row plan by name, 25,000
    /// address-book entries imported.
    Inputs,
}

const START_SANDBOX_PORT: u16 = 18190;
const START_NGINX_PORT: u16 = 18191;
const START_SKYLINE_PORT: u16 = 18192;
const START_FLOOR_PORT: u16 = 18196;
const SKYLINE_VERSION: &str = "9.0.0";
/// The cold-start bench's names for the console served directly and through nginx.
const START_DIRECT: &str = "console-sandbox-http1.1";
const START_NGINX: &str = "console-nginx-tls-h2-brotli";

/// Skyline's static bundle from PyPI (`skyline-console`), unpacked once into the cache.
fn skyline_static() -> anyhow::Result<PathBuf> {
    let dir = cache_dir().join(format!("skyline-console-{SKYLINE_VERSION}"));
    let static_dir = dir.join("skyline_console/static");
    if static_dir.join("index.html").exists() {
        return Ok(static_dir);
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    // Any pip will do: the system's, else the OpenStack venv's, else a venv made for this.
    let mut python = PathBuf::from("python3");
    if proc::output(cmd("python3").args(["-m", "pip", "--version"])).is_none() {
        python = os_python();
        if !python.exists() {
            let venv = cache_dir().join("skyline-venv");
            proc::run(cmd("python3").args(["-m", "venv"]).arg(&venv))?;
            python = venv.join("bin/python");
        }
    }
    proc::run(
        cmd(python.to_str().unwrap_or("python3"))
            .args(["-m", "pip", "download", "--no-deps", "--quiet", "-d"])
            .arg(&dir)
            .arg(format!("skyline-console=={SKYLINE_VERSION}")),
    )?;
    let wheel = dir.join(format!(
        "skyline_console-{SKYLINE_VERSION}-py3-none-any.whl"
    ));
    proc::run(
        cmd("python3")
            .args(["-m", "zipfile", "-e"])
            .arg(&wheel)
            .arg(&dir),
    )?;
    if !static_dir.join("index.html").exists() {
        return Err(anyhow::anyhow!(
            "{} holds no static bundle",
            wheel.display()
        ));
    }
    Ok(static_dir)
}

/// Skyline served as its own deployment serves it (nginx, precompressed .gz), its API
/// answering 401 so that it shows its login page.
fn skyline_nginx(static_dir: &std::path::Path) -> anyhow::Result<proc::Server> {
    let run_dir = root().join("target/bench/skyline");
    std::fs::create_dir_all(run_dir.join("tmp"))
        .with_context(|| format!("cannot create {}", run_dir.join("tmp").display()))?;
    // Served from the workspace, as the console's build is.
    let served = run_dir.join("static");
    let _ = std::fs::remove_dir_all(&served);
    proc::run(cmd("cp").arg("-r").arg(static_dir).arg(&served))?;
    let static_dir = served.as_path();
    let r = run_dir.display();
    let conf = format!(
        "{}pid {r}/nginx.pid;\nerror_log {r}/error.log warn;\nevents {{ worker_connections 256; }}\nhttp {{\n\
         \x20 include /etc/nginx/mime.types;\n  access_log {r}/access.log;\n  client_body_temp_path {r}/tmp/body;\n\
         \x20 proxy_temp_path {r}/tmp/proxy;\n  fastcgi_temp_path {r}/tmp/fastcgi;\n  uwsgi_temp_path {r}/tmp/uwsgi;\n  scgi_temp_path {r}/tmp/scgi;\n\
         \x20 server {{\n    listen 127.0.0.1:{START_SKYLINE_PORT};\n    root {};\n    gzip_static on;\n\
         \x20   location /api/ {{ default_type application/json; return 401 '{{\"detail\":\"Not authenticated\"}}'; }}\n\
         \x20   location / {{ try_files $uri /index.html; }}\n  }}\n}}\n",
        crate::nginx::workers_user(),
        static_dir.display()
    );
    crate::nginx::serve(
        "skyline nginx",
        &run_dir,
        conf,
        START_SKYLINE_PORT,
        &crate::test::logs_dir().join("bench-skyline.log"),
    )
}

/// Cold start of the release build: served by the sandbox over HTTP/1.1, and by the shipped
/// nginx config over TLS + HTTP/2 with brotli.
pub fn start_benchmark() -> anyhow::Result<serde_json::Value> {
    let dist = root().join("dist");
    let _sandbox = sandbox(
        START_SANDBOX_PORT,
        &["--dist", dist.to_str().unwrap_or("dist")],
    )?;
    let xtask = crate::deploy_layer::xtask_bin()?;
    let mut c = cmd(xtask.to_str().unwrap_or("xtask"));
    let upstream = format!("http://127.0.0.1:{START_SANDBOX_PORT}");
    c.args([
        "nginx",
        "--iam",
        &upstream,
        "--ims",
        &upstream,
        "--port",
        &START_NGINX_PORT.to_string(),
        "--dist",
    ])
    .arg(&dist);
    let _nginx = proc::spawn(
        "nginx",
        &mut c,
        &crate::test::logs_dir().join("bench-nginx.log"),
    )?;
    proc::wait_port(START_NGINX_PORT, std::time::Duration::from_secs(30))?;
    let _skyline = skyline_nginx(&skyline_static()?)?;
    // What a fresh context costs on this machine whatever the page: one password field, no
    // stylesheet, no script.
    let floor = root().join("target/bench/floor-page");
    std::fs::create_dir_all(&floor)
        .with_context(|| format!("cannot create {}", floor.display()))?;
    std::fs::write(
        floor.join("index.html"),
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>floor</title></head><body><form><label for=\"p\">Password</label><input id=\"p\" type=\"password\"></form></body></html>\n",
    )
        .with_context(|| format!("cannot write {}", floor.join("index.html").display()))?;
    std::fs::write(floor.join("config.json"), "{}\n")
        .with_context(|| format!("cannot write {}", floor.join("config.json").display()))?;
    // The same page with the console's stylesheet linked (a strict CSP allows no inline style):
    // what one render-blocking stylesheet costs a fresh context, before any script or wasm.
    let css = built_file(&dist, "style-", ".css")?;
    std::fs::copy(dist.join(&css), floor.join(&css))
        .with_context(|| format!("cannot copy to {}", floor.join(&css).display()))?;
    // The console's own page without its app (no boot script, no wasm or glue preloads): what
    // the sign-in form costs before any wasm is fetched.
    let shell = built_file(&dist, "shell-", ".js")?;
    std::fs::copy(dist.join(&shell), floor.join(&shell))
        .with_context(|| format!("cannot copy to {}", floor.join(&shell).display()))?;
    let page = std::fs::read_to_string(dist.join("index.html"))
        .with_context(|| format!("cannot read {}", dist.join("index.html").display()))?;
    std::fs::write(floor.join("page-only.html"), without_app(&page))
        .with_context(|| format!("cannot write {}", floor.join("page-only.html").display()))?;
    std::fs::write(
        floor.join("styled.html"),
        format!("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>floor</title><link rel=\"stylesheet\" href=\"/{css}\"></head><body><form><label for=\"p\">Password</label><input id=\"p\" type=\"password\"></form></body></html>\n"),
    )
        .with_context(|| format!("cannot write {}", floor.join("styled.html").display()))?;
    let _floor = sandbox(START_FLOOR_PORT, &["--dist", floor.to_str().unwrap_or("")])?;
    println!("cold start: navigation to a visible password field, fresh context, median of 7, interleaved");
    let result = bench_result_path("start")?;
    proc::run(
        cmd("node")
            .current_dir(root().join("e2e"))
            .env("BENCH_RESULT", &result)
            .args([
                "bench/start-bench.mjs",
                &format!(
            "skyline-{SKYLINE_VERSION}-nginx-gzip=http://127.0.0.1:{START_SKYLINE_PORT}/auth/login"
        ),
                &format!("{START_DIRECT}={upstream}/images"),
                &format!("{START_NGINX}=https://127.0.0.1:{START_NGINX_PORT}/images"),
                &format!("bare-page-floor=http://127.0.0.1:{START_FLOOR_PORT}/"),
                &format!(
                    "bare-page-with-stylesheet=http://127.0.0.1:{START_FLOOR_PORT}/styled.html"
                ),
                &format!(
                    "the-page-without-its-app=http://127.0.0.1:{START_FLOOR_PORT}/page-only.html"
                ),
            ]),
    )?;
    read_result(&result)
}

/// The name of the build's content-hashed file `<prefix><hash><ext>` in `dist`.
fn built_file(dist: &std::path::Path, prefix: &str, ext: &str) -> anyhow::Result<String> {
    std::fs::read_dir(dist)
        .with_context(|| format!("{}", dist.display()))?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .find(|n| n.starts_with(prefix) && n.ends_with(ext))
        .ok_or_else(|| {
            anyhow::anyhow!(
                "{} holds no {prefix}…{ext}: run `cargo xtask build`",
                dist.display()
            )
        })
}

/// `index.html` of the build without what starts the app: the boot module and the preloads
/// (whatever the order of their attributes: the build marks them `fetchpriority="low"`).
fn without_app(page: &str) -> String {
    let mut out = crate::dist::map_link_tags(page, |tag| {
        if crate::dist::is_preload(tag) {
            String::new()
        } else {
            tag.to_string()
        }
    });
    let (open, close) = ("<script type=\"module\"", "</script>");
    while let Some(start) = out.find(open) {
        let Some(len) = out[start..].find(close) else {
            break;
        };
        out.replace_range(start..start + len + close.len(), "");
    }
    out
}

/// A plan of 10,000 rows (two images, 5,000 projects each; half of the pairs already
/// members), read and compared as the share-plan screen does; median of 7 runs.
pub fn plan_benchmark() -> anyhow::Result<()> {
    use ims_api::plan::{self, Names};
    use std::collections::{HashMap, HashSet};
    let images = [
        ("d164b5df-1bc3-4c3f-893e-3e471fd16e64", "debian-12"),
        ("0b8b0c8e-7a1d-4d0c-9f2b-1f1f1f1f1f1f", "ubuntu-24"),
    ];
    let mut text = String::from("# generated\nimage,project,state\n");
    let mut projects = Vec::new();
    let mut members: HashMap<String, HashSet<String>> = HashMap::new();
    for n in 0..5000 {
        let p = format!("{n:032x}");
        text.push_str(&format!(
            "debian-12,{p},shared\nubuntu-24,project-{n},not-shared\n"
        ));
        projects.push((p.clone(), format!("project-{n}")));
        if n % 2 == 0 {
            for (id, _) in images {
                members.entry(id.to_string()).or_default().insert(p.clone());
            }
        }
    }
    let names = Names {
        images: images
            .iter()
            .map(|(i, n)| (i.to_string(), n.to_string()))
            .collect(),
        projects,
        own_project: "f".repeat(32),
        own_account: "e".repeat(32),
        kinds: vec![ims_api::members::MemberKind::Project],
    };
    let mut times = Vec::new();
    let mut counts = (0, 0, 0, 0);
    for _ in 0..7 {
        let t = std::time::Instant::now();
        let rows = plan::read(text.as_bytes()).map_err(anyhow::Error::msg)?;
        let d = plan::diff(&rows, &names, &members);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        counts = (d.add.len(), d.remove.len(), d.unchanged, d.invalid.len());
    }
    times.sort_by(f64::total_cmp);
    println!(
        "share plan, 10,000 rows naming images and projects by name ({} KB): read + resolve + diff median {:.1} ms (min {:.1}, max {:.1}; goal <= 100 ms); to add {}, to remove {}, unchanged {}, invalid {}",
        text.len() / 1024,
        times[3],
        times[0],
        times[6],
        counts.0,
        counts.1,
        counts.2,
        counts.3
    );
    Ok(())
}

const SCALE_PORT: u16 = 18193;
const INPUTS_PORT: u16 = 18198;

/// Median milliseconds of `f` over `runs` runs.
fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = std::time::Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[runs / 2]
}

/// `cargo xtask bench inputs`: the large inputs of the security issue's "linear time" goals,
/// natively (the pure code alone) and in the browser (what a user waits for), each printed
/// with its goal.
pub fn inputs_benchmark() -> anyhow::Result<()> {
    use ims_api::names;
    let ids: String = (0..10_000)
        .map(|n| format!("{:032x}\n", 0xd00000 + n))
        .collect();
    let parse = median_ms(7, || {
        let t = ims_api::ids::parse_project_ids(&ids, Some(&"f".repeat(32)));
        assert_eq!(t.len(), 10_000);
    });
    let mut book = String::from("project_id,name\n");
    for n in 0..25_000 {
        book.push_str(&format!("{:032x},partner-{n}\n", 0xe00000 + n));
    }
    let import = median_ms(7, || {
        let (good, _) = names::read_book(book.as_bytes()).unwrap_or_default();
        let mut merged = Vec::new();
        names::merge(&mut merged, good);
        assert_eq!(merged.len(), 25_000);
    });
    println!("native: 10,000 project IDs parsed and checked: median {parse:.1} ms of 7");
    println!("native: 25,000 address-book entries read and merged: median {import:.1} ms of 7");
    plan_benchmark()?;

    let dist = root().join("dist");
    let _sandbox = sandbox(INPUTS_PORT, &["--dist", dist.to_str().unwrap_or("dist")])?;
    let result = bench_result_path("inputs")?;
    proc::run(
        cmd("node")
            .current_dir(root().join("e2e"))
            .arg("bench/inputs-bench.mjs")
            .env("E2E_BASE", format!("http://127.0.0.1:{INPUTS_PORT}"))
            .env("BENCH_RESULT", &result),
    )?;
    let figures = read_result(&result)?;
    let verdict = |ms: f64, goal: f64| {
        if ms <= goal {
            "met".to_string()
        } else {
            format!("NOT MET ({:.2}x the goal)", ms / goal)
        }
    };
    let (paste, imported) = (
        number(&figures, "paste_ms")?,
        number(&figures, "import_ms")?,
    );
    let floor = number(&figures, "paste_floor_ms")?;
    let frame = number(&figures, "paste_frame_ms")?;
    println!("\nthe goals (issue: security, linear time), this run:");
    println!(
        "10,000 project IDs pasted and checked in the browser (input to the result in the page): {paste:.0} ms, goal <= 100 ms: {}; to the next frame {frame:.0} ms, of which the browser alone, laying out the same text in a bare text area, takes {floor:.0} ms",
        verdict(paste, 100.0)
    );
    println!(
        "25,000 address-book entries imported in the browser: {imported:.0} ms, goal <= 1000 ms: {}",
        verdict(imported, 1000.0)
    );
    Ok(())
}

/// `cargo xtask bench scale`: the console against a sandbox holding 20,000 images.
pub fn scale_benchmark() -> anyhow::Result<()> {
    let dist = root().join("dist");
    let config = crate::test::logs_dir().join("scale-config.json");
    std::fs::write(
        &config,
        r#"{"iam_url": "", "ims_url": "", "flavor": "ims", "region": "sandbox-1", "default_domain": "Default"}"#,
    )
        .with_context(|| format!("cannot write {}", config.display()))?;
    let _sandbox = sandbox(
        SCALE_PORT,
        &[
            "--dist",
            dist.to_str().unwrap_or("dist"),
            "--config",
            config.to_str().unwrap_or(""),
            "--images",
            "20000",
            "--job-delay-ms",
            "200..400",
        ],
    )?;
    proc::run(
        cmd("node")
            .current_dir(root().join("e2e"))
            .arg("bench/scale-bench.mjs")
            .env("E2E_BASE", format!("http://127.0.0.1:{SCALE_PORT}")),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_page_without_its_app_keeps_the_form_stylesheet_and_shell_script() {
        let page = r#"<head><script type="module" src="/boot-1.js"></script><link rel="stylesheet" href="/style-1.css"/>
<link fetchpriority="low" rel="modulepreload" href="/app-1.js" crossorigin="anonymous"><link rel="preload" href="/app-1_bg.wasm" as="fetch"></head>
<body><form><input type="password"></form><script src="/shell-1.js"></script></body>"#;
        let out = super::without_app(page);
        assert!(!out.contains("boot-1") && !out.contains("app-1"), "{out}");
        assert!(
            out.contains("style-1.css") && out.contains("shell-1.js") && out.contains("password")
        );
    }
}
