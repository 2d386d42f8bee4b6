//! Images as the list endpoints return them, the marks the console shows, and list paging.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::config::Flavor;
use crate::request::{query, segment, ApiRequest, Service};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
pub struct Image {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub visibility: Option<Visibility>,
    #[serde(default, rename = "__imagetype")]
    pub image_type: Option<String>,
    #[serde(default)]
    pub disk_format: Option<String>,
    #[serde(default, rename = "__os_type")]
    pub os_type: Option<String>,
    #[serde(default, rename = "__os_version")]
    pub os_version: Option<String>,
    #[serde(default, rename = "__platform")]
    pub platform: Option<String>,
    /// IMS sends it as a string of bytes.
    #[serde(default, rename = "__image_size")]
    pub image_size: Option<Value>,
    /// Glance's size in bytes.
    #[serde(default)]
    pub size: Option<Value>,
    #[serde(default, rename = "__system__cmkid")]
    pub cmk_id: Option<String>,
    #[serde(default, rename = "__whole_image")]
    pub whole_image: Option<Value>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// An image's visibility. Values this console does not know (`community`, a vendor's own)
/// survive as [`Visibility::Other`] and are shown as they came.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum Visibility {
    Private,
    Shared,
    Public,
    Other(String),
}

impl Visibility {
    pub fn as_str(&self) -> &str {
        match self {
            Visibility::Private => "private",
            Visibility::Shared => "shared",
            Visibility::Public => "public",
            Visibility::Other(s) => s,
        }
    }
}

impl From<String> for Visibility {
    fn from(s: String) -> Self {
        match s.as_str() {
            "private" => Visibility::Private,
            "shared" => Visibility::Shared,
            "public" => Visibility::Public,
            _ => Visibility::Other(s),
        }
    }
}

impl From<Visibility> for String {
    fn from(v: Visibility) -> Self {
        v.as_str().to_string()
    }
}

impl std::fmt::Display for Visibility {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

fn truthy(v: &Option<Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

fn number(v: &Option<Value>) -> Option<u64> {
    match v {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
}

impl Image {
    pub fn display_name(&self) -> &str {
        self.name
            .as_deref()
            .filter(|n| !n.is_empty())
            .unwrap_or("(no name)")
    }
    pub fn is_encrypted(&self) -> bool {
        self.cmk_id.as_deref().is_some_and(|c| !c.is_empty())
    }
    pub fn is_full_ecs(&self) -> bool {
        truthy(&self.whole_image)
    }
    pub fn is_public(&self) -> bool {
        self.visibility == Some(Visibility::Public) || self.image_type.as_deref() == Some("gold")
    }
    pub fn size_bytes(&self) -> Option<u64> {
        number(&self.image_size).or_else(|| number(&self.size))
    }
    pub fn os(&self) -> &str {
        match (
            self.os_version.as_deref(),
            self.platform.as_deref(),
            self.os_type.as_deref(),
        ) {
            (Some(v), _, _) if !v.is_empty() => v,
            (_, Some(p), _) if !p.is_empty() => p,
            (_, _, Some(t)) => t,
            _ => "",
        }
    }
    /// What the service will say if the owner tries to share this image, before trying.
    pub fn share_warning(&self) -> Option<&'static str> {
        if self.is_public() {
            Some("Public image: the service refuses to share public images (IMG.0089).")
        } else if self.is_encrypted() {
            Some("Encrypted image: the recipient needs a grant on its KMS key first, or the job fails (IMG.0099); default-key images cannot be shared (IMG.0098).")
        } else if self.is_full_ecs() {
            Some(
                "Full-ECS image: at most 10 projects, and each must give a CBR vault ID to accept.",
            )
        } else {
            None
        }
    }
}

/// "1.5 GiB"-style sizes, rounded to the nearest tenth. In integers: `{:.1}` on a float
/// would add float formatting of its own to the wasm for this one label.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut unit = 0;
    let mut scale: u64 = 1;
    while bytes / scale >= 1024 && unit < UNITS.len() - 1 {
        scale *= 1024;
        unit += 1;
    }
    if unit == 0 {
        return format!("{bytes} B");
    }
    // The remainder is below 1024^4, so ten times it fits.
    let (mut whole, mut tenths) = (bytes / scale, (bytes % scale * 10 + scale / 2) / scale);
    if tenths == 10 {
        (whole, tenths) = (whole + 1, 0);
    }
    format!("{whole}.{tenths} {}", UNITS[unit])
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ImagePage {
    pub images: Vec<Image>,
    #[serde(default)]
    pub next: Option<String>,
}

/// Which images a listing asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListScope {
    /// Images owned by this project.
    Owned { project_id: String },
    /// Images shared with this project, in one member status (pending, accepted, rejected).
    SharedWithMe {
        member_status: crate::members::MemberStatus,
    },
}

/// The first page's request.
pub fn first_page(flavor: Flavor, scope: &ListScope, limit: usize) -> ApiRequest {
    let limit = limit.to_string();
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    match scope {
        ListScope::Owned { project_id } => pairs.push(("owner", project_id)),
        ListScope::SharedWithMe { member_status } => {
            pairs.push(("visibility", "shared"));
            pairs.push(("member_status", member_status.as_str()));
            if flavor == Flavor::Ims {
                pairs.push(("__imagetype", "shared"));
            }
        }
    }
    pairs.push(("limit", &limit));
    let path = if flavor == Flavor::Ims {
        "/v2/cloudimages"
    } else {
        "/v2/images"
    };
    ApiRequest::get(Service::Image, format!("{path}{}", query(&pairs)))
}

/// The request for the page after `page`, or `None` when `page` was the last.
/// IMS gives no next link: a full page means there may be more, asked for with `marker`.
pub fn next_page(
    flavor: Flavor,
    first: &ApiRequest,
    page: &ImagePage,
    limit: usize,
) -> Option<ApiRequest> {
    match flavor {
        Flavor::Ims => {
            if page.images.len() < limit {
                return None;
            }
            let last = page.images.last()?;
            let base = first.path.split("&marker=").next().unwrap_or(&first.path);
            Some(ApiRequest::get(
                Service::Image,
                format!("{base}&marker={}", crate::request::encode(&last.id)),
            ))
        }
        _ => {
            let next = page.next.as_deref().filter(|n| !n.is_empty())?;
            // Glance's link is a path; some proxies make it absolute: keep only the path, which
            // goes to the configured endpoint like every other call.
            let path = match next.find("://") {
                Some(i) => next[i + 3..]
                    .find('/')
                    .map(|j| &next[i + 3 + j..])
                    .unwrap_or("/"),
                None => next,
            };
            // Exactly one leading `/`: `//host/x` is a link to another host wherever the
            // endpoint is a path (a same-origin proxy), and a relative or `\`-path is nothing
            // Glance sends.
            let followable = path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains(['\\', '#'])
                && path.split('?').next().is_some_and(|p| {
                    p.starts_with("/v2/images")
                        && !p.contains("..")
                        && !p.to_ascii_lowercase().contains("%2e")
                });
            followable.then(|| ApiRequest::get(Service::Image, path.to_string()))
        }
    }
}

/// Why IMS would refuse `name` for an image, if it would: 1 to 128 characters of letters,
/// digits, spaces, `_`, `-` and `.`, neither starting nor ending with a space.
pub fn name_problem(name: &str) -> Option<&'static str> {
    let n = name.chars().count();
    if n == 0 {
        Some("Enter a name.")
    } else if n > 128 {
        Some("At most 128 characters.")
    } else if name.starts_with(' ') || name.ends_with(' ') {
        Some("A name may not start or end with a space.")
    } else if !name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '_' | '-' | '.'))
    {
        Some("Only letters, digits, spaces, _, - and . are allowed.")
    } else {
        None
    }
}

