//! Stage 1b: tables of reports, one report a row — what a scraper writes (JSON Lines or
//! CSV/TSV, a row per article: title, date, url, source, text).
//!
//! A table is scanned once when the corpus is listed, for where each row starts and how
//! long it is, without holding a row in memory: a table of a hundred thousand articles,
//! or one with a 100 MB cell, costs a few fixed buffers. A row is then read alone, by its
//! place in the file, as a report file is read alone; its bytes are decoded like a file's
//! (UTF-8 or GB18030, recognised without being told) and its fields picked by column.
//!
//! Rows are numbered from 1 in the order the table holds them: row N of a JSON Lines file
//! is its N-th line that is not blank, row N of a CSV or TSV file its N-th record after
//! the header line.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use encoding_rs::{Encoding, UTF_8};

use crate::decode;

/// How a table lays out its rows, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    /// `.jsonl`/`.ndjson`: one JSON object a line, its keys the columns.
    JsonLines,
    /// `.csv` (`,`) or `.tsv` (tab): a header line naming the columns, then a record a
    /// row, quoted as RFC 4180 quotes.
    Delimited(u8),
}

impl TableKind {
    /// The kind a file's name says it is; None for files that are not tables.
    pub fn of(path: &Path) -> Option<TableKind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "jsonl" | "ndjson" => Some(TableKind::JsonLines),
            "csv" => Some(TableKind::Delimited(b',')),
            "tsv" => Some(TableKind::Delimited(b'\t')),
            _ => None,
        }
    }
}

/// A table file of the corpus, shared by its rows.
#[derive(Debug)]
pub struct Table {
    path: PathBuf,
    kind: TableKind,
    /// The column names of a CSV/TSV file's header line: known from the scan, or read
    /// from the file's head when first needed (rows listed from the cache).
    header: OnceLock<Result<Vec<String>, String>>,
    /// The legacy encoding (GB18030, Big5) the table's head is in, read from it when
    /// first needed; None for UTF-8 or a head that tells nothing, whose rows are then
    /// each recognised as a file is. A short row alone is not enough to tell: 通知 in
    /// GB18030 is valid UTF-8.
    legacy: OnceLock<Option<&'static Encoding>>,
}

/// Two tables are the same when they are the same file read the same way; the header
/// follows from the file.
impl PartialEq for Table {
    fn eq(&self, other: &Table) -> bool {
        self.path == other.path && self.kind == other.kind
    }
}

impl Eq for Table {}

/// One row of a table: where it is, and which.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The table it is in.
    pub table: Arc<Table>,
    /// Its number, from 1 (see the module's docs).
    pub number: usize,
    /// The byte it starts at in the table file.
    pub offset: u64,
}

/// Where one row lies in its table file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowSpan {
    /// The byte it starts at.
    pub offset: u64,
    /// Its length in bytes.
    pub length: u64,
}

/// The longest header line read: a header is a few column names, and a file whose first
/// line is longer is no table of reports.
const MAX_HEADER_BYTES: u64 = 64 * 1024;

/// How much of a table's head tells its encoding: many rows, so that a legacy encoding
/// is told apart from UTF-8 as surely as a whole report's is.
const ENCODING_SAMPLE: u64 = 256 * 1024;

/// How much of a table is read at a time while scanning it.
const SCAN_BUFFER: usize = 64 * 1024;

impl Table {
    /// A table at `path` of `kind`, its header to be read when first needed.
    pub fn new(path: PathBuf, kind: TableKind) -> Table {
        Table {
            path,
            kind,
            header: OnceLock::new(),
            legacy: OnceLock::new(),
        }
    }

    /// Scans the table at `path` for its rows, reading it once in fixed buffers. Fails
    /// when the file cannot be read or a CSV/TSV file's header line cannot be.
    pub fn scan(path: &Path, kind: TableKind) -> Result<(Table, Vec<RowSpan>), String> {
        let mut file = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
        let mut bom = [0u8; 2];
        let got = file
            .read(&mut bom)
            .map_err(|e| format!("cannot read: {e}"))?;
        // Rows are found by their line ends' bytes, which UTF-16 spreads over two.
        if matches!(Encoding::for_bom(&bom[..got]), Some((e, _)) if e != UTF_8) {
            return Err(
                "a table in UTF-16: tables are read in UTF-8 or GB18030; save it as UTF-8".into(),
            );
        }
        file.seek(SeekFrom::Start(0))
            .map_err(|e| format!("cannot read: {e}"))?;
        let table = Table::new(path.to_path_buf(), kind);
        let spans = match kind {
            TableKind::JsonLines => scan_lines(file)?,
            TableKind::Delimited(delimiter) => {
                let mut records = scan_records(file, delimiter)?;
                if records.is_empty() {
                    return Err("no header line: expected the column names first".into());
                }
                let header = records.remove(0);
                let _ = table.header.set(table.read_header(header));
                records
            }
        };
        Ok((table, spans))
    }

