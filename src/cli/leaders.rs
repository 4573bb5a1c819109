//! `zhongdian leaders`: one row per tenure, keyed as officials databases key theirs
//! (unit code, office, name, years), so that the table joins with them.

use serde::Serialize;

use super::export::{push_csv_row, to_json};
use super::table::Table;
use crate::analysis::Analysis;
use crate::meeting::{Date, Office};
use crate::tenure::Tenure;

/// A tenure as exported.
#[derive(Serialize)]
struct TenureRow<'a> {
    unit_code: Option<&'a str>,
    unit: &'a str,
    prefecture: Option<&'a str>,
    province: Option<&'a str>,
    office: Office,
    name: &'a str,
    acting: bool,
    acting_until: Option<Date>,
    first_seen: Option<Date>,
    last_seen: Option<Date>,
    meetings: usize,
    /// The files of the meetings that show the holder.
    files: Vec<&'a str>,
    flags: Vec<String>,
}

fn rows(analysis: &Analysis) -> impl Iterator<Item = TenureRow<'_>> {
    analysis.tenures.iter().map(|t| row(analysis, t))
}

fn row<'a>(analysis: &'a Analysis, t: &'a Tenure) -> TenureRow<'a> {
    let file = |m: usize| analysis.meetings[m].meeting.file.as_str();
    TenureRow {
        unit_code: t.unit.code.as_deref(),
        unit: &t.unit.name,
        prefecture: t.unit.prefecture.as_deref(),
        province: t.unit.province.as_deref(),
        office: t.office,
        name: &t.name,
        acting: t.acting,
        acting_until: t.acting_until,
        first_seen: t.first_seen,
        last_seen: t.last_seen,
        meetings: t.meetings.len(),
        files: t.meetings.iter().map(|&m| file(m)).collect(),
        flags: t
            .flags
            .iter()
            .map(|f| f.describe(|m| file(m).to_owned()))
            .collect(),
    }
}

const COLUMNS: [&str; 12] = [
    "unit_code",
    "unit",
    "prefecture",
    "province",
    "office",
    "name",
    "acting",
    "acting_until",
    "first_seen",
    "last_seen",
    "meetings",
    "flags",
];

fn cells(r: &TenureRow) -> Vec<String> {
    let text = |v: Option<&str>| v.unwrap_or_default().to_owned();
    let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    vec![
        text(r.unit_code),
        r.unit.to_owned(),
        text(r.prefecture),
        text(r.province),
        r.office.to_string(),
        r.name.to_owned(),
        r.acting.to_string(),
        date(r.acting_until),
        date(r.first_seen),
        date(r.last_seen),
        r.meetings.to_string(),
        r.flags.join("; "),
    ]
}

/// Every tenure as JSON, with the files of its meetings.
pub fn json(analysis: &Analysis) -> String {
    to_json(&rows(analysis).collect::<Vec<_>>())
}

/// Every tenure, one CSV row each.
pub fn csv(analysis: &Analysis) -> String {
    let mut out = COLUMNS.join(",") + "\n";
    for r in rows(analysis) {
        push_csv_row(&mut out, &cells(&r));
    }
    out
}

/// Every tenure, aligned for a terminal; the time between two holders is unknown and is
/// shown as a gap, never filled.
pub fn table(analysis: &Analysis) -> String {
    let mut table = Table::new(COLUMNS).right_align(&[10]);
    for r in rows(analysis) {
        let mut cells = cells(&r);
        for cell in &mut cells {
            if cell.is_empty() {
                "—".clone_into(cell);
            }
        }
        table.push(cells);
    }
    let mut out = table.render();
    out.push_str(&format!(
        "\n{} tenures of {} units, from the secretaries and heads the meetings name; \
         first_seen–last_seen are sightings, not appointments\n",
        analysis.tenures.len(),
        {
            let mut units: Vec<&str> = analysis
                .tenures
                .iter()
                .map(|t| t.unit.id.as_str())
                .collect();
            units.sort_unstable();
            units.dedup();
            units.len()
        }
    ));
    out
}
