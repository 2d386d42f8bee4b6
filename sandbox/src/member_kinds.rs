//! Huawei IMS's members beyond projects (API notes, "Huawei IMS as it stands in 2026"):
//! `domains` (account IDs) and `organizations` (organization or OU URNs) in the batch add and
//! delete bodies, with their refusals; the paged v1 member list with each member's kind; and
//! the `otc` cloud mode, which answers such a body as a cloud without the feature would.

use crate::errors::SandboxError;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::caller::ImsCaller;
use crate::errors::ims;
use crate::model::{rfc3339_short, Db, Member, Token};
use crate::AppState;

/// One member a batch body names.
#[derive(Clone, Debug)]
pub struct Target {
    /// `project`, `domain` or `organization`.
    pub member_type: &'static str,
    /// The member's ID: a project or account ID, or the organization's last `o-`/`ou-` part.
    pub member_id: String,
    pub urn: Option<String>,
}

fn is_hex32(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `organizations::<account>:organization:o-<org>` or
/// `organizations::<account>:ou:o-<org>/ou-<ou>`: the member ID is the last part.
fn organization_id(urn: &str) -> Option<String> {
    let rest = urn.strip_prefix("organizations::")?;
    let (account, rest) = rest.split_once(':')?;
    let part = |p: &str, prefix: &str| {
        p.strip_prefix(prefix).is_some_and(|x| {
            !x.is_empty()
                && x.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
    };
    if !is_hex32(account) {
        return None;
    }
    match rest.split_once(':')? {
        ("organization", org) if part(org, "o-") => Some(org.to_string()),
        ("ou", path) => {
            let (org, ou) = path.split_once('/')?;
            (part(org, "o-") && part(ou, "ou-")).then(|| ou.to_string())
        }
        _ => None,
    }
}

fn list(body: &Value, field: &str) -> Result<Vec<String>, SandboxError> {
    match &body[field] {
        Value::Null => Ok(Vec::new()),
        Value::Array(a) => a
            .iter()
            .map(|x| {
                x.as_str().map(str::to_string).ok_or_else(|| {
                    ims(
                        StatusCode::BAD_REQUEST,
                        "IMG.0067",
                        &format!("{field} must hold strings."),
                    )
                })
            })
            .collect(),
        _ => Err(ims(
            StatusCode::BAD_REQUEST,
            "IMG.0067",
            &format!("{field} must be a list."),
        )),
    }
}

/// The members of a batch add or delete body. `cloud_otc`: the body may name projects only.
/// `own`: the caller's project and account, refused as members when adding.
pub fn targets(
    body: &Value,
    cloud_otc: bool,
    own: Option<(&str, &str)>,
) -> Result<Vec<Target>, SandboxError> {
    if cloud_otc {
        if let Some(field) = ["domains", "organizations"]
            .into_iter()
            .find(|f| !body[*f].is_null())
        {
            return Err(ims(
                StatusCode::BAD_REQUEST,
                "IMG.0001",
                &format!("Invalid request: the parameter {field} is not supported."),
            ));
        }
    }
    let (projects, domains, organizations) = (
        list(body, "projects")?,
        list(body, "domains")?,
        list(body, "organizations")?,
    );
    if projects.is_empty() && domains.is_empty() && organizations.is_empty() {
        return Err(ims(
            StatusCode::BAD_REQUEST,
            "IMG.0067",
            "Give at least one of projects, domains and organizations.",
        ));
    }
    let mut out = Vec::new();
    // Projects and accounts are both 32 hex, each refused when it is the caller's own.
    let hex_kinds = [
        (
            projects,
            "project",
            "project ID",
            own.map(|o| o.0),
            "yourself",
        ),
        (
            domains,
            "domain",
            "domain (account) ID",
            own.map(|o| o.1),
            "your own account",
        ),
    ];
    for (ids, member_type, what, own_id, own_words) in hex_kinds {
        for id in ids {
            if !is_hex32(&id) {
                return Err(ims(
                    StatusCode::BAD_REQUEST,
                    "IMG.0067",
                    &format!("The {what} is incorrect: {id}."),
                ));
            }
            if own_id.is_some_and(|o| id.eq_ignore_ascii_case(o)) {
                return Err(ims(
                    StatusCode::BAD_REQUEST,
                    "IMG.0076",
                    &format!("Can not share image to {own_words}."),
                ));
            }
            out.push(Target {
                member_type,
                member_id: id,
                urn: None,
            });
        }
    }
    for urn in organizations {
        let Some(id) = organization_id(&urn) else {
            return Err(ims(
                StatusCode::BAD_REQUEST,
                "IMG.0067",
                &format!("The organization URN is incorrect: {urn}."),
            ));
        };
        out.push(Target {
            member_type: "organization",
            member_id: id,
            urn: Some(urn),
        });
    }
    Ok(out)
}

/// The account (domain) ID of the token's user.
pub fn account_of(db: &Db, token: &Token) -> String {
    db.users
        .iter()
        .find(|u| u.id == token.user_id)
        .map(|u| crate::model::domain_id(&u.domain))
        .unwrap_or_default()
}

pub fn member_json(image_id: &str, m: &Member) -> Value {
    let mut v = json!({
        "status": m.status, "created_at": rfc3339_short(m.created_ms), "updated_at": rfc3339_short(m.updated_ms),
        "image_id": image_id, "member_id": m.member_id, "schema": "/v2/schemas/member",
        "member_type": m.member_type,
    });
    if let Some(urn) = &m.urn {
        v["urn"] = json!(urn);
    }
    v
}

#[derive(Deserialize)]
pub struct Paging {
    limit: Option<String>,
    marker: Option<String>,
}

/// The image's members as `project_id` may see them: all of them for the owner, its own entry
/// for a member project; `None` when the image is not visible to it.
fn visible<'a>(db: &'a Db, project_id: &str, image_id: &str) -> Option<Vec<&'a Member>> {
    let img = db.image(image_id)?;
    let all = db.members_of(image_id);
    if img.owner == project_id {
        return Some(all.iter().collect());
    }
    let own: Vec<&Member> = all.iter().filter(|m| m.member_id == project_id).collect();
    (!own.is_empty()).then_some(own)
}

pub fn check_project(token: &Token, project_id: &str) -> Result<(), SandboxError> {
    if project_id == token.project_id {
        Ok(())
    } else {
        Err(ims(
            StatusCode::FORBIDDEN,
            "IMG.0030",
            "The project in the URL is not the token's project.",
        ))
    }
}

/// `GET /v1/{project_id}/cloudimages/{image_id}/members?limit=&marker=`: sorted by member
/// ID; `marker` is the last member of the previous page.
pub async fn list_members(
    State(state): State<AppState>,
    ImsCaller(token): ImsCaller,
    Path((project_id, image_id)): Path<(String, String)>,
    Query(paging): Query<Paging>,
) -> Result<Response, SandboxError> {
    check_project(&token, &project_id)?;
    let limit = match paging.limit.as_deref().map(str::parse::<usize>) {
        None => 500,
        Some(Ok(n)) if (1..=1000).contains(&n) => n,
        Some(_) => {
            return Err(ims(
                StatusCode::BAD_REQUEST,
                "IMG.0001",
                "limit must be a number from 1 to 1000.",
            ))
        }
    };
    let limit = state
        .settings()
        .member_page_max
        .map_or(limit, |max| limit.min(max));
    let db = state.db();
    let mut members = visible(&db, &project_id, &image_id).ok_or_else(|| {
        ims(
            StatusCode::NOT_FOUND,
            "IMG.0027",
            &format!("Image {image_id} does not exist."),
        )
    })?;
    members.sort_by(|a, b| a.member_id.cmp(&b.member_id));
    let start = match paging.marker.as_deref().filter(|m| !m.is_empty()) {
        None => 0,
        Some(marker) => match members.iter().position(|m| m.member_id == marker) {
            Some(i) => i + 1,
            None => {
                return Err(ims(
                    StatusCode::BAD_REQUEST,
                    "IMG.0001",
                    &format!("The marker {marker} is not a member of image {image_id}."),
                ))
            }
        },
    };
    let page: Vec<&Member> = members.iter().skip(start).take(limit).copied().collect();
    let more = start + page.len() < members.len();
    let mut page_info = json!({"current_count": page.len()});
    if more {
        if let Some(last) = page.last() {
            page_info["next_marker"] = json!(last.member_id);
        }
    }
    Ok(Json(json!({
        "members": page.iter().map(|m| member_json(&image_id, m)).collect::<Vec<_>>(),
        "schema": "/v2/schemas/members",
        "page_info": page_info,
    }))
    .into_response())
}

/// `GET /v1/{project_id}/cloudimages/{image_id}/members/{member_id}`.
pub async fn get_member(
    State(state): State<AppState>,
    ImsCaller(token): ImsCaller,
    Path((project_id, image_id, member_id)): Path<(String, String, String)>,
) -> Result<Response, SandboxError> {
    check_project(&token, &project_id)?;
    let db = state.db();
    let m = visible(&db, &project_id, &image_id)
        .and_then(|l| l.into_iter().find(|m| m.member_id == member_id))
        .ok_or_else(|| {
            ims(
                StatusCode::NOT_FOUND,
                "IMG.0027",
                &format!("{member_id} is not a member of image {image_id}."),
            )
        })?;
    Ok(Json(member_json(&image_id, m)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organization_urns_give_their_last_part() {
        let a = "0123456789abcdef0123456789abcdef";
        assert_eq!(
            organization_id(&format!("organizations::{a}:ou:o-abc/ou-def-1")).as_deref(),
            Some("ou-def-1")
        );
        assert_eq!(
            organization_id(&format!("organizations::{a}:organization:o-abc")).as_deref(),
            Some("o-abc")
        );
        assert_eq!(
            organization_id(&format!("organizations::{a}:ou:o-abc")),
            None
        );
        assert_eq!(organization_id("organizations::12:ou:o-a/ou-b"), None);
    }
}