    /// The path of the table file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The legacy encoding of the table's head, if it is in one (see `legacy`).
    fn legacy_encoding(&self) -> Option<&'static Encoding> {
        *self.legacy.get_or_init(|| {
            let mut head = Vec::new();
            File::open(&self.path)
                .and_then(|file| file.take(ENCODING_SAMPLE).read_to_end(&mut head))
                .ok()?;
            // Cut after a line end: a character cut in two would make GB18030 fail.
            if head.len() as u64 == ENCODING_SAMPLE {
                let end = head.iter().rposition(|&b| b == b'\n')?;
                head.truncate(end + 1);
            }
            let name = decode::decode(&head).ok()?.encoding;
            Encoding::for_label(name.as_bytes()).filter(|&e| e != UTF_8)
        })
    }

    fn header(&self) -> Result<&[String], String> {
        let header = self.header.get_or_init(|| {
            let file = File::open(&self.path).map_err(|e| format!("cannot open: {e}"))?;
            let TableKind::Delimited(delimiter) = self.kind else {
                return Ok(Vec::new());
            };
            let span = first_record(file, delimiter)?
                .ok_or_else(|| "no header line: expected the column names first".to_owned())?;
            self.read_header(span)
        });
        header.as_deref().map_err(Clone::clone)
    }

    fn read_header(&self, span: RowSpan) -> Result<Vec<String>, String> {
        let TableKind::Delimited(delimiter) = self.kind else {
            return Ok(Vec::new());
        };
        if span.length > MAX_HEADER_BYTES {
            return Err(format!(
                "the header line is over {} KiB: not a table of reports",
                MAX_HEADER_BYTES / 1024
            ));
        }
        let bytes = read_span(&self.path, span.offset, span.length, MAX_HEADER_BYTES)?;
        let text = self
            .decode(&bytes)
            .map_err(|e| format!("header line: {}", e.0))?
            .text;
        Ok(split_record(&text, delimiter)
            .into_iter()
            .map(|name| name.trim().to_owned())
            .collect())
    }

    /// A row's bytes as text: in the table's legacy encoding if it has one, else
    /// recognised as a file's are.
    fn decode(&self, bytes: &[u8]) -> Result<decode::Decoded, decode::NotText> {
        match self.legacy_encoding() {
            Some(encoding) => decode::decode_as(bytes, encoding),
            None => decode::decode(bytes),
        }
    }

    /// The fields of a row whose bytes are `bytes`, by column name, decoded: or why the
    /// row is no report (malformed JSON, a wrong number of fields).
    pub fn fields(&self, bytes: &[u8]) -> Result<Fields, String> {
        let decoded = self.decode(bytes).map_err(|e| e.0)?;
        let values = match self.kind {
            TableKind::JsonLines => json_fields(&decoded.text)?,
            TableKind::Delimited(delimiter) => {
                let header = self.header()?;
                let values = split_record(&decoded.text, delimiter);
                if values.len() != header.len() {
                    return Err(format!(
                        "{} field(s) where the header names {} columns",
                        values.len(),
                        header.len()
                    ));
                }
                header.iter().cloned().zip(values).collect()
            }
        };
        Ok(Fields {
            values,
            encoding: decoded.encoding,
            warnings: decoded.warnings,
        })
    }
}

/// A row's fields, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields {
    /// Each column's name and the row's value in it, in the table's order.
    pub values: Vec<(String, String)>,
    /// The row's encoding, as [`decode::Decoded::encoding`] names it.
    pub encoding: &'static str,
    /// What decoding the row had to repair.
    pub warnings: Vec<String>,
}

/// Which column holds which part of a report: the name given (in `meetings.toml` for the
/// table, else by a flag), else the first of the common names the row has, matched
/// without regard to ASCII case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns {
    /// The report's text (`--text-column`).
    pub text: Option<String>,
    /// Its headline (`--title-column`).
    pub title: Option<String>,
    /// The day it was published (`--date-column`).
    pub date: Option<String>,
    /// Where it was found (`--url-column`).
    pub url: Option<String>,
    /// The site or paper that published it (`--source-column`).
    pub source: Option<String>,
    /// The unit that held the meeting, as a person or the scraper states it
    /// (`--district-column`).
    pub district: Option<String>,
    /// The work year, as stated (`--year-column`).
    pub year: Option<String>,
}

