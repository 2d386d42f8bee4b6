//! Stop sharing the selected images with chosen projects, after a confirmation that names
//! what will stop.

use ims_api::apply::{started_text, Change, Context, Target};
use ims_api::batch::preview;
use ims_api::ids::{targets, Targets};
use ims_api::images::Image;
use ims_api::jobs::JobKind;
use ims_api::ApiError;
use yew::prelude::*;

use crate::api::Api;
use crate::components::{error_view, ConfirmDialog, IdListInput};
use crate::hooks::{use_api, use_submission};
use crate::jobs::{use_engine, Engine};

#[derive(Properties, PartialEq)]
pub struct StopFormProps {
    pub images: Vec<Image>,
    pub on_close: Callback<()>,
    /// The typed IDs, owned by the page so they survive this form being closed or remounted.
    pub text: UseStateHandle<String>,
}

#[component]
pub fn StopForm(props: &StopFormProps) -> Html {
    let api = use_api();
    let engine = use_engine();
    let text = props.text.clone();
    let confirming = use_state(|| false);
    let submission = use_submission::<ApiError>();
    let done = use_state(|| None::<String>);
    let own = api.project_id.clone();
    let Targets { projects, blocked } = targets(&text, Some(&own));
    let ready = !projects.is_empty() && !blocked;
    let busy = submission.busy();
    let ask = {
        let confirming = confirming.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if ready {
                confirming.set(true);
            }
        })
    };
    let confirm = {
        let form = Stopping {
            api: submission.api(&api),
            engine,
            done: done.clone(),
            confirming: confirming.clone(),
            text: text.clone(),
        };
        let images: Vec<String> = props.images.iter().map(|i| i.id.clone()).collect();
        let members: Vec<Target> = projects.iter().map(Target::project).collect();
        let change = Change::every(JobKind::StopSharing, &images, &members);
        let submission = submission.clone();
        Callback::from(move |_| {
            let (form, change) = (form.clone(), change.clone());
            submission.run(async move {
                let result = form
                    .engine
                    .apply(&form.api, &[change], &Context::default())
                    .await;
                form.confirming.set(false);
                let started = result?;
                form.text.set(String::new());
                form.done
                    .set(Some(started_text(JobKind::StopSharing, started.len())));
                Ok(())
            });
        })
    };
    let names: Vec<String> = props
        .images
        .iter()
        .map(|i| i.display_name().to_string())
        .collect();
    html! {
        <form class="panel" onsubmit={ask} aria-labelledby="stop-heading">
            <h2 id="stop-heading">{ format!("Stop sharing {} image(s)", props.images.len()) }</h2>
            <IdListInput id="stop-projects" label="Project IDs to stop sharing with" value={(*text).clone()} on_input={{ let t = text.clone(); move |v| t.set(v) }}
                own_project={Some(AttrValue::from(own.clone()))} disabled={busy} />
            <p class="preview">{ preview(props.images.len(), projects.len()) }</p>
            if let Some(e) = submission.error() {
                { error_view(e, "Stopping failed", Some({ let c = confirming.clone(); Callback::from(move |_| c.set(true)) })) }
            }
            if let Some(m) = &*done { <p class="success" role="status">{ m }</p> }
            <>{ submission.wait_view() }</>
            <div class="actions">
                <button type="submit" class="danger" disabled={!ready || busy}>{"Stop sharing…"}</button>
                <button type="button" onclick={props.on_close.reform(|_| ())}>{"Close"}</button>
            </div>
            if *confirming {
                <ConfirmDialog title="Stop sharing?" confirm_label="Stop sharing" busy={busy} on_confirm={confirm} on_cancel={{ let c = confirming.clone(); Callback::from(move |_| c.set(false)) }}>
                    <p>{ format!("These {} project(s) will lose access to these {} image(s):", projects.len(), names.len()) }</p>
                    <p><strong>{"Images: "}</strong>{ names.join(", ") }</p>
                    <p><strong>{"Projects: "}</strong><code>{ projects.join(", ") }</code></p>
                </ConfirmDialog>
            }
        </form>
    }
}

/// What the confirmation needs, cloned once.
#[derive(Clone)]
struct Stopping {
    api: Api,
    engine: Engine,
    done: UseStateHandle<Option<String>>,
    confirming: UseStateHandle<bool>,
    text: UseStateHandle<String>,
}
