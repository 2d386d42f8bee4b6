mod common;
use common::*;
use serde_json::json;

#[test]
fn password_login_by_name_gives_token_header_and_scoped_body() {
    let sb = Sb::fast();
    let a = call(
        "POST",
        &sb.url("/v3/auth/tokens"),
        None,
        Some(login_body("owner", "Owner-Pass-1", "acme-images")),
        &[],
    );
    assert_eq!(a.status, 201);
    assert!(a.header("x-subject-token").is_some());
    let b = a.json();
    assert_eq!(b["token"]["project"]["id"], sb.project("acme-images"));
    assert_eq!(b["token"]["user"]["name"], "owner");
    assert!(b["token"]["expires_at"].as_str().unwrap().ends_with('Z'));
    assert!(b["token"]["issued_at"].is_string() && b["token"]["roles"].is_array());
    assert_eq!(b["token"]["catalog"][0]["type"], "image");
}

#[test]
fn password_login_by_project_id_works_and_wrong_password_is_keystone_401() {
    let sb = Sb::fast();
    let pid = sb.project("acme-dev");
    let body = json!({"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "dev", "password": "Dev-Pass-1", "domain": {"name": "Default"}}}}, "scope": {"project": {"id": pid}}}});
    assert_eq!(
        call("POST", &sb.url("/v3/auth/tokens"), None, Some(body), &[]).status,
        201
    );
    let a = call(
        "POST",
        &sb.url("/v3/auth/tokens"),
        None,
        Some(login_body("dev", "nope", "acme-dev")),
        &[],
    );
    assert_eq!(a.status, 401);
    let e = a.json();
    assert_eq!(e["error"]["code"], 401);
    assert_eq!(e["error"]["title"], "Unauthorized");
    assert!(e["error"]["message"].as_str().unwrap().contains("password"));
    // A project the user has no role on is refused too.
    assert_eq!(
        call(
            "POST",
            &sb.url("/v3/auth/tokens"),
            None,
            Some(login_body("dev", "Dev-Pass-1", "acme-images")),
            &[]
        )
        .status,
        401
    );
}

#[test]
fn validate_then_revoke_then_validate_fails() {
    let sb = Sb::fast();
    let t = sb.owner();
    let h = [("X-Subject-Token", t.as_str())];
    let a = call("GET", &sb.url("/v3/auth/tokens"), Some(&t), None, &h);
    assert_eq!(a.status, 200);
    assert_eq!(a.json()["token"]["user"]["name"], "owner");
    assert_eq!(
        call("DELETE", &sb.url("/v3/auth/tokens"), Some(&t), None, &h).status,
        204
    );
    assert_eq!(
        call("GET", &sb.url("/v3/auth/tokens"), Some(&t), None, &h).status,
        401
    );
    assert_eq!(sb.get("/v2/images", &t).status, 401);
}

#[test]
fn token_method_rescopes_and_projects_lists_the_users_projects() {
    let sb = Sb::fast();
    let t = sb.owner();
    let p = sb.get("/v3/auth/projects", &t).json();
    let names: Vec<&str> = p["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["acme-images", "acme-dev", "sandbox-2_acme"]);
    let body = json!({"auth": {"identity": {"methods": ["token"], "token": {"id": t}}, "scope": {"project": {"id": sb.project("acme-dev")}}}});
    let a = call("POST", &sb.url("/v3/auth/tokens"), None, Some(body), &[]);
    assert_eq!(a.status, 201);
    assert_eq!(a.json()["token"]["project"]["name"], "acme-dev");
}

#[test]
fn token_lifetime_is_configurable_and_expired_tokens_get_401() {
    let sb = Sb::start(ims_sandbox::Options {
        token_ttl_s: 1,
        ..Default::default()
    });
    let t = sb.owner();
    assert_eq!(sb.get("/v2/images", &t).status, 200);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(sb.get("/v2/images", &t).status, 401);
    assert_eq!(
        sb.get("/v1/cloudimages/quota", &t).json()["error"]["code"],
        "IMG.0087"
    );
}

#[test]
fn admin_can_expire_every_token() {
    let sb = Sb::fast();
    let t = sb.owner();
    assert_eq!(
        call("POST", &sb.url("/__admin/tokens/expire"), None, None, &[]).status,
        204
    );
    assert_eq!(sb.get("/v2/images", &t).status, 401);
}

#[test]
fn the_catalog_lists_two_regions_and_each_region_holds_its_own_images() {
    let sb = Sb::fast();
    let t = sb.login("owner", "Owner-Pass-1", "sandbox-2_acme");
    let body = json!({"auth": {"identity": {"methods": ["token"], "token": {"id": t}}, "scope": {"project": {"name": "sandbox-2_acme", "domain": {"name": "Default"}}}}});
    let a = call("POST", &sb.url("/v3/auth/tokens"), None, Some(body), &[]);
    let regions: Vec<(String, String)> = a.json()["token"]["catalog"][0]["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["region"].as_str().unwrap().to_string(),
                e["url"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        regions,
        vec![
            ("sandbox-1".to_string(), String::new()),
            ("sandbox-2".to_string(), "/sandbox-2".to_string())
        ]
    );
    let own = |path: &str| {
        let l = sb.get(path, &t).json();
        l["images"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["name"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let p = sb.project("sandbox-2_acme");
    let mut region2 = own(&format!("/sandbox-2/v2/images?owner={p}"));
    region2.sort();
    assert_eq!(
        region2,
        vec![
            "debian-12-region2".to_string(),
            "rocky-9-region2".to_string()
        ]
    );
    assert!(
        own(&format!("/v2/images?owner={p}")).is_empty(),
        "the first region has none of them"
    );
    let id = sb.image("rocky-9-region2");
    assert_eq!(sb.get(&format!("/v2/images/{id}"), &t).status, 404);
    assert_eq!(
        sb.get(&format!("/sandbox-2/v2/images/{id}/members"), &t)
            .json()["members"][0]["status"],
        "pending"
    );
}
