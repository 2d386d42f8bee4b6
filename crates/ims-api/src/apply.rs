//! The one plan for changing members. Every screen that shares, stops sharing, accepts or
//! rejects (the share and stop forms, copying members, share plans, the inbox, the image
//! page, the follow-up after a copy) hands its (image, member) pairs to [`plan`] and the
//! steps to the one runner in the app's `jobs` module; [`Progress`] is how a retry after a
//! failure sends only what was not sent.
//!
//! IMS: one batch call per group of images that go to exactly the same members, cut into
//! chunks of members; each call starts a job. Glance: images still private switched to
//! `shared` first (Glance adds members only to shared images), then one client job of native
//! calls per kind of change.

use std::collections::HashMap;
use std::hash::Hash;

use crate::images::{set_visibility, Visibility};
use crate::jobs::JobKind;
use crate::members::{self, MemberKind, MemberStatus};
use crate::request::ApiRequest;

/// How a flavor carries out member changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Calls {
    /// IMS: batch calls of at most `chunk_size` members, each a server job.
    Batch { chunk_size: usize },
    /// Glance: one native call per pair.
    Native,
}

/// Whom an image is shared with: a project, an account (domain) or an organization / OU.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Target {
    pub kind: MemberKind,
    pub id: String,
}

impl Target {
    pub fn project(id: impl Into<String>) -> Self {
        Self {
            kind: MemberKind::Project,
            id: id.into(),
        }
    }
}

/// One change asked for: `kind` of every pair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub kind: JobKind,
    pub pairs: Vec<(String, Target)>,
}

/// What the plan needs to know besides the pairs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// Each image's visibility as last read (Glance switches the private ones of a share).
    pub visibility: HashMap<String, Visibility>,
    /// The CBR vault an accepted full-ECS image goes to.
    pub vault_id: Option<String>,
}

impl Change {
    /// `kind` of every image with every member.
    pub fn every(kind: JobKind, images: &[String], members: &[Target]) -> Self {
        Change {
            kind,
            pairs: images
                .iter()
                .flat_map(|i| members.iter().map(move |m| (i.clone(), m.clone())))
                .collect(),
        }
    }

    /// `kind` of each (image, project) pair.
    pub fn projects(kind: JobKind, pairs: &[(String, String)]) -> Self {
        Change {
            kind,
            pairs: pairs
                .iter()
                .map(|(i, p)| (i.clone(), Target::project(p)))
                .collect(),
        }
    }
}

impl Context {
    /// The visibility of `images` as listed.
    pub fn of<'a>(images: impl IntoIterator<Item = &'a crate::images::Image>) -> Self {
        Context {
            visibility: images
                .into_iter()
                .filter_map(|i| Some((i.id.clone(), i.visibility.clone()?)))
                .collect(),
            vault_id: None,
        }
    }
}

/// One step of a plan, sent in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Glance: `PATCH` the image to visibility `shared`.
    MakeShared(String),
    /// IMS: one batch call, which starts a job.
    Batch {
        kind: JobKind,
        images: Vec<String>,
        members: Vec<Target>,
        vault_id: Option<String>,
    },
    /// Glance: native calls, one per pair, run as one client job.
    Native {
        kind: JobKind,
        pairs: Vec<(String, String)>,
        vault_id: Option<String>,
    },
}

/// A pair this flavor cannot carry out: Glance has project members only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsupported {
    pub kind: MemberKind,
}

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "This cloud shares images with projects only, not with {}.",
            self.kind.plural()
        )
    }
}

