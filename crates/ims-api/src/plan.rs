//! Share plans: a CSV or JSON file that says, row by row, which image should be shared with
//! which project, read, checked line by line, and compared with the members that exist. Also
//! the CSV writing the exports use. Pure: the browser reads the file and fetches the members.

use std::collections::{HashMap, HashSet};

use crate::ids::{is_image_id, is_organization_urn, is_project_id};
use crate::jobs::{JobKind, JobState, TrackedJob};
use crate::members::MemberKind;

/// The largest plan file read, in bytes.
pub const MAX_PLAN_BYTES: usize = 10 * 1024 * 1024;

/// What one row asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wanted {
    Shared,
    NotShared,
}

/// A row as written, with its line in the file (1-based).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanRow {
    pub line: usize,
    pub image: String,
    pub project: String,
    pub state: String,
    /// `project` (also when empty or the column is absent), `domain` or `organization`.
    pub member_type: String,
}

/// What is wrong with a row, in words for the person who wrote the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowProblem {
    pub line: usize,
    pub message: String,
}

/// Names the plan may use: images of the project, projects the user knows.
#[derive(Clone, Debug, Default)]
pub struct Names {
    /// (image ID, image name)
    pub images: Vec<(String, String)>,
    /// (project ID, project name)
    pub projects: Vec<(String, String)>,
    /// The signed-in project: sharing with it is refused by the service.
    pub own_project: String,
    /// The signed-in user's account, refused as an account member.
    pub own_account: String,
    /// The kinds of member this cloud takes (`member_kinds`); rows of other kinds are refused.
    pub kinds: Vec<MemberKind>,
}

/// One pair the plan changes, with the line that asks for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub line: usize,
    pub image: String,
    /// The member: a project or account ID, or an organization's URN.
    pub project: String,
    pub kind: MemberKind,
}

impl Change {
    pub fn pair(&self) -> (String, String) {
        (self.image.clone(), self.project.clone())
    }

    /// The pair as the engine takes it.
    pub fn target(&self) -> (String, crate::apply::Target) {
        (
            self.image.clone(),
            crate::apply::Target {
                kind: self.kind,
                id: self.project.clone(),
            },
        )
    }
}

/// The plan compared with what exists.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlanDiff {
    /// Pairs to share.
    pub add: Vec<Change>,
    /// Pairs to stop sharing.
    pub remove: Vec<Change>,
    pub unchanged: usize,
    pub invalid: Vec<RowProblem>,
}

