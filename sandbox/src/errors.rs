//! Error answers in each service's own shape: IMS codes on v1 and cloudimages, Keystone on
//! IAM, Glance (HTML unless the client asks for JSON) on the native v2 API. Handlers answer
//! `Result<Response, SandboxError>` and use `?`; the extractors reject with it too.

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// A refusal, as the service that refuses words it.
#[derive(Debug, Clone, PartialEq)]
pub enum SandboxError {
    Ims {
        status: StatusCode,
        code: String,
        message: String,
    },
    Keystone {
        status: StatusCode,
        message: String,
    },
    Glance {
        status: StatusCode,
        message: String,
        /// The client's `Accept` names JSON; Glance answers HTML otherwise.
        json: bool,
    },
}

pub fn ims(status: StatusCode, code: &str, message: &str) -> SandboxError {
    SandboxError::Ims {
        status,
        code: code.to_string(),
        message: message.to_string(),
    }
}

pub fn keystone(status: StatusCode, message: &str) -> SandboxError {
    SandboxError::Keystone {
        status,
        message: message.to_string(),
    }
}

pub fn glance(headers: &HeaderMap, status: StatusCode, message: &str) -> SandboxError {
    let json = headers
        .get("accept")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json"));
    SandboxError::Glance {
        status,
        message: message.to_string(),
        json,
    }
}

impl IntoResponse for SandboxError {
    fn into_response(self) -> Response {
        match self {
            SandboxError::Ims {
                status,
                code,
                message,
            } => (
                status,
                axum::Json(json!({"error": {"code": code, "message": message}})),
            )
                .into_response(),
            SandboxError::Keystone { status, message } => {
                let title = status.canonical_reason().unwrap_or("Error");
                (
                    status,
                    axum::Json(json!({"error": {"code": status.as_u16(), "message": message, "title": title}})),
                )
                    .into_response()
            }
            SandboxError::Glance {
                status,
                message,
                json,
            } => glance_page(status, &message, json),
        }
    }
}

/// Glance's JSON message keeps a literal `<br />`, as the real one does.
fn glance_page(status: StatusCode, message: &str, json: bool) -> Response {
    let title = status.canonical_reason().unwrap_or("Error");
    let code = format!("{} {}", status.as_u16(), title);
    if json {
        (status, axum::Json(json!({"message": format!("{message}<br /><br />\n\n\n"), "code": code, "title": title}))).into_response()
    } else {
        let page = format!("<html>\n <head>\n  <title>{code}</title>\n </head>\n <body>\n  <h1>{code}</h1>\n  {message}<br /><br />\n\n\n\n </body>\n</html>");
        (status, [("content-type", "text/html; charset=UTF-8")], page).into_response()
    }
}
