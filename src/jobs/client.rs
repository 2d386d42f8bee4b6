//! Client-side jobs for the Glance flavor: one native call per (image, project) pair, a
//! bounded number in flight, each result recorded as it lands.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use ims_api::jobs::{JobKind, PairResult, TrackedJob};
use ims_api::members::{self, Member, MemberStatus};
use ims_api::pace::{connection_ceiling, Pace};
use ims_api::retry::{Attempts, CallQueue, Next, Retry};
use ims_api::{ApiError, ApiRequest};
use yew::UseReducerDispatcher;

use super::{Jobs, JobsAction};
use crate::api::{now_ms, Api};
use crate::transport;

#[derive(Clone, Debug)]
pub struct ClientCall {
    pub request: ApiRequest,
    pub image_id: String,
    pub project_id: String,
}

/// The native call that does `kind` for one pair. Accept and reject name the signed-in
/// project, which is the member. A replica has no native call: Glance cannot copy.
pub fn client_request(
    kind: JobKind,
    image_id: &str,
    project_id: &str,
    vault_id: Option<&str>,
) -> Option<ApiRequest> {
    Some(match kind {
        JobKind::Share => members::add(image_id, project_id),
        JobKind::StopSharing => members::remove(image_id, project_id),
        JobKind::Accept => {
            members::set_status(image_id, project_id, MemberStatus::Accepted, vault_id)
        }
        JobKind::Reject => {
            members::set_status(image_id, project_id, MemberStatus::Rejected, vault_id)
        }
        JobKind::Replicate => return None,
    })
}

