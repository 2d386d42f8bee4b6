//! Client-side jobs for the Glance flavor: one native call per (image, project) pair, a
//! bounded number in flight, each result recorded as it lands.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use ims_api::jobs::{JobKind, PairResult, TrackedJob};
use ims_api::members::{self, MemberStatus};
use ims_api::{ApiError, ApiRequest};
use yew::UseReducerDispatcher;

use super::{Jobs, JobsAction};
use crate::api::{now_ms, Api};

#[derive(Clone, Debug)]
pub struct ClientCall {
    pub request: ApiRequest,
    pub image_id: String,
    pub project_id: String,
}

/// The native call that does `kind` for one pair. Accept and reject name the signed-in
/// project, which is the member.
pub fn client_request(kind: JobKind, image_id: &str, project_id: &str, vault_id: Option<&str>) -> ApiRequest {
    match kind {
        JobKind::Share => members::add(image_id, project_id),
        JobKind::StopSharing => members::remove(image_id, project_id),
        JobKind::Accept => members::set_status(image_id, project_id, MemberStatus::Accepted, vault_id),
        JobKind::Reject => members::set_status(image_id, project_id, MemberStatus::Rejected, vault_id),
    }
}

/// One call per (image, project) pair.
pub fn calls_for(kind: JobKind, pairs: Vec<(String, String)>, vault_id: Option<&str>) -> Vec<ClientCall> {
    pairs
        .into_iter()
        .map(|(image_id, project_id)| ClientCall { request: client_request(kind, &image_id, &project_id, vault_id), image_id, project_id })
        .collect()
}

/// Answers that mean the wanted state already holds.
fn already_done(kind: JobKind, e: &ApiError) -> Option<&'static str> {
    match (kind, e.status()) {
        (JobKind::Share, Some(409)) => Some("already a member"),
        (JobKind::StopSharing, Some(404)) => Some("was not a member"),
        _ => None,
    }
}

/// Registers the job and starts `concurrency` workers over its calls.
pub fn start_client_job(api: &Api, dispatch: &UseReducerDispatcher<Jobs>, kind: JobKind, images: Vec<String>, projects: Vec<String>, calls: Vec<ClientCall>) -> String {
    let id = format!("local-{}", js_sys::Math::random().to_bits() % 1_000_000_007);
    let job = TrackedJob::new_client(kind, id.clone(), images, projects, calls.len(), now_ms());
    dispatch.dispatch(JobsAction::Add(job));
    let queue = Rc::new(RefCell::new(calls.into_iter().collect::<VecDeque<_>>()));
    for _ in 0..api.config.concurrency {
        let (api, dispatch, queue, id) = (api.clone(), dispatch.clone(), queue.clone(), id.clone());
        wasm_bindgen_futures::spawn_local(async move {
            loop {
                let next = queue.borrow_mut().pop_front();
                let Some(call) = next else { break };
                let result = send_with_retries(&api, &call.request).await;
                let (ok, message) = match result {
                    Ok(()) => (true, None),
                    Err(e) => match already_done(kind, &e) {
                        Some(note) => (true, Some(note.to_string())),
                        None => (false, Some(e.user_message())),
                    },
                };
                let result = PairResult { image_id: call.image_id, project_id: Some(call.project_id), ok, message };
                dispatch.dispatch(JobsAction::Record { id: id.clone(), result, now: now_ms() });
            }
        });
    }
    id
}

async fn send_with_retries(api: &Api, req: &ApiRequest) -> Result<(), ApiError> {
    let mut delay = 400;
    for attempt in 0..3 {
        match api.send(req).await {
            Ok(_) => return Ok(()),
            Err(e) if e.is_retryable() && attempt < 2 => {
                TimeoutFuture::new(delay).await;
                delay *= 3;
            }
            Err(e) => return Err(e),
        }
    }
    unreachable!("the last attempt returns")
}
