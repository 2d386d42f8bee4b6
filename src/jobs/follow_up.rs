//! Work that waits for jobs to end: "stop sharing the source" after a copy of its members.
//! It lives in the jobs context, so it runs wherever the user is in the app (not across a
//! reload: the page says so).

use ims_api::apply::{Change, Context, Target};
use ims_api::jobs::{JobKind, JobState};
use yew::prelude::*;

use super::{use_jobs, Engine, JobsAction};
use crate::components::notices::{use_notices, NoticeAction};
use crate::hooks::use_api;

/// Stop sharing `source` with `projects` once every job of `after` has succeeded.
#[derive(Clone, Debug, PartialEq)]
pub struct FollowUp {
    pub after: Vec<String>,
    pub source: String,
    pub source_name: String,
    pub projects: Vec<String>,
    /// The session that asked for it: it runs only under the same user and project.
    pub owner: ims_api::jobs::JobOwner,
}

#[component]
pub fn FollowUpRunner() -> Html {
    let jobs = use_jobs();
    let api = use_api();
    let notices = use_notices();
    use_effect_with(
        (jobs.follow_ups.clone(), jobs.ended, api.owner()),
        move |(follow_ups, _, _)| {
            for f in follow_ups {
                let states: Vec<Option<JobState>> = f
                    .after
                    .iter()
                    .map(|id| jobs.list.iter().find(|j| &j.id == id).map(|j| j.state))
                    .collect();
                if states.iter().any(|s| !s.is_some_and(JobState::is_final))
                    || !f.owner.matches(&api.user_id, &api.project_id)
                {
                    continue;
                }
                jobs.dispatch(JobsAction::FollowUpTaken(f.clone()));
                if states.iter().any(|s| *s != Some(JobState::Succeeded)) {
                    notices.dispatch(NoticeAction::Push {
                        text: format!(
                            "{} is still shared: copying its members did not fully succeed.",
                            f.source_name
                        ),
                        error: true,
                    });
                    continue;
                }
                let (api, jobs, notices, f) =
                    (api.clone(), jobs.clone(), notices.clone(), f.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let change = Change::every(
                        JobKind::StopSharing,
                        std::slice::from_ref(&f.source),
                        &targets(&f),
                    );
                    let engine = Engine::detached(jobs);
                    if let Err(e) = engine.apply(&api, &[change], &Context::default()).await {
                        notices.dispatch(NoticeAction::Push {
                            text: format!(
                                "Stopping the sharing of {} failed: {}",
                                f.source_name,
                                e.user_message()
                            ),
                            error: true,
                        });
                    }
                });
            }
        },
    );
    Html::default()
}

fn targets(f: &FollowUp) -> Vec<Target> {
    f.projects.iter().map(Target::project).collect()
}
