//! Error bodies in each service's own shape: IMS codes on v1 and cloudimages, Keystone on
//! IAM, Glance (HTML unless the client asks for JSON) on the native v2 API.

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

pub fn ims(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        axum::Json(json!({"error": {"code": code, "message": message}})),
    )
        .into_response()
}

pub fn keystone(status: StatusCode, message: &str) -> Response {
    let title = status.canonical_reason().unwrap_or("Error");
    (
        status,
        axum::Json(json!({"error": {"code": status.as_u16(), "message": message, "title": title}})),
    )
        .into_response()
}

/// Glance answers HTML unless `Accept` names JSON; its JSON message keeps a literal `<br />`.
pub fn glance(headers: &HeaderMap, status: StatusCode, message: &str) -> Response {
    let title = status.canonical_reason().unwrap_or("Error");
    let code = format!("{} {}", status.as_u16(), title);
    let wants_json = headers
        .get("accept")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json"));
    if wants_json {
        (status, axum::Json(json!({"message": format!("{message}<br /><br />\n\n\n"), "code": code, "title": title}))).into_response()
    } else {
        let page = format!("<html>\n <head>\n  <title>{code}</title>\n </head>\n <body>\n  <h1>{code}</h1>\n  {message}<br /><br />\n\n\n\n </body>\n</html>");
        (status, [("content-type", "text/html; charset=UTF-8")], page).into_response()
    }
}
