//! Answers to several images at once (a selection, all pending, or typed IDs), through the
//! engine: the vault check for full-ECS images, one at a time, and the failure in words for
//! this project with a retry of exactly what failed.

use std::collections::HashSet;

use ims_api::apply::{started_text, Change, Context, Target};
use ims_api::ids::is_image_id;
use ims_api::images::Image;
use ims_api::jobs::JobKind;
use ims_api::members::MemberStatus;
use ims_api::ApiError;
use yew::prelude::*;

use super::{explain, VAULT_NEEDED};
use crate::api::Api;
use crate::hooks::Submission;
use crate::jobs::Engine;

/// The page's handles an answer touches, cloned once.
#[derive(Clone)]
pub struct Inbox {
    pub api: Api,
    pub engine: Engine,
    pub answering: Submission<String>,
    pub done: UseStateHandle<Option<String>>,
    pub vault: UseStateHandle<String>,
    pub vault_error: UseStateHandle<Option<String>>,
    pub selected: UseStateHandle<HashSet<String>>,
    pub by_id_error: UseStateHandle<Option<String>>,
    pub project_name: String,
}

pub struct BatchAnswer {
    /// (image IDs, the answer, typed by ID): typed IDs are first checked to be shared here.
    pub run: Callback<(Vec<String>, MemberStatus, bool)>,
    /// Sends again the answer that failed last.
    pub retry_last: Callback<MouseEvent>,
    pub can_retry: bool,
    /// The answer that failed last; a one-image answer from a row forgets it.
    pub last_failed: UseStateHandle<Option<(Vec<String>, MemberStatus)>>,
}

impl BatchAnswer {
    /// "Accept these" / "Reject these" for typed image IDs: each checked as a UUID where it
    /// is typed, then sent as one batch answer.
    pub fn by_id(
        &self,
        text: &UseStateHandle<String>,
        error: &UseStateHandle<Option<String>>,
        status: MemberStatus,
    ) -> Callback<MouseEvent> {
        let (text, error, run) = (text.clone(), error.clone(), self.run.clone());
        Callback::from(move |_| {
            let ids: Vec<String> = text
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|s| !s.is_empty())
                .map(str::to_lowercase)
                .collect();
            if ids.is_empty() {
                error.set(Some("Enter one or more image IDs.".into()));
                return;
            }
            if let Some(bad) = ids.iter().find(|i| !is_image_id(i)) {
                error.set(Some(format!("{bad} is not an image ID (a UUID such as d164b5df-1bc3-4c3f-893e-3e471fd16e64).")));
                return;
            }
            run.emit((ids, status.clone(), true));
        })
    }
}

#[hook]
pub fn use_batch_answer(inbox: &Inbox, images: &[Image]) -> BatchAnswer {
    // The batch answer that failed last, so its error can offer to send it again.
    let last_failed = use_state(|| None::<(Vec<String>, MemberStatus)>);
    // One entry point for every batch answer: the vault check, one at a time, errors. Answers
    // by typed ID first check that the images are shared with this project.
    let run = {
        let batch = Batch {
            inbox: inbox.clone(),
            last_failed: last_failed.clone(),
            all: images.to_vec(),
        };
        Callback::from(
            move |(ids, status, typed): (Vec<String>, MemberStatus, bool)| {
                batch.run(ids, status, typed)
            },
        )
    };
    let retry_last = {
        let (run, last_failed) = (run.clone(), last_failed.clone());
        Callback::from(move |_| {
            if let Some((ids, status)) = (*last_failed).clone() {
                run.emit((ids, status, false));
            }
        })
    };
    BatchAnswer {
        run,
        retry_last,
        can_retry: last_failed.is_some(),
        last_failed,
    }
}

/// What a batch answer needs, cloned once into its callback.
#[derive(Clone)]
struct Batch {
    inbox: Inbox,
    last_failed: UseStateHandle<Option<(Vec<String>, MemberStatus)>>,
    all: Vec<Image>,
}

impl Batch {
    fn run(&self, ids: Vec<String>, status: MemberStatus, typed: bool) {
        let inbox = &self.inbox;
        let full_ecs = inbox.api.full_ecs_needs_vault()
            && self
                .all
                .iter()
                .any(|i| ids.contains(&i.id) && i.is_full_ecs());
        if status == MemberStatus::Accepted && full_ecs && inbox.vault.trim().is_empty() {
            inbox.vault_error.set(Some(VAULT_NEEDED.into()));
            return;
        }
        inbox.vault_error.set(None);
        if ids.is_empty() {
            return;
        }
        let vault =
            (status == MemberStatus::Accepted && full_ecs).then(|| inbox.vault.trim().to_string());
        let me = self.clone();
        let started = inbox
            .answering
            .run(async move { me.send(ids, status, typed, vault).await });
        if started {
            inbox.done.set(None);
            self.last_failed.set(None);
        }
    }

    /// Typed IDs are first checked to be shared with this project.
    async fn send(
        self,
        ids: Vec<String>,
        status: MemberStatus,
        typed: bool,
        vault: Option<String>,
    ) -> Result<(), String> {
        let inbox = &self.inbox;
        let api = inbox.answering.api(&inbox.api);
        if typed {
            let checked = shared_with_this_project(&api, &ids, &inbox.project_name).await;
            inbox.by_id_error.set(checked.clone().err());
            if checked.is_err() {
                return Ok(());
            }
        }
        match answer(&api, &inbox.engine, ids.clone(), status.clone(), vault).await {
            Ok(m) => {
                inbox.done.set(Some(m));
                inbox.selected.set(HashSet::new());
                Ok(())
            }
            Err(e) => {
                self.last_failed.set(Some((ids, status)));
                Err(explain(&e, &inbox.project_name))
            }
        }
    }
}

/// Says plainly which typed images are not shared with this project, before answering.
async fn shared_with_this_project(
    api: &Api,
    ids: &[String],
    project_name: &str,
) -> Result<(), String> {
    let own = api.project_id.clone();
    let mut missing = Vec::new();
    for id in ids {
        if let Err(e) = api.send(&ims_api::members::get(id, &own)).await {
            if e.status() == Some(404) || e.status() == Some(403) {
                missing.push(id.clone());
            } else {
                return Err(e.user_message());
            }
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "Not shared with {project_name}, the project you are signed in to: {}. If it was shared with another of your projects, switch to that project first.",
            missing.join(", ")
        ))
    }
}

/// Accepts or rejects `images` as the signed-in project, through the engine.
async fn answer(
    api: &Api,
    engine: &Engine,
    images: Vec<String>,
    status: MemberStatus,
    vault: Option<String>,
) -> Result<String, ApiError> {
    let kind = if status == MemberStatus::Accepted {
        JobKind::Accept
    } else {
        JobKind::Reject
    };
    let change = Change::every(kind, &images, &[Target::project(&api.project_id)]);
    let ctx = Context {
        vault_id: vault,
        ..Context::default()
    };
    let started = engine.apply(api, &[change], &ctx).await?;
    Ok(started_text(kind, started.len()))
}
