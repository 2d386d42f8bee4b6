//! Server-side jobs: one IMS batch call starts a job, which the poller then follows.

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