/// The name a replica gets unless the user gives another: `<name>-copy`, cut to IMS's
/// length.
pub fn replica_name(source: &str) -> String {
    let kept: String = source.trim().chars().take(128 - 5).collect();
    format!("{}-copy", kept.trim_end())
}

/// `POST /v1/cloudimages/{image_id}/copy`: a private copy in the signed-in project (a job).
/// `cmk_id` encrypts the copy; `vault_id` holds a full-ECS image's backups.
pub fn copy(
    image_id: &str,
    name: &str,
    cmk_id: Option<&str>,
    vault_id: Option<&str>,
) -> ApiRequest {
    let mut body = serde_json::json!({ "name": name });
    if let Some(k) = cmk_id.filter(|k| !k.is_empty()) {
        body["cmk_id"] = serde_json::json!(k);
    }
    if let Some(v) = vault_id.filter(|v| !v.is_empty()) {
        body["vault_id"] = serde_json::json!(v);
    }
    ApiRequest::new(
        crate::Method::Post,
        Service::Image,
        format!("/v1/cloudimages/{}/copy", segment(image_id)),
    )
    .json(body)
}

/// `GET /v2/images/{id}`.
pub fn get_image(id: &str) -> ApiRequest {
    ApiRequest::get(Service::Image, format!("/v2/images/{}", segment(id)))
}

/// `PATCH /v2/images/{id}` setting `visibility` (Glance members need `shared`).
pub fn set_visibility(id: &str, visibility: &Visibility) -> ApiRequest {
    let mut r = ApiRequest::new(
        crate::Method::Patch,
        Service::Image,
        format!("/v2/images/{}", segment(id)),
    )
    .json(
        serde_json::json!([{"op": "replace", "path": "/visibility", "value": visibility.as_str()}]),
    );
    r.content_type = Some("application/openstack-images-v2.1-json-patch");
    r
}

