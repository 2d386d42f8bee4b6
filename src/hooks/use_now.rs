use gloo_timers::callback::Interval;
use yew::prelude::*;

use crate::api::now_ms;

/// The current time, re-rendering every second (for countdowns and elapsed times).
#[hook]
pub fn use_now() -> i64 {
    let now = use_state(now_ms);
    {
        let now = now.clone();
        use_effect_with((), move |_| {
            let tick = Interval::new(1000, move || now.set(now_ms()));
            move || drop(tick)
        });
    }
    *now
}
