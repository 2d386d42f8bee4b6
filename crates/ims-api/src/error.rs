//! The one error type of the console, and how failures are put into plain words.
//!
//! IMS, IAM, Glance and the proxies in front of them answer errors in half a dozen shapes
//! (nested IMS codes, flattened codes, Keystone bodies, Glance JSON with HTML inside, whole
//! HTML pages, plain text). They all land here as one `ApiError` the UI can show as it is.

/// The one wording of "you named your own project", wherever a project ID is checked.
pub const OWN_PROJECT: &str = "this is your own project: an image cannot be shared with its owner";

/// [`OWN_PROJECT`] as a sentence of its own, next to a field.
pub fn own_project_sentence() -> String {
    let mut s = OWN_PROJECT.to_string();
    s[..1].make_ascii_uppercase();
    s.push('.');
    s
}

use crate::request::ApiResponse;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// No answer: connection refused or reset, DNS, CORS refusal, offline.
    Network { detail: String },
    /// The token is missing, expired or revoked: the user must sign in again.
    Unauthorized {
        message: String,
        request_id: Option<String>,
    },
    /// No answer within the deadline. For a write the outcome is unknown: it may have been done.
    Timeout {
        service: String,
        seconds: u32,
        write: bool,
    },
    /// Any other non-2xx answer. `retry_after_s`: how long the server asked to wait (429,
    /// IMS flow control), from its `Retry-After` header.
    Http {
        status: u16,
        code: Option<String>,
        message: String,
        request_id: Option<String>,
        retry_after_s: Option<u32>,
    },
    /// A 2xx answer whose body was not what the API documents.
    Decode {
        status: u16,
        detail: String,
        request_id: Option<String>,
    },
    /// Refused before sending: the console knows the server would say no.
    Invalid { message: String },
    /// The user stopped waiting (Cancel). For a write the outcome is unknown, as for a
    /// deadline: it may have been done.
    Cancelled { write: bool },
}

impl ApiError {
    pub fn from_response(resp: &ApiResponse) -> Self {
        let (code, raw_message) = parse_error_body(&resp.body);
        let request_id = resp.request_id();
        let message = raw_message.unwrap_or_else(|| status_words(resp.status).to_string());
        if resp.status == 401 {
            return ApiError::Unauthorized {
                message,
                request_id,
            };
        }
        let retry_after_s = resp.header("retry-after").and_then(parse_retry_after);
        ApiError::Http {
            status: resp.status,
            code,
            message,
            request_id,
            retry_after_s,
        }
    }

    /// The server asked the console to slow down: HTTP 429 or IMS flow control.
    pub fn is_throttled(&self) -> bool {
        matches!(self, ApiError::Http { status: 429, .. }) || self.code() == Some("IMG.0060")
    }

    /// How long to wait before trying again, when the server said so.
    pub fn retry_after_s(&self) -> Option<u32> {
        match self {
            ApiError::Http { retry_after_s, .. } => *retry_after_s,
            _ => None,
        }
    }

