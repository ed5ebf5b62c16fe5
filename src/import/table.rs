//! Delimited text as spreadsheets and HR tools export it: comma, semicolon or tab; UTF-8 with
//! or without a byte-order mark, UTF-16 or Windows-1252; CRLF or LF; quoted fields holding
//! delimiters and line breaks. Columns are found by their header, with common synonyms.

use std::collections::BTreeMap;
use std::path::Path;

use super::error::{ImportError, ImportErrors};

/// Largest input file read, checked before reading it.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// A table: its header and its rows, each with the line it starts on.
#[derive(Debug, Clone)]
pub struct Table {
    pub file: String,
    pub headers: Vec<String>,
    /// The line the header row is on (blank lines may come first).
    pub header_line: u64,
    pub rows: Vec<Row>,
    /// What was assumed in reading it (encoding, delimiter).
    pub notes: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Row {
    /// Line of the file the row starts on (1-based).
    pub line: u64,
    pub fields: Vec<String>,
}

impl Row {
    /// Field `k`, trimmed; empty where the row is short.
    pub fn get(&self, k: usize) -> &str {
        self.fields.get(k).map(|f| f.trim()).unwrap_or("")
    }
}

/// Reads a whole file, refusing one over `MAX_FILE_BYTES` before reading it.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, ImportError> {
    let file = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|source| ImportError::Io { file: file.clone(), source })?;
    if meta.is_dir() {
        return Err(ImportError::File { file, message: "is a folder, expected a file".into() });
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(ImportError::File {
            file,
            message: format!("is {} bytes; files over {MAX_FILE_BYTES} bytes are refused", meta.len()),
        });
    }
    std::fs::read(path).map_err(|source| ImportError::Io { file, source })
}

/// The text of `bytes`: by its byte-order mark where it has one, else UTF-8, else (Excel's
/// "CSV" on Windows) Windows-1252. Returns a note when it was not plain UTF-8.
pub fn decode(bytes: &[u8]) -> (String, Option<String>) {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        let note =
            (encoding != encoding_rs::UTF_8).then(|| format!("read as {} (its byte-order mark)", encoding.name()));
        return (text.into_owned(), note);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), None),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text.into_owned(), Some("not UTF-8: read as Windows-1252, as Excel writes CSV on Windows".into()))
        }
    }
}

/// The delimiter of the first line: whichever of tab, semicolon and comma it holds most of
/// outside quotes (a comma when it holds none).
pub fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            '\t' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            ',' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&k| (counts[k], k)).unwrap_or(2);
    if counts[best] == 0 { b',' } else { [b'\t', b';', b','][best] }
}

/// Where (line, 1-based field) a quoted field opens that the file never closes, if one does:
/// the CSV reader takes the rest of the file into that one field without a word, so a stray
/// quote would otherwise swallow every row after it.
fn unclosed_quote(text: &str, delimiter: u8) -> Option<(u64, usize)> {
    let b = text.as_bytes();
    let (mut line, mut field, mut at_field_start) = (1u64, 1usize, true);
    let mut i = 0;
    while i < b.len() {
        if at_field_start && b[i] == b'"' {
            let opened = (line, field);
            i += 1;
            loop {
                match b.get(i) {
                    None => return Some(opened),
                    Some(b'"') if b.get(i + 1) == Some(&b'"') => i += 2,
                    Some(b'"') => break,
                    Some(c) => {
                        line += u64::from(*c == b'\n');
                        i += 1;
                    }
                }
            }
        } else if b[i] == delimiter {
            field += 1;
        } else if b[i] == b'\n' {
            (line, field) = (line + 1, 1);
        }
        at_field_start = b[i] == delimiter || b[i] == b'\n' || b[i] == b'\r';
        i += 1;
    }
    None
}

fn delimiter_name(d: u8) -> &'static str {
    match d {
        b'\t' => "tab",
        b';' => "semicolon",
        _ => "comma",
    }
}

/// Reads `path` as a table whose first non-empty row is the header. Refuses more than
/// `max_rows` rows, counted before any row is kept.
pub fn read_table(path: &Path, max_rows: usize) -> Result<Table, ImportErrors> {
    let file = path.display().to_string();
    let bytes = read_bytes(path)?;
    let (text, encoding_note) = decode(&bytes);
    drop(bytes);
    parse_table(&file, &text, max_rows, encoding_note)
}

