//! Project and image ID checks, and the parser behind the project-ID box.
//!
//! Operators paste IDs from spreadsheets, tickets and CLI output, so separators are lenient
//! (commas, semicolons, any white space) while each ID is checked strictly and reported where
//! it stands, so the box can mark the exact token that is wrong.

use crate::members::MemberKind;

/// A project (tenant) ID: 32 hexadecimal characters, as IAM and Keystone issue them.
pub fn is_project_id(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// An image ID: a UUID in its 8-4-4-4-12 form.
pub fn is_image_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// An organization or OU URN as Huawei's IMS takes it. The accepted shape, exactly:
///
/// - `organizations::<account>:organization:o-<org>` for a whole organization;
/// - `organizations::<account>:ou:o-<org>/ou-<ou>` for one organizational unit;
///
/// where `<account>` is the managing account's ID (32 hex characters), `<org>` is 1 to 32
/// lower-case letters and digits, and `<ou>` is 1 to 64 lower-case letters, digits and
/// dashes. Anything else (upper case in the IDs, a missing `ou-` part on an `ou` URN, an `ou-`
/// part on an `organization` URN, spaces) is refused before sending.
pub fn is_organization_urn(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("organizations::") else {
        return false;
    };
    let Some((account, rest)) = rest.split_once(':') else {
        return false;
    };
    let id = |t: &str, max: usize, dash: bool| {
        (1..=max).contains(&t.len())
            && t.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || (dash && b == b'-'))
    };
    if !is_project_id(account) {
        return false;
    }
    match rest.split_once(':') {
        Some(("organization", org)) => org.strip_prefix("o-").is_some_and(|o| id(o, 32, false)),
        Some(("ou", path)) => match path.split_once('/') {
            Some((org, ou)) => {
                org.strip_prefix("o-").is_some_and(|o| id(o, 32, false))
                    && ou.strip_prefix("ou-").is_some_and(|u| id(u, 64, true))
            }
            None => false,
        },
        _ => false,
    }
}

/// Whether `s` is an ID of this kind of member.
pub fn is_member_id(kind: MemberKind, s: &str) -> bool {
    match kind {
        MemberKind::Project | MemberKind::Domain => is_project_id(s),
        MemberKind::Organization => is_organization_urn(s),
    }
}

/// What is wrong with one token of a member-ID box.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdProblem {
    /// Not an ID of the box's kind; `hint` says what it looks like instead.
    Malformed {
        kind: MemberKind,
        hint: &'static str,
    },
    /// The same ID appeared earlier, at token index `first`.
    Duplicate { first: usize },
    /// The signed-in project: the service refuses to share with yourself (IMG.0076).
    OwnProject,
    /// The signed-in user's own account.
    OwnAccount,
}

impl IdProblem {
    pub fn message(&self) -> String {
        match self {
            IdProblem::Malformed { kind, hint } => format!("not {}: {hint}", kind.an_id()),
            IdProblem::Duplicate { first } => format!("duplicate of ID #{}", first + 1),
            IdProblem::OwnProject => crate::error::OWN_PROJECT.into(),
            IdProblem::OwnAccount => {
                "this is your own account: an image cannot be shared with the account that owns it"
                    .into()
            }
        }
    }
}

/// One token of the box, where it stands and whether it is usable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdToken {
    /// The text as typed.
    pub text: String,
    /// Byte offset of the token in the input.
    pub start: usize,
    pub problem: Option<IdProblem>,
}

impl IdToken {
    pub fn is_valid(&self) -> bool {
        self.problem.is_none()
    }
}

fn is_separator(c: char) -> bool {
    c == ',' || c == ';' || c.is_whitespace()
}

