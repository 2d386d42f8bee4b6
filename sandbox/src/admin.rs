//! The loopback-only admin endpoint tests use to steer the sandbox (faults, Glance mode,
//! token lifetime, job delay, reset), and `config.json` for the console it serves.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::middleware::Fault;
use crate::model::now_ms;
use crate::AppState;

pub async fn add_fault(State(state): State<AppState>, Json(f): Json<Fault>) -> Response {
    state
        .faults
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(f);
    StatusCode::NO_CONTENT.into_response()
}

pub async fn clear_faults(State(state): State<AppState>) -> Response {
    state
        .faults
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clear();
    StatusCode::NO_CONTENT.into_response()
}

#[derive(Deserialize)]
pub struct SettingsBody {
    token_ttl_s: Option<i64>,
    job_delay_ms: Option<(i64, i64)>,
    glance_mode: Option<bool>,
    /// `huawei` (the default) or `otc`.
    cloud: Option<String>,
    /// The most members a v1 list page holds; 0 for no cap.
    member_page_max: Option<usize>,
    refuse_rescope: Option<bool>,
}

pub async fn settings(State(state): State<AppState>, Json(b): Json<SettingsBody>) -> Response {
    let mut s = state.settings();
    if let Some(t) = b.token_ttl_s {
        s.token_ttl_s = t;
    }
    if let Some(d) = b.job_delay_ms {
        s.job_delay_ms = d;
    }
    if let Some(g) = b.glance_mode {
        s.glance_mode = g;
    }
    if let Some(c) = b.cloud {
        s.cloud_otc = c == "otc";
    }
    if let Some(m) = b.member_page_max {
        s.member_page_max = (m > 0).then_some(m);
    }
    if let Some(r) = b.refuse_rescope {
        s.refuse_rescope = r;
    }
    Json(json!({"token_ttl_s": s.token_ttl_s, "job_delay_ms": s.job_delay_ms, "glance_mode": s.glance_mode, "cloud": if s.cloud_otc { "otc" } else { "huawei" }})).into_response()
}

/// Back to the seed and the start-up settings; tokens issued so far stay valid.
pub async fn reset(State(state): State<AppState>) -> Response {
    for region in std::iter::once(&state).chain(state.others.iter()) {
        let fresh = match crate::load_db(&state.options, region.region) {
            Ok(db) => db,
            Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e).into_response(),
        };
        let mut db = region.db.lock().unwrap_or_else(|e| e.into_inner());
        let tokens = std::mem::take(&mut db.tokens);
        *db = fresh;
        db.tokens = tokens;
    }
    state
        .faults
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clear();
    let mut s = state.settings();
    s.token_ttl_s = state.options.token_ttl_s;
    s.job_delay_ms = state.options.job_delay_ms;
    s.glance_mode = state.options.glance_mode;
    s.cloud_otc = state.options.cloud_otc;
    s.member_page_max = None;
    s.refuse_rescope = false;
    StatusCode::NO_CONTENT.into_response()
}

/// Ends every token now, as if they had all reached `expires_at`.
pub async fn expire_tokens(State(state): State<AppState>) -> Response {
    let now = now_ms();
    for t in state.db().tokens.values_mut() {
        t.expires_ms = t.expires_ms.min(now);
    }
    StatusCode::NO_CONTENT.into_response()
}

/// Projects, users and images (of every region) with their IDs, for tests and the demo
/// banner.
pub async fn seed_info(State(state): State<AppState>) -> Response {
    let mut images = serde_json::Map::new();
    let mut image_count = 0;
    for region in std::iter::once(&state).chain(state.others.iter()) {
        let db = region.db();
        image_count += db.images.len();
        for i in db.images.iter().filter(|i| !i.name.starts_with("bulk-")) {
            let members: serde_json::Map<String, Value> = db
                .members_of(&i.id)
                .iter()
                .map(|m| (m.member_id.clone(), json!(m.status)))
                .collect();
            images.insert(
                i.name.clone(),
                json!({"id": i.id, "owner": i.owner, "visibility": i.visibility, "encrypted": i.cmk_id.is_some(), "whole_image": i.whole_image, "members": members, "region": region.region}),
            );
        }
    }
    let db = state.db();
    let projects: Value = db
        .projects
        .iter()
        .map(|p| (p.name.clone(), json!(p.id)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    let users: Vec<Value> = db
        .users
        .iter()
        .map(|u| json!({"name": u.name, "password": u.password, "domain": u.domain, "projects": u.project_ids.iter().filter_map(|id| db.project(id).map(|p| p.name.clone())).collect::<Vec<_>>()}))
        .collect();
    let domains: Value = db
        .domains
        .iter()
        .map(|d| (d.name.clone(), json!(d.id)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    Json(json!({"domain": db.domain, "domains": domains, "projects": projects, "users": users, "images": images, "image_count": image_count})).into_response()
}

/// The console's runtime configuration: the file given with `--config`, else the one in
/// `dist/`, else same-origin defaults (this process is IAM and IMS at once).
pub async fn config_json(State(state): State<AppState>) -> Response {
    if let Some(text) = crate::static_files::config_text(&state) {
        return (
            [
                ("content-type", "application/json"),
                ("cache-control", "no-store"),
            ],
            text,
        )
            .into_response();
    }
    let flavor = if state.settings().glance_mode {
        "glance"
    } else {
        "ims"
    };
    ([("cache-control", "no-store")], Json(json!({"iam_url": "", "ims_url": "", "flavor": flavor, "region": "sandbox-1", "default_domain": "Default", "chunk_size": 100, "concurrency": 8}))).into_response()
}
