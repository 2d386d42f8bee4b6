//! The sandbox's state: its start-up options, the settings the admin endpoint changes at run
//! time, and one region's database with the faults to inject.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::middleware::Fault;
use crate::model::{self, Db};
use crate::seed::SeedFile;

pub const DEFAULT_SEED: &str = include_str!("../seed.json");

/// The regions served: the first at the root (and under `/<region>/`), the others under
/// `/<region>/`, as the catalog of every token says.
pub const REGIONS: [&str; 2] = ["sandbox-1", "sandbox-2"];

#[derive(Clone, Debug)]
pub struct Options {
    pub seed: Option<PathBuf>,
    pub extra_images: usize,
    pub token_ttl_s: i64,
    pub job_delay_ms: (i64, i64),
    pub glance_mode: bool,
    /// Answer as Open Telekom Cloud's IMS: projects only as members.
    pub cloud_otc: bool,
    pub cors_origins: Vec<String>,
    pub dist: Option<PathBuf>,
    pub config: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            seed: None,
            extra_images: 0,
            token_ttl_s: 86_400,
            job_delay_ms: (1000, 2000),
            glance_mode: false,
            cloud_otc: false,
            cors_origins: Vec::new(),
            dist: None,
            config: None,
        }
    }
}

/// Settings the admin endpoint may change at run time.
pub struct Settings {
    pub token_ttl_s: i64,
    pub job_delay_ms: (i64, i64),
    pub glance_mode: bool,
    pub cloud_otc: bool,
    /// The most members one page of the v1 list holds, whatever `limit` asks: a server may
    /// answer short pages, and a client must follow `next_marker` all the same.
    pub member_page_max: Option<usize>,
    /// IAM refuses the token method (rescoping), as a strict security policy does.
    pub refuse_rescope: bool,
}

pub struct Shared {
    pub db: Mutex<Db>,
    pub settings: Mutex<Settings>,
    pub faults: Mutex<Vec<Fault>>,
    pub options: Options,
    /// The region this state serves.
    pub region: &'static str,
    /// The other regions' image services (the first region's state holds them): their
    /// images are their own, the tokens are IAM's, copied from here before each call.
    pub others: Vec<Arc<Shared>>,
}

pub type AppState = Arc<Shared>;

impl Shared {
    /// The state, with due jobs settled first.
    pub fn db(&self) -> MutexGuard<'_, Db> {
        let mut db = self.db.lock().unwrap_or_else(|e| e.into_inner());
        db.settle_jobs(model::now_ms());
        db
    }
    pub fn settings(&self) -> MutexGuard<'_, Settings> {
        self.settings.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub fn load_db(options: &Options, region: &str) -> Result<Db, String> {
    let text = match &options.seed {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?,
        None => DEFAULT_SEED.to_string(),
    };
    let seed: SeedFile =
        serde_json::from_str(&text).map_err(|e| format!("seed file is not valid: {e}"))?;
    Db::from_seed(&seed, options.extra_images, region)
}

pub fn build_state(options: Options) -> Result<AppState, String> {
    let shared = |region: &'static str, others: Vec<Arc<Shared>>| -> Result<Shared, String> {
        Ok(Shared {
            db: Mutex::new(load_db(&options, region)?),
            settings: Mutex::new(Settings {
                token_ttl_s: options.token_ttl_s,
                job_delay_ms: options.job_delay_ms,
                glance_mode: options.glance_mode,
                cloud_otc: options.cloud_otc,
                member_page_max: None,
                refuse_rescope: false,
            }),
            faults: Mutex::new(Vec::new()),
            options: options.clone(),
            region,
            others,
        })
    };
    let others = REGIONS[1..]
        .iter()
        .map(|r| shared(r, Vec::new()).map(Arc::new))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Arc::new(shared(REGIONS[0], others)?))
}
