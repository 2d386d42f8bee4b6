//! Whether the browser is online, followed through its `online` and `offline` events.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::transport::online;

/// Whether the browser says it is online, followed as it changes.
#[hook]
pub fn use_online() -> bool {
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
    *is_online
}