/// The steps that carry out `changes`, in the order given.
pub fn plan(calls: Calls, changes: &[Change], ctx: &Context) -> Result<Vec<Step>, Unsupported> {
    let mut out = Vec::new();
    match calls {
        Calls::Batch { chunk_size } => {
            for change in changes {
                for (images, members) in group_for_batch(&change.pairs) {
                    for chunk in members.chunks(chunk_size.max(1)) {
                        out.push(Step::Batch {
                            kind: change.kind,
                            images: images.clone(),
                            members: chunk.to_vec(),
                            vault_id: answer_vault(change.kind, ctx),
                        });
                    }
                }
            }
        }
        Calls::Native => {
            if let Some(t) = changes
                .iter()
                .flat_map(|c| &c.pairs)
                .find(|(_, t)| t.kind != MemberKind::Project)
            {
                return Err(Unsupported { kind: t.1.kind });
            }
            let mut switched = std::collections::HashSet::new();
            for change in changes.iter().filter(|c| c.kind == JobKind::Share) {
                for (image, _) in &change.pairs {
                    let shared = ctx.visibility.get(image) == Some(&Visibility::Shared);
                    if !shared && switched.insert(image.clone()) {
                        out.push(Step::MakeShared(image.clone()));
                    }
                }
            }
            for change in changes.iter().filter(|c| !c.pairs.is_empty()) {
                out.push(Step::Native {
                    kind: change.kind,
                    pairs: change
                        .pairs
                        .iter()
                        .map(|(i, t)| (i.clone(), t.id.clone()))
                        .collect(),
                    vault_id: answer_vault(change.kind, ctx),
                });
            }
        }
    }
    Ok(out)
}

fn answer_vault(kind: JobKind, ctx: &Context) -> Option<String> {
    match kind {
        JobKind::Accept => ctx.vault_id.clone().filter(|v| !v.is_empty()),
        _ => None,
    }
}

impl Step {
    /// The call a server step sends (a batch call or the visibility switch); `None` for
    /// native steps, whose calls the client job makes one per pair.
    pub fn request(&self) -> Option<ApiRequest> {
        match self {
            Step::MakeShared(image) => Some(set_visibility(image, &Visibility::Shared)),
            Step::Batch {
                kind,
                images,
                members,
                vault_id,
            } => Some(match kind {
                JobKind::Share => members::batch_share(images, members),
                JobKind::StopSharing => members::batch_stop(images, members),
                // Not a change of members: the engine's replicate() sends it.
                JobKind::Replicate => return None,
                JobKind::Accept | JobKind::Reject => {
                    let status = if *kind == JobKind::Accept {
                        MemberStatus::Accepted
                    } else {
                        MemberStatus::Rejected
                    };
                    // The member who answers is the signed-in project: one per call.
                    let own = members.first().map_or("", |t| t.id.as_str());
                    members::batch_answer(images, own, status, vault_id.as_deref())
                }
            }),
            Step::Native { .. } => None,
        }
    }

    /// Whether the step starts a job (the switch of visibility does not).
    pub fn starts_job(&self) -> bool {
        !matches!(self, Step::MakeShared(_))
    }
}

/// How far a plan has been carried out, kept by the screen across retries: sending again
/// after a failure starts at the first step not done. A different plan starts afresh.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    steps: Vec<Step>,
    done: usize,
    started: Vec<String>,
}

impl Progress {
    /// Takes `steps` as the plan to carry out: the steps still to send, in order.
    pub fn begin(&mut self, steps: Vec<Step>) -> Vec<Step> {
        if self.steps != steps {
            *self = Progress {
                steps,
                ..Progress::default()
            };
        }
        self.steps[self.done..].to_vec()
    }

    /// The next step went out; `job` is the job it started, if any.
    pub fn step_done(&mut self, job: Option<String>) {
        self.done = (self.done + 1).min(self.steps.len());
        self.started.extend(job);
    }

    /// Every job the plan started (across retries) once every step is done; the progress
    /// starts afresh, so that the same plan sent again is a new change.
    pub fn finish(&mut self) -> Option<Vec<String>> {
        (self.done == self.steps.len()).then(|| std::mem::take(self).started)
    }

    /// Jobs started so far, by this attempt and the earlier ones.
    pub fn started(&self) -> &[String] {
        &self.started
    }
}

/// How the steps will go out: "Sent as 3 call(s) of at most 100 members each." or "Sent as
/// 40 native call(s), 8 at a time."
pub fn calls_text(steps: &[Step], calls: Calls, concurrency: usize) -> String {
    match calls {
        Calls::Batch { chunk_size } => format!(
            "Sent as {} call(s) of at most {chunk_size} members each.",
            steps.iter().filter(|s| s.starts_job()).count()
        ),
        Calls::Native => format!(
            "Sent as {} native call(s), {concurrency} at a time.",
            steps
                .iter()
                .map(|s| match s {
                    Step::Native { pairs, .. } => pairs.len(),
                    _ => 0,
                })
                .sum::<usize>()
        ),
    }
}

