//! Shared with me: the images other projects shared with the signed-in project, by member
//! status; accept or reject in batches (IMS jobs) or one at a time (native calls, also the
//! whole Glance flavor), and move a rejected image back.

use std::collections::HashSet;

use ims_api::images::{Image, ListScope};
use ims_api::members::MemberStatus;
use ims_api::ApiError;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::components::error_view;
use crate::hooks::{use_api, use_image_list, use_submission, wait_view};
use crate::jobs::{use_engine, use_jobs};
use crate::names::{project_label, use_names};

mod batch;
pub mod replicate;
mod single;
use batch::{use_batch_answer, Inbox};
use replicate::ReplicateForm;
use single::use_single_answer;

const TABS: [(MemberStatus, &str); 3] = [
    (MemberStatus::Pending, "Pending"),
    (MemberStatus::Accepted, "Accepted"),
    (MemberStatus::Rejected, "Rejected"),
];

/// The plain words for a refusal that comes from acting in the wrong project.
fn explain(e: &ApiError, project_name: &str) -> String {
    if e.status() == Some(403) {
        format!(
            "Only the project an image was shared with can accept or reject it, with a token of that project. You are signed in to {project_name}. \
             Switch to the recipient project (header, Switch project) and try again. ({})",
            e.user_message()
        )
    } else {
        e.user_message()
    }
}

const VAULT_NEEDED: &str = "A full-ECS image is accepted into a CBR vault: enter the vault ID.";

