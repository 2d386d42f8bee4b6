//! Browser unit tests (wasm-bindgen-test in headless Chromium): sessionStorage and its
//! fallback, and the HTTP client against a running sandbox (SANDBOX_URL, set by
//! `cargo xtask test`).
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use ims_api::auth::{self, ProjectRef};
use ims_api::config::{Config, Flavor};
use ims_api::request::{ApiRequest, Service};
use ims_api::ApiError;
use ims_share_console::api::Api;
use ims_share_console::session::store;
use ims_share_console::transport::{self, Endpoints};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

// Read at compile time (the browser has no environment), yet optional there, so that the
// workspace still builds and lints without a sandbox running.
fn sandbox() -> String {
    match option_env!("SANDBOX_URL") {
        Some(url) => url.to_string(),
        None => panic!("SANDBOX_URL: run through `cargo xtask test`"),
    }
}

fn endpoints() -> Endpoints {
    Endpoints {
        iam: sandbox(),
        image: sandbox(),
        image_name: "IMS",
        timeout_s: 30,
    }
}

fn session_storage() -> web_sys::Storage {
    web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap()
}

async fn login(user: &str, password: &str, project: &str) -> ims_api::auth::SessionInfo {
    let req = auth::password_login(user, password, "Default", &ProjectRef::from_input(project));
    let resp = transport::send(&endpoints(), None, &req)
        .await
        .expect("an answer");
    auth::session_from_response(resp, None, "").expect("a session")
}

#[wasm_bindgen_test]
fn storage_round_trips_in_session_storage_and_never_touches_local_storage() {
    store::save("test.key", &vec![1, 2, 3]);
    assert_eq!(store::load::<Vec<i32>>("test.key"), Some(vec![1, 2, 3]));
    assert_eq!(
        session_storage().get_item("test.key").unwrap().as_deref(),
        Some("[1,2,3]")
    );
    let local = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    assert_eq!(local.length().unwrap(), 0);
    store::remove("test.key");
    assert_eq!(store::load::<Vec<i32>>("test.key"), None);
}

#[wasm_bindgen_test]
fn blocked_storage_falls_back_to_memory() {
    store::force_memory_fallback(true);
    store::save("test.fallback", &"kept");
    assert_eq!(
        store::load::<String>("test.fallback").as_deref(),
        Some("kept")
    );
    assert_eq!(session_storage().get_item("test.fallback").unwrap(), None);
    store::remove("test.fallback");
    assert_eq!(store::load::<String>("test.fallback"), None);
    store::force_memory_fallback(false);
}

#[wasm_bindgen_test]
async fn login_reads_the_token_from_the_exposed_header() {
    let s = login("owner", "Owner-Pass-1", "acme-images").await;
    assert!(s.token.starts_with("MII"));
    assert_eq!(s.project.name, "acme-images");
    assert!(s.expires_at_ms > js_sys::Date::now() as i64);
}

#[wasm_bindgen_test]
async fn wrong_password_is_an_unauthorized_error_with_the_iam_message() {
    let req = auth::password_login(
        "owner",
        "nope",
        "Default",
        &ProjectRef::from_input("acme-images"),
    );
    let resp = transport::send(&endpoints(), None, &req)
        .await
        .expect("an answer");
    let e = auth::session_from_response(resp, None, "").unwrap_err();
    assert!(e.is_unauthorized());
    assert!(auth::login_error_message(&e).contains("The username or password is wrong."));
}

#[wasm_bindgen_test]
async fn the_token_goes_as_x_auth_token_and_glance_errors_come_back_as_json() {
    let s = login("owner", "Owner-Pass-1", "acme-images").await;
    let ok = transport::send(
        &endpoints(),
        Some(&s.token),
        &ApiRequest::get(Service::Image, "/v2/images?limit=1"),
    )
    .await
    .unwrap();
    assert_eq!(ok.status, 200);
    let missing = ApiRequest::get(
        Service::Image,
        "/v2/images/00000000-0000-4000-a000-000000000000",
    );
    let e = transport::send(&endpoints(), Some(&s.token), &missing)
        .await
        .unwrap()
        .ok()
        .unwrap_err();
    assert_eq!(e.status(), Some(404));
    let m = e.user_message();
    assert!(m.contains("No image found") && !m.contains("<br"), "{m}");
    assert!(
        e.request_id().is_some_and(|r| r.starts_with("req-")),
        "the request id header is exposed"
    );
}

#[wasm_bindgen_test]
async fn no_answer_is_a_network_error() {
    let closed = Endpoints {
        iam: "http://127.0.0.1:9".into(),
        image: "http://127.0.0.1:9".into(),
        image_name: "IMS",
        timeout_s: 30,
    };
    let e = transport::send(&closed, None, &ApiRequest::get(Service::Iam, "/v3"))
        .await
        .unwrap_err();
    assert!(matches!(e, ApiError::Network { .. }), "{e:?}");
    assert!(e.is_retryable());
}

