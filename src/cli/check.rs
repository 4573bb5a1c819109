//! `zhongdian check`: what was read from each file and where each fact came from.

use serde::Serialize;

use super::table::Table;
use crate::ingest::{Corpus, Meeting};
use crate::meeting::{sourced, Date, Provenance, Speaker};

/// A meeting as exported: the `check` object, which `report --by meeting` extends.
#[derive(Debug, Serialize)]
pub struct MeetingRecord<'a> {
    pub file: &'a str,
    pub district: Option<&'a str>,
    pub year: Option<i32>,
    pub date: Option<Date>,
    pub kind: &'static str,
    pub title: Option<&'a str>,
    pub speakers: &'a [Speaker],
    pub chars: usize,
    pub provenance: ProvenanceRecord,
    pub warnings: &'a [String],
}

#[derive(Debug, Serialize)]
pub struct ProvenanceRecord {
    pub district: Option<Provenance>,
    pub year: Option<Provenance>,
    pub date: Option<Provenance>,
}

impl<'a> From<&'a Meeting> for MeetingRecord<'a> {
    fn from(m: &'a Meeting) -> Self {
        MeetingRecord {
            file: &m.file,
            district: m.district.as_ref().map(|d| d.value.as_str()),
            year: m.year.as_ref().map(|y| y.value),
            date: m.date.as_ref().map(|d| d.value),
            kind: m.kind.as_str(),
            title: m.title.as_deref(),
            speakers: &m.speakers,
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

pub fn json(corpus: &Corpus) -> String {
    let records: Vec<MeetingRecord<'_>> =
        corpus.reports.iter().map(|r| (&r.meeting).into()).collect();
    super::report::to_json(&records)
}

/// One row a meeting, for a spreadsheet: each fact, then where it came from, then the
/// warnings in one cell.
pub fn csv(corpus: &Corpus) -> String {
    let mut out = String::from(
        "file,district,year,date,kind,title,chars,district_source,year_source,date_source,warnings\n",
    );
    let text = |value: Option<String>| value.unwrap_or_default();
    for report in &corpus.reports {
        let m = &report.meeting;
        let source = |p: Option<Provenance>| text(p.map(|p| p.to_string()));
        let row = [
            m.file.clone(),
            text(m.district.as_ref().map(|d| d.value.clone())),
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
        super::report::push_csv_row(&mut out, &row);
    }
    out
}

pub fn table(corpus: &Corpus) -> String {
    let mut table = Table::new([
        "file", "district", "year", "date", "kind", "speakers", "chars",
    ])
    .right_align(&[6]);
    for report in &corpus.reports {
        let m = &report.meeting;
        let speakers: Vec<String> = m
            .speakers
            .iter()
            .map(|s| format!("{} {}", s.role, s.name))
            .collect();
        table.push(vec![
            m.file.clone(),
            sourced(m.district.as_ref(), "—"),
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
    for (about, note) in super::reading_notes(&corpus.notices, &corpus.skipped) {
        warnings.push(vec![about, note]);
        count += 1;
    }
    for report in &corpus.reports {
        for warning in &report.meeting.warnings {
            warnings.push(vec![report.meeting.file.clone(), warning.clone()]);
            count += 1;
        }
    }
    if count > 0 {
        out.push('\n');
        out.push_str(&warnings.render());
    }
    let dated = corpus
        .reports
        .iter()
        .filter(|r| r.meeting.year.is_some())
        .count();
    let placed = corpus
        .reports
        .iter()
        .filter(|r| r.meeting.district.is_some())
        .count();
    out.push_str(&format!(
        "\n{} meetings read ({} with a year, {} with a district), {} files skipped, {} warnings\n",
        corpus.reports.len(),
        dated,
        placed,
        corpus.skipped.len(),
        count
    ));
    out
}
