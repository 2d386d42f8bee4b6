//! The sandbox's state: projects, users, tokens, images, members, key grants and jobs.
//! Written from the API notes, independently of the console's own types.

use std::collections::{HashMap, HashSet};
use std::time::{SystemTime, UNIX_EPOCH};

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

pub fn rfc3339(ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    t.format(&time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z"
    ))
    .unwrap_or_default()
}

/// Glance and IMS print times without fractions.
pub fn rfc3339_short(ms: i64) -> String {
    let full = rfc3339(ms);
    format!("{}Z", &full[..19])
}

/// A stable pseudo-random 128-bit value from a string (FNV-1a, twice), for seed IDs.
fn hash128(s: &str) -> u128 {
    let mut a: u64 = 0xcbf29ce484222325;
    let mut b: u64 = 0x84222325cbf29ce4;
    for byte in s.bytes() {
        a = (a ^ byte as u64).wrapping_mul(0x100000001b3);
        b = (b ^ byte as u64).wrapping_mul(0x100000001b3).rotate_left(7);
    }
    ((a as u128) << 64) | b as u128
}

pub fn uuid_from(s: &str) -> String {
    uuid_v4_shape(&hex32_from(s))
}

/// 32 hex digits laid out as a version-4 UUID (its version and variant digits set).
fn uuid_v4_shape(h: &str) -> String {
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

pub fn hex32_from(s: &str) -> String {
    format!("{:032x}", hash128(s))
}

pub fn random_hex(n: usize) -> String {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    (0..n)
        .map(|_| format!("{:x}", rng.gen_range(0..16u8)))
        .collect()
}

pub fn random_uuid() -> String {
    uuid_v4_shape(&random_hex(32))
}

#[derive(Clone, Debug)]
pub struct Project {
    pub id: String,
    pub name: String,
    /// The name of the account (domain) that holds it.
    pub domain: String,
}

/// An account (IAM domain): 32 hex characters, like a project ID.
#[derive(Clone, Debug)]
pub struct Domain {
    pub id: String,
    pub name: String,
}

pub fn domain_id(name: &str) -> String {
    hex32_from(&format!("domain:{}", name.to_ascii_lowercase()))
}

#[derive(Clone, Debug)]
pub struct User {
    pub id: String,
    pub name: String,
    pub password: String,
    pub domain: String,
    pub project_ids: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Token {
    pub user_id: String,
    pub project_id: String,
    pub issued_ms: i64,
    pub expires_ms: i64,
    pub revoked: bool,
}

#[derive(Clone, Debug)]
pub struct Image {
    pub id: String,
    pub name: String,
    pub owner: String,
    pub status: String,
    pub visibility: String,
    pub disk_format: String,
    pub os_type: String,
    pub os_version: String,
    pub platform: String,
    pub size: u64,
    pub cmk_id: Option<String>,
    /// Encrypted with the default key: never shareable.
    pub default_key: bool,
    pub whole_image: bool,
    pub created_ms: i64,
    pub updated_ms: i64,
}

#[derive(Clone, Debug)]
pub struct Member {
    pub member_id: String,
    /// `project`, `domain` or `organization`.
    pub member_type: &'static str,
    /// An organization's URN.
    pub urn: Option<String>,
    pub status: String,
    pub created_ms: i64,
    pub updated_ms: i64,
    pub vault_id: Option<String>,
}

#[derive(Clone, Debug)]
pub enum Effect {
    AddMember {
        image_id: String,
        project_id: String,
        member_type: &'static str,
        urn: Option<String>,
    },
    SetStatus {
        image_id: String,
        project_id: String,
        status: String,
        vault_id: Option<String>,
    },
    RemoveMember {
        image_id: String,
        project_id: String,
    },
    /// A replica: the new image appears when its job ends.
    AddImage(Box<Image>),
}

#[derive(Clone, Debug)]
pub struct JobResult {
    pub image_id: String,
    pub project_id: Option<String>,
    pub error: Option<(String, String)>,
}

#[derive(Clone, Debug)]
pub struct Job {
    pub id: String,
    pub job_type: &'static str,
    pub project_id: String,
    pub begin_ms: i64,
    pub duration_ms: i64,
    /// The first failure decides the job: no effect is applied then.
    pub failure: Option<(String, String)>,
    pub results: Vec<JobResult>,
    pub effects: Vec<Effect>,
    pub settled: bool,
}

#[derive(Default)]
pub struct Db {
    /// The first account's name (the seed's `domain`); `domains` holds every account.
    pub domain: String,
    pub domains: Vec<Domain>,
    pub projects: Vec<Project>,
    pub users: Vec<User>,
    pub tokens: HashMap<String, Token>,
    pub images: Vec<Image>,
    pub members: HashMap<String, Vec<Member>>,
    /// KMS key id → projects granted on it.
    pub key_grants: HashMap<String, HashSet<String>>,
    pub jobs: HashMap<String, Job>,
}

impl Db {
    pub fn project_by_name(&self, name: &str) -> Option<&Project> {
        self.projects.iter().find(|p| p.name == name)
    }
    pub fn project(&self, id: &str) -> Option<&Project> {
        self.projects.iter().find(|p| p.id == id)
    }
    pub fn image(&self, id: &str) -> Option<&Image> {
        self.images.iter().find(|i| i.id == id)
    }
    pub fn image_mut(&mut self, id: &str) -> Option<&mut Image> {
        self.images.iter_mut().find(|i| i.id == id)
    }
    pub fn members_of(&self, image_id: &str) -> &[Member] {
        self.members.get(image_id).map(Vec::as_slice).unwrap_or(&[])
    }
    pub fn member(&self, image_id: &str, project_id: &str) -> Option<&Member> {
        self.members_of(image_id)
            .iter()
            .find(|m| m.member_id == project_id)
    }

    /// Applies the effects of every job whose time has come. Called before each request, so
    /// state and job status agree whoever looks first.
    pub fn settle_jobs(&mut self, now: i64) {
        let due: Vec<String> = self
            .jobs
            .values()
            .filter(|j| !j.settled && now >= j.begin_ms + j.duration_ms)
            .map(|j| j.id.clone())
            .collect();
        for id in due {
            let job = self.jobs.get_mut(&id).expect("due job exists");
            job.settled = true;
            if job.failure.is_some() {
                continue;
            }
            let effects = job.effects.clone();
            for e in effects {
                self.apply(e, now);
            }
        }
    }

    pub fn apply(&mut self, effect: Effect, now: i64) {
        match effect {
            Effect::AddMember {
                image_id,
                project_id,
                member_type,
                urn,
            } => {
                let list = self.members.entry(image_id).or_default();
                if !list.iter().any(|m| m.member_id == project_id) {
                    list.push(Member {
                        member_id: project_id,
                        member_type,
                        urn,
                        status: "pending".into(),
                        created_ms: now,
                        updated_ms: now,
                        vault_id: None,
                    });
                }
            }
            Effect::SetStatus {
                image_id,
                project_id,
                status,
                vault_id,
            } => {
                if let Some(m) = self
                    .members
                    .get_mut(&image_id)
                    .and_then(|l| l.iter_mut().find(|m| m.member_id == project_id))
                {
                    m.status = status;
                    m.updated_ms = now;
                    if vault_id.is_some() {
                        m.vault_id = vault_id;
                    }
                }
            }
            Effect::RemoveMember {
                image_id,
                project_id,
            } => {
                if let Some(l) = self.members.get_mut(&image_id) {
                    l.retain(|m| m.member_id != project_id);
                }
            }
            Effect::AddImage(image) => self.images.push(*image),
        }
    }
}
