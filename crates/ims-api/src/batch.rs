//! Planning a batch: how many shares a selection makes, how it is cut into calls.

use crate::members::MemberKind;

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// "N images × M projects = K shares".
pub fn preview(images: usize, projects: usize) -> String {
    preview_members(images, &[(MemberKind::Project, projects)])
}

/// "2 images × 3 projects + 1 account + 1 organization = 10 shares": each kind counted, the
/// kinds with none left out (projects are named when nothing is typed).
pub fn preview_members(images: usize, counts: &[(MemberKind, usize)]) -> String {
    let total: usize = counts.iter().map(|c| c.1).sum();
    let parts: Vec<String> = counts
        .iter()
        .filter(|(k, n)| *n > 0 || (total == 0 && *k == MemberKind::Project))
        .map(|&(k, n)| match k {
            MemberKind::Project => plural(n, "project", "projects"),
            MemberKind::Domain => plural(n, "account", "accounts"),
            MemberKind::Organization => plural(n, "organization", "organizations"),
        })
        .collect();
    format!(
        "{} × {} = {}",
        plural(images, "image", "images"),
        parts.join(" + "),
        plural(images * total, "share", "shares")
    )
}

/// Cuts the project list into chunks of at most `chunk_size`, each sent with all images.
/// The order is kept, so job lists read in the order the operator typed.
pub fn chunk_projects(projects: &[String], chunk_size: usize) -> Vec<Vec<String>> {
    projects
        .chunks(chunk_size.max(1))
        .map(<[String]>::to_vec)
        .collect()
}

/// Every (image, project) pair, image-major: the unit of work of the native flavor.
pub fn pairs(images: &[String], projects: &[String]) -> Vec<(String, String)> {
    images
        .iter()
        .flat_map(|i| projects.iter().map(move |p| (i.clone(), p.clone())))
        .collect()
}

/// Full-ECS images take at most 10 members in total.
pub const FULL_ECS_MEMBER_LIMIT: usize = 10;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn preview_wording() {
        assert_eq!(preview(3, 4), "3 images × 4 projects = 12 shares");
        assert_eq!(preview(1, 1), "1 image × 1 project = 1 share");
        assert_eq!(
            preview_members(
                2,
                &[
                    (MemberKind::Project, 3),
                    (MemberKind::Domain, 1),
                    (MemberKind::Organization, 1)
                ]
            ),
            "2 images × 3 projects + 1 account + 1 organization = 10 shares"
        );
        assert_eq!(
            preview_members(1, &[(MemberKind::Project, 0), (MemberKind::Domain, 2)]),
            "1 image × 2 accounts = 2 shares"
        );
    }

    #[test]
    fn pairs_are_image_major() {
        let p = pairs(&["a".into(), "b".into()], &["1".into(), "2".into()]);
        assert_eq!(p[1], ("a".to_string(), "2".to_string()));
        assert_eq!(p.len(), 4);
    }

    proptest! {
        #[test]
        fn chunks_cover_every_project_once_in_order(n in 0usize..700, size in 1usize..250) {
            let projects: Vec<String> = (0..n).map(|i| format!("{i:032x}")).collect();
            let chunks = chunk_projects(&projects, size);
            prop_assert!(chunks.iter().all(|c| !c.is_empty() && c.len() <= size));
            prop_assert_eq!(chunks.concat(), projects);
            prop_assert_eq!(chunks.len(), n.div_ceil(size));
        }
    }
}
