//! Stop sharing the selected images with chosen projects, after a confirmation that names
//! what will stop.

use std::cell::RefCell;
use std::rc::Rc;

use ims_api::batch::{chunk_projects, pairs, preview};
use ims_api::ids::{targets, Targets};
use ims_api::images::Image;
use ims_api::jobs::JobKind;
use ims_api::members::batch_stop;
use ims_api::ApiError;
use yew::prelude::*;

use crate::api::Api;
use crate::components::{error_view, ConfirmDialog, IdListInput};
use crate::hooks::{use_api, use_submission};
use crate::jobs::{calls_for, start_chunk_jobs, start_client_job, use_jobs, JobsHandle};

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
    let jobs = use_jobs();
    let text = props.text.clone();
    let confirming = use_state(|| false);
    let submission = use_submission::<ApiError>();
    // Chunks already sent, so a retry after a failure sends only the rest.
    let sent_chunks = use_mut_ref(|| 0usize);
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
        let (api, jobs, submission, done, confirming, text) = (
            api.clone(),
            jobs.clone(),
            submission.clone(),
            done.clone(),
            confirming.clone(),
            text.clone(),
        );
        let images: Vec<String> = props.images.iter().map(|i| i.id.clone()).collect();
        let projects = projects.clone();
        Callback::from(move |_| {
            let (api, jobs, done, confirming, text) = (
                api.clone(),
                jobs.clone(),
                done.clone(),
                confirming.clone(),
                text.clone(),
            );
            let (sent_chunks, images, projects) =
                (sent_chunks.clone(), images.clone(), projects.clone());
            let api = submission.api(&api);
            submission.run(async move {
                let result = stop(&api, &jobs, &images, &projects, &sent_chunks).await;
                confirming.set(false);
                let message = result?;
                *sent_chunks.borrow_mut() = 0;
                text.set(String::new());
                done.set(Some(message));
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

async fn stop(
    api: &Api,
    jobs: &JobsHandle,
    images: &[String],
    projects: &[String],
    sent: &Rc<RefCell<usize>>,
) -> Result<String, ApiError> {
    if !api.is_ims() {
        let calls = calls_for(JobKind::StopSharing, pairs(images, projects), None);
        start_client_job(
            api,
            &jobs.dispatcher(),
            JobKind::StopSharing,
            images.to_vec(),
            projects.to_vec(),
            calls,
        );
        return Ok("Stopping started: progress is under Jobs.".into());
    }
    let chunks = chunk_projects(projects, api.config.chunk_size);
    let started = start_chunk_jobs(
        api,
        jobs,
        JobKind::StopSharing,
        batch_stop,
        images,
        &chunks,
        sent,
    )
    .await?;
    Ok(format!(
        "Started {started} stop-sharing job(s): follow them under Jobs."
    ))
}
