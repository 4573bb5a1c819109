//! `trend` and `adoption`: any term over the years, and when each unit first said it.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::export::{write_rows, Column, Row, Stamp, Value};
use super::output::Output;
use super::report::round;
use super::ExportFormat;
use crate::aggregate::{District, GroupLevel, AMBIGUOUS, UNKNOWN};
use crate::analysis::{Analysis, Subject};
use crate::error::Error;
use crate::ingest::Options;
use crate::meeting::Date;
use crate::trend::adoption::{adoption, Adoption};
use crate::trend::{self, dated, smoothed, Found, Line, Point};

/// The corpus folder a command reads when its arguments name none.
const DEFAULT_CORPUS: &str = "data";

/// `[CORPUS] TERM...`: the first argument is the corpus if it is a folder, else every
/// argument is a term and the corpus is `data`. A folder alone is a corpus without a
/// term, which is the command line's mistake.
pub fn corpus_and_terms(args: &[String]) -> Result<(PathBuf, &[String]), Error> {
    match corpus_and_rest(args) {
        (corpus, []) => Err(Error::Term {
            term: String::new(),
            reason: format!(
                "{} is the corpus folder: give the term after it",
                corpus.display()
            ),
        }),
        found => Ok(found),
    }
}

/// `[CORPUS] REST...`: the corpus (the first argument if it is a folder, else `data`)
/// and the arguments after it, which may be none.
pub(crate) fn corpus_and_rest(args: &[String]) -> (PathBuf, &[String]) {
    match args {
        [first, rest @ ..] if Path::new(first).is_dir() => (PathBuf::from(first), rest),
        _ => (PathBuf::from(DEFAULT_CORPUS), args),
    }
}

/// How a trend's rows are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrendBy {
    /// One row a year, the whole corpus.
    Year,
    /// One row a district and year, districts at this level.
    DistrictYear(GroupLevel),
}

/// A row of `trend`, and of a trend figure's data.
#[derive(Serialize)]
pub(crate) struct TrendRow<'a> {
    term: &'a str,
    unit_code: Option<&'a str>,
    unit: &'a str,
    year: Option<i32>,
    meetings: usize,
    mentioning_meetings: usize,
    share: f64,
    hits: u64,
    per_10k: f64,
    chars: usize,
    smoothing: u32,
    per_10k_smoothed: Option<f64>,
    share_smoothed: Option<f64>,
}

impl Row for TrendRow<'_> {
    const COLUMNS: &'static [Column] = &[
        Column::text("term"),
        Column::text("unit_code"),
        Column::text("unit"),
        Column::int32("year"),
        Column::int64("meetings"),
        Column::int64("mentioning_meetings"),
        Column::double("share"),
        Column::int64("hits"),
        Column::double("per_10k"),
        Column::int64("chars"),
        Column::int64("smoothing"),
        Column::double("per_10k_smoothed"),
        Column::double("share_smoothed"),
    ];
    const NUMBERS: &'static [usize] = &[4, 5, 6, 7, 8, 9, 10, 11, 12];

    fn values(&self) -> Vec<Value<'_>> {
        vec![
            self.term.into(),
            self.unit_code.into(),
            self.unit.into(),
            self.year.into(),
            self.meetings.into(),
            self.mentioning_meetings.into(),
            self.share.into(),
            self.hits.into(),
            self.per_10k.into(),
            self.chars.into(),
            self.smoothing.into(),
            self.per_10k_smoothed.into(),
            self.share_smoothed.into(),
        ]
    }
}

/// How a district is named in a trend's `unit` column.
fn unit_name(district: Option<&District>) -> &str {
    match district {
        None => "",
        Some(District::Unit(unit)) => &unit.name,
        Some(District::Ambiguous) => AMBIGUOUS,
        Some(District::Unknown) => UNKNOWN,
    }
}

