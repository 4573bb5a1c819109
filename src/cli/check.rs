//! `zhongdian check`: what was read from each file and where each fact came from.

use std::io::{self, Write};

use serde::Serialize;

use super::export::{Column, Value};
use super::table::Table;
use super::Format;
use crate::aggregate::{District, AMBIGUOUS};
use crate::cache::Entries;
use crate::corpus::Skipped;
use crate::gazetteer::{Level, UnitRef};
use crate::ingest::{self, Options, Plan};
use crate::meeting::Meeting;
use crate::meeting::{sourced, Date, Leader, Provenance, Speaker};

/// A meeting as exported: the `check` object, which `report --by meeting` extends.
#[derive(Debug, Serialize)]
pub(crate) struct MeetingRecord<'a> {
    pub file: &'a str,
    #[serde(flatten)]
    pub unit: UnitColumns<'a>,
    pub district_as_printed: Option<&'a str>,
    /// The units the holder's name fits, when nothing decided between them.
    pub candidates: Vec<Candidate<'a>>,
    pub year: Option<i32>,
    pub date: Option<Date>,
    pub kind: &'static str,
    pub title: Option<&'a str>,
    pub speakers: &'a [Speaker],
    /// The holder's secretary and head as this report names them.
    pub leaders: &'a [Leader],
    pub chars: usize,
    pub provenance: ProvenanceRecord,
    pub warnings: &'a [String],
}

/// Where a meeting's district, year and date came from.
#[derive(Debug, Serialize)]
pub(crate) struct ProvenanceRecord {
    pub district: Option<Provenance>,
    pub year: Option<Provenance>,
    pub date: Option<Provenance>,
}

impl<'a> From<&'a Meeting> for MeetingRecord<'a> {
    fn from(m: &'a Meeting) -> Self {
        MeetingRecord {
            file: &m.file,
            unit: UnitColumns::of(m.district.as_ref().map(|d| &d.value.unit)),
            district_as_printed: m.district.as_ref().map(|d| d.value.as_printed.as_str()),
            candidates: m
                .candidates
                .iter()
                .map(|c| Candidate {
                    code: c.code.as_deref(),
                    name: &c.name,
                    prefecture: c.prefecture.as_deref(),
                })
                .collect(),
            year: m.year.as_ref().map(|y| y.value),
            date: m.date.as_ref().map(|d| d.value),
            kind: m.kind.as_str(),
            title: m.title.as_deref(),
            speakers: &m.speakers,
            leaders: &m.leaders,
            chars: m.chars,
            provenance: ProvenanceRecord {
                district: m.district.as_ref().map(|d| d.provenance),
                year: m.year.as_ref().map(|y| y.provenance),
                date: m.date.as_ref().map(|d| d.provenance),
            },
            warnings: &m.warnings,
        }
    }
}

/// A unit as every export writes it: today's name, code, level and parents.
#[derive(Debug, Serialize)]
pub(crate) struct UnitColumns<'a> {
    pub district: Option<&'a str>,
    pub district_code: Option<&'a str>,
    pub level: Option<Level>,
    pub prefecture: Option<&'a str>,
    pub province: Option<&'a str>,
}

/// The columns of [`UnitColumns::values`].
pub(crate) const UNIT_COLUMNS: [Column; 5] = [
    Column::text("district"),
    Column::text("district_code"),
    Column::text("level"),
    Column::text("prefecture"),
    Column::text("province"),
];

impl<'a> UnitColumns<'a> {
    pub fn of(unit: Option<&'a UnitRef>) -> Self {
        UnitColumns {
            district: unit.map(|u| u.name.as_str()),
            district_code: unit.and_then(|u| u.code.as_deref()),
            level: unit.map(|u| u.level),
            prefecture: unit.and_then(|u| u.prefecture.as_deref()),
            province: unit.and_then(|u| u.province.as_deref()),
        }
    }

    /// A group's district: its unit, or `(ambiguous)` with no code, level or parents, or
    /// nothing for the unknown district.
    pub fn of_district(district: &'a District) -> Self {
        match district {
            District::Ambiguous => UnitColumns {
                district: Some(AMBIGUOUS),
                ..UnitColumns::of(None)
            },
            _ => UnitColumns::of(district.unit()),
        }
    }

    /// The columns' values, null where unknown.
    pub fn values(&self) -> [Value<'a>; 5] {
        [
            self.district.into(),
            self.district_code.into(),
            self.level.map(Level::as_str).into(),
            self.prefecture.into(),
            self.province.into(),
        ]
    }

    /// The columns as CSV cells, empty where unknown.
    pub fn cells(&self) -> [String; 5] {
        self.values().map(|v| v.cell())
    }
}

/// One unit an ambiguous holder's name fits.
#[derive(Debug, Serialize)]
pub(crate) struct Candidate<'a> {
    pub code: Option<&'a str>,
    pub name: &'a str,
    pub prefecture: Option<&'a str>,
}

/// What `check` read besides the records it wrote.
#[derive(Debug, Default)]
pub struct Checked {
    /// The files that could not be listed or read, and why: the listing's first.
    pub skipped: Vec<Skipped>,
    /// How many records came from the cache rather than their reports.
    pub from_cache: usize,
}

