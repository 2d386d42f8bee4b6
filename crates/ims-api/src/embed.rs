//! The portal protocol: the messages a portal that frames the console and the console
//! exchange with `postMessage`, read and written as plain JSON. The names are a contract
//! portal developers code against (docs/embedding.md).
//!
//! Rules kept here: a message counts only from an allowed origin; an outbound message never
//! carries a token (none of the builders takes one); a theme sets only `--ims-…` properties;
//! a navigation goes only to a path of this app.

use serde_json::{json, Value};

use crate::csp::origin_of;

/// What a portal may ask of the console.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inbound {
    /// A project-scoped IAM token, to be checked before use.
    Session { token: String },
    /// Go to a route of the console.
    Navigate { path: String },
    /// CSS custom properties to apply.
    Theme { vars: Vec<(String, String)> },
    /// The portal's user signed out: revoke the token, forget the session and its jobs.
    SignOut,
}

/// Whether `origin` (as the browser reports it for a message) is one of `allowed`.
pub fn origin_allowed(origin: &str, allowed: &[String]) -> bool {
    let Some(origin) = origin_of(origin) else {
        return false;
    };
    allowed
        .iter()
        .filter_map(|a| origin_of(a))
        .any(|a| a == origin)
}

/// Reads a message's data; anything not of the protocol is `None` and ignored.
pub fn parse_inbound(data: &Value) -> Option<Inbound> {
    match data.get("type")?.as_str()? {
        "ims-console:session" => {
            let token = data.get("token")?.as_str()?.trim();
            (!token.is_empty() && token.len() < 16_384).then(|| Inbound::Session {
                token: token.to_string(),
            })
        }
        "ims-console:sign-out" => Some(Inbound::SignOut),
        "ims-console:navigate" => {
            safe_path(data.get("path")?.as_str()?).map(|path| Inbound::Navigate { path })
        }
        "ims-console:theme" => {
            let vars = data.get("vars")?.as_object()?;
            let vars: Vec<(String, String)> = vars
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .filter(|(k, v)| is_theme_property(k) && is_safe_css_value(v))
                .collect();
            Some(Inbound::Theme { vars })
        }
        _ => None,
    }
}

/// A route inside the app: absolute, no scheme, no host, nothing that leaves the app. Checked
/// as written and again after percent-decoding (the router decodes `%2F` and `%2e` before a
/// page sees its parameters), so `/images/..%2F..%2Fv3` is refused like `/images/../../v3`.
pub fn safe_path(path: &str) -> Option<String> {
    let plain = |p: &str| {
        p.starts_with('/')
            && !p.starts_with("//")
            && p.len() <= 512
            && !p.contains(['\\', ':', '<', '>', '"', '\'', '\0', '?', '#'])
            && !p.split('/').any(|seg| seg == ".." || seg == ".")
    };
    let decoded = percent_decode(path)?;
    (plain(path) && plain(&decoded)).then(|| path.to_string())
}

/// `%XX` decoded; `None` when the result is not UTF-8 or a `%` is not followed by two hex
/// digits (nothing a route of this app contains).
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Only the console's own documented properties.
pub fn is_theme_property(name: &str) -> bool {
    name.strip_prefix("--ims-").is_some_and(|rest| {
        !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    })
}

/// A value that cannot close the declaration or load anything.
pub fn is_safe_css_value(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    v.len() <= 200
        && !v.contains([';', '{', '}', '<', '>', '\\'])
        && !lower.contains("url(")
        && !lower.contains("expression(")
        && !lower.contains("@import")
}

pub fn ready() -> Value {
    json!({"type": "ims-console:ready"})
}

pub fn signed_in(user: &str, project: &str) -> Value {
    json!({"type": "ims-console:signed-in", "user": user, "project": project})
}

pub fn session_rejected(reason: &str) -> Value {
    json!({"type": "ims-console:session-rejected", "reason": reason})
}