/// Reads the file's bytes: CSV (a header row with `image`, `project`, `state`; `#` comment
/// lines) or JSON (an array of objects with those keys).
///
/// # Errors
/// The file as a whole cannot be read: too large, not UTF-8 (with the line), no header, not
/// JSON of that shape. Row-level problems are not errors here: they come back from [`diff`].
pub fn read(bytes: &[u8]) -> Result<Vec<PlanRow>, String> {
    if bytes.len() > MAX_PLAN_BYTES {
        return Err(format!(
            "The file is {} MB; a plan may be at most 10 MB.",
            bytes.len().div_ceil(1_048_576)
        ));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            return Err(format!("Line {line} is not UTF-8 text: save the file as UTF-8 (CSV UTF-8 in spreadsheets)."));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('[') {
        read_json(text)
    } else {
        read_csv(text)
    }
}

fn read_json(text: &str) -> Result<Vec<PlanRow>, String> {
    let rows: Vec<serde_json::Value> = serde_json::from_str(text)
        .map_err(|e| format!("The JSON is not valid at line {}: {e}", e.line()))?;
    let field = |v: &serde_json::Value, k: &str| {
        v.get(k)
            .and_then(|x| x.as_str())
            .unwrap_or_default()
            .trim()
            .to_string()
    };
    Ok(rows
        .iter()
        .enumerate()
        .map(|(i, v)| PlanRow {
            line: i + 1,
            image: field(v, "image"),
            project: field(v, "project"),
            state: field(v, "state"),
            member_type: field(v, "member_type"),
        })
        .collect())
}

fn read_csv(text: &str) -> Result<Vec<PlanRow>, String> {
    let mut records = crate::csv::read(text).into_iter();
    let Some(head) = records.next() else {
        return Err("The file has no header row (image, project, state).".into());
    };
    let find = |name: &str| {
        head.fields
            .iter()
            .position(|c| c.trim().eq_ignore_ascii_case(name))
    };
    let (Some(a), Some(b), Some(c)) = (find("image"), find("project"), find("state")) else {
        let found: Vec<&str> = head.fields.iter().map(|c| c.trim()).collect();
        return Err(format!(
            "Line {} should be the header with the columns image, project and state; it has: {}.",
            head.line,
            found.join(", ")
        ));
    };
    let kind_column = find("member_type");
    Ok(records
        .map(|r| {
            let cell = |n: usize| {
                r.fields
                    .get(n)
                    .map(|s| s.trim().to_string())
                    .unwrap_or_default()
            };
            PlanRow {
                line: r.line,
                image: cell(a),
                project: cell(b),
                state: cell(c),
                member_type: kind_column.map(cell).unwrap_or_default(),
            }
        })
        .collect())
}

fn resolve_image(
    text: &str,
    by_name: &HashMap<String, Vec<String>>,
    ids: &HashSet<String>,
) -> Result<String, String> {
    let lower = text.to_ascii_lowercase();
    if is_image_id(&lower) {
        return if ids.contains(&lower) {
            Ok(lower)
        } else {
            Err(format!("image {text} is not one of this project's images"))
        };
    }
    match by_name.get(text).map(Vec::as_slice) {
        Some([one]) => Ok(one.clone()),
        Some(many) if many.len() > 1 => Err(format!(
            "{} images are named {text}: use the image ID",
            many.len()
        )),
        _ if text.is_empty() => Err("the image is missing".into()),
        _ => Err(format!(
            "no image is named {text} (names must match exactly)"
        )),
    }
}

fn resolve_project(
    text: &str,
    names: &Names,
    by_name: &HashMap<&str, Vec<&str>>,
) -> Result<String, String> {
    let lower = text.to_ascii_lowercase();
    if is_project_id(&lower) {
        return if lower == names.own_project {
            Err(crate::error::OWN_PROJECT.into())
        } else {
            Ok(lower)
        };
    }
    if text.is_empty() {
        return Err("the project is missing".into());
    }
    match by_name.get(text).map(Vec::as_slice).unwrap_or_default() {
        [one] if *one == names.own_project => Err(crate::error::OWN_PROJECT.into()),
        [one] => Ok((*one).to_string()),
        [] => Err(format!(
            "{text} is neither a project ID (32 hex characters) nor a project name you know"
        )),
        many => Err(format!(
            "{} projects are named {text}: use the project ID",
            many.len()
        )),
    }
}

fn member_kind(text: &str, names: &Names) -> Result<MemberKind, String> {
    let kind = match text.to_ascii_lowercase().as_str() {
        "" | "project" => MemberKind::Project,
        "domain" | "account" => MemberKind::Domain,
        "organization" | "ou" => MemberKind::Organization,
        other => {
            return Err(format!(
                "the member_type {other} is none of project, domain, organization"
            ))
        }
    };
    if kind != MemberKind::Project && !names.kinds.contains(&kind) {
        return Err(format!(
            "this cloud does not share images with {} (member_kinds in config.json)",
            kind.plural()
        ));
    }
    Ok(kind)
}

/// The member a row names, by its kind: a project (ID or known name), an account (ID or known
/// name) or an organization (its URN).
fn resolve_member(
    kind: MemberKind,
    text: &str,
    names: &Names,
    by_name: &HashMap<&str, Vec<&str>>,
) -> Result<String, String> {
    match kind {
        MemberKind::Project => resolve_project(text, names, by_name),
        MemberKind::Organization if is_organization_urn(text) => Ok(text.to_string()),
        MemberKind::Organization => Err(format!(
            "{text} is not an organization URN (organizations::<account ID>:ou:o-<org>/ou-<ou>)"
        )),
        MemberKind::Domain => {
            let lower = text.to_ascii_lowercase();
            let id = if is_project_id(&lower) {
                lower
            } else {
                match by_name.get(text).map(Vec::as_slice).unwrap_or_default() {
                    [one] => (*one).to_string(),
                    [] => {
                        return Err(format!(
                        "{text} is neither an account ID (32 hex characters) nor a name you know"
                    ))
                    }
                    many => {
                        return Err(format!(
                            "{} entries are named {text}: use the account ID",
                            many.len()
                        ))
                    }
                }
            };
            if id == names.own_account {
                Err("this is your own account: an image cannot be shared with the account that owns it".into())
            } else {
                Ok(id)
            }
        }
    }
}

/// Project name → IDs, built once per plan: a look-up per row, not a scan of every name.
fn project_index(names: &Names) -> HashMap<&str, Vec<&str>> {
    let mut by_name: HashMap<&str, Vec<&str>> = HashMap::new();
    for (id, name) in &names.projects {
        by_name.entry(name.as_str()).or_default().push(id.as_str());
    }
    by_name
}

fn wanted(state: &str) -> Result<Wanted, String> {
    match state.to_ascii_lowercase().as_str() {
        "shared" => Ok(Wanted::Shared),
        "not-shared" | "not shared" | "unshared" => Ok(Wanted::NotShared),
        "" => Err("the state is missing (shared or not-shared)".into()),
        other => Err(format!(
            "the state {other} is neither shared nor not-shared"
        )),
    }
}

/// The images the plan's rows name (by ID or name) that exist, each once: those whose
/// members must be read before the diff.
pub fn images_named(rows: &[PlanRow], names: &Names) -> Vec<String> {
    let (by_name, ids) = image_index(names);
    let mut seen = HashSet::new();
    let mut out: Vec<String> = Vec::new();
    for r in rows {
        if let Ok(id) = resolve_image(&r.image, &by_name, &ids) {
            if seen.insert(id.clone()) {
                out.push(id);
            }
        }
    }
    out
}

fn image_index(names: &Names) -> (HashMap<String, Vec<String>>, HashSet<String>) {
    let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
    for (id, name) in &names.images {
        by_name
            .entry(name.clone())
            .or_default()
            .push(id.to_ascii_lowercase());
    }
    (
        by_name,
        names
            .images
            .iter()
            .map(|(id, _)| id.to_ascii_lowercase())
            .collect(),
    )
}

/// Checks every row and compares the plan with `members` (image ID → member project IDs).
/// A pair named twice with the same state counts once; with opposite states, the later row
/// is refused.
pub fn diff(
    rows: &[PlanRow],
    names: &Names,
    members: &HashMap<String, HashSet<String>>,
) -> PlanDiff {
    let (by_name, ids) = image_index(names);
    let projects = project_index(names);
    let mut seen: HashMap<(String, MemberKind, String), (Wanted, usize)> = HashMap::new();
    let mut out = PlanDiff::default();
    for row in rows {
        let checked = resolve_image(&row.image, &by_name, &ids)
            .and_then(|i| member_kind(&row.member_type, names).map(|k| (i, k)))
            .and_then(|(i, k)| resolve_member(k, &row.project, names, &projects).map(|p| (i, k, p)))
            .and_then(|(i, k, p)| wanted(&row.state).map(|w| (i, k, p, w)));
        let (image, kind, project, want) = match checked {
            Ok(x) => x,
            Err(message) => {
                out.invalid.push(RowProblem {
                    line: row.line,
                    message,
                });
                continue;
            }
        };
        match seen.get(&(image.clone(), kind, project.clone())) {
            Some((w, _)) if *w == want => continue,
            Some((_, first)) => {
                out.invalid.push(RowProblem {
                    line: row.line,
                    message: format!("contradicts line {first} for the same image and project"),
                });
                continue;
            }
            None => {
                seen.insert((image.clone(), kind, project.clone()), (want, row.line));
            }
        }
        let is_member = members.get(&image).is_some_and(|m| m.contains(&project));
        match (want, is_member) {
            (Wanted::Shared, false) => out.add.push(Change {
                line: row.line,
                image,
                project,
                kind,
            }),
            (Wanted::NotShared, true) => out.remove.push(Change {
                line: row.line,
                image,
                project,
                kind,
            }),
            _ => out.unchanged += 1,
        }
    }
    out
}

/// Where one change of an applied plan stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Not sent yet, or its job has not ended.
    Pending,
    Done(Option<String>),
    Failed(String),
}

