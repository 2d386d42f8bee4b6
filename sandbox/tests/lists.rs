mod common;
use common::*;
use serde_json::Value;

fn names(v: &Value) -> Vec<String> {
    v["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn owner_filter_returns_only_own_images() {
    let sb = Sb::fast();
    let owner = sb.project("acme-images");
    let v = sb
        .get(&format!("/v2/cloudimages?owner={owner}"), &sb.owner())
        .json();
    assert_eq!(v["images"].as_array().unwrap().len(), 24);
    assert!(v["images"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["owner"] == owner));
    assert!(v.get("next").is_none(), "IMS lists have no next link");
}

#[test]
fn inbox_filters_by_member_status_on_both_endpoints() {
    let sb = Sb::fast();
    let dev = sb.dev();
    let pending = names(
        &sb.get(
            "/v2/cloudimages?visibility=shared&member_status=pending&__imagetype=shared",
            &dev,
        )
        .json(),
    );
    let mut expected = vec![
        "full-ecs-db",
        "partner-full-ecs",
        "partner-tools",
        "shared-pending-dev",
        "test-fixtures",
    ];
    let mut got = pending.clone();
    got.sort();
    expected.sort();
    assert_eq!(got, expected);
    let rejected = names(
        &sb.get("/v2/images?visibility=shared&member_status=rejected", &dev)
            .json(),
    );
    assert_eq!(rejected.len(), 2);
    let accepted = names(
        &sb.get("/v2/images?visibility=shared&member_status=accepted", &dev)
            .json(),
    );
    assert_eq!(accepted.len(), 3);
    assert_eq!(
        sb.get("/v2/images?visibility=shared&member_status=bogus", &dev)
            .status,
        400
    );
}

#[test]
fn imagetype_name_status_and_sort_filters() {
    let sb = Sb::fast();
    let t = sb.owner();
    let gold = names(&sb.get("/v2/cloudimages?__imagetype=gold", &t).json());
    assert_eq!(gold.len(), 2);
    assert_eq!(
        names(&sb.get("/v2/images?name=rocky-9-db", &t).json()),
        vec!["rocky-9-db"]
    );
    assert_eq!(
        names(&sb.get("/v2/images?status=queued", &t).json()),
        vec!["queued-upload"]
    );
    let sorted = names(
        &sb.get(
            &format!(
                "/v2/cloudimages?owner={}&sort_key=name&sort_dir=asc",
                sb.project("acme-images")
            ),
            &t,
        )
        .json(),
    );
    let mut check = sorted.clone();
    check.sort();
    assert_eq!(sorted, check);
    assert_eq!(sb.get("/v2/images?sort_key=colour", &t).status, 400);
}

#[test]
fn five_thousand_images_page_through_both_endpoints() {
    let sb = Sb::start(ims_sandbox::Options {
        extra_images: 5000,
        ..Default::default()
    });
    let t = sb.owner();
    let owner = sb.project("acme-images");
    let started = std::time::Instant::now();
    // IMS: marker paging, no next link.
    let (mut seen, mut marker) = (Vec::<String>::new(), String::new());
    loop {
        let m = if marker.is_empty() {
            String::new()
        } else {
            format!("&marker={marker}")
        };
        let v = sb
            .get(&format!("/v2/cloudimages?owner={owner}&limit=1000{m}"), &t)
            .json();
        let page: Vec<String> = v["images"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect();
        seen.extend(page.iter().cloned());
        if page.len() < 1000 {
            break;
        }
        marker = page.last().unwrap().clone();
    }
    assert_eq!(seen.len(), 5024);
    // Glance: follow next.
    let mut path = format!("/v2/images?owner={owner}&limit=1000");
    let mut count = 0;
    loop {
        let v = sb.get(&path, &t).json();
        count += v["images"].as_array().unwrap().len();
        match v["next"].as_str() {
            Some(n) => path = n.to_string(),
            None => break,
        }
    }
    assert_eq!(count, 5024);
    println!("listed 5024 images twice in {:?}", started.elapsed());
}

#[test]
fn an_unknown_marker_is_400() {
    let sb = Sb::fast();
    assert_eq!(
        sb.get(
            "/v2/images?marker=00000000-0000-4000-a000-000000000000",
            &sb.owner()
        )
        .status,
        400
    );
}
