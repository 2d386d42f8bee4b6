//! Accounts and organizations as members, the paged v1 list, and the OTC mode, as the API
//! notes' 2026 section describes them.
mod common;
use common::*;
use serde_json::json;

const URN_ACCOUNT: &str = "0123456789abcdef0123456789abcdef";

fn globex(sb: &Sb) -> String {
    sb.seed["domains"]["globex"]
        .as_str()
        .expect("the seed lists the second account")
        .to_string()
}

#[test]
fn one_job_shares_with_a_project_an_account_and_an_ou_and_the_list_pages_them() {
    let sb = Sb::fast();
    let t = sb.owner();
    let owner = sb.project("acme-images");
    let img = sb.image("debian-12-hardened");
    let urn = format!("organizations::{URN_ACCOUNT}:ou:o-abc123/ou-def456");
    let a = sb.send(
        "POST",
        "/v1/cloudimages/members",
        &t,
        json!({"images": [img], "projects": [sb.project("partner-prod")], "domains": [globex(&sb)], "organizations": [urn]}),
    );
    assert_eq!(a.status, 200, "{}", a.text);
    let (job, _) = sb.wait_job(&owner, a.json()["job_id"].as_str().unwrap(), &t);
    assert_eq!(job["status"], "SUCCESS", "{job}");
    let mut seen = Vec::new();
    let mut marker = String::new();
    loop {
        let q = if marker.is_empty() {
            "?limit=1".to_string()
        } else {
            format!("?limit=1&marker={marker}")
        };
        let page = sb
            .get(&format!("/v1/{owner}/cloudimages/{img}/members{q}"), &t)
            .json();
        assert_eq!(page["page_info"]["current_count"], 1, "{page}");
        seen.push(page["members"][0].clone());
        match page["page_info"]["next_marker"].as_str() {
            Some(m) => marker = m.to_string(),
            None => break,
        }
    }
    let kinds: Vec<&str> = seen
        .iter()
        .map(|m| m["member_type"].as_str().unwrap())
        .collect();
    for kind in ["project", "domain", "organization"] {
        assert!(kinds.contains(&kind), "{kinds:?}");
    }
    let org = seen
        .iter()
        .find(|m| m["member_type"] == "organization")
        .unwrap();
    assert_eq!(org["urn"], urn);
    assert_eq!(org["member_id"], "ou-def456");
    assert!(seen
        .iter()
        .filter(|m| m["member_type"] != "organization")
        .all(|m| m.get("urn").is_none()));
    // Stopping the organization takes its URN.
    let a = sb.send(
        "DELETE",
        "/v1/cloudimages/members",
        &t,
        json!({"images": [img], "organizations": [urn]}),
    );
    let (job, _) = sb.wait_job(&owner, a.json()["job_id"].as_str().unwrap(), &t);
    assert_eq!(job["status"], "SUCCESS");
    let list = sb
        .get(&format!("/v1/{owner}/cloudimages/{img}/members"), &t)
        .json();
    assert!(list["members"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["member_type"] != "organization"));
}

#[test]
fn bodies_without_members_malformed_ids_and_the_own_account_are_refused() {
    let sb = Sb::fast();
    let t = sb.owner();
    let img = sb.image("debian-12-hardened");
    let own_account = sb.seed["domains"]["Default"].as_str().unwrap().to_string();
    for (body, code, words) in [
        (json!({"images": [img]}), "IMG.0067", "at least one"),
        (
            json!({"images": [img], "domains": ["abc"]}),
            "IMG.0067",
            "domain",
        ),
        (
            json!({"images": [img], "organizations": ["organizations::x:ou:o-1"]}),
            "IMG.0067",
            "URN",
        ),
        (
            json!({"images": [img], "domains": [own_account]}),
            "IMG.0076",
            "own account",
        ),
    ] {
        let a = sb.send("POST", "/v1/cloudimages/members", &t, body.clone());
        assert_eq!(a.status, 400, "{body}: {}", a.text);
        let e = a.json();
        assert_eq!(e["error"]["code"], code, "{body}");
        assert!(
            e["error"]["message"].as_str().unwrap().contains(words),
            "{e}"
        );
    }
}

#[test]
fn the_otc_mode_refuses_accounts_and_organizations_but_shares_with_projects() {
    let sb = Sb::start(ims_sandbox::Options {
        job_delay_ms: (60, 60),
        cloud_otc: true,
        ..Default::default()
    });
    let t = sb.owner();
    let img = sb.image("debian-12-hardened");
    let a = sb.send(
        "POST",
        "/v1/cloudimages/members",
        &t,
        json!({"images": [img], "projects": [sb.project("partner-prod")], "domains": [globex(&sb)]}),
    );
    assert_eq!(a.status, 400, "{}", a.text);
    assert!(a.json()["error"]["code"]
        .as_str()
        .unwrap()
        .starts_with("IMG."));
    let a = sb.send(
        "POST",
        "/v1/cloudimages/members",
        &t,
        json!({"images": [img], "projects": [sb.project("partner-prod")]}),
    );
    assert_eq!(a.status, 200, "{}", a.text);
}

#[test]
fn the_second_account_signs_in_to_its_own_project_with_its_own_account_id() {
    let sb = Sb::fast();
    let a = call(
        "POST",
        &sb.url("/v3/auth/tokens"),
        None,
        Some(
            json!({"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "globex", "password": "Globex-Pass-1", "domain": {"name": "globex"}}}},
            "scope": {"project": {"name": "globex-prod", "domain": {"name": "globex"}}}}}),
        ),
        &[],
    );
    assert_eq!(a.status, 201, "{}", a.text);
    let body = a.json();
    assert_eq!(body["token"]["user"]["domain"]["id"], globex(&sb));
    assert_eq!(body["token"]["project"]["name"], "globex-prod");
}
