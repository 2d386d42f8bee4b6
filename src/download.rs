//! Files: saving text the console made (exports) as a download, and reading a file the user
//! picked (plans, address books).

use wasm_bindgen::JsCast;

/// Offers `text` as a download named `name`.
///
/// # Errors
/// The browser refused to make the file.
pub fn save_text(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(&format!("{mime};charset=utf-8"));
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "no Blob".to_string())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "no object URL".to_string())?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a = document
        .create_element("a")
        .map_err(|_| "no link")?
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .map_err(|_| "no link")?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// The bytes of a file the user picked, refused unread when it is over `max` bytes (so a huge
/// file costs no memory).
///
/// # Errors
/// Too large, or the browser could not read it; the message says which.
pub async fn read_bytes(file: &web_sys::File, max: usize) -> Result<Vec<u8>, String> {
    // Whole bytes: a file's size is an integer, and formatting a float would add its own code
    // to the wasm.
    let size = file.size() as u64;
    if size > max as u64 {
        let mb = |b: u64| b.div_ceil(1_048_576);
        return Err(format!(
            "{} is {} MB; at most {} MB is read.",
            file.name(),
            mb(size),
            mb(max as u64)
        ));
    }
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| format!("{} could not be read.", file.name()))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The file chosen in an `<input type="file">`, from its change event.
pub fn picked_file(e: &yew::Event) -> Option<web_sys::File> {
    let input: web_sys::HtmlInputElement = e.target()?.dyn_into().ok()?;
    input.files()?.get(0)
}
