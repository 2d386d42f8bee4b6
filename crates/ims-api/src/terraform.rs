//! "Export members as Terraform": today's shares as code, one `.tf` file, for the
//! `opentelekomcloud` or the `huaweicloud` provider.
//!
//! Each provider's image-share resource, as its documentation defines it:
//! - `opentelekomcloud_ims_image_share_v1` (`source_image_id`, `target_project_ids`), documented
//!   since provider 1.36.35;
//! - `huaweicloud_images_image_share` (`source_image_id`, `target_project_ids`), documented
//!   since provider 1.67.0.
//!
//! Neither documents `terraform import` for these resources, so existing members become
//! resources, not `import` blocks: applying the file shares with them again, which IMS takes
//! as a no-op for members that already exist. The file says so at its top. Only project
//! members can be written: accounts and organizations are listed in a comment.

use std::collections::{HashMap, HashSet};

use crate::members::{Member, MemberKind};

/// Which provider the file is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provider {
    OpenTelekomCloud,
    HuaweiCloud,
}

impl Provider {
    pub const ALL: [Provider; 2] = [Provider::OpenTelekomCloud, Provider::HuaweiCloud];

    /// The provider's local name, as in `required_providers`.
    pub fn name(self) -> &'static str {
        match self {
            Provider::OpenTelekomCloud => "opentelekomcloud",
            Provider::HuaweiCloud => "huaweicloud",
        }
    }

    fn source(self) -> &'static str {
        match self {
            Provider::OpenTelekomCloud => "opentelekomcloud/opentelekomcloud",
            Provider::HuaweiCloud => "huaweicloud/huaweicloud",
        }
    }

    /// The first version whose documentation has the resource this file uses.
    fn version(self) -> &'static str {
        match self {
            Provider::OpenTelekomCloud => "1.36.35",
            Provider::HuaweiCloud => "1.67.0",
        }
    }

    fn resource(self) -> &'static str {
        match self {
            Provider::OpenTelekomCloud => "opentelekomcloud_ims_image_share_v1",
            Provider::HuaweiCloud => "huaweicloud_images_image_share",
        }
    }

    pub fn from_name(name: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// One image and its members, as read.
pub struct ImageMembers<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub members: &'a [Member],
}

/// An HCL string literal: quotes and backslashes escaped, and `${` / `%{` kept from starting
/// a template.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A comment line's text: on one line, whatever the name holds.
fn comment(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A resource name from the image's name: lower-case letters, digits and `_`, starting with a
/// letter or `_`, and unique in the file.
fn label(name: &str, taken: &mut HashSet<String>) -> String {
    let mut base = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            base.push(c.to_ascii_lowercase());
        } else if !base.is_empty() && !base.ends_with('_') {
            base.push('_');
        }
    }
    let mut base = base.trim_end_matches('_').to_string();
    if base.is_empty() {
        base = "image".into();
    } else if base.starts_with(|c: char| c.is_ascii_digit()) {
        base = format!("image_{base}");
    }
    let mut candidate = base.clone();
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{base}_{n}");
        n += 1;
    }
    candidate
}

/// The `.tf` file: one share resource per image with project members, each project's name
/// (from the address book) as a comment beside its ID.
pub fn export(
    provider: Provider,
    images: &[ImageMembers],
    names: &HashMap<String, String>,
) -> String {
    let mut out = format!(
        "# Image members as Terraform, written by IMS Share Console.\n\
         # Provider {source}, resource {resource}, as its documentation defines it\n\
         # from version {version} on.\n\
         # The provider documents no import for this resource: the shares below are resources,\n\
         # and applying them shares again with members that already have the image, which IMS\n\
         # takes as a no-op.\n\
         \n\
         terraform {{\n  required_providers {{\n    {name} = {{\n      source  = {src}\n      version = {ver}\n    }}\n  }}\n}}\n",
        source = provider.source(),
        resource = provider.resource(),
        version = provider.version(),
        name = provider.name(),
        src = quoted(provider.source()),
        ver = quoted(&format!(">= {}", provider.version())),
    );
    let mut taken = HashSet::new();
    for image in images {
        let projects: Vec<&Member> = image
            .members
            .iter()
            .filter(|m| m.kind() == Some(MemberKind::Project))
            .collect();
        let others: Vec<&Member> = image
            .members
            .iter()
            .filter(|m| m.kind() != Some(MemberKind::Project))
            .collect();
        out.push('\n');
        out.push_str(&format!("# {} ({})\n", comment(image.name), image.id));
        for m in &others {
            out.push_str(&format!(
                "# Also shared with {} {}: the provider's resource takes projects only.\n",
                m.kind()
                    .map(MemberKind::word)
                    .or(m.member_type.as_deref())
                    .unwrap_or("member"),
                comment(m.target_id())
            ));
        }
        if projects.is_empty() {
            out.push_str("# Not shared with any project.\n");
            continue;
        }
        out.push_str(&format!(
            "resource {} {} {{\n  source_image_id = {}\n  target_project_ids = [\n",
            quoted(provider.resource()),
            quoted(&label(image.name, &mut taken)),
            quoted(image.id)
        ));
        for m in projects {
            let note = names
                .get(&m.member_id)
                .map(|n| format!(" # {}", comment(n)))
                .unwrap_or_default();
            out.push_str(&format!("    {},{note}\n", quoted(&m.member_id)));
        }
        out.push_str("  ]\n}\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_valid_identifiers_and_unique() {
        let mut taken = HashSet::new();
        assert_eq!(
            label("Debian 12 (hardened)", &mut taken),
            "debian_12_hardened"
        );
        assert_eq!(
            label("debian-12 (hardened)", &mut taken),
            "debian_12_hardened_2"
        );
        assert_eq!(label("2024-golden", &mut taken), "image_2024_golden");
        assert_eq!(label("", &mut taken), "image");
        assert_eq!(label("…", &mut taken), "image_2");
    }

    #[test]
    fn strings_cannot_start_a_template_or_end_early() {
        assert_eq!(quoted("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(quoted("${var.x} %{if}"), "\"$${var.x} %%{if}\"");
        assert_eq!(quoted("$5 100%"), "\"$5 100%\"");
    }
}
