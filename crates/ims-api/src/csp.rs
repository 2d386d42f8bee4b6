//! The Content-Security-Policy the console runs under, derived from its `config.json`.
//!
//! One function serves the release build (which writes the policy for the config it ships),
//! the sandbox's static serving and the rendered nginx config, so all three send the same
//! header for the same deployment.

use crate::config::Config;

/// The scheme, host and port of an absolute `http(s)` URL; `None` for anything else
/// (an empty URL means "this site", already covered by `'self'`).
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    // A `{region}` placeholder may stand in the host. CSP allows a wildcard only as the
    // leftmost label (matching any depth), so everything up to the region becomes `*`.
    let authority = match authority.split_once("{region}") {
        Some((_, after)) if after.starts_with('.') => format!("*{after}"),
        Some(_) => return None,
        None => authority.to_string(),
    };
    let valid = !authority.is_empty()
        && !authority.contains('@')
        && authority
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']' | '*'))
        && (!authority.contains('*')
            || authority.starts_with("*.") && !authority[1..].contains('*'));
    valid.then(|| format!("{scheme}://{}", authority.to_ascii_lowercase()))
}

/// The API origins the browser calls directly: those of `iam_url` and `ims_url` when they
/// are set (not proxied through the console's own origin).
pub fn connect_origins(config: &Config) -> Vec<String> {
    let mut out: Vec<String> = [&config.iam_url, &config.ims_url]
        .into_iter()
        .filter_map(|u| origin_of(u))
        .collect();
    out.dedup();
    out
}

/// The origins that may frame the console: the embedding portals, or none.
pub fn frame_ancestors(config: &Config) -> Vec<String> {
    let mut out: Vec<String> = config
        .embed
        .allowed_origins
        .iter()
        .filter_map(|u| origin_of(u))
        .collect();
    out.dedup();
    out
}

/// The header value. `script_hashes` are `sha256-…` sources for inline scripts the page
/// cannot avoid (the release build has none; the slot keeps the rule honest if one returns).
pub fn policy(config: &Config, script_hashes: &[String]) -> String {
    let mut script = vec!["'self'".to_string(), "'wasm-unsafe-eval'".to_string()];
    script.extend(script_hashes.iter().map(|h| format!("'{h}'")));
    let mut connect = vec!["'self'".to_string()];
    connect.extend(connect_origins(config));
    let frames = frame_ancestors(config);
    let frames = if frames.is_empty() {
        "'none'".to_string()
    } else {
        frames.join(" ")
    };
    [
        "default-src 'self'".to_string(),
        format!("script-src {}", script.join(" ")),
        "style-src 'self'".to_string(),
        "img-src 'self' data:".to_string(),
        "font-src 'self'".to_string(),
        format!("connect-src {}", connect.join(" ")),
        format!("frame-ancestors {frames}"),
        "base-uri 'self'".to_string(),
        "form-action 'self'".to_string(),
        "object-src 'none'".to_string(),
    ]
    .join("; ")
}

/// `X-Frame-Options` beside the policy: `DENY` when no portal may frame the console, for
/// browsers and proxies that act on the older header only; none when portals may (the header
/// cannot name several origins, and `frame-ancestors` does).
pub fn frame_options(config: &Config) -> Option<&'static str> {
    frame_ancestors(config).is_empty().then_some("DENY")
}

/// [`frame_options`] for `config.json` text, read as [`policy_for_config_json`] reads it.
pub fn frame_options_for_config_json(text: Option<&str>) -> Option<&'static str> {
    let config = text
        .and_then(|t| Config::from_json(t).ok())
        .unwrap_or_default();
    frame_options(&config)
}

/// Reads `config.json` text as the policy needs it; a text that does not parse yields the
/// policy of the defaults (same origin only, framed by nobody), the strictest there is.
pub fn policy_for_config_json(text: Option<&str>) -> String {
    let config = text
        .and_then(|t| Config::from_json(t).ok())
        .unwrap_or_default();
    policy(&config, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn directive<'a>(policy: &'a str, name: &str) -> &'a str {
        policy
            .split("; ")
            .find(|d| d.starts_with(name))
            .unwrap_or_else(|| panic!("{name} missing from {policy}"))
    }

    #[test]
    fn the_default_policy_is_strict() {
        let p = policy(&Config::default(), &[]);
        assert_eq!(
            directive(&p, "script-src"),
            "script-src 'self' 'wasm-unsafe-eval'"
        );
        assert_eq!(directive(&p, "style-src"), "style-src 'self'");
        assert_eq!(directive(&p, "connect-src"), "connect-src 'self'");
        assert_eq!(directive(&p, "frame-ancestors"), "frame-ancestors 'none'");
        assert_eq!(directive(&p, "base-uri"), "base-uri 'self'");
        assert_eq!(directive(&p, "object-src"), "object-src 'none'");
        assert!(!p.contains("unsafe-inline") && !p.contains("'unsafe-eval'"));
    }

    #[test]
    fn api_origins_that_are_not_proxied_are_allowed_to_connect() {
        let c = Config::from_json(r#"{"iam_url":"https://IAM.eu-de.example.com/","ims_url":"http://127.0.0.1:9292/image"}"#).unwrap();
        assert_eq!(
            directive(&policy(&c, &[]), "connect-src"),
            "connect-src 'self' https://iam.eu-de.example.com http://127.0.0.1:9292"
        );
    }

    #[test]
    fn a_region_placeholder_becomes_one_wildcard_label() {
        assert_eq!(
            origin_of("https://ims.{region}.example.com").as_deref(),
            Some("https://*.example.com")
        );
        assert_eq!(
            origin_of("https://{region}.ims.example.com/x").as_deref(),
            Some("https://*.ims.example.com")
        );
        assert_eq!(
            origin_of("https://ims-{region}.example.com").as_deref(),
            Some("https://*.example.com")
        );
        assert_eq!(origin_of("https://ims.{region}x.example.com"), None);
    }

    #[test]
    fn portals_widen_frame_ancestors_and_junk_is_dropped() {
        let c = Config::from_json(r#"{"embed":{"allowed_origins":["https://portal.example","javascript:alert(1)","https://a b"]}}"#).unwrap();
        assert_eq!(
            directive(&policy(&c, &[]), "frame-ancestors"),
            "frame-ancestors https://portal.example"
        );
    }

    #[test]
    fn frames_are_denied_by_both_headers_without_a_portal() {
        assert_eq!(frame_options(&Config::default()), Some("DENY"));
        assert_eq!(
            frame_options_for_config_json(Some("{not json")),
            Some("DENY")
        );
        let c = Config::from_json(r#"{"embed":{"allowed_origins":["https://portal.example"]}}"#)
            .unwrap();
        assert_eq!(frame_options(&c), None);
    }

    #[test]
    fn inline_script_hashes_are_quoted_sources() {
        let p = policy(&Config::default(), &["sha256-abc=".to_string()]);
        assert_eq!(
            directive(&p, "script-src"),
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-abc='"
        );
    }

    #[test]
    fn an_unreadable_config_gives_the_strictest_policy() {
        assert_eq!(
            policy_for_config_json(Some("{not json")),
            policy(&Config::default(), &[])
        );
    }
}
