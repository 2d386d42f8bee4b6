mod common;
use common::*;
use serde_json::json;

fn share(sb: &Sb, t: &str, images: &[String], projects: &[String]) -> Answer {
    sb.send(
        "POST",
        "/v1/cloudimages/members",
        t,
        json!({"images": images, "projects": projects}),
    )
}

#[test]
fn share_job_goes_init_running_success_and_adds_pending_members() {
    let sb = Sb::start(ims_sandbox::Options {
        job_delay_ms: (600, 600),
        ..Default::default()
    });
    let t = sb.owner();
    let owner = sb.project("acme-images");
    let a = share(
        &sb,
        &t,
        &[
            sb.image("ubuntu-24.04-base"),
            sb.image("debian-12-hardened"),
        ],
        &[sb.project("acme-dev"), sb.project("acme-test")],
    );
    assert_eq!(a.status, 200, "{}", a.text);
    let job_id = a.json()["job_id"].as_str().unwrap().to_string();
    let (job, seen) = sb.wait_job(&owner, &job_id, &t);
    assert_eq!(seen, vec!["INIT", "RUNNING", "SUCCESS"]);
    assert_eq!(job["job_type"], "imsAddImageMembersJob");
    assert!(job["begin_time"].is_string() && job["end_time"].is_string());
    assert_eq!(job["entities"]["results"].as_array().unwrap().len(), 4);
    assert_eq!(job["entities"]["results"][0]["status"], "success");
    assert_eq!(
        sb.member_status("ubuntu-24.04-base", "acme-test")
            .as_deref(),
        Some("pending")
    );
}

#[test]
fn malformed_ids_and_self_share_are_refused_at_once() {
    let sb = Sb::fast();
    let t = sb.owner();
    let img = sb.image("ubuntu-24.04-base");
    let a = share(&sb, &t, &["not-a-uuid".into()], &[sb.project("acme-dev")]);
    assert_eq!(
        (a.status, a.json()["error"]["code"].as_str()),
        (400, Some("IMG.0066"))
    );
    let a = share(&sb, &t, std::slice::from_ref(&img), &["xyz".into()]);
    assert_eq!(
        (a.status, a.json()["error"]["code"].as_str()),
        (400, Some("IMG.0067"))
    );
    let a = share(
        &sb,
        &t,
        std::slice::from_ref(&img),
        &[sb.project("acme-images")],
    );
    assert_eq!(
        (a.status, a.json()["error"]["code"].as_str()),
        (400, Some("IMG.0076"))
    );
    let a = sb.send("POST", "/v1/cloudimages/members", &t, json!({"images": []}));
    assert_eq!(a.status, 400);
}

fn job_error(sb: &Sb, t: &str, image: &str, projects: &[String]) -> (String, Option<String>) {
    let owner = sb.project("acme-images");
    let a = share(sb, t, &[sb.image(image)], projects);
    assert_eq!(a.status, 200, "{}", a.text);
    let (job, _) = sb.wait_job(&owner, a.json()["job_id"].as_str().unwrap(), t);
    (
        job["status"].as_str().unwrap().to_string(),
        job["error_code"].as_str().map(str::to_string),
    )
}

#[test]
fn owner_public_and_encryption_rules_fail_the_job_with_their_codes() {
    let sb = Sb::fast();
    let t = sb.owner();
    let dev = vec![sb.project("acme-dev")];
    assert_eq!(
        job_error(&sb, &t, "partner-tools", &[sb.project("acme-test")]),
        ("FAIL".into(), Some("IMG.0047".into()))
    );
    assert_eq!(
        job_error(&sb, &t, "public-ubuntu-mirror", &dev),
        ("FAIL".into(), Some("IMG.0089".into()))
    );
    assert_eq!(
        job_error(&sb, &t, "encrypted-default-key", &dev),
        ("FAIL".into(), Some("IMG.0098".into()))
    );
    assert_eq!(
        job_error(&sb, &t, "encrypted-nogrant", &dev),
        ("FAIL".into(), Some("IMG.0099".into()))
    );
    assert_eq!(
        job_error(&sb, &t, "encrypted-granted", &[sb.project("partner-prod")]),
        ("FAIL".into(), Some("IMG.0099".into()))
    );
    assert_eq!(
        job_error(&sb, &t, "encrypted-granted", &dev),
        ("SUCCESS".into(), None)
    );
    // A failed job changes nothing.
    assert_eq!(sb.member_status("encrypted-nogrant", "acme-dev"), None);
}

