//! Trunk's post-build hook (`Trunk.toml`): makes the staged build run under the strict CSP
//! and ready for a static server.
//!
//! - Trunk writes its module loader as an inline `<script type="module">`. It moves into a
//!   content-hashed `boot-<hash>.js` beside the other assets, so `script-src 'self'` suffices.
//! - The page is checked for anything else a strict policy blocks (inline scripts, `style`
//!   attributes, `<style>`, `on…=` handlers); the build fails if one is left.
//! - `csp.txt` records the policy for the `config.json` the build ships.
//! - In release builds the scripts (the wasm-bindgen glue, shell.js, the loader) are minified
//!   with esbuild and their `integrity` attributes follow; the page's comments go. Trunk
//!   minifies none of them.
//! - In release builds every html, js, css and wasm file gets `.br` and `.gz` siblings for
//!   nginx's `brotli_static` and `gzip_static`. `config.json` does not: it is edited per
//!   deployment, and a stale precompressed copy would win over the edit.

use anyhow::Context;
use std::path::Path;

use base64::Engine as _;
use sha2::{Digest, Sha256, Sha384};

use crate::proc::{cmd, esbuild_bin, run};

pub fn finish_from_trunk_env() -> anyhow::Result<()> {
    let staging = std::env::var("TRUNK_STAGING_DIR").map_err(|_| {
        anyhow::anyhow!(
            "finish-dist runs as Trunk's post_build hook (TRUNK_STAGING_DIR is not set)"
        )
    })?;
    let public_url = std::env::var("TRUNK_PUBLIC_URL").unwrap_or_else(|_| "/".into());
    let release = std::env::var("TRUNK_PROFILE").is_ok_and(|p| p == "release");
    finish(Path::new(&staging), &public_url, release)
}

pub fn finish(dir: &Path, public_url: &str, release: bool) -> anyhow::Result<()> {
    let index = dir.join("index.html");
    let html = std::fs::read_to_string(&index).with_context(|| format!("{}", index.display()))?;
    let (html, boot) = externalize_inline_module(&html, public_url)?;
    if let Some((name, body)) = boot {
        std::fs::write(dir.join(&name), body).with_context(|| name.clone())?;
    }
    let html = preloads_after_the_form(&html);
    let blocked = csp_blockers(&html);
    if !blocked.is_empty() {
        return Err(anyhow::anyhow!(
            "index.html would not run under the strict CSP: {}",
            blocked.join("; ")
        ));
    }
    let html = if release {
        without_comments(&minify_scripts(dir, &html)?)
    } else {
        html
    };
    std::fs::write(&index, &html).with_context(|| format!("{}", index.display()))?;
    let config = std::fs::read_to_string(dir.join("config.json")).ok();
    let policy = ims_api::csp::policy_for_config_json(config.as_deref());
    std::fs::write(dir.join("csp.txt"), format!("{policy}\n")).context("csp.txt")?;
    if release {
        precompress(dir)?;
    }
    Ok(())
}

/// Minifies every script of the build in place (names and hashes stay Trunk's) and sets the
/// page's `integrity` attribute of each to its new digest.
fn minify_scripts(dir: &Path, html: &str) -> anyhow::Result<String> {
    let esbuild = esbuild_bin();
    if !esbuild.exists() {
        return Err(anyhow::anyhow!(
            "{} is missing: run `cargo xtask setup` first",
            esbuild.display()
        ));
    }
    let mut html = html.to_string();
    for entry in std::fs::read_dir(dir).with_context(|| format!("{}", dir.display()))? {
        let path = entry
            .with_context(|| format!("cannot list {}", dir.display()))?
            .path();
        if path.extension().and_then(|e| e.to_str()) != Some("js") {
            continue;
        }
        run(cmd(esbuild.to_str().unwrap_or("esbuild"))
            .arg(&path)
            .args(["--minify", "--log-level=warning", "--allow-overwrite"])
            .arg(format!("--outfile={}", path.display())))?;
        let body = std::fs::read(&path).with_context(|| format!("{}", path.display()))?;
        let digest = base64::engine::general_purpose::STANDARD.encode(Sha384::digest(&body));
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        html = with_integrity(&html, name, &format!("sha384-{digest}"));
    }
    Ok(html)
}

