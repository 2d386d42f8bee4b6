//! `ims-sandbox`: run the local IAM + IMS + Glance stand-in.

use std::path::PathBuf;

/// Run the local IAM + IMS + Glance stand-in (two regions) for the console's demo and tests.
#[derive(clap::Parser)]
#[command(name = "ims-sandbox")]
struct Cli {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    bind: String,
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Seed file (projects, users, images, members); default: the built-in seed.
    #[arg(long)]
    seed: Option<PathBuf>,
    /// Generated images owned by the first project, for scale tests.
    #[arg(long = "images", default_value_t = 0)]
    extra_images: usize,
    /// Token lifetime in seconds.
    #[arg(long = "token-ttl", default_value_t = 86_400)]
    token_ttl_s: i64,
    /// How long a job takes: MS, or MIN..MAX for a random time in between.
    #[arg(long = "job-delay-ms", value_parser = parse_delay, default_value = "1000..2000")]
    job_delay_ms: (i64, i64),
    /// Behave as plain OpenStack Glance (no IMS paths).
    #[arg(long = "glance")]
    glance_mode: bool,
    /// Which vendor's IMS to answer as: `huawei` (accounts and organizations as members)
    /// or `otc` (projects only: a body with `domains` or `organizations` gets a 400).
    #[arg(long, value_parser = ["huawei", "otc"], default_value = "huawei")]
    cloud: String,
    /// Origins allowed to call over CORS (repeatable).
    #[arg(long = "cors-origin")]
    cors_origins: Vec<String>,
    /// The console's release build to serve.
    #[arg(long)]
    dist: Option<PathBuf>,
    /// The console's config.json to serve instead of the one in --dist.
    #[arg(long)]
    config: Option<PathBuf>,
}

fn parse_delay(v: &str) -> Result<(i64, i64), String> {
    let (lo, hi) = v.split_once("..").unwrap_or((v, v));
    let n = |s: &str| {
        s.trim()
            .parse::<i64>()
            .map_err(|_| format!("{v}: give MS or MIN..MAX"))
    };
    Ok((n(lo)?, n(hi)?))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let cli = <Cli as clap::Parser>::parse();
    let addr = format!("{}:{}", cli.bind, cli.port);
    let options = ims_sandbox::Options {
        seed: cli.seed,
        extra_images: cli.extra_images,
        token_ttl_s: cli.token_ttl_s,
        job_delay_ms: cli.job_delay_ms,
        glance_mode: cli.glance_mode,
        cloud_otc: cli.cloud == "otc",
        cors_origins: cli.cors_origins,
        dist: cli.dist,
        config: cli.config,
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