/// The images a plan switches to `shared` before sharing them.
pub fn switched(steps: &[Step]) -> Vec<&str> {
    steps
        .iter()
        .filter_map(|s| match s {
            Step::MakeShared(image) => Some(image.as_str()),
            _ => None,
        })
        .collect()
}

/// A batch call with accounts or organizations that the service refused as a bad request:
/// a cloud without those kinds (Open Telekom Cloud today) answers so. Said in plain words,
/// with the service's own beside them; any other failure is left as it came.
pub fn refusal_of_kinds(e: crate::ApiError, members: &[Target]) -> crate::ApiError {
    let kinds: Vec<MemberKind> = MemberKind::ALL
        .into_iter()
        .filter(|k| *k != MemberKind::Project && members.iter().any(|t| t.kind == *k))
        .collect();
    if kinds.is_empty() || e.status() != Some(400) {
        return e;
    }
    let named: Vec<&str> = kinds.iter().map(|k| k.plural()).collect();
    crate::ApiError::Invalid {
        message: format!(
            "This cloud cannot share images with {}: its IMS refused the call ({}). Share with projects, or ask the operator to take {} out of member_kinds in config.json.",
            named.join(" or "),
            e.user_message(),
            kinds.iter().map(|k| format!("\"{}\"", k.as_str())).collect::<Vec<_>>().join(" and ")
        ),
    }
}

/// What a form says once its change went out: "Started 2 share job(s): follow them under
/// Jobs."
pub fn started_text(kind: JobKind, jobs: usize) -> String {
    format!(
        "Started {jobs} {} job(s): follow them under Jobs.",
        kind.label().to_lowercase()
    )
}

/// Groups pairs for IMS batch calls: images that go to exactly the same members travel in
/// one call (then cut into chunks of members). The order of first appearance is kept, so
/// job lists read in the order the operator typed.
pub fn group_for_batch<M: Clone + Ord + Hash>(pairs: &[(String, M)]) -> Vec<(Vec<String>, Vec<M>)> {
    // Hash look-ups keep it linear in the pairs.
    let mut at: HashMap<&str, usize> = HashMap::new();
    let mut by_image: Vec<(String, Vec<M>)> = Vec::new();
    for (img, member) in pairs {
        match at.get(img.as_str()) {
            Some(&i) => by_image[i].1.push(member.clone()),
            None => {
                at.insert(img, by_image.len());
                by_image.push((img.clone(), vec![member.clone()]));
            }
        }
    }
    let mut group_of: HashMap<Vec<M>, usize> = HashMap::new();
    let mut groups: Vec<(Vec<String>, Vec<M>)> = Vec::new();
    for (img, mut members) in by_image {
        members.sort();
        members.dedup();
        match group_of.get(&members) {
            Some(&g) => groups[g].0.push(img),
            None => {
                group_of.insert(members.clone(), groups.len());
                groups.push((vec![img], members));
            }
        }
    }
    groups
}