/// The common names of each part of a report, as scrapers name their columns.
const TEXT_NAMES: &[&str] = &["text", "content", "body", "正文", "内容"];
const TITLE_NAMES: &[&str] = &["title", "标题"];
const DATE_NAMES: &[&str] = &["date", "time", "发布时间", "日期"];
const URL_NAMES: &[&str] = &["url", "link", "链接"];
const SOURCE_NAMES: &[&str] = &["source", "来源"];
const DISTRICT_NAMES: &[&str] = &["district"];
const YEAR_NAMES: &[&str] = &["year"];

/// A row's parts, each the value of its column, blank values as none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowParts<'a> {
    /// The report's text, never blank.
    pub text: &'a str,
    /// Its headline.
    pub title: Option<&'a str>,
    /// The day it was published, as the cell writes it.
    pub date: Option<&'a str>,
    /// Where it was found.
    pub url: Option<&'a str>,
    /// The site or paper that published it.
    pub source: Option<&'a str>,
    /// The holder, as stated.
    pub district: Option<&'a str>,
    /// The work year, as stated.
    pub year: Option<&'a str>,
}

impl Columns {
    /// `self`'s names where it has them, `weaker`'s elsewhere.
    pub fn or(&self, weaker: &Columns) -> Columns {
        let or = |a: &Option<String>, b: &Option<String>| a.clone().or_else(|| b.clone());
        Columns {
            text: or(&self.text, &weaker.text),
            title: or(&self.title, &weaker.title),
            date: or(&self.date, &weaker.date),
            url: or(&self.url, &weaker.url),
            source: or(&self.source, &weaker.source),
            district: or(&self.district, &weaker.district),
            year: or(&self.year, &weaker.year),
        }
    }

    /// The parts of a row with `fields`; fails when it has no text: no text column, or a
    /// blank one.
    pub fn pick<'a>(&self, fields: &'a Fields) -> Result<RowParts<'a>, String> {
        let value = |given: &Option<String>, common: &[&str]| -> Option<&'a str> {
            let names: Vec<&str> = match given {
                Some(name) => vec![name.as_str()],
                None => common.to_vec(),
            };
            names.iter().find_map(|name| {
                fields
                    .values
                    .iter()
                    .find(|(column, _)| column.eq_ignore_ascii_case(name))
                    .map(|(_, value)| value.trim())
            })
        };
        let present = |v: Option<&'a str>| v.filter(|v| !v.is_empty());
        let text = match (value(&self.text, TEXT_NAMES), &self.text) {
            (Some(text), _) if !text.is_empty() => text,
            (Some(_), _) => return Err("empty text: its text column is blank".into()),
            (None, Some(name)) => {
                return Err(format!(
                    "no column `{name}` (named by --text-column or meetings.toml)"
                ))
            }
            (None, None) => {
                return Err(format!(
                    "no text column: expected one of {}, or one named by --text-column",
                    TEXT_NAMES.join(", ")
                ))
            }
        };
        Ok(RowParts {
            text,
            title: present(value(&self.title, TITLE_NAMES)),
            date: present(value(&self.date, DATE_NAMES)),
            url: present(value(&self.url, URL_NAMES)),
            source: present(value(&self.source, SOURCE_NAMES)),
            district: present(value(&self.district, DISTRICT_NAMES)),
            year: present(value(&self.year, YEAR_NAMES)),
        })
    }
}

