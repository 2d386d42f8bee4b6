//! IAM / Keystone v3: the sign-in requests and what a token answer becomes in the session.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::ApiError;
use crate::request::{ApiRequest, ApiResponse, Method, Service};
use crate::time::parse_rfc3339_ms;

/// How the user named the project to scope to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProjectRef {
    Id(String),
    Name(String),
}

impl ProjectRef {
    /// A 32-hex value is an ID; anything else a name (project names like `eu-de_ops` are common).
    pub fn from_input(s: &str) -> Self {
        let s = s.trim();
        if crate::ids::is_project_id(s) {
            ProjectRef::Id(s.to_ascii_lowercase())
        } else {
            ProjectRef::Name(s.to_string())
        }
    }
}

fn scope(project: &ProjectRef, domain: &str) -> serde_json::Value {
    match project {
        ProjectRef::Id(id) => json!({"project": {"id": id}}),
        ProjectRef::Name(name) => json!({"project": {"name": name, "domain": {"name": domain}}}),
    }
}

/// `POST /v3/auth/tokens` with the password method, scoped to one project.
pub fn password_login(
    user: &str,
    password: &str,
    domain: &str,
    project: &ProjectRef,
) -> ApiRequest {
    ApiRequest::new(Method::Post, Service::Iam, "/v3/auth/tokens").anonymous().json(json!({
        "auth": {
            "identity": {"methods": ["password"], "password": {"user": {"name": user, "password": password, "domain": {"name": domain}}}},
            "scope": scope(project, domain)
        }
    }))
}

/// Re-scopes an existing token to another project without the password (Keystone allows it).
pub fn token_rescope(token: &str, project_id: &str) -> ApiRequest {
    ApiRequest::new(Method::Post, Service::Iam, "/v3/auth/tokens").anonymous().json(json!({
        "auth": {"identity": {"methods": ["token"], "token": {"id": token}}, "scope": {"project": {"id": project_id}}}
    }))
}

/// `GET /v3/auth/tokens`: a token checking itself (X-Auth-Token = X-Subject-Token).
pub fn validate_token(token: &str) -> ApiRequest {
    ApiRequest::get(Service::Iam, "/v3/auth/tokens")
        .anonymous()
        .header("X-Auth-Token", token)
        .header("X-Subject-Token", token)
}

/// `DELETE /v3/auth/tokens`: revokes the token on sign-out.
pub fn revoke_token(token: &str) -> ApiRequest {
    ApiRequest::new(Method::Delete, Service::Iam, "/v3/auth/tokens")
        .anonymous()
        .header("X-Auth-Token", token)
        .header("X-Subject-Token", token)
}

/// `GET /v3/auth/projects`: the projects this user may scope to.
pub fn list_projects() -> ApiRequest {
    ApiRequest::get(Service::Iam, "/v3/auth/projects")
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    pub id: String,
    #[serde(default)]
    pub name: String,
}

#[derive(Deserialize)]
struct TokenEnvelope {
    token: TokenBody,
}

#[derive(Deserialize)]
struct TokenBody {
    expires_at: String,
    #[serde(default)]
    issued_at: Option<String>,
    user: UserBody,
    project: Option<Named>,
    #[serde(default)]
    catalog: Vec<CatalogEntry>,
}

#[derive(Deserialize)]
struct UserBody {
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    domain: Option<Named>,
}

#[derive(Deserialize)]
struct CatalogEntry {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    endpoints: Vec<Endpoint>,
}

#[derive(Deserialize)]
struct Endpoint {
    url: String,
    #[serde(default)]
    interface: String,
    #[serde(default)]
    region: Option<String>,
    #[serde(default)]
    region_id: Option<String>,
}

/// What the console keeps of a signed-in session (in sessionStorage only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub token: String,
    pub expires_at_ms: i64,
    pub issued_at_ms: Option<i64>,
    pub user: Named,
    pub domain: String,
    /// The user's account (domain) ID: an image is never shared with its own account.
    #[serde(default)]
    pub domain_id: String,
    pub project: Named,
    /// The public `image` endpoint of the catalog in the session's region, if any.
    pub image_endpoint: Option<String>,
    /// The session's region: the one the project's name carries, else the configured one.
    #[serde(default)]
    pub region: String,
    /// The regions of the catalog's image endpoints.
    #[serde(default)]
    pub regions: Vec<String>,
}

