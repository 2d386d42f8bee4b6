//! Serving the console's release build the way the shipped nginx config does: precompressed
//! `.br` / `.gz` siblings, a year of caching for hashed assets and none for the rest, and on
//! documents the same Content-Security-Policy (derived from the served `config.json` by
//! `ims_api::csp`), plus `nosniff` and `no-referrer`.

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tower_http::services::{ServeDir, ServeFile};

use crate::AppState;

pub fn service(dist: &std::path::Path) -> ServeDir<ServeFile> {
    ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(
            ServeFile::new(dist.join("index.html"))
                .precompressed_br()
                .precompressed_gzip(),
        )
}

/// The text of the `config.json` the console gets: `--config`, else the one in `--dist`.
pub fn config_text(state: &AppState) -> Option<String> {
    let path = state
        .options
        .config
        .clone()
        .or_else(|| state.options.dist.as_ref().map(|d| d.join("config.json")))?;
    std::fs::read_to_string(path).ok()
}

/// Trunk names hashed assets `<name>-<hash>[_bg].<ext>`, the hash being a u64 in hex (up to
/// 16 digits: leading zeros are dropped); the boot script follows suit.
fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    let Some((stem, ext)) = file.rsplit_once('.') else {
        return false;
    };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let hash = stem.rsplit_once('-').map(|(_, h)| h).unwrap_or_default();
    matches!(ext, "js" | "css" | "wasm")
        && (8..=16).contains(&hash.len())
        && hash.bytes().all(|b| b.is_ascii_hexdigit())
}

fn is_api(path: &str) -> bool {
    ["/v1/", "/v2/", "/v3/", "/v3", "/__admin/"]
        .iter()
        .any(|p| path.starts_with(p))
}

pub async fn headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let mut resp = next.run(req).await;
    if is_api(&path) {
        return resp;
    }
    let html = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let h = resp.headers_mut();
    if html {
        let config = config_text(&state);
        let policy = ims_api::csp::policy_for_config_json(config.as_deref());
        if let Ok(v) = HeaderValue::from_str(&policy) {
            h.insert("content-security-policy", v);
        }
        if let Some(v) = ims_api::csp::frame_options_for_config_json(config.as_deref()) {
            h.insert("x-frame-options", HeaderValue::from_static(v));
        }
    }
    let cache = if is_hashed_asset(&path) {
        "public, max-age=31536000, immutable"
    } else {
        "no-store"
    };
    h.insert("cache-control", HeaderValue::from_static(cache));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    resp
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn hashed_assets_are_told_from_the_rest() {
        assert!(is_hashed_asset(
            "/ims-share-console-0123456789abcdef_bg.wasm"
        ));
        assert!(is_hashed_asset("/console/style-0123456789abcdef.css"));
        assert!(is_hashed_asset("/boot-0123456789abcdef.js"));
        assert!(
            is_hashed_asset("/ims-share-console-f9b443d8f3ddb16_bg.wasm"),
            "15 digits: a leading zero dropped"
        );
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/config.json"));
        assert!(!is_hashed_asset("/images"));
    }
}
