//! Waiting on one job from a screen: the job once it has ended.

use ims_api::jobs::TrackedJob;
use yew::prelude::*;

use super::use_jobs;

/// The job `id` once it has ended (`None` while it runs, or when there is no job to follow).
#[hook]
pub fn use_job_end(id: Option<String>) -> Option<TrackedJob> {
    let jobs = use_jobs();
    id.and_then(|id| {
        jobs.list
            .iter()
            .find(|j| j.id == id && j.state.is_final())
            .cloned()
    })
}
