mod common;
use common::*;
use serde_json::json;

#[test]
fn status_faults_hit_count_calls_then_stop() {
    let sb = Sb::fast();
    let t = sb.owner();
    sb.admin(
        "faults",
        json!({"method": "GET", "path": "/v2/images", "count": 2, "status": 503}),
    );
    assert_eq!(sb.get("/v2/images", &t).status, 503);
    assert_eq!(
        sb.get("/v2/images/x", &t).status,
        404,
        "other paths are untouched"
    );
    assert_eq!(sb.get("/v2/images", &t).status, 503);
    assert_eq!(sb.get("/v2/images", &t).status, 200);
    sb.admin("faults", json!({"path": "/v1/*", "status": 429}));
    let a = sb.get("/v1/cloudimages/quota", &t);
    assert_eq!(
        (a.status, a.json()["error"]["code"].as_str()),
        (429, Some("IMG.0060"))
    );
}

#[test]
fn html_malformed_delay_and_reset_faults() {
    let sb = Sb::fast();
    let t = sb.owner();
    sb.admin(
        "faults",
        json!({"path": "/v2/images", "html": true, "status": 502}),
    );
    let a = sb.get("/v2/images", &t);
    assert_eq!(a.status, 502);
    assert!(a.text.contains("<h1>502 Bad Gateway</h1>"));
    sb.admin("faults", json!({"path": "/v2/images", "malformed": true}));
    let a = sb.get("/v2/images", &t);
    assert_eq!(a.status, 200);
    assert!(serde_json::from_str::<serde_json::Value>(&a.text).is_err());
    sb.admin("faults", json!({"path": "/v2/images", "delay_ms": 300}));
    let started = std::time::Instant::now();
    assert_eq!(sb.get("/v2/images", &t).status, 200);
    assert!(started.elapsed().as_millis() >= 300);
    sb.admin("faults", json!({"path": "/v2/images", "reset": true}));
    let r = ureq::get(&sb.url("/v2/images"))
        .set("X-Auth-Token", &t)
        .call()
        .map_err(|e| e.to_string())
        .and_then(|r| r.into_string().map_err(|e| e.to_string()));
    assert!(r.is_err(), "the connection is dropped mid-answer");
    assert_eq!(sb.get("/v2/images", &t).status, 200);
}

#[test]
fn glance_mode_switch_and_reset() {
    let sb = Sb::fast();
    let t = sb.owner();
    sb.admin("settings", json!({"glance_mode": true}));
    assert_eq!(sb.get("/v1/cloudimages/quota", &t).status, 404);
    assert_eq!(
        call("GET", &sb.url("/config.json"), None, None, &[]).json()["flavor"],
        "glance"
    );
    sb.admin("reset", json!({}));
    assert_eq!(
        sb.get("/v1/cloudimages/quota", &t).status,
        200,
        "reset restores IMS mode and keeps tokens"
    );
}

#[test]
fn cors_preflight_allows_configured_origins_and_exposes_the_token_header() {
    let sb = Sb::start(ims_sandbox::Options {
        cors_origins: vec!["http://127.0.0.1:8080".into()],
        ..Default::default()
    });
    let pre = |origin: &str| {
        call(
            "OPTIONS",
            &sb.url("/v3/auth/tokens"),
            None,
            None,
            &[
                ("Origin", origin),
                ("Access-Control-Request-Method", "POST"),
                (
                    "Access-Control-Request-Headers",
                    "content-type,x-auth-token",
                ),
            ],
        )
    };
    let ok = pre("http://127.0.0.1:8080");
    assert_eq!(ok.status, 204);
    assert_eq!(
        ok.header("access-control-allow-origin"),
        Some("http://127.0.0.1:8080")
    );
    assert!(ok
        .header("access-control-allow-headers")
        .unwrap()
        .contains("X-Auth-Token"));
    assert!(ok
        .header("access-control-expose-headers")
        .unwrap()
        .contains("X-Subject-Token"));
    assert!(pre("http://evil.example")
        .header("access-control-allow-origin")
        .is_none());
    let a = call(
        "POST",
        &sb.url("/v3/auth/tokens"),
        None,
        Some(login_body("owner", "Owner-Pass-1", "acme-images")),
        &[("Origin", "http://127.0.0.1:8080")],
    );
    assert!(a
        .header("access-control-expose-headers")
        .unwrap()
        .contains("X-Request-Id"));
    assert!(a.header("x-request-id").unwrap().starts_with("req-"));
}

