//! CSV, the one reader and writer behind every export, share plans and the address book.
//!
//! Written by hand rather than with the `csv` crate: the console needs three things the crate
//! leaves to its caller (the formula guard, `#` comment lines, and the line each record starts
//! on, for messages), and the whole of it is about a hundred lines of the wasm.
//!
//! - **Writing**: a field is quoted when it holds the separator, a quote, a line break or
//!   edge spaces. A field that a spreadsheet would run as a formula (it starts with `=`, `+`,
//!   `-`, `@`, TAB or CR) gets a leading `'`, so an image name, an address-book name or a
//!   server message set by someone else is shown as text, never evaluated.
//! - **Reading**: quotes are handled before line breaks, so a quoted field may span lines; the
//!   separator is `,`, or `;` when the file's header row uses `;` (as spreadsheets write CSV in
//!   locales with a decimal comma), never both; the guard's `'` is taken off again, so what
//!   [`write`] writes reads back unchanged.

/// Whether a spreadsheet would take `s` as a formula: it starts with one of the characters
/// that begin one, or is a guarded field (a `'` before such a start), which must keep its own
/// `'` through a round trip.
fn needs_guard(s: &str) -> bool {
    match s.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => true,
        Some(b'\'') => needs_guard(&s[1..]),
        _ => false,
    }
}

/// One field as written: guarded against formulas, quoted when it has to be.
pub fn field(s: &str) -> String {
    let guarded;
    let s = if needs_guard(s) {
        guarded = format!("'{s}");
        guarded.as_str()
    } else {
        s
    };
    // A leading `#` is quoted too: unquoted at the start of a row it would read as a comment.
    if s.contains([',', ';', '"', '\n', '\r']) || s.starts_with([' ', '#']) || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A CSV document: the header, then the rows, CRLF-terminated as spreadsheets expect.
pub fn write(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    let mut line = |cells: &mut dyn Iterator<Item = String>| {
        let mut first = true;
        for c in cells {
            if !first {
                out.push(',');
            }
            first = false;
            out.push_str(&c);
        }
        out.push_str("\r\n");
    };
    line(&mut header.iter().map(|h| field(h)));
    for r in rows {
        line(&mut r.iter().map(|c| field(c)));
    }
    out
}

/// One record of a file: the line it starts on (1-based) and its fields as written, the
/// formula guard taken off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

/// Reads every record of `text`. Blank lines and lines that start with `#` (outside a quoted
/// field) are skipped; the first other record decides the separator (`;` when it has a `;`
/// and no `,` outside quotes). A quote left open runs to the end of the file, as spreadsheets
/// read it.
pub fn read(text: &str) -> Vec<Record> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut sep: Option<char> = None;
    let mut rest = text;
    let mut line = 1;
    while !rest.is_empty() {
        let start_line = line;
        let first_line = rest.split('\n').next().unwrap_or("");
        let trimmed = first_line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            rest = rest.get(first_line.len() + 1..).unwrap_or("");
            line += 1;
            continue;
        }
        let sep = *sep.get_or_insert_with(|| separator_of(rest));
        let (fields, used, lines) = record(rest, sep);
        records.push(Record {
            line: start_line,
            fields,
        });
        rest = &rest[used..];
        line += lines;
    }
    records
}

/// `;` when the header row has one outside quotes and no `,`.
fn separator_of(text: &str) -> char {
    let (mut quoted, mut semicolon) = (false, false);
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => return ',',
            ';' if !quoted => semicolon = true,
            '\n' if !quoted => break,
            _ => {}
        }
    }
    if semicolon {
        ';'
    } else {
        ','
    }
}

