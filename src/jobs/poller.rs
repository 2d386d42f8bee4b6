//! Polls the server jobs of this tab: every second at first, backing off to 10 s, giving up
//! after 10 minutes (the Jobs page offers "check again"), and telling the user when one ends.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use gloo_timers::callback::Interval;
use ims_api::jobs::{self, JobOrigin, JobState, JobWire, TrackedJob};
use yew::prelude::*;

use super::{use_jobs, JobsAction};
use crate::api::{now_ms, Api};
use crate::hooks::use_api;
use crate::notices::{use_notices, NoticeAction};

const OFFLINE_POLL: &str = "Offline: checked again when the network is back.";

#[derive(Default)]
struct PollState {
    due: HashMap<String, i64>,
    in_flight: HashSet<String>,
    announced: HashSet<String>,
    primed: bool,
}

#[component]
pub fn JobPoller() -> Html {
    let jobs = use_jobs();
    let api = use_api();
    let notices = use_notices();
    super::set_current_api(&api);
    let latest: Rc<RefCell<(Vec<TrackedJob>, Option<Api>)>> = use_mut_ref(|| (Vec::new(), None));
    *latest.borrow_mut() = (jobs.list.clone(), Some(api.clone()));
    let poll = use_mut_ref(PollState::default);

    // Announce each job that reaches an end; jobs already ended when the tab opened are not.
    {
        let poll = poll.clone();
        use_effect_with(jobs.list.clone(), move |list| {
            let mut p = poll.borrow_mut();
            for j in list
                .iter()
                .filter(|j| j.state.is_final() || j.state == JobState::GaveUp)
            {
                if p.announced.insert(j.id.clone()) && p.primed {
                    let text = match j.state {
                        JobState::Succeeded => format!(
                            "{} job for {} image(s) succeeded.",
                            j.kind.label(),
                            j.images.len()
                        ),
                        JobState::GaveUp => format!(
                            "{} job {} is still not finished after 10 minutes.",
                            j.kind.label(),
                            j.id
                        ),
                        _ => format!(
                            "{} job failed: {}",
                            j.kind.label(),
                            j.failure_words().unwrap_or_default()
                        ),
                    };
                    notices.dispatch(NoticeAction::Push {
                        text,
                        error: j.state != JobState::Succeeded,
                    });
                }
            }
            p.primed = true;
        });
    }

    {
        let dispatch = jobs.dispatcher();
        use_effect_with((), move |_| {
            let tick = Interval::new(500, move || {
                let (list, api) = latest.borrow().clone();
                let Some(api) = api.filter(|a| a.token.is_some()) else {
                    return;
                };
                // Offline, a poll can only fail: wait, say so on each job once, and go on when
                // the network is back (the next answer clears the note).
                if !crate::transport::online() {
                    for job in list.iter().filter(|j| {
                        matches!(j.state, JobState::Queued | JobState::Running)
                            && !j.is_client()
                            && j.last_error.as_deref() != Some(OFFLINE_POLL)
                    }) {
                        dispatch.dispatch(JobsAction::Note {
                            id: job.id.clone(),
                            text: OFFLINE_POLL.into(),
                        });
                    }
                    return;
                }
                let now = now_ms();
                for job in list
                    .into_iter()
                    .filter(|j| matches!(j.state, JobState::Queued | JobState::Running))
                {
                    let JobOrigin::Server { job_id, project_id } = job.origin.clone() else {
                        continue;
                    };
                    let mut p = poll.borrow_mut();
                    if p.in_flight.contains(&job.id) || p.due.get(&job.id).is_some_and(|d| *d > now)
                    {
                        continue;
                    }
                    if !job.runs_under(&api.user_id, &api.project_id) {
                        // Polling needs a token of the job's own user and project; say so
                        // once, keep waiting.
                        if job.last_error.is_none() {
                            let mut j = job.clone();
                            j.last_error = Some(
                                "switch back to the project that started this job to follow it"
                                    .into(),
                            );
                            dispatch.dispatch(JobsAction::Replace(j));
                        }
                        continue;
                    }
                    p.in_flight.insert(job.id.clone());
                    drop(p);
                    let (api, dispatch, poll) = (api.clone(), dispatch.clone(), poll.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        let answer = api
                            .json::<JobWire>(
                                &jobs::get(&project_id, &job_id)
                                    .deadline(api.config.poll_timeout_s()),
                            )
                            .await;
                        let now = now_ms();
                        let mut j = job;
                        match answer {
                            Ok(wire) => j.apply(&wire, now),
                            Err(e) if e.is_unauthorized() => {}
                            Err(e) => {
                                j.poll_failed(format!(
                                    "checking failed, retrying: {}",
                                    e.user_message()
                                ));
                                // A hung poll says so on the job's row, with when it checks
                                // again; there is never a second poll of the job in flight.
                                if e.is_timeout() {
                                    j.last_error = Some(ims_api::wait::poll_hang_text(
                                        api.endpoints.image_name,
                                        j.next_poll_delay_ms(),
                                    ));
                                }
                            }
                        }
                        if j.should_give_up(now) {
                            j.state = JobState::GaveUp;
                        }
                        let mut p = poll.borrow_mut();
                        p.in_flight.remove(&j.id);
                        p.due
                            .insert(j.id.clone(), now + i64::from(j.next_poll_delay_ms()));
                        drop(p);
                        dispatch.dispatch(JobsAction::Replace(j));
                    });
                }
            });
            move || drop(tick)
        });
    }
    Html::default()
}