/// How many changes stand where: done, failed, still pending.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub done: usize,
    pub failed: usize,
    pub pending: usize,
}

impl Tally {
    pub fn of<'a>(outcomes: impl IntoIterator<Item = &'a Outcome>) -> Self {
        let mut t = Tally::default();
        for o in outcomes {
            match o {
                Outcome::Done(_) => t.done += 1,
                Outcome::Failed(_) => t.failed += 1,
                Outcome::Pending => t.pending += 1,
            }
        }
        t
    }
}

impl Outcome {
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Pending => "pending",
            Outcome::Done(_) => "done",
            Outcome::Failed(_) => "failed",
        }
    }
    pub fn message(&self) -> &str {
        match self {
            Outcome::Pending => "",
            Outcome::Done(m) => m.as_deref().unwrap_or_default(),
            Outcome::Failed(m) => m,
        }
    }
}

/// The outcome of one pair from the jobs that carried it (`kind` is share or stop sharing).
/// A pair no job carries is pending; a per-pair result wins over the job's state.
pub fn outcome(jobs: &[&TrackedJob], kind: JobKind, image: &str, project: &str) -> Outcome {
    let Some(job) = jobs.iter().find(|j| {
        j.kind == kind
            && j.images.iter().any(|i| i == image)
            && j.projects.iter().any(|p| p == project)
    }) else {
        return Outcome::Pending;
    };
    let result = job
        .results
        .iter()
        .find(|r| r.image_id == image && r.project_id.as_deref().is_none_or(|p| p == project));
    match (result, job.state) {
        (Some(r), _) if r.ok => Outcome::Done(r.message.clone()),
        (Some(r), _) => Outcome::Failed(r.message.clone().unwrap_or_else(|| "failed".into())),
        (None, JobState::Succeeded) => Outcome::Done(None),
        (None, JobState::Failed) => Outcome::Failed(
            job.failure_words()
                .unwrap_or_else(|| "the job failed".into()),
        ),
        (None, _) => Outcome::Pending,
    }
}

