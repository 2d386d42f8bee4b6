//! Server-side jobs: one IMS batch call starts a job, which the poller then follows.

use std::cell::RefCell;
use std::rc::Rc;

use ims_api::jobs::{JobKind, TrackedJob};
use ims_api::members::JobAccepted;
use ims_api::request::ApiRequest;
use ims_api::ApiError;

use super::{JobsAction, JobsHandle};
use crate::api::{now_ms, Api};

/// Sends one batch call and tracks the job it started; returns the job's ID.
pub async fn start_server_job(
    api: &Api,
    jobs: &JobsHandle,
    kind: JobKind,
    request: &ApiRequest,
    images: Vec<String>,
    projects: Vec<String>,
) -> Result<String, ApiError> {
    let accepted: JobAccepted = api.json(request).await?;
    jobs.dispatch(JobsAction::Add(
        TrackedJob::new_server(
            kind,
            accepted.job_id.clone(),
            api.project_id.clone(),
            images,
            projects,
            now_ms(),
        )
        .owned_by(api.owner()),
    ));
    Ok(accepted.job_id)
}

/// One batch call per chunk of projects, each starting a job. `sent` counts the chunks whose
/// job has started, so that sending again after a failure starts only the rest; returns how
/// many jobs this attempt started.
pub async fn start_chunk_jobs(
    api: &Api,
    jobs: &JobsHandle,
    kind: JobKind,
    request: fn(&[String], &[String]) -> ApiRequest,
    images: &[String],
    chunks: &[Vec<String>],
    sent: &Rc<RefCell<usize>>,
) -> Result<usize, ApiError> {
    let start = *sent.borrow();
    for chunk in &chunks[start..] {
        let call = request(images, chunk);
        start_server_job(api, jobs, kind, &call, images.to_vec(), chunk.clone()).await?;
        *sent.borrow_mut() += 1;
    }
    Ok(chunks.len() - start)
}
