//! "Share like": copy the members of a source image (all, or the accepted ones) to the
//! selected images, after a preview; optionally stop sharing the source once the copy has
//! succeeded, for image rotation.

use std::collections::HashSet;
use std::rc::Rc;

use ims_api::apply::{plan, switched, Change, Context};
use ims_api::images::Image;
use ims_api::jobs::JobKind;
use ims_api::members::MemberStatus;
use ims_api::ApiError;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::api::Api;
use crate::components::error_view;
use crate::hooks::{use_api, use_submission};
use crate::jobs::{use_engine, use_jobs, Engine, FollowUp, FollowUpAction, JobsAction, JobsHandle};
use crate::names::{project_label, use_names};

#[derive(Properties, PartialEq)]
pub struct CopyFormProps {
    /// The images that receive the members.
    pub images: Vec<Image>,
    /// Every image of the project: the source is picked among them.
    pub all: Rc<Vec<Image>>,
    pub on_close: Callback<()>,
}

#[derive(Clone, PartialEq)]
struct CopyPreview {
    source: Image,
    /// The source's members copied (filtered by status).
    projects: Vec<String>,
    /// (image, project) pairs not in place yet.
    new_pairs: Vec<(String, String)>,
    in_place: usize,
    /// The targets' visibility, for the plan.
    ctx: Context,
    /// Targets still private on Glance, switched first.
    not_shared: Vec<String>,
    stop_source: bool,
}

#[component]
pub fn CopyForm(props: &CopyFormProps) -> Html {
    let api = use_api();
    let names = use_names();
    let jobs = use_jobs();
    let engine = use_engine();
    let targets: HashSet<String> = props.images.iter().map(|i| i.id.clone()).collect();
    let sources: Vec<&Image> = props
        .all
        .iter()
        .filter(|i| !targets.contains(&i.id))
        .collect();
    let source = use_state(String::new);
    let accepted_only = use_state(|| false);
    let stop_source = use_state(|| false);
    let preview = use_state(|| None::<Rc<CopyPreview>>);
    // The preview's reads and the copy: one at a time, failures shown in one place.
    let submission = use_submission::<ApiError>();
    let done = use_state(|| None::<String>);
    let source_error = use_state(|| None::<&'static str>);
    let busy = submission.busy();

    let changed = {
        let (preview, done) = (preview.clone(), done.clone());
        move || {
            preview.set(None);
            done.set(None);
        }
    };
    let on_source = {
        let (source, source_error, changed) =
            (source.clone(), source_error.clone(), changed.clone());
        Callback::from(move |e: Event| {
            source.set(e.target_unchecked_into::<HtmlSelectElement>().value());
            source_error.set(None);
            changed();
        })
    };
    let on_preview = {
        let ask = PreviewAsk {
            api: submission.api(&api),
            source: (*source).clone(),
            accepted_only: *accepted_only,
            stop_source: *stop_source,
            preview: preview.clone(),
            source_error: source_error.clone(),
            all: props.all.clone(),
            images: props.images.clone(),
        };
        let submission = submission.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(src) = ask.all.iter().find(|i| i.id == ask.source).cloned() else {
                ask.source_error
                    .set(Some("Choose the image whose members are copied."));
                return;
            };
            let ask = ask.clone();
            submission.run(async move {
                let p = build_preview(
                    &ask.api,
                    src,
                    &ask.images,
                    ask.accepted_only,
                    ask.stop_source,
                )
                .await?;
                ask.preview.set(Some(Rc::new(p)));
                Ok(())
            });
        })
    };
    let on_copy = {
        let form = Copying {
            api: submission.api(&api),
            engine,
            jobs,
            preview: preview.clone(),
            done: done.clone(),
        };
        let submission = submission.clone();
        Callback::from(move |_| {
            let Some(p) = (*form.preview).clone() else {
                return;
            };
            let form = form.clone();
            submission.run(async move {
                let message = copy(&form, &p).await?;
                form.preview.set(None);
                form.done.set(Some(message));
                Ok(())
            });
        })
    };
    let option = |i: &Image| html! { <option value={i.id.clone()} selected={*source == i.id}>{ i.display_name() }</option> };
    html! {
        <form class="panel" onsubmit={on_preview} aria-labelledby="copy-heading">
            <h2 id="copy-heading">{ format!("Copy members to {} image(s)", props.images.len()) }</h2>
            <div class="field">
                <label for="copy-source">{"Copy the members of"}</label>
                <select id="copy-source" onchange={on_source} disabled={busy} aria-invalid={source_error.is_some().to_string()} aria-describedby="copy-source-error">
                    <option value="" selected={source.is_empty()}>{"Choose an image…"}</option>
                    { for sources.iter().map(|i| option(i)) }
                </select>
                <p id="copy-source-error" class="field-error">{ source_error.unwrap_or_default() }</p>
            </div>
            <fieldset class="field">
                <legend>{"Which members"}</legend>
                <label><input type="radio" name="copy-which" checked={!*accepted_only} onchange={{ let (a, c) = (accepted_only.clone(), changed.clone()); move |_| { a.set(false); c(); } }} />{" All of them"}</label>
                <label><input type="radio" name="copy-which" checked={*accepted_only} onchange={{ let (a, c) = (accepted_only.clone(), changed.clone()); move |_| { a.set(true); c(); } }} />{" Only those that accepted"}</label>
            </fieldset>
            <div class="field">
                <label>
                    <input type="checkbox" checked={*stop_source} onchange={{ let (s, c) = (stop_source.clone(), changed.clone()); move |_| { s.set(!*s); c(); } }} />
                    {" Then stop sharing the source with them (rotation), once the copy has succeeded"}
                </label>
            </div>
            <>{ submission.wait_view() }</>
            <div class="actions">
                <button type="submit" disabled={busy}>{"Preview"}</button>
                <button type="button" onclick={props.on_close.reform(|_| ())}>{"Close"}</button>
            </div>
            if let Some(e) = submission.error() {
                { error_view(e, if preview.is_some() { "Copying failed" } else { "Reading the members failed" }, None) }
            }
            if let Some(p) = &*preview {
                <section class="preview" aria-label="Copy preview" data-testid="copy-preview">
                    <p>{ format!("{} member(s) of {} to copy: {} new share(s) across {} image(s); {} already in place.",
                        p.projects.len(), p.source.display_name(), p.new_pairs.len(), props.images.len(), p.in_place) }</p>
                    if !p.not_shared.is_empty() {
                        <p>{ format!("{} image(s) will be switched to visibility \"shared\" first (Glance adds members only to shared images).", p.not_shared.len()) }</p>
                    }
                    if p.stop_source && !p.projects.is_empty() {
                        <p class="warn">{ format!("Then {} stops being shared with these {} project(s), once every copy job has succeeded (keep this tab open until then).", p.source.display_name(), p.projects.len()) }</p>
                    }
                    <ul aria-label="Projects copied">{ for p.projects.iter().map(|id| html! { <li>{ project_label(&names.known, id) }</li> }) }</ul>
                    <button type="button" class={if p.stop_source { "danger" } else { "primary" }} disabled={busy || (p.new_pairs.is_empty() && !p.stop_source) || p.projects.is_empty()} onclick={on_copy}>
                        { if p.stop_source { "Copy members, then stop sharing the source" } else { "Copy members" } }
                    </button>
                </section>
            }
            if let Some(m) = &*done { <p class="success" role="status">{ m }</p> }
        </form>
    }
}