/// The rows of one series' line, with its values smoothed over ±`smooth` years.
pub(crate) fn line_rows<'a>(term: &'a str, line: &'a Line, smooth: u32) -> Vec<TrendRow<'a>> {
    let per_10k = smoothed(&dated(line, Point::per_10k), smooth);
    let share = smoothed(&dated(line, Point::share), smooth);
    let at = |values: &[(i32, f64)], year: Option<i32>| {
        let year = year?;
        values
            .iter()
            .find(|(y, _)| *y == year)
            .map(|&(_, v)| round(v))
    };
    line.points
        .iter()
        .map(|p| {
            let year = p.year.year();
            TrendRow {
                term,
                unit_code: line
                    .district
                    .as_ref()
                    .and_then(|d| d.unit()?.code.as_deref()),
                unit: unit_name(line.district.as_ref()),
                year,
                meetings: p.meetings,
                mentioning_meetings: p.mentioning,
                share: round(p.share()),
                hits: p.hits,
                per_10k: round(p.per_10k()),
                chars: p.chars,
                smoothing: smooth,
                per_10k_smoothed: at(&per_10k, year),
                share_smoothed: at(&share, year),
            }
        })
        .collect()
}

/// Every series of `found` over the years, as `format` asks; a Parquet file names
/// `corpus` in its metadata.
pub fn trend(
    analysis: &Analysis,
    corpus: &Path,
    found: &Found,
    by: TrendBy,
    smooth: u32,
    format: ExportFormat,
) -> Result<Output, Error> {
    let lines: Vec<Vec<Line>> = found
        .series
        .iter()
        .map(|mentions| match by {
            TrendBy::Year => vec![trend::corpus_line(
                analysis.at(GroupLevel::County).all,
                mentions,
            )],
            TrendBy::DistrictYear(level) => trend::district_lines(analysis.at(level).all, mentions),
        })
        .collect();
    let rows: Vec<TrendRow<'_>> = found
        .query
        .series
        .iter()
        .zip(&lines)
        .flat_map(|(series, lines)| {
            lines
                .iter()
                .flat_map(|line| line_rows(&series.label, line, smooth))
        })
        .collect();
    let heading = format!(
        "# share = meetings mentioning ÷ meetings; per_10k = hits per 10,000 Han characters; smoothed = mean over ±{smooth} years with reports\n"
    );
    let stamp = Stamp {
        corpus,
        taxonomy: &analysis.measurer.taxonomy,
    };
    write_rows(&rows, format, &heading, &stamp)
}

/// A row of `adoption`: a unit's first mention, or a unit that has none.
#[derive(Serialize)]
struct AdoptionRow<'a> {
    term: &'a str,
    unit_code: Option<&'a str>,
    unit: &'a str,
    prefecture: Option<&'a str>,
    province: Option<&'a str>,
    first_date: Option<Date>,
    first_year: Option<i32>,
    file: Option<&'a str>,
    sentence: Option<String>,
}

impl Row for AdoptionRow<'_> {
    const COLUMNS: &'static [Column] = &[
        Column::text("term"),
        Column::text("unit_code"),
        Column::text("unit"),
        Column::text("prefecture"),
        Column::text("province"),
        Column::date("first_date"),
        Column::int32("first_year"),
        Column::text("file"),
        Column::text("sentence"),
    ];
    const NUMBERS: &'static [usize] = &[6];

    fn values(&self) -> Vec<Value<'_>> {
        vec![
            self.term.into(),
            self.unit_code.into(),
            self.unit.into(),
            self.prefecture.into(),
            self.province.into(),
            self.first_date.into(),
            self.first_year.into(),
            self.file.into(),
            self.sentence.as_deref().into(),
        ]
    }
}

/// A year of the adoption curve, in `adoption --curve` and an adoption figure's data.
#[derive(Serialize)]
pub(crate) struct CurveRow<'a> {
    term: &'a str,
    year: i32,
    units_reporting: usize,
    units_adopted: usize,
    share: Option<f64>,
}

impl Row for CurveRow<'_> {
    const COLUMNS: &'static [Column] = &[
        Column::text("term"),
        Column::int32("year"),
        Column::int64("units_reporting"),
        Column::int64("units_adopted"),
        Column::double("share"),
    ];
    const NUMBERS: &'static [usize] = &[1, 2, 3, 4];

    fn values(&self) -> Vec<Value<'_>> {
        vec![
            self.term.into(),
            self.year.into(),
            self.units_reporting.into(),
            self.units_adopted.into(),
            self.share.into(),
        ]
    }
}