fn malformed_hint(kind: MemberKind, t: &str) -> &'static str {
    let hex_only: String = t.chars().filter(|c| *c != '-').collect();
    let a_uuid =
        t.contains('-') && hex_only.len() == 32 && hex_only.bytes().all(|b| b.is_ascii_hexdigit());
    let hex = t.bytes().all(|b| b.is_ascii_hexdigit());
    match kind {
        MemberKind::Organization if is_project_id(t) => {
            "this is an account or project ID: an organization URN starts with organizations::"
        }
        MemberKind::Organization => {
            "expected organizations::<account ID>:organization:o-<org> or organizations::<account ID>:ou:o-<org>/ou-<ou>"
        }
        _ if t.starts_with("organizations::") => {
            "this is an organization URN: enter it under organizations"
        }
        MemberKind::Project if a_uuid => {
            "this is a UUID with dashes; project IDs have 32 hex characters and no dashes"
        }
        MemberKind::Domain if a_uuid => {
            "this is a UUID with dashes; account IDs have 32 hex characters and no dashes"
        }
        _ if !hex => "only 0-9 and a-f are allowed",
        MemberKind::Project if t.len() < 32 => "too short: a project ID has 32 hex characters",
        MemberKind::Project => "too long: a project ID has 32 hex characters",
        _ if t.len() < 32 => "too short: an account ID has 32 hex characters",
        _ => "too long: an account ID has 32 hex characters",
    }
}

/// Splits the project box's text into tokens and checks each one.
pub fn parse_project_ids(input: &str, own_project: Option<&str>) -> Vec<IdToken> {
    parse_ids(MemberKind::Project, input, own_project)
}

