//! "Add a member" on the image page. IMS: the batch call and its job (Huawei files the native
//! member writes as deprecated), then the member's record as the list gives it. Glance: the
//! native call and the record it answers.

use std::rc::Rc;

use ims_api::apply::{Change, Context, Target};
use ims_api::ids::{parse_ids, IdProblem};
use ims_api::jobs::{JobKind, JobState};
use ims_api::members::{Member, MemberKind};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::api::Api;
use crate::hooks::{use_api, use_submission, Submission};
use crate::jobs::{use_engine, use_job_end, Engine};
use crate::session::context::use_session;

#[derive(Properties, PartialEq)]
pub struct AddMemberProps {
    pub image_id: String,
    /// The members listed now: adding one of them again is said, not sent.
    pub members: Rc<Vec<Member>>,
    pub on_changed: Callback<()>,
}

/// What the form's handlers need, cloned once.
#[derive(Clone)]
struct Form {
    api: Api,
    engine: Engine,
    adding: Submission<String>,
    text: UseStateHandle<String>,
    added: UseStateHandle<Option<String>>,
    job: UseStateHandle<Option<(String, Target)>>,
    kind: UseStateHandle<MemberKind>,
    own_account: String,
    image: String,
    members: Rc<Vec<Member>>,
    on_changed: Callback<()>,
}

#[component]
pub fn AddMember(props: &AddMemberProps) -> Html {
    let api = use_api();
    let session = use_session();
    let own_account = session
        .info()
        .map(|i| i.domain_id.clone())
        .unwrap_or_default();
    let kinds = api.member_kinds();
    let adding = use_submission::<String>();
    let form = Form {
        api: adding.api(&api),
        engine: use_engine(),
        adding: adding.clone(),
        text: use_state(String::new),
        added: use_state(|| None::<String>),
        job: use_state(|| None::<(String, Target)>),
        kind: use_state(|| MemberKind::Project),
        own_account,
        image: props.image_id.clone(),
        members: props.members.clone(),
        on_changed: props.on_changed.clone(),
    };
    let kind = form.kind.clone();
    let ended = use_job_end(form.job.as_ref().map(|(id, _)| id.clone()));
    {
        let form = form.clone();
        use_effect_with(ended.map(|j| (j.state, j.failure_words())), move |end| {
            if let Some((state, words)) = end.clone() {
                form.job_ended(state, words);
            }
        });
    }
    let submit = {
        let form = form.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            form.submit();
        })
    };
    let on_kind = {
        let kind = kind.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            kind.set(
                MemberKind::ALL
                    .into_iter()
                    .find(|k| k.as_str() == v)
                    .unwrap_or_default(),
            );
        })
    };
    let busy = adding.busy() || form.job.is_some();
    html! {
        <form class="panel" onsubmit={submit} aria-labelledby="add-member-heading">
            <h2 id="add-member-heading">{"Add a member"}</h2>
            if kinds.len() > 1 {
                <div class="field">
                    <label for="add-member-kind">{"Kind of member"}</label>
                    <select id="add-member-kind" onchange={on_kind} disabled={busy}>
                        { for kinds.iter().map(|k| html! { <option value={k.as_str()} selected={*kind == *k}>{ k.id_label() }</option> }) }
                    </select>
                </div>
            }
            <div class="field">
                <label for="add-member">{ kind.id_label() }</label>
                <input id="add-member" value={(*form.text).clone()} spellcheck="false" aria-invalid={adding.error().is_some().to_string()} aria-describedby="add-member-error"
                    oninput={{ let t = form.text.clone(); move |e: InputEvent| t.set(e.target_unchecked_into::<HtmlInputElement>().value()) }} />
                if let Some(e) = adding.error() { <p class="field-error" id="add-member-error" role="alert">{ e }</p> }
            </div>
            <>{ adding.wait_view() }</>
            if form.job.is_some() { <p role="status">{"Share job started: waiting for it to end…"}</p> }
            <button type="submit" class="primary" disabled={busy}>{ if busy { "Adding…" } else { "Add member" } }</button>
            if let Some(m) = &*form.added {
                <div class="success" role="status" aria-label="Added member">{ m }</div>
            }
        </form>
    }
}

