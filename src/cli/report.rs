//! `zhongdian report` and `zhongdian evidence`: the measures as tables, CSV and JSON that
//! researchers can script and cite. Every export names its taxonomy (folder and hash) and
//! its denominators; the same input gives the same bytes.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::check::{MeetingRecord, UnitColumns, UNIT_CSV_COLUMNS};
use super::export::{push_csv_row, to_json};
use super::table::Table;
use crate::aggregate::{Group, GroupLevel, YearKey, UNKNOWN};
use crate::analysis::{Analysis, Evidence};
use crate::evidence::split_marked;
use crate::measure::{per_10k, Measure};
use crate::meeting::{Date, Office};
use crate::shift::{Calendar, Pool};
use crate::tenure::Tenure;

/// Which themes an export covers: all, or one chosen with `--theme`.
#[derive(Debug, Clone, Copy)]
pub enum ThemeFilter {
    /// Every theme of the taxonomy.
    All,
    /// This theme only, by its index in the taxonomy.
    One(usize),
}

impl ThemeFilter {
    fn themes(self, analysis: &Analysis) -> Vec<usize> {
        match self {
            ThemeFilter::All => (0..analysis.measurer.taxonomy.themes.len()).collect(),
            ThemeFilter::One(t) => vec![t],
        }
    }
}

const PER_10K: &str = "weighted keyword hits per 10,000 Han characters of the cleaned text";
const TOKENS: &str = "content words (not punctuation or space) after segmentation";

#[derive(Serialize)]
struct TaxonomyStamp<'a> {
    name: &'a str,
    sha256: &'a str,
}

fn stamp(analysis: &Analysis) -> TaxonomyStamp<'_> {
    let t = &analysis.measurer.taxonomy;
    TaxonomyStamp {
        name: &t.name,
        sha256: &t.hash,
    }
}

/// The first line of a table. The taxonomy's name is its folder's name, which could hold
/// anything, and this line does not go through [`Table`], which cleans cells.
pub(crate) fn header_line(analysis: &Analysis) -> String {
    let t = &analysis.measurer.taxonomy;
    format!(
        "# taxonomy: {} (sha256 {}) · per_10k = {PER_10K}\n",
        crate::text::terminal_safe(&t.name).replace(['\n', '\t'], " "),
        t.short_hash()
    )
}

fn year_cell(year: YearKey) -> String {
    year.to_string()
}

// ---- by meeting -------------------------------------------------------------------

#[derive(Serialize)]
struct ThemeOfMeeting<'a> {
    hits: f64,
    per_10k: f64,
    sentences: u32,
    keywords: BTreeMap<&'a str, u32>,
}

#[derive(Serialize)]
struct MeetingReport<'a> {
    #[serde(flatten)]
    record: MeetingRecord<'a>,
    tokens: usize,
    themes: BTreeMap<&'a str, ThemeOfMeeting<'a>>,
}

#[derive(Serialize)]
struct MeetingsExport<'a> {
    taxonomy: TaxonomyStamp<'a>,
    per_10k: &'static str,
    tokens: &'static str,
    meetings: Vec<MeetingReport<'a>>,
}

/// Each meeting's `check` record with its tokens and, per theme, its hits, per-10k
/// value, sentences and keyword counts; under the taxonomy's stamp and the denominators'
/// definitions.
pub fn meetings_json(analysis: &Analysis, filter: ThemeFilter) -> String {
    let themes = filter.themes(analysis);
    let meetings = analysis
        .meetings
        .iter()
        .map(|m| MeetingReport {
            record: (&m.meeting).into(),
            tokens: m.measures.tokens,
            themes: themes
                .iter()
                .map(|&t| {
                    let count = &m.measures.themes[t];
                    (
                        analysis.measurer.taxonomy.themes[t].name.as_str(),
                        ThemeOfMeeting {
                            hits: round(count.hits),
                            per_10k: round(per_10k(count.hits, m.measures.chars)),
                            sentences: count.sentences,
                            keywords: analysis.measurer.keyword_counts(t, &m.measures),
                        },
                    )
                })
                .collect(),
        })
        .collect();
    to_json(&MeetingsExport {
        taxonomy: stamp(analysis),
        per_10k: PER_10K,
        tokens: TOKENS,
        meetings,
    })
}