fn fake_projects(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{:032x}", 0xabc000 + i)).collect()
}

#[test]
fn full_ecs_images_take_ten_members_and_others_256() {
    let sb = Sb::fast();
    let t = sb.owner();
    assert_eq!(
        job_error(&sb, &t, "full-ecs-app", &fake_projects(11)),
        ("FAIL".into(), Some("IMG.0088".into()))
    );
    assert_eq!(
        job_error(&sb, &t, "full-ecs-app", &fake_projects(10)),
        ("SUCCESS".into(), None)
    );
    assert_eq!(
        job_error(&sb, &t, "rocky-9-db", &fake_projects(257)),
        ("FAIL".into(), Some("IMG.0088".into()))
    );
    assert_eq!(
        job_error(&sb, &t, "rocky-9-db", &fake_projects(256)),
        ("SUCCESS".into(), None)
    );
}

#[test]
fn the_member_quota_counts_shares_accepted_but_not_yet_carried_out() {
    let sb = Sb::fast();
    let t = sb.owner();
    let owner = sb.project("acme-images");
    let projects = fake_projects(300);
    let image = [sb.image("rocky-9-db")];
    // Both calls are accepted before either job has run: together they are over 256.
    let first = share(&sb, &t, &image, &projects[..200]);
    let second = share(&sb, &t, &image, &projects[200..]);
    let (a, _) = sb.wait_job(&owner, first.json()["job_id"].as_str().unwrap(), &t);
    let (b, _) = sb.wait_job(&owner, second.json()["job_id"].as_str().unwrap(), &t);
    assert_eq!(a["status"], "SUCCESS");
    assert_eq!(
        (b["status"].as_str(), b["error_code"].as_str()),
        (Some("FAIL"), Some("IMG.0088"))
    );
}

#[test]
fn only_the_member_with_its_own_project_token_answers() {
    let sb = Sb::fast();
    let dev_pid = sb.project("acme-dev");
    let owner = sb.owner();
    let img = sb.image("shared-pending-dev");
    // The owner's token, naming the member project: 403.
    let a = sb.send(
        "PUT",
        "/v1/cloudimages/members",
        &owner,
        json!({"images": [img], "project_id": dev_pid, "status": "accepted"}),
    );
    assert_eq!(
        (a.status, a.json()["error"]["code"].as_str()),
        (403, Some("IMG.0026"))
    );
    let dev = sb.dev();
    let a = sb.send(
        "PUT",
        "/v1/cloudimages/members",
        &dev,
        json!({"images": [img], "project_id": dev_pid, "status": "pending"}),
    );
    assert_eq!(a.status, 400, "pending cannot be set through PUT");
    let a = sb.send(
        "PUT",
        "/v1/cloudimages/members",
        &dev,
        json!({"images": [img], "project_id": dev_pid, "status": "accepted"}),
    );
    assert_eq!(a.status, 200);
    let (job, _) = sb.wait_job(&dev_pid, a.json()["job_id"].as_str().unwrap(), &dev);
    assert_eq!(job["status"], "SUCCESS");
    assert_eq!(job["job_type"], "imsUpdateImageMembersJob");
    assert_eq!(
        sb.member_status("shared-pending-dev", "acme-dev")
            .as_deref(),
        Some("accepted")
    );
    // An image not shared with the project fails the job.
    let a = sb.send(
        "PUT",
        "/v1/cloudimages/members",
        &dev,
        json!({"images": [sb.image("rocky-9-db")], "project_id": dev_pid, "status": "rejected"}),
    );
    let (job, _) = sb.wait_job(&dev_pid, a.json()["job_id"].as_str().unwrap(), &dev);
    assert_eq!(job["status"], "FAIL");
}

