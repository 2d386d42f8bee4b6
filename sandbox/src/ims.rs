//! The IMS extension: batch share / answer / stop sharing as asynchronous jobs, the job
//! query, and the quota.

use crate::errors::SandboxError;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rand::Rng;
use serde_json::{json, Value};

use crate::caller::ImsCaller;
use crate::errors::ims;
use crate::member_kinds::Target;
use crate::model::{now_ms, random_uuid, rfc3339_short, Db, Effect, Job, JobResult};
use crate::AppState;

pub const MEMBER_LIMIT: usize = 256;
pub const FULL_ECS_MEMBER_LIMIT: usize = 10;

fn is_hex32(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) {
                c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

fn string_list(
    v: &Value,
    field: &str,
    code: &str,
    what: &str,
) -> Result<Vec<String>, SandboxError> {
    let arr = v[field]
        .as_array()
        .filter(|a| !a.is_empty())
        .ok_or_else(|| {
            ims(
                StatusCode::BAD_REQUEST,
                code,
                &format!("{field} must be a non-empty list of {what}."),
            )
        })?;
    arr.iter()
        .map(|x| {
            x.as_str().map(str::to_string).ok_or_else(|| {
                ims(
                    StatusCode::BAD_REQUEST,
                    code,
                    &format!("{field} must hold strings."),
                )
            })
        })
        .collect()
}

fn check_ids(images: &[String], projects: &[String]) -> Result<(), SandboxError> {
    if let Some(bad) = images.iter().find(|i| !is_uuid(i)) {
        return Err(ims(
            StatusCode::BAD_REQUEST,
            "IMG.0066",
            &format!("The image ID is incorrect: {bad}."),
        ));
    }
    if let Some(bad) = projects.iter().find(|p| !is_hex32(p)) {
        return Err(ims(
            StatusCode::BAD_REQUEST,
            "IMG.0067",
            &format!("The project ID is incorrect: {bad}."),
        ));
    }
    Ok(())
}

pub fn start_job(
    state: &AppState,
    db: &mut Db,
    job_type: &'static str,
    project_id: &str,
    results: Vec<JobResult>,
    effects: Vec<Effect>,
) -> Response {
    let (lo, hi) = state.settings().job_delay_ms;
    let duration_ms = if hi > lo {
        rand::thread_rng().gen_range(lo..=hi)
    } else {
        lo
    };
    let failure = results.iter().find_map(|r| r.error.clone());
    let id = random_uuid().replace('-', "");
    db.jobs.insert(
        id.clone(),
        Job {
            id: id.clone(),
            job_type,
            project_id: project_id.to_string(),
            begin_ms: now_ms(),
            duration_ms,
            failure,
            results,
            effects,
            settled: false,
        },
    );
    Json(json!({"job_id": id})).into_response()
}

fn fail(image_id: &str, project_id: Option<&str>, code: &str, reason: String) -> JobResult {
    JobResult {
        image_id: image_id.to_string(),
        project_id: project_id.map(str::to_string),
        error: Some((code.to_string(), reason)),
    }
}

fn ok(image_id: &str, project_id: Option<&str>) -> JobResult {
    JobResult {
        image_id: image_id.to_string(),
        project_id: project_id.map(str::to_string),
        error: None,
    }
}

/// The images and members of a batch add or delete body, checked.
fn batch_body(
    state: &AppState,
    body: Option<Json<Value>>,
    own: Option<(&str, &str)>,
) -> Result<(Vec<String>, Vec<Target>), SandboxError> {
    let body = body.map(|b| b.0).unwrap_or(Value::Null);
    let images = string_list(&body, "images", "IMG.0066", "image IDs")?;
    if let Some(bad) = images.iter().find(|i| !is_uuid(i)) {
        return Err(ims(
            StatusCode::BAD_REQUEST,
            "IMG.0066",
            &format!("The image ID is incorrect: {bad}."),
        ));
    }
    let cloud_otc = state.settings().cloud_otc;
    Ok((images, crate::member_kinds::targets(&body, cloud_otc, own)?))
}

/// Whether an image may be shared at all, as the owner `project_id`: the refusal otherwise.
fn unshareable(db: &Db, image_id: &str, project_id: &str) -> Option<JobResult> {
    let Some(img) = db.image(image_id) else {
        return Some(fail(
            image_id,
            None,
            "IMG.0027",
            format!("Image {image_id} does not exist."),
        ));
    };
    let (code, reason) = if img.owner != project_id {
        (
            "IMG.0047",
            format!("Only the owner can share image {image_id}."),
        )
    } else if img.visibility == "public" {
        (
            "IMG.0089",
            format!("Public image {image_id} can not be shared."),
        )
    } else if img.status != "active" {
        (
            "IMG.0046",
            format!("Image {image_id} is {}, not active.", img.status),
        )
    } else if img.cmk_id.is_some() && img.default_key {
        (
            "IMG.0098",
            format!("Image {image_id} is encrypted with a default key and can not be shared."),
        )
    } else {
        return None;
    };
    Some(fail(image_id, None, code, reason))
}

/// The members an image has, and those that jobs accepted but not yet carried out: the
/// quota counts both.
fn members_to_be(db: &Db, image_id: &str) -> Vec<String> {
    let mut existing: Vec<String> = db
        .members_of(image_id)
        .iter()
        .map(|m| m.member_id.clone())
        .collect();
    for job in db
        .jobs
        .values()
        .filter(|j| !j.settled && j.failure.is_none())
    {
        for e in &job.effects {
            if let Effect::AddMember {
                image_id: i,
                project_id,
                ..
            } = e
            {
                if i == image_id && !existing.contains(project_id) {
                    existing.push(project_id.clone());
                }
            }
        }
    }
    existing
}

/// One shareable image's results and effects: the member limit (members and those pending
/// in unfinished jobs), then each member, with the key grant an encrypted image needs.
fn share_one(
    db: &Db,
    image_id: &String,
    targets: &[Target],
    results: &mut Vec<JobResult>,
    effects: &mut Vec<Effect>,
) {
    let img = db.image(image_id).cloned().expect("checked shareable");
    let existing = members_to_be(db, image_id);
    let new = targets
        .iter()
        .filter(|t| !existing.contains(&t.member_id))
        .count();
    let limit = if img.whole_image {
        FULL_ECS_MEMBER_LIMIT
    } else {
        MEMBER_LIMIT
    };
    if existing.len() + new > limit {
        results.push(fail(
            image_id,
            None,
            "IMG.0088",
            format!(
                "Image {image_id} would have {} members; the limit is {limit}.",
                existing.len() + new
            ),
        ));
        return;
    }
    for t in targets {
        let p = &t.member_id;
        if let Some(key) = &img.cmk_id {
            if !db.key_grants.get(key).is_some_and(|g| g.contains(p)) {
                results.push(fail(
                    image_id,
                    Some(p),
                    "IMG.0099",
                    format!("Project {p} has no grant on key {key} of image {image_id}."),
                ));
                continue;
            }
        }
        results.push(ok(image_id, Some(p)));
        effects.push(Effect::AddMember {
            image_id: image_id.clone(),
            project_id: p.clone(),
            member_type: t.member_type,
            urn: t.urn.clone(),
        });
    }
}

/// `POST /v1/cloudimages/members`: the owner shares images with projects, accounts and
/// organizations.
pub async fn share(
    State(state): State<AppState>,
    ImsCaller(token): ImsCaller,
    body: Option<Json<Value>>,
) -> Result<Response, SandboxError> {
    let account = crate::member_kinds::account_of(&state.db(), &token);
    let (images, targets) = batch_body(&state, body, Some((&token.project_id, &account)))?;
    let mut db = state.db();
    let mut results = Vec::new();
    let mut effects = Vec::new();
    for image_id in &images {
        if let Some(refused) = unshareable(&db, image_id, &token.project_id) {
            results.push(refused);
            continue;
        }
        share_one(&db, image_id, &targets, &mut results, &mut effects);
    }
    let owner = token.project_id.clone();
    Ok(start_job(
        &state,
        &mut db,
        "imsAddImageMembersJob",
        &owner,
        results,
        effects,
    ))
}

/// `DELETE /v1/cloudimages/members`: the owner stops sharing.
pub async fn stop(
    State(state): State<AppState>,
    ImsCaller(token): ImsCaller,
    body: Option<Json<Value>>,
) -> Result<Response, SandboxError> {
    let (images, targets) = batch_body(&state, body, None)?;
    let mut db = state.db();
    let mut results = Vec::new();
    let mut effects = Vec::new();
    for image_id in &images {
        match db.image(image_id) {
            None => results.push(fail(
                image_id,
                None,
                "IMG.0027",
                format!("Image {image_id} does not exist."),
            )),
            Some(img) if img.owner != token.project_id => results.push(fail(
                image_id,
                None,
                "IMG.0047",
                format!("Only the owner can stop sharing image {image_id}."),
            )),
            Some(_) => {
                for t in &targets {
                    results.push(ok(image_id, Some(&t.member_id)));
                    effects.push(Effect::RemoveMember {
                        image_id: image_id.clone(),
                        project_id: t.member_id.clone(),
                    });
                }
            }
        }
    }
    let owner = token.project_id.clone();
    Ok(start_job(
        &state,
        &mut db,
        "imsDelImageMembersJob",
        &owner,
        results,
        effects,
    ))
}

/// Whether `project_id` may answer `image_id` as `status`: the job's failed line if not.
fn answerable(
    db: &Db,
    image_id: &str,
    project_id: &str,
    status: &str,
    has_vault: bool,
) -> Result<(), JobResult> {
    let Some(img) = db
        .image(image_id)
        .filter(|_| db.member(image_id, project_id).is_some())
    else {
        return Err(fail(
            image_id,
            Some(project_id),
            "IMG.0027",
            format!("Image {image_id} is not shared with project {project_id}."),
        ));
    };
    if img.whole_image && status == "accepted" && !has_vault {
        return Err(fail(
            image_id,
            Some(project_id),
            "IMG.0182",
            format!("Accepting full-ECS image {image_id} needs vault_id."),
        ));
    }
    Ok(())
}

/// `PUT /v1/cloudimages/members`: the recipient accepts or rejects.
pub async fn answer(
    State(state): State<AppState>,
    ImsCaller(token): ImsCaller,
    body: Option<Json<Value>>,
) -> Result<Response, SandboxError> {
    let body = body.map(|b| b.0).unwrap_or(Value::Null);
    let images = string_list(&body, "images", "IMG.0066", "image IDs")?;
    let project_id = body["project_id"].as_str().unwrap_or("").to_string();
    check_ids(&images, std::slice::from_ref(&project_id))?;
    let status = body["status"].as_str().unwrap_or("");
    if status != "accepted" && status != "rejected" {
        return Err(ims(
            StatusCode::BAD_REQUEST,
            "IMG.0001",
            "status must be accepted or rejected.",
        ));
    }
    if project_id != token.project_id {
        return Err(ims(StatusCode::FORBIDDEN, "IMG.0026", &format!("The token is scoped to project {}, not to project {project_id}: only the member project can accept or reject.", token.project_id)));
    }
    let vault_id = body["vault_id"]
        .as_str()
        .filter(|v| !v.is_empty())
        .map(str::to_string);
    let mut db = state.db();
    let (mut results, mut effects) = (Vec::new(), Vec::new());
    for image_id in &images {
        match answerable(&db, image_id, &project_id, status, vault_id.is_some()) {
            Err(failed) => results.push(failed),
            Ok(()) => {
                results.push(ok(image_id, Some(&project_id)));
                effects.push(Effect::SetStatus {
                    image_id: image_id.clone(),
                    project_id: project_id.clone(),
                    status: status.to_string(),
                    vault_id: vault_id.clone(),
                });
            }
        }
    }
    Ok(start_job(
        &state,
        &mut db,
        "imsUpdateImageMembersJob",
        &project_id,
        results,
        effects,
    ))
}

/// `GET /v1/{project_id}/jobs/{job_id}`.
pub async fn job(
    State(state): State<AppState>,
    ImsCaller(token): ImsCaller,
    Path((project_id, job_id)): Path<(String, String)>,
) -> Result<Response, SandboxError> {
    crate::member_kinds::check_project(&token, &project_id)?;
    let db = state.db();
    let j = db
        .jobs
        .get(&job_id)
        .filter(|j| j.project_id == project_id)
        .ok_or_else(|| {
            ims(
                StatusCode::NOT_FOUND,
                "IMG.0027",
                &format!("Job {job_id} does not exist."),
            )
        })?;
    Ok(Json(job_json(j, now_ms())).into_response())
}

/// A job as IMS shows it at `now`: INIT for its first third, then RUNNING until it settles.
fn job_json(j: &Job, now: i64) -> Value {
    let elapsed = now - j.begin_ms;
    let status = if j.settled {
        if j.failure.is_some() {
            "FAIL"
        } else {
            "SUCCESS"
        }
    } else if elapsed < j.duration_ms / 3 {
        "INIT"
    } else {
        "RUNNING"
    };
    let mut out = json!({
        "job_id": j.id, "job_type": j.job_type, "status": status,
        "begin_time": rfc3339_short(j.begin_ms),
        "end_time": if j.settled { json!(rfc3339_short(j.begin_ms + j.duration_ms)) } else { json!("") },
        "error_code": null, "fail_reason": null, "entities": {}
    });
    if j.settled {
        let results: Vec<Value> = j
            .results
            .iter()
            .map(|r| {
                let mut v = json!({"image_id": r.image_id, "status": if r.error.is_some() { "failed" } else if j.failure.is_some() { "skipped" } else { "success" }});
                if let Some(p) = &r.project_id {
                    v["project_id"] = json!(p);
                }
                if let Some((code, reason)) = &r.error {
                    v["error_code"] = json!(code);
                    v["fail_reason"] = json!(reason);
                }
                v
            })
            .collect();
        out["entities"] = json!({"results": results});
        if let Some((code, reason)) = &j.failure {
            out["error_code"] = json!(code);
            out["fail_reason"] = json!(reason);
        }
    }
    out
}

/// `GET /v1/cloudimages/quota`.
pub async fn quota(State(state): State<AppState>, ImsCaller(token): ImsCaller) -> Response {
    let db = state.db();
    let own: Vec<&crate::model::Image> = db
        .images
        .iter()
        .filter(|i| i.owner == token.project_id)
        .collect();
    let shared = own
        .iter()
        .filter(|i| !db.members_of(&i.id).is_empty())
        .count();
    let fullest = own
        .iter()
        .map(|i| db.members_of(&i.id).len())
        .max()
        .unwrap_or(0);
    Json(json!({"quotas": {"resources": [
        {"type": "image", "used": own.len(), "quota": 100_000, "min": 0, "max": 100_000},
        {"type": "image_shared", "used": shared, "quota": 100_000, "min": 0, "max": 100_000},
        {"type": "image_member", "used": fullest, "quota": MEMBER_LIMIT, "min": 0, "max": MEMBER_LIMIT}
    ]}}))
    .into_response()
}