    pub fn is_timeout(&self) -> bool {
        matches!(self, ApiError::Timeout { .. })
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Unauthorized { .. } => Some(401),
            ApiError::Http { status, .. } | ApiError::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Http { code, .. } => code.as_deref(),
            _ => None,
        }
    }

    pub fn request_id(&self) -> Option<&str> {
        match self {
            ApiError::Unauthorized { request_id, .. }
            | ApiError::Http { request_id, .. }
            | ApiError::Decode { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    pub fn is_unauthorized(&self) -> bool {
        matches!(self, ApiError::Unauthorized { .. })
    }

    /// Worth trying again unchanged: no answer, throttling, or a server-side outage.
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiError::Network { .. } | ApiError::Timeout { .. } => true,
            ApiError::Http { status, code, .. } => {
                matches!(status, 429 | 500 | 502 | 503 | 504) || code.as_deref() == Some("IMG.0060")
            }
            _ => false,
        }
    }

    /// One sentence (or two) for a person: what happened and, where known, what to do.
    pub fn user_message(&self) -> String {
        let mut text = match self {
            ApiError::Network { detail } => format!(
                "The server could not be reached ({detail}). Check the connection and try again."
            ),
            ApiError::Unauthorized { message, .. } => {
                format!("Your session has ended: sign in again. ({message})")
            }
            ApiError::Timeout {
                service,
                seconds,
                write: false,
            } => format!("No answer from {service} in {seconds} s."),
            ApiError::Timeout {
                service,
                seconds,
                write: true,
            } => {
                format!("No answer from {service} in {seconds} s. It may still have been carried out: check before sending it again.")
            }
            e @ ApiError::Http {
                status,
                code,
                message,
                ..
            } if e.is_throttled() => {
                let wait = e
                    .retry_after_s()
                    .map(|s| format!(" It asked to wait {s} s."))
                    .unwrap_or_default();
                let code_part = code
                    .as_deref()
                    .map(|c| format!(" [{c}]"))
                    .unwrap_or_default();
                format!("The service asked the console to slow down.{wait} Server said: {message}{code_part} (HTTP {status})")
            }
            ApiError::Http {
                status,
                code,
                message,
                ..
            } => {
                let plain = code
                    .as_deref()
                    .and_then(describe_code)
                    .map(str::to_string)
                    .or_else(|| status_advice(*status).map(str::to_string));
                let code_part = code
                    .as_deref()
                    .map(|c| format!(" [{c}]"))
                    .unwrap_or_default();
                match plain {
                    Some(p) if !same_text(&p, message) => {
                        format!("{p} Server said: {message}{code_part} (HTTP {status})")
                    }
                    _ => format!("{message}{code_part} (HTTP {status})"),
                }
            }
            ApiError::Decode { detail, status, .. } => {
                format!("The server answered HTTP {status} but {detail}.")
            }
            ApiError::Invalid { message } => message.clone(),
            ApiError::Cancelled { write: false } => {
                "Cancelled: nothing more was sent. Retry when the service answers again.".into()
            }
            ApiError::Cancelled { write: true } => {
                "Cancelled. The change may still be carried out: check before sending it again."
                    .into()
            }
        };
        if let Some(id) = self.request_id() {
            text.push_str(&format!(" Request ID: {id}"));
        }
        text
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.user_message())
    }
}

/// `Retry-After` in seconds; an HTTP date is read as "a little while" (the console has no
/// reliable clock offset to the server), capped at ten minutes.
pub fn parse_retry_after(value: &str) -> Option<u32> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<u64>() {
        Ok(n) => Some(n.min(600) as u32),
        Err(_) if v.contains("GMT") => Some(5),
        Err(_) => None,
    }
}

fn same_text(a: &str, b: &str) -> bool {
    a.trim_end_matches('.')
        .eq_ignore_ascii_case(b.trim_end_matches('.'))
}

/// Reads `(code, message)` out of any of the error shapes the services send.
pub fn parse_error_body(body: &str) -> (Option<String>, Option<String>) {
    let trimmed = body.trim();
    if trimmed.is_empty() {
        return (None, None);
    }
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(trimmed) {
        let as_text = |v: Option<&serde_json::Value>| -> Option<String> {
            match v? {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            }
        };
        // {"error":{"code","message","title"}} (IMS, Keystone) or {"error":"text"}
        let (code, msg) = match v.get("error") {
            Some(e @ serde_json::Value::Object(_)) => (
                as_text(e.get("code")),
                as_text(e.get("message")).or_else(|| as_text(e.get("title"))),
            ),
            Some(serde_json::Value::String(s)) => (as_text(v.get("error_code")), Some(s.clone())),
            _ => (
                as_text(v.get("error_code")).or_else(|| as_text(v.get("code"))),
                as_text(v.get("error_msg"))
                    .or_else(|| as_text(v.get("message")))
                    .or_else(|| as_text(v.get("title"))),
            ),
        };
        // Keystone and Glance put the HTTP status into "code" ("403 Forbidden", 401): not an error code.
        let code = code.filter(|c| !c.chars().next().is_some_and(|ch| ch.is_ascii_digit()));
        return (code, msg.map(|m| strip_html(&m)).filter(|m| !m.is_empty()));
    }
    let text = strip_html(trimmed);
    let text = if text.chars().count() > 300 {
        format!("{}…", text.chars().take(300).collect::<String>())
    } else {
        text
    };
    (None, Some(text).filter(|t| !t.is_empty()))
}

