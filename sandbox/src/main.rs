//! `ims-sandbox`: run the local IAM + IMS + Glance stand-in.

use std::path::PathBuf;

const USAGE: &str = "usage: ims-sandbox [--bind ADDR] [--port N] [--seed FILE] [--images N] [--token-ttl SECONDS]
       [--job-delay-ms MIN[..MAX]] [--glance] [--cors-origin ORIGIN]... [--dist DIR] [--config FILE]";

fn parse(args: Vec<String>) -> Result<(String, ims_sandbox::Options), String> {
    let mut o = ims_sandbox::Options::default();
    let (mut bind, mut port) = ("127.0.0.1".to_string(), "8080".to_string());
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let mut val = || {
            it.next()
                .ok_or_else(|| format!("{a} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--bind" => bind = val()?,
            "--port" => port = val()?,
            "--seed" => o.seed = Some(PathBuf::from(val()?)),
            "--images" => o.extra_images = val()?.parse().map_err(|_| "--images takes a number")?,
            "--token-ttl" => {
                o.token_ttl_s = val()?.parse().map_err(|_| "--token-ttl takes seconds")?
            }
            "--job-delay-ms" => {
                let v = val()?;
                let (lo, hi) = v.split_once("..").unwrap_or((&v, &v));
                o.job_delay_ms = (
                    lo.parse().map_err(|_| "bad --job-delay-ms")?,
                    hi.parse().map_err(|_| "bad --job-delay-ms")?,
                );
            }
            "--glance" => o.glance_mode = true,
            "--cors-origin" => o.cors_origins.push(val()?),
            "--dist" => o.dist = Some(PathBuf::from(val()?)),
            "--config" => o.config = Some(PathBuf::from(val()?)),
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok((format!("{bind}:{port}"), o))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let (addr, options) = match parse(std::env::args().skip(1).collect()) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let state = match ims_sandbox::build_state(options) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("ims-sandbox: {e}");
            std::process::exit(1);
        }
    };
    let listener = match tokio::net::TcpListener::bind(&addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("ims-sandbox: cannot listen on {addr}: {e}");
            std::process::exit(1);
        }
    };
    let images = state.db.lock().map(|d| d.images.len()).unwrap_or(0);
    println!("ims-sandbox listening on http://{addr} ({images} images)");
    if let Err(e) = ims_sandbox::serve(listener, state).await {
        eprintln!("ims-sandbox: {e}");
        std::process::exit(1);
    }
}
