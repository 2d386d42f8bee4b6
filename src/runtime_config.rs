//! Reads `config.json` beside `index.html` (relative to `<base>`, so a sub-path works).

use ims_api::config::Config;
use wasm_bindgen::JsCast;

/// The text the boot script started fetching beside the wasm, when it did.
async fn prefetched() -> Option<Result<String, String>> {
    let window = web_sys::window()?;
    let key = wasm_bindgen::JsValue::from_str("imsConfigText");
    let promise: js_sys::Promise = js_sys::Reflect::get(&window, &key).ok()?.dyn_into().ok()?;
    let _ = js_sys::Reflect::delete_property(&window, &key);
    Some(
        wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .map(|v| v.as_string().unwrap_or_default())
            .map_err(|e| {
                format!(
                    "config.json could not be fetched: {}",
                    js_sys::Error::from(e).message()
                )
            }),
    )
}

pub async fn load() -> Result<Config, String> {
    if let Some(text) = prefetched().await {
        return Config::from_json(&text?);
    }
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
