//! IAM / Keystone v3: password and token sign-in with project scope, validation, revocation
//! and the project list.

use crate::caller::KeystoneCaller;
use crate::errors::SandboxError;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::errors::keystone;
use crate::model::{now_ms, random_hex, rfc3339, Db, Token};
use crate::AppState;

/// Why a token was refused, so each API family can answer in its own shape.
pub enum AuthFailure {
    Missing,
    Invalid,
}

impl AuthFailure {
    pub fn message(&self) -> &'static str {
        match self {
            AuthFailure::Missing => "The request you have made requires authentication.",
            AuthFailure::Invalid => "The token is expired, revoked or not valid.",
        }
    }
}

pub fn check_token(db: &Db, token: Option<&str>) -> Result<Token, AuthFailure> {
    let token = token
        .filter(|t| !t.is_empty())
        .ok_or(AuthFailure::Missing)?;
    let t = db.tokens.get(token).ok_or(AuthFailure::Invalid)?;
    if t.revoked || now_ms() >= t.expires_ms {
        return Err(AuthFailure::Invalid);
    }
    Ok(t.clone())
}

pub fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

pub async fn version() -> Json<Value> {
    Json(
        json!({"version": {"id": "v3.14", "status": "stable", "links": [{"rel": "self", "href": "/v3/"}]}}),
    )
}

/// An account as IAM names it: Huawei's account IDs are 32 hex characters.
fn domain_json(name: &str) -> Value {
    json!({"id": crate::model::domain_id(name), "name": name})
}

/// Whether `given` (a name, an ID, or Keystone's `default` for the first account) names the
/// account `name`.
fn names_domain(db: &Db, given: &str, name: &str) -> bool {
    given.eq_ignore_ascii_case(name)
        || given == crate::model::domain_id(name)
        || (given == "default" && name.eq_ignore_ascii_case(&db.domain))
}

fn token_body(db: &Db, t: &Token) -> Value {
    let user = db.users.iter().find(|u| u.id == t.user_id);
    let project = db.project(&t.project_id);
    json!({"token": {
        "methods": ["password"],
        "expires_at": rfc3339(t.expires_ms),
        "issued_at": rfc3339(t.issued_ms),
        "user": {"id": t.user_id, "name": user.map(|u| u.name.clone()).unwrap_or_default(),
                 "domain": domain_json(user.map_or(db.domain.as_str(), |u| u.domain.as_str()))},
        "project": {"id": t.project_id, "name": project.map(|p| p.name.clone()).unwrap_or_default(),
                    "domain": domain_json(project.map_or(db.domain.as_str(), |p| p.domain.as_str()))},
        "roles": [{"id": "r-member", "name": "te_admin"}, {"id": "r-reader", "name": "reader"}],
        "catalog": [{"type": "image", "name": "ims", "id": "svc-image", "endpoints": catalog_endpoints()}]
    }})
}

/// One public image endpoint per region: the first at this origin's root, the others under
/// `/<region>`.
fn catalog_endpoints() -> Vec<Value> {
    crate::REGIONS
        .iter()
        .enumerate()
        .map(|(n, r)| json!({"id": format!("ep-image-{r}"), "interface": "public", "region": r, "region_id": r, "url": if n == 0 { String::new() } else { format!("/{r}") }}))
        .collect()
}

fn scope_project(db: &Db, body: &Value) -> Result<String, SandboxError> {
    let p = &body["auth"]["scope"]["project"];
    if let Some(id) = p["id"].as_str() {
        return db.project(id).map(|p| p.id.clone()).ok_or_else(|| {
            keystone(
                StatusCode::UNAUTHORIZED,
                "The project in the scope does not exist or you have no role on it.",
            )
        });
    }
    if let Some(name) = p["name"].as_str() {
        let domain = p["domain"]["name"]
            .as_str()
            .or(p["domain"]["id"].as_str())
            .unwrap_or("");
        return db
            .project_by_name(name)
            .filter(|p| names_domain(db, domain, &p.domain))
            .map(|p| p.id.clone())
            .ok_or_else(|| {
                keystone(
                    StatusCode::UNAUTHORIZED,
                    "The project in the scope does not exist or you have no role on it.",
                )
            });
    }
    Err(keystone(
        StatusCode::BAD_REQUEST,
        "IMS needs a project-scoped token: give scope.project.id or scope.project.name.",
    ))
}

