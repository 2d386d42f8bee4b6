//! Share the selected images with projects (and, where the cloud offers them, accounts and
//! organizations): IDs checked in place, what the service will refuse said before sending,
//! the member quota, a preview, then the engine's calls (IMS: batch jobs of at most
//! `chunk_size` members; Glance: native calls in parallel).

use ims_api::apply::{calls_text, plan, started_text, switched, Change, Context};
use ims_api::batch::{preview_members, FULL_ECS_MEMBER_LIMIT};
use ims_api::images::Image;
use ims_api::jobs::JobKind;
use ims_api::quota::{self, QuotaAnswer};
use ims_api::ApiError;
use yew::prelude::*;

use crate::api::Api;
use crate::components::error_view;
use crate::hooks::{use_api, use_submission, use_wait, wait_view, Wait};
use crate::jobs::{
    use_engine, use_jobs, Engine, FollowUp, FollowUpAction, JobsAction, JobsHandle, OwnProjects,
};
use crate::names::use_names;
use ims_api::members::MemberKind;

use super::member_boxes::{member_boxes, use_member_kinds, MemberTexts, Typed};

#[derive(Properties, PartialEq)]
pub struct ShareFormProps {
    pub images: Vec<Image>,
    pub on_close: Callback<()>,
    /// The typed IDs, owned by the page so they survive this form being closed or remounted.
    pub texts: MemberTexts,
}

#[component]
pub fn ShareForm(props: &ShareFormProps) -> Html {
    let api = use_api();
    let engine = use_engine();
    let texts = props.texts.clone();
    let (kinds, own) = use_member_kinds(&api);
    let submission = use_submission::<ApiError>();
    let done = use_state(|| None::<String>);
    let make_shared = use_state(|| false);
    let quota = use_member_quota(&api);
    let Typed {
        targets: members,
        blocked,
        counts,
    } = texts.typed(&kinds, &own);
    let image_ids: Vec<String> = props.images.iter().map(|i| i.id.clone()).collect();
    let change = Change::every(JobKind::Share, &image_ids, &members);
    let ctx = Context::of(&props.images);
    let steps = plan(api.calls(), std::slice::from_ref(&change), &ctx).unwrap_or_default();
    let not_shared: Vec<&Image> = {
        let switched = switched(&steps);
        props
            .images
            .iter()
            .filter(|i| switched.contains(&i.id.as_str()))
            .collect()
    };
    let full_ecs_over =
        props.images.iter().any(|i| i.is_full_ecs()) && members.len() > FULL_ECS_MEMBER_LIMIT;
    let busy = submission.busy();
    let can_send =
        !members.is_empty() && !blocked && !busy && (not_shared.is_empty() || *make_shared);

    // Targets that are the user's own projects: the share can be accepted there at once.
    let names = use_names();
    let also_accept = use_state(|| false);
    let mine: OwnProjects = names
        .own
        .iter()
        .filter(|(id, _)| {
            members
                .iter()
                .any(|t| t.kind == MemberKind::Project && t.id == *id)
        })
        .cloned()
        .collect();
    let submit = {
        let form = Sending {
            api: submission.api(&api),
            engine: engine.clone(),
            done: done.clone(),
            texts: texts.clone(),
            jobs: use_jobs(),
        };
        let accept_in = (*also_accept)
            .then(|| mine.clone())
            .filter(|m| !m.is_empty());
        let images = image_ids.clone();
        let submission = submission.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if !can_send {
                return;
            }
            let (form, change, ctx) = (form.clone(), change.clone(), ctx.clone());
            let (accept_in, images) = (accept_in.clone(), images.clone());
            submission.run(async move {
                let started = form.engine.apply(&form.api, &[change], &ctx).await?;
                if let Some(projects) = accept_in {
                    form.jobs.dispatch(JobsAction::FollowUp(FollowUp {
                        after: started.clone(),
                        action: FollowUpAction::AcceptIn { images, projects },
                        owner: form.api.owner(),
                    }));
                }
                form.texts.clear();
                form.done
                    .set(Some(started_text(JobKind::Share, started.len())));
                Ok(())
            });
        })
    };
    let form_ref = use_node_ref();
    let on_retry = {
        let form = form_ref.clone();
        Callback::from(move |_| {
            if let Some(f) = form.cast::<web_sys::HtmlFormElement>() {
                let _ = f.request_submit();
            }
        })
    };
    let flagged: Vec<(&Image, &'static str)> = props
        .images
        .iter()
        .filter_map(|i| i.share_warning().map(|w| (i, w)))
        .collect();
    let calls_text = calls_text(&steps, api.calls(), api.config.concurrency);
    html! {
        <form class="panel" ref={form_ref} onsubmit={submit} aria-labelledby="share-heading">
            <h2 id="share-heading">{ format!("Share {} image(s)", props.images.len()) }</h2>
            if !flagged.is_empty() {
                <ul class="flags" aria-label="Images the service may refuse">
                    { for flagged.iter().map(|(i, w)| html! { <li><strong>{ i.display_name() }</strong>{ ": " }{ *w }</li> }) }
                </ul>
            }
            if !not_shared.is_empty() {
                <div class="field">
                    <label>
                        <input type="checkbox" checked={*make_shared} onchange={{ let m = make_shared.clone(); move |_| m.set(!*m) }} />
                        { format!(" Switch {} image(s) to visibility \"shared\" first (Glance adds members only to shared images): {}", not_shared.len(),
                            not_shared.iter().map(|i| i.display_name().to_string()).collect::<Vec<_>>().join(", ")) }
                    </label>
                </div>
            }
            { member_boxes(&texts, &kinds, &own, "share", "to share with", busy) }
            if !mine.is_empty() {
                <div class="field">
                    <label>
                        <input type="checkbox" checked={*also_accept} onchange={{ let a = also_accept.clone(); move |_| a.set(!*a) }} />
                        { format!(" Also accept in my {} project(s): {}", mine.len(), mine.iter().map(|p| p.1.as_str()).collect::<Vec<_>>().join(", ")) }
                    </label>
                    <p class="hint">{"Once the share job succeeds, a token for each of these projects (this session's, rescoped) accepts it there; the tokens are revoked after. Keep this tab open until then."}</p>
                </div>
            }
            if full_ecs_over {
                <p class="field-error">{ format!("A full-ECS image takes at most {FULL_ECS_MEMBER_LIMIT} members: the job will fail.") }</p>
            }
            // Yew matches unkeyed siblings from the end: a bare `{ for … }` that grows from 0 to 1
            // node would re-create the text area above it, losing the focus and what is being
            // typed. Inside a fragment it stays one node.
            <>{ quota.view() }</>
            <p class="preview" data-testid="share-preview">{ preview_members(props.images.len(), &counts) }{ ". " }{ calls_text }</p>
            if let Some(e) = submission.error() {
                { error_view(e, "Sharing failed", Some(on_retry)) }
            }
            if let Some(m) = &*done { <p class="success" role="status">{ m }</p> }
            <>{ submission.wait_view() }</>
            <div class="actions">
                <button type="submit" class="primary" disabled={!can_send}>{ if busy { "Sharing…" } else { "Share" } }</button>
                <button type="button" onclick={props.on_close.reform(|_| ())}>{"Close"}</button>
            </div>
        </form>
    }
}

