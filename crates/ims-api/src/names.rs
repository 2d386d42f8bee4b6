//! Names for project IDs: the user's own projects and an address book they keep, the
//! suggestions offered while typing a name where IDs are expected, and the region a project's
//! name carries on IMS clouds (`eu-de`, `eu-de_ops`).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::csv;
use crate::ids::{is_project_id, IdProblem, IdToken};
use crate::plan::RowProblem;

/// One address-book entry: a project the user deals with but cannot sign in to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: String,
    pub name: String,
}

/// The largest address-book file read, in bytes.
pub const MAX_BOOK_BYTES: usize = 4 * 1024 * 1024;

/// Checks an entry typed in Settings: `(id problem, name problem)`.
pub fn check_contact(id: &str, name: &str) -> (Option<String>, Option<String>) {
    let id = id.trim();
    let id_problem = if id.is_empty() {
        Some("Enter the project ID.".to_string())
    } else if !is_project_id(id) {
        Some(format!(
            "{id} is not a project ID: 32 hexadecimal characters."
        ))
    } else {
        None
    };
    let name_problem = if name.trim().is_empty() {
        Some("Enter a name.".to_string())
    } else {
        None
    };
    (id_problem, name_problem)
}

/// Adds or replaces (same ID) an entry, keeping the book sorted by name.
pub fn upsert(book: &mut Vec<Contact>, entry: Contact) {
    merge(book, vec![entry]);
}

/// Adds or replaces (same ID) many entries at once, the later of two with one ID winning,
/// then sorts once: an import of 25,000 rows is one hash pass and one sort, not a sort per row.
pub fn merge(book: &mut Vec<Contact>, entries: Vec<Contact>) {
    let mut at: HashMap<String, usize> = book
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.clone(), i))
        .collect();
    for entry in entries {
        let entry = Contact {
            id: entry.id.trim().to_ascii_lowercase(),
            name: entry.name.trim().to_string(),
        };
        match at.get(&entry.id) {
            Some(&i) => book[i] = entry,
            None => {
                at.insert(entry.id.clone(), book.len());
                book.push(entry);
            }
        }
    }
    book.sort_by_cached_key(|c| (c.name.to_lowercase(), c.id.clone()));
}

/// The address book as CSV (`project_id,name`), the format [`read_book`] takes back.
pub fn book_csv(book: &[Contact]) -> String {
    let rows: Vec<Vec<String>> = book
        .iter()
        .map(|c| vec![c.id.clone(), c.name.clone()])
        .collect();
    csv::write(&["project_id", "name"], &rows)
}

/// Reads an address-book CSV: a header with `project_id` (or `id`) and `name`, `#` comments.
/// Good rows come back with the problems of the others, by line.
///
/// # Errors
/// The file as a whole: too large, not UTF-8, no such header.
pub fn read_book(bytes: &[u8]) -> Result<(Vec<Contact>, Vec<RowProblem>), String> {
    if bytes.len() > MAX_BOOK_BYTES {
        return Err("An address book may be at most 4 MB.".into());
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        format!("Line {line} is not UTF-8 text: save the file as UTF-8.")
    })?;
    let mut records = csv::read(text).into_iter();
    let Some(head) = records.next() else {
        return Err("The file has no header row (project_id, name).".into());
    };
    let find = |names: &[&str]| {
        head.fields
            .iter()
            .position(|c| names.iter().any(|n| c.trim().eq_ignore_ascii_case(n)))
    };
    let (Some(id_col), Some(name_col)) =
        (find(&["project_id", "id"]), find(&["name", "project_name"]))
    else {
        return Err(format!(
            "Line {} should be the header with the columns project_id and name.",
            head.line
        ));
    };
    let (mut good, mut bad) = (Vec::new(), Vec::new());
    for r in records {
        let cell = |n: usize| {
            r.fields
                .get(n)
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        let (id, name) = (cell(id_col), cell(name_col));
        match check_contact(&id, &name) {
            (None, None) => good.push(Contact {
                id: id.to_ascii_lowercase(),
                name,
            }),
            (Some(p), _) | (None, Some(p)) => bad.push(RowProblem {
                line: r.line,
                message: p,
            }),
        }
    }
    Ok((good, bad))
}