/// `read_table` on text already read.
pub fn parse_table(file: &str, text: &str, max_rows: usize, note: Option<String>) -> Result<Table, ImportErrors> {
    let delimiter = sniff_delimiter(text);
    let builder = || {
        let mut b = csv::ReaderBuilder::new();
        b.delimiter(delimiter).has_headers(false).flexible(true);
        b
    };
    let broken = |e: csv::Error| {
        let line = e.position().map(|p| p.line()).unwrap_or(0);
        ImportError::Row { file: file.to_string(), line, message: format!("cannot be read as a table: {e}") }
    };
    if let Some((line, column)) = unclosed_quote(text, delimiter) {
        return Err(ImportError::Cell {
            file: file.to_string(),
            line,
            column,
            message: "a quoted field opens here and is never closed, so the rest of the file would be read into it; expected a closing \"".into(),
        }
        .into());
    }
    // Count first, keeping nothing: an absurdly long file is refused before its rows are held.
    let mut counting = builder().from_reader(text.as_bytes());
    let mut record = csv::ByteRecord::new();
    let mut count = 0usize;
    while counting.read_byte_record(&mut record).map_err(broken)? {
        count += 1;
        if count > max_rows + 1 {
            return Err(ImportError::File {
                file: file.to_string(),
                message: format!("has more than {max_rows} rows; Understory refuses organizations this large"),
            }
            .into());
        }
    }
    let mut reader = builder().from_reader(text.as_bytes());
    let mut headers = None;
    let mut header_line = 1;
    let mut rows = Vec::with_capacity(count);
    for record in reader.records() {
        let record = record.map_err(broken)?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let fields: Vec<String> = record.iter().map(str::to_string).collect();
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if headers.is_none() {
            headers = Some(fields);
            header_line = line;
        } else {
            rows.push(Row { line, fields });
        }
    }
    let Some(headers) = headers else {
        return Err(ImportError::File {
            file: file.to_string(),
            message: "is empty: expected a header row and rows".into(),
        }
        .into());
    };
    let mut notes: Vec<String> = note.into_iter().collect();
    if delimiter != b',' {
        notes.push(format!("{}-separated", delimiter_name(delimiter)));
    }
    Ok(Table { file: file.to_string(), headers, header_line, rows, notes })
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Id,
    Name,
    FirstName,
    LastName,
    Manager,
    Group,
    Size,
    Title,
    Source,
    Target,
    Weight,
}

impl Role {
    /// The key `--columns` takes for it.
    pub fn key(self) -> &'static str {
        match self {
            Role::Id => "id",
            Role::Name => "name",
            Role::FirstName => "first",
            Role::LastName => "last",
            Role::Manager => "manager",
            Role::Group => "group",
            Role::Size => "size",
            Role::Title => "title",
            Role::Source => "source",
            Role::Target => "target",
            Role::Weight => "weight",
        }
    }

    /// Headers taken for it, compared as `normalize` leaves them.
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            Role::Id => {
                &["id", "employeeid", "personid", "teamid", "staffid", "empid", "employeenumber", "nodeid", "key"]
            }
            Role::Name => &[
                "name",
                "employeename",
                "teamname",
                "fullname",
                "employee",
                "person",
                "displayname",
                "label",
                "membername",
                "staffname",
            ],
            Role::FirstName => &["firstname", "givenname", "forename", "first"],
            Role::LastName => &["lastname", "surname", "familyname", "last"],
            // Ids first: where a chart has both a manager's id and name, the id is exact.
            Role::Manager => &[
                "managerid",
                "reportstoid",
                "parentid",
                "supervisorid",
                "reportsto",
                "manager",
                "parent",
                "supervisor",
                "managername",
                "linemanager",
                "boss",
                "reportingto",
                "parentteam",
                "managedby",
            ],
            Role::Group => &[
                "department",
                "group",
                "unit",
                "team",
                "dept",
                "division",
                "function",
                "orgunit",
                "businessunit",
                "club",
                "community",
            ],
            Role::Size => &["headcount", "size", "people", "fte", "members", "staff", "employees", "teamsize", "count"],
            Role::Title => &["title", "position", "jobtitle", "role", "job"],
            Role::Source => &["source", "from", "sender", "a", "node1", "src", "u"],
            Role::Target => &["target", "to", "receiver", "b", "node2", "dst", "v"],
            Role::Weight => &["weight", "value", "strength", "count", "messages", "frequency", "w"],
        }
    }

    /// Roles `--columns` may name for an org chart.
    pub const ORG: [Role; 8] =
        [Role::Id, Role::Name, Role::FirstName, Role::LastName, Role::Manager, Role::Group, Role::Size, Role::Title];
}