/// What the form's submit needs, cloned once.
#[derive(Clone)]
struct Sending {
    api: Api,
    engine: Engine,
    done: UseStateHandle<Option<String>>,
    texts: MemberTexts,
    jobs: JobsHandle,
}

/// The member quota as IMS reports it (`image_member`), read once per session where the
/// cloud has quotas, with its wait shown.
struct MemberQuota {
    answer: UseStateHandle<Option<Result<QuotaAnswer, ApiError>>>,
    wait: Wait,
}

#[hook]
fn use_member_quota(api: &Api) -> MemberQuota {
    let answer = use_state(|| None::<Result<QuotaAnswer, ApiError>>);
    let wait = use_wait();
    {
        let (api, answer, wait) = (api.watched(&wait), answer.clone(), wait.clone());
        use_effect_with(api.token.clone(), move |_| {
            wait.start_operation();
            if api.has_quota() {
                wasm_bindgen_futures::spawn_local(async move {
                    answer.set(Some(api.read::<QuotaAnswer>(&quota::get()).await))
                });
            }
        });
    }
    MemberQuota { answer, wait }
}

impl MemberQuota {
    fn view(&self) -> Html {
        let line = match &*self.answer {
            Some(Ok(q)) => q.resource("image_member").map(|r| {
                let headroom = r.quota - r.used;
                html! { <p class="quota" data-testid="member-quota">{ format!("Member quota (image_member, as IMS reports it): up to {} members per image; your fullest image has {} ({} left).", r.quota, r.used, headroom) }</p> }
            }),
            Some(Err(e)) => Some(html! { <p class="hint">{ format!("The member quota could not be read: {}", e.user_message()) }</p> }),
            None => None,
        };
        html! { <>{ for line }{ wait_view(&self.wait) }</> }
    }
}