#[test]
fn serves_dist_with_spa_fallback_and_its_config() {
    let dir = std::env::temp_dir().join(format!("sandbox-dist-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<html>console</html>").unwrap();
    std::fs::write(dir.join("config.json"), r#"{"flavor":"ims","region":"x"}"#).unwrap();
    let sb = Sb::start(ims_sandbox::Options {
        dist: Some(dir.clone()),
        ..Default::default()
    });
    assert_eq!(
        call("GET", &sb.url("/"), None, None, &[]).text,
        "<html>console</html>"
    );
    assert_eq!(
        call("GET", &sb.url("/jobs"), None, None, &[]).text,
        "<html>console</html>",
        "client routes fall back to index.html"
    );
    assert_eq!(
        call("GET", &sb.url("/config.json"), None, None, &[]).json()["region"],
        "x"
    );
}

#[test]
fn a_seed_file_can_replace_the_built_in_one() {
    let path = std::env::temp_dir().join(format!("sandbox-seed-{}.json", std::process::id()));
    std::fs::write(&path, r#"{"domain":"D","projects":["p1","p2"],"users":[{"name":"u","password":"pw","projects":["p1"]}],
        "images":[{"name":"only","owner":"p1","members":{"p2":"pending"}}]}"#).unwrap();
    let sb = Sb::start(ims_sandbox::Options {
        seed: Some(path),
        ..Default::default()
    });
    assert_eq!(sb.seed["image_count"], 1);
    assert_eq!(sb.seed["domain"], "D");
}

#[test]
fn a_hang_accepts_the_call_and_never_answers() {
    let sb = Sb::fast();
    let t = sb.owner();
    sb.admin("faults", json!({"path": "/v2/images", "hang": true}));
    let agent = ureq::AgentBuilder::new()
        .timeout_read(std::time::Duration::from_millis(800))
        .build();
    let started = std::time::Instant::now();
    let r = agent
        .get(&sb.url("/v2/images"))
        .set("X-Auth-Token", &t)
        .call();
    assert!(r.is_err(), "no answer came");
    assert!(
        started.elapsed().as_millis() >= 800,
        "the connection stayed open until the client gave up"
    );
    assert_eq!(
        sb.get("/v2/images", &t).status,
        200,
        "the next call is answered"
    );
}

#[test]
fn throttling_carries_retry_after() {
    let sb = Sb::fast();
    let t = sb.owner();
    sb.admin(
        "faults",
        json!({"path": "/v2/images", "status": 429, "retry_after": 3}),
    );
    let r = ureq::get(&sb.url("/v2/images"))
        .set("X-Auth-Token", &t)
        .call();
    let Err(ureq::Error::Status(429, resp)) = r else {
        panic!("expected 429")
    };
    assert_eq!(resp.header("retry-after"), Some("3"));
}

#[test]
fn an_after_fault_carries_the_write_out_and_loses_the_answer() {
    let sb = Sb::fast();
    let t = sb.owner();
    let (image, dev) = (sb.image("debian-12-hardened"), sb.project("acme-dev"));
    sb.admin(
        "faults",
        json!({"method": "POST", "path": "/v2/images/*/members", "reset": true, "after": true}),
    );
    let r = ureq::post(&sb.url(&format!("/v2/images/{image}/members")))
        .set("X-Auth-Token", &t)
        .send_json(json!({"member": dev}))
        .map_err(|e| e.to_string())
        .and_then(|r| r.into_string().map_err(|e| e.to_string()));
    assert!(r.is_err(), "the answer is lost");
    assert_eq!(
        sb.get(&format!("/v2/images/{image}/members/{dev}"), &t)
            .status,
        200,
        "but the member was added"
    );
}

#[test]
fn an_empty_fault_answers_no_body() {
    let sb = Sb::fast();
    let t = sb.owner();
    sb.admin(
        "faults",
        json!({"path": "/v2/images", "status": 500, "empty": true}),
    );
    let a = sb.get("/v2/images", &t);
    assert_eq!((a.status, a.text.as_str()), (500, ""));
}
