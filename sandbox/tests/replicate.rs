//! Replicating an image shared with you: the copy job and its refusals.
mod common;
use common::*;
use serde_json::json;

#[test]
fn an_accepted_image_is_replicated_into_a_private_image_of_the_project() {
    let sb = Sb::fast();
    let t = sb.dev();
    let dev = sb.project("acme-dev");
    let img = sb.image("partner-monitoring");
    let path = format!("/v1/cloudimages/{img}/copy");
    let a = sb.send(
        "POST",
        &path,
        &t,
        json!({"name": "partner-monitoring-copy"}),
    );
    assert_eq!(a.status, 200, "{}", a.text);
    let (job, _) = sb.wait_job(&dev, a.json()["job_id"].as_str().unwrap(), &t);
    assert_eq!(job["status"], "SUCCESS", "{job}");
    let seed = call("GET", &sb.url("/__admin/seed"), None, None, &[]).json();
    let copy = &seed["images"]["partner-monitoring-copy"];
    assert_eq!(copy["owner"], dev);
    assert_eq!(copy["visibility"], "private");
    assert_ne!(copy["id"], img);
}

#[test]
fn a_pending_image_a_full_ecs_image_without_vault_and_a_bad_name_are_refused() {
    let sb = Sb::fast();
    let t = sb.dev();
    for (image, body, status, words) in [
        (
            "partner-tools",
            json!({"name": "ok-name"}),
            400,
            "accept it",
        ),
        (
            "partner-monitoring",
            json!({"name": " bad;name"}),
            400,
            "name is invalid",
        ),
    ] {
        let a = sb.send(
            "POST",
            &format!("/v1/cloudimages/{}/copy", sb.image(image)),
            &t,
            body,
        );
        assert_eq!(a.status, status, "{image}: {}", a.text);
        assert!(
            a.json()["error"]["message"]
                .as_str()
                .unwrap()
                .contains(words),
            "{}",
            a.text
        );
    }
    // A full-ECS image, accepted with its vault, still needs one to be replicated.
    let img = sb.image("partner-full-ecs");
    let accepted = sb.send(
        "PUT",
        "/v1/cloudimages/members",
        &t,
        json!({"images": [img], "project_id": sb.project("acme-dev"), "status": "accepted", "vault_id": "vault-1"}),
    );
    let (job, _) = sb.wait_job(
        &sb.project("acme-dev"),
        accepted.json()["job_id"].as_str().unwrap(),
        &t,
    );
    assert_eq!(job["status"], "SUCCESS");
    let a = sb.send(
        "POST",
        &format!("/v1/cloudimages/{img}/copy"),
        &t,
        json!({"name": "ecs-copy"}),
    );
    assert_eq!(
        (a.status, a.json()["error"]["code"].as_str()),
        (400, Some("IMG.0182"))
    );
    let a = sb.send(
        "POST",
        &format!("/v1/cloudimages/{img}/copy"),
        &t,
        json!({"name": "ecs-copy", "vault_id": "vault-1"}),
    );
    assert_eq!(a.status, 200, "{}", a.text);
}