/// What `adoption` writes, and the notes for stderr.
pub struct Written {
    /// The table, CSV, JSON or Parquet file.
    pub out: Output,
    /// The meetings whose first mention could not be read again, and why.
    pub notes: Vec<String>,
}

/// The adoption of the first series of `found`: each unit's first mention (the units
/// that have none after them, with empty first fields), or with `curve` the cumulative
/// curve, as `format` asks; a Parquet file names `corpus` in its metadata.
pub fn adoption_of(
    analysis: &Analysis,
    corpus: &Path,
    found: &Found,
    curve: bool,
    format: ExportFormat,
    options: &Options,
) -> Result<Written, Error> {
    let (Some(series), Some(mentions)) = (found.query.series.first(), found.series.first()) else {
        return Ok(Written {
            out: String::new().into(),
            notes: Vec::new(),
        });
    };
    let stamp = Stamp {
        corpus,
        taxonomy: &analysis.measurer.taxonomy,
    };
    let spread = adoption(analysis, analysis.at(GroupLevel::County).all, mentions);
    let heading = summary(&series.label, &spread);
    if curve {
        return Ok(Written {
            out: write_rows(
                &curve_rows(&series.label, &spread),
                format,
                &heading,
                &stamp,
            )?,
            notes: Vec::new(),
        });
    }
    let meetings: Vec<usize> = spread.first.iter().map(|f| f.meeting).collect();
    let found_sentences = analysis.evidence(&Subject::Term(series.clone()), &meetings, options);
    let first_sentence = |m: usize| {
        found_sentences
            .sentences
            .iter()
            .find(|e| e.meeting == m)
            .map(|e| e.passage.sentence.clone())
    };
    let mut rows: Vec<AdoptionRow<'_>> = spread
        .first
        .iter()
        .map(|f| AdoptionRow {
            term: &series.label,
            unit_code: f.unit.code.as_deref(),
            unit: &f.unit.name,
            prefecture: f.unit.prefecture.as_deref(),
            province: f.unit.province.as_deref(),
            first_date: f.date,
            first_year: f.year,
            file: Some(&analysis.meetings[f.meeting].meeting.file),
            sentence: first_sentence(f.meeting),
        })
        .collect();
    rows.extend(spread.not_yet.iter().map(|unit| AdoptionRow {
        term: &series.label,
        unit_code: unit.code.as_deref(),
        unit: &unit.name,
        prefecture: unit.prefecture.as_deref(),
        province: unit.province.as_deref(),
        first_date: None,
        first_year: None,
        file: None,
        sentence: None,
    }));
    Ok(Written {
        out: write_rows(&rows, format, &heading, &stamp)?,
        notes: found_sentences.unreadable,
    })
}

/// The rows of the adoption curve of `spread`, the term labelled `term`.
pub(crate) fn curve_rows<'a>(term: &'a str, spread: &Adoption) -> Vec<CurveRow<'a>> {
    spread
        .curve
        .iter()
        .map(|p| CurveRow {
            term,
            year: p.year,
            units_reporting: p.reporting,
            units_adopted: p.adopted,
            share: p.share().map(round),
        })
        .collect()
}

/// The table's heading: how many units adopted, the median year, what was left out.
fn summary(label: &str, spread: &Adoption) -> String {
    let adopted = spread.first.len();
    let undated = spread.first.iter().filter(|f| f.year.is_none()).count();
    let units = adopted + spread.not_yet.len();
    let median = spread.median_year().map_or_else(
        || "no dated first mention".to_owned(),
        |y| format!("median year of first mention {y}"),
    );
    format!(
        "# {label}: {adopted} of {units} units mention it ({undated} in no dated meeting); {median}; {} mentioning meetings belong to no unit\n# share = units that have mentioned it by the year ÷ units with a report that year\n",
        spread.outside
    )
}