/// One row per meeting and theme: the meeting's unit and year, the theme's hits and
/// per-10k value, the denominators, and the taxonomy on every row.
pub fn meetings_csv(analysis: &Analysis, filter: ThemeFilter) -> String {
    let mut out = format!(
        "file,{UNIT_CSV_COLUMNS},year,theme,hits,per_10k,sentences,chars,tokens,taxonomy,taxonomy_sha256\n",
    );
    let t = &analysis.measurer.taxonomy;
    for m in &analysis.meetings {
        for theme in filter.themes(analysis) {
            let count = &m.measures.themes[theme];
            let [district, code, level, prefecture, province] =
                UnitColumns::of(m.meeting.district.as_ref().map(|d| &d.value.unit)).cells();
            let row = [
                m.meeting.file.clone(),
                district,
                code,
                level,
                prefecture,
                province,
                m.meeting
                    .year
                    .as_ref()
                    .map(|y| y.value.to_string())
                    .unwrap_or_default(),
                t.themes[theme].name.clone(),
                number(round(count.hits)),
                number(round(per_10k(count.hits, m.measures.chars))),
                count.sentences.to_string(),
                m.measures.chars.to_string(),
                m.measures.tokens.to_string(),
                t.name.clone(),
                t.hash.clone(),
            ];
            push_csv_row(&mut out, &row);
        }
    }
    out
}

/// One row a meeting, one column a theme, values per 10k characters, under a line that
/// names the taxonomy.
pub fn meetings_table(analysis: &Analysis, filter: ThemeFilter) -> String {
    let themes = filter.themes(analysis);
    let names = &analysis.measurer.taxonomy.themes;
    let mut header = vec![
        "file".to_owned(),
        "district".into(),
        "year".into(),
        "chars".into(),
    ];
    header.extend(themes.iter().map(|&t| names[t].name.clone()));
    let mut table = Table::new(header).right_align(&(3..4 + themes.len()).collect::<Vec<_>>());
    for m in &analysis.meetings {
        let mut row = vec![
            m.meeting.file.clone(),
            m.meeting
                .district
                .as_ref()
                .map_or(UNKNOWN.to_owned(), |d| d.value.unit.label()),
            m.meeting
                .year
                .as_ref()
                .map_or("undated".into(), |y| y.value.to_string()),
            m.measures.chars.to_string(),
        ];
        row.extend(themes.iter().map(|&t| {
            Measure::Per10k.format(per_10k(m.measures.themes[t].hits, m.measures.chars))
        }));
        table.push(row);
    }
    header_line(analysis) + &table.render()
}

// ---- by district-year ---------------------------------------------------------------

/// The groups an export lists: district-years and undated groups. `all years` groups
/// are left to the table, since a CSV consumer sums hits and chars itself.
fn exported_groups(groups: &[Group]) -> impl Iterator<Item = &Group> {
    groups.iter().filter(|g| g.year != YearKey::AllYears)
}

#[derive(Serialize)]
struct ThemeOfGroup {
    hits: f64,
    per_10k: f64,
}

#[derive(Serialize)]
struct GroupReport<'a> {
    #[serde(flatten)]
    unit: UnitColumns<'a>,
    year: Option<i32>,
    /// The holders whose meetings the group pools: 1 at county level.
    units: usize,
    meetings: usize,
    chars: usize,
    tokens: usize,
    themes: BTreeMap<&'a str, ThemeOfGroup>,
    entropy: f64,
    top_keywords: Vec<(&'a str, u32)>,
    distinctive: Vec<(&'a str, f64)>,
    /// Distinctive words seen too rarely in the group for their score to mean much.
    distinctive_low_count: Vec<&'a str>,
}

#[derive(Serialize)]
struct GroupsExport<'a> {
    taxonomy: TaxonomyStamp<'a>,
    /// county, prefecture or province.
    level: &'static str,
    per_10k: &'static str,
    tokens: &'static str,
    entropy: &'static str,
    distinctive: &'static str,
    groups: Vec<GroupReport<'a>>,
}

/// Each group at `level` (district-years and undated groups) with its hits and per-10k
/// value per theme, entropy, top and distinctive words; under the taxonomy's stamp and
/// the definitions of its numbers.
pub fn groups_json(analysis: &Analysis, filter: ThemeFilter, level: GroupLevel) -> String {
    let themes = filter.themes(analysis);
    let groups = exported_groups(analysis.at(level).all)
        .map(|g| GroupReport {
            unit: UnitColumns::of_district(&g.district),
            year: g.year.year(),
            units: g.units,
            meetings: g.meetings.len(),
            chars: g.chars,
            tokens: g.tokens,
            themes: themes
                .iter()
                .map(|&t| {
                    (
                        analysis.measurer.taxonomy.themes[t].name.as_str(),
                        ThemeOfGroup {
                            hits: round(g.hits[t]),
                            per_10k: round(g.value(t, Measure::Per10k)),
                        },
                    )
                })
                .collect(),
            entropy: round(g.entropy),
            top_keywords: g
                .top_words
                .iter()
                .map(|&(w, n)| (analysis.word(w), n))
                .collect(),
            distinctive: g
                .distinctive
                .iter()
                .map(|k| (analysis.word(k.word), round(k.score)))
                .collect(),
            distinctive_low_count: g
                .distinctive
                .iter()
                .filter(|k| k.low_count)
                .map(|k| analysis.word(k.word))
                .collect(),
        })
        .collect();
    to_json(&GroupsExport {
        taxonomy: stamp(analysis),
        level: level.as_str(),
        per_10k: PER_10K,
        tokens: TOKENS,
        entropy: "Shannon entropy, in bits, of the group's theme shares of hits",
        distinctive:
            "signed log-likelihood (G2) of the word in the group against the rest of the corpus",
        groups,
    })
}

