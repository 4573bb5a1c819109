//! Writing exports safely: CSV rows and JSON with every character that could drive a
//! terminal escaped, shared by `check` and `report`; and the typed long-form rows that
//! one writer turns into a table, CSV, JSON or a Parquet file.

use std::borrow::Cow;
use std::path::Path;

use serde::Serialize;

use super::output::Output;
use super::ExportFormat;
use crate::error::Error;
use crate::meeting::Date;
use crate::taxonomy::Taxonomy;

/// Appends one CSV row of `cells`.
pub(crate) fn push_csv_row(out: &mut String, cells: &[String]) {
    let escaped: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
    out.push_str(&escaped.join(","));
    out.push('\n');
}

/// RFC 4180 quoting; characters that could drive a terminal are escaped, so a CSV file
/// printed with `cat` is as safe as the table.
fn csv_cell(cell: &str) -> String {
    let cell = crate::text::escape_for_export(cell);
    if cell.contains([',', '"', '\n']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.into_owned()
    }
}

/// Pretty JSON with every terminal-unsafe character escaped (serde_json leaves C1
/// controls and bidirectional overrides raw).
pub(crate) fn to_json<T: Serialize>(value: &T) -> String {
    let json =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    let mut out = crate::text::escape_for_export(&json).into_owned();
    out.push('\n');
    out
}

/// What a long-form column holds, and so its type in a Parquet file (and the schema a
/// reader such as DuckDB or Polars infers from it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A UTF-8 string.
    Text,
    /// A count: a 64-bit integer.
    Int64,
    /// A year: a 32-bit integer.
    Int32,
    /// A measure: a 64-bit float.
    Double,
    /// A day of the calendar.
    Date,
    /// Yes or no.
    Bool,
}

/// A long-form column: its name, as the CSV header writes it, and what it holds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    pub name: &'static str,
    pub kind: Kind,
}

impl Column {
    pub const fn text(name: &'static str) -> Column {
        Column {
            name,
            kind: Kind::Text,
        }
    }
    pub const fn int64(name: &'static str) -> Column {
        Column {
            name,
            kind: Kind::Int64,
        }
    }
    pub const fn int32(name: &'static str) -> Column {
        Column {
            name,
            kind: Kind::Int32,
        }
    }
    pub const fn double(name: &'static str) -> Column {
        Column {
            name,
            kind: Kind::Double,
        }
    }
    pub const fn date(name: &'static str) -> Column {
        Column {
            name,
            kind: Kind::Date,
        }
    }
    pub const fn bool(name: &'static str) -> Column {
        Column {
            name,
            kind: Kind::Bool,
        }
    }
}

/// The names of `columns`, as a CSV header.
pub(crate) fn header(columns: &[Column]) -> String {
    let names: Vec<&str> = columns.iter().map(|c| c.name).collect();
    names.join(",")
}

/// One cell of a long-form row, typed: a CSV writes it as text, a Parquet file as its
/// type, [`Value::Null`] (an empty CSV cell) as a null.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value<'a> {
    Text(Cow<'a, str>),
    Int64(i64),
    Int32(i32),
    Double(f64),
    Date(Date),
    Bool(bool),
    /// Nothing known: an empty CSV cell.
    Null,
}

impl Value<'_> {
    /// The value as a CSV or table cell: empty for [`Value::Null`].
    pub fn cell(&self) -> String {
        match self {
            Value::Text(text) => text.to_string(),
            Value::Int64(n) => n.to_string(),
            Value::Int32(n) => n.to_string(),
            Value::Double(x) => x.to_string(),
            Value::Date(d) => d.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Null => String::new(),
        }
    }
}

/// An empty text is no text: a null, as its empty CSV cell reads (a CSV cannot tell
/// the two apart, and a Parquet file should not tell them apart where the CSV cannot).
fn text(text: Cow<'_, str>) -> Value<'_> {
    if text.is_empty() {
        Value::Null
    } else {
        Value::Text(text)
    }
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(t: &'a str) -> Self {
        text(Cow::Borrowed(t))
    }
}

impl From<String> for Value<'_> {
    fn from(t: String) -> Self {
        text(Cow::Owned(t))
    }
}

