//! Every job of this tab: server jobs with their live status and per-image results, and the
//! Glance flavor's client jobs with progress and "retry the failed ones".

use std::collections::HashSet;

use ims_api::jobs::{JobKind, JobState, TrackedJob};
use ims_api::time::format_rfc3339;
use yew::prelude::*;

use crate::api::now_ms;
use crate::hooks::{use_api, use_now};
use crate::jobs::{use_engine, use_jobs, JobsAction};

#[component]
pub fn JobsPage() -> Html {
    let jobs = use_jobs();
    let api = use_api();
    let now = use_now();
    // The jobs retried from this page. The job itself records it (`retried_as`), but its row
    // loses the button only at the next render, and a double click's second click comes first.
    let retried = use_mut_ref(HashSet::<String>::new);
    let engine = use_engine();
    let retry = {
        let (api, jobs) = (api.clone(), jobs.clone());
        Callback::from(move |job: TrackedJob| {
            if !job.may_retry()
                || !job.runs_under(&api.user_id, &api.project_id)
                || !retried.borrow_mut().insert(job.id.clone())
            {
                return;
            }
            let by = engine.retry_client_job(&api, &job);
            jobs.dispatch(JobsAction::Retried { id: job.id, by });
        })
    };
    // "Accept in my projects" on a finished share: each job once, whatever the clicks.
    let accepted = use_mut_ref(HashSet::<String>::new);
    let names = crate::names::use_names();
    let accept_in_mine = {
        let (api, jobs, own) = (api.clone(), jobs.clone(), names.own.clone());
        Callback::from(move |job: TrackedJob| {
            let mine = mine(&job, &own);
            if mine.is_empty() || !accepted.borrow_mut().insert(job.id.clone()) {
                return;
            }
            crate::jobs::accept_in_own_projects(
                &api,
                &jobs,
                job.images.clone(),
                mine,
                crate::jobs::Credentials::Rescope,
            );
        })
    };
    let clear = {
        let jobs = jobs.clone();
        Callback::from(move |_| jobs.dispatch(JobsAction::ClearFinished))
    };
    html! {
        <section aria-labelledby="jobs-heading">
            <h1 id="jobs-heading">{"Jobs"}</h1>
            <div class="toolbar">
                <button type="button" onclick={clear} disabled={!jobs.list.iter().any(|j| j.state.is_final())}>{"Clear finished"}</button>
            </div>
            if jobs.list.is_empty() { <p>{"No jobs in this tab yet. Share, stop sharing, accept or reject images to start one."}</p> }
            <table aria-label="Jobs">
                <thead><tr>
                    <th scope="col">{"Type"}</th><th scope="col">{"Images"}</th><th scope="col">{"Projects"}</th>
                    <th scope="col">{"Status"}</th><th scope="col">{"Started"}</th><th scope="col">{"Time"}</th><th scope="col">{"Details"}</th>
                </tr></thead>
                <tbody>
                    { for jobs.list.iter().map(|j| {
                        let accept = (j.kind == JobKind::Share && j.state == JobState::Succeeded
                            && j.runs_under(&api.user_id, &api.project_id) && !mine(j, &names.own).is_empty())
                            .then(|| accept_in_mine.clone());
                        job_row(j, now, &jobs, retry_offer(j, &api, &retry), accept)
                    }) }
                </tbody>
            </table>
        </section>
    }
}

/// How a row offers "retry the failed ones": only to the session that started the job.
enum RetryOffer<'a> {
    Offer(&'a Callback<TrackedJob>),
    OtherProject,
    None,
}

fn retry_offer<'a>(
    j: &TrackedJob,
    api: &crate::api::Api,
    retry: &'a Callback<TrackedJob>,
) -> RetryOffer<'a> {
    if !j.may_retry() {
        RetryOffer::None
    } else if j.runs_under(&api.user_id, &api.project_id) {
        RetryOffer::Offer(retry)
    } else {
        RetryOffer::OtherProject
    }
}