impl Form {
    /// Checks the member typed and sends it, unless a job for the last one is still running.
    fn submit(&self) {
        if self.job.is_some() {
            return;
        }
        let own = match *self.kind {
            MemberKind::Project => self.api.project_id.clone(),
            _ => self.own_account.clone(),
        };
        match checked(&self.api, *self.kind, &self.text, &own, &self.members) {
            Ok(target) => self.clone().send(self.image.clone(), target),
            Err(message) => self.adding.fail(message),
        }
    }

    /// The share job ended: its failure in words, or the member's record as the list gives it.
    fn job_ended(&self, state: JobState, words: Option<String>) {
        let Some((_, target)) = (*self.job).clone() else {
            return;
        };
        self.job.set(None);
        if state != JobState::Succeeded {
            self.adding
                .fail(words.unwrap_or_else(|| "The share job failed.".into()));
            return;
        }
        self.text.set(String::new());
        self.on_changed.emit(());
        let form = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let listed = form
                .api
                .members(&form.image, None)
                .await
                .unwrap_or_default();
            form.added.set(Some(
                match listed.iter().find(|m| m.target_id() == target.id) {
                    Some(m) => record(m),
                    None => format!(
                        "The share job succeeded, but {} is not listed as a member yet.",
                        target.id
                    ),
                },
            ));
        });
    }

    /// IMS: the batch call, then the job is followed; Glance: the native call's record.
    fn send(self, image: String, target: Target) {
        let form = self.clone();
        self.adding.run(async move {
            form.added.set(None);
            if form.api.member_writes_are_jobs() {
                let change = Change::every(JobKind::Share, &[image], std::slice::from_ref(&target));
                let started = form
                    .engine
                    .apply(&form.api, &[change], &Context::default())
                    .await
                    .map_err(|e| e.user_message())?;
                if let Some(job) = started.into_iter().next() {
                    form.job.set(Some((job, target)));
                }
                return Ok(());
            }
            let m = form
                .api
                .add_member(&image, &target.id)
                .await
                .map_err(|e| e.user_message())?;
            form.added.set(Some(record(&m)));
            form.text.set(String::new());
            Ok(())
        });
    }
}

/// The one member typed, checked as the service would check it.
fn checked(
    api: &Api,
    kind: MemberKind,
    text: &str,
    own: &str,
    members: &[Member],
) -> Result<Target, String> {
    let typed = text.trim();
    if typed.is_empty() {
        return Err(format!("Enter {}.", kind.an_id()));
    }
    let tokens = parse_ids(kind, typed, Some(own));
    let problem = match tokens.as_slice() {
        [one] => one.problem.clone(),
        _ => return Err(format!("Enter one {}, not several.", kind.id_noun())),
    };
    let id = match kind {
        MemberKind::Organization => typed.to_string(),
        _ => typed.to_ascii_lowercase(),
    };
    match problem {
        // Glance takes any member ID Keystone may issue; IMS checks the shape.
        Some(IdProblem::Malformed { .. }) if !api.checks_member_ids() => {}
        Some(IdProblem::Malformed { .. }) => return Err(shape(kind).into()),
        Some(IdProblem::OwnProject) => return Err(ims_api::error::own_project_sentence()),
        Some(p) => return Err(p.message()),
        None => {}
    }
    if let Some(m) = members
        .iter()
        .find(|m| m.target_id() == id)
        .filter(|_| api.member_writes_are_jobs())
    {
        return Err(format!("{id} is already a member (status {}).", m.status));
    }
    Ok(Target { kind, id })
}

fn shape(kind: MemberKind) -> &'static str {
    match kind {
        MemberKind::Project => "Enter one project ID: 32 hex characters.",
        MemberKind::Domain => "Enter one account ID: 32 hex characters.",
        MemberKind::Organization => "Enter one organization URN: organizations::<account ID>:organization:o-<org> or organizations::<account ID>:ou:o-<org>/ou-<ou>.",
    }
}

fn record(m: &Member) -> String {
    format!(
        "Added {}: status {}, created {}",
        m.target_id(),
        m.status,
        m.created_at.clone().unwrap_or_default()
    )
}