/// A header as compared: lower case, letters and digits only ("Reports To" → "reportsto").
pub fn normalize(header: &str) -> String {
    header.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Columns found for `roles` in `headers`: those `overrides` name (by header text), then the
/// first header matching a synonym, no column taken twice.
pub fn find_columns(
    file: &str,
    headers: &[String],
    roles: &[Role],
    overrides: &[(String, String)],
) -> Result<BTreeMap<Role, usize>, ImportErrors> {
    let mut found = BTreeMap::new();
    let mut problems = Vec::new();
    let normalized: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
    for (key, header) in overrides {
        let Some(role) = roles.iter().copied().find(|r| r.key() == key.trim()) else {
            problems.push(ImportError::File {
                file: file.to_string(),
                message: format!(
                    "--columns names \"{key}\", expected one of: {}",
                    roles.iter().map(|r| r.key()).collect::<Vec<_>>().join(", ")
                ),
            });
            continue;
        };
        match normalized.iter().position(|h| *h == normalize(header)) {
            Some(k) => {
                found.insert(role, k);
            }
            None => problems.push(ImportError::File {
                file: file.to_string(),
                message: format!("--columns {key}={header}: no such column; the columns are {}", quoted(headers)),
            }),
        }
    }
    for &role in roles {
        if found.contains_key(&role) {
            continue;
        }
        let taken: Vec<usize> = found.values().copied().collect();
        let hit = role
            .synonyms()
            .iter()
            .find_map(|s| normalized.iter().enumerate().position(|(k, h)| h == s && !taken.contains(&k)));
        if let Some(k) = hit {
            found.insert(role, k);
        }
    }
    if problems.is_empty() { Ok(found) } else { Err(ImportErrors(problems)) }
}

/// Headers as a list for messages: "Name", "Reports To".
pub fn quoted(headers: &[String]) -> String {
    headers.iter().map(|h| format!("\"{}\"", h.trim())).collect::<Vec<_>>().join(", ")
}

/// What was recognised, for a message about a missing column.
pub fn recognised(headers: &[String], found: &BTreeMap<Role, usize>) -> String {
    if found.is_empty() {
        return "none".into();
    }
    found.iter().map(|(role, &k)| format!("{} (\"{}\")", role.key(), headers[k].trim())).collect::<Vec<_>>().join(", ")
}

/// A number as spreadsheets write one: "12", "12.5", "1,5" (a decimal comma), "1,200" or
/// "1 200" (thousands), with spaces around.
pub fn parse_number(text: &str) -> Option<f64> {
    let t: String = text.chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '_').collect();
    let t = match (t.contains('.'), t.contains(',')) {
        (true, true) => t.replace(',', ""),
        (false, true) => {
            let after = t.rsplit(',').next().unwrap_or("");
            if after.len() == 3 && t.matches(',').count() >= 1 && !t.starts_with("0,") {
                t.replace(',', "")
            } else {
                t.replace(',', ".")
            }
        }
        _ => t,
    };
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delimiter_is_the_commonest_outside_quotes() {
        assert_eq!(sniff_delimiter("a;b;c\n1,2;3"), b';');
        assert_eq!(sniff_delimiter("a\tb\n"), b'\t');
        assert_eq!(sniff_delimiter("\"x;y;z\",b\n"), b',');
        assert_eq!(sniff_delimiter("single\n"), b',');
    }

    #[test]
    fn a_quote_never_closed_is_found_where_it_opens() {
        assert_eq!(unclosed_quote("name,manager\nceo,\n\"a,ceo\nb,ceo\n", b','), Some((3, 1)));
        assert_eq!(unclosed_quote("n;m\nx;\"y\n", b';'), Some((2, 2)));
        // Closed quotes, doubled quotes inside them, line breaks inside them and quotes in the
        // middle of a field (read as they stand) are all well formed.
        assert_eq!(unclosed_quote("n,m\n\"a \"\"b\"\"\",\"two\nlines\"\r\nit's 5\" tall,x\n", b','), None);
        assert_eq!(unclosed_quote("", b','), None);
        let e = parse_table("t.csv", "name,manager\nceo,\n\"a,ceo\nb,ceo\n", 10, None).unwrap_err();
        assert!(e.to_string().starts_with("t.csv:3:1: a quoted field opens here and is never closed"), "{e}");
    }

    #[test]
    fn headers_match_whatever_their_case_and_spacing() {
        assert_eq!(normalize("  Reports To "), "reportsto");
        assert_eq!(normalize("Employee_Name"), "employeename");
        assert_eq!(normalize("Größe"), "größe");
        let headers: Vec<String> = ["Employee Name", "Manager", "Dept.", "FTE"].map(String::from).to_vec();
        let found = find_columns("t.csv", &headers, &Role::ORG, &[]).unwrap();
        assert_eq!(found[&Role::Name], 0);
        assert_eq!(found[&Role::Manager], 1);
        assert_eq!(found[&Role::Group], 2);
        assert_eq!(found[&Role::Size], 3);
        let named = find_columns("t.csv", &headers, &Role::ORG, &[("group".into(), "fte".into())]).unwrap();
        assert_eq!(named[&Role::Group], 3);
        let wrong = find_columns("t.csv", &headers, &Role::ORG, &[("boss".into(), "Manager".into())]).unwrap_err();
        assert!(wrong.to_string().contains("expected one of: id, name"), "{wrong}");
    }

    #[test]
    fn numbers_read_as_spreadsheets_write_them() {
        assert_eq!(parse_number(" 12 "), Some(12.0));
        assert_eq!(parse_number("1,5"), Some(1.5));
        assert_eq!(parse_number("1,200"), Some(1200.0));
        assert_eq!(parse_number("1 200"), Some(1200.0));
        assert_eq!(parse_number("1,234.5"), Some(1234.5));
        assert_eq!(parse_number("twelve"), None);
        assert_eq!(parse_number("NaN"), None);
    }

    #[test]
    fn text_is_decoded_by_its_mark_else_utf8_else_windows_1252() {
        assert_eq!(decode("\u{feff}name".as_bytes()), ("name".to_string(), None));
        let utf16: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("ab".encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
        assert_eq!(decode(&utf16).0, "ab");
        let (text, note) = decode(b"Jos\xe9");
        assert_eq!(text, "José");
        assert!(note.unwrap().contains("Windows-1252"));
    }
}
