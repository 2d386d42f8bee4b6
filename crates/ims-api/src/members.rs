//! Image members: the native (Glance v2) calls, synchronous, and the IMS batch calls that
//! answer a job ID.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::request::{segment, ApiRequest, Method, Service};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub member_id: String,
    pub image_id: String,
    pub status: MemberStatus,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    /// IMS's v1 list: `project`, `domain` or `organization`; absent on Glance (a project).
    #[serde(default)]
    pub member_type: Option<String>,
    /// An organization's URN (IMS v1 list, organizations only).
    #[serde(default)]
    pub urn: Option<String>,
}

impl Member {
    /// The member's kind; `None` for a kind this console does not know (shown as it came).
    pub fn kind(&self) -> Option<MemberKind> {
        match self.member_type.as_deref() {
            None | Some("project") => Some(MemberKind::Project),
            Some("domain") => Some(MemberKind::Domain),
            Some("organization") => Some(MemberKind::Organization),
            Some(_) => None,
        }
    }

    /// The ID the batch calls take for this member: an organization's URN, else its ID.
    pub fn target_id(&self) -> &str {
        match self.kind() {
            Some(MemberKind::Organization) => self.urn.as_deref().unwrap_or(&self.member_id),
            _ => &self.member_id,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct MemberList {
    pub members: Vec<Member>,
}

/// One page of IMS's v1 member list.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct MemberPage {
    pub members: Vec<Member>,
    #[serde(default)]
    pub page_info: Option<PageInfo>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct PageInfo {
    #[serde(default)]
    pub next_marker: Option<String>,
    #[serde(default)]
    pub current_count: Option<u32>,
}

impl MemberPage {
    /// The marker of the next page, if there is one (an empty marker is none).
    pub fn next_marker(&self) -> Option<&str> {
        self.page_info
            .as_ref()
            .and_then(|p| p.next_marker.as_deref())
            .filter(|m| !m.is_empty())
    }
}

/// Members per page of the v1 list (the service takes 1 to 1000; 500 is its default).
pub const MEMBER_PAGE: usize = 500;

/// `GET /v1/{project_id}/cloudimages/{image_id}/members?limit=&marker=`: one page of an
/// image's members with their kind, on IMS.
pub fn list_page(
    project_id: &str,
    image_id: &str,
    limit: usize,
    marker: Option<&str>,
) -> ApiRequest {
    let limit = limit.clamp(1, 1000).to_string();
    ApiRequest::get(
        Service::Image,
        format!(
            "/v1/{}/cloudimages/{}/members{}",
            segment(project_id),
            segment(image_id),
            crate::request::query(&[("limit", &limit), ("marker", marker.unwrap_or_default())])
        ),
    )
}

/// A member's status. The recipient sets `accepted` or `rejected` (and, on Glance, `pending`
/// again); a value this console does not know survives as [`MemberStatus::Other`] and is
/// shown as it came.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum MemberStatus {
    Pending,
    Accepted,
    Rejected,
    Other(String),
}

impl MemberStatus {
    pub fn as_str(&self) -> &str {
        match self {
            MemberStatus::Pending => "pending",
            MemberStatus::Accepted => "accepted",
            MemberStatus::Rejected => "rejected",
            MemberStatus::Other(s) => s,
        }
    }
}

impl From<String> for MemberStatus {
    fn from(s: String) -> Self {
        match s.as_str() {
            "pending" => MemberStatus::Pending,
            "accepted" => MemberStatus::Accepted,
            "rejected" => MemberStatus::Rejected,
            _ => MemberStatus::Other(s),
        }
    }
}

impl From<&str> for MemberStatus {
    fn from(s: &str) -> Self {
        MemberStatus::from(s.to_string())
    }
}

impl From<MemberStatus> for String {
    fn from(s: MemberStatus) -> Self {
        s.as_str().to_string()
    }
}

impl std::fmt::Display for MemberStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
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

    /// The word users read for one member of this kind.
    pub fn word(self) -> &'static str {
        match self {
            MemberKind::Project => "project",
            MemberKind::Domain => "account",
            MemberKind::Organization => "organization",
        }
    }

    /// What identifies a member of this kind: "project ID", "account ID", "organization URN".
    pub fn id_noun(self) -> &'static str {
        match self {
            MemberKind::Project => "project ID",
            MemberKind::Domain => "account ID",
            MemberKind::Organization => "organization URN",
        }
    }

    /// [`MemberKind::id_noun`] as a field's label: "Project ID".
    pub fn id_label(self) -> &'static str {
        match self {
            MemberKind::Project => "Project ID",
            MemberKind::Domain => "Account ID",
            MemberKind::Organization => "Organization URN",
        }
    }

    /// "a project ID", "an account ID", "an organization URN".
    pub fn an_id(self) -> &'static str {
        match self {
            MemberKind::Project => "a project ID",
            MemberKind::Domain => "an account ID",
            MemberKind::Organization => "an organization URN",
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
    fn the_v1_member_page_of_the_vendor_model_parses_and_pages() {
        let page: MemberPage = serde_json::from_str(r#"{"members":[
            {"status":"accepted","created_at":"2025-01-01T00:00:00Z","updated_at":"2025-01-01T00:00:00Z","image_id":"i","member_id":"p1","schema":"/v2/schemas/member","member_type":"project"},
            {"status":"pending","image_id":"i","member_id":"o-1","member_type":"organization","urn":"organizations::0123456789abcdef0123456789abcdef:ou:o-1/ou-2"},
            {"status":"pending","image_id":"i","member_id":"d1","member_type":"domain"},
            {"status":"pending","image_id":"i","member_id":"x","member_type":"team"}],
            "schema":"/v2/schemas/members","page_info":{"next_marker":"d1","current_count":4}}"#).unwrap();
        assert_eq!(page.next_marker(), Some("d1"));
        let kinds: Vec<Option<MemberKind>> = page.members.iter().map(Member::kind).collect();
        assert_eq!(
            kinds,
            vec![
                Some(MemberKind::Project),
                Some(MemberKind::Organization),
                Some(MemberKind::Domain),
                None
            ]
        );
        assert!(page.members[1].target_id().starts_with("organizations::"));
        let last: MemberPage =
            serde_json::from_str(r#"{"members":[],"page_info":{"current_count":0}}"#).unwrap();
        assert_eq!(last.next_marker(), None);
        assert_eq!(
            list_page("p", "i", 5000, Some("m 1")).path,
            "/v1/p/cloudimages/i/members?limit=1000&marker=m%201"
        );
        assert_eq!(
            list_page("p", "i", 500, None).path,
            "/v1/p/cloudimages/i/members?limit=500"
        );
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
        assert_eq!(m.status, MemberStatus::Pending);
        let odd: Member =
            serde_json::from_str(r#"{"status": "suspended", "image_id": "i", "member_id": "p"}"#)
                .unwrap();
        assert_eq!(
            odd.status,
            MemberStatus::Other("suspended".into()),
            "an unknown status survives"
        );
        assert_eq!(serde_json::to_value(&odd).unwrap()["status"], "suspended");
    }
}
