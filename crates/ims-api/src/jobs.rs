//! Jobs: the IMS asynchronous jobs the batch calls start, and the client-side jobs of the
//! Glance flavor, tracked alike so one Jobs page shows both.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::describe_code;
use crate::request::{ApiRequest, Service};

/// `GET /v1/{project_id}/jobs/{job_id}`.
pub fn get(project_id: &str, job_id: &str) -> ApiRequest {
    ApiRequest::get(
        Service::Image,
        format!(
            "/v1/{}/jobs/{}",
            crate::request::segment(project_id),
            crate::request::segment(job_id)
        ),
    )
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct JobWire {
    pub job_id: String,
    #[serde(default)]
    pub job_type: Option<String>,
    pub status: String,
    #[serde(default)]
    pub begin_time: Option<String>,
    #[serde(default)]
    pub end_time: Option<String>,
    #[serde(default)]
    pub error_code: Option<String>,
    #[serde(default)]
    pub fail_reason: Option<String>,
    #[serde(default)]
    pub entities: Option<Value>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobState {
    Queued,
    Running,
    Succeeded,
    Failed,
    /// Still not finished after [`GIVE_UP_AFTER_MS`]; the user may check again.
    GaveUp,
}

impl JobState {
    /// Job status is `SUCCESS`, per-result status `success`; `FAIL` and `failed` both occur.
    pub fn from_wire(s: &str) -> Self {
        match s.to_ascii_uppercase().as_str() {
            "SUCCESS" | "SUCCEEDED" | "SUCCESSFUL" => JobState::Succeeded,
            "FAIL" | "FAILED" | "FAILURE" | "ERROR" => JobState::Failed,
            "INIT" | "PENDING" | "QUEUED" => JobState::Queued,
            _ => JobState::Running,
        }
    }
    pub fn is_final(self) -> bool {
        matches!(self, JobState::Succeeded | JobState::Failed)
    }
    pub fn label(self) -> &'static str {
        match self {
            JobState::Queued => "Queued",
            JobState::Running => "Running",
            JobState::Succeeded => "Succeeded",
            JobState::Failed => "Failed",
            JobState::GaveUp => "Still running?",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobKind {
    Share,
    StopSharing,
    Accept,
    Reject,
    /// A private copy of an image in the signed-in project (IMS only).
    Replicate,
}

impl JobKind {
    pub fn label(self) -> &'static str {
        match self {
            JobKind::Share => "Share",
            JobKind::StopSharing => "Stop sharing",
            JobKind::Accept => "Accept",
            JobKind::Reject => "Reject",
            JobKind::Replicate => "Replicate",
        }
    }
}

/// Where a job runs: on the server (polled) or in the browser (native calls, Glance flavor).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobOrigin {
    Server { job_id: String, project_id: String },
    Client,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairResult {
    pub image_id: String,
    pub project_id: Option<String>,
    pub ok: bool,
    pub message: Option<String>,
}

/// Who started a job: its polls, calls, retries and follow-ups go out only under a session of
/// the same user and project, so the next user of a tab never carries out (or ends the
/// session with) another's work.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct JobOwner {
    pub user_id: String,
    pub project_id: String,
}

impl JobOwner {
    /// Whether a session of `user_id` in `project_id` may act for this job.
    pub fn matches(&self, user_id: &str, project_id: &str) -> bool {
        !self.user_id.is_empty() && self.user_id == user_id && self.project_id == project_id
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackedJob {
    /// Local id: the server's job id, or a generated one for client jobs.
    pub id: String,
    pub kind: JobKind,
    pub origin: JobOrigin,
    pub images: Vec<String>,
    pub projects: Vec<String>,
    pub state: JobState,
    pub job_type: Option<String>,
    pub results: Vec<PairResult>,
    pub error_code: Option<String>,
    pub fail_reason: Option<String>,
    pub started_ms: i64,
    pub finished_ms: Option<i64>,
    /// Polls made (server) or calls finished (client).
    pub attempts: u32,
    /// Total calls of a client job.
    pub total: usize,
    /// The last polling problem, shown while the poller retries.
    pub last_error: Option<String>,
    /// The client job that sent this one's failed and unsent calls again: it is not retried
    /// a second time. Absent in jobs stored before it existed.
    #[serde(default)]
    pub retried_as: Option<String>,
    /// Who started it. Jobs stored before it existed have none, and belong to nobody.
    #[serde(default)]
    pub owner: JobOwner,
}

/// Polling stops after this long without a final status.
pub const GIVE_UP_AFTER_MS: i64 = 10 * 60 * 1000;

impl TrackedJob {
    pub fn new_server(
        kind: JobKind,
        job_id: String,
        project_id: String,
        images: Vec<String>,
        projects: Vec<String>,
        now_ms: i64,
    ) -> Self {
        Self {
            id: job_id.clone(),
            kind,
            origin: JobOrigin::Server { job_id, project_id },
            images,
            projects,
            state: JobState::Queued,
            job_type: None,
            results: Vec::new(),
            error_code: None,
            fail_reason: None,
            started_ms: now_ms,
            finished_ms: None,
            attempts: 0,
            total: 0,
            last_error: None,
            retried_as: None,
            owner: JobOwner::default(),
        }
    }

    /// The same job, started by `owner`.
    pub fn owned_by(mut self, owner: JobOwner) -> Self {
        self.owner = owner;
        self
    }

    /// Whether a session of `user_id` in `project_id` may poll, send, retry or follow up
    /// this job.
    pub fn runs_under(&self, user_id: &str, project_id: &str) -> bool {
        self.owner.matches(user_id, project_id)
    }

    pub fn new_client(
        kind: JobKind,
        id: String,
        images: Vec<String>,
        projects: Vec<String>,
        total: usize,
        now_ms: i64,
    ) -> Self {
        Self {
            origin: JobOrigin::Client,
            total,
            state: JobState::Running,
            ..Self::new_server(kind, id, String::new(), images, projects, now_ms)
        }
    }

    pub fn is_client(&self) -> bool {
        matches!(self.origin, JobOrigin::Client)
    }

    /// Takes in a poll answer.
    pub fn apply(&mut self, wire: &JobWire, now_ms: i64) {
        self.attempts += 1;
        self.last_error = None;
        self.state = JobState::from_wire(&wire.status);
        self.job_type = wire.job_type.clone().or(self.job_type.take());
        self.error_code = wire.error_code.clone().filter(|c| !c.is_empty());
        self.fail_reason = wire.fail_reason.clone().filter(|c| !c.is_empty());
        self.results = parse_results(wire.entities.as_ref());
        if self.state.is_final() {
            self.finished_ms = Some(now_ms);
        }
    }

    /// A poll that failed (network, 5xx): counted, remembered, retried with backoff.
    pub fn poll_failed(&mut self, message: String) {
        self.attempts += 1;
        self.last_error = Some(message);
    }

    /// A client job's call ended.
    pub fn record(&mut self, result: PairResult, now_ms: i64) {
        self.results.push(result);
        self.attempts += 1;
        if self.results.len() >= self.total {
            let failed = self.results.iter().filter(|r| !r.ok).count();
            self.state = if failed == 0 {
                JobState::Succeeded
            } else {
                JobState::Failed
            };
            if failed > 0 {
                self.fail_reason = Some(format!("{failed} of {} calls failed", self.total));
            }
            self.finished_ms = Some(now_ms);
        }
    }

    /// Milliseconds before the next poll: every second for the first ten, then 1.5× longer
    /// each time up to 10 s, so a slow job does not hammer the service.
    pub fn next_poll_delay_ms(&self) -> u32 {
        next_poll_delay_ms(self.attempts)
    }

    pub fn should_give_up(&self, now_ms: i64) -> bool {
        !self.state.is_final() && !self.is_client() && now_ms - self.started_ms >= GIVE_UP_AFTER_MS
    }

    /// "Check again" after giving up: polling starts over.
    pub fn restart_polling(&mut self, now_ms: i64) {
        self.state = JobState::Running;
        self.started_ms = now_ms;
        self.attempts = 0;
    }

    /// Progress 0..=100 for client jobs, by finished calls.
    pub fn progress_percent(&self) -> u32 {
        if self.total == 0 {
            return if self.state.is_final() { 100 } else { 0 };
        }
        (self.results.len() * 100 / self.total) as u32
    }

    /// The failure in plain words, from the error code where known.
    pub fn failure_words(&self) -> Option<String> {
        if self.state != JobState::Failed {
            return None;
        }
        let plain = self.error_code.as_deref().and_then(describe_code);
        let code = self
            .error_code
            .as_deref()
            .map(|c| format!(" [{c}]"))
            .unwrap_or_default();
        Some(match (plain, self.fail_reason.as_deref()) {
            (Some(p), Some(r)) => format!("{p} ({r}){code}"),
            (Some(p), None) => format!("{p}{code}"),
            (None, Some(r)) => format!("{r}{code}"),
            (None, None) => format!("The job failed{code}."),
        })
    }

    pub fn failed_pairs(&self) -> Vec<(String, String)> {
        self.results
            .iter()
            .filter(|r| !r.ok)
            .filter_map(|r| Some((r.image_id.clone(), r.project_id.clone()?)))
            .collect()
    }

    /// The (image, project) pairs that have no answer at all: a reload ended the job first.
    pub fn unsent_pairs(&self) -> Vec<(String, String)> {
        let answered = |i: &str, p: &str| {
            self.results
                .iter()
                .any(|r| r.image_id == i && r.project_id.as_deref() == Some(p))
        };
        self.images
            .iter()
            .flat_map(|i| self.projects.iter().map(move |p| (i, p)))
            .filter(|(i, p)| !answered(i, p))
            .map(|(i, p)| (i.clone(), p.clone()))
            .collect()
    }

    /// What "retry the failed ones" sends: the failed pairs, then the unsent ones.
    pub fn retry_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = self.failed_pairs();
        pairs.extend(self.unsent_pairs());
        pairs
    }

    /// A finished client job with calls to send again, not retried yet.
    pub fn may_retry(&self) -> bool {
        self.is_client()
            && self.state.is_final()
            && self.retried_as.is_none()
            && !self.retry_pairs().is_empty()
            && !self.answers_elsewhere()
    }

    /// An accept in the user's other projects ("also accept in my projects"): its calls need
    /// those projects' tokens, so "retry the failed ones" from this session cannot send them.
    pub fn answers_elsewhere(&self) -> bool {
        matches!(self.kind, JobKind::Accept | JobKind::Reject)
            && self.projects.iter().any(|p| *p != self.owner.project_id)
    }
}

/// At most this many jobs are kept (in the tab and in sessionStorage).
pub const MAX_KEPT_JOBS: usize = 200;

/// Keeps every unfinished job and the newest finished ones, `cap` in all, in their order
/// (newest first), so a long session stays small and fast.
pub fn prune(list: &mut Vec<TrackedJob>, cap: usize) {
    let unfinished = list
        .iter()
        .filter(|j| !j.state.is_final() && j.state != JobState::GaveUp)
        .count();
    let mut room = cap.saturating_sub(unfinished);
    list.retain(|j| {
        if !j.state.is_final() && j.state != JobState::GaveUp {
            return true;
        }
        let keep = room > 0;
        room = room.saturating_sub(1);
        keep
    });
}

pub fn next_poll_delay_ms(attempts: u32) -> u32 {
    crate::backoff::POLLS.wait_ms(attempts)
}

fn parse_results(entities: Option<&Value>) -> Vec<PairResult> {
    let Some(list) = entities
        .and_then(|e| e.get("results"))
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|r| {
            let image_id = r.get("image_id")?.as_str()?.to_string();
            let status = r.get("status").and_then(Value::as_str).unwrap_or("");
            Some(PairResult {
                image_id,
                project_id: r
                    .get("project_id")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                ok: JobState::from_wire(status) == JobState::Succeeded,
                message: r
                    .get("error_code")
                    .and_then(Value::as_str)
                    .map(|c| {
                        describe_code(c)
                            .map(|d| format!("{d} [{c}]"))
                            .unwrap_or_else(|| c.to_string())
                    })
                    .or_else(|| {
                        r.get("fail_reason")
                            .and_then(Value::as_str)
                            .map(str::to_string)
                    }),
            })
        })
        .collect()
}

#[cfg(test)]
mod prune_tests {
    use super::*;

    fn job(n: usize, state: JobState) -> TrackedJob {
        let mut j = TrackedJob::new_server(
            JobKind::Share,
            format!("job-{n}"),
            "p".into(),
            vec![],
            vec![],
            0,
        );
        j.state = state;
        j
    }

    #[test]
    fn five_hundred_jobs_keep_the_unfinished_and_the_newest() {
        let mut list: Vec<TrackedJob> = (0..500)
            .map(|n| {
                job(
                    n,
                    if n % 100 == 7 {
                        JobState::Running
                    } else {
                        JobState::Succeeded
                    },
                )
            })
            .collect();
        prune(&mut list, MAX_KEPT_JOBS);
        assert_eq!(list.len(), MAX_KEPT_JOBS);
        assert_eq!(
            list.iter().filter(|j| j.state == JobState::Running).count(),
            5,
            "no unfinished job is dropped"
        );
        let n = |j: &TrackedJob| j.id.trim_start_matches("job-").parse::<usize>().unwrap();
        assert_eq!(n(&list[0]), 0, "the newest stay");
        assert!(
            list.windows(2).all(|w| n(&w[0]) < n(&w[1])),
            "in their order"
        );
        assert!(
            list.iter()
                .filter(|j| j.state != JobState::Running)
                .all(|j| n(j) < 200),
            "the oldest finished go first"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client_job(images: &[&str], projects: &[&str]) -> TrackedJob {
        let strings = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect();
        TrackedJob::new_client(
            JobKind::Share,
            "local-1".into(),
            strings(images),
            strings(projects),
            images.len() * projects.len(),
            0,
        )
    }

    fn answer(image: &str, project: &str, ok: bool) -> PairResult {
        PairResult {
            image_id: image.into(),
            project_id: Some(project.into()),
            ok,
            message: None,
        }
    }

    #[test]
    fn a_retry_sends_the_failed_pairs_then_the_unsent_ones_and_only_once() {
        let mut job = client_job(&["i1", "i2"], &["p1", "p2"]);
        job.record(answer("i1", "p1", true), 1);
        job.record(answer("i1", "p2", false), 2);
        assert!(!job.may_retry(), "not while it runs");
        // A reload ends a client job where it stood.
        job.state = JobState::Failed;
        let pair = |i: &str, p: &str| (i.to_string(), p.to_string());
        assert_eq!(
            job.retry_pairs(),
            vec![pair("i1", "p2"), pair("i2", "p1"), pair("i2", "p2")]
        );
        assert!(job.may_retry());
        job.retried_as = Some("local-2".into());
        assert!(!job.may_retry(), "a job is retried once");
    }

    #[test]
    fn a_finished_job_with_every_call_answered_well_has_nothing_to_retry() {
        let mut job = client_job(&["i1"], &["p1"]);
        job.record(answer("i1", "p1", true), 1);
        assert_eq!(job.state, JobState::Succeeded);
        assert!(job.retry_pairs().is_empty());
        assert!(!job.may_retry());
    }

    #[test]
    fn jobs_stored_before_retried_as_existed_still_load() {
        let mut stored = serde_json::to_value(client_job(&["i1"], &["p1"])).unwrap();
        stored.as_object_mut().unwrap().remove("retried_as");
        let job: TrackedJob = serde_json::from_value(stored).unwrap();
        assert_eq!(job.retried_as, None);
    }

    fn wire(json: &str) -> JobWire {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn statuses_compare_case_insensitively() {
        assert_eq!(JobState::from_wire("SUCCESS"), JobState::Succeeded);
        assert_eq!(JobState::from_wire("success"), JobState::Succeeded);
        assert_eq!(JobState::from_wire("FAIL"), JobState::Failed);
        assert_eq!(JobState::from_wire("failed"), JobState::Failed);
        assert_eq!(JobState::from_wire("INIT"), JobState::Queued);
        assert_eq!(JobState::from_wire("RUNNING"), JobState::Running);
    }

    #[test]
    fn failed_job_reads_code_reason_and_per_image_results() {
        let mut j = TrackedJob::new_server(
            JobKind::Share,
            "j1".into(),
            "p".into(),
            vec!["i1".into()],
            vec!["q".into()],
            0,
        );
        j.apply(&wire(r#"{"job_id":"j1","job_type":"imsAddImageMembersJob","status":"FAIL","error_code":"IMG.0099","fail_reason":"key not granted",
            "entities":{"results":[{"image_id":"i1","project_id":"q","status":"failed","error_code":"IMG.0099"}]}}"#), 5);
        assert_eq!(j.state, JobState::Failed);
        assert_eq!(j.finished_ms, Some(5));
        let w = j.failure_words().unwrap();
        assert!(
            w.contains("KMS key") && w.contains("key not granted") && w.contains("[IMG.0099]"),
            "{w}"
        );
        assert!(!j.results[0].ok);
        assert!(j.results[0]
            .message
            .as_deref()
            .unwrap()
            .contains("IMG.0099"));
    }

    #[test]
    fn polling_backs_off_and_gives_up_after_ten_minutes() {
        assert_eq!(next_poll_delay_ms(0), 1000);
        assert_eq!(next_poll_delay_ms(9), 1000);
        assert_eq!(next_poll_delay_ms(10), 1500);
        assert_eq!(next_poll_delay_ms(40), 10_000);
        let j = TrackedJob::new_server(JobKind::Share, "j".into(), "p".into(), vec![], vec![], 0);
        assert!(!j.should_give_up(GIVE_UP_AFTER_MS - 1));
        assert!(j.should_give_up(GIVE_UP_AFTER_MS));
    }

    #[test]
    fn client_job_ends_when_every_call_is_recorded() {
        let mut j = TrackedJob::new_client(
            JobKind::Share,
            "c1".into(),
            vec!["i".into()],
            vec!["a".into(), "b".into()],
            2,
            0,
        );
        j.record(
            PairResult {
                image_id: "i".into(),
                project_id: Some("a".into()),
                ok: true,
                message: None,
            },
            1,
        );
        assert_eq!((j.state, j.progress_percent()), (JobState::Running, 50));
        j.record(
            PairResult {
                image_id: "i".into(),
                project_id: Some("b".into()),
                ok: false,
                message: Some("409".into()),
            },
            2,
        );
        assert_eq!(j.state, JobState::Failed);
        assert_eq!(j.failed_pairs(), vec![("i".to_string(), "b".to_string())]);
        assert!(j.failure_words().unwrap().contains("1 of 2"));
    }

    #[test]
    fn a_job_runs_only_under_its_owners_user_and_project() {
        let owner = JobOwner {
            user_id: "u1".into(),
            project_id: "p1".into(),
        };
        let job = TrackedJob::new_client(JobKind::Share, "local-1".into(), vec![], vec![], 1, 0)
            .owned_by(owner);
        assert!(job.runs_under("u1", "p1"));
        assert!(!job.runs_under("u2", "p1"), "another user of the tab");
        assert!(
            !job.runs_under("u1", "p2"),
            "the same user in another project"
        );
        let stored: TrackedJob = serde_json::from_value({
            let mut v = serde_json::to_value(&job).unwrap();
            v.as_object_mut().unwrap().remove("owner");
            v
        })
        .unwrap();
        assert!(
            !stored.runs_under("", ""),
            "a job stored without an owner belongs to nobody"
        );
    }
}