#[component]
pub fn SharedWithMe() -> Html {
    let api = use_api();
    let names = use_names();
    let jobs = use_jobs();
    let engine = use_engine();
    let tab = use_state(|| MemberStatus::Pending);
    let scope = api.token.as_ref().map(|_| ListScope::SharedWithMe {
        member_status: (*tab).clone(),
    });
    let (list, reload, list_wait) = use_image_list(&api, scope, jobs.ended);
    let selected = use_state(HashSet::<String>::new);
    let vault = use_state(String::new);
    let vault_error = use_state(|| None::<String>);
    // Every answer, batch or single: one at a time, its failure in words for this project.
    let answering = use_submission::<String>();
    let busy = answering.busy();
    let done = use_state(|| None::<String>);
    let by_id = use_state(String::new);
    let by_id_error = use_state(|| None::<String>);
    let own = api.project_id.clone();
    let project_name = use_context::<crate::session::SessionHandle>()
        .and_then(|s| s.info().map(|i| i.project.name.clone()))
        .unwrap_or_default();
    let images: Vec<Image> = list
        .images
        .iter()
        .filter(|i| i.owner.as_deref() != Some(own.as_str()))
        .cloned()
        .collect();
    let chosen: Vec<Image> = images
        .iter()
        .filter(|i| selected.contains(&i.id))
        .cloned()
        .collect();
    let needs_vault = api.full_ecs_needs_vault() && chosen.iter().any(Image::is_full_ecs);

    let batch = use_batch_answer(
        &Inbox {
            api: api.clone(),
            engine: engine.clone(),
            answering: answering.clone(),
            done: done.clone(),
            vault: vault.clone(),
            vault_error: vault_error.clone(),
            selected: selected.clone(),
            by_id_error: by_id_error.clone(),
            project_name: project_name.clone(),
        },
        &images,
    );
    let (run, retry_last) = (batch.run.clone(), batch.retry_last.clone());
    let selected_ids: Vec<String> = chosen.iter().map(|i| i.id.clone()).collect();
    let all_ids: Vec<String> = images.iter().map(|i| i.id.clone()).collect();
    let bulk = |ids: Vec<String>, status: MemberStatus| {
        let run = run.clone();
        Callback::from(move |_| run.emit((ids.clone(), status.clone(), false)))
    };
    // One image from its row: accept, reject, or (Glance) back to pending.
    let answer = use_single_answer(&api, &answering, &done, &reload, &project_name);
    let busy = busy || answer.waiting();
    let single = answer.for_rows(&vault, &vault_error, &batch.last_failed);
    let answer_by_id = |status: MemberStatus| batch.by_id(&by_id, &by_id_error, status);
    // Replicas (IMS): the images whose copies are being asked for.
    let replicating = use_state(|| None::<Vec<Image>>);
    let can_replicate = api.can_replicate() && *tab == MemberStatus::Accepted;
    let replicate = |chosen: Vec<Image>| {
        let replicating = replicating.clone();
        Callback::from(move |_| replicating.set(Some(chosen.clone())))
    };
    let row = Row {
        tab: (*tab).clone(),
        busy,
        back_to_pending: api.has_back_to_pending(),
        replicate_into: can_replicate.then(|| project_name.clone()),
        answer: single.clone(),
        replicate: {
            let replicating = replicating.clone();
            Callback::from(move |img: Image| replicating.set(Some(vec![img])))
        },
        toggle: {
            let selected = selected.clone();
            Callback::from(move |id: String| {
                let mut s = (*selected).clone();
                if !s.remove(&id) {
                    s.insert(id);
                }
                selected.set(s);
            })
        },
    };
    let rows = images
        .iter()
        .map(|img| row.view(img, selected.contains(&img.id), &names.known));
    html! {
        <section aria-labelledby="shared-heading">
            <h1 id="shared-heading">{"Shared with me"}</h1>
            <div role="tablist" aria-label="Member status" class="tabs">
                { for TABS.iter().map(|(key, label)| {
                    let (tab, selected) = (tab.clone(), selected.clone());
                    let selected_now = *tab == *key;
                    let key = key.clone();
                    html! { <button type="button" role="tab" aria-selected={selected_now.to_string()} onclick={move |_| { tab.set(key.clone()); selected.set(HashSet::new()); }}>{ *label }</button> }
                }) }
            </div>
            <div role="tabpanel" aria-label={format!("{} images", tab.as_str())}>
                if let Some(e) = &list.error { { error_view(e, "Listing failed", Some(reload.clone())) } }
                <div class="toolbar">
                    <button type="button" class="primary" disabled={chosen.is_empty() || busy || *tab == MemberStatus::Accepted} onclick={bulk(selected_ids.clone(), MemberStatus::Accepted)}>{ format!("Accept {} selected", chosen.len()) }</button>
                    <button type="button" disabled={chosen.is_empty() || busy || *tab == MemberStatus::Rejected} onclick={bulk(selected_ids.clone(), MemberStatus::Rejected)}>{ format!("Reject {} selected", chosen.len()) }</button>
                    if *tab == MemberStatus::Pending {
                        <button type="button" disabled={images.is_empty() || busy} onclick={bulk(all_ids.clone(), MemberStatus::Accepted)}>{ format!("Accept all {} pending", images.len()) }</button>
                    }
                    if can_replicate {
                        <button type="button" disabled={chosen.is_empty()} onclick={replicate(chosen.clone())}>{ format!("Replicate {} selected into {project_name}…", chosen.len()) }</button>
                    }
                    <span class="count" role="status">{ if list.loading { "Loading…".to_string() } else { format!("{} image(s)", images.len()) } }</span>
                    <>{ wait_view(&list_wait) }</>
                </div>
                if *tab == MemberStatus::Accepted && !api.can_replicate() {
                    <p class="hint">{"Replicas are an IMS call (a copy job); plain Glance has none: download the image and upload it to this project to keep a copy."}</p>
                }
                if let Some(chosen) = &*replicating {
                    <ReplicateForm key={chosen.iter().map(|i| i.id.as_str()).collect::<Vec<_>>().join(",")} images={chosen.clone()} on_close={{ let r = replicating.clone(); Callback::from(move |_| r.set(None)) }} />
                }
                if needs_vault || vault_error.is_some() { { vault_field(&vault, &vault_error) } }
                <>{ answering.wait_view() }</>
                if let Some(e) = answering.error() {
                    <p class="error" role="alert">{ e }
                        if batch.can_retry { {" "}<button type="button" onclick={retry_last.clone()} disabled={busy}>{"Retry"}</button> }
                    </p>
                }
                if let Some(m) = &*done { <p class="success" role="status">{ m }</p> }
                <table aria-label="Images shared with this project">
                    <thead><tr>
                        <th scope="col"><span class="visually-hidden">{"Selected"}</span></th><th scope="col">{"Name"}</th><th scope="col">{"ID"}</th>
                        <th scope="col">{"Owner project"}</th><th scope="col">{"OS"}</th><th scope="col">{"Actions"}</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
                if images.is_empty() && !list.loading { <p>{ format!("No {} images.", tab.as_str()) }</p> }
                if *tab != MemberStatus::Pending && !api.has_back_to_pending() && !images.is_empty() {
                    <p class="hint">{"IMS takes accepted or rejected only: to use a rejected image, accept it."}</p>
                }
            </div>
            { by_id_panel(&by_id, &by_id_error, busy, [answer_by_id(MemberStatus::Accepted), answer_by_id(MemberStatus::Rejected)]) }
        </section>
    }
}