/// Tags dropped, entities decoded, white space folded, a leading title repeated by the body
/// (as in Glance's `<title>403 Forbidden</title>…<h1>403 Forbidden</h1>`) said once.
pub fn strip_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    let lower = s.to_ascii_lowercase();
    let mut skip_until: Option<&str> = None;
    let mut i = 0;
    let bytes = s.as_bytes();
    while i < bytes.len() {
        if let Some(end) = skip_until {
            if lower[i..].starts_with(end) {
                i += end.len();
                skip_until = None;
            } else {
                i += 1;
            }
            continue;
        }
        let c = bytes[i];
        if c == b'<' {
            for (open, close) in [
                ("<title", "</title>"),
                ("<style", "</style>"),
                ("<script", "</script>"),
            ] {
                if lower[i..].starts_with(open) {
                    skip_until = Some(close);
                }
            }
            if skip_until.is_some() {
                continue;
            }
            in_tag = true;
            out.push(' ');
        } else if c == b'>' && in_tag {
            in_tag = false;
        } else if !in_tag {
            let ch = s[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
            continue;
        }
        i += 1;
    }
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn status_words(status: u16) -> &'static str {
    match status {
        400 => "Bad request",
        401 => "Authentication failed",
        403 => "Forbidden",
        404 => "Not found",
        409 => "Conflict",
        413 => "Too many members",
        429 => "Too many requests",
        500 => "Internal server error",
        502 => "Bad gateway",
        503 => "Service unavailable",
        504 => "Gateway timeout",
        _ => "Request failed",
    }
}

fn status_advice(status: u16) -> Option<&'static str> {
    Some(match status {
        403 => "You do not have permission for this action in the signed-in project.",
        404 => "The image or member was not found: it may have been deleted, or it belongs to another project.",
        409 => "This project is already a member of the image.",
        413 => "The image has reached its member limit.",
        429 => "The service is throttling requests: wait a moment and retry.",
        500 | 502 | 504 => "The service had an internal problem: retry, and report the request ID if it persists.",
        503 => "The service is unavailable right now: retry in a moment.",
        _ => return None,
    })
}

