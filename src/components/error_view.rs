//! One way to show a failure: plain words, the request id when there is one, and a retry.

use ims_api::ApiError;
use yew::prelude::*;
use yew_router::prelude::Link;

use crate::routes::Route;

#[derive(Properties, PartialEq)]
pub struct ErrorViewProps {
    pub error: ApiError,
    #[prop_or_default]
    pub on_retry: Option<Callback<()>>,
    /// What failed, e.g. "Sharing failed".
    #[prop_or_default]
    pub context: Option<AttrValue>,
}

#[component]
pub fn ErrorView(props: &ErrorViewProps) -> Html {
    let retry = props.on_retry.clone().map(|cb| {
        let label = if props.error.is_retryable() {
            "Retry"
        } else {
            "Try again"
        };
        html! { <button type="button" onclick={move |_| cb.emit(())}>{label}</button> }
    });
    // A write whose answer never came may have been done: point at where to look first.
    let unknown_outcome = matches!(props.error, ApiError::Timeout { write: true, .. });
    html! {
        <div class="error" role="alert">
            if let Some(c) = &props.context { <strong>{format!("{c}: ")}</strong> }
            <span>{ props.error.user_message() }</span>
            if unknown_outcome {
                {" "}<Link<Route> to={Route::Jobs}>{"Check the Jobs page"}</Link<Route>>{" "}
            }
            <>{ for retry }</>
        </div>
    }
}
