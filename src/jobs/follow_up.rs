//! Work that waits for jobs to end: "stop sharing the source" after a copy of its members,
//! and "also accept in my projects" after a share. It lives in the jobs context, so it runs
//! wherever the user is in the app (not across a reload: the pages say so).

use ims_api::apply::{Change, Context, Target};
use ims_api::jobs::{JobKind, JobState};
use yew::prelude::*;

use super::accept_across::{self, Credentials, OwnProjects};
use super::{use_jobs, Engine, JobsAction, JobsHandle};
use crate::api::Api;
use crate::hooks::use_api;
use crate::notices::{use_notices, NoticeAction, NoticesHandle};

/// `action`, once every job of `after` has succeeded.
#[derive(Clone, Debug, PartialEq)]
pub struct FollowUp {
    pub after: Vec<String>,
    pub action: FollowUpAction,
    /// The session that asked for it: it runs only under the same user and project.
    pub owner: ims_api::jobs::JobOwner,
}

#[derive(Clone, Debug, PartialEq)]
pub enum FollowUpAction {
    /// Stop sharing `source` with `projects` (image rotation after a copy of members).
    StopSharing {
        source: String,
        source_name: String,
        projects: Vec<String>,
    },
    /// Accept `images` in the user's own `projects` (a share made usable at once).
    AcceptIn {
        images: Vec<String>,
        projects: OwnProjects,
    },
}

impl FollowUpAction {
    /// What is said when the jobs it waited for did not all succeed.
    fn dropped(&self) -> String {
        match self {
            FollowUpAction::StopSharing { source_name, .. } => {
                format!("{source_name} is still shared: copying its members did not fully succeed.")
            }
            FollowUpAction::AcceptIn { .. } => {
                "Nothing was accepted in your projects: the share did not fully succeed.".into()
            }
        }
    }

    fn run(self, api: Api, jobs: JobsHandle, notices: NoticesHandle) {
        match self {
            FollowUpAction::AcceptIn { images, projects } => {
                accept_across::start(&api, &jobs, images, projects, Credentials::Rescope);
            }
            FollowUpAction::StopSharing {
                source,
                source_name,
                projects,
            } => wasm_bindgen_futures::spawn_local(async move {
                let targets: Vec<Target> = projects.iter().map(Target::project).collect();
                let change = Change::every(
                    JobKind::StopSharing,
                    std::slice::from_ref(&source),
                    &targets,
                );
                let engine = Engine::detached(jobs);
                if let Err(e) = engine.apply(&api, &[change], &Context::default()).await {
                    notices.dispatch(NoticeAction::Push {
                        text: format!(
                            "Stopping the sharing of {source_name} failed: {}",
                            e.user_message()
                        ),
                        error: true,
                    });
                }
            }),
        }
    }
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
                        text: f.action.dropped(),
                        error: true,
                    });
                    continue;
                }
                f.action
                    .clone()
                    .run(api.clone(), jobs.clone(), notices.clone());
            }
        },
    );
    Html::default()
}