/// The projects of a share that are the user's own (other than the one signed in to).
fn mine(job: &TrackedJob, own: &[(String, String)]) -> Vec<(String, String)> {
    own.iter()
        .filter(|(id, _)| job.projects.contains(id) && *id != job.owner.project_id)
        .cloned()
        .collect()
}

fn job_row(
    j: &TrackedJob,
    now: i64,
    jobs: &crate::jobs::JobsHandle,
    retry: RetryOffer,
    accept: Option<Callback<TrackedJob>>,
) -> Html {
    let elapsed = (j.finished_ms.unwrap_or(now) - j.started_ms).max(0) / 1000;
    let check_again = {
        let (jobs, id) = (jobs.clone(), j.id.clone());
        Callback::from(move |_| {
            jobs.dispatch(JobsAction::CheckAgain {
                id: id.clone(),
                now: now_ms(),
            })
        })
    };
    let retry_button = match retry {
        RetryOffer::Offer(retry) => {
            let (retry, job) = (retry.clone(), j.clone());
            let onclick = Callback::from(move |_| retry.emit(job.clone()));
            html! { <button type="button" {onclick}>{"Retry the failed ones"}</button> }
        }
        RetryOffer::OtherProject => html! {
            <p class="hint">{"Started in another project: switch back to it to retry the failed ones."}</p>
        },
        RetryOffer::None => Html::default(),
    };
    let export_results = {
        let job = j.clone();
        Callback::from(move |_| {
            let name = format!("job-{}-results.csv", job.id);
            let _ = crate::download::save_text(
                &name,
                "text/csv",
                &ims_api::export::job_results_csv(&job),
            );
        })
    };
    html! {
        <tr key={j.id.clone()} class={format!("job-state-{}", j.state.label().to_lowercase().replace([' ', '?'], ""))}>
            <td>{ j.kind.label() }{ if j.answers_elsewhere() { " (in your projects)" } else if j.is_client() { " (native calls)" } else { "" } }</td>
            <td>{ j.images.len() }</td>
            <td>{ j.projects.len() }</td>
            <td>
                <strong class="job-status">{ j.state.label() }</strong>
                if j.is_client() && !j.state.is_final() {
                    <progress max="100" value={j.progress_percent().to_string()} aria-label="Progress">{ format!("{}%", j.progress_percent()) }</progress>
                }
                if let Some(w) = j.failure_words() { <p class="error">{ w }</p> }
                if let Some(e) = &j.last_error { <p class="hint">{ e }</p> }
            </td>
            <td>{ format_rfc3339(j.started_ms) }</td>
            <td>{ format!("{elapsed} s") }</td>
            <td>
                <details>
                    <summary>{ format!("{} result(s)", j.results.len()) }</summary>
                    <p><code>{ &j.id }</code>{ j.job_type.clone().map(|t| format!(" · {t}")).unwrap_or_default() }</p>
                    <ul class="results">
                        { for j.results.iter().map(|r| html! {
                            <li class={if r.ok { "ok" } else { "bad" }}>
                                <code>{ &r.image_id }</code>
                                { r.project_id.clone().map(|p| format!(" → {p}")).unwrap_or_default() }
                                { if r.ok { " ✓" } else { " ✗" } }
                                { r.message.clone().map(|m| format!(" {m}")).unwrap_or_default() }
                            </li>
                        }) }
                    </ul>
                    if !j.results.is_empty() {
                        <button type="button" onclick={export_results}>{"Export results as CSV"}</button>
                    }
                </details>
                if j.state == JobState::GaveUp { <button type="button" onclick={check_again}>{"Check again"}</button> }
                { retry_button }
                if let Some(accept) = accept {
                    <button type="button" onclick={{ let job = j.clone(); move |_| accept.emit(job.clone()) }}>{"Accept in my projects"}</button>
                }
                if let Some(by) = &j.retried_as { <p class="hint">{ format!("Sent again as job {by}.") }</p> }
            </td>
        </tr>
    }
}
