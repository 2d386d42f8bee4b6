//! The native image API (Glance v2 compatible) and IMS's `/v2/cloudimages` list: images,
//! filters, paging, and members with the semantics of a real Glance.

use crate::errors::SandboxError;
use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::caller::{GlanceCaller, ImsCaller};
use crate::errors::{glance, ims};
use crate::iam::{check_token, header};
use crate::ims::{FULL_ECS_MEMBER_LIMIT, MEMBER_LIMIT};
use crate::model::{now_ms, rfc3339_short, Db, Image, Member, Token};
use crate::AppState;

fn auth(state: &AppState, headers: &HeaderMap) -> Result<Token, SandboxError> {
    let db = state.db();
    check_token(&db, header(headers, "x-auth-token"))
        .map_err(|f| glance(headers, StatusCode::UNAUTHORIZED, f.message()))
}

fn can_see(db: &Db, img: &Image, project: &str) -> bool {
    img.owner == project || img.visibility == "public" || db.member(&img.id, project).is_some()
}

/// The image `id` as `project` sees it, or Glance's 404, which does not tell a hidden image
/// from a missing one.
fn visible_image<'a>(
    db: &'a Db,
    headers: &HeaderMap,
    id: &str,
    project: &str,
) -> Result<&'a Image, SandboxError> {
    db.image(id)
        .filter(|i| can_see(db, i, project))
        .ok_or_else(|| {
            glance(
                headers,
                StatusCode::NOT_FOUND,
                &format!("No image found with ID {id}"),
            )
        })
}

pub fn image_json(img: &Image, glance_mode: bool) -> Value {
    let mut v = json!({
        "id": img.id, "name": img.name, "owner": img.owner, "status": img.status,
        "visibility": img.visibility, "protected": false, "disk_format": img.disk_format,
        "container_format": "bare", "size": img.size, "min_disk": 40, "min_ram": 1024,
        "tags": [], "created_at": rfc3339_short(img.created_ms), "updated_at": rfc3339_short(img.updated_ms),
        "self": format!("/v2/images/{}", img.id), "file": format!("/v2/images/{}/file", img.id), "schema": "/v2/schemas/image"
    });
    if !glance_mode {
        let kind = if img.visibility == "public" {
            "gold"
        } else {
            "private"
        };
        v["__imagetype"] = json!(kind);
        v["__os_type"] = json!(img.os_type);
        v["__os_version"] = json!(img.os_version);
        v["__platform"] = json!(img.platform);
        v["__image_size"] = json!(img.size.to_string());
        v["__whole_image"] = json!(if img.whole_image { "true" } else { "false" });
        v["__isregistered"] = json!("true");
        if let Some(k) = &img.cmk_id {
            v["__system__cmkid"] = json!(k);
            v["__system_encrypted"] = json!("1");
        }
    }
    v
}

fn member_json(image_id: &str, m: &Member) -> Value {
    json!({"status": m.status, "created_at": rfc3339_short(m.created_ms), "updated_at": rfc3339_short(m.updated_ms),
           "image_id": image_id, "member_id": m.member_id, "schema": "/v2/schemas/member"})
}

