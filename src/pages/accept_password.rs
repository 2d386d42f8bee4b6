//! The password, asked once when IAM would not rescope this session's token to some of the
//! user's own projects for "also accept": used for those projects only, never stored, and the
//! field cleared whatever happens.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::ConfirmDialog;
use crate::hooks::use_api;
use crate::jobs::{accept_in_own_projects, use_jobs, Credentials, JobsAction};
use crate::session::context::use_session;

#[component]
pub fn PasswordPrompt() -> Html {
    let jobs = use_jobs();
    let api = use_api();
    let session = use_session();
    let password = use_state(String::new);
    let Some(ask) = jobs
        .password_asks
        .iter()
        .find(|a| a.owner.matches(&api.user_id, &api.project_id))
        .cloned()
    else {
        return Html::default();
    };
    let names: Vec<&str> = ask.projects.iter().map(|p| p.1.as_str()).collect();
    let confirm = {
        let (jobs, api, password, ask) = (jobs.clone(), api.clone(), password.clone(), ask.clone());
        let (user, domain) = session
            .info()
            .map(|i| (i.user.name.clone(), i.domain.clone()))
            .unwrap_or_default();
        Callback::from(move |_| {
            let given = (*password).clone();
            password.set(String::new());
            jobs.dispatch(JobsAction::Asked(ask.clone()));
            if given.is_empty() {
                return;
            }
            let credentials = Credentials::Password {
                user: user.clone(),
                domain: domain.clone(),
                password: given,
            };
            accept_in_own_projects(
                &api,
                &jobs,
                ask.images.clone(),
                ask.projects.clone(),
                credentials,
            );
        })
    };
    let cancel = {
        let (jobs, password, ask) = (jobs.clone(), password.clone(), ask.clone());
        Callback::from(move |_| {
            password.set(String::new());
            jobs.dispatch(JobsAction::Asked(ask.clone()));
        })
    };
    html! {
        <ConfirmDialog title="Accept with your password?" confirm_label="Accept there" on_confirm={confirm} on_cancel={cancel}>
            <p>{ format!("IAM does not let this session act in {}. Your password gets a token for these projects only, to accept the share there; it is not kept.", names.join(", ")) }</p>
            <div class="field">
                <label for="accept-password">{"Password"}</label>
                <input id="accept-password" type="password" autocomplete="current-password" value={(*password).clone()}
                    oninput={{ let p = password.clone(); move |e: InputEvent| p.set(e.target_unchecked_into::<HtmlInputElement>().value()) }} />
            </div>
        </ConfirmDialog>
    }
}