async fn build_preview(
    api: &Api,
    source: Image,
    targets: &[Image],
    accepted_only: bool,
    stop_source: bool,
) -> Result<CopyPreview, ApiError> {
    let list = api.members(&source.id, source.visibility.as_ref()).await?;
    let projects: Vec<String> = list
        .into_iter()
        .filter(|m| !accepted_only || m.status == MemberStatus::Accepted)
        .map(|m| m.member_id)
        .collect();
    let mut new_pairs = Vec::new();
    let mut in_place = 0;
    for t in targets {
        let have: HashSet<String> = api
            .members(&t.id, t.visibility.as_ref())
            .await?
            .into_iter()
            .map(|m| m.member_id)
            .collect();
        for p in &projects {
            if have.contains(p) {
                in_place += 1;
            } else {
                new_pairs.push((t.id.clone(), p.clone()));
            }
        }
    }
    let ctx = Context::of(targets);
    let steps = plan(
        api.calls(),
        &[Change::projects(JobKind::Share, &new_pairs)],
        &ctx,
    )
    .unwrap_or_default();
    let not_shared = switched(&steps).into_iter().map(str::to_string).collect();
    Ok(CopyPreview {
        source,
        projects,
        new_pairs,
        in_place,
        ctx,
        not_shared,
        stop_source,
    })
}

/// What the preview needs, as the form holds it when asked.
#[derive(Clone)]
struct PreviewAsk {
    api: Api,
    source: String,
    accepted_only: bool,
    stop_source: bool,
    preview: UseStateHandle<Option<Rc<CopyPreview>>>,
    source_error: UseStateHandle<Option<&'static str>>,
    all: Rc<Vec<Image>>,
    images: Vec<Image>,
}

/// What the copy button needs, cloned once.
#[derive(Clone)]
struct Copying {
    api: Api,
    engine: Engine,
    jobs: JobsHandle,
    preview: UseStateHandle<Option<Rc<CopyPreview>>>,
    done: UseStateHandle<Option<String>>,
}

/// Sends the copy; registers the source's stop as a follow-up of its jobs.
async fn copy(form: &Copying, p: &CopyPreview) -> Result<String, ApiError> {
    let change = Change::projects(JobKind::Share, &p.new_pairs);
    let started = form.engine.apply(&form.api, &[change], &p.ctx).await?;
    if p.stop_source && !p.projects.is_empty() {
        form.jobs.dispatch(JobsAction::FollowUp(FollowUp {
            after: started.clone(),
            action: FollowUpAction::StopSharing {
                source: p.source.id.clone(),
                source_name: p.source.display_name().to_string(),
                projects: p.projects.clone(),
            },
            owner: form.api.owner(),
        }));
    }
    Ok(format!(
        "Copying started as {} job(s): follow them under Jobs.",
        started.len()
    ))
}