impl SessionInfo {
    pub fn remaining_ms(&self, now_ms: i64) -> i64 {
        self.expires_at_ms - now_ms
    }
    pub fn is_expired(&self, now_ms: i64) -> bool {
        self.remaining_ms(now_ms) <= 0
    }
}

/// Reads a token answer. `token` is the `X-Subject-Token` header for a login, or the token
/// the user pasted for a validation.
///
/// # Errors
/// A non-2xx answer, a missing token, a body without a project scope or a valid `expires_at`.
pub fn session_from_response(
    resp: ApiResponse,
    token: Option<String>,
    region: &str,
) -> Result<SessionInfo, ApiError> {
    let token = token.or_else(|| resp.header("x-subject-token").map(str::to_string));
    let status = resp.status;
    let request_id = resp.request_id();
    let env: TokenEnvelope = resp.json()?;
    let decode = |detail: &str| ApiError::Decode {
        status,
        detail: detail.to_string(),
        request_id: request_id.clone(),
    };
    let token = token.filter(|t| !t.is_empty()).ok_or_else(|| {
        decode("sent no X-Subject-Token header (a proxy must expose it to the browser)")
    })?;
    let expires_at_ms = parse_rfc3339_ms(&env.token.expires_at)
        .ok_or_else(|| decode("sent an unreadable expires_at"))?;
    let project = env
        .token
        .project
        .ok_or_else(|| decode("issued a token without a project scope"))?;
    let regions = catalog_regions(&env.token.catalog);
    let region = crate::names::region_of(&project.name, &regions)
        .unwrap_or(region)
        .to_string();
    let image_endpoint = pick_image_endpoint(&env.token.catalog, &region);
    Ok(SessionInfo {
        token,
        expires_at_ms,
        issued_at_ms: env.token.issued_at.as_deref().and_then(parse_rfc3339_ms),
        domain: env
            .token
            .user
            .domain
            .as_ref()
            .map(|d| d.name.clone())
            .unwrap_or_default(),
        domain_id: env
            .token
            .user
            .domain
            .as_ref()
            .map(|d| d.id.clone())
            .unwrap_or_default(),
        user: Named {
            id: env.token.user.id,
            name: env.token.user.name,
        },
        project,
        image_endpoint,
        region,
        regions,
    })
}

fn catalog_regions(catalog: &[CatalogEntry]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in catalog
        .iter()
        .filter(|c| c.kind == "image")
        .flat_map(|c| c.endpoints.iter())
    {
        if let Some(r) = e
            .region_id
            .as_ref()
            .or(e.region.as_ref())
            .filter(|r| !r.is_empty())
        {
            if !out.contains(r) {
                out.push(r.clone());
            }
        }
    }
    out
}

fn pick_image_endpoint(catalog: &[CatalogEntry], region: &str) -> Option<String> {
    let endpoints = catalog
        .iter()
        .filter(|c| c.kind == "image")
        .flat_map(|c| c.endpoints.iter());
    let public: Vec<&Endpoint> = endpoints
        .filter(|e| e.interface.is_empty() || e.interface == "public")
        .collect();
    let in_region = public.iter().find(|e| {
        region.is_empty()
            || e.region.as_deref() == Some(region)
            || e.region_id.as_deref() == Some(region)
    });
    in_region
        .or(public.first())
        .map(|e| e.url.trim_end_matches('/').to_string())
}

#[derive(Deserialize)]
pub struct ProjectList {
    pub projects: Vec<Named>,
}