/// `html` with the `integrity` of the tag that references `file` set to `value`.
fn with_integrity(html: &str, file: &str, value: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        let end = rest[i..].find('>').map_or(rest.len(), |e| i + e + 1);
        let tag = &rest[i..end];
        out.push_str(&rest[..i]);
        let names_file =
            tag.contains(&format!("/{file}\"")) || tag.contains(&format!("\"{file}\""));
        match tag.find("integrity=\"") {
            Some(at) if names_file => {
                let start = at + "integrity=\"".len();
                let close = tag[start..].find('"').map_or(tag.len(), |c| start + c);
                out.push_str(&tag[..start]);
                out.push_str(value);
                out.push_str(&tag[close..]);
            }
            _ => out.push_str(tag),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// `html` without its `<!-- … -->` comments: notes for whoever edits index.html, not bytes
/// for every visitor.
fn without_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<!--") {
        out.push_str(rest[..i].trim_end_matches([' ', '\t']));
        rest = match rest[i..].find("-->") {
            Some(e) => rest[i + e + 3..].trim_start_matches(['\n']),
            None => "",
        };
    }
    out.push_str(rest);
    out
}

const PREFETCH_CONFIG: &str = "window.imsConfigText = fetch('config.json', { cache: 'no-store', headers: { Accept: 'application/json' } })\n  .then((r) => (r.ok ? r.text() : Promise.reject(new Error(`config.json answered HTTP ${r.status}`))));";

/// Moves the first inline `<script type="module">` into a file named after its content.
fn externalize_inline_module(
    html: &str,
    public_url: &str,
) -> anyhow::Result<(String, Option<(String, String)>)> {
    // `<script type="module">`, or `<script type=module>` should Trunk minify the page.
    let Some((start, open_len)) = ["<script type=\"module\">", "<script type=module>"]
        .iter()
        .find_map(|open| html.find(open).map(|i| (i, open.len())))
    else {
        return Ok((html.to_string(), None));
    };
    let body_start = start + open_len;
    let end = html[body_start..]
        .find("</script>")
        .ok_or_else(|| anyhow::anyhow!("an inline module script is not closed"))?
        + body_start;
    // config.json is fetched beside the wasm, not after it has started: the app takes this
    // promise (runtime_config.rs), so nothing waits on the two one after the other. It goes
    // first: Trunk's loader awaits the wasm's start, and the app looks for the promise then.
    let body = format!("{PREFETCH_CONFIG}\n{}", html[body_start..end].trim());
    let hash: String = Sha256::digest(body.as_bytes())
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    let name = format!("boot-{hash}.js");
    let base = if public_url.ends_with('/') {
        public_url.to_string()
    } else {
        format!("{public_url}/")
    };
    let tag = format!("<script type=\"module\" src=\"{base}{name}\"></script>");
    let out = format!(
        "{}{tag}{}",
        &html[..start],
        &html[end + "</script>".len()..]
    );
    Ok((out, Some((name, format!("{body}\n")))))
}

/// Trunk's preloads of the JS glue and the wasm, marked `fetchpriority="low"`: they still
/// start with the page, but the stylesheet and the shell script that the sign-in form waits
/// for (a few KB) go ahead of 300 KB of wasm on the connection.
fn preloads_after_the_form(html: &str) -> String {
    map_link_tags(html, |tag| {
        if is_preload(tag) && !tag.contains("fetchpriority") {
            format!("<link fetchpriority=\"low\"{}", &tag["<link".len()..])
        } else {
            tag.to_string()
        }
    })
}

/// Whether a `<link …>` tag preloads (the wasm, or the JS glue as a module), quoted or not.
pub fn is_preload(tag: &str) -> bool {
    [
        "rel=\"modulepreload\"",
        "rel=modulepreload",
        "rel=\"preload\"",
        "rel=preload",
    ]
    .iter()
    .any(|r| tag.contains(r))
}

