//! Reads `config.json` beside `index.html` (relative to `<base>`, so a sub-path works).

use ims_api::config::Config;

pub async fn load() -> Result<Config, String> {
    let resp = gloo_net::http::Request::get("config.json")
        .header("Accept", "application/json")
        .cache(web_sys::RequestCache::NoStore)
        .send()
        .await
        .map_err(|e| format!("config.json could not be fetched: {e}"))?;
    if !resp.ok() {
        return Err(format!("config.json answered HTTP {}", resp.status()));
    }
    let text = resp
        .text()
        .await
        .map_err(|e| format!("config.json could not be read: {e}"))?;
    Config::from_json(&text)
}
