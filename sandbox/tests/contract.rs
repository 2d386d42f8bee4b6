//! Contract: one scenario of the native member and image-list calls, run against the sandbox
//! (Glance mode) and against real Glance, comparing status codes and body shapes, so the
//! sandbox cannot drift from Glance. Needs the real pair from `openstack/start.sh`:
//! `cargo xtask test` runs it with OS_SEED pointing at its seed.json.

mod common;
use std::collections::BTreeSet;

use common::{call, login_body};
use serde_json::{json, Value};

struct Target {
    iam: String,
    image: String,
    owner: (String, String, String),
    recipient: (String, String, String),
    owner_pid: String,
    recipient_pid: String,
    shared_image: String,
    private_image: String,
}

fn token(iam: &str, (user, password, project): &(String, String, String)) -> String {
    let a = call(
        "POST",
        &format!("{iam}/v3/auth/tokens"),
        None,
        Some(login_body(user, password, project)),
        &[],
    );
    assert_eq!(a.status, 201, "{}", a.text);
    a.header("x-subject-token").unwrap().to_string()
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

/// (step, status, body keys) for every step of the scenario.
fn scenario(t: &Target) -> Vec<(String, u16, BTreeSet<String>)> {
    let own = token(&t.iam, &t.owner);
    let rec = token(&t.iam, &t.recipient);
    let img = |p: &str| format!("{}{p}", t.image);
    let out = std::cell::RefCell::new(Vec::new());
    let step = |name: &str,
                method: &str,
                path: &str,
                tok: &str,
                body: Option<Value>,
                extra: &[(&str, &str)]|
     -> Value {
        let a = call(method, &img(path), Some(tok), body, extra);
        let v: Value = serde_json::from_str(&a.text).unwrap_or(Value::Null);
        out.borrow_mut()
            .push((name.to_string(), a.status, keys(&v)));
        v
    };
    let s = &t.shared_image;
    let patch = ureq::request("PATCH", &img(&format!("/v2/images/{s}")))
        .set("X-Auth-Token", &own)
        .set(
            "Content-Type",
            "application/openstack-images-v2.1-json-patch",
        )
        .send_string(r#"[{"op":"replace","path":"/visibility","value":"shared"}]"#)
        .map(|r| r.status())
        .unwrap_or_else(|e| match e {
            ureq::Error::Status(c, _) => c,
            other => panic!("{other}"),
        });
    out.borrow_mut()
        .push(("patch visibility shared".into(), patch, BTreeSet::new()));
    let list = step(
        "list own images",
        "GET",
        &format!("/v2/images?owner={}&limit=2", t.owner_pid),
        &own,
        None,
        &[],
    );
    let first = &list["images"][0];
    let wanted: BTreeSet<String> = [
        "id",
        "name",
        "owner",
        "status",
        "visibility",
        "size",
        "disk_format",
        "created_at",
        "updated_at",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let present: BTreeSet<String> = keys(first).intersection(&wanted).cloned().collect();
    out.borrow_mut()
        .push(("image fields the console reads".into(), 0, present));
    let r = t.recipient_pid.clone();
    let added = step(
        "add member",
        "POST",
        &format!("/v2/images/{s}/members"),
        &own,
        Some(json!({"member": r})),
        &[],
    );
    out.borrow_mut().push((
        format!("added status {}", added["status"]),
        0,
        BTreeSet::new(),
    ));
    step(
        "add the same member again",
        "POST",
        &format!("/v2/images/{s}/members"),
        &own,
        Some(json!({"member": r})),
        &[],
    );
    let all = step(
        "owner lists members",
        "GET",
        &format!("/v2/images/{s}/members"),
        &own,
        None,
        &[],
    );
    out.borrow_mut().push((
        format!(
            "owner sees {} member(s)",
            all["members"].as_array().map_or(0, Vec::len)
        ),
        0,
        BTreeSet::new(),
    ));
    step(
        "owner gets the member",
        "GET",
        &format!("/v2/images/{s}/members/{r}"),
        &own,
        None,
        &[],
    );
    let mine = step(
        "member lists members",
        "GET",
        &format!("/v2/images/{s}/members"),
        &rec,
        None,
        &[],
    );
    out.borrow_mut().push((
        format!(
            "member sees {} member(s)",
            mine["members"].as_array().map_or(0, Vec::len)
        ),
        0,
        BTreeSet::new(),
    ));
    step(
        "owner sets the status",
        "PUT",
        &format!("/v2/images/{s}/members/{r}"),
        &own,
        Some(json!({"status": "accepted"})),
        &[],
    );
    step(
        "member sets a bad status",
        "PUT",
        &format!("/v2/images/{s}/members/{r}"),
        &rec,
        Some(json!({"status": "bogus"})),
        &[],
    );
    let acc = step(
        "member accepts",
        "PUT",
        &format!("/v2/images/{s}/members/{r}"),
        &rec,
        Some(json!({"status": "accepted"})),
        &[],
    );
    out.borrow_mut().push((
        format!("accepted status {}", acc["status"]),
        0,
        BTreeSet::new(),
    ));
    let inbox = step(
        "member lists accepted shared images",
        "GET",
        "/v2/images?visibility=shared&member_status=accepted",
        &rec,
        None,
        &[],
    );
    let has = inbox["images"]
        .as_array()
        .is_some_and(|l| l.iter().any(|i| i["id"] == json!(s)));
    out.borrow_mut().push((
        format!("accepted list holds the image: {has}"),
        0,
        BTreeSet::new(),
    ));
    step(
        "member deletes itself",
        "DELETE",
        &format!("/v2/images/{s}/members/{r}"),
        &rec,
        None,
        &[],
    );
    step(
        "owner deletes the member",
        "DELETE",
        &format!("/v2/images/{s}/members/{r}"),
        &own,
        None,
        &[],
    );
    step(
        "owner gets the deleted member",
        "GET",
        &format!("/v2/images/{s}/members/{r}"),
        &own,
        None,
        &[],
    );
    step(
        "add member to an unknown image",
        "POST",
        "/v2/images/00000000-0000-4000-a000-000000000000/members",
        &own,
        Some(json!({"member": r})),
        &[],
    );
    step(
        "add member to a private image",
        "POST",
        &format!("/v2/images/{}/members", t.private_image),
        &own,
        Some(json!({"member": r})),
        &[],
    );
    step(
        "list the members of a private image",
        "GET",
        &format!("/v2/images/{}/members", t.private_image),
        &own,
        None,
        &[],
    );
    let html = ureq::get(&img("/v2/images/00000000-0000-4000-a000-000000000000"))
        .set("X-Auth-Token", &own)
        .call();
    let html_type = match html {
        Err(ureq::Error::Status(_, resp)) => resp.content_type().to_string(),
        other => format!("unexpected {:?}", other.map(|r| r.status())),
    };
    out.borrow_mut().push((
        format!("error without Accept JSON is {html_type}"),
        0,
        BTreeSet::new(),
    ));
    let quota = call("GET", &img("/v1/cloudimages/quota"), Some(&own), None, &[]).status;
    out.borrow_mut().push((
        format!("no IMS quota path (2xx: {})", (200..300).contains(&quota)),
        0,
        BTreeSet::new(),
    ));
    out.into_inner()
}

fn real() -> Option<Target> {
    let path = std::env::var("OS_SEED").ok()?;
    let seed: Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    let user = |n: &str| {
        (
            n.to_string(),
            seed["users"][n]["password"].as_str().unwrap().to_string(),
            seed["users"][n]["project"].as_str().unwrap().to_string(),
        )
    };
    Some(Target {
        iam: seed["keystone"].as_str()?.to_string(),
        image: seed["glance"].as_str()?.to_string(),
        owner: user("owner"),
        recipient: user("consumer2"),
        owner_pid: seed["projects"]["owner"].as_str()?.to_string(),
        recipient_pid: seed["projects"]["consumer2"].as_str()?.to_string(),
        shared_image: seed["images"]["seed-shared"].as_str()?.to_string(),
        private_image: seed["images"]["seed-private"].as_str()?.to_string(),
    })
}

fn sandbox() -> Target {
    let sb = common::Sb::start(ims_sandbox::Options {
        glance_mode: true,
        ..Default::default()
    });
    Target {
        iam: sb.base.clone(),
        image: sb.base.clone(),
        owner: ("owner".into(), "Owner-Pass-1".into(), "acme-images".into()),
        recipient: ("tester".into(), "Test-Pass-1".into(), "acme-test".into()),
        owner_pid: sb.project("acme-images"),
        recipient_pid: sb.project("acme-test"),
        shared_image: sb.image("rocky-9-db"),
        private_image: sb.image("debian-12-hardened"),
    }
}

#[test]
#[ignore = "needs real Keystone + Glance (openstack/start.sh); cargo xtask test runs it with OS_SEED"]
fn sandbox_matches_real_glance_on_the_native_member_calls() {
    let real = real().expect("OS_SEED names the seed.json of a running openstack/start.sh");
    let theirs = scenario(&real);
    let ours = scenario(&sandbox());
    assert_eq!(theirs.len(), ours.len());
    let mut diffs = Vec::new();
    for ((name, s1, k1), (_, s2, k2)) in theirs.iter().zip(&ours) {
        println!(
            "{name:<45} real {s1:>3} {k1:?}\n{:<45} ours {s2:>3} {k2:?}",
            ""
        );
        if s1 != s2 || k1 != k2 {
            diffs.push(format!("{name}: real {s1} {k1:?} / sandbox {s2} {k2:?}"));
        }
    }
    assert!(
        diffs.is_empty(),
        "the sandbox drifted from Glance:\n{}",
        diffs.join("\n")
    );
}
