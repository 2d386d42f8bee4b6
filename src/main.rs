//! IMS Share Console: the binary Trunk builds. Everything lives in the library so the
//! browser tests can reach it; a native build is an empty program.

fn main() {
    #[cfg(target_arch = "wasm32")]
    ims_share_console::start();
}
