//! Saving text the console made (exports) as a file the browser downloads.

use wasm_bindgen::JsCast;

/// Offers `text` as a download named `name`.
///
/// # Errors
/// The browser refused to make the file.
pub fn save_text(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(&format!("{mime};charset=utf-8"));
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|_| "no Blob".to_string())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| "no object URL".to_string())?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let a = document.create_element("a").map_err(|_| "no link")?.dyn_into::<web_sys::HtmlAnchorElement>().map_err(|_| "no link")?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}