/// One record from the start of `text`: its fields, the bytes it took (its line break
/// included) and the line breaks it took.
fn record(text: &str, sep: char) -> (Vec<String>, usize, usize) {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let (mut quoted, mut was_quoted, mut lines) = (false, false, 0);
    let mut chars = text.char_indices().peekable();
    let mut used = text.len();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' if quoted => {
                if chars.peek().map(|(_, n)| *n) == Some('"') {
                    cur.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            }
            '"' if !was_quoted && cur.trim().is_empty() => {
                cur.clear();
                quoted = true;
                was_quoted = true;
            }
            '\n' if quoted => {
                lines += 1;
                cur.push(c);
            }
            '\n' => {
                lines += 1;
                used = i + 1;
                break;
            }
            '\r' if !quoted && chars.peek().map(|(_, n)| *n) == Some('\n') => {}
            c if c == sep && !quoted => {
                fields.push(unguard(std::mem::take(&mut cur)));
                was_quoted = false;
            }
            _ => cur.push(c),
        }
    }
    if used == text.len() && !text.ends_with('\n') {
        lines += 1;
    }
    fields.push(unguard(cur));
    (fields, used, lines)
}

fn unguard(s: String) -> String {
    match s.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest.to_string(),
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fields(text: &str) -> Vec<Vec<String>> {
        read(text).into_iter().map(|r| r.fields).collect()
    }

    #[test]
    fn a_field_that_could_start_a_formula_is_guarded() {
        for bad in [
            "=1+1",
            "+1",
            "-2",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "=HYPERLINK(\"x\")",
        ] {
            assert!(
                field(bad).trim_start_matches('"').starts_with('\''),
                "{bad:?}"
            );
        }
        assert_eq!(field("=1+1"), "'=1+1");
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("'quoted already"), "'quoted already");
        assert_eq!(
            field("'=x"),
            "''=x",
            "a guard-shaped value keeps its own quote"
        );
    }

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(
            write(&["image", "name"], &[vec!["x".into(), "a, \"b\"".into()]]),
            "image,name\r\nx,\"a, \"\"b\"\"\"\r\n"
        );
        assert_eq!(field(" edge"), "\" edge\"");
    }

    #[test]
    fn quoted_newlines_read_back() {
        let text = write(&["a", "b"], &[vec!["line 1\nline 2".into(), "x".into()]]);
        assert_eq!(
            fields(&text),
            vec![
                vec!["a".to_string(), "b".into()],
                vec!["line 1\nline 2".into(), "x".into()]
            ]
        );
        let recs = read("h\n\"two\nlines\"\nnext\n");
        assert_eq!(
            recs[2].line, 4,
            "the record after a two-line field starts on line 4"
        );
    }

    #[test]
    fn semicolon_separates_only_when_the_header_uses_it() {
        assert_eq!(
            fields("image;project\nx;y\n"),
            vec![
                vec!["image".to_string(), "project".into()],
                vec!["x".into(), "y".into()]
            ]
        );
        assert_eq!(
            fields("image,name\nx,a;b\n")[1],
            vec!["x".to_string(), "a;b".into()],
            "a ; inside a comma file is text"
        );
    }

    #[test]
    fn comments_blank_lines_and_line_numbers() {
        let recs = read("# note\n\nimage,project\r\n# again\nx,y\r\n");
        assert_eq!(recs.len(), 2);
        assert_eq!((recs[0].line, recs[1].line), (3, 5));
        assert_eq!(recs[1].fields, vec!["x".to_string(), "y".into()]);
    }

    #[test]
    fn guarded_fields_read_back_without_their_guard() {
        assert_eq!(
            fields("'=1+1,'plain")[0],
            vec!["=1+1".to_string(), "'plain".into()]
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]
        #[test]
        fn what_is_written_reads_back(rows in prop::collection::vec(
            prop::collection::vec("[ -~\t\r\n'\"=+@;,é]{0,12}", 2..4), 1..6)) {
            let width = rows[0].len();
            let rows: Vec<Vec<String>> = rows.into_iter().map(|mut r| { r.resize(width, String::new()); r }).collect();
            let header: Vec<String> = (0..width).map(|i| format!("c{i}")).collect();
            let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
            let text = write(&header_refs, &rows);
            let back = read(&text);
            // A row whose every field is empty writes as a blank-looking line only when it has
            // one column; with two or more it keeps its separators.
            prop_assert_eq!(back[0].fields.clone(), header);
            let got: Vec<Vec<String>> = back[1..].iter().map(|r| r.fields.clone()).collect();
            prop_assert_eq!(got, rows);
        }
    }
}
