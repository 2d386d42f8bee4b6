//! IMS Share Console, the Yew app. Browser-only: on a native target this crate is empty and
//! the logic worth testing natively lives in `ims-api`.
#![cfg(target_arch = "wasm32")]

pub mod api;
pub mod app;
pub mod components;
pub mod download;
pub mod embed;
pub mod frame;
pub mod hooks;
pub mod jobs;
pub mod names;
pub mod notices;
pub mod pages;
pub mod routes;
pub mod runtime_config;
pub mod session;
pub mod shell;
pub mod transport;

use wasm_bindgen::JsCast;

/// Mounts the app once `config.json` is read; a failure of either shows an error screen.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&message.clone().into());
        show_fatal("The application failed", &message);
    }));
    wasm_bindgen_futures::spawn_local(async {
        match runtime_config::load().await {
            Ok(config) => {
                if let Some(root) = shell::app_root() {
                    yew::Renderer::<app::App>::with_root_and_props(
                        root,
                        app::AppProps {
                            config: std::rc::Rc::new(config),
                        },
                    )
                    .render();
                }
            }
            Err(e) => show_fatal("The console could not start", &e),
        }
    });
}

/// Replaces the page with a visible error, never a blank screen.
pub fn show_fatal(title: &str, detail: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = doc.body() else { return };
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    body.set_inner_html(&format!(
        r#"<main class="fatal" role="alert"><h1>{}</h1><p>Reload the page to start again. Your session is kept for this tab.</p><pre>{}</pre><button type="button">Reload</button></main>"#,
        esc(title),
        esc(detail)
    ));
    // The handler is attached here, not inline: the CSP allows no `onclick` attribute.
    if let Ok(Some(button)) = body.query_selector("main.fatal button") {
        let reload = wasm_bindgen::closure::Closure::<dyn Fn()>::new(|| {
            let _ = web_sys::window().map(|w| w.location().reload());
        });
        let _ = button.add_event_listener_with_callback("click", reload.as_ref().unchecked_ref());
        // The page lives as long as the listener: nothing to free.
        reload.forget();
    }
    if let Some(el) = body.first_element_child() {
        let _ = el.dyn_into::<web_sys::HtmlElement>().map(|e| e.focus());
    }
}
