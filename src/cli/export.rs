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
