//! Property test, 10,000 cases: whatever string is used as an ID (from a URL, a portal's
//! message, a file or a server's answer), every request builder's path stays under its API
//! prefix, with the ID inside its own segment.

use ims_api::members::{self, MemberStatus};
use ims_api::{images, jobs, ApiRequest};
use proptest::prelude::*;

/// The path as a browser resolves it: dot segments (`.`, `..`, and their `%2e` spellings)
/// applied, the query and fragment cut off. Returns the segments.
fn resolved(path: &str) -> Vec<String> {
    let path = path.split(['?', '#']).next().unwrap_or("");
    let mut out: Vec<String> = Vec::new();
    for seg in path.split('/').skip(1) {
        let dots = seg.to_ascii_lowercase().replace("%2e", ".");
        match dots.as_str() {
            "." => {}
            ".." => {
                out.pop();
            }
            _ => out.push(seg.to_string()),
        }
    }
    out
}

fn under(req: &ApiRequest, prefix: &[&str], segments: usize) -> Result<(), TestCaseError> {
    prop_assert!(
        !req.path.contains(['?', '#', '\\']),
        "no query, fragment or backslash in {}",
        req.path
    );
    let got = resolved(&req.path);
    prop_assert_eq!(got.len(), segments, "{} resolved to {:?}", &req.path, &got);
    for (i, p) in prefix.iter().enumerate() {
        prop_assert_eq!(&got[i], p, "{} left its prefix", &req.path);
    }
    Ok(())
}

fn id() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,24}",
        "[./%?#a-f0-9\\\\]{0,12}",
        Just("..".to_string()),
        Just("%2e%2e".to_string()),
        Just("../../v3/domains?".to_string()),
        Just(String::new()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]
    #[test]
    fn every_path_stays_under_its_api_prefix(image in id(), member in id()) {
        under(&images::get_image(&image), &["v2", "images"], 3)?;
        under(&images::set_visibility(&image, &images::Visibility::Shared), &["v2", "images"], 3)?;
        under(&members::list(&image), &["v2", "images"], 4)?;
        under(&members::add(&image, &member), &["v2", "images"], 4)?;
        under(&members::get(&image, &member), &["v2", "images"], 5)?;
        under(&members::remove(&image, &member), &["v2", "images"], 5)?;
        under(&members::set_status(&image, &member, MemberStatus::Accepted, None), &["v2", "images"], 5)?;
        under(&jobs::get(&member, &image), &["v1"], 4)?;
    }
}
