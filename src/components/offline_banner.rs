//! A banner while the browser is offline: job polling and parallel batches wait behind it
//! and go on by themselves when the network is back.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::transport::online;

#[component]
pub fn OfflineBanner() -> Html {
    let is_online = use_state(online);
    {
        let is_online = is_online.clone();
        use_effect_with((), move |_| {
            let window = web_sys::window();
            let update = Closure::<dyn Fn()>::new(move || is_online.set(online()));
            if let Some(w) = &window {
                for event in ["online", "offline"] {
                    let _ =
                        w.add_event_listener_with_callback(event, update.as_ref().unchecked_ref());
                }
            }
            move || {
                if let Some(w) = &window {
                    for event in ["online", "offline"] {
                        let _ = w.remove_event_listener_with_callback(
                            event,
                            update.as_ref().unchecked_ref(),
                        );
                    }
                }
            }
        });
    }
    if *is_online {
        return html! {};
    }
    html! {
        <div class="offline-banner" role="status">
            <strong>{"You are offline."}</strong>
            {" Job checks and batches are paused and go on by themselves when the connection is back; nothing is lost or sent twice."}
        </div>
    }
}