/// Every name the console knows, ID → name: the address book first, then the user's own
/// projects, whose names IAM gives and so win.
pub fn known_names(own: &[(String, String)], book: &[Contact]) -> HashMap<String, String> {
    let mut out: HashMap<String, String> = book
        .iter()
        .map(|c| (c.id.clone(), c.name.clone()))
        .collect();
    out.extend(own.iter().cloned());
    out
}

/// Projects whose name contains what is typed (case-insensitive), names starting with it
/// first, at most `limit`. Nothing for an ID or fewer than two characters.
pub fn suggest(
    names: &HashMap<String, String>,
    typed: &str,
    limit: usize,
) -> Vec<(String, String)> {
    let t = typed.trim().to_lowercase();
    if t.chars().count() < 2 || is_project_id(&t) {
        return Vec::new();
    }
    let mut hits: Vec<(bool, String, String)> = names
        .iter()
        .filter_map(|(id, name)| {
            let lower = name.to_lowercase();
            lower
                .contains(&t)
                .then(|| (!lower.starts_with(&t), name.clone(), id.clone()))
        })
        .collect();
    hits.sort();
    hits.into_iter()
        .take(limit)
        .map(|(_, name, id)| (id, name))
        .collect()
}

/// Where a name may have been typed in the project-ID box: each run of tokens that are not
/// IDs, separated by spaces only (names may hold spaces), as (index of its first token, byte
/// span in the input, the text).
pub fn typed_names(input: &str, tokens: &[IdToken]) -> Vec<(usize, usize, usize, String)> {
    let mut out: Vec<(usize, usize, usize, String)> = Vec::new();
    let mut open: Option<(usize, usize, usize)> = None;
    for (i, t) in tokens.iter().enumerate() {
        let malformed = matches!(t.problem, Some(IdProblem::Malformed { .. }));
        let end = t.start + t.text.len();
        open = match (open, malformed) {
            (Some((first, s, e)), true)
                if input[e..t.start].chars().all(|c| c == ' ' || c == '\t') =>
            {
                Some((first, s, end))
            }
            (prev, m) => {
                if let Some((first, s, e)) = prev {
                    out.push((first, s, e, input[s..e].to_string()));
                }
                m.then_some((i, t.start, end))
            }
        };
    }
    if let Some((first, s, e)) = open {
        out.push((first, s, e, input[s..e].to_string()));
    }
    out
}

/// The region a project name carries: `eu-de` for `eu-de` and `eu-de_ops`, when `regions`
/// (those of the catalog) has it. Other names carry none.
pub fn region_of<'a>(project_name: &str, regions: &'a [String]) -> Option<&'a str> {
    let prefix = project_name.split('_').next().unwrap_or_default();
    regions
        .iter()
        .find(|r| r.as_str() == prefix)
        .map(String::as_str)
}

