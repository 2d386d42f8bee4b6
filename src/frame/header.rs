//! The header: who is signed in, to which project, how long the token has left, the project
//! switcher and sign-out. An expired token ends the session here, before any call fails.

use ims_api::auth::{self, Named, ProjectList, SessionInfo};
use ims_api::names::group_by_region;
use ims_api::time::describe_remaining;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::api::Api;
use crate::hooks::{use_api, use_now, use_submission, Submission};
use crate::session::context::{use_session, SessionHandle, SignInHint};
use crate::session::{sign_in, SessionAction};

#[component]
pub fn Header() -> Html {
    let embedding = crate::embed::use_embedding();
    let session = use_session();
    let api = use_api();
    let now = use_now();
    let projects = use_state(|| None::<Vec<Named>>);
    // Reading the projects, then switching: one switch at a time, its failure in words.
    let switching = use_submission::<String>();
    let Some(current) = session.current.clone() else {
        return Html::default();
    };
    let info = current.info.clone();
    let remaining = info.remaining_ms(now);
    {
        let session = session.clone();
        use_effect_with(remaining <= 0, move |expired| {
            if *expired {
                session.dispatch(SessionAction::Expired);
            }
        });
    }
    let sign_out = {
        let (session, api) = (session.clone(), api.clone());
        Callback::from(move |_| {
            let (session, api) = (session.clone(), api.clone());
            if let Some(t) = api.token.clone() {
                // Revoke best-effort: the session ends here whatever IAM says.
                wasm_bindgen_futures::spawn_local(async move {
                    let _ =
                        crate::transport::send(&api.endpoints, None, &auth::revoke_token(&t)).await;
                });
            }
            session.dispatch(SessionAction::SignedOut);
        })
    };
    let switcher = Switcher {
        session: session.clone(),
        api: api.clone(),
        projects: projects.clone(),
        switching: switching.clone(),
        info: info.clone(),
    };
    let open_switcher = {
        let switcher = switcher.clone();
        Callback::from(move |_| switcher.open())
    };
    let on_pick = Callback::from(move |e: Event| {
        switcher.pick(e.target_unchecked_into::<HtmlSelectElement>().value())
    });
    let low = remaining < 5 * 60 * 1000;
    html! {
        <header class="top">
            <span class="brand">{"IMS Share Console"}</span>
            <dl class="who" aria-label="Session">
                <div class="user"><dt>{"User"}</dt><dd>{ &info.user.name }</dd></div>
                <div><dt>{"Project"}</dt><dd data-testid="current-project">{ &info.project.name }</dd></div>
                if !info.region.is_empty() { <div><dt>{"Region"}</dt><dd data-testid="current-region">{ &info.region }</dd></div> }
                <div><dt>{"Session ends in"}</dt><dd class={classes!(low.then_some("warn"))}>{ describe_remaining(remaining) }</dd></div>
            </dl>
            if let Some(list) = &*projects {
                <label class="switcher">{"Switch project "}
                    <select onchange={on_pick} disabled={switching.busy()} aria-label="Switch project">
                        { for group_by_region(&list.iter().map(|p| (p.id.clone(), p.name.clone())).collect::<Vec<_>>(), &info.regions, &api.config.region).into_iter().map(|(region, projects)| html! {
                            <optgroup label={if region.is_empty() { "Other".to_string() } else { region }}>
                                { for projects.into_iter().map(|(id, name)| html! { <option value={id.clone()} selected={*id == info.project.id}>{ name }</option> }) }
                            </optgroup>
                        }) }
                    </select>
                </label>
            } else {
                <button type="button" onclick={open_switcher}>{"Switch project…"}</button>
            }
            <>{ switching.wait_view() }</>
            if let Some(e) = switching.error() { <span class="error" role="alert">{ e }</span> }
            // Embedded, the portal owns the session: it signs in and out.
            if !embedding.active { <button type="button" onclick={sign_out}>{"Sign out"}</button> }
        </header>
    }
}

/// The project switcher's handles, cloned once into its two callbacks.
#[derive(Clone)]
struct Switcher {
    session: SessionHandle,
    api: Api,
    projects: UseStateHandle<Option<Vec<Named>>>,
    switching: Submission<String>,
    info: SessionInfo,
}

impl Switcher {
    /// Reads the user's projects for the list.
    fn open(&self) {
        let (api, projects) = (self.switching.api(&self.api), self.projects.clone());
        self.switching.run(async move {
            let list = api
                .read::<ProjectList>(&auth::list_projects())
                .await
                .map_err(|e| e.user_message())?;
            projects.set(Some(list.projects));
            Ok(())
        });
    }

    /// Rescopes the token to the project picked; where IAM refuses, asks for the password.
    fn pick(&self, id: String) {
        if id.is_empty() || id == self.info.project.id {
            return;
        }
        let name = self
            .projects
            .as_ref()
            .and_then(|l| l.iter().find(|p| p.id == id))
            .map(|p| p.name.clone())
            .unwrap_or_else(|| id.clone());
        let (session, info) = (self.session.clone(), self.info.clone());
        let api = self.switching.api(&self.api);
        self.switching.run(async move {
            let token = api.token.clone().unwrap_or_default();
            match sign_in::rescope(&api.config, &token, &id).await {
                Ok(s) => {
                    session.dispatch(SessionAction::SignedIn(s));
                    Ok(())
                }
                Err(e) => {
                    // IAM may refuse token re-scoping: ask for the password for that project.
                    session.dispatch(SessionAction::SignInAgain(SignInHint {
                        user: info.user.name.clone(),
                        domain: info.domain.clone(),
                        project: name,
                    }));
                    Err(format!(
                        "Switching needs your password again ({})",
                        e.user_message()
                    ))
                }
            }
        });
    }
}