/// Splits a member box's text into tokens and checks each one as an ID of `kind`. IDs compare
/// case-insensitively. `own` is the signed-in project (projects) or account (accounts).
pub fn parse_ids(kind: MemberKind, input: &str, own: Option<&str>) -> Vec<IdToken> {
    let own_problem = match kind {
        MemberKind::Project => Some(IdProblem::OwnProject),
        MemberKind::Domain => Some(IdProblem::OwnAccount),
        MemberKind::Organization => None,
    };
    let own = own.filter(|_| own_problem.is_some());
    let mut tokens: Vec<IdToken> = Vec::new();
    // ID → index of its first token: one hash look-up per token, so 10,000 pasted IDs check
    // in linear time.
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut start: Option<usize> = None;
    let mut push = |s: usize, e: usize, tokens: &mut Vec<IdToken>| {
        let text = &input[s..e];
        let norm = text.to_ascii_lowercase();
        let valid = is_member_id(kind, text);
        let problem = if !valid {
            Some(IdProblem::Malformed {
                kind,
                hint: malformed_hint(kind, text),
            })
        } else if let Some(first) = seen.get(&norm) {
            Some(IdProblem::Duplicate { first: *first })
        } else if own.is_some_and(|own| own.eq_ignore_ascii_case(text)) {
            own_problem.clone()
        } else {
            None
        };
        if valid {
            seen.entry(norm).or_insert(tokens.len());
        }
        tokens.push(IdToken {
            text: text.to_string(),
            start: s,
            problem,
        });
    };
    for (i, c) in input.char_indices() {
        match (is_separator(c), start) {
            (true, Some(s)) => {
                push(s, i, &mut tokens);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        push(s, input.len(), &mut tokens);
    }
    tokens
}

/// The usable IDs of a parse, lower-cased, each once, in the order typed.
pub fn valid_ids(tokens: &[IdToken]) -> Vec<String> {
    tokens
        .iter()
        .filter(|t| t.is_valid())
        .map(|t| t.text.to_ascii_lowercase())
        .collect()
}

/// What a form's list of target projects gives: the usable IDs, and whether anything typed
/// stops the list from being sent. A malformed ID or the signed-in project does; a repeated ID
/// is only dropped, so it does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Targets {
    pub projects: Vec<String>,
    pub blocked: bool,
}

pub fn targets(input: &str, own_project: Option<&str>) -> Targets {
    targets_of(MemberKind::Project, input, own_project)
}

/// [`targets`] for a box of members of `kind`.
pub fn targets_of(kind: MemberKind, input: &str, own: Option<&str>) -> Targets {
    let tokens = parse_ids(kind, input, own);
    let blocked = tokens.iter().any(|t| {
        matches!(
            t.problem,
            Some(IdProblem::Malformed { .. } | IdProblem::OwnProject | IdProblem::OwnAccount)
        )
    });
    Targets {
        projects: valid_ids(&tokens),
        blocked,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_keep_each_usable_id_once_and_a_repeat_does_not_block() {
        let t = targets(&format!("{A}, {B}\n{}", A.to_uppercase()), None);
        assert_eq!(t.projects, vec![A.to_string(), B.to_string()]);
        assert!(!t.blocked);
    }

    #[test]
    fn targets_are_blocked_by_a_malformed_id_or_the_own_project() {
        assert!(targets(&format!("{A} xyz"), None).blocked);
        let own = targets(&format!("{A} {B}"), Some(B));
        assert!(own.blocked);
        assert_eq!(own.projects, vec![A.to_string()]);
        assert!(!targets("", None).blocked);
    }
    use proptest::prelude::*;

    const A: &str = "9c61004714024f9586705d090530f9fa";
    const B: &str = "edc89b490d7d4392898e19b2deb34797";

    #[test]
    fn splits_on_commas_spaces_and_newlines() {
        let t = parse_project_ids(&format!(" {A},\n{B}; \t"), None);
        assert_eq!(valid_ids(&t), vec![A, B]);
        assert_eq!(t[1].start, A.len() + 3);
    }

    #[test]
    fn marks_duplicates_case_insensitively_and_keeps_the_first() {
        let t = parse_project_ids(&format!("{A} {B} {}", A.to_uppercase()), None);
        assert_eq!(t[2].problem, Some(IdProblem::Duplicate { first: 0 }));
        assert_eq!(valid_ids(&t), vec![A, B]);
    }

    #[test]
    fn refuses_own_project() {
        let t = parse_project_ids(&format!("{A} {B}"), Some(B));
        assert_eq!(t[1].problem, Some(IdProblem::OwnProject));
        assert_eq!(valid_ids(&t), vec![A]);
    }

    #[test]
    fn explains_malformed_ids() {
        let t = parse_project_ids("d164b5df-1bc3-4c3f-893e-3e471fd16e64 abc xyz", None);
        assert!(t[0].problem.as_ref().unwrap().message().contains("UUID"));
        assert!(t[1]
            .problem
            .as_ref()
            .unwrap()
            .message()
            .contains("too short"));
        assert!(t[2].problem.as_ref().unwrap().message().contains("0-9"));
    }

    const ACCOUNT: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn organization_urns_have_the_documented_shape() {
        for good in [
            format!("organizations::{ACCOUNT}:organization:o-abc123"),
            format!("organizations::{ACCOUNT}:ou:o-abc123/ou-r00t-x1y2"),
            format!("organizations::{}:ou:o-a/ou-b", ACCOUNT.to_uppercase()),
        ] {
            assert!(is_organization_urn(&good), "{good}");
        }
        for bad in [
            format!("organizations::{ACCOUNT}:ou:o-abc123"),
            format!("organizations::{ACCOUNT}:organization:o-abc/ou-x"),
            format!("organizations::{ACCOUNT}:ou:o-ABC/ou-x"),
            format!("organization::{ACCOUNT}:ou:o-abc/ou-x"),
            "organizations::1234:ou:o-abc/ou-x".to_string(),
            format!("organizations::{ACCOUNT}:ou:o-/ou-x"),
            format!("organizations::{ACCOUNT}:ou:o-abc/ou-"),
            format!("organizations::{ACCOUNT}:team:o-abc"),
            ACCOUNT.to_string(),
        ] {
            assert!(!is_organization_urn(&bad), "{bad}");
        }
    }

    #[test]
    fn account_boxes_refuse_the_own_account_and_say_what_a_urn_is_doing_there() {
        let own = "ffffffffffffffffffffffffffffffff";
        let urn = format!("organizations::{ACCOUNT}:organization:o-abc");
        let toks = parse_ids(
            MemberKind::Domain,
            &format!("{ACCOUNT} {own} {urn} abc"),
            Some(own),
        );
        assert!(toks[0].is_valid());
        assert_eq!(toks[1].problem, Some(IdProblem::OwnAccount));
        assert!(toks[2]
            .problem
            .as_ref()
            .unwrap()
            .message()
            .contains("enter it under organizations"));
        assert_eq!(
            toks[3].problem.as_ref().unwrap().message(),
            "not an account ID: too short: an account ID has 32 hex characters"
        );
        let t = targets_of(
            MemberKind::Organization,
            &format!("{urn}\n{ACCOUNT}"),
            Some(own),
        );
        assert_eq!(t.projects, vec![urn.clone()]);
        assert!(
            t.blocked,
            "an account ID in the organizations box blocks the list"
        );
    }

    #[test]
    fn image_ids_are_uuids() {
        assert!(is_image_id("d164b5df-1bc3-4c3f-893e-3e471fd16e64"));
        assert!(!is_image_id("d164b5df1bc34c3f893e3e471fd16e64"));
        assert!(!is_image_id("d164b5df-1bc3-4c3f-893e-3e471fd16e6g"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        #[test]
        fn urns_of_the_documented_shape_are_accepted_and_one_changed_byte_mostly_refused(
            account in "[0-9a-f]{32}", org in "[0-9a-z]{1,32}", ou in "[0-9a-z-]{1,64}",
            at in 0usize..200, junk in "[ A-Z:/_]",
        ) {
            let urn = format!("organizations::{account}:ou:o-{org}/ou-{ou}");
            prop_assert!(is_organization_urn(&urn));
            let whole = format!("organizations::{account}:organization:o-{org}");
            prop_assert!(is_organization_urn(&whole));
            // A space, an upper-case letter or a separator put anywhere is refused (or, for
            // an upper-case letter in the account's hex, still the same account).
            let at = at % (urn.len() + 1);
            let mut changed = urn.clone();
            changed.insert_str(at, &junk);
            let in_account = at > 15 && at < 15 + 32;
            prop_assume!(!(in_account && junk.chars().all(|c| c.is_ascii_hexdigit())));
            prop_assert!(!is_organization_urn(&changed), "{}", changed);
        }

        #[test]
        fn never_panics_and_offsets_point_at_tokens(s in "\\PC{0,200}") {
            for t in parse_project_ids(&s, Some(A)) {
                prop_assert_eq!(&s[t.start..t.start + t.text.len()], t.text.as_str());
            }
        }

        #[test]
        fn every_valid_id_kept_once(ids in proptest::collection::vec("[0-9a-fA-F]{32}", 0..20),
                                    seps in proptest::collection::vec("[ ,;\n\t]{1,3}", 20)) {
            let text: String = ids.iter().zip(&seps).map(|(id, sep)| format!("{id}{sep}")).collect();
            let kept = valid_ids(&parse_project_ids(&text, None));
            let mut expected: Vec<String> = Vec::new();
            for id in &ids {
                let l = id.to_ascii_lowercase();
                if !expected.contains(&l) { expected.push(l); }
            }
            prop_assert_eq!(kept, expected);
        }

        #[test]
        fn junk_between_ids_never_drops_a_valid_one(ids in proptest::collection::vec("[0-9a-f]{32}", 1..10),
                                                     junk in "[g-z]{1,40}") {
            let text = ids.join(&format!(" {junk} "));
            let kept = valid_ids(&parse_project_ids(&text, None));
            for id in &ids { prop_assert!(kept.contains(id)); }
        }
    }

    #[test]
    fn ten_thousand_ids_with_repeats_point_each_duplicate_at_its_first() {
        let ids: Vec<String> = (0..10_000).map(|n| format!("{:032x}", n % 7_000)).collect();
        let tokens = parse_project_ids(&ids.join("\n"), None);
        assert_eq!(tokens.len(), 10_000);
        assert_eq!(valid_ids(&tokens).len(), 7_000);
        assert_eq!(
            tokens[9_999].problem,
            Some(IdProblem::Duplicate { first: 2_999 })
        );
    }
}
