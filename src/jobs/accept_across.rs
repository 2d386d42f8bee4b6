//! "Also accept in my projects": after a share, the same user accepts it in the target
//! projects that are their own, so that the share is usable at once. Per project: a token by
//! rescoping this session's (`methods: ["token"]`), or, where IAM refuses that, with the
//! password the user gave once for these projects (never stored); then the answer (IMS: the
//! batch call and its job, followed with that project's token; Glance: the native member
//! status); then that token is revoked. Each (image, project) lands in one client job.

use gloo_timers::future::TimeoutFuture;
use ims_api::auth;
use ims_api::jobs::{self, JobKind, JobState, JobWire, PairResult, TrackedJob};
use ims_api::members::{self, JobAccepted, MemberStatus};
use ims_api::ApiError;
use yew::Callback;

use super::{JobsAction, JobsHandle};
use crate::api::{now_ms, Api};

/// The user's own projects a share went to: (ID, name).
pub type OwnProjects = Vec<(String, String)>;

/// How the accept asks IAM for a token in each project.
#[derive(Clone)]
pub enum Credentials {
    /// This session's token, rescoped.
    Rescope,
    /// The password, for the projects IAM would not rescope to: user name and account name.
    Password {
        user: String,
        domain: String,
        password: String,
    },
}

/// The password asked for once: the projects IAM would not rescope to, and the images to
/// accept there.
#[derive(Clone, Debug, PartialEq)]
pub struct PasswordAsk {
    pub images: Vec<String>,
    pub projects: OwnProjects,
    pub owner: ims_api::jobs::JobOwner,
}

/// Starts the accept in `projects` for `images` as a client job. The projects IAM refused to
/// rescope to are asked about once, with the password ([`JobsAction::AskPassword`]).
pub fn start(
    api: &Api,
    jobs: &JobsHandle,
    images: Vec<String>,
    projects: OwnProjects,
    credentials: Credentials,
) -> String {
    let id = format!("local-{}", js_sys::Math::random().to_bits() % 1_000_000_007);
    let ids: Vec<String> = projects.iter().map(|p| p.0.clone()).collect();
    let total = images.len() * projects.len();
    let job = TrackedJob::new_client(
        JobKind::Accept,
        id.clone(),
        images.clone(),
        ids,
        total,
        now_ms(),
    )
    .owned_by(api.owner());
    jobs.dispatch(JobsAction::Add(job));
    let (api, jobs, job_id) = (api.clone(), jobs.clone(), id.clone());
    wasm_bindgen_futures::spawn_local(async move {
        let mut refused = Vec::new();
        for (project, name) in projects {
            let results = match token_for(&api, &project, &credentials).await {
                Ok(token) => {
                    let scoped = Api {
                        token: Some(token.clone()),
                        project_id: project.clone(),
                        on_unauthorized: Callback::noop(),
                        wait: None,
                        ..api.clone()
                    };
                    let results = accept(&scoped, &images, &project, &name).await;
                    // Best effort: the token dies by itself at its expiry otherwise.
                    let _ = api.send(&auth::revoke_token(&token)).await;
                    results
                }
                Err(e) => {
                    let why = match credentials {
                        Credentials::Rescope if rescope_refused(&e) => {
                            refused.push((project.clone(), name.clone()));
                            format!("IAM gave this session no token for {name}: your password is asked once to accept there")
                        }
                        _ => format!(
                            "{}: accept it from {name} (Switch project, in the header)",
                            e.user_message()
                        ),
                    };
                    failed_all(&images, &project, &why)
                }
            };
            jobs.dispatch(JobsAction::Record {
                id: job_id.clone(),
                results,
                now: now_ms(),
            });
        }
        if !refused.is_empty() {
            jobs.dispatch(JobsAction::AskPassword(PasswordAsk {
                images,
                projects: refused,
                owner: api.owner(),
            }));
        }
    });
    id
}

/// IAM's refusal of a rescope (as opposed to a network failure, which is said as it is).
fn rescope_refused(e: &ApiError) -> bool {
    matches!(e.status(), Some(401 | 403))
}

async fn token_for(
    api: &Api,
    project: &str,
    credentials: &Credentials,
) -> Result<String, ApiError> {
    let request = match (credentials, api.token.as_deref()) {
        (Credentials::Rescope, Some(token)) => auth::token_rescope(token, project),
        (
            Credentials::Password {
                user,
                domain,
                password,
            },
            _,
        ) => auth::password_login(
            user,
            password,
            domain,
            &auth::ProjectRef::Id(project.to_string()),
        ),
        (Credentials::Rescope, None) => {
            return Err(ApiError::Invalid {
                message: "The session has ended.".into(),
            })
        }
    };
    let answer = api.send(&request).await?;
    answer
        .header("x-subject-token")
        .map(str::to_string)
        .ok_or_else(|| ApiError::Invalid {
            message: "IAM answered without a token (a proxy must expose X-Subject-Token)".into(),
        })
}

fn failed_all(images: &[String], project: &str, why: &str) -> Vec<PairResult> {
    images
        .iter()
        .map(|i| PairResult {
            image_id: i.clone(),
            project_id: Some(project.to_string()),
            ok: false,
            message: Some(why.to_string()),
        })
        .collect()
}

/// The answer in one project, with that project's token: one result per image.
async fn accept(api: &Api, images: &[String], project: &str, name: &str) -> Vec<PairResult> {
    let from_there = |e: ApiError| format!("{}: accept it from {name}", e.user_message());
    if !api.is_ims() {
        let mut out = Vec::new();
        for image in images {
            let sent = api
                .send(&members::set_status(
                    image,
                    project,
                    MemberStatus::Accepted,
                    None,
                ))
                .await;
            out.push(PairResult {
                image_id: image.clone(),
                project_id: Some(project.to_string()),
                ok: sent.is_ok(),
                message: sent.err().map(from_there),
            });
        }
        return out;
    }
    let call = members::batch_answer(images, project, MemberStatus::Accepted, None);
    let started = match api.json::<JobAccepted>(&call).await {
        Ok(s) => s,
        Err(e) => return failed_all(images, project, &from_there(e)),
    };
    // Followed here, with this project's token: the tab's poller follows this session's jobs.
    let mut job = TrackedJob::new_server(
        JobKind::Accept,
        started.job_id.clone(),
        project.to_string(),
        images.to_vec(),
        vec![project.to_string()],
        now_ms(),
    );
    while !job.state.is_final() && !job.should_give_up(now_ms()) {
        TimeoutFuture::new(job.next_poll_delay_ms()).await;
        match api
            .read::<JobWire>(&jobs::get(project, &started.job_id))
            .await
        {
            Ok(wire) => job.apply(&wire, now_ms()),
            Err(e) => job.poll_failed(e.user_message()),
        }
    }
    let failure = job
        .failure_words()
        .unwrap_or_else(|| "the accept job did not end in time".into());
    images
        .iter()
        .map(|image| {
            let own = job.results.iter().find(|r| &r.image_id == image);
            let ok = job.state == JobState::Succeeded && own.is_none_or(|r| r.ok);
            PairResult {
                image_id: image.clone(),
                project_id: Some(project.to_string()),
                ok,
                message: (!ok).then(|| {
                    let why = own
                        .and_then(|r| r.message.clone())
                        .unwrap_or(failure.clone());
                    format!("{why}: accept it from {name}")
                }),
            }
        })
        .collect()
}
