//! IMS Share Console: entry point. The app is browser-only; a native build is an empty binary
//! so that `cargo test --workspace` can build the workspace without wasm tools.

#[cfg(target_arch = "wasm32")]
mod app;

fn main() {
    #[cfg(target_arch = "wasm32")]
    app::start();
}
