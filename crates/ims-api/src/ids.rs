//! Project and image ID checks, and the parser behind the project-ID box.
//!
//! Operators paste IDs from spreadsheets, tickets and CLI output, so separators are lenient
//! (commas, semicolons, any white space) while each ID is checked strictly and reported where
//! it stands, so the box can mark the exact token that is wrong.

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

/// What is wrong with one token of the project-ID box.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdProblem {
    /// Not 32 hex characters; `hint` says what it looks like instead.
    Malformed { hint: &'static str },
    /// The same ID appeared earlier, at token index `first`.
    Duplicate { first: usize },
    /// The signed-in project: the service refuses to share with yourself (IMG.0076).
    OwnProject,
}

impl IdProblem {
    pub fn message(&self) -> String {
        match self {
            IdProblem::Malformed { hint } => format!("not a project ID: {hint}"),
            IdProblem::Duplicate { first } => format!("duplicate of ID #{}", first + 1),
            IdProblem::OwnProject => crate::error::OWN_PROJECT.into(),
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

fn malformed_hint(t: &str) -> &'static str {
    let hex_only: String = t.chars().filter(|c| *c != '-').collect();
    if t.contains('-') && hex_only.len() == 32 && hex_only.bytes().all(|b| b.is_ascii_hexdigit()) {
        "this is a UUID with dashes; project IDs have 32 hex characters and no dashes"
    } else if !t.bytes().all(|b| b.is_ascii_hexdigit()) {
        "only 0-9 and a-f are allowed"
    } else if t.len() < 32 {
        "too short: a project ID has 32 hex characters"
    } else {
        "too long: a project ID has 32 hex characters"
    }
}

/// Splits the box's text into tokens and checks each one. IDs compare case-insensitively.
pub fn parse_project_ids(input: &str, own_project: Option<&str>) -> Vec<IdToken> {
    let mut tokens: Vec<IdToken> = Vec::new();
    // ID → index of its first token: one hash look-up per token, so 10,000 pasted IDs check
    // in linear time.
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut start: Option<usize> = None;
    let mut push = |s: usize, e: usize, tokens: &mut Vec<IdToken>| {
        let text = &input[s..e];
        let norm = text.to_ascii_lowercase();
        let problem = if !is_project_id(text) {
            Some(IdProblem::Malformed {
                hint: malformed_hint(text),
            })
        } else if let Some(first) = seen.get(&norm) {
            Some(IdProblem::Duplicate { first: *first })
        } else if own_project.is_some_and(|own| own.eq_ignore_ascii_case(text)) {
            Some(IdProblem::OwnProject)
        } else {
            None
        };
        if is_project_id(text) {
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
    let tokens = parse_project_ids(input, own_project);
    let blocked = tokens.iter().any(|t| {
        matches!(
            t.problem,
            Some(IdProblem::Malformed { .. } | IdProblem::OwnProject)
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

    #[test]
    fn image_ids_are_uuids() {
        assert!(is_image_id("d164b5df-1bc3-4c3f-893e-3e471fd16e64"));
        assert!(!is_image_id("d164b5df1bc34c3f893e3e471fd16e64"));
        assert!(!is_image_id("d164b5df-1bc3-4c3f-893e-3e471fd16e6g"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

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