/// The fields of a JSON object, each value as text: a string as it is, a number or a
/// boolean as JSON writes it, a null as no value.
fn json_fields(line: &str) -> Result<Vec<(String, String)>, String> {
    let value: serde_json::Value =
        serde_json::from_str(line).map_err(|e| format!("malformed JSON: {e}"))?;
    let serde_json::Value::Object(object) = value else {
        return Err("expected a JSON object of fields, one a line".into());
    };
    Ok(object
        .into_iter()
        .filter_map(|(key, value)| {
            let value = match value {
                serde_json::Value::Null => return None,
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            Some((key, value))
        })
        .collect())
}

/// The fields of one CSV/TSV record, unquoted.
fn split_record(text: &str, delimiter: u8) -> Vec<String> {
    let mut reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let input = text.as_bytes();
    // Unquoting only shortens a record: its bytes are room enough for its fields.
    let mut output = vec![0u8; input.len()];
    let mut ends = vec![0usize; input.len() + 1];
    let (mut nin, mut nout, mut nend) = (0, 0, 0);
    loop {
        let (result, i, o, e) =
            reader.read_record(&input[nin..], &mut output[nout..], &mut ends[nend..]);
        nin += i;
        nout += o;
        nend += e;
        match result {
            // The whole record read, an empty input next tells the reader it ended.
            csv_core::ReadRecordResult::InputEmpty => {}
            csv_core::ReadRecordResult::Record | csv_core::ReadRecordResult::End => break,
            // Cannot happen with the room given above; a record cut there is still read.
            csv_core::ReadRecordResult::OutputFull | csv_core::ReadRecordResult::OutputEndsFull => {
                break
            }
        }
    }
    let mut start = 0;
    ends[..nend]
        .iter()
        .map(|&end| {
            let field = String::from_utf8_lossy(&output[start..end.min(nout)]).into_owned();
            start = end;
            field
        })
        .collect()
}

/// The spans of the lines of `file` that are not blank, without their line ends.
fn scan_lines(mut file: File) -> Result<Vec<RowSpan>, String> {
    let mut spans = Vec::new();
    let mut buffer = vec![0u8; SCAN_BUFFER];
    let (mut at, mut start, mut blank) = (0u64, 0u64, true);
    let end_line = |spans: &mut Vec<RowSpan>, start: u64, end: u64, blank: bool| {
        if !blank {
            spans.push(RowSpan {
                offset: start,
                length: end - start,
            });
        }
    };
    loop {
        let n = file
            .read(&mut buffer)
            .map_err(|e| format!("cannot read: {e}"))?;
        if n == 0 {
            end_line(&mut spans, start, at, blank);
            return Ok(spans);
        }
        for &byte in &buffer[..n] {
            if byte == b'\n' {
                end_line(&mut spans, start, at, blank);
                (start, blank) = (at + 1, true);
            } else if !byte.is_ascii_whitespace() {
                blank = false;
            }
            at += 1;
        }
    }
}

/// The spans of the records of a CSV/TSV `file`, its header line the first: parsed as
/// they will be read, so a quoted cell that holds line breaks stays one record. The
/// records' fields go through one small buffer, overwritten: only where they end is kept.
fn scan_records(file: File, delimiter: u8) -> Result<Vec<RowSpan>, String> {
    let mut spans = Vec::new();
    each_record(file, delimiter, |span| {
        spans.push(span);
        true
    })?;
    Ok(spans)
}

/// The span of the first record of a CSV/TSV `file`, if it has one.
fn first_record(file: File, delimiter: u8) -> Result<Option<RowSpan>, String> {
    let mut first = None;
    each_record(file.take(MAX_HEADER_BYTES + 1), delimiter, |span| {
        first = Some(span);
        false
    })?;
    Ok(first)
}

/// Calls `found` with the span of each record of `input` in turn, while it says go on.
fn each_record(
    mut input: impl Read,
    delimiter: u8,
    mut found: impl FnMut(RowSpan) -> bool,
) -> Result<(), String> {
    use csv_core::ReadRecordResult as R;
    let mut reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let mut buffer = vec![0u8; SCAN_BUFFER];
    let mut output = vec![0u8; SCAN_BUFFER];
    let mut ends = vec![0usize; 1024];
    // `at` is where the unread part of `buffer` starts in the file.
    let (mut at, mut start) = (0u64, 0u64);
    loop {
        let n = input
            .read(&mut buffer)
            .map_err(|e| format!("cannot read: {e}"))?;
        let mut chunk = &buffer[..n];
        loop {
            let (result, nin, _, _) = reader.read_record(chunk, &mut output, &mut ends);
            chunk = &chunk[nin..];
            at += nin as u64;
            match result {
                R::InputEmpty if n > 0 => break,
                // Told the input ended (an empty chunk), the reader ends its last record
                // or says End; it never asks for more then.
                R::InputEmpty => return Ok(()),
                // The fields are not kept: the buffers are only overwritten.
                R::OutputFull | R::OutputEndsFull => {}
                R::Record => {
                    if !found(RowSpan {
                        offset: start,
                        length: at - start,
                    }) {
                        return Ok(());
                    }
                    start = at;
                }
                R::End => return Ok(()),
            }
        }
    }
}

/// `length` bytes of the file at `path` from `offset`, refused when over `max_bytes`
/// or when the file no longer holds them (it changed since it was scanned).
pub(crate) fn read_span(
    path: &Path,
    offset: u64,
    length: u64,
    max_bytes: u64,
) -> Result<Vec<u8>, String> {
    crate::corpus::within_cap(length, max_bytes)?;
    let mut file = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    file.seek(SeekFrom::Start(offset))
        .map_err(|e| format!("cannot read: {e}"))?;
    let mut bytes = Vec::with_capacity(usize::try_from(length).unwrap_or(0));
    file.take(length)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 != length {
        return Err("the table is shorter than when it was listed; read it again".into());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table_of(name: &str, bytes: &[u8]) -> (tempfile::TempDir, Table, Vec<RowSpan>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let kind = TableKind::of(&path).unwrap();
        let (table, spans) = Table::scan(&path, kind).unwrap();
        (dir, table, spans)
    }

    fn row(table: &Table, span: RowSpan) -> Result<Fields, String> {
        table.fields(&read_span(&table.path, span.offset, span.length, u64::MAX).unwrap())
    }

    #[test]
    fn json_lines_rows_are_the_lines_that_are_not_blank() {
        let (_dir, table, spans) = table_of(
            "t.jsonl",
            b"{\"text\":\"a\"}\n\n  \n{\"text\":\"b\",\"year\":2018}",
        );
        assert_eq!(spans.len(), 2);
        let second = row(&table, spans[1]).unwrap();
        assert_eq!(
            second.values,
            vec![("text".into(), "b".into()), ("year".into(), "2018".into())]
        );
    }

    #[test]
    fn a_quoted_cell_with_line_breaks_is_one_record() {
        let csv = "title,text\r\n会议,\"第一段。\n第二段，\"\"引语\"\"。\"\r\n二,三\n";
        let (_dir, table, spans) = table_of("t.csv", csv.as_bytes());
        assert_eq!(spans.len(), 2);
        let first = row(&table, spans[0]).unwrap();
        assert_eq!(first.values[1].1, "第一段。\n第二段，\"引语\"。");
        assert_eq!(row(&table, spans[1]).unwrap().values[0].1, "二");
    }

    #[test]
    fn a_header_read_again_from_the_file_is_the_scanned_one() {
        let (_dir, table, spans) = table_of("t.tsv", "标题\t正文\n甲\t乙\n".as_bytes());
        let again = Table::new(table.path.clone(), table.kind);
        assert_eq!(row(&again, spans[0]), row(&table, spans[0]));
        assert_eq!(again.header().unwrap(), ["标题", "正文"]);
    }

    #[test]
    fn short_rows_of_a_gb18030_table_are_read_in_the_tables_encoding() {
        // 通知 and 一 in GB18030 are valid UTF-8 too (֪ͨ, һ): read alone, a row of them
        // would be taken for UTF-8.
        let rows = [
            "标题,正文",
            "会议,部署",
            "通知,一",
            "讲话,开会",
            "区长,书记",
        ];
        let text = rows.join("\n") + "\n";
        let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
        let (_dir, table, spans) = table_of("t.csv", &bytes);
        for (span, line) in spans.iter().zip(&rows[1..]) {
            let fields = row(&table, *span).unwrap();
            assert_eq!(fields.encoding, "gb18030", "{line}");
            let values: Vec<&str> = fields.values.iter().map(|(_, v)| v.as_str()).collect();
            assert_eq!(values.join(","), *line);
        }
    }

    #[test]
    fn a_utf16_table_is_refused_with_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.jsonl");
        std::fs::write(&path, b"\xff\xfe{\x00}\x00\n\x00").unwrap();
        let why = Table::scan(&path, TableKind::JsonLines).unwrap_err();
        assert!(
            why.contains("UTF-16") && why.contains("save it as UTF-8"),
            "{why}"
        );
    }

    #[test]
    fn bad_rows_say_why() {
        let (_dir, table, spans) = table_of("t.csv", b"a,b\n1,2,3\n");
        assert_eq!(
            row(&table, spans[0]).unwrap_err(),
            "3 field(s) where the header names 2 columns"
        );
        let (_dir, table, spans) = table_of("t.jsonl", b"{\"text\": \"x\"\n[1]\n");
        assert!(row(&table, spans[0])
            .unwrap_err()
            .starts_with("malformed JSON"));
        assert!(row(&table, spans[1])
            .unwrap_err()
            .starts_with("expected a JSON object"));
    }
}
