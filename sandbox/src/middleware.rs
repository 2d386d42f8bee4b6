//! Cross-cutting behaviour: CORS for configured origins, request ids, the loopback-only
//! admin guard, and fault injection for tests.

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::model::random_hex;
use crate::AppState;

const ALLOW_HEADERS: &str =
    "Content-Type, Accept, X-Auth-Token, X-Subject-Token, X-Project-Id, X-Openstack-Request-Id";
const EXPOSE_HEADERS: &str =
    "X-Subject-Token, X-Request-Id, X-Openstack-Request-Id, Location, Retry-After";

pub async fn cors_and_request_id(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let origin = req
        .headers()
        .get("origin")
        .and_then(|o| o.to_str().ok())
        .map(str::to_string);
    let allowed = origin.filter(|o| {
        state
            .options
            .cors_origins
            .iter()
            .any(|a| a == "*" || a == o)
    });
    let preflight = req.method() == Method::OPTIONS
        && req.headers().contains_key("access-control-request-method");
    let mut resp = if preflight {
        StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(req).await
    };
    let h = resp.headers_mut();
    if let Some(origin) = allowed {
        if let Ok(v) = HeaderValue::from_str(&origin) {
            h.insert("access-control-allow-origin", v);
        }
        h.insert("vary", HeaderValue::from_static("Origin"));
        h.insert(
            "access-control-expose-headers",
            HeaderValue::from_static(EXPOSE_HEADERS),
        );
        if preflight {
            h.insert(
                "access-control-allow-methods",
                HeaderValue::from_static("GET, POST, PUT, PATCH, DELETE, OPTIONS"),
            );
            h.insert(
                "access-control-allow-headers",
                HeaderValue::from_static(ALLOW_HEADERS),
            );
            h.insert("access-control-max-age", HeaderValue::from_static("600"));
        }
    }
    if !h.contains_key("x-request-id") {
        if let Ok(v) = HeaderValue::from_str(&format!("req-{}", random_hex(16))) {
            h.insert("x-openstack-request-id", v.clone());
            h.insert("x-request-id", v);
        }
    }
    resp
}

#[derive(Clone, Debug, Deserialize)]
pub struct Fault {
    /// `GET`, `POST` … or `*`.
    #[serde(default = "any")]
    pub method: String,
    /// A path; `*` matches any run of characters (`/v2/images/*/members`).
    pub path: String,
    /// How many matching calls it hits.
    #[serde(default = "one")]
    pub count: u32,
    #[serde(default)]
    pub delay_ms: u64,
    /// Answer this status instead of calling the API.
    #[serde(default)]
    pub status: Option<u16>,
    /// Drop the connection mid-answer.
    #[serde(default)]
    pub reset: bool,
    /// Answer an HTML page (a gateway's error page) with `status` or 502.
    #[serde(default)]
    pub html: bool,
    /// Answer 200 with truncated JSON.
    #[serde(default)]
    pub malformed: bool,
    /// Accept the call and never answer (a hung service: no reset, no timeout).
    #[serde(default)]
    pub hang: bool,
    /// With `status` 429: the `Retry-After` header, in seconds.
    #[serde(default)]
    pub retry_after: Option<u32>,
    /// Answer `status` (or 200) with an empty body.
    #[serde(default)]
    pub empty: bool,
    /// Carry the call out first, then apply the fault to its answer: a write that was done
    /// though its answer is lost (with `hang` or `reset`).
    #[serde(default)]
    pub after: bool,
}

fn any() -> String {
    "*".into()
}
fn one() -> u32 {
    1
}

pub fn glob_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let mut rest = text;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            let Some(r) = rest.strip_prefix(part) else {
                return false;
            };
            rest = r;
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            let Some(pos) = rest.find(part) else {
                return false;
            };
            rest = &rest[pos + part.len()..];
        }
    }
    true
}