/// Which images a list query selects for `project`, sorted and paged.
/// Returns the page and whether more follow.
fn select(
    db: &Db,
    project: &str,
    q: &HashMap<String, String>,
    default_limit: usize,
) -> Result<(Vec<Image>, bool), String> {
    let member_status = q.get("member_status").map(String::as_str);
    if let Some(ms) = member_status {
        if !["pending", "accepted", "rejected", "all"].contains(&ms) {
            return Err(format!("Invalid member_status {ms}."));
        }
    }
    let status_matches = |img: &Image, default: &str| -> bool {
        let wanted = member_status.unwrap_or(default);
        db.member(&img.id, project)
            .is_some_and(|m| wanted == "all" || m.status == wanted)
    };
    let visibility = q.get("visibility").map(String::as_str);
    let imagetype = q.get("__imagetype").map(String::as_str);
    let mut out: Vec<Image> = db
        .images
        .iter()
        .filter(|i| can_see(db, i, project))
        .filter(|i| match visibility {
            Some("shared") => {
                i.owner != project && i.visibility != "public" && status_matches(i, "accepted")
            }
            Some("private") => i.owner == project && i.visibility == "private",
            Some("public") => i.visibility == "public",
            Some(_) => false,
            None => i.owner == project || i.visibility == "public" || status_matches(i, "accepted"),
        })
        .filter(|i| match imagetype {
            Some("private") => i.owner == project && i.visibility != "public",
            Some("shared") => i.owner != project && i.visibility != "public",
            Some("gold") => i.visibility == "public",
            _ => true,
        })
        .filter(|i| q.get("owner").is_none_or(|o| &i.owner == o))
        .filter(|i| q.get("name").is_none_or(|n| &i.name == n))
        .filter(|i| q.get("status").is_none_or(|s| &i.status == s))
        .cloned()
        .collect();
    let key = q
        .get("sort_key")
        .map(String::as_str)
        .unwrap_or("created_at");
    let desc = q.get("sort_dir").map(String::as_str).unwrap_or("desc") != "asc";
    match key {
        "name" => out.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id))),
        "created_at" => out.sort_by(|a, b| a.created_ms.cmp(&b.created_ms).then(a.id.cmp(&b.id))),
        "updated_at" => out.sort_by(|a, b| a.updated_ms.cmp(&b.updated_ms).then(a.id.cmp(&b.id))),
        "size" => out.sort_by(|a, b| a.size.cmp(&b.size).then(a.id.cmp(&b.id))),
        "id" => out.sort_by(|a, b| a.id.cmp(&b.id)),
        other => return Err(format!("Invalid sort_key {other}.")),
    }
    if desc {
        out.reverse();
    }
    if let Some(marker) = q.get("marker") {
        let pos = out
            .iter()
            .position(|i| &i.id == marker)
            .ok_or_else(|| format!("marker {marker} could not be found."))?;
        out.drain(..=pos);
    }
    let limit = match q.get("limit") {
        Some(l) => l
            .parse::<usize>()
            .map_err(|_| format!("limit {l} is not a number."))?
            .min(1000),
        None => default_limit,
    };
    let more = out.len() > limit;
    out.truncate(limit);
    Ok((out, more))
}