/// One row per group at `level` (district-years and undated groups) and theme: the
/// unit, year and meetings, the theme's hits and per-10k value, the denominators, and
/// the taxonomy on every row.
pub fn groups_csv(analysis: &Analysis, filter: ThemeFilter, level: GroupLevel) -> String {
    let mut out = format!(
        "{UNIT_CSV_COLUMNS},year,meetings,theme,hits,per_10k,chars,tokens,taxonomy,taxonomy_sha256\n",
    );
    let t = &analysis.measurer.taxonomy;
    for g in exported_groups(analysis.at(level).all) {
        for theme in filter.themes(analysis) {
            let [district, code, level, prefecture, province] =
                UnitColumns::of_district(&g.district).cells();
            let row = [
                district,
                code,
                level,
                prefecture,
                province,
                g.year.year().map(|y| y.to_string()).unwrap_or_default(),
                g.meetings.len().to_string(),
                t.themes[theme].name.clone(),
                number(round(g.hits[theme])),
                number(round(g.value(theme, Measure::Per10k))),
                g.chars.to_string(),
                g.tokens.to_string(),
                t.name.clone(),
                t.hash.clone(),
            ];
            push_csv_row(&mut out, &row);
        }
    }
    out
}

/// One row a group at `level`, `all years` included, one column a theme, values per 10k
/// characters, under a line that names the taxonomy.
pub fn groups_table(analysis: &Analysis, filter: ThemeFilter, level: GroupLevel) -> String {
    let themes = filter.themes(analysis);
    let names = &analysis.measurer.taxonomy.themes;
    let mut header = vec![
        "district".to_owned(),
        "year".into(),
        "meetings".into(),
        "chars".into(),
        "entropy".into(),
    ];
    header.extend(themes.iter().map(|&t| names[t].name.clone()));
    let mut table = Table::new(header).right_align(&(2..5 + themes.len()).collect::<Vec<_>>());
    for g in analysis.at(level).all {
        let mut row = vec![
            g.district.to_string(),
            year_cell(g.year),
            g.meetings.len().to_string(),
            g.chars.to_string(),
            format!("{:.2}", g.entropy),
        ];
        row.extend(
            themes
                .iter()
                .map(|&t| Measure::Per10k.format(g.value(t, Measure::Per10k))),
        );
        table.push(row);
    }
    header_line(analysis) + &table.render()
}

// ---- by tenure ------------------------------------------------------------------------

/// The dated tenures, each with the unit's meetings dated within it pooled: undated
/// tenures have no span to pool over.
fn tenure_pools(analysis: &Analysis) -> Vec<(&Tenure, Pool)> {
    let calendar = Calendar::of(analysis);
    analysis
        .tenures()
        .iter()
        .filter(|t| t.first_seen.is_some())
        .map(|t| (t, calendar.tenure(t)))
        .collect()
}

/// A date as an export cell: empty when unknown.
pub(crate) fn date_cell(date: Option<Date>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

#[derive(Serialize)]
struct TenureReport<'a> {
    #[serde(flatten)]
    unit: UnitColumns<'a>,
    office: Office,
    name: &'a str,
    acting: bool,
    first_seen: Option<Date>,
    last_seen: Option<Date>,
    /// The unit's meetings dated within the tenure, not only those naming the holder.
    meetings: usize,
    chars: usize,
    tokens: usize,
    themes: BTreeMap<&'a str, ThemeOfGroup>,
}

#[derive(Serialize)]
struct TenuresExport<'a> {
    taxonomy: TaxonomyStamp<'a>,
    per_10k: &'static str,
    meetings: &'static str,
    tenures: Vec<TenureReport<'a>>,
}

const TENURE_MEETINGS: &str =
    "the unit's meetings dated from the tenure's first to its last sighting, pooled";