/// `html` with each `<link …>` tag, from `<link` to its `>`, replaced by what `f` makes of it.
pub fn map_link_tags(html: &str, f: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(i) = rest.find("<link") {
        let end = rest[i..].find('>').map_or(rest.len(), |e| i + e + 1);
        out.push_str(&rest[..i]);
        out.push_str(&f(&rest[i..end]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// What a strict policy (no `'unsafe-inline'`) would block in this page.
pub fn csp_blockers(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut rest = lower.as_str();
    while let Some(i) = rest.find("<script") {
        let tag_end = rest[i..].find('>').map_or(rest.len(), |e| i + e);
        if !rest[i..tag_end].contains(" src=") {
            found.push("an inline <script>".to_string());
        }
        rest = &rest[tag_end..];
    }
    if lower.contains("<style") {
        found.push("a <style> element".into());
    }
    for attr in [
        " style=",
        " onclick=",
        " onload=",
        " onerror=",
        " onsubmit=",
        " oninput=",
        " onchange=",
    ] {
        if lower.contains(attr) {
            found.push(format!(
                "an inline{}\"…\" attribute",
                attr.trim_end_matches('=')
            ));
        }
    }
    found
}

fn precompress(dir: &Path) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("{}", dir.display()))? {
        let path = entry
            .with_context(|| format!("cannot list {}", dir.display()))?
            .path();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if path.is_file() && matches!(ext, "html" | "js" | "css" | "wasm") {
            run(cmd("brotli").args(["-q", "11", "-f", "-k"]).arg(&path))?;
            run(cmd("gzip").args(["-9", "-f", "-k", "-n"]).arg(&path))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_integrity_of_the_tag_naming_the_file_is_replaced_and_no_other() {
        let page = r#"<link rel="modulepreload" href="/app-1.js" integrity="sha384-old"><script src="/shell-2.js" integrity="sha384-keep"></script>"#;
        let out = with_integrity(page, "app-1.js", "sha384-new");
        assert_eq!(
            out,
            r#"<link rel="modulepreload" href="/app-1.js" integrity="sha384-new"><script src="/shell-2.js" integrity="sha384-keep"></script>"#
        );
        assert_eq!(with_integrity(page, "other.js", "x"), page);
    }

    #[test]
    fn comments_leave_the_page_and_its_markup_stays() {
        let page =
            "<body>\n    <!-- a note\n spanning lines -->\n    <div id=\"app\"></div>\n</body>";
        assert_eq!(
            without_comments(page),
            "<body>\n    <div id=\"app\"></div>\n</body>"
        );
    }

    #[test]
    fn the_wasm_and_glue_preloads_go_after_the_stylesheet() {
        let page = r#"<link rel="stylesheet" href="/style-1.css"/>
<link rel="modulepreload" href="/app-1.js" crossorigin="anonymous"><link rel="preload" href="/app-1_bg.wasm" as="fetch" type="application/wasm"><link rel=preload href=/x.wasm as=fetch></head>"#;
        let out = preloads_after_the_form(page);
        assert_eq!(out.matches("fetchpriority=\"low\"").count(), 3, "{out}");
        assert!(out.contains(r#"<link rel="stylesheet" href="/style-1.css"/>"#));
        assert!(out.contains(r#"<link fetchpriority="low" rel="preload" href="/app-1_bg.wasm""#));
        assert!(out.ends_with("</head>"));
        assert_eq!(preloads_after_the_form(&out), out, "marked once");
    }

    const TRUNK_PAGE: &str = r#"<html><head><link rel="modulepreload" href="/app-1.js"></head><body><div id="app"></div>
<script type="module">
import init, * as bindings from '/app-1.js';
const wasm = await init({ module_or_path: '/app-1_bg.wasm' });
</script></body></html>"#;

    #[test]
    fn the_inline_loader_becomes_a_hashed_file_under_the_public_url() {
        let (html, boot) = externalize_inline_module(TRUNK_PAGE, "/console/").unwrap();
        let (name, body) = boot.unwrap();
        assert!(
            name.starts_with("boot-")
                && name.ends_with(".js")
                && name.len() == "boot-.js".len() + 16
        );
        assert!(html.contains(&format!(
            "<script type=\"module\" src=\"/console/{name}\"></script>"
        )));
        // The app looks for the config promise as soon as the wasm has started, which the
        // loader awaits: the fetch must come before that await.
        let fetch = body.find("fetch('config.json'").unwrap();
        assert!(fetch < body.find("await init").unwrap());
        assert!(body.contains("import init"));
        assert!(csp_blockers(&html).is_empty(), "{:?}", csp_blockers(&html));
    }

    #[test]
    fn the_minified_loader_is_moved_too() {
        let minified = TRUNK_PAGE.replace("<script type=\"module\">", "<script type=module>");
        let (html, boot) = externalize_inline_module(&minified, "/").unwrap();
        assert!(boot.is_some());
        assert!(csp_blockers(&html).is_empty(), "{:?}", csp_blockers(&html));
    }

    #[test]
    fn inline_scripts_styles_and_handlers_are_reported() {
        let bad =
            r#"<script>alert(1)</script><style>p{}</style><p style="x"><button onclick="go()">"#;
        let found = csp_blockers(bad);
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(csp_blockers(r#"<script type="module" src="/boot.js"></script>"#).is_empty());
    }
}