/// What the sign-in form shows for a failed login: the IAM message itself, not "session ended".
pub fn login_error_message(e: &ApiError) -> String {
    match e {
        ApiError::Unauthorized {
            message,
            request_id,
        } => {
            let rid = request_id
                .as_ref()
                .map(|r| format!(" Request ID: {r}"))
                .unwrap_or_default();
            format!("Sign-in refused: {message}{rid}")
        }
        other => other.user_message(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = r#"{"token":{"expires_at":"2026-11-24T10:00:00.000000Z","issued_at":"2026-11-23T10:00:00.000000Z",
      "user":{"id":"u1","name":"alice","domain":{"id":"d1","name":"Default"}},
      "project":{"id":"9c61004714024f9586705d090530f9fa","name":"ops"},
      "catalog":[{"type":"image","name":"ims","endpoints":[
        {"url":"https://ims.eu-nl/","region":"eu-nl","interface":"public"},
        {"url":"https://ims.eu-de","region":"eu-de","interface":"public"}]}]}}"#;

    #[test]
    fn login_body_scopes_by_id_or_by_name_with_domain() {
        let r = password_login(
            "alice",
            "pw",
            "Default",
            &ProjectRef::from_input("9C61004714024F9586705D090530F9FA"),
        );
        let b = r.body.unwrap();
        assert_eq!(
            b["auth"]["scope"]["project"]["id"],
            "9c61004714024f9586705d090530f9fa"
        );
        assert_eq!(
            b["auth"]["identity"]["password"]["user"]["domain"]["name"],
            "Default"
        );
        assert!(!r.authenticated);
        let r = password_login(
            "alice",
            "pw",
            "Default",
            &ProjectRef::from_input("eu-de_ops"),
        );
        assert_eq!(
            r.body.unwrap()["auth"]["scope"]["project"]["domain"]["name"],
            "Default"
        );
    }

    #[test]
    fn session_reads_header_token_expiry_and_regional_endpoint() {
        let resp = ApiResponse::new(201, vec![("X-Subject-Token".into(), "tok".into())], BODY);
        let s = session_from_response(resp, None, "eu-de").unwrap();
        assert_eq!(s.token, "tok");
        assert_eq!(s.project.name, "ops");
        assert_eq!(s.domain, "Default");
        assert_eq!(s.image_endpoint.as_deref(), Some("https://ims.eu-de"));
        assert_eq!(s.remaining_ms(s.expires_at_ms - 1000), 1000);
        assert!(s.is_expired(s.expires_at_ms));
    }

    #[test]
    fn the_region_follows_the_project_name_over_the_configured_one() {
        let body = BODY.replace(r#""name":"ops""#, r#""name":"eu-nl_web""#);
        let s = session_from_response(
            ApiResponse::new(201, vec![("X-Subject-Token".into(), "tok".into())], &body),
            None,
            "eu-de",
        )
        .unwrap();
        assert_eq!(
            (s.region.as_str(), s.image_endpoint.as_deref()),
            ("eu-nl", Some("https://ims.eu-nl"))
        );
        assert_eq!(s.regions, vec!["eu-nl".to_string(), "eu-de".to_string()]);
        let s = session_from_response(
            ApiResponse::new(201, vec![("X-Subject-Token".into(), "tok".into())], BODY),
            None,
            "eu-de",
        )
        .unwrap();
        assert_eq!(
            s.region, "eu-de",
            "a name without a region keeps the configured one"
        );
    }

    #[test]
    fn missing_subject_token_says_the_proxy_must_expose_it() {
        let e = session_from_response(ApiResponse::new(201, vec![], BODY), None, "").unwrap_err();
        assert!(e.user_message().contains("X-Subject-Token"));
    }

    #[test]
    fn wrong_password_is_unauthorized_with_iam_message() {
        let resp = ApiResponse::new(
            401,
            vec![],
            r#"{"error":{"code":401,"message":"The username or password is wrong.","title":"Unauthorized"}}"#,
        );
        let e = session_from_response(resp, None, "").unwrap_err();
        assert!(e.is_unauthorized());
        assert!(e
            .user_message()
            .contains("The username or password is wrong."));
    }

    #[test]
    fn validation_sends_the_token_as_both_headers() {
        let r = validate_token("abc");
        assert!(r.headers.contains(&("X-Auth-Token".into(), "abc".into())));
        assert!(r
            .headers
            .contains(&("X-Subject-Token".into(), "abc".into())));
        assert_eq!(r.label(), "GET /v3/auth/tokens");
    }
}