/// Projects grouped by region, in the order of `regions`, those with none last under `""`.
pub fn group_by_region<'a>(
    projects: &'a [(String, String)],
    regions: &[String],
    default_region: &str,
) -> Vec<(String, Vec<&'a (String, String)>)> {
    let mut groups: Vec<(String, Vec<&(String, String)>)> = Vec::new();
    for p in projects {
        let region = region_of(&p.1, regions)
            .unwrap_or(default_region)
            .to_string();
        match groups.iter_mut().find(|(r, _)| *r == region) {
            Some((_, list)) => list.push(p),
            None => groups.push((region, vec![p])),
        }
    }
    groups.sort_by_key(|(r, _)| {
        (
            r.is_empty(),
            regions.iter().position(|x| x == r).unwrap_or(usize::MAX),
            r.clone(),
        )
    });
    for (_, list) in &mut groups {
        list.sort_by(|a, b| a.1.cmp(&b.1));
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    #[test]
    fn the_book_round_trips_through_csv_and_bad_rows_are_named_by_line() {
        let mut book = Vec::new();
        upsert(
            &mut book,
            Contact {
                id: B.to_uppercase(),
                name: " partner, prod ".into(),
            },
        );
        upsert(
            &mut book,
            Contact {
                id: A.into(),
                name: "acme-test".into(),
            },
        );
        upsert(
            &mut book,
            Contact {
                id: A.into(),
                name: "acme-qa".into(),
            },
        );
        assert_eq!(
            book,
            vec![
                Contact {
                    id: A.into(),
                    name: "acme-qa".into()
                },
                Contact {
                    id: B.into(),
                    name: "partner, prod".into()
                }
            ]
        );
        let text = book_csv(&book);
        let (back, bad) = read_book(text.as_bytes()).unwrap();
        assert_eq!((back, bad), (book, vec![]));
        let (good, bad) =
            read_book(format!("# mine\nname,id\nx,{A}\ny,12345\n,{B}\n").as_bytes()).unwrap();
        assert_eq!(good.len(), 1);
        assert_eq!(bad.iter().map(|p| p.line).collect::<Vec<_>>(), vec![4, 5]);
        assert!(bad[0].message.contains("not a project ID"));
        assert!(bad[1].message.contains("Enter a name"));
        assert!(read_book(b"who,what\n").unwrap_err().contains("header"));
        assert!(read_book(b"id,name\n\xff\n")
            .unwrap_err()
            .contains("Line 2 is not UTF-8"));
    }

    #[test]
    fn own_project_names_win_and_suggestions_put_prefixes_first() {
        let names = known_names(
            &[(A.into(), "acme-dev".into())],
            &[
                Contact {
                    id: A.into(),
                    name: "old".into(),
                },
                Contact {
                    id: B.into(),
                    name: "team-acme".into(),
                },
            ],
        );
        assert_eq!(names[A], "acme-dev");
        assert_eq!(
            suggest(&names, "ACME", 5),
            vec![
                (A.to_string(), "acme-dev".to_string()),
                (B.to_string(), "team-acme".to_string())
            ]
        );
        assert!(suggest(&names, "a", 5).is_empty());
        assert!(suggest(&names, A, 5).is_empty());
        assert_eq!(suggest(&names, "acme", 1).len(), 1);
    }

    #[test]
    fn names_with_spaces_are_one_run_and_commas_or_ids_end_a_run() {
        let input = format!("partner pro, {A} acme\nqa team");
        let toks = crate::ids::parse_project_ids(&input, None);
        let runs: Vec<(usize, String)> = typed_names(&input, &toks)
            .into_iter()
            .map(|(i, _, _, t)| (i, t))
            .collect();
        assert_eq!(
            runs,
            vec![
                (0, "partner pro".to_string()),
                (3, "acme".to_string()),
                (4, "qa team".to_string())
            ]
        );
        let (_, s, e, _) = typed_names(&input, &toks)[0].clone();
        assert_eq!(&input[s..e], "partner pro");
    }

    #[test]
    fn a_project_name_carries_its_region_when_the_catalog_knows_it() {
        let regions = vec!["eu-de".to_string(), "eu-nl".to_string()];
        assert_eq!(region_of("eu-de", &regions), Some("eu-de"));
        assert_eq!(region_of("eu-de_ops", &regions), Some("eu-de"));
        assert_eq!(region_of("eu-nl_web_prod", &regions), Some("eu-nl"));
        assert_eq!(region_of("acme-images", &regions), None);
        assert_eq!(region_of("eu-ch2_x", &regions), None);
        let projects = vec![
            (A.to_string(), "eu-nl_b".to_string()),
            (B.to_string(), "eu-de_a".to_string()),
            ("c".into(), "other".into()),
        ];
        let g = group_by_region(&projects, &regions, "");
        let order: Vec<(&str, usize)> = g.iter().map(|(r, l)| (r.as_str(), l.len())).collect();
        assert_eq!(order, vec![("eu-de", 1), ("eu-nl", 1), ("", 1)]);
    }

    #[test]
    fn a_25000_entry_import_merges_in_one_pass_later_rows_winning() {
        let mut book = vec![Contact {
            id: format!("{:032x}", 7),
            name: "old name".into(),
        }];
        let entries: Vec<Contact> = (0..25_000u32)
            .map(|n| Contact {
                id: format!("{:032X}", n % 20_000),
                name: format!("partner-{n:05}"),
            })
            .collect();
        merge(&mut book, entries);
        assert_eq!(
            book.len(),
            20_000,
            "one entry per ID, IDs compared lower-cased"
        );
        let seven = book.iter().find(|c| c.id == format!("{:032x}", 7)).unwrap();
        assert_eq!(
            seven.name, "partner-20007",
            "the later row wins over the book and earlier rows"
        );
        assert!(book
            .windows(2)
            .all(|w| w[0].name.to_lowercase() <= w[1].name.to_lowercase()));
    }
}
