//! Property tests, 10,000 cases each, for every parser that reads what a server or a file
//! sends: error bodies, job answers and config.json. Whatever comes in, nothing panics and the
//! result keeps its promises. (The ID parser's live beside it, in `src/ids.rs`.)

use ims_api::config::Config;
use ims_api::jobs::{JobKind, JobState, JobWire, TrackedJob};
use ims_api::{ApiError, ApiResponse};
use proptest::prelude::*;
use serde_json::Value;

/// Any JSON value, nested a few levels, with the keys the parsers look for among others.
fn json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("error".to_string()),
        Just("code".to_string()),
        Just("message".to_string()),
        Just("error_code".to_string()),
        Just("error_msg".to_string()),
        Just("title".to_string()),
        Just("status".to_string()),
        Just("job_id".to_string()),
        Just("entities".to_string()),
        Just("chunk_size".to_string()),
        Just("flavor".to_string()),
        Just("embed".to_string()),
        "[a-z_]{1,12}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "\\PC{0,40}".prop_map(Value::String),
        prop_oneof![
            Just("SUCCESS"),
            Just("FAIL"),
            Just("RUNNING"),
            Just("INIT"),
            Just("ims"),
            Just("glance")
        ]
        .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(key.clone(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        Just(400u16),
        Just(401),
        Just(403),
        Just(404),
        Just(409),
        Just(413),
        Just(429),
        Just(500),
        Just(502),
        Just(503),
        Just(504),
        100u16..600
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn error_bodies_of_arbitrary_bytes_always_yield_a_message(bytes in proptest::collection::vec(any::<u8>(), 0..400), status in status(), retry in proptest::option::of("\\PC{0,12}")) {
        let body = String::from_utf8_lossy(&bytes).to_string();
        let mut headers = vec![("X-Request-Id".to_string(), "req-1".to_string())];
        if let Some(r) = retry { headers.push(("Retry-After".into(), r)); }
        let e = ApiError::from_response(&ApiResponse::new(status, headers, body));
        let m = e.user_message();
        prop_assert!(!m.trim().is_empty());
        prop_assert!(m.contains("req-1"), "the request id is always told: {}", m);
        prop_assert!(e.retry_after_s().is_none_or(|s| s <= 600));
    }

    #[test]
    fn error_bodies_of_arbitrary_json_always_yield_a_message(v in json(), status in status()) {
        let e = ApiError::from_response(&ApiResponse::new(status, vec![], v.to_string()));
        prop_assert!(!e.user_message().trim().is_empty());
        prop_assert_eq!(e.status(), Some(status));
    }

    #[test]
    fn job_answers_never_panic_and_a_final_state_is_final(v in json(), job_id in "[a-f0-9]{8,32}", status in prop_oneof![Just("SUCCESS".to_string()), Just("FAIL".to_string()), Just("RUNNING".to_string()), Just("INIT".to_string()), "[A-Za-z]{0,10}"], now in 0i64..4_000_000_000_000) {
        // Arbitrary JSON, and arbitrary JSON grafted onto a well-formed answer.
        let _ = serde_json::from_str::<JobWire>(&v.to_string());
        let mut wire = serde_json::json!({"job_id": job_id, "status": status});
        if let Value::Object(m) = &v {
            for (k, x) in m {
                if k != "job_id" && k != "status" {
                    wire[k] = x.clone();
                }
            }
        }
        if let Ok(w) = serde_json::from_value::<JobWire>(wire) {
            let mut job = TrackedJob::new_server(JobKind::Share, job_id.clone(), "p".into(), vec!["i".into()], vec!["q".into()], 0);
            job.apply(&w, now);
            prop_assert_eq!(job.state.is_final(), matches!(JobState::from_wire(&w.status), JobState::Succeeded | JobState::Failed));
            prop_assert!(job.progress_percent() <= 100);
            let _ = job.failure_words();
        }
    }

    #[test]
    fn config_files_never_panic_and_numbers_stay_in_range(v in json(), chunk in any::<i64>(), conc in any::<i64>(), timeout in any::<i64>()) {
        let _ = Config::from_json(&v.to_string());
        let mut with_numbers = match v { Value::Object(m) => Value::Object(m), _ => serde_json::json!({}) };
        with_numbers["chunk_size"] = chunk.into();
        with_numbers["concurrency"] = conc.into();
        with_numbers["request_timeout_s"] = timeout.into();
        match Config::from_json(&with_numbers.to_string()) {
            Ok(c) => {
                prop_assert!((1..=1000).contains(&c.chunk_size));
                prop_assert!((1..=64).contains(&c.concurrency));
                prop_assert!((1..=600).contains(&c.request_timeout_s));
            }
            Err(e) => prop_assert!(e.starts_with("config.json is not valid")),
        }
    }
}