#[test]
fn full_ecs_accept_needs_a_vault_id() {
    let sb = Sb::fast();
    let dev = sb.dev();
    let pid = sb.project("acme-dev");
    let img = sb.image("partner-full-ecs");
    let a = sb.send(
        "PUT",
        "/v1/cloudimages/members",
        &dev,
        json!({"images": [img], "project_id": pid, "status": "accepted"}),
    );
    let (job, _) = sb.wait_job(&pid, a.json()["job_id"].as_str().unwrap(), &dev);
    assert_eq!(job["error_code"], "IMG.0182");
    let a = sb.send(
        "PUT",
        "/v1/cloudimages/members",
        &dev,
        json!({"images": [img], "project_id": pid, "status": "accepted", "vault_id": "vault-123"}),
    );
    let (job, _) = sb.wait_job(&pid, a.json()["job_id"].as_str().unwrap(), &dev);
    assert_eq!(job["status"], "SUCCESS");
}

#[test]
fn stop_sharing_removes_members_and_needs_the_owner() {
    let sb = Sb::fast();
    let t = sb.owner();
    let owner = sb.project("acme-images");
    let a = sb.send("DELETE", "/v1/cloudimages/members", &t, json!({"images": [sb.image("shared-to-many")], "projects": [sb.project("acme-dev"), sb.project("acme-test")]}));
    let (job, _) = sb.wait_job(&owner, a.json()["job_id"].as_str().unwrap(), &t);
    assert_eq!(
        (job["status"].as_str(), job["job_type"].as_str()),
        (Some("SUCCESS"), Some("imsDelImageMembersJob"))
    );
    assert_eq!(sb.member_status("shared-to-many", "acme-dev"), None);
    assert_eq!(
        sb.member_status("shared-to-many", "partner-prod")
            .as_deref(),
        Some("pending")
    );
    let dev = sb.dev();
    let a = sb.send(
        "DELETE",
        "/v1/cloudimages/members",
        &dev,
        json!({"images": [sb.image("shared-accepted-dev")], "projects": [sb.project("acme-test")]}),
    );
    let (job, _) = sb.wait_job(
        &sb.project("acme-dev"),
        a.json()["job_id"].as_str().unwrap(),
        &dev,
    );
    assert_eq!(job["error_code"], "IMG.0047");
}

#[test]
fn jobs_are_private_to_their_project() {
    let sb = Sb::fast();
    let t = sb.owner();
    let a = share(
        &sb,
        &t,
        &[sb.image("alpine-3.20-edge")],
        &[sb.project("acme-dev")],
    );
    let id = a.json()["job_id"].as_str().unwrap().to_string();
    let dev = sb.dev();
    assert_eq!(
        sb.get(
            &format!("/v1/{}/jobs/{id}", sb.project("acme-images")),
            &dev
        )
        .status,
        403
    );
    assert_eq!(
        sb.get(&format!("/v1/{}/jobs/{id}", sb.project("acme-dev")), &dev)
            .status,
        404
    );
}

#[test]
fn quota_reports_member_usage() {
    let sb = Sb::fast();
    let q = sb.get("/v1/cloudimages/quota", &sb.owner()).json();
    let r = q["quotas"]["resources"].as_array().unwrap();
    let member = r.iter().find(|x| x["type"] == "image_member").unwrap();
    assert_eq!(member["quota"], 256);
    assert_eq!(member["used"], 3);
    assert!(r.iter().any(|x| x["type"] == "image_shared"));
}