/// Counts never come near `i64::MAX`; one that did would be written as the largest
/// value a reader can hold rather than wrap round to a negative one.
impl From<usize> for Value<'_> {
    fn from(n: usize) -> Self {
        Value::Int64(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<u64> for Value<'_> {
    fn from(n: u64) -> Self {
        Value::Int64(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<u32> for Value<'_> {
    fn from(n: u32) -> Self {
        Value::Int64(n.into())
    }
}

impl From<i32> for Value<'_> {
    fn from(n: i32) -> Self {
        Value::Int32(n)
    }
}

impl From<f64> for Value<'_> {
    fn from(x: f64) -> Self {
        Value::Double(x)
    }
}

impl From<Date> for Value<'_> {
    fn from(d: Date) -> Self {
        Value::Date(d)
    }
}

impl From<bool> for Value<'_> {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl<'a, T: Into<Value<'a>>> From<Option<T>> for Value<'a> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Value::Null, Into::into)
    }
}

/// A row of a long-form export: its values in the order of [`Row::COLUMNS`], typed, for
/// a table, a CSV or a Parquet file, and (for the rows that are also written as JSON)
/// itself, the same fields, serialized. One writer serves every format, so they cannot
/// drift apart.
pub(crate) trait Row {
    /// The columns: the CSV header's names, and what each holds.
    const COLUMNS: &'static [Column];
    /// The columns that hold numbers, aligned right in a table.
    const NUMBERS: &'static [usize];
    /// The values, one a column.
    fn values(&self) -> Vec<Value<'_>>;
    /// The values as CSV or table cells.
    fn cells(&self) -> Vec<String> {
        self.values().iter().map(Value::cell).collect()
    }
}

/// A borrowed row is the row: the writers take rows by value or by reference alike.
impl<R: Row> Row for &R {
    const COLUMNS: &'static [Column] = R::COLUMNS;
    const NUMBERS: &'static [usize] = R::NUMBERS;
    fn values(&self) -> Vec<Value<'_>> {
        (**self).values()
    }
}

/// `rows` as a CSV file, the header first.
pub(crate) fn csv<R: Row>(rows: impl IntoIterator<Item = R>) -> String {
    let mut out = header(R::COLUMNS);
    out.push('\n');
    for row in rows {
        push_csv_row(&mut out, &row.cells());
    }
    out
}

/// Where an export's numbers come from: a Parquet file keeps it in its key-value
/// metadata (a CSV has the taxonomy on every row, and no corpus).
pub(crate) struct Stamp<'a> {
    /// The corpus folder as given.
    pub corpus: &'a Path,
    pub taxonomy: &'a Taxonomy,
}

impl Stamp<'_> {
    /// The key-value pairs: the taxonomy's name and hash under the CSV's column names,
    /// the corpus folder (absolute, so a copied file still says which), the version.
    pub fn key_values(&self) -> Vec<(&'static str, String)> {
        let corpus = std::fs::canonicalize(self.corpus).unwrap_or_else(|_| self.corpus.into());
        vec![
            ("taxonomy", self.taxonomy.name.clone()),
            ("taxonomy_sha256", self.taxonomy.hash.clone()),
            ("corpus", corpus.display().to_string()),
            ("zhongdian_version", env!("CARGO_PKG_VERSION").to_owned()),
        ]
    }
}

/// `rows` as `format` asks; a table under `heading` (lines starting `# `, saying what
/// the numbers are), a Parquet file stamped with `stamp`.
pub(crate) fn write_rows<R: Row + Serialize>(
    rows: &[R],
    format: ExportFormat,
    heading: &str,
    stamp: &Stamp<'_>,
) -> Result<Output, Error> {
    Ok(match format {
        ExportFormat::Json => to_json(&rows).into(),
        ExportFormat::Csv => csv(rows).into(),
        ExportFormat::Table => {
            let mut table =
                super::table::Table::new(R::COLUMNS.iter().map(|c| c.name)).right_align(R::NUMBERS);
            for row in rows {
                table.push(row.cells());
            }
            format!("{heading}{}", table.render()).into()
        }
        ExportFormat::Parquet => Output::Binary(super::parquet_file::encode(rows, stamp)?),
    })
}
