//! The sign-in screen shown when there is no session, at whatever address was asked for:
//! once signed in, that page renders.

use yew::prelude::*;

use crate::frame::sign_in_form::SignInForm;
use crate::session::context::StoredSession;

/// A plain function, not a component: it holds no state of its own (see `app::waiting_for_portal`).
pub fn sign_in_page(on_signed_in: Callback<StoredSession>) -> Html {
    html! {
        <main id="main" class="sign-in-page">
            <h1>{"IMS Share Console"}</h1>
            <p class="lead">{"Share machine images with other projects, see who has them, and answer images shared with you."}</p>
            <SignInForm on_signed_in={on_signed_in} />
        </main>
    }
}
