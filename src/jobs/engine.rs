//! The one runner of member changes: it carries out the steps of [`ims_api::apply::plan`]
//! (visibility switches, IMS batch calls, Glance client jobs), tracks each as a job and,
//! sent again after a failure, goes on with the steps not yet sent.

use std::cell::RefCell;
use std::rc::Rc;

use ims_api::apply::{images_and_members, Change, Context, Progress, Step};
use ims_api::ApiError;
use yew::prelude::*;

use super::{calls_for, start_client_job, start_server_job, use_jobs, JobsHandle};
use crate::api::Api;

/// A screen's engine: the jobs context and how far its last plan went.
#[derive(Clone)]
pub struct Engine {
    jobs: JobsHandle,
    progress: Rc<RefCell<Progress>>,
}

#[hook]
pub fn use_engine() -> Engine {
    let jobs = use_jobs();
    let progress = use_mut_ref(Progress::default);
    Engine { jobs, progress }
}

impl Engine {
    /// One for work that outlives any screen (the follow-up after a copy).
    pub fn detached(jobs: JobsHandle) -> Self {
        Engine {
            jobs,
            progress: Rc::default(),
        }
    }

    /// Plans `changes` for `api`'s flavor and carries them out: the jobs started, by this
    /// attempt and the earlier ones of the same plan.
    pub async fn apply(
        &self,
        api: &Api,
        changes: &[Change],
        ctx: &Context,
    ) -> Result<Vec<String>, ApiError> {
        let steps =
            ims_api::apply::plan(api.calls(), changes, ctx).map_err(|e| ApiError::Invalid {
                message: e.to_string(),
            })?;
        self.run(api, steps).await
    }

    /// Carries out `steps`, from the first not yet sent when they are the steps of the last
    /// attempt.
    pub async fn run(&self, api: &Api, steps: Vec<Step>) -> Result<Vec<String>, ApiError> {
        let todo = self.progress.borrow_mut().begin(steps);
        for step in todo {
            let job = self.send(api, &step).await?;
            self.progress.borrow_mut().step_done(job);
        }
        Ok(self.progress.borrow_mut().finish().unwrap_or_default())
    }

    /// "Retry the failed ones" of a client job: its failed and unsent calls as a new client
    /// job, whose ID this answers.
    pub fn retry_client_job(&self, api: &Api, job: &ims_api::jobs::TrackedJob) -> String {
        let calls = calls_for(job.kind, job.retry_pairs(), None);
        start_client_job(
            api,
            &self.jobs.dispatcher(),
            job.kind,
            job.images.clone(),
            job.projects.clone(),
            calls,
        )
    }

    /// Replicates `image` into the signed-in project as `name` (IMS): one job, whose ID this
    /// answers.
    pub async fn replicate(
        &self,
        api: &Api,
        image: &str,
        name: &str,
        cmk_id: Option<&str>,
        vault_id: Option<&str>,
    ) -> Result<String, ApiError> {
        let request = ims_api::images::copy(image, name, cmk_id, vault_id);
        start_server_job(
            api,
            &self.jobs,
            ims_api::jobs::JobKind::Replicate,
            &request,
            vec![image.to_string()],
            vec![api.project_id.clone()],
        )
        .await
    }

    /// Jobs the last plan started so far (after a failure: those that did start).
    pub fn started(&self) -> Vec<String> {
        self.progress.borrow().started().to_vec()
    }

    async fn send(&self, api: &Api, step: &Step) -> Result<Option<String>, ApiError> {
        match step {
            Step::MakeShared(_) => {
                if let Some(request) = step.request() {
                    api.send(&request).await?;
                }
                Ok(None)
            }
            Step::Batch {
                kind,
                images,
                members,
                ..
            } => {
                let Some(request) = step.request() else {
                    return Ok(None);
                };
                let ids = members.iter().map(|t| t.id.clone()).collect();
                let job = start_server_job(api, &self.jobs, *kind, &request, images.clone(), ids)
                    .await
                    .map_err(|e| ims_api::apply::refusal_of_kinds(e, members))?;
                Ok(Some(job))
            }
            Step::Native {
                kind,
                pairs,
                vault_id,
            } => {
                let (images, members) = images_and_members(pairs);
                let calls = calls_for(*kind, pairs.clone(), vault_id.as_deref());
                Ok(Some(start_client_job(
                    api,
                    &self.jobs.dispatcher(),
                    *kind,
                    images,
                    members,
                    calls,
                )))
            }
        }
    }
}
