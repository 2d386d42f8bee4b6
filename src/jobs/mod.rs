//! Every job of this tab, server-side (polled) and client-side (native calls in parallel),
//! kept in sessionStorage so a reload goes on watching them.

mod client;
mod follow_up;
mod poller;
mod server;

use std::rc::Rc;

use ims_api::jobs::{JobState, PairResult, TrackedJob};
use yew::prelude::*;

pub use client::{calls_for, start_client_job};
pub use follow_up::FollowUp;
use follow_up::FollowUpRunner;
pub use poller::JobPoller;
pub use server::{start_chunk_jobs, start_server_job};

use crate::session::store;

#[derive(Clone, PartialEq, Default)]
pub struct Jobs {
    pub list: Vec<TrackedJob>,
    /// Counts jobs that reached an end, so views can refresh when one does.
    pub ended: u64,
    /// Images touched by the jobs that ended last (for targeted refreshes).
    pub last_ended_images: Vec<String>,
    /// Counts changes to the inbox made one image at a time.
    pub inbox_changed: u64,
    /// Work waiting for jobs to end.
    pub follow_ups: Vec<FollowUp>,
}

pub enum JobsAction {
    Add(TrackedJob),
    Replace(TrackedJob),
    /// Answers to a client job's calls, as many as came since the last time.
    Record {
        id: String,
        results: Vec<PairResult>,
        now: i64,
    },
    CheckAgain {
        id: String,
        now: i64,
    },
    /// A line about the job's progress (throttling), shown until the next one.
    Note {
        id: String,
        text: String,
    },
    /// An answer to a share changed outside any job (one image at a time): views of the
    /// inbox, the pending badge among them, load again.
    InboxChanged,
    /// A client job's failed and unsent calls went out again as the job `by`.
    Retried {
        id: String,
        by: String,
    },
    ClearFinished,
    FollowUp(FollowUp),
    /// The follow-up's jobs ended: it is carried out (or dropped) now.
    FollowUpTaken(FollowUp),
}

impl Reducible for Jobs {
    type Action = JobsAction;
    fn reduce(self: Rc<Self>, action: JobsAction) -> Rc<Self> {
        let mut next = (*self).clone();
        let mut ended: Option<Vec<String>> = None;
        let mut update = |next: &mut Jobs, id: &str, f: &dyn Fn(&mut TrackedJob)| {
            if let Some(j) = next.list.iter_mut().find(|j| j.id == id) {
                let was_final = j.state.is_final();
                f(j);
                if !was_final && j.state.is_final() {
                    ended = Some(j.images.clone());
                }
            }
        };
        match action {
            JobsAction::Add(job) => {
                next.list.insert(0, job);
                ims_api::jobs::prune(&mut next.list, ims_api::jobs::MAX_KEPT_JOBS);
            }
            JobsAction::Replace(job) => {
                let id = job.id.clone();
                update(&mut next, &id, &|j| *j = job.clone());
            }
            JobsAction::Record { id, results, now } => update(&mut next, &id, &|j| {
                for result in &results {
                    j.record(result.clone(), now)
                }
            }),
            JobsAction::CheckAgain { id, now } => {
                update(&mut next, &id, &|j| j.restart_polling(now))
            }
            JobsAction::Note { id, text } => {
                update(&mut next, &id, &|j| j.last_error = Some(text.clone()))
            }
            JobsAction::Retried { id, by } => {
                update(&mut next, &id, &|j| j.retried_as = Some(by.clone()))
            }
            JobsAction::InboxChanged => next.inbox_changed += 1,
            JobsAction::ClearFinished => next.list.retain(|j| {
                !j.state.is_final() || next.follow_ups.iter().any(|f| f.after.contains(&j.id))
            }),
            JobsAction::FollowUp(f) => next.follow_ups.push(f),
            JobsAction::FollowUpTaken(f) => next.follow_ups.retain(|x| *x != f),
        }
        if let Some(images) = ended {
            next.ended += 1;
            next.last_ended_images = images;
        }
        Rc::new(next)
    }
}

impl Jobs {
    /// Client jobs cannot resume after a reload: those left unfinished end as failed, and
    /// "retry the failed ones" sends what is missing.
    fn restore(now: i64) -> Self {
        let mut list: Vec<TrackedJob> = store::load(store::JOBS_KEY).unwrap_or_default();
        ims_api::jobs::prune(&mut list, ims_api::jobs::MAX_KEPT_JOBS);
        for j in list
            .iter_mut()
            .filter(|j| j.is_client() && !j.state.is_final())
        {
            j.state = JobState::Failed;
            j.fail_reason =
                Some("interrupted by a reload: retry to send the remaining calls".into());
            j.finished_ms = Some(now);
        }
        Jobs {
            list,
            ended: 0,
            last_ended_images: Vec::new(),
            inbox_changed: 0,
            follow_ups: Vec::new(),
        }
    }
}

pub type JobsHandle = UseReducerHandle<Jobs>;

#[hook]
pub fn use_jobs() -> JobsHandle {
    use_context::<JobsHandle>().expect("JobsProvider is mounted")
}

#[derive(Properties, PartialEq)]
pub struct JobsProviderProps {
    pub children: Html,
}

#[component]
pub fn JobsProvider(props: &JobsProviderProps) -> Html {
    let jobs = use_reducer(|| Jobs::restore(crate::api::now_ms()));
    use_effect_with(jobs.list.clone(), |list| store::save(store::JOBS_KEY, list));
    html! {
        <ContextProvider<JobsHandle> context={jobs}>
            <JobPoller />
            <FollowUpRunner />
            {props.children.clone()}
        </ContextProvider<JobsHandle>>
    }
}
