//! Stop sharing the selected images with chosen members, after a confirmation that names
//! what will stop.

use ims_api::apply::{started_text, Change, Context};
use ims_api::batch::preview_members;
use ims_api::images::Image;
use ims_api::jobs::JobKind;
use ims_api::ApiError;
use yew::prelude::*;

use crate::api::Api;
use crate::components::{error_view, ConfirmDialog};
use crate::hooks::{use_api, use_submission};
use crate::jobs::{use_engine, Engine};

use super::member_boxes::{member_boxes, use_member_kinds, MemberTexts, Typed};

#[derive(Properties, PartialEq)]
pub struct StopFormProps {
    pub images: Vec<Image>,
    pub on_close: Callback<()>,
    /// The typed IDs, owned by the page so they survive this form being closed or remounted.
    pub texts: MemberTexts,
}

#[component]
pub fn StopForm(props: &StopFormProps) -> Html {
    let api = use_api();
    let engine = use_engine();
    let texts = props.texts.clone();
    let (kinds, own) = use_member_kinds(&api);
    let confirming = use_state(|| false);
    let submission = use_submission::<ApiError>();
    let done = use_state(|| None::<String>);
    let Typed {
        targets: members,
        blocked,
        counts,
    } = texts.typed(&kinds, &own);
    let ready = !members.is_empty() && !blocked;
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
            texts: texts.clone(),
        };
        let images: Vec<String> = props.images.iter().map(|i| i.id.clone()).collect();
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
                form.texts.clear();
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
            { member_boxes(&texts, &kinds, &own, "stop", "to stop sharing with", busy) }
            <p class="preview">{ preview_members(props.images.len(), &counts) }</p>
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
                    <p>{ format!("These {} member(s) will lose access to these {} image(s):", members.len(), names.len()) }</p>
                    <p><strong>{"Images: "}</strong>{ names.join(", ") }</p>
                    <p><strong>{"Members: "}</strong><code>{ members.iter().map(|t| t.id.as_str()).collect::<Vec<_>>().join(", ") }</code></p>
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
    texts: MemberTexts,
}