pub fn session_expired() -> Value {
    json!({"type": "ims-console:session-expired"})
}

/// `kind`: share, accept, reject or stop; `status`: SUCCESS or FAIL.
pub fn job_finished(
    kind: &str,
    status: &str,
    images: usize,
    projects: usize,
    failed: usize,
) -> Value {
    json!({"type": "ims-console:job-finished", "kind": kind, "status": status, "images": images, "projects": projects, "failed": failed})
}

pub fn navigated(path: &str) -> Value {
    json!({"type": "ims-console:navigated", "path": path})
}

pub fn resize(height: u32) -> Value {
    json!({"type": "ims-console:resize", "height": height})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_allowed_origins_count_exactly() {
        let allowed = vec![
            "https://portal.example".to_string(),
            "http://127.0.0.1:8081".to_string(),
        ];
        assert!(origin_allowed("https://portal.example", &allowed));
        assert!(origin_allowed("http://127.0.0.1:8081", &allowed));
        assert!(!origin_allowed("https://portal.example.evil", &allowed));
        assert!(!origin_allowed("http://127.0.0.1:8082", &allowed));
        assert!(!origin_allowed("null", &allowed));
        assert!(!origin_allowed("https://portal.example", &[]));
    }

    #[test]
    fn the_three_inbound_messages_are_read_and_junk_is_ignored() {
        assert_eq!(
            parse_inbound(&json!({"type": "ims-console:session", "token": " abc "})),
            Some(Inbound::Session {
                token: "abc".into()
            })
        );
        assert_eq!(
            parse_inbound(&json!({"type": "ims-console:session", "token": ""})),
            None
        );
        assert_eq!(
            parse_inbound(&json!({"type": "ims-console:navigate", "path": "/jobs"})),
            Some(Inbound::Navigate {
                path: "/jobs".into()
            })
        );
        assert_eq!(
            parse_inbound(&json!({"type": "ims-console:navigate", "path": "//evil.example/x"})),
            None
        );
        assert_eq!(
            parse_inbound(&json!({"type": "ims-console:navigate", "path": "javascript:alert(1)"})),
            None
        );
        for crafted in [
            "/images/..%2F..%2Fv3%2Fdomains%3F",
            "/images/%2e%2e/x",
            "/images/x%3Fy",
            "/%2F%2Fevil.example",
            "/images/%ZZ",
        ] {
            assert_eq!(
                parse_inbound(&json!({"type": "ims-console:navigate", "path": crafted})),
                None,
                "{crafted}"
            );
        }
        assert_eq!(
            parse_inbound(&json!({"type": "ims-console:sign-out"})),
            Some(Inbound::SignOut)
        );
        assert_eq!(parse_inbound(&json!({"type": "other"})), None);
        assert_eq!(parse_inbound(&json!("ims-console:session")), None);
    }

    #[test]
    fn a_theme_sets_only_ims_properties_with_harmless_values() {
        let t = parse_inbound(&json!({"type": "ims-console:theme", "vars": {
            "--ims-accent": "#7a1fa2", "--ims-font": "Georgia, serif", "color": "red",
            "--ims-bg": "url(https://x/y.png)", "--ims-fg": "red; background: blue", "--other": "1px"
        }}));
        assert_eq!(
            t,
            Some(Inbound::Theme {
                vars: vec![
                    ("--ims-accent".into(), "#7a1fa2".into()),
                    ("--ims-font".into(), "Georgia, serif".into())
                ]
            })
        );
    }

    #[test]
    fn no_outbound_message_has_a_token_field() {
        for m in [
            ready(),
            signed_in("u", "p"),
            session_rejected("r"),
            session_expired(),
            job_finished("share", "SUCCESS", 1, 2, 0),
            navigated("/x"),
            resize(10),
        ] {
            assert!(m.get("token").is_none());
            assert!(m["type"].as_str().unwrap().starts_with("ims-console:"));
        }
    }
}
