//! A banner while the browser is offline (`hooks::use_online`): job polling and parallel
//! batches wait behind it and go on by themselves when the network is back. A plain view, not
//! a component: each component type costs the wasm its own copy of Yew's lifecycle code.

use yew::prelude::*;

/// The banner, shown while offline.
pub fn offline_banner(online: bool) -> Html {
    if online {
        return html! {};
    }
    html! {
        <div class="offline-banner" role="status">
            <strong>{"You are offline."}</strong>
            {" Job checks and batches are paused and go on by themselves when the connection is back; nothing is lost or sent twice."}
        </div>
    }
}