/// One image's row: what it needs from the page, cloned once.
struct Row {
    tab: MemberStatus,
    busy: bool,
    back_to_pending: bool,
    /// The project a replica goes to, where the cloud has replicas and on the Accepted tab.
    replicate_into: Option<String>,
    answer: Callback<(Image, MemberStatus)>,
    replicate: Callback<Image>,
    toggle: Callback<String>,
}

impl Row {
    fn view(
        &self,
        img: &Image,
        selected: bool,
        known: &std::collections::HashMap<String, String>,
    ) -> Html {
        let name = img.display_name().to_string();
        let answer = |status: MemberStatus| {
            let (answer, img) = (self.answer.clone(), img.clone());
            Callback::from(move |_| answer.emit((img.clone(), status.clone())))
        };
        let (toggle, id) = (self.toggle.clone(), img.id.clone());
        let (replicate, copy) = (self.replicate.clone(), img.clone());
        let busy = self.busy;
        html! {
            <tr key={img.id.clone()}>
                <td><input type="checkbox" checked={selected} onchange={move |_| toggle.emit(id.clone())} aria-label={format!("Select {name}")} /></td>
                <td>{ &name }{ for img.is_full_ecs().then(|| html! { <span class="mark mark-ecs">{"Full-ECS"}</span> }) }</td>
                <td><code class="id">{ &img.id }</code></td>
                <td>{ project_label(known, img.owner.as_deref().unwrap_or_default()) }</td>
                <td>{ img.os() }</td>
                <td class="row-actions">
                    if self.tab != MemberStatus::Accepted { <button type="button" onclick={answer(MemberStatus::Accepted)} disabled={busy} aria-label={format!("Accept {name}")}>{"Accept"}</button> }
                    if self.tab != MemberStatus::Rejected { <button type="button" onclick={answer(MemberStatus::Rejected)} disabled={busy} aria-label={format!("Reject {name}")}>{"Reject"}</button> }
                    if self.tab != MemberStatus::Pending && self.back_to_pending { <button type="button" onclick={answer(MemberStatus::Pending)} disabled={busy} aria-label={format!("Move {name} back to pending")}>{"Back to pending"}</button> }
                    if let Some(project) = &self.replicate_into { <button type="button" onclick={move |_| replicate.emit(copy.clone())} aria-label={format!("Replicate {name} into {project}")}>{"Replicate"}</button> }
                </td>
            </tr>
        }
    }
}

/// The CBR vault a full-ECS image's backups go to when it is accepted.
fn vault_field(vault: &UseStateHandle<String>, error: &UseStateHandle<Option<String>>) -> Html {
    let v = vault.clone();
    html! {
        <div class="field">
            <label for="vault-id">{"CBR vault ID for full-ECS images"}</label>
            <input id="vault-id" value={(**vault).clone()} aria-invalid={error.is_some().to_string()} aria-describedby="vault-help"
                oninput={move |e: InputEvent| v.set(e.target_unchecked_into::<HtmlInputElement>().value())} />
            <p class="hint" id="vault-help">{"A full-ECS image carries backups: accepting it stores them in one of your Cloud Backup and Recovery vaults, so IMS needs the vault's ID."}</p>
            if let Some(e) = &**error { <p class="field-error" role="alert">{ e }</p> }
        </div>
    }
}

/// "Answer by image ID": IDs typed or pasted, accepted or rejected together.
fn by_id_panel(
    text: &UseStateHandle<String>,
    error: &UseStateHandle<Option<String>>,
    busy: bool,
    [accept, reject]: [Callback<MouseEvent>; 2],
) -> Html {
    let t = text.clone();
    html! {
        <details class="panel">
            <summary>{"Answer by image ID"}</summary>
            <div class="field">
                <label for="answer-ids">{"Image IDs"}</label>
                <textarea id="answer-ids" rows="2" value={(**text).clone()} aria-invalid={error.is_some().to_string()}
                    oninput={move |e: InputEvent| t.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())} />
                if let Some(e) = &**error { <p class="field-error" role="alert">{ e }</p> }
            </div>
            <button type="button" disabled={busy} onclick={accept}>{"Accept these"}</button>
            <button type="button" disabled={busy} onclick={reject}>{"Reject these"}</button>
        </details>
    }
}