#[wasm_bindgen_test]
async fn a_401_reaches_the_one_unauthorized_handler() {
    let hits = Rc::new(Cell::new(0));
    let h = hits.clone();
    let api = Api {
        config: Rc::new(Config::default()),
        endpoints: endpoints(),
        token: Some("not-a-token".into()),
        flavor: Flavor::Ims,
        user_id: String::new(),
        project_id: String::new(),
        on_unauthorized: yew::Callback::from(move |_| h.set(h.get() + 1)),
        wait: None,
    };
    let e = api
        .send(&ApiRequest::get(Service::Image, "/v1/cloudimages/quota"))
        .await
        .unwrap_err();
    assert!(e.is_unauthorized());
    assert_eq!(hits.get(), 1);
}

#[wasm_bindgen_test]
async fn reads_retry_an_outage_once_it_clears() {
    let s = login("owner", "Owner-Pass-1", "acme-images").await;
    let admin = ApiRequest::new(ims_api::Method::Post, Service::Image, "/__admin/faults")
        .anonymous()
        .json(serde_json::json!({"method": "GET", "path": "/v1/cloudimages/quota", "status": 503, "count": 1}));
    assert_eq!(
        transport::send(&endpoints(), None, &admin)
            .await
            .unwrap()
            .status,
        204
    );
    let api = Api {
        config: Rc::new(Config::default()),
        endpoints: endpoints(),
        token: Some(s.token),
        flavor: Flavor::Ims,
        user_id: s.user.id,
        project_id: s.project.id,
        on_unauthorized: yew::Callback::noop(),
        wait: None,
    };
    let q: ims_api::quota::QuotaAnswer = api
        .read(&ims_api::quota::get())
        .await
        .expect("the second try succeeds");
    assert!(q.resource("image_member").is_some());
}

async fn add_fault(spec: serde_json::Value) {
    let admin = ApiRequest::new(ims_api::Method::Post, Service::Image, "/__admin/faults")
        .anonymous()
        .json(spec);
    assert_eq!(
        transport::send(&endpoints(), None, &admin)
            .await
            .unwrap()
            .status,
        204
    );
}

#[wasm_bindgen_test]
async fn a_hung_service_ends_in_a_timeout_at_the_deadline() {
    add_fault(serde_json::json!({"method": "GET", "path": "/v3/auth/projects", "hang": true}))
        .await;
    let short = Endpoints {
        timeout_s: 1,
        ..endpoints()
    };
    let started = js_sys::Date::now();
    let e = transport::send(
        &short,
        None,
        &ApiRequest::get(Service::Iam, "/v3/auth/projects"),
    )
    .await
    .unwrap_err();
    let waited = js_sys::Date::now() - started;
    assert_eq!(
        e,
        ApiError::Timeout {
            service: "IAM".into(),
            seconds: 1,
            write: false
        }
    );
    assert!(
        (900.0..5000.0).contains(&waited),
        "aborted at the deadline, not before: {waited} ms"
    );
    assert_eq!(e.user_message(), "No answer from IAM in 1 s.");
}

#[wasm_bindgen_test]
async fn a_write_that_timed_out_says_its_outcome_is_unknown() {
    add_fault(
        serde_json::json!({"method": "POST", "path": "/v1/cloudimages/members", "hang": true}),
    )
    .await;
    let short = Endpoints {
        timeout_s: 1,
        ..endpoints()
    };
    let req = ims_api::members::batch_share(&["a".into()], &[ims_api::apply::Target::project("b")]);
    let e = transport::send(&short, None, &req).await.unwrap_err();
    assert!(
        e.user_message().contains("may still have been carried out"),
        "{e:?}"
    );
}

#[wasm_bindgen_test]
async fn retry_after_reaches_the_page_across_origins() {
    add_fault(serde_json::json!({"method": "GET", "path": "/v1/cloudimages/quota", "status": 429, "retry_after": 4})).await;
    let resp = transport::send(&endpoints(), None, &ims_api::quota::get().anonymous())
        .await
        .unwrap();
    let e = resp.ok().unwrap_err();
    assert!(e.is_throttled());
    assert_eq!(e.retry_after_s(), Some(4));
}

#[wasm_bindgen_test]
fn a_full_session_storage_keeps_the_newest_value_in_memory() {
    let storage = session_storage();
    store::save("test.full", &vec!["old"]);
    // Fill the origin's quota (about 5 MB in Chromium) to the last few bytes.
    let mut n = 0;
    for size in [512 * 1024, 16 * 1024, 512, 16] {
        let chunk = "x".repeat(size);
        while n < 2000
            && storage
                .set_item(&format!("test.filler.{n}"), &chunk)
                .is_ok()
        {
            n += 1;
        }
    }
    assert!(n < 2000, "the quota was reached");
    assert!(
        storage
            .set_item("test.probe", "0123456789012345678901234567890123456789")
            .is_err(),
        "not even 40 bytes fit"
    );
    store::save(
        "test.full",
        &vec!["a much longer value that no longer fits"; 8],
    );
    let back: Vec<String> = store::load("test.full").expect("kept");
    assert_eq!(back.len(), 8, "the newest value, not the stored older one");
    for i in 0..=n {
        let _ = storage.remove_item(&format!("test.filler.{i}"));
    }
    store::remove("test.full");
    assert_eq!(store::load::<Vec<String>>("test.full"), None);
}
