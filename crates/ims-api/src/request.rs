//! Requests and responses as plain values. The browser transport turns an [`ApiRequest`] into
//! a fetch and the answer into an [`ApiResponse`]; everything else stays testable natively.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::ApiError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// Which configured base URL a request goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    Iam,
    Image,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ApiRequest {
    pub method: Method,
    pub service: Service,
    /// Path and query, starting with `/`.
    pub path: String,
    /// Extra headers; the transport adds `Accept` and, when `authenticated`, `X-Auth-Token`.
    pub headers: Vec<(String, String)>,
    pub body: Option<Value>,
    /// Content type of `body`; JSON when `None`.
    pub content_type: Option<&'static str>,
    /// Whether the session token goes with the request.
    pub authenticated: bool,
    /// A deadline shorter than the configured one (job polls), in seconds.
    pub deadline_s: Option<u32>,
}

impl ApiRequest {
    pub fn new(method: Method, service: Service, path: impl Into<String>) -> Self {
        Self {
            method,
            service,
            path: path.into(),
            headers: Vec::new(),
            body: None,
            content_type: None,
            authenticated: true,
            deadline_s: None,
        }
    }
    pub fn get(service: Service, path: impl Into<String>) -> Self {
        Self::new(Method::Get, service, path)
    }
    pub fn json(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }
    pub fn anonymous(mut self) -> Self {
        self.authenticated = false;
        self
    }
    /// The full URL under `base` (a trailing slash on the base is ignored).
    pub fn deadline(mut self, seconds: u32) -> Self {
        self.deadline_s = Some(seconds);
        self
    }

    /// Whether sending it twice could do it twice: an image-service call other than a read.
    /// IAM's calls (issue, check, revoke a token) change nothing worth guarding.
    pub fn is_write(&self) -> bool {
        self.method != Method::Get && self.service == Service::Image
    }

    pub fn url(&self, base: &str) -> String {
        format!("{}{}", base.trim_end_matches('/'), self.path)
    }
    /// A short label for logs and job lists: never includes headers, so never the token.
    pub fn label(&self) -> String {
        format!(
            "{} {}",
            self.method.as_str(),
            self.path.split('?').next().unwrap_or("")
        )
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ApiResponse {
    pub status: u16,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl ApiResponse {
    pub fn new(status: u16, headers: Vec<(String, String)>, body: impl Into<String>) -> Self {
        let headers = headers
            .into_iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v))
            .collect();
        Self {
            status,
            headers,
            body: body.into(),
        }
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
    /// The request id the server gave, under any of the names IMS, IAM and Glance use.
    pub fn request_id(&self) -> Option<String> {
        [
            "x-request-id",
            "x-openstack-request-id",
            "x-compute-request-id",
        ]
        .iter()
        .find_map(|h| self.header(h))
        .map(str::to_string)
    }
    /// Non-2xx answers become the one [`ApiError`].
    pub fn ok(self) -> Result<Self, ApiError> {
        if self.is_success() {
            Ok(self)
        } else {
            Err(ApiError::from_response(&self))
        }
    }
    /// Decodes a 2xx JSON body; any other status is an error first.
    pub fn json<T: DeserializeOwned>(self) -> Result<T, ApiError> {
        let me = self.ok()?;
        serde_json::from_str(&me.body).map_err(|e| ApiError::Decode {
            status: me.status,
            detail: format!("unexpected answer from the server ({e})"),
            request_id: me.request_id(),
        })
    }
}

/// `key=value&…` with values percent-encoded; empty values are left out.
pub fn query(pairs: &[(&str, &str)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// One path segment: percent-encoded, so an ID with `/`, `?`, `#` or `%` in it stays inside
/// its segment. A segment that is empty or only dots would still be read as "this folder" or
/// "up one" (browsers resolve `.`, `..` and `%2e%2e` alike), so it becomes `%00`, which no
/// service takes for an ID: the request fails where it is sent and climbs nowhere.
pub fn segment(s: &str) -> String {
    if s.bytes().all(|b| b == b'.') {
        return "%00".into();
    }
    encode(s)
}

pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_encodes_and_skips_empty_values() {
        assert_eq!(
            query(&[("name", "a b&c"), ("owner", ""), ("limit", "5")]),
            "?name=a%20b%26c&limit=5"
        );
        assert_eq!(query(&[("x", "")]), "");
    }

    #[test]
    fn header_lookup_is_case_insensitive_and_finds_request_ids() {
        let r = ApiResponse::new(
            200,
            vec![("X-OpenStack-Request-Id".into(), "req-1".into())],
            "{}",
        );
        assert_eq!(r.header("x-openstack-request-id"), Some("req-1"));
        assert_eq!(r.request_id().as_deref(), Some("req-1"));
    }

    #[test]
    fn url_joins_base_without_double_slash() {
        let r = ApiRequest::get(Service::Image, "/v2/images?limit=1");
        assert_eq!(r.url("http://h:1/"), "http://h:1/v2/images?limit=1");
        assert_eq!(r.label(), "GET /v2/images");
    }

    #[test]
    fn json_of_an_error_status_is_the_api_error() {
        let r = ApiResponse::new(
            404,
            vec![],
            r#"{"error":{"code":"IMG.0027","message":"not found"}}"#,
        );
        let e = r.json::<serde_json::Value>().unwrap_err();
        assert_eq!(e.status(), Some(404));
    }
}
