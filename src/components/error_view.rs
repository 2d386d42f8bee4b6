//! One way to show a failure: plain words, the request id when there is one, and a retry.

use ims_api::ApiError;
use yew::prelude::*;
use yew_router::prelude::Link;

use crate::routes::Route;

/// `context` says what failed ("Sharing failed"); `on_retry` adds a Retry (or "Try again" when
/// the same request would fail the same way). A plain function, not a component: it holds no
/// state, and each component type costs the wasm its own copy of Yew's lifecycle code.
pub fn error_view(error: &ApiError, context: &str, on_retry: Option<Callback<()>>) -> Html {
    let retry = on_retry.map(|cb| {
        let label = if error.is_retryable() {
            "Retry"
        } else {
            "Try again"
        };
        html! { <button type="button" onclick={move |_| cb.emit(())}>{label}</button> }
    });
    // A write whose answer never came may have been done: point at where to look first.
    let unknown_outcome = matches!(error, ApiError::Timeout { write: true, .. });
    html! {
        <div class="error" role="alert">
            <strong>{format!("{context}: ")}</strong>
            <span>{ error.user_message() }</span>
            if unknown_outcome {
                {" "}<Link<Route> to={Route::Jobs}>{"Check the Jobs page"}</Link<Route>>{" "}
            }
            <>{ for retry }</>
        </div>
    }
}