/// Each dated tenure with its unit's meetings dated within it pooled: per theme its hits
/// and per-10k value, under the taxonomy's stamp.
pub fn tenures_json(analysis: &Analysis, filter: ThemeFilter) -> String {
    let themes = filter.themes(analysis);
    let names = &analysis.measurer.taxonomy.themes;
    let pools = tenure_pools(analysis);
    let tenures = pools
        .iter()
        .map(|(t, pool)| TenureReport {
            unit: UnitColumns::of(Some(&t.unit)),
            office: t.office,
            name: &t.name,
            acting: t.acting,
            first_seen: t.first_seen,
            last_seen: t.last_seen,
            meetings: pool.meetings.len(),
            chars: pool.chars,
            tokens: pool.tokens,
            themes: themes
                .iter()
                .map(|&th| {
                    (
                        names[th].name.as_str(),
                        ThemeOfGroup {
                            hits: round(pool.hits[th]),
                            per_10k: round(pool.value(th, Measure::Per10k)),
                        },
                    )
                })
                .collect(),
        })
        .collect();
    to_json(&TenuresExport {
        taxonomy: stamp(analysis),
        per_10k: PER_10K,
        meetings: TENURE_MEETINGS,
        tenures,
    })
}

/// One row per dated tenure and theme, long form like the district-year CSV.
pub fn tenures_csv(analysis: &Analysis, filter: ThemeFilter) -> String {
    let mut out = format!(
        "{UNIT_CSV_COLUMNS},office,name,acting,first_seen,last_seen,meetings,theme,hits,per_10k,chars,tokens,taxonomy,taxonomy_sha256\n",
    );
    let t = &analysis.measurer.taxonomy;
    for (tenure, pool) in tenure_pools(analysis) {
        for theme in filter.themes(analysis) {
            let mut row: Vec<String> = UnitColumns::of(Some(&tenure.unit)).cells().into();
            row.extend([
                tenure.office.to_string(),
                tenure.name.clone(),
                tenure.acting.to_string(),
                date_cell(tenure.first_seen),
                date_cell(tenure.last_seen),
                pool.meetings.len().to_string(),
                t.themes[theme].name.clone(),
                number(round(pool.hits[theme])),
                number(round(pool.value(theme, Measure::Per10k))),
                pool.chars.to_string(),
                pool.tokens.to_string(),
                t.name.clone(),
                t.hash.clone(),
            ]);
            push_csv_row(&mut out, &row);
        }
    }
    out
}

/// One row per dated tenure, one column a theme, values per 10k characters.
pub fn tenures_table(analysis: &Analysis, filter: ThemeFilter) -> String {
    let themes = filter.themes(analysis);
    let names = &analysis.measurer.taxonomy.themes;
    let mut header: Vec<String> = [
        "unit",
        "office",
        "name",
        "first_seen",
        "last_seen",
        "meetings",
        "chars",
    ]
    .map(str::to_owned)
    .into();
    header.extend(themes.iter().map(|&t| names[t].name.clone()));
    let mut table = Table::new(header).right_align(&(5..7 + themes.len()).collect::<Vec<_>>());
    for (tenure, pool) in tenure_pools(analysis) {
        let mut row = vec![
            tenure.unit.label(),
            tenure.office.to_string(),
            tenure.name.clone(),
            date_cell(tenure.first_seen),
            date_cell(tenure.last_seen),
            pool.meetings.len().to_string(),
            pool.chars.to_string(),
        ];
        row.extend(
            themes
                .iter()
                .map(|&t| Measure::Per10k.format(pool.value(t, Measure::Per10k))),
        );
        table.push(row);
    }
    format!(
        "{}# meetings = {TENURE_MEETINGS}\n{}",
        header_line(analysis),
        table.render()
    )
}

// ---- evidence -------------------------------------------------------------------------

/// One sentence a line: file, date, and the sentence with each keyword in «».
pub fn evidence_lines(analysis: &Analysis, evidence: &[Evidence]) -> String {
    let mut out = String::new();
    for e in evidence {
        let m = &analysis.meetings[e.meeting].meeting;
        let date = m
            .date
            .as_ref()
            .map_or_else(|| "—".to_owned(), |d| d.value.to_string());
        let marked: String = split_marked(&e.passage.sentence, &e.passage.marks)
            .into_iter()
            .map(|(piece, keyword)| {
                if keyword {
                    format!("«{piece}»")
                } else {
                    piece.to_owned()
                }
            })
            .collect();
        let line = format!(
            "{}\t{}\t{}\t{}",
            m.file,
            m.unit_cited(),
            date,
            marked.replace('\n', " ")
        );
        let _ = writeln!(out, "{}", crate::text::terminal_safe(&line));
    }
    out
}

// ---- helpers --------------------------------------------------------------------------

/// Four decimals: enough for any chart, and stable bytes across platforms. Weighted hits
/// are rounded too: a sum of weights like 0.1 carries float noise (0.30000000000000004)
/// that means nothing and would differ with the order of summation.
pub(crate) fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn number(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}
