//! Writing exports safely: CSV rows and JSON with every character that could drive a
//! terminal escaped, shared by `check` and `report`.

use serde::Serialize;

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

/// A row of a long-form export: its cells in the order of [`Row::COLUMNS`] for a table
/// or CSV, itself (the same fields, typed) for JSON. One writer serves every format, so
/// the three cannot drift apart.
pub(crate) trait Row: Serialize {
    /// The column names, as the CSV header and the table's.
    const COLUMNS: &'static [&'static str];
    /// The columns that hold numbers, aligned right in a table.
    const NUMBERS: &'static [usize];
    /// The cells, one a column.
    fn cells(&self) -> Vec<String>;
}

/// `rows` as `format` asks; a table under `heading` (lines starting `# `, saying what
/// the numbers are).
pub(crate) fn write_rows<R: Row>(rows: &[R], format: super::Format, heading: &str) -> String {
    match format {
        super::Format::Json => to_json(&rows),
        super::Format::Csv => {
            let mut out = R::COLUMNS.join(",");
            out.push('\n');
            for row in rows {
                push_csv_row(&mut out, &row.cells());
            }
            out
        }
        super::Format::Table => {
            let mut table =
                super::table::Table::new(R::COLUMNS.iter().copied()).right_align(R::NUMBERS);
            for row in rows {
                table.push(row.cells());
            }
            format!("{heading}{}", table.render())
        }
    }
}

/// A number as a cell: empty when there is none.
pub(crate) fn cell<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}