/// Images and members a step touches, sorted and without repeats (what its job lists).
pub fn images_and_members(pairs: &[(String, String)]) -> (Vec<String>, Vec<String>) {
    let mut images: Vec<String> = pairs.iter().map(|p| p.0.clone()).collect();
    let mut members: Vec<String> = pairs.iter().map(|p| p.1.clone()).collect();
    images.sort();
    images.dedup();
    members.sort();
    members.dedup();
    (images, members)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn p(id: &str) -> Target {
        Target::project(id)
    }

    fn share(pairs: &[(&str, &str)]) -> Change {
        Change {
            kind: JobKind::Share,
            pairs: pairs.iter().map(|(i, m)| (i.to_string(), p(m))).collect(),
        }
    }

    fn batch_members(steps: &[Step]) -> Vec<(Vec<String>, Vec<String>)> {
        steps
            .iter()
            .map(|s| match s {
                Step::Batch {
                    images, members, ..
                } => (
                    images.clone(),
                    members.iter().map(|t| t.id.clone()).collect(),
                ),
                other => panic!("not a batch step: {other:?}"),
            })
            .collect()
    }

    #[test]
    fn batch_groups_join_images_with_the_same_members() {
        let steps = plan(
            Calls::Batch { chunk_size: 10 },
            &[share(&[
                ("a", "p"),
                ("b", "q"),
                ("b", "p"),
                ("a", "q"),
                ("c", "p"),
            ])],
            &Context::default(),
        )
        .unwrap();
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            batch_members(&steps),
            vec![(s(&["a", "b"]), s(&["p", "q"])), (s(&["c"]), s(&["p"]))]
        );
    }

    #[test]
    fn batch_calls_are_cut_into_chunks_of_members() {
        let pairs: Vec<(String, String)> =
            (0..5).map(|i| ("img".into(), format!("m{i}"))).collect();
        let change = Change {
            kind: JobKind::StopSharing,
            pairs: pairs.iter().map(|(i, m)| (i.clone(), p(m))).collect(),
        };
        let steps = plan(
            Calls::Batch { chunk_size: 2 },
            &[change],
            &Context::default(),
        )
        .unwrap();
        let sizes: Vec<usize> = batch_members(&steps).iter().map(|(_, m)| m.len()).collect();
        assert_eq!(sizes, vec![2, 2, 1]);
        let r = steps[0].request().unwrap();
        assert_eq!(r.label(), "DELETE /v1/cloudimages/members");
    }

    #[test]
    fn accounts_and_organizations_travel_in_their_own_lists() {
        let change = Change {
            kind: JobKind::Share,
            pairs: vec![
                ("img".into(), p("p1")),
                (
                    "img".into(),
                    Target {
                        kind: MemberKind::Domain,
                        id: "d1".into(),
                    },
                ),
                (
                    "img".into(),
                    Target {
                        kind: MemberKind::Organization,
                        id: "organizations::x:ou:o-1/ou-2".into(),
                    },
                ),
            ],
        };
        let steps = plan(
            Calls::Batch { chunk_size: 10 },
            std::slice::from_ref(&change),
            &Context::default(),
        )
        .unwrap();
        assert_eq!(
            steps[0].request().unwrap().body.unwrap(),
            json!({"images": ["img"], "projects": ["p1"], "domains": ["d1"],
                   "organizations": ["organizations::x:ou:o-1/ou-2"]})
        );
        assert_eq!(
            plan(Calls::Native, &[change], &Context::default()),
            Err(Unsupported {
                kind: MemberKind::Domain
            })
        );
    }

    #[test]
    fn glance_switches_private_images_of_a_share_first_and_only_once() {
        let ctx = Context {
            visibility: [
                ("a".to_string(), Visibility::Private),
                ("b".to_string(), Visibility::Shared),
            ]
            .into(),
            vault_id: None,
        };
        let stop = Change {
            kind: JobKind::StopSharing,
            pairs: vec![("c".into(), p("q"))],
        };
        let steps = plan(
            Calls::Native,
            &[share(&[("a", "p"), ("a", "q"), ("b", "p")]), stop],
            &ctx,
        )
        .unwrap();
        assert_eq!(steps[0], Step::MakeShared("a".into()));
        assert!(
            matches!(&steps[1], Step::Native { kind: JobKind::Share, pairs, .. } if pairs.len() == 3)
        );
        assert!(
            matches!(&steps[2], Step::Native { kind: JobKind::StopSharing, pairs, .. } if pairs.len() == 1)
        );
        assert_eq!(
            steps.len(),
            3,
            "an image stopped, not shared, is not switched"
        );
        assert_eq!(steps[0].request().unwrap().label(), "PATCH /v2/images/a");
    }

    #[test]
    fn answers_go_as_the_signed_in_project_with_the_vault_for_accepts_only() {
        let ctx = Context {
            vault_id: Some("vault-1".into()),
            ..Context::default()
        };
        let answer = |kind| Change {
            kind,
            pairs: vec![("i1".into(), p("own")), ("i2".into(), p("own"))],
        };
        let steps = plan(
            Calls::Batch { chunk_size: 10 },
            &[answer(JobKind::Accept), answer(JobKind::Reject)],
            &ctx,
        )
        .unwrap();
        let accept = steps[0].request().unwrap().body.unwrap();
        assert_eq!(
            accept,
            json!({"images": ["i1", "i2"], "project_id": "own", "status": "accepted", "vault_id": "vault-1"})
        );
        let reject = steps[1].request().unwrap().body.unwrap();
        assert!(reject.get("vault_id").is_none());
        assert_eq!(reject["status"], "rejected");
    }

    #[test]
    fn a_bad_request_for_accounts_is_said_as_a_cloud_without_them() {
        let refused = || crate::ApiError::Http {
            status: 400,
            code: Some("IMG.0001".into()),
            message: "Unknown field domains.".into(),
            request_id: None,
            retry_after_s: None,
        };
        let account = Target {
            kind: MemberKind::Domain,
            id: "d".into(),
        };
        let said = refusal_of_kinds(refused(), &[p("x"), account]).user_message();
        assert!(
            said.starts_with("This cloud cannot share images with accounts"),
            "{said}"
        );
        assert!(said.contains("Unknown field domains."), "{said}");
        assert_eq!(
            refusal_of_kinds(refused(), &[p("x")]),
            refused(),
            "projects only: as it came"
        );
    }

    #[test]
    fn the_started_text_names_the_kind_and_the_count() {
        assert_eq!(
            started_text(JobKind::StopSharing, 2),
            "Started 2 stop sharing job(s): follow them under Jobs."
        );
    }

    #[test]
    fn a_new_plan_starts_afresh_and_the_same_plan_sent_after_success_is_new() {
        let steps = vec![Step::MakeShared("a".into()), Step::MakeShared("b".into())];
        let mut progress = Progress::default();
        assert_eq!(progress.begin(steps.clone()).len(), 2);
        progress.step_done(None);
        let other = vec![Step::MakeShared("c".into())];
        assert_eq!(
            progress.begin(other.clone()),
            other,
            "another plan: from its start"
        );
        progress.step_done(Some("j".into()));
        assert_eq!(progress.finish(), Some(vec!["j".to_string()]));
        assert_eq!(
            progress.begin(other.clone()),
            other,
            "sent again: a new change"
        );
    }

    proptest! {
        /// Whichever step fails, and however many times, sending again carries out every step
        /// exactly once, in order, and the jobs started are all reported at the end.
        #[test]
        fn resuming_after_a_failure_at_any_step_sends_each_step_once(
            n in 1usize..12,
            failures in proptest::collection::vec(0usize..12, 0..6),
        ) {
            let steps: Vec<Step> = (0..n).map(|i| Step::Batch {
                kind: JobKind::Share,
                images: vec![format!("i{i}")],
                members: vec![p("m")],
                vault_id: None,
            }).collect();
            let mut progress = Progress::default();
            let mut sent: Vec<Step> = Vec::new();
            let mut failures = failures.into_iter();
            let finished = loop {
                let mut fail_at = failures.next();
                for step in progress.begin(steps.clone()) {
                    if fail_at == Some(0) {
                        fail_at = None;
                        break;
                    }
                    fail_at = fail_at.map(|f| f - 1);
                    sent.push(step.clone());
                    progress.step_done(Some(format!("job-{}", sent.len())));
                }
                if let Some(jobs) = progress.finish() {
                    break jobs;
                }
            };
            prop_assert_eq!(&sent, &steps);
            prop_assert_eq!(finished.len(), n);
        }

        #[test]
        fn every_pair_is_in_exactly_one_batch(
            pairs in proptest::collection::vec((0u8..6, 0u8..9), 0..60),
            chunk in 1usize..5,
        ) {
            let change = Change {
                kind: JobKind::Share,
                pairs: pairs.iter().map(|(i, m)| (format!("i{i}"), p(&format!("m{m}")))).collect(),
            };
            let steps = plan(Calls::Batch { chunk_size: chunk }, std::slice::from_ref(&change), &Context::default()).unwrap();
            let mut covered: Vec<(String, String)> = Vec::new();
            for (images, members) in batch_members(&steps) {
                prop_assert!(members.len() <= chunk);
                for i in &images {
                    for m in &members {
                        covered.push((i.clone(), m.clone()));
                    }
                }
            }
            let mut want: Vec<(String, String)> = change.pairs.iter().map(|(i, t)| (i.clone(), t.id.clone())).collect();
            want.sort();
            want.dedup();
            covered.sort();
            prop_assert_eq!(covered, want);
        }
    }
}