/// Writes the record of every report of `plan` to `out` as `format` asks, in the
/// corpus's order, each as it is read (see [`ingest::each_meeting`], which takes the
/// meetings of files `cached` holds as they were): CSV and JSON in the memory of a few
/// records however large the corpus; a table, whose columns are as wide as their widest
/// cell, once every meeting is read.
pub fn write(
    plan: &Plan,
    options: &Options,
    cached: Option<Entries>,
    format: Format,
    out: &mut dyn Write,
) -> io::Result<Checked> {
    let mut skipped = plan.skipped.clone();
    let mut meetings = Vec::new();
    let mut written = 0usize;
    if format == Format::Csv {
        writeln!(
            out,
            "file,{},district_as_printed,candidates,year,date,kind,title,chars,district_source,year_source,date_source,warnings",
            super::export::header(&UNIT_COLUMNS)
        )?;
    }
    let from_cache = ingest::each_meeting(plan, options, cached, |read| {
        let meeting = match read {
            Ok(meeting) => meeting,
            Err(skip) => {
                skipped.push(skip);
                return Ok(());
            }
        };
        match format {
            Format::Csv => out.write_all(csv_row(&meeting).as_bytes())?,
            Format::Json => {
                out.write_all(if written == 0 { b"[\n" } else { b",\n" })?;
                // A record at depth one of the array: pretty JSON indents by depth
                // alone, and a JSON string holds no raw line break.
                let record = super::export::to_json(&MeetingRecord::from(&meeting));
                for (i, line) in record.trim_end().lines().enumerate() {
                    if i > 0 {
                        out.write_all(b"\n")?;
                    }
                    write!(out, "  {line}")?;
                }
            }
            Format::Table => meetings.push(meeting),
        }
        written += 1;
        Ok::<(), io::Error>(())
    })?;
    match format {
        Format::Csv => {}
        Format::Json if written == 0 => out.write_all(b"[]\n")?,
        Format::Json => out.write_all(b"\n]\n")?,
        Format::Table => out.write_all(table(&meetings, &plan.notices, &skipped).as_bytes())?,
    }
    Ok(Checked {
        skipped,
        from_cache,
    })
}

/// One CSV row of a meeting, for a spreadsheet: each fact, then where it came from,
/// then the warnings in one cell.
fn csv_row(m: &Meeting) -> String {
    let text = |value: Option<String>| value.unwrap_or_default();
    let source = |p: Option<Provenance>| text(p.map(|p| p.to_string()));
    let unit = UnitColumns::of(m.district.as_ref().map(|d| &d.value.unit)).cells();
    let candidates: Vec<String> = m
        .candidates
        .iter()
        .map(|c| format!("{}:{}", c.code.as_deref().unwrap_or(&c.id), c.name))
        .collect();
    let [district, code, level, prefecture, province] = unit;
    let row = [
        m.file.clone(),
        district,
        code,
        level,
        prefecture,
        province,
        text(m.district.as_ref().map(|d| d.value.as_printed.clone())),
        candidates.join(" "),
        text(m.year.as_ref().map(|y| y.value.to_string())),
        text(m.date.as_ref().map(|d| d.value.to_string())),
        m.kind.as_str().to_owned(),
        text(m.title.clone()),
        m.chars.to_string(),
        source(m.district.as_ref().map(|d| d.provenance)),
        source(m.year.as_ref().map(|y| y.provenance)),
        source(m.date.as_ref().map(|d| d.provenance)),
        m.warnings.join("; "),
    ];
    let mut out = String::new();
    super::export::push_csv_row(&mut out, &row);
    out
}

/// One row a meeting, aligned for a terminal, the year and date with their sources; then
/// the corpus's `notices`, the `skipped` files and the meetings' warnings, and a count
/// of what was read.
fn table(meetings: &[Meeting], notices: &[String], skipped: &[Skipped]) -> String {
    let mut table = Table::new([
        "file", "district", "year", "date", "kind", "speakers", "chars",
    ])
    .right_align(&[6]);
    for m in meetings {
        let speakers: Vec<String> = m
            .speakers
            .iter()
            .map(|s| format!("{} {}", s.role, s.name))
            .collect();
        table.push(vec![
            m.file.clone(),
            m.district_shown("—"),
            sourced(m.year.as_ref(), "—"),
            sourced(m.date.as_ref(), "—"),
            m.kind.to_string(),
            if speakers.is_empty() {
                "—".into()
            } else {
                speakers.join("、")
            },
            m.chars.to_string(),
        ]);
    }
    let mut out = table.render();
    let mut warnings = Table::new(["file", "warning"]);
    let mut count = 0;
    for (about, note) in super::reading_notes(notices, skipped) {
        warnings.push(vec![about, note]);
        count += 1;
    }
    for m in meetings {
        for warning in &m.warnings {
            warnings.push(vec![m.file.clone(), warning.clone()]);
            count += 1;
        }
    }
    if count > 0 {
        out.push('\n');
        out.push_str(&warnings.render());
    }
    let dated = meetings.iter().filter(|m| m.year.is_some()).count();
    let placed = meetings.iter().filter(|m| m.district.is_some()).count();
    out.push_str(&format!(
        "\n{} meetings read ({} with a year, {} with a district), {} files skipped, {} warnings\n",
        meetings.len(),
        dated,
        placed,
        skipped.len(),
        count
    ));
    out
}