/// The per-row results of an applied plan as CSV. `name_of_image` and `name_of_project`
/// give names where known.
pub fn results_csv(
    rows: &[(&Change, &'static str, Outcome)],
    name_of_image: &dyn Fn(&str) -> String,
    name_of_project: &dyn Fn(&str) -> String,
) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|(c, action, o)| {
            vec![
                c.line.to_string(),
                c.image.clone(),
                name_of_image(&c.image),
                c.project.clone(),
                name_of_project(&c.project),
                action.to_string(),
                o.label().to_string(),
                o.message().to_string(),
            ]
        })
        .collect();
    crate::csv::write(
        &[
            "line",
            "image_id",
            "image_name",
            "project_id",
            "project_name",
            "action",
            "result",
            "message",
        ],
        &cells,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const IMG_A: &str = "d164b5df-1bc3-4c3f-893e-3e471fd16e64";
    const IMG_B: &str = "0b8b0c8e-7a1d-4d0c-9f2b-1f1f1f1f1f1f";
    const DEV: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const TEST: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    const OWN: &str = "cccccccccccccccccccccccccccccccc";

    fn names() -> Names {
        Names {
            images: vec![
                (IMG_A.into(), "debian-12".into()),
                (IMG_B.into(), "ubuntu-24".into()),
            ],
            projects: vec![
                (DEV.into(), "acme-dev".into()),
                (TEST.into(), "acme-test".into()),
                (OWN.into(), "acme-images".into()),
            ],
            own_project: OWN.into(),
            own_account: OWN_ACCOUNT.into(),
            kinds: vec![MemberKind::Project, MemberKind::Domain],
        }
    }

    const OWN_ACCOUNT: &str = "dddddddddddddddddddddddddddddddd";
    const ACCOUNT: &str = "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";

    #[test]
    fn rows_name_accounts_and_organizations_where_the_cloud_takes_them() {
        let urn = format!("organizations::{ACCOUNT}:ou:o-abc/ou-def");
        let rows = read(
            format!(
                "image,project,state,member_type
                 debian-12,{ACCOUNT},shared,domain
                 debian-12,acme-dev,shared,
                 debian-12,{OWN_ACCOUNT},shared,domain
                 debian-12,{urn},shared,organization
                 debian-12,{ACCOUNT},shared,team
"
            )
            .as_bytes(),
        )
        .unwrap();
        let members: HashMap<String, HashSet<String>> =
            [(IMG_A.to_string(), [ACCOUNT.to_string()].into())].into();
        let d = diff(&rows, &names(), &members);
        assert_eq!(d.unchanged, 1, "the account is a member already");
        assert_eq!(d.add.len(), 1);
        assert_eq!(d.add[0].kind, MemberKind::Project);
        let problems: Vec<(usize, &str)> = d
            .invalid
            .iter()
            .map(|p| (p.line, p.message.as_str()))
            .collect();
        assert!(problems[0].1.contains("your own account"), "{problems:?}");
        assert!(problems[1]
            .1
            .contains("does not share images with organizations"));
        assert!(problems[2]
            .1
            .contains("none of project, domain, organization"));
        let with_orgs = Names {
            kinds: MemberKind::ALL.to_vec(),
            ..names()
        };
        let d = diff(&rows, &with_orgs, &members);
        assert_eq!(d.add[1].target().1.id, urn);
        assert_eq!(d.add[1].kind, MemberKind::Organization);
    }

    #[test]
    fn csv_with_comments_any_column_order_and_quotes_is_read_with_line_numbers() {
        let text = "# plan for the golden image\nstate,image,project\nshared,debian-12,acme-dev\n\n\"not-shared\",\"ubuntu-24\",\"acme-test\"\n";
        let rows = read(text.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (
                rows[0].line,
                rows[0].image.as_str(),
                rows[0].project.as_str(),
                rows[0].state.as_str()
            ),
            (3, "debian-12", "acme-dev", "shared")
        );
        assert_eq!(rows[1].line, 5);
    }

    #[test]
    fn whole_file_problems_are_said_plainly() {
        assert!(read(b"img,proj\n")
            .unwrap_err()
            .contains("header with the columns image, project and state"));
        assert!(read(b"# only a comment\n")
            .unwrap_err()
            .contains("no header row"));
        assert!(read(b"image,project,state\nshared,\xff\xfe,x\n")
            .unwrap_err()
            .starts_with("Line 2 is not UTF-8"));
        assert!(read(&vec![b' '; MAX_PLAN_BYTES + 1])
            .unwrap_err()
            .contains("at most 10 MB"));
        assert!(read(b"[{\"image\": 1,}]")
            .unwrap_err()
            .contains("JSON is not valid"));
    }

    #[test]
    fn json_plans_are_read() {
        let rows =
            read(br#"[{"image":"debian-12","project":"acme-dev","state":"shared"}]"#).unwrap();
        assert_eq!(
            rows,
            vec![PlanRow {
                line: 1,
                image: "debian-12".into(),
                project: "acme-dev".into(),
                state: "shared".into(),
                member_type: String::new(),
            }]
        );
    }

    #[test]
    fn the_diff_sorts_rows_into_add_remove_unchanged_and_invalid() {
        let rows = read(
            format!(
                "image,project,state\ndebian-12,acme-dev,shared\n{IMG_A},{TEST},shared\nubuntu-24,acme-dev,not-shared\nubuntu-24,{TEST},not-shared\n\
                 centos,acme-dev,shared\ndebian-12,12345,shared\ndebian-12,acme-images,shared\ndebian-12,acme-dev,maybe\ndebian-12,acme-dev,not-shared\ndebian-12,acme-dev,shared\n"
            )
            .as_bytes(),
        )
        .unwrap();
        let members: HashMap<String, HashSet<String>> = [
            (IMG_A.to_string(), [TEST.to_string()].into()),
            (IMG_B.to_string(), [DEV.to_string()].into()),
        ]
        .into();
        assert_eq!(
            images_named(&rows, &names()),
            vec![IMG_A.to_string(), IMG_B.to_string()],
            "centos is no image"
        );
        let d = diff(&rows, &names(), &members);
        assert_eq!(
            d.add,
            vec![Change {
                line: 2,
                image: IMG_A.to_string(),
                project: DEV.to_string(),
                kind: MemberKind::Project,
            }]
        );
        assert_eq!(
            d.remove,
            vec![Change {
                line: 4,
                image: IMG_B.to_string(),
                project: DEV.to_string(),
                kind: MemberKind::Project,
            }]
        );
        assert_eq!(
            d.unchanged, 2,
            "already shared with test; ubuntu not shared with test"
        );
        let lines: Vec<usize> = d.invalid.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![6, 7, 8, 9, 10]);
        assert!(d.invalid[0].message.contains("no image is named centos"));
        assert!(d.invalid[1].message.contains("neither a project ID"));
        assert!(d.invalid[2].message.contains("your own project"));
        assert!(d.invalid[3]
            .message
            .contains("neither shared nor not-shared"));
        assert!(d.invalid[4].message.contains("contradicts line 2"));
    }

    #[test]
    fn each_change_takes_its_outcome_from_the_job_that_carried_it() {
        let c = Change {
            line: 3,
            image: IMG_A.into(),
            project: DEV.into(),
            kind: MemberKind::Project,
        };
        let mut server = TrackedJob::new_server(
            JobKind::Share,
            "j1".into(),
            OWN.into(),
            vec![IMG_A.into(), IMG_B.into()],
            vec![DEV.into()],
            0,
        );
        assert_eq!(outcome(&[], JobKind::Share, IMG_A, DEV), Outcome::Pending);
        assert_eq!(
            outcome(&[&server], JobKind::Share, IMG_A, DEV),
            Outcome::Pending
        );
        assert_eq!(
            outcome(&[&server], JobKind::StopSharing, IMG_A, DEV),
            Outcome::Pending,
            "another kind of job does not count"
        );
        server.state = JobState::Failed;
        server.fail_reason = Some("quota exceeded".into());
        assert!(
            matches!(outcome(&[&server], JobKind::Share, IMG_A, DEV), Outcome::Failed(m) if m.contains("quota exceeded"))
        );
        server.results = vec![crate::jobs::PairResult {
            image_id: IMG_A.into(),
            project_id: None,
            ok: true,
            message: None,
        }];
        assert_eq!(
            outcome(&[&server], JobKind::Share, IMG_A, DEV),
            Outcome::Done(None)
        );
        let mut client = TrackedJob::new_client(
            JobKind::Share,
            "local-1".into(),
            vec![IMG_A.into()],
            vec![DEV.into(), TEST.into()],
            2,
            0,
        );
        client.record(
            crate::jobs::PairResult {
                image_id: IMG_A.into(),
                project_id: Some(TEST.into()),
                ok: false,
                message: Some("403".into()),
            },
            1,
        );
        assert_eq!(
            outcome(&[&client], JobKind::Share, IMG_A, DEV),
            Outcome::Pending
        );
        assert_eq!(
            outcome(&[&client], JobKind::Share, IMG_A, TEST),
            Outcome::Failed("403".into())
        );
        let text = results_csv(
            &[(&c, "share", Outcome::Done(None))],
            &|_| "debian-12".into(),
            &|_| String::new(),
        );
        assert_eq!(text, format!("line,image_id,image_name,project_id,project_name,action,result,message\r\n3,{IMG_A},debian-12,{DEV},,share,done,\r\n"));
    }

    #[test]
    fn ten_thousand_rows_diff_at_once() {
        let mut text = String::from("image,project,state\n");
        let mut projects = Vec::new();
        for n in 0..5000 {
            let p = format!("{n:032x}");
            text.push_str(&format!("debian-12,{p},shared\nubuntu-24,{p},not-shared\n"));
            projects.push((p, format!("p{n}")));
        }
        let rows = read(text.as_bytes()).unwrap();
        let names = Names {
            projects,
            ..names()
        };
        let d = diff(&rows, &names, &HashMap::new());
        assert_eq!(
            (d.add.len(), d.remove.len(), d.unchanged, d.invalid.len()),
            (5000, 0, 5000, 0)
        );
    }
}
