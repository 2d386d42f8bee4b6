//! One image answered from its row. IMS: the batch call and its job, followed until it ends
//! (Huawei files the native member writes as deprecated, and has no way back to pending);
//! Glance: the native call.

use ims_api::apply::{Change, Context, Target};
use ims_api::images::Image;
use ims_api::jobs::{JobKind, JobState};
use ims_api::members::{self, MemberStatus};
use yew::prelude::*;

use super::explain;
use crate::api::Api;
use crate::hooks::Submission;
use crate::jobs::{use_engine, use_job_end, use_jobs, Engine, JobsAction, JobsHandle};

/// An answer whose job is still running: the image's name and the status asked for.
type Running = (String, String, MemberStatus);

/// What a row's answer needs, cloned once.
#[derive(Clone)]
pub struct SingleAnswer {
    api: Api,
    engine: Engine,
    jobs: JobsHandle,
    answering: Submission<String>,
    done: UseStateHandle<Option<String>>,
    reload: Callback<()>,
    project_name: String,
    running: UseStateHandle<Option<Running>>,
}

impl SingleAnswer {
    /// Whether a row's answer is still waiting for its job.
    pub fn waiting(&self) -> bool {
        self.running.is_some()
    }

    /// Sends `status` for `img`; `vault` for an accepted full-ECS image.
    pub fn send(&self, img: Image, status: MemberStatus, vault: Option<String>) {
        let me = self.clone();
        self.answering.run(async move {
            let own = me.api.project_id.clone();
            let name = img.display_name().to_string();
            let kind = match &status {
                MemberStatus::Accepted => JobKind::Accept,
                MemberStatus::Rejected => JobKind::Reject,
                // IMS has no way back to pending: the row does not offer it there.
                MemberStatus::Pending => {
                    me.api
                        .send(&members::set_status(&img.id, &own, status.clone(), None))
                        .await
                        .map_err(|e| explain(&e, &me.project_name))?;
                    me.answered(&name, status);
                    return Ok(());
                }
                MemberStatus::Other(s) => return Err(format!("{s} is no answer to a share.")),
            };
            if !me.api.member_writes_are_jobs() {
                me.api
                    .send(&members::set_status(
                        &img.id,
                        &own,
                        status.clone(),
                        vault.as_deref(),
                    ))
                    .await
                    .map_err(|e| explain(&e, &me.project_name))?;
                me.answered(&name, status);
                return Ok(());
            }
            let change =
                Change::every(kind, std::slice::from_ref(&img.id), &[Target::project(own)]);
            let ctx = Context {
                vault_id: vault,
                ..Context::default()
            };
            let started = me
                .engine
                .apply(&me.api, &[change], &ctx)
                .await
                .map_err(|e| explain(&e, &me.project_name))?;
            if let Some(job) = started.into_iter().next() {
                me.running.set(Some((job, name, status)));
            }
            Ok(())
        });
    }

    /// The rows' answer: the vault asked for an accepted full-ECS image where the cloud needs
    /// it, and a batch retry forgotten (the row's own button sends its answer again).
    pub fn for_rows(
        &self,
        vault: &UseStateHandle<String>,
        vault_error: &UseStateHandle<Option<String>>,
        last_failed: &UseStateHandle<Option<(Vec<String>, MemberStatus)>>,
    ) -> Callback<(Image, MemberStatus)> {
        let rows = RowAnswer {
            me: self.clone(),
            vault: vault.clone(),
            vault_error: vault_error.clone(),
            last_failed: last_failed.clone(),
        };
        Callback::from(move |(img, status): (Image, MemberStatus)| rows.answer(img, status))
    }

    fn answered(&self, name: &str, status: MemberStatus) {
        self.done
            .set(Some(format!("{name} is now {}.", status.as_str())));
        self.reload.emit(());
        self.jobs.dispatch(JobsAction::InboxChanged);
    }
}

/// A row's answer with the page's vault field and its batch retry, cloned once.
struct RowAnswer {
    me: SingleAnswer,
    vault: UseStateHandle<String>,
    vault_error: UseStateHandle<Option<String>>,
    last_failed: UseStateHandle<Option<(Vec<String>, MemberStatus)>>,
}

impl RowAnswer {
    fn answer(&self, img: Image, status: MemberStatus) {
        let full_ecs_accept = status == MemberStatus::Accepted && img.is_full_ecs();
        if self.me.waiting() {
            return;
        }
        let vault = self.vault.trim();
        if full_ecs_accept && self.me.api.full_ecs_needs_vault() && vault.is_empty() {
            self.vault_error.set(Some(super::VAULT_NEEDED.into()));
            return;
        }
        self.last_failed.set(None);
        self.me
            .send(img, status, full_ecs_accept.then(|| vault.to_string()));
    }
}

#[hook]
pub fn use_single_answer(
    api: &Api,
    answering: &Submission<String>,
    done: &UseStateHandle<Option<String>>,
    reload: &Callback<()>,
    project_name: &str,
) -> SingleAnswer {
    let single = SingleAnswer {
        api: answering.api(api),
        engine: use_engine(),
        jobs: use_jobs(),
        answering: answering.clone(),
        done: done.clone(),
        reload: reload.clone(),
        project_name: project_name.to_string(),
        running: use_state(|| None::<Running>),
    };
    let ended = use_job_end(single.running.as_ref().map(|r| r.0.clone()));
    {
        let single = single.clone();
        use_effect_with(ended.map(|j| (j.state, j.failure_words())), move |end| {
            let (Some((state, words)), Some((_, name, status))) =
                (end.clone(), (*single.running).clone())
            else {
                return;
            };
            single.running.set(None);
            if state == JobState::Succeeded {
                single.answered(&name, status);
            } else {
                single.answering.fail(format!(
                    "{name} was not {}: {}",
                    status.as_str(),
                    words.unwrap_or_else(|| "the job failed".into())
                ));
            }
        });
    }
    single
}