pub async fn faults(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if path.starts_with("/__admin") {
        return match loopback_only(&req) {
            Some(refused) => refused,
            None => next.run(req).await,
        };
    }
    if req.method() == Method::OPTIONS {
        return next.run(req).await;
    }
    let Some(f) = take_fault(&state, req.method().as_str(), &path) else {
        return next.run(req).await;
    };
    if f.after {
        let _done = next.run(req).await;
        if f.hang {
            futures_util::future::pending::<()>().await;
        }
        return reset_mid_body();
    }
    if f.hang {
        futures_util::future::pending::<()>().await;
    }
    if f.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(f.delay_ms)).await;
    }
    if f.reset {
        return reset_mid_body();
    }
    match canned_answer(&f) {
        Some(answer) => answer,
        None => next.run(req).await,
    }
}

/// The admin endpoint answers on loopback only: the refusal for any other caller.
fn loopback_only(req: &Request) -> Option<Response> {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    (!peer.is_some_and(|p| p.ip().is_loopback())).then(|| {
        crate::errors::keystone(
            StatusCode::FORBIDDEN,
            "The admin endpoint answers on loopback only.",
        )
        .into_response()
    })
}

/// The first fault that matches this call, counted down (and dropped once used up).
fn take_fault(state: &AppState, method: &str, path: &str) -> Option<Fault> {
    let mut list = state.faults.lock().unwrap_or_else(|e| e.into_inner());
    let i = list.iter().position(|f| {
        (f.method == "*" || f.method.eq_ignore_ascii_case(method)) && glob_match(&f.path, path)
    })?;
    let f = list[i].clone();
    list[i].count -= 1;
    if list[i].count == 0 {
        list.remove(i);
    }
    Some(f)
}

/// The answer a fault gives in place of the service's, if it gives one: a gateway's HTML
/// page, a malformed or empty body, or a status (429 with IMS's flow-control code and
/// Retry-After; outages as gateways and load balancers send them, plain text).
fn canned_answer(f: &Fault) -> Option<Response> {
    if f.html {
        let status =
            StatusCode::from_u16(f.status.unwrap_or(502)).unwrap_or(StatusCode::BAD_GATEWAY);
        let page = format!("<!DOCTYPE html><html><head><title>{s}</title><style>body{{color:red}}</style></head><body><h1>{s}</h1><p>The gateway could not reach the service.</p></body></html>", s = status);
        return Some((status, [("content-type", "text/html")], page).into_response());
    }
    if f.malformed {
        return Some(
            (
                StatusCode::OK,
                [("content-type", "application/json")],
                "{\"images\": [{\"id\": ",
            )
                .into_response(),
        );
    }
    if f.empty {
        return Some(
            StatusCode::from_u16(f.status.unwrap_or(200))
                .unwrap_or(StatusCode::OK)
                .into_response(),
        );
    }
    let code = f.status?;
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if code == 429 {
        let mut resp = crate::errors::ims(status, "IMG.0060", "Too many requests: flow control.")
            .into_response();
        if let Some(v) = f
            .retry_after
            .and_then(|s| axum::http::HeaderValue::from_str(&s.to_string()).ok())
        {
            resp.headers_mut().insert("retry-after", v);
        }
        return Some(resp);
    }
    Some((status, [("content-type", "text/plain")], status.to_string()).into_response())
}

/// A 200 whose body breaks off: what a dropped connection looks like to the browser.
fn reset_mid_body() -> Response {
    let stream = futures_util::stream::once(async {
        Err::<bytes::Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "injected reset",
        ))
    });
    Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(Body::from_stream(stream))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn globs() {
        assert!(glob_match("/v2/images", "/v2/images"));
        assert!(glob_match("/v2/images/*/members", "/v2/images/abc/members"));
        assert!(!glob_match(
            "/v2/images/*/members",
            "/v2/images/abc/members/x"
        ));
        assert!(glob_match("/v1/*", "/v1/cloudimages/members"));
        assert!(glob_match("*", "/anything"));
    }
}
