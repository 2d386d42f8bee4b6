//! The seed file: projects, users, key grants and images with their members, by name; IDs
//! derive from the names so they are the same on every start.

use std::collections::HashMap;

use serde::Deserialize;

use crate::model::{domain_id, hex32_from, uuid_from, Db, Domain, Image, Member, Project, User};

#[derive(Deserialize)]
pub struct SeedFile {
    pub domain: String,
    pub projects: Vec<String>,
    pub users: Vec<SeedUser>,
    #[serde(default)]
    pub key_grants: HashMap<String, Vec<String>>,
    pub images: Vec<SeedImage>,
    /// Further accounts, each with its own projects and users.
    #[serde(default)]
    pub other_domains: Vec<SeedDomain>,
}

#[derive(Deserialize)]
pub struct SeedDomain {
    pub name: String,
    pub projects: Vec<String>,
    pub users: Vec<SeedUser>,
}

#[derive(Deserialize)]
pub struct SeedUser {
    pub name: String,
    pub password: String,
    pub projects: Vec<String>,
}

#[derive(Deserialize)]
pub struct SeedImage {
    pub name: String,
    pub owner: String,
    #[serde(default = "private")]
    pub visibility: String,
    #[serde(default = "active")]
    pub status: String,
    #[serde(default)]
    pub os: String,
    #[serde(default)]
    pub size_gib: f64,
    #[serde(default)]
    pub cmk: Option<String>,
    #[serde(default)]
    pub default_key: bool,
    #[serde(default)]
    pub whole_image: bool,
    /// project name → member status
    #[serde(default)]
    pub members: HashMap<String, String>,
    /// The region that holds the image; the first region when absent.
    #[serde(default)]
    pub region: Option<String>,
}

fn private() -> String {
    "private".into()
}
fn active() -> String {
    "active".into()
}

impl Db {
    /// Builds the state of one region from a seed, plus (in the first region) `extra_images`
    /// generated images owned by the first project, for scale tests. Projects, users and key
    /// grants are global, as in IAM; images and their members belong to a region. IDs derive
    /// from names, so they are the same on every start.
    pub fn from_seed(seed: &SeedFile, extra_images: usize, region: &str) -> Result<Self, String> {
        let first = region == crate::REGIONS[0];
        let extra_images = if first { extra_images } else { 0 };
        let mut db = Db {
            domain: seed.domain.clone(),
            ..Default::default()
        };
        let accounts = std::iter::once((&seed.domain, &seed.projects, &seed.users)).chain(
            seed.other_domains
                .iter()
                .map(|d| (&d.name, &d.projects, &d.users)),
        );
        let mut users = Vec::new();
        for (domain, projects, seed_users) in accounts {
            db.domains.push(Domain {
                id: domain_id(domain),
                name: domain.clone(),
            });
            for name in projects {
                db.projects.push(Project {
                    id: hex32_from(&format!("project:{name}")),
                    name: name.clone(),
                    domain: domain.clone(),
                });
            }
            users.extend(seed_users.iter().map(|u| (domain.clone(), u)));
        }
        let pid = |db: &Db, name: &str| {
            db.project_by_name(name)
                .map(|p| p.id.clone())
                .ok_or_else(|| format!("seed: unknown project {name}"))
        };
        for (domain, u) in users {
            let project_ids = u
                .projects
                .iter()
                .map(|p| pid(&db, p))
                .collect::<Result<_, _>>()?;
            db.users.push(User {
                id: hex32_from(&format!("user:{}", u.name)),
                name: u.name.clone(),
                password: u.password.clone(),
                domain,
                project_ids,
            });
        }
        for (key, projects) in &seed.key_grants {
            let ids = projects
                .iter()
                .map(|p| pid(&db, p))
                .collect::<Result<_, _>>()?;
            db.key_grants.insert(key.clone(), ids);
        }
        let base = 1_767_225_600_000i64; // 2026-01-01: seed times are stable across restarts
        for (n, s) in seed.images.iter().enumerate() {
            if s.region.as_deref().unwrap_or(crate::REGIONS[0]) != region {
                continue;
            }
            let id = uuid_from(&format!("image:{}", s.name));
            let owner = pid(&db, &s.owner)?;
            let t = base + n as i64 * 3_600_000;
            db.images.push(Image {
                id: id.clone(),
                name: s.name.clone(),
                owner,
                status: s.status.clone(),
                visibility: s.visibility.clone(),
                disk_format: "zvhd2".into(),
                os_type: if s.os.to_lowercase().contains("windows") {
                    "Windows".into()
                } else {
                    "Linux".into()
                },
                os_version: s.os.clone(),
                platform: s
                    .os
                    .split_whitespace()
                    .next()
                    .unwrap_or("Other")
                    .to_string(),
                size: (s.size_gib * 1_073_741_824.0) as u64,
                cmk_id: s.cmk.clone(),
                default_key: s.default_key,
                whole_image: s.whole_image,
                created_ms: t,
                updated_ms: t,
            });
            let mut members = Vec::new();
            for (pname, status) in &s.members {
                members.push(Member {
                    member_id: pid(&db, pname)?,
                    member_type: "project",
                    urn: None,
                    status: status.clone(),
                    created_ms: t,
                    updated_ms: t,
                    vault_id: None,
                });
            }
            members.sort_by(|a, b| a.member_id.cmp(&b.member_id));
            db.members.insert(id, members);
        }
        let owner = db
            .projects
            .first()
            .map(|p| p.id.clone())
            .unwrap_or_default();
        for n in 0..extra_images {
            let name = format!("bulk-{n:05}");
            let t = base - (n as i64 + 1) * 60_000;
            db.images.push(Image {
                id: uuid_from(&format!("image:{name}")),
                name,
                owner: owner.clone(),
                status: "active".into(),
                visibility: "private".into(),
                disk_format: "qcow2".into(),
                os_type: "Linux".into(),
                os_version: ["Ubuntu 24.04", "Debian 12", "EulerOS 2.9", "CentOS 7.9"][n % 4]
                    .into(),
                platform: ["Ubuntu", "Debian", "EulerOS", "CentOS"][n % 4].into(),
                size: (n as u64 % 40 + 1) * 268_435_456,
                cmk_id: None,
                default_key: false,
                whole_image: false,
                created_ms: t,
                updated_ms: t,
            });
        }
        Ok(db)
    }
}
