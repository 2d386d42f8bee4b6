//! Every job of this tab, server-side (polled) and client-side (native calls in parallel),
//! kept in sessionStorage so a reload goes on watching them.

mod accept_across;
mod client;
mod engine;
mod follow_up;
mod outcome;
mod poller;
mod server;

use std::rc::Rc;

use ims_api::jobs::{JobState, PairResult, TrackedJob};
use yew::prelude::*;

pub use accept_across::start as accept_in_own_projects;
pub use accept_across::{Credentials, OwnProjects, PasswordAsk};
use client::{calls_for, start_client_job};
pub use engine::{use_engine, Engine};
use follow_up::FollowUpRunner;
pub use follow_up::{FollowUp, FollowUpAction};
pub use outcome::use_job_end;
pub use poller::JobPoller;
use server::start_server_job;

use crate::api::Api;
use crate::session::context::use_session;
use crate::session::store;

thread_local! {
    /// The API handle of the tab's current session, for work that outlives the component
    /// that started it (client-job workers): they act only when it belongs to their job's
    /// owner.
    static CURRENT_API: std::cell::RefCell<Option<Api>> = const { std::cell::RefCell::new(None) };
    /// Jobs that were forgotten (sign-out, another user) while their workers still ran: the
    /// workers stop instead of waiting for a session that may come back.
    static FORGOTTEN: std::cell::RefCell<std::collections::HashSet<String>> =
        std::cell::RefCell::new(std::collections::HashSet::new());
}

pub(crate) fn set_current_api(api: &Api) {
    CURRENT_API.with(|c| *c.borrow_mut() = Some(api.clone()));
}

/// The current session's API handle once it belongs to `owner` and its token is not `dead`
/// (the token that met a 401): until then the caller waits, sending nothing. `None` once the
/// job `job_id` has been forgotten.
pub(crate) async fn api_for(
    job_id: &str,
    owner: &ims_api::jobs::JobOwner,
    dead: Option<&str>,
) -> Option<Api> {
    loop {
        if FORGOTTEN.with(|f| f.borrow().contains(job_id)) {
            return None;
        }
        let api = CURRENT_API.with(|c| c.borrow().clone());
        if let Some(api) = api.filter(|a| {
            a.token.is_some()
                && a.token.as_deref() != dead
                && owner.matches(&a.user_id, &a.project_id)
        }) {
            return Some(api);
        }
        gloo_timers::future::TimeoutFuture::new(200).await;
    }
}

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
    /// Accepts in own projects that IAM would not rescope to: the password is asked once.
    pub password_asks: Vec<PasswordAsk>,
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
    /// Sign-out: every job and follow-up of this tab is forgotten.
    ForgetAll,
    /// A user signed in: the jobs and follow-ups of any other user are forgotten.
    KeepUser(String),
    FollowUp(FollowUp),
    AskPassword(PasswordAsk),
    /// The password was given (or declined) for this ask.
    Asked(PasswordAsk),
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
            JobsAction::ForgetAll => {
                next.list.clear();
                next.follow_ups.clear();
                next.password_asks.clear();
                next.last_ended_images.clear();
            }
            JobsAction::KeepUser(user) => {
                if next.list.iter().all(|j| j.owner.user_id == user)
                    && next.follow_ups.iter().all(|f| f.owner.user_id == user)
                {
                    return self;
                }
                next.list.retain(|j| j.owner.user_id == user);
                next.follow_ups.retain(|f| f.owner.user_id == user);
                next.password_asks.retain(|a| a.owner.user_id == user);
            }
            JobsAction::FollowUp(f) => next.follow_ups.push(f),
            JobsAction::AskPassword(a) => next.password_asks.push(a),
            JobsAction::Asked(a) => next.password_asks.retain(|x| *x != a),
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
            password_asks: Vec::new(),
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
    let session = use_session();
    // Jobs belong to the user who started them: a sign-out forgets them all, a sign-in keeps
    // only the new user's (an expiry keeps them: the same user signs in again, and so does a
    // reload that waits for a portal to hand the session over).
    {
        let jobs = jobs.clone();
        let user = session.current.as_ref().map(|s| s.info.user.id.clone());
        let signed_out = user.is_none() && session.expired.is_none();
        let had_user = use_mut_ref(|| false);
        use_effect_with((user, signed_out), move |(user, signed_out)| {
            match user {
                Some(u) => jobs.dispatch(JobsAction::KeepUser(u.clone())),
                None if *signed_out && *had_user.borrow() => jobs.dispatch(JobsAction::ForgetAll),
                None => {}
            }
            *had_user.borrow_mut() = !*signed_out;
        });
    }
    let listed = use_mut_ref(std::collections::HashSet::<String>::new);
    use_effect_with(jobs.list.clone(), move |list| {
        let now: std::collections::HashSet<String> = list.iter().map(|j| j.id.clone()).collect();
        FORGOTTEN.with(|f| {
            f.borrow_mut()
                .extend(listed.borrow().difference(&now).cloned())
        });
        *listed.borrow_mut() = now;
        if list.is_empty() {
            store::remove(store::JOBS_KEY)
        } else {
            store::save(store::JOBS_KEY, list)
        }
    });
    html! {
        <ContextProvider<JobsHandle> context={jobs}>
            <JobPoller />
            <FollowUpRunner />
            {props.children.clone()}
        </ContextProvider<JobsHandle>>
    }
}