/// The user a token request names: by password, or by a valid token (a rescope, unless the
/// policy refuses it).
fn identify(db: &Db, body: &Value, refuse_rescope: bool) -> Result<String, SandboxError> {
    let methods = body["auth"]["identity"]["methods"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if methods.iter().any(|m| m == "password") {
        let u = &body["auth"]["identity"]["password"]["user"];
        let name = u["name"].as_str().unwrap_or("");
        let password = u["password"].as_str().unwrap_or("");
        let domain = u["domain"]["name"]
            .as_str()
            .or(u["domain"]["id"].as_str())
            .unwrap_or("");
        let found = db.users.iter().find(|x| {
            x.name == name && x.password == password && names_domain(db, domain, &x.domain)
        });
        found.map(|u| u.id.clone()).ok_or_else(|| {
            keystone(
                StatusCode::UNAUTHORIZED,
                "The username or password is wrong.",
            )
        })
    } else if methods.iter().any(|m| m == "token") {
        // Some IAM policies forbid exchanging a token for one of another project.
        if refuse_rescope {
            return Err(keystone(
                StatusCode::FORBIDDEN,
                "Getting a token with a token is not allowed by the security policy.",
            ));
        }
        let old = body["auth"]["identity"]["token"]["id"].as_str();
        check_token(db, old)
            .map(|t| t.user_id)
            .map_err(|f| keystone(StatusCode::UNAUTHORIZED, f.message()))
    } else {
        Err(keystone(
            StatusCode::BAD_REQUEST,
            "Only the password and token methods are supported.",
        ))
    }
}

pub async fn issue(
    State(state): State<AppState>,
    body: Option<Json<Value>>,
) -> Result<Response, SandboxError> {
    let Json(body) = body.ok_or_else(|| {
        keystone(
            StatusCode::BAD_REQUEST,
            "Expecting to find auth in request body.",
        )
    })?;
    let ttl = state.settings().token_ttl_s;
    let mut db = state.db();
    let refuse_rescope = state.settings().refuse_rescope;
    let user_id = identify(&db, &body, refuse_rescope)?;
    let project_id = scope_project(&db, &body)?;
    let user = db
        .users
        .iter()
        .find(|u| u.id == user_id)
        .expect("user exists");
    if !user.project_ids.contains(&project_id) {
        return Err(keystone(
            StatusCode::UNAUTHORIZED,
            "The project in the scope does not exist or you have no role on it.",
        ));
    }
    let now = now_ms();
    let t = Token {
        user_id,
        project_id,
        issued_ms: now,
        expires_ms: now + ttl * 1000,
        revoked: false,
    };
    let id = format!("MII{}", random_hex(60));
    let out = token_body(&db, &t);
    db.tokens.insert(id.clone(), t);
    Ok((StatusCode::CREATED, [("x-subject-token", id)], Json(out)).into_response())
}

pub async fn validate(
    State(state): State<AppState>,
    _: KeystoneCaller,
    headers: HeaderMap,
) -> Result<Response, SandboxError> {
    let db = state.db();
    let subject = header(&headers, "x-subject-token").unwrap_or("");
    let t = check_token(&db, Some(subject))
        .map_err(|_| keystone(StatusCode::NOT_FOUND, "Could not find token."))?;
    Ok((
        StatusCode::OK,
        [("x-subject-token", subject.to_string())],
        Json(token_body(&db, &t)),
    )
        .into_response())
}

pub async fn revoke(
    State(state): State<AppState>,
    _: KeystoneCaller,
    headers: HeaderMap,
) -> Result<Response, SandboxError> {
    let mut db = state.db();
    let subject = header(&headers, "x-subject-token").unwrap_or("");
    match db.tokens.get_mut(subject) {
        Some(t) if !t.revoked => {
            t.revoked = true;
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        _ => Err(keystone(StatusCode::NOT_FOUND, "Could not find token.")),
    }
}

pub async fn projects(
    State(state): State<AppState>,
    KeystoneCaller(t): KeystoneCaller,
) -> Response {
    let db = state.db();
    let user = db
        .users
        .iter()
        .find(|u| u.id == t.user_id)
        .expect("user exists");
    let list: Vec<Value> = user
        .project_ids
        .iter()
        .filter_map(|id| db.project(id))
        .map(|p| json!({"id": p.id, "name": p.name, "domain_id": crate::model::domain_id(&p.domain), "enabled": true}))
        .collect();
    Json(json!({"projects": list, "links": {"self": "/v3/auth/projects"}})).into_response()
}