pub async fn list_images(
    State(state): State<AppState>,
    GlanceCaller(token): GlanceCaller,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, SandboxError> {
    let glance_mode = state.settings().glance_mode;
    let db = state.db();
    let (page, more) = select(&db, &token.project_id, &q, 25)
        .map_err(|m| glance(&headers, StatusCode::BAD_REQUEST, &m))?;
    let images: Vec<Value> = page.iter().map(|i| image_json(i, glance_mode)).collect();
    let mut base: Vec<String> = q
        .iter()
        .filter(|(k, _)| *k != "marker")
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    base.sort();
    let mut out = json!({"images": images, "first": format!("/v2/images?{}", base.join("&")), "schema": "/v2/schemas/images"});
    if let (true, Some(last)) = (more, page.last()) {
        base.push(format!("marker={}", last.id));
        out["next"] = json!(format!("/v2/images?{}", base.join("&")));
    }
    Ok(Json(out).into_response())
}

pub async fn list_cloudimages(
    State(state): State<AppState>,
    ImsCaller(token): ImsCaller,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, SandboxError> {
    let db = state.db();
    let (page, _) = select(&db, &token.project_id, &q, 500)
        .map_err(|m| ims(StatusCode::BAD_REQUEST, "IMG.0001", &m))?;
    Ok(
        Json(json!({"images": page.iter().map(|i| image_json(i, false)).collect::<Vec<_>>()}))
            .into_response(),
    )
}

pub async fn get_image(
    State(state): State<AppState>,
    GlanceCaller(token): GlanceCaller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, SandboxError> {
    let glance_mode = state.settings().glance_mode;
    let db = state.db();
    let img = visible_image(&db, &headers, &id, &token.project_id)?;
    Ok(Json(image_json(img, glance_mode)).into_response())
}

/// `PATCH /v2/images/{id}`: only `replace /visibility`, which is all the console needs.
pub async fn patch_image(
    State(state): State<AppState>,
    GlanceCaller(token): GlanceCaller,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: String,
) -> Result<Response, SandboxError> {
    let glance_mode = state.settings().glance_mode;
    let ops: Vec<Value> = match serde_json::from_str(&body) {
        Ok(v) => v,
        Err(_) => {
            return Err(glance(
                &headers,
                StatusCode::BAD_REQUEST,
                "The request body must be a JSON patch list.",
            ))
        }
    };
    let mut db = state.db();
    let img = visible_image(&db, &headers, &id, &token.project_id)?.clone();
    if img.owner != token.project_id {
        return Err(glance(
            &headers,
            StatusCode::FORBIDDEN,
            "You are not permitted to modify this image.",
        ));
    }
    for op in &ops {
        match (op["op"].as_str(), op["path"].as_str(), op["value"].as_str()) {
            (Some("replace" | "add"), Some("/visibility"), Some(v))
                if ["private", "shared", "community", "public"].contains(&v) =>
            {
                if v == "public" {
                    return Err(glance(
                        &headers,
                        StatusCode::FORBIDDEN,
                        "Only an administrator can publicize images.",
                    ));
                }
                let m = db.image_mut(&id).expect("checked");
                m.visibility = v.to_string();
                m.updated_ms = now_ms();
            }
            _ => {
                return Err(glance(
                    &headers,
                    StatusCode::BAD_REQUEST,
                    "Only replacing /visibility is supported here.",
                ))
            }
        }
    }
    let img = db.image(&id).expect("checked").clone();
    Ok(Json(image_json(&img, glance_mode)).into_response())
}

pub async fn list_members(
    State(state): State<AppState>,
    GlanceCaller(token): GlanceCaller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, SandboxError> {
    let glance_mode = state.settings().glance_mode;
    let db = state.db();
    let img = visible_image(&db, &headers, &id, &token.project_id)?;
    // Glance keeps the members of an image that is no longer shared, but will not list them.
    if glance_mode && img.visibility != "shared" {
        return Err(glance(
            &headers,
            StatusCode::FORBIDDEN,
            &format!("Error fetching members of image {id}: Only shared images have members."),
        ));
    }
    // A member sees only its own entry; the owner sees all.
    let members: Vec<Value> = db
        .members_of(&id)
        .iter()
        .filter(|m| img.owner == token.project_id || m.member_id == token.project_id)
        .map(|m| member_json(&id, m))
        .collect();
    Ok(Json(json!({"members": members, "schema": "/v2/schemas/members"})).into_response())
}

/// What plain Glance, or IMS through its native call, refuses when `owner_project` adds
/// `member` to `img`.
fn may_add(
    db: &Db,
    headers: &HeaderMap,
    img: &Image,
    member: &str,
    owner_project: &str,
    glance_mode: bool,
) -> Result<(), SandboxError> {
    let id = &img.id;
    if img.owner != owner_project {
        return Err(glance(
            headers,
            StatusCode::FORBIDDEN,
            &format!("Not allowed to create members for image {id}."),
        ));
    }
    if glance_mode && img.visibility != "shared" {
        return Err(glance(
            headers,
            StatusCode::FORBIDDEN,
            &format!(
                "Only shared images have members: image {id} is {}.",
                img.visibility
            ),
        ));
    }
    if !glance_mode {
        if img.visibility == "public" {
            return Err(glance(
                headers,
                StatusCode::FORBIDDEN,
                "Public images cannot be shared (IMG.0089).",
            ));
        }
        if !(member.len() == 32 && member.bytes().all(|b| b.is_ascii_hexdigit())) {
            return Err(glance(
                headers,
                StatusCode::BAD_REQUEST,
                &format!("The project ID is incorrect: {member} (IMG.0067)."),
            ));
        }
        if member == owner_project {
            return Err(glance(
                headers,
                StatusCode::BAD_REQUEST,
                "Can not share image to yourself (IMG.0076).",
            ));
        }
        if let Some(key) = &img.cmk_id {
            if img.default_key || !db.key_grants.get(key).is_some_and(|g| g.contains(member)) {
                return Err(glance(
                    headers,
                    StatusCode::FORBIDDEN,
                    &format!("Project {member} has no permission on the image's key (IMG.0099)."),
                ));
            }
        }
    }
    if db.member(id, member).is_some() {
        return Err(glance(
            headers,
            StatusCode::CONFLICT,
            &format!("Member {member} already exists for image {id}."),
        ));
    }
    let limit = if img.whole_image && !glance_mode {
        FULL_ECS_MEMBER_LIMIT
    } else if glance_mode {
        128
    } else {
        MEMBER_LIMIT
    };
    if db.members_of(id).len() >= limit {
        return Err(glance(
            headers,
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("The limit of {limit} members for image {id} is reached."),
        ));
    }
    Ok(())
}

pub async fn add_member(
    State(state): State<AppState>,
    GlanceCaller(token): GlanceCaller,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Option<Json<Value>>,
) -> Result<Response, SandboxError> {
    let glance_mode = state.settings().glance_mode;
    let Some(member) = body
        .as_ref()
        .and_then(|b| b.0["member"].as_str())
        .map(str::to_string)
    else {
        return Err(glance(
            &headers,
            StatusCode::BAD_REQUEST,
            "Request body must be a JSON object with a member.",
        ));
    };
    let mut db = state.db();
    let img = visible_image(&db, &headers, &id, &token.project_id)?.clone();
    may_add(&db, &headers, &img, &member, &token.project_id, glance_mode)?;
    let now = now_ms();
    let m = Member {
        member_id: member.clone(),
        member_type: "project",
        urn: None,
        status: "pending".into(),
        created_ms: now,
        updated_ms: now,
        vault_id: None,
    };
    let out = member_json(&id, &m);
    db.members.entry(id).or_default().push(m);
    Ok(Json(out).into_response())
}

fn find_member(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
    member_id: &str,
) -> Result<(Token, Image), SandboxError> {
    let token = auth(state, headers)?;
    let db = state.db();
    let img = visible_image(&db, headers, id, &token.project_id)?.clone();
    let visible = img.owner == token.project_id || member_id == token.project_id;
    if !visible || db.member(id, member_id).is_none() {
        return Err(glance(
            headers,
            StatusCode::NOT_FOUND,
            &format!("{member_id} is not a member of image {id}."),
        ));
    }
    Ok((token, img))
}

pub async fn get_member(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, member_id)): Path<(String, String)>,
) -> Result<Response, SandboxError> {
    find_member(&state, &headers, &id, &member_id)?;
    Ok(Json(member_json(
        &id,
        state.db().member(&id, &member_id).expect("checked"),
    ))
    .into_response())
}

pub async fn set_member(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, member_id)): Path<(String, String)>,
    body: Option<Json<Value>>,
) -> Result<Response, SandboxError> {
    let (token, img) = find_member(&state, &headers, &id, &member_id)?;
    let glance_mode = state.settings().glance_mode;
    if member_id != token.project_id {
        return Err(glance(
            &headers,
            StatusCode::FORBIDDEN,
            "Only the member can change its status: the owner cannot.",
        ));
    }
    let body = body.map(|b| b.0).unwrap_or(Value::Null);
    let status = body["status"].as_str().unwrap_or("");
    if !["pending", "accepted", "rejected"].contains(&status) {
        return Err(glance(
            &headers,
            StatusCode::BAD_REQUEST,
            &format!("Invalid status {status}: pending, accepted or rejected."),
        ));
    }
    let vault_id = body["vault_id"]
        .as_str()
        .filter(|v| !v.is_empty())
        .map(str::to_string);
    if !glance_mode && img.whole_image && status == "accepted" && vault_id.is_none() {
        return Err(glance(
            &headers,
            StatusCode::BAD_REQUEST,
            "Accepting a full-ECS image needs vault_id (IMG.0182).",
        ));
    }
    let mut db = state.db();
    db.apply(
        crate::model::Effect::SetStatus {
            image_id: id.clone(),
            project_id: member_id.clone(),
            status: status.into(),
            vault_id,
        },
        now_ms(),
    );
    Ok(Json(member_json(
        &id,
        db.member(&id, &member_id).expect("checked"),
    ))
    .into_response())
}

pub async fn remove_member(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, member_id)): Path<(String, String)>,
) -> Result<Response, SandboxError> {
    let (token, img) = find_member(&state, &headers, &id, &member_id)?;
    if img.owner != token.project_id {
        return Err(glance(
            &headers,
            StatusCode::FORBIDDEN,
            &format!("Not allowed to delete members for image {id}."),
        ));
    }
    let mut db = state.db();
    db.apply(
        crate::model::Effect::RemoveMember {
            image_id: id,
            project_id: member_id,
        },
        now_ms(),
    );
    Ok(StatusCode::NO_CONTENT.into_response())
}
