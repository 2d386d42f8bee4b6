//! The Terraform export, read back with an HCL parser and compared with a golden file for
//! each provider. `UPDATE_GOLDEN=1 cargo test -p ims-api --test terraform` writes the files
//! anew after a deliberate change; review the diff before committing it.

use std::collections::HashMap;

use hcl::{Block, Body, Expression};
use ims_api::members::Member;
use ims_api::terraform::{export, ImageMembers, Provider};

const DEBIAN: &str = "d164b5df-1bc3-4c3f-893e-3e471fd16e64";
const UBUNTU: &str = "0b680482-acaa-4045-b14c-9a8c7dfe9c70";
const LONELY: &str = "5f6e2a7c-8d9b-4e1f-a2b3-c4d5e6f7a8b9";
const DEV: &str = "9c61004714024f9586705d090530f9fa";
const TEST: &str = "edc89b490d7d4392898e19b2deb34797";
const ACCOUNT: &str = "0123456789abcdef0123456789abcdef";
const URN: &str = "organizations::0123456789abcdef0123456789abcdef:ou:o-abc123/ou-def456";

fn member(image: &str, id: &str, kind: &str, urn: Option<&str>) -> Member {
    Member {
        member_id: id.into(),
        image_id: image.into(),
        status: "accepted".into(),
        created_at: None,
        updated_at: None,
        member_type: Some(kind.into()),
        urn: urn.map(str::to_string),
    }
}

fn file(provider: Provider) -> String {
    let debian = vec![
        member(DEBIAN, DEV, "project", None),
        member(DEBIAN, TEST, "project", None),
        member(DEBIAN, ACCOUNT, "domain", None),
        member(DEBIAN, "ou-def456", "organization", Some(URN)),
    ];
    let ubuntu = vec![member(UBUNTU, TEST, "project", None)];
    let images = [
        ImageMembers {
            id: DEBIAN,
            name: "debian-12 \"hardened\"",
            members: &debian,
        },
        ImageMembers {
            id: UBUNTU,
            name: "ubuntu ${24.04}",
            members: &ubuntu,
        },
        ImageMembers {
            id: LONELY,
            name: "lonely",
            members: &[],
        },
    ];
    let names: HashMap<String, String> = [(DEV.to_string(), "acme-dev".to_string())].into();
    export(provider, &images, &names)
}

fn golden(provider: Provider) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("members-{}.tf", provider.name()))
}

fn resources(body: &Body) -> Vec<&Block> {
    body.blocks()
        .filter(|b| b.identifier() == "resource")
        .collect()
}

fn string(e: &Expression) -> String {
    match e {
        Expression::String(s) => s.clone(),
        other => panic!("not a string: {other:?}"),
    }
}

fn attribute<'a>(block: &'a Block, key: &str) -> &'a Expression {
    block
        .body()
        .attributes()
        .find(|a| a.key() == key)
        .map(|a| a.expr())
        .unwrap_or_else(|| panic!("no {key} in {block:?}"))
}

#[test]
fn the_export_parses_as_hcl_and_matches_its_golden_file_for_each_provider() {
    for provider in Provider::ALL {
        let text = file(provider);
        let path = golden(provider);
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, &text).unwrap();
        }
        let body: Body =
            hcl::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}\n{text}", provider.name()));
        let want: Body = hcl::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(
            body,
            want,
            "{} differs from {}",
            provider.name(),
            path.display()
        );
        assert_eq!(
            text,
            std::fs::read_to_string(&path).unwrap(),
            "comments and layout too"
        );

        let terraform = body
            .blocks()
            .find(|b| b.identifier() == "terraform")
            .expect("terraform block");
        let required = terraform
            .body()
            .blocks()
            .next()
            .expect("required_providers");
        let pinned = required.body().attributes().next().expect("the provider");
        assert_eq!(pinned.key(), provider.name());

        let shares = resources(&body);
        assert_eq!(
            shares.len(),
            2,
            "images without project members get no resource"
        );
        for share in &shares {
            let labels: Vec<&str> = share.labels().iter().map(|l| l.as_str()).collect();
            assert!(labels[0].starts_with(provider.name()), "{labels:?}");
        }
        assert_eq!(string(attribute(shares[0], "source_image_id")), DEBIAN);
        let projects = match attribute(shares[0], "target_project_ids") {
            Expression::Array(a) => a.iter().map(string).collect::<Vec<_>>(),
            other => panic!("not a list: {other:?}"),
        };
        assert_eq!(
            projects,
            vec![DEV, TEST],
            "projects only: the account and the OU are comments"
        );
        assert_eq!(string(attribute(shares[1], "source_image_id")), UBUNTU);
        assert!(text.contains("\"9c61004714024f9586705d090530f9fa\", # acme-dev"));
        assert!(text.contains(&format!("# Also shared with organization {URN}")));
        assert_eq!(
            shares[1].labels()[1].as_str(),
            "ubuntu_24_04",
            "a name becomes a plain identifier, never a template"
        );
        assert!(
            text.contains("# debian-12 \"hardened\" ("),
            "names stay readable in comments"
        );
    }
}
