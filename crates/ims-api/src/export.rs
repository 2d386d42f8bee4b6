//! Exports: who has which image, as CSV and JSON, and a job's per-pair results as CSV.

use std::collections::HashMap;

use serde::Serialize;

use crate::csv::write as csv;
use crate::jobs::TrackedJob;
use crate::members::Member;

/// One member of one image, with the names the console knows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MemberRow {
    pub image_id: String,
    pub image_name: String,
    pub project_id: String,
    /// Empty when the project is not one the user knows by name.
    pub project_name: String,
    pub status: String,
    pub created: String,
    pub updated: String,
    /// `project`, `domain` or `organization` (then `project_id` holds the URN), so that the
    /// file reads back as a share plan. Only where the cloud has more than projects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member_type: Option<String>,
}

const MEMBER_COLUMNS: [&str; 8] = [
    "image_id",
    "image_name",
    "project_id",
    "project_name",
    "status",
    "created",
    "updated",
    "member_type",
];

/// The rows of one image's members, named from `project_names` (ID → name). `with_kind`:
/// each row says its member's kind (clouds with accounts or organizations as members).
pub fn member_rows(
    image_id: &str,
    image_name: &str,
    members: &[Member],
    project_names: &HashMap<String, String>,
    with_kind: bool,
) -> Vec<MemberRow> {
    members
        .iter()
        .map(|m| MemberRow {
            image_id: image_id.to_string(),
            image_name: image_name.to_string(),
            project_id: m.target_id().to_string(),
            project_name: project_names.get(&m.member_id).cloned().unwrap_or_default(),
            status: m.status.to_string(),
            created: m.created_at.clone().unwrap_or_default(),
            updated: m.updated_at.clone().unwrap_or_default(),
            member_type: with_kind.then(|| {
                m.member_type
                    .clone()
                    .unwrap_or_else(|| "project".to_string())
            }),
        })
        .collect()
}

pub fn members_csv(rows: &[MemberRow]) -> String {
    let with_kind = rows.iter().any(|r| r.member_type.is_some());
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut row = vec![
                r.image_id.clone(),
                r.image_name.clone(),
                r.project_id.clone(),
                r.project_name.clone(),
                r.status.clone(),
                r.created.clone(),
                r.updated.clone(),
            ];
            row.extend(r.member_type.clone());
            row
        })
        .collect();
    let columns = if with_kind {
        &MEMBER_COLUMNS[..]
    } else {
        &MEMBER_COLUMNS[..7]
    };
    csv(columns, &cells)
}

pub fn members_json(rows: &[MemberRow]) -> String {
    serde_json::to_string_pretty(rows).unwrap_or_else(|_| "[]".into())
}

/// A job's results, one row per image (and project, for native calls).
pub fn job_results_csv(job: &TrackedJob) -> String {
    let cells: Vec<Vec<String>> = job
        .results
        .iter()
        .map(|r| {
            vec![
                job.kind.label().to_string(),
                job.id.clone(),
                r.image_id.clone(),
                r.project_id.clone().unwrap_or_default(),
                if r.ok { "ok".into() } else { "failed".into() },
                r.message.clone().unwrap_or_default(),
            ]
        })
        .collect();
    csv(
        &[
            "job",
            "job_id",
            "image_id",
            "project_id",
            "result",
            "message",
        ],
        &cells,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::{JobKind, PairResult};

    fn member(id: &str, status: &str) -> Member {
        Member {
            member_id: id.into(),
            image_id: "img".into(),
            status: status.into(),
            created_at: Some("2026-11-01T10:00:00Z".into()),
            updated_at: None,
            member_type: None,
            urn: None,
        }
    }

    #[test]
    fn members_export_as_csv_and_json_with_known_names() {
        let names: HashMap<String, String> = [("p1".to_string(), "acme, dev".to_string())].into();
        let rows = member_rows(
            "img",
            "debian \"12\"",
            &[member("p1", "accepted"), member("p2", "pending")],
            &names,
            true,
        );
        let text = members_csv(&rows);
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "image_id,image_name,project_id,project_name,status,created,updated,member_type"
        );
        assert_eq!(
            lines[1],
            "img,\"debian \"\"12\"\"\",p1,\"acme, dev\",accepted,2026-11-01T10:00:00Z,,project"
        );
        assert_eq!(
            lines[2],
            "img,\"debian \"\"12\"\"\",p2,,pending,2026-11-01T10:00:00Z,,project"
        );
        let json: serde_json::Value = serde_json::from_str(&members_json(&rows)).unwrap();
        assert_eq!(json[0]["project_name"], "acme, dev");
        assert_eq!(json[1]["status"], "pending");
        let plain = member_rows("img", "x", &[member("p1", "accepted")], &names, false);
        assert_eq!(
            members_csv(&plain).split("\r\n").next(),
            Some("image_id,image_name,project_id,project_name,status,created,updated"),
            "a cloud of projects only keeps the columns it always had"
        );
        assert!(
            serde_json::from_str::<serde_json::Value>(&members_json(&plain)).unwrap()[0]
                .get("member_type")
                .is_none()
        );
    }

    #[test]
    fn job_results_export_one_row_per_result() {
        let mut job = TrackedJob::new_client(
            JobKind::Share,
            "local-1".into(),
            vec!["i".into()],
            vec!["p".into(), "q".into()],
            2,
            0,
        );
        job.record(
            PairResult {
                image_id: "i".into(),
                project_id: Some("p".into()),
                ok: true,
                message: None,
            },
            1,
        );
        job.record(
            PairResult {
                image_id: "i".into(),
                project_id: Some("q".into()),
                ok: false,
                message: Some("HTTP 500".into()),
            },
            2,
        );
        assert_eq!(job_results_csv(&job), "job,job_id,image_id,project_id,result,message\r\nShare,local-1,i,p,ok,\r\nShare,local-1,i,q,failed,HTTP 500\r\n");
    }
}
