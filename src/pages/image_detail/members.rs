//! The image's members with their kind, status and dates, and removing some of them. IMS:
//! the batch call and its job; Glance: one native call each, then the list is read again, so
//! the page never claims a removal that did not happen.

use std::collections::HashSet;
use std::rc::Rc;

use ims_api::apply::{Change, Context, Target};
use ims_api::jobs::{JobKind, JobState};
use ims_api::members::{self, Member, MemberKind};
use yew::prelude::*;

use crate::api::Api;
use crate::components::ConfirmDialog;
use crate::hooks::{use_api, use_submission, Submission};
use crate::jobs::{use_engine, use_job_end, Engine};
use crate::names::{project_label, use_names};

#[derive(Properties, PartialEq)]
pub struct MembersProps {
    pub image_id: String,
    pub list: Rc<Vec<Member>>,
    pub on_changed: Callback<()>,
    /// The members chosen for removal, kept by the page so that a reload of the list (after
    /// signing in again, say) keeps them.
    pub selected: UseStateHandle<HashSet<String>>,
}

/// What the removal needs, cloned once.
#[derive(Clone)]
struct Removal {
    api: Api,
    engine: Engine,
    removing: Submission<String>,
    selected: UseStateHandle<HashSet<String>>,
    confirming: UseStateHandle<bool>,
    job: UseStateHandle<Option<String>>,
    image: String,
    list: Rc<Vec<Member>>,
    on_changed: Callback<()>,
}

#[component]
pub fn Members(props: &MembersProps) -> Html {
    let api = use_api();
    let names = use_names();
    let removing = use_submission::<String>();
    let form = Removal {
        api: removing.api(&api),
        engine: use_engine(),
        removing: removing.clone(),
        selected: props.selected.clone(),
        confirming: use_state(|| false),
        job: use_state(|| None::<String>),
        image: props.image_id.clone(),
        list: props.list.clone(),
        on_changed: props.on_changed.clone(),
    };
    let ended = use_job_end((*form.job).clone());
    {
        let form = form.clone();
        use_effect_with(ended.map(|j| (j.state, j.failure_words())), move |end| {
            let Some((state, words)) = end.clone() else {
                return;
            };
            form.job.set(None);
            form.on_changed.emit(());
            if state == JobState::Succeeded {
                form.selected.set(HashSet::new());
            } else {
                form.removing
                    .fail(words.unwrap_or_else(|| "the stop-sharing job failed".into()));
            }
        });
    }
    let remove = {
        let form = form.clone();
        Callback::from(move |_| form.remove_selected())
    };
    let busy = removing.busy() || form.job.is_some();
    // A cloud of projects only (Glance, OTC) keeps the table it always had.
    let show_kind = api.member_kinds().len() > 1
        || props
            .list
            .iter()
            .any(|m| m.kind() != Some(MemberKind::Project));
    let rows = props.list.iter().map(|m| {
        let id = m.target_id().to_string();
        let toggle = {
            let (selected, id) = (form.selected.clone(), id.clone());
            Callback::from(move |_| {
                let mut s = (*selected).clone();
                if !s.remove(&id) {
                    s.insert(id.clone());
                }
                selected.set(s);
            })
        };
        html! {
            <tr key={id.clone()}>
                <td><input type="checkbox" checked={form.selected.contains(&id)} onchange={toggle} aria-label={format!("Select member {id}")} /></td>
                <td>{ project_label(&names.known, &id) }</td>
                if show_kind {
                    <td>{ m.kind().map_or_else(|| m.member_type.clone().unwrap_or_default(), |k| k.word().to_string()) }</td>
                }
                <td><span class={format!("status status-{}", m.status)}>{ m.status.as_str() }</span></td>
                <td>{ m.created_at.clone().unwrap_or_default() }</td>
                <td>{ m.updated_at.clone().unwrap_or_default() }</td>
            </tr>
        }
    });
    let on_cancel = {
        let c = form.confirming.clone();
        Callback::from(move |_| c.set(false))
    };
    html! {
        <>
            if props.list.is_empty() {
                <p>{ if show_kind { "Not shared with anyone." } else { "Not shared with any project." } }</p>
            } else {
                <table aria-label="Members">
                    <thead><tr><th scope="col"><span class="visually-hidden">{"Selected"}</span></th><th scope="col">{ if show_kind { "Member" } else { "Project" } }</th>
                        if show_kind { <th scope="col">{"Kind"}</th> }<th scope="col">{"Status"}</th><th scope="col">{"Added"}</th><th scope="col">{"Updated"}</th></tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            }
            <div class="toolbar">
                <button type="button" class="danger" disabled={form.selected.is_empty() || busy} onclick={{ let c = form.confirming.clone(); move |_| c.set(true) }}>{ format!("Remove {} selected member(s)…", form.selected.len()) }</button>
                <button type="button" onclick={props.on_changed.reform(|_| ())}>{"Refresh"}</button>
            </div>
            <>{ removing.wait_view() }</>
            if form.job.is_some() { <p role="status">{"Stop-sharing job started: waiting for it to end…"}</p> }
            if let Some(e) = removing.error() { <p class="error" role="alert">{ format!("Some members were not removed: {e}") }</p> }
            if *form.confirming {
                <ConfirmDialog title="Remove members?" confirm_label="Remove" busy={busy} on_confirm={remove} {on_cancel}>
                    <p>{ format!("These members will lose access to {}:", props.image_id) }</p>
                    <ul>{ for form.selected.iter().map(|p| html! { <li><code>{ p }</code></li> }) }</ul>
                </ConfirmDialog>
            }
        </>
    }
}

impl Removal {
    /// Removes the members ticked in the list.
    fn remove_selected(&self) {
        let targets: Vec<Target> = self
            .list
            .iter()
            .filter(|m| self.selected.contains(m.target_id()))
            .map(|m| Target {
                kind: m.kind().unwrap_or_default(),
                id: m.target_id().to_string(),
            })
            .collect();
        let form = self.clone();
        self.removing.run(async move {
            let result = form.remove(&form.image, targets).await;
            form.confirming.set(false);
            form.on_changed.emit(());
            result
        });
    }

    async fn remove(&self, image: &str, targets: Vec<Target>) -> Result<(), String> {
        if self.api.member_writes_are_jobs() {
            let change = Change::every(JobKind::StopSharing, &[image.to_string()], &targets);
            let started = self
                .engine
                .apply(&self.api, &[change], &Context::default())
                .await
                .map_err(|e| e.user_message())?;
            self.job.set(started.into_iter().next());
            return Ok(());
        }
        let mut failures = Vec::new();
        let mut left: HashSet<String> = targets.iter().map(|t| t.id.clone()).collect();
        for t in &targets {
            match self.api.send(&members::remove(image, &t.id)).await {
                Ok(_) => {
                    left.remove(&t.id);
                }
                Err(e) => failures.push(format!("{}: {}", t.id, e.user_message())),
            }
        }
        // Trust, then verify: a member the service said it removed but still lists is named.
        if let Ok(list) = self.api.members(image, None).await {
            let claimed: Vec<&Target> = targets.iter().filter(|t| !left.contains(&t.id)).collect();
            for t in claimed {
                if list.iter().any(|m| m.member_id == t.id) {
                    failures.push(format!(
                        "{}: the service answered as if removed, but it is still a member",
                        t.id
                    ));
                    left.insert(t.id.clone());
                }
            }
        }
        self.selected.set(left);
        if failures.is_empty() {
            Ok(())
        } else {
            Err(failures.join("; "))
        }
    }
}
