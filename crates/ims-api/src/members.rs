//! Image members: the native (Glance v2) calls, synchronous, and the IMS batch calls that
//! answer a job ID.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::request::{segment, ApiRequest, Method, Service};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub member_id: String,
    pub image_id: String,
    pub status: String,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct MemberList {
    pub members: Vec<Member>,
}

/// A member status the recipient can set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MemberStatus {
    Pending,
    Accepted,
    Rejected,
}

impl MemberStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberStatus::Pending => "pending",
            MemberStatus::Accepted => "accepted",
            MemberStatus::Rejected => "rejected",
        }
    }
}

/// Whom an image is shared with. Projects everywhere; accounts (domains) and organizations
/// or OUs on Huawei Cloud's IMS since 2025, where `config.json` lists them.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum MemberKind {
    #[default]
    Project,
    Domain,
    Organization,
}

impl MemberKind {
    pub const ALL: [MemberKind; 3] = [
        MemberKind::Project,
        MemberKind::Domain,
        MemberKind::Organization,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MemberKind::Project => "project",
            MemberKind::Domain => "domain",
            MemberKind::Organization => "organization",
        }
    }

    /// The word users read: an IMS "domain" is an account.
    pub fn plural(self) -> &'static str {
        match self {
            MemberKind::Project => "projects",
            MemberKind::Domain => "accounts",
            MemberKind::Organization => "organizations",
        }
    }

    /// The batch body's list for this kind.
    fn batch_field(self) -> &'static str {
        match self {
            MemberKind::Project => "projects",
            MemberKind::Domain => "domains",
            MemberKind::Organization => "organizations",
        }
    }
}

fn members_path(image_id: &str) -> String {
    format!("/v2/images/{}/members", segment(image_id))
}

fn member_path(image_id: &str, member_id: &str) -> String {
    format!("{}/{}", members_path(image_id), segment(member_id))
}

/// `POST /v2/images/{image_id}/members` `{member}`.
pub fn add(image_id: &str, project_id: &str) -> ApiRequest {
    ApiRequest::new(Method::Post, Service::Image, members_path(image_id))
        .json(json!({"member": project_id}))
}

/// `GET /v2/images/{image_id}/members/{project_id}`: one member, to learn whether a write
/// whose answer never came took effect.
pub fn get(image_id: &str, project_id: &str) -> ApiRequest {
    ApiRequest::get(Service::Image, member_path(image_id, project_id))
}

/// `GET /v2/images/{image_id}/members`.
pub fn list(image_id: &str) -> ApiRequest {
    ApiRequest::get(Service::Image, members_path(image_id))
}

/// `PUT /v2/images/{image_id}/members/{project_id}` `{status, vault_id?}`: the member's own answer.
pub fn set_status(
    image_id: &str,
    project_id: &str,
    status: MemberStatus,
    vault_id: Option<&str>,
) -> ApiRequest {
    let mut body = json!({"status": status.as_str()});
    if let Some(v) = vault_id.filter(|v| !v.is_empty()) {
        body["vault_id"] = json!(v);
    }
    ApiRequest::new(
        Method::Put,
        Service::Image,
        member_path(image_id, project_id),
    )
    .json(body)
}

/// `DELETE /v2/images/{image_id}/members/{project_id}`: the owner stops sharing with one project.
pub fn remove(image_id: &str, project_id: &str) -> ApiRequest {
    ApiRequest::new(
        Method::Delete,
        Service::Image,
        member_path(image_id, project_id),
    )
}

/// The batch body: the images and each kind of member in its own list. `projects` is always
/// there (the seed pages' shape); `domains` and `organizations` only when they have members,
/// so a cloud without them sees the body it knows.
fn batch_body(images: &[String], members: &[crate::apply::Target]) -> serde_json::Value {
    let mut body = json!({"images": images, "projects": []});
    for kind in MemberKind::ALL {
        let ids: Vec<&str> = members
            .iter()
            .filter(|t| t.kind == kind)
            .map(|t| t.id.as_str())
            .collect();
        if kind == MemberKind::Project || !ids.is_empty() {
            body[kind.batch_field()] = json!(ids);
        }
    }
    body
}

/// `POST /v1/cloudimages/members`: share every image with every member (a job).
pub fn batch_share(images: &[String], members: &[crate::apply::Target]) -> ApiRequest {
    ApiRequest::new(Method::Post, Service::Image, "/v1/cloudimages/members")
        .json(batch_body(images, members))
}

/// `DELETE /v1/cloudimages/members` with a JSON body: stop sharing (a job).
pub fn batch_stop(images: &[String], members: &[crate::apply::Target]) -> ApiRequest {
    ApiRequest::new(Method::Delete, Service::Image, "/v1/cloudimages/members")
        .json(batch_body(images, members))
}

/// `PUT /v1/cloudimages/members`: accept or reject as the recipient project (a job).
/// `pending` cannot be set this way; the caller offers it only through [`set_status`].
pub fn batch_answer(
    images: &[String],
    own_project: &str,
    status: MemberStatus,
    vault_id: Option<&str>,
) -> ApiRequest {
    let mut body = json!({"images": images, "project_id": own_project, "status": status.as_str()});
    if let Some(v) = vault_id.filter(|v| !v.is_empty()) {
        body["vault_id"] = json!(v);
    }
    ApiRequest::new(Method::Put, Service::Image, "/v1/cloudimages/members").json(body)
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct JobAccepted {
    pub job_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_bodies_match_the_seed_pages() {
        let imgs = vec!["d164b5df-1bc3-4c3f-893e-3e471fd16e64".to_string()];
        let projs = vec!["9c61004714024f9586705d090530f9fa".to_string()];
        let targets: Vec<crate::apply::Target> =
            projs.iter().map(crate::apply::Target::project).collect();
        let r = batch_share(&imgs, &targets);
        assert_eq!(r.label(), "POST /v1/cloudimages/members");
        assert_eq!(r.body.unwrap(), json!({"images": imgs, "projects": projs}));
        let r = batch_answer(
            &imgs,
            "edc89b490d7d4392898e19b2deb34797",
            MemberStatus::Accepted,
            Some("vault-1"),
        );
        assert_eq!(r.body.unwrap()["vault_id"], "vault-1");
        let r = batch_answer(
            &imgs,
            "edc89b490d7d4392898e19b2deb34797",
            MemberStatus::Rejected,
            Some(""),
        );
        assert!(r.body.unwrap().get("vault_id").is_none());
        assert_eq!(batch_stop(&imgs, &targets).method, Method::Delete);
    }

    #[test]
    fn native_calls_have_the_glance_paths() {
        assert_eq!(add("i", "p").body.unwrap(), json!({"member": "p"}));
        assert_eq!(remove("i", "p").label(), "DELETE /v2/images/i/members/p");
        assert_eq!(
            set_status("i", "p", MemberStatus::Pending, None)
                .body
                .unwrap(),
            json!({"status": "pending"})
        );
    }

    #[test]
    fn member_record_of_seed_page_003_parses() {
        let m: Member = serde_json::from_str(r#"{ "status": "pending", "created_at": "2016-09-01T02:05:14Z", "updated_at": "2016-09-01T02:05:14Z", "image_id": "d164b5df-1bc3-4c3f-893e-3e471fd16e64", "member_id": "edc89b490d7d4392898e19b2deb34797", "schema": "/v2/schemas/member" }"#).unwrap();
        assert_eq!(m.status, "pending");
    }
}
