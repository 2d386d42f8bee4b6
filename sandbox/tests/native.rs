mod common;
use common::*;
use serde_json::json;

#[test]
fn add_member_answers_pending_record_then_409_on_duplicate() {
    let sb = Sb::fast();
    let t = sb.owner();
    let img = sb.image("rocky-9-db");
    let a = sb.send(
        "POST",
        &format!("/v2/images/{img}/members"),
        &t,
        json!({"member": sb.project("acme-test")}),
    );
    assert_eq!(a.status, 200);
    let m = a.json();
    assert_eq!(
        (m["status"].as_str(), m["schema"].as_str()),
        (Some("pending"), Some("/v2/schemas/member"))
    );
    assert_eq!(m["image_id"], img);
    assert!(m["created_at"].is_string() && m["updated_at"].is_string());
    assert_eq!(
        sb.send(
            "POST",
            &format!("/v2/images/{img}/members"),
            &t,
            json!({"member": sb.project("acme-test")})
        )
        .status,
        409
    );
}

#[test]
fn non_owner_add_and_owner_status_change_are_403() {
    let sb = Sb::fast();
    let dev = sb.dev();
    let img = sb.image("shared-accepted-dev");
    assert_eq!(
        sb.send(
            "POST",
            &format!("/v2/images/{img}/members"),
            &dev,
            json!({"member": sb.project("partner-prod")})
        )
        .status,
        403
    );
    let owner = sb.owner();
    let a = sb.send(
        "PUT",
        &format!("/v2/images/{img}/members/{}", sb.project("acme-dev")),
        &owner,
        json!({"status": "rejected"}),
    );
    assert_eq!(a.status, 403);
}

#[test]
fn unknown_image_or_member_is_404_and_bad_status_400() {
    let sb = Sb::fast();
    let t = sb.owner();
    let none = "00000000-0000-4000-a000-000000000000";
    assert_eq!(
        sb.send(
            "POST",
            &format!("/v2/images/{none}/members"),
            &t,
            json!({"member": sb.project("acme-dev")})
        )
        .status,
        404
    );
    let img = sb.image("ubuntu-24.04-base");
    assert_eq!(
        sb.get(
            &format!("/v2/images/{img}/members/{}", sb.project("acme-dev")),
            &t
        )
        .status,
        404
    );
    let dev = sb.dev();
    let shared = sb.image("shared-pending-dev");
    let a = sb.send(
        "PUT",
        &format!("/v2/images/{shared}/members/{}", sb.project("acme-dev")),
        &dev,
        json!({"status": "maybe"}),
    );
    assert_eq!(a.status, 400);
}

#[test]
fn member_moves_between_statuses_and_owner_deletes_with_204() {
    let sb = Sb::fast();
    let dev = sb.dev();
    let pid = sb.project("acme-dev");
    let img = sb.image("shared-rejected-dev");
    for s in ["accepted", "pending", "rejected"] {
        let a = sb.send(
            "PUT",
            &format!("/v2/images/{img}/members/{pid}"),
            &dev,
            json!({"status": s}),
        );
        assert_eq!((a.status, a.json()["status"].as_str()), (200, Some(s)));
    }
    assert_eq!(
        call(
            "DELETE",
            &sb.url(&format!("/v2/images/{img}/members/{pid}")),
            Some(&dev),
            None,
            &[]
        )
        .status,
        403
    );
    let owner = sb.owner();
    assert_eq!(
        call(
            "DELETE",
            &sb.url(&format!("/v2/images/{img}/members/{pid}")),
            Some(&owner),
            None,
            &[]
        )
        .status,
        204
    );
    assert_eq!(
        sb.get(&format!("/v2/images/{img}/members/{pid}"), &owner)
            .status,
        404
    );
}

#[test]
fn a_member_sees_only_its_own_entry() {
    let sb = Sb::fast();
    let img = sb.image("shared-to-many");
    let all = sb
        .get(&format!("/v2/images/{img}/members"), &sb.owner())
        .json();
    assert_eq!(all["members"].as_array().unwrap().len(), 3);
    assert_eq!(all["schema"], "/v2/schemas/members");
    let mine = sb
        .get(&format!("/v2/images/{img}/members"), &sb.dev())
        .json();
    let list = mine["members"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["member_id"], sb.project("acme-dev"));
}

#[test]
fn v2_errors_are_html_unless_json_is_asked_for() {
    let sb = Sb::fast();
    let t = sb.owner();
    let url = sb.url("/v2/images/00000000-0000-4000-a000-000000000000");
    let html = ureq::get(&url).set("X-Auth-Token", &t).call().unwrap_err();
    let ureq::Error::Status(404, r) = html else {
        panic!("expected 404")
    };
    assert!(r.content_type().contains("html"));
    assert!(r.into_string().unwrap().contains("<h1>404 Not Found</h1>"));
    let j = call("GET", &url, Some(&t), None, &[]).json();
    assert_eq!(
        (j["code"].as_str(), j["title"].as_str()),
        (Some("404 Not Found"), Some("Not Found"))
    );
    assert!(j["message"].as_str().unwrap().contains("<br /><br />"));
}

#[test]
fn glance_mode_needs_shared_visibility_and_patch_switches_it() {
    let sb = Sb::start(ims_sandbox::Options {
        glance_mode: true,
        ..Default::default()
    });
    let t = sb.owner();
    let img = sb.image("ubuntu-24.04-base");
    let a = sb.send(
        "POST",
        &format!("/v2/images/{img}/members"),
        &t,
        json!({"member": "any-project"}),
    );
    assert_eq!(a.status, 403);
    let p = call(
        "PATCH",
        &sb.url(&format!("/v2/images/{img}")),
        Some(&t),
        None,
        &[],
    );
    assert_eq!(p.status, 400, "an empty patch is refused");
    let r = ureq::request("PATCH", &sb.url(&format!("/v2/images/{img}")))
        .set("X-Auth-Token", &t)
        .set(
            "Content-Type",
            "application/openstack-images-v2.1-json-patch",
        )
        .send_string(r#"[{"op":"replace","path":"/visibility","value":"shared"}]"#)
        .unwrap();
    assert_eq!(
        r.into_json::<serde_json::Value>().unwrap()["visibility"],
        "shared"
    );
    assert_eq!(
        sb.send(
            "POST",
            &format!("/v2/images/{img}/members"),
            &t,
            json!({"member": "any-project"})
        )
        .status,
        200
    );
    // Plain Glance has no IMS extension.
    assert_eq!(sb.get("/v1/cloudimages/quota", &t).status, 404);
    assert_eq!(sb.get("/v2/cloudimages", &t).status, 404);
    assert!(sb
        .get(&format!("/v2/images/{img}"), &t)
        .json()
        .get("__imagetype")
        .is_none());
}