/// The IMS error codes worth plain words (from the IMS error-code reference).
pub fn describe_code(code: &str) -> Option<&'static str> {
    Some(match code {
        "IMG.0026" => "You do not have permission for this operation.",
        "IMG.0027" => "The image was not found.",
        "IMG.0030" => "The token or project in the request is not valid.",
        "IMG.0046" => "The image is not available (it may still be creating or have failed).",
        "IMG.0047" => "Only the image's owner can share it or stop sharing it.",
        "IMG.0060" => "The service is throttling requests: wait a moment and retry.",
        "IMG.0066" => "An image ID is not valid.",
        "IMG.0067" => "A project ID is not valid.",
        "IMG.0076" => "An image cannot be shared with its own project.",
        "IMG.0087" => "The token is not valid: sign in again.",
        "IMG.0088" => "The sharing quota is reached: remove members or ask for a higher quota.",
        "IMG.0089" => "Public images cannot be shared.",
        "IMG.0098" => "This encrypted image cannot be shared (images encrypted with a default key never can).",
        "IMG.0099" => "The recipient has no permission on the image's encryption key: grant the KMS key first.",
        "IMG.0108" => "The project is not in this region: sharing works only within one region.",
        "IMG.0112" => "Adding the member failed.",
        "IMG.0113" => "Removing the member failed.",
        "IMG.0135" => "This full-ECS image cannot be shared.",
        "IMG.0182" => "A CBR vault ID is required to accept a full-ECS image.",
        c if c.starts_with("IMG.018") || c.starts_with("IMG.019") => "The CBR vault could not be used for this full-ECS image: check the vault ID, its type and its free space.",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> ApiResponse {
        ApiResponse::new(status, vec![("X-Request-Id".into(), "req-9".into())], body)
    }

    #[test]
    fn ims_nested_code_gets_plain_words_code_and_request_id() {
        let e = ApiError::from_response(&resp(
            400,
            r#"{"error":{"code":"IMG.0076","message":"Can not share image to yourself."}}"#,
        ));
        assert_eq!(e.code(), Some("IMG.0076"));
        let m = e.user_message();
        assert!(
            m.starts_with("An image cannot be shared with its own project."),
            "{m}"
        );
        assert!(
            m.contains("[IMG.0076]") && m.contains("Request ID: req-9"),
            "{m}"
        );
    }

    #[test]
    fn flattened_shapes_are_read() {
        assert_eq!(
            parse_error_body(r#"{"error_code":"IMG.0089","error_msg":"public"}"#),
            (Some("IMG.0089".into()), Some("public".into()))
        );
        assert_eq!(
            parse_error_body(r#"{"code":"IMG.0027","message":"nope"}"#),
            (Some("IMG.0027".into()), Some("nope".into()))
        );
    }

    #[test]
    fn glance_json_loses_its_html_and_status_code() {
        let (code, msg) = parse_error_body("{\"message\": \"Not allowed to add members.<br /><br />\\n\", \"code\": \"403 Forbidden\", \"title\": \"Forbidden\"}");
        assert_eq!(code, None);
        assert_eq!(msg.as_deref(), Some("Not allowed to add members."));
    }

    #[test]
    fn glance_html_page_becomes_one_line() {
        let page = "<html>\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n  <h1>404 Not Found</h1>\n  No image found with ID abc<br /><br />\n\n\n </body>\n</html>";
        assert_eq!(
            parse_error_body(page).1.as_deref(),
            Some("404 Not Found No image found with ID abc")
        );
    }

    #[test]
    fn keystone_401_is_unauthorized_and_not_retryable() {
        let e = ApiError::from_response(&resp(
            401,
            r#"{"error":{"code":401,"message":"The request you have made requires authentication.","title":"Unauthorized"}}"#,
        ));
        assert!(e.is_unauthorized());
        assert!(!e.is_retryable());
        assert!(e.user_message().contains("requires authentication"));
    }

    #[test]
    fn outages_and_throttling_are_retryable() {
        assert!(ApiError::from_response(&resp(503, "Service Unavailable")).is_retryable());
        assert!(ApiError::from_response(&resp(429, "")).is_retryable());
        assert!(ApiError::from_response(&resp(
            400,
            r#"{"error":{"code":"IMG.0060","message":"flow control"}}"#
        ))
        .is_retryable());
        assert!(ApiError::Network {
            detail: "reset".into()
        }
        .is_retryable());
        assert!(!ApiError::from_response(&resp(403, "{}")).is_retryable());
    }

    #[test]
    fn throttling_says_slow_down_and_carries_retry_after() {
        let r = ApiResponse::new(
            429,
            vec![("Retry-After".into(), "7".into())],
            r#"{"error":{"code":"APIGW.0308","message":"Too many"}}"#,
        );
        let e = ApiError::from_response(&r);
        assert!(e.is_throttled() && e.is_retryable());
        assert_eq!(e.retry_after_s(), Some(7));
        assert!(
            e.user_message()
                .starts_with("The service asked the console to slow down. It asked to wait 7 s."),
            "{}",
            e.user_message()
        );
        let flow = ApiError::from_response(&ApiResponse::new(
            400,
            vec![],
            r#"{"error":{"code":"IMG.0060","message":"flow control"}}"#,
        ));
        assert!(flow.is_throttled() && flow.retry_after_s().is_none());
        assert_eq!(parse_retry_after("100000"), Some(600));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT"), Some(5));
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn a_timeout_names_the_service_and_the_deadline() {
        let e = ApiError::Timeout {
            service: "IMS".into(),
            seconds: 30,
            write: false,
        };
        assert_eq!(e.user_message(), "No answer from IMS in 30 s.");
        assert!(e.is_retryable() && e.is_timeout());
        let w = ApiError::Timeout {
            service: "IMS".into(),
            seconds: 30,
            write: true,
        };
        assert!(w.user_message().contains("may still have been carried out"));
    }

    #[test]
    fn empty_or_malformed_bodies_still_say_something() {
        let e = ApiError::from_response(&ApiResponse::new(500, vec![], "{\"error\": "));
        assert!(e.user_message().contains("HTTP 500"));
        let e = ApiError::from_response(&ApiResponse::new(502, vec![], ""));
        assert!(e.user_message().contains("Bad gateway"));
    }

    #[test]
    fn the_own_project_message_has_one_wording() {
        assert_eq!(
            own_project_sentence(),
            "This is your own project: an image cannot be shared with its owner."
        );
        assert_eq!(
            crate::ids::IdProblem::OwnProject.message(),
            OWN_PROJECT,
            "the ID box says the same"
        );
    }
}