/// One call per (image, project) pair.
pub fn calls_for(
    kind: JobKind,
    pairs: Vec<(String, String)>,
    vault_id: Option<&str>,
) -> Vec<ClientCall> {
    pairs
        .into_iter()
        .filter_map(|(image_id, project_id)| {
            Some(ClientCall {
                request: client_request(kind, &image_id, &project_id, vault_id)?,
                image_id,
                project_id,
            })
        })
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

/// Registers the job and starts `concurrency` workers over its calls. They share one
/// [`Pace`]: when the service throttles, fewer calls are in flight, then more again. A call
/// that failed while the service answered others goes back in the queue, and its worker
/// takes the next one. While the browser is offline no call starts; the workers go on by
/// themselves when it is back.
pub fn start_client_job(
    api: &Api,
    dispatch: &UseReducerDispatcher<Jobs>,
    kind: JobKind,
    images: Vec<String>,
    projects: Vec<String>,
    calls: Vec<ClientCall>,
) -> String {
    let id = format!("local-{}", js_sys::Math::random().to_bits() % 1_000_000_007);
    let owner = api.owner();
    let job = TrackedJob::new_client(kind, id.clone(), images, projects, calls.len(), now_ms())
        .owned_by(owner.clone());
    dispatch.dispatch(JobsAction::Add(job));
    let answers = Answers::expecting(calls.len());
    let queue = Rc::new(RefCell::new(CallQueue::new(
        calls.into_iter().map(|call| (call, Attempts::default())),
    )));
    // As many in flight as the connection carries: over HTTP/1.1 the browser queues all
    // beyond six, and they wait out their deadlines there.
    let width = connection_ceiling(
        api.config.concurrency,
        &transport::protocol_to(&api.endpoints.image),
    );
    let pace = Rc::new(RefCell::new(Pace::new(width)));
    let network = Network {
        dispatch: dispatch.clone(),
        job_id: id.clone(),
        offline_said: Rc::default(),
    };
    let worker = Worker {
        kind,
        id: id.clone(),
        owner,
        dispatch: dispatch.clone(),
        queue,
        pace,
        dead: Rc::default(),
        answers,
        network,
    };
    for _ in 0..width {
        wasm_bindgen_futures::spawn_local(worker.clone().run());
    }
    id
}

/// One of a job's workers: they share the queue, the pace, the answers and what they know of
/// the token and the network.
#[derive(Clone)]
struct Worker {
    kind: JobKind,
    id: String,
    owner: ims_api::jobs::JobOwner,
    dispatch: UseReducerDispatcher<Jobs>,
    queue: Rc<RefCell<CallQueue<(ClientCall, Attempts)>>>,
    pace: Rc<RefCell<Pace>>,
    /// The token that met a 401: once one call meets it, none sends again until the job's
    /// own user and project have a new session.
    dead: Rc<RefCell<Option<String>>>,
    answers: Answers,
    network: Network,
}

impl Worker {
    async fn run(self) {
        loop {
            loop {
                self.network.wait().await;
                if self.pace.borrow().may_start() {
                    break;
                }
                TimeoutFuture::new(50).await;
            }
            let next = self.queue.borrow_mut().next(js_sys::Date::now());
            let (call, mut attempts) = match next {
                Next::Send(queued) => queued,
                Next::Wait(ms) => {
                    TimeoutFuture::new(ms.ceil() as u32).await;
                    continue;
                }
                Next::Empty => break,
            };
            let dead_token = self.dead.borrow().clone();
            let Some(api) = super::api_for(&self.id, &self.owner, dead_token.as_deref()).await
            else {
                break;
            };
            self.pace.borrow_mut().in_flight += 1;
            let sent = send_pair(
                &api,
                &self.network,
                self.kind,
                &call,
                &mut attempts,
                &self.pace,
            )
            .await;
            self.pace.borrow_mut().in_flight -= 1;
            let result = match sent {
                Sent::Unauthorized => {
                    if self.dead.replace(api.token.clone()) != api.token {
                        self.network.note(SIGNED_OUT_CALLS.into());
                    }
                    self.queue
                        .borrow_mut()
                        .put_back((call, attempts), js_sys::Date::now());
                    continue;
                }
                Sent::Again { wait_ms } => {
                    let due = js_sys::Date::now() + f64::from(wait_ms);
                    self.queue.borrow_mut().put_back((call, attempts), due);
                    continue;
                }
                Sent::Done(result) => result,
            };
            let (ok, message) = match result {
                Ok(()) => (true, None),
                Err(e) => match already_done(self.kind, &e) {
                    Some(note) => (true, Some(note.to_string())),
                    None => (false, Some(e.user_message())),
                },
            };
            let result = PairResult {
                image_id: call.image_id,
                project_id: Some(call.project_id),
                ok,
                message,
            };
            self.answers.add(result, &self.dispatch, &self.id);
        }
    }
}

/// The answers of one job's workers, handed to the jobs state together at most every
/// [`RECORD_EVERY_MS`]: each hand-over clones the job list, saves it to sessionStorage and
/// renders everything that shows jobs, and a fast service answers far more often than a
/// screen can usefully change. The last answer is handed over at once: the job has ended,
/// and nobody should wait for a timer to be told.
#[derive(Clone)]
struct Answers {
    waiting: Rc<RefCell<Vec<PairResult>>>,
    handover_due: Rc<std::cell::Cell<bool>>,
    outstanding: Rc<std::cell::Cell<usize>>,
}

const RECORD_EVERY_MS: u32 = 100;

impl Answers {
    fn expecting(calls: usize) -> Self {
        Self {
            waiting: Rc::default(),
            handover_due: Rc::default(),
            outstanding: Rc::new(std::cell::Cell::new(calls)),
        }
    }

    fn add(&self, result: PairResult, dispatch: &UseReducerDispatcher<Jobs>, id: &str) {
        self.waiting.borrow_mut().push(result);
        self.outstanding
            .set(self.outstanding.get().saturating_sub(1));
        if self.outstanding.get() == 0 {
            self.hand_over(dispatch, id);
            return;
        }
        if self.handover_due.replace(true) {
            return;
        }
        let (me, dispatch, id) = (self.clone(), dispatch.clone(), id.to_string());
        wasm_bindgen_futures::spawn_local(async move {
            TimeoutFuture::new(RECORD_EVERY_MS).await;
            me.handover_due.set(false);
            me.hand_over(&dispatch, &id);
        });
    }

    fn hand_over(&self, dispatch: &UseReducerDispatcher<Jobs>, id: &str) {
        let results = std::mem::take(&mut *self.waiting.borrow_mut());
        if results.is_empty() {
            return;
        }
        dispatch.dispatch(JobsAction::Record {
            id: id.to_string(),
            results,
            now: now_ms(),
        });
    }
}

/// One job's notes on its own line in the jobs views, and its wait for the network: while
/// the browser is offline no call starts, and the job says so once (and once that it goes on),
/// however many of its workers are waiting.
#[derive(Clone)]
struct Network {
    dispatch: UseReducerDispatcher<Jobs>,
    job_id: String,
    offline_said: Rc<std::cell::Cell<bool>>,
}

impl Network {
    fn note(&self, text: String) {
        self.dispatch.dispatch(JobsAction::Note {
            id: self.job_id.clone(),
            text,
        });
    }

    async fn wait(&self) {
        if !transport::online() {
            if !self.offline_said.replace(true) {
                self.note(OFFLINE_CALLS.into());
            }
            while !transport::online() {
                TimeoutFuture::new(200).await;
            }
        }
        if self.offline_said.replace(false) {
            self.note("Back online: sending the remaining calls.".into());
        }
    }
}

const OFFLINE_CALLS: &str = "Offline: the remaining calls wait for the network.";
const SIGNED_OUT_CALLS: &str =
    "The session ended: the remaining calls wait for the same user to sign in again.";

/// How one try of a pair's call ended.
enum Sent {
    Done(Result<(), ApiError>),
    /// The token met a 401: the call waits, unsent, for the owner's next session.
    Unauthorized,
    /// A passing failure: the call goes back in the queue, due in this long.
    Again {
        wait_ms: u32,
    },
}

/// One pair's call, tried again as [`Attempts`] decides: throttling waits as long as the
/// service asks; an outage waits longer each time while the service answers nothing else;
/// a failure while it answers others sends the call back to the queue. A write whose answer
/// never came is looked up before it is sent again.
async fn send_pair(
    api: &Api,
    network: &Network,
    kind: JobKind,
    call: &ClientCall,
    attempts: &mut Attempts,
    pace: &RefCell<Pace>,
) -> Sent {
    loop {
        network.wait().await;
        let sent = js_sys::Date::now();
        let answered_before = pace.borrow().answered();
        let e = match api.send(&call.request).await {
            Ok(_) => {
                pace.borrow_mut().on_success(js_sys::Date::now() - sent);
                return Sent::Done(Ok(()));
            }
            Err(e) if e.is_unauthorized() => return Sent::Unauthorized,
            Err(e) => e,
        };
        if !e.is_timeout() && !e.is_throttled() {
            pace.borrow_mut()
                .on_failure_answered(js_sys::Date::now() - sent);
        }
        let answered_meanwhile = pace.borrow().answered() > answered_before;
        let (wait_ms, put_back) = match attempts.after_failure(&e, answered_meanwhile) {
            Retry::GiveUp => return Sent::Done(Err(e)),
            Retry::Throttled { wait_ms } => {
                pace.borrow_mut().on_throttled();
                let limit = pace.borrow().limit();
                network.note(format!(
                    "The service asked to slow down: {limit} call(s) in flight now."
                ));
                TimeoutFuture::new(wait_ms).await;
                continue;
            }
            Retry::Hold { wait_ms } => (wait_ms, false),
            Retry::Requeue { wait_ms } => (wait_ms, true),
        };
        // A 5xx is retried without narrowing: congestion shows in the answers' latency
        // (the pace follows it) and in 429s. Glance on SQLite answers 500 "database is
        // locked" at once when two writes meet; halving on it left 1 or 2 calls in flight, and
        // 200 shares took 4.9–5.4 s against 3.9 s when keeping the width and retrying.
        if let Some(status @ (500 | 502 | 503 | 504)) = e.status() {
            network.note(format!("The service answered HTTP {status}; retrying."));
        }
        if matches!(e, ApiError::Timeout { .. } | ApiError::Network { .. })
            && call.request.is_write()
        {
            if let Some(true) = already_holds(api, kind, call).await {
                return Sent::Done(Ok(()));
            }
        }
        if put_back {
            return Sent::Again { wait_ms };
        }
        TimeoutFuture::new(wait_ms).await;
    }
}

/// Whether the state `kind` aims at already holds for the pair: `None` when the look-up
/// itself got no answer.
async fn already_holds(api: &Api, kind: JobKind, call: &ClientCall) -> Option<bool> {
    let found = api
        .json::<Member>(&members::get(&call.image_id, &call.project_id))
        .await;
    match (kind, found) {
        (JobKind::Share, Ok(_))
        | (JobKind::StopSharing, Err(ApiError::Http { status: 404, .. })) => Some(true),
        (JobKind::Accept, Ok(m)) => Some(m.status == MemberStatus::Accepted),
        (JobKind::Reject, Ok(m)) => Some(m.status == MemberStatus::Rejected),
        (_, Err(e)) if e.is_retryable() => None,
        _ => Some(false),
    }
}