#[cfg(test)]
mod tests {
    #[test]
    fn replica_names_follow_the_ims_rule_and_the_copy_call_carries_key_and_vault() {
        assert_eq!(name_problem("debian-12 copy.v2_a"), None);
        assert_eq!(name_problem(""), Some("Enter a name."));
        assert!(name_problem(" lead").is_some() && name_problem("semi;colon").is_some());
        assert!(name_problem(&"x".repeat(129)).is_some());
        assert_eq!(replica_name("debian-12"), "debian-12-copy");
        assert_eq!(replica_name(&"y".repeat(200)).chars().count(), 128);
        let r = copy("i", "n", Some("key-1"), Some(""));
        assert_eq!(r.label(), "POST /v1/cloudimages/i/copy");
        assert_eq!(
            r.body.unwrap(),
            serde_json::json!({"name": "n", "cmk_id": "key-1"})
        );
    }

    use super::*;

    fn img(v: Value) -> Image {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn marks_encrypted_full_ecs_and_public() {
        let i = img(
            serde_json::json!({"id":"a","__system__cmkid":"k1","__whole_image":"true","visibility":"private","__image_size":"1073741824"}),
        );
        assert!(i.is_encrypted() && i.is_full_ecs() && !i.is_public());
        assert_eq!(i.size_bytes(), Some(1 << 30));
        assert_eq!(human_size(1 << 30), "1.0 GiB");
        assert_eq!(human_size(1023), "1023 B");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(1024 * 1024 - 1), "1024.0 KiB");
        assert_eq!(human_size(3 * (1 << 30) + (1 << 29)), "3.5 GiB");
        assert_eq!(human_size(u64::MAX), "16777216.0 TiB");
        let p = img(serde_json::json!({"id":"b","visibility":"public","size":12}));
        assert!(p.is_public());
        assert!(p.share_warning().unwrap().contains("IMG.0089"));
    }

    #[test]
    fn ims_inbox_query_adds_imagetype_and_glance_does_not() {
        let scope = ListScope::SharedWithMe {
            member_status: crate::members::MemberStatus::Pending,
        };
        assert_eq!(
            first_page(Flavor::Ims, &scope, 100).path,
            "/v2/cloudimages?visibility=shared&member_status=pending&__imagetype=shared&limit=100"
        );
        assert_eq!(
            first_page(Flavor::Glance, &scope, 25).path,
            "/v2/images?visibility=shared&member_status=pending&limit=25"
        );
    }

    #[test]
    fn ims_pages_by_marker_until_a_short_page() {
        let first = first_page(
            Flavor::Ims,
            &ListScope::Owned {
                project_id: "p".into(),
            },
            2,
        );
        let full = ImagePage {
            images: vec![
                img(serde_json::json!({"id":"x"})),
                img(serde_json::json!({"id":"y"})),
            ],
            next: None,
        };
        let second = next_page(Flavor::Ims, &first, &full, 2).unwrap();
        assert_eq!(second.path, "/v2/cloudimages?owner=p&limit=2&marker=y");
        let third = next_page(Flavor::Ims, &second, &full, 2).unwrap();
        assert_eq!(
            third.path, "/v2/cloudimages?owner=p&limit=2&marker=y",
            "marker replaced, not appended"
        );
        let short = ImagePage {
            images: vec![img(serde_json::json!({"id":"z"}))],
            next: None,
        };
        assert!(next_page(Flavor::Ims, &second, &short, 2).is_none());
    }

    #[test]
    fn glance_follows_next_links_relative_or_absolute() {
        let first = first_page(
            Flavor::Glance,
            &ListScope::Owned {
                project_id: "p".into(),
            },
            25,
        );
        let page = ImagePage {
            images: vec![],
            next: Some("/v2/images?marker=m&limit=25".into()),
        };
        assert_eq!(
            next_page(Flavor::Glance, &first, &page, 25).unwrap().path,
            "/v2/images?marker=m&limit=25"
        );
        let page = ImagePage {
            images: vec![],
            next: Some("http://gl:9292/v2/images?marker=n".into()),
        };
        assert_eq!(
            next_page(Flavor::Glance, &first, &page, 25).unwrap().path,
            "/v2/images?marker=n"
        );
        assert!(next_page(
            Flavor::Glance,
            &first,
            &ImagePage {
                images: vec![],
                next: None
            },
            25
        )
        .is_none());
    }

    #[test]
    fn a_next_link_to_another_host_or_api_is_not_followed() {
        let first = first_page(
            Flavor::Glance,
            &ListScope::Owned {
                project_id: "p".into(),
            },
            25,
        );
        for next in [
            "//evil.example/v2/images",
            "http://gl:9292//evil.example/x",
            "/v3/auth/tokens",
            "v2/images?marker=x",
            "/\\evil.example/v2/images",
        ] {
            let page = ImagePage {
                images: vec![],
                next: Some(next.into()),
            };
            assert!(
                next_page(Flavor::Glance, &first, &page, 25).is_none(),
                "{next} must not be followed"
            );
        }
    }
}
