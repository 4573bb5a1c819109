//! `zhongdian report` and `zhongdian evidence`: the measures as tables, CSV and JSON that
//! researchers can script and cite. Every export names its taxonomy (folder and hash) and
//! its denominators; the same input gives the same bytes.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use super::check::{MeetingRecord, UnitColumns, UNIT_COLUMNS};
use super::export::{csv, to_json, Column, Row, Stamp, Value};
use super::output::Output;
use super::table::Table;
use crate::aggregate::{Group, GroupLevel, YearKey, UNKNOWN};
use crate::analysis::{Analysis, Evidence};
use crate::error::Error;
use crate::evidence::split_marked;
use crate::measure::{per_10k, Measure};
use crate::meeting::{Date, Office};
use crate::shift::{Calendar, Pool};
use crate::taxonomy::Taxonomy;
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

/// A meeting's measures of one theme: a row of `report --by meeting` as CSV or Parquet.
struct MeetingThemeRow<'a> {
    file: &'a str,
    unit: UnitColumns<'a>,
    year: Option<i32>,
    theme: &'a str,
    hits: f64,
    per_10k: f64,
    sentences: u32,
    chars: usize,
    tokens: usize,
    taxonomy: &'a Taxonomy,
}

impl Row for MeetingThemeRow<'_> {
    const COLUMNS: &'static [Column] = &[
        Column::text("file"),
        UNIT_COLUMNS[0],
        UNIT_COLUMNS[1],
        UNIT_COLUMNS[2],
        UNIT_COLUMNS[3],
        UNIT_COLUMNS[4],
        Column::int32("year"),
        Column::text("theme"),
        Column::double("hits"),
        Column::double("per_10k"),
        Column::int64("sentences"),
        Column::int64("chars"),
        Column::int64("tokens"),
        Column::text("taxonomy"),
        Column::text("taxonomy_sha256"),
    ];
    const NUMBERS: &'static [usize] = &[8, 9, 10, 11, 12];

    fn values(&self) -> Vec<Value<'_>> {
        let mut values = vec![self.file.into()];
        values.extend(self.unit.values());
        values.extend([
            self.year.into(),
            self.theme.into(),
            self.hits.into(),
            self.per_10k.into(),
            self.sentences.into(),
            self.chars.into(),
            self.tokens.into(),
        ]);
        values.extend(taxonomy_values(self.taxonomy));
        values
    }
}

/// The last two columns of every report row: the taxonomy's name and hash.
fn taxonomy_values(taxonomy: &Taxonomy) -> [Value<'_>; 2] {
    [taxonomy.name.as_str().into(), taxonomy.hash.as_str().into()]
}

/// One row per meeting and theme, made as they are written.
fn meeting_rows(
    analysis: &Analysis,
    filter: ThemeFilter,
) -> impl Iterator<Item = MeetingThemeRow<'_>> {
    let taxonomy = &analysis.measurer.taxonomy;
    let themes = filter.themes(analysis);
    analysis.meetings.iter().flat_map(move |m| {
        themes.clone().into_iter().map(move |theme| {
            let count = &m.measures.themes[theme];
            MeetingThemeRow {
                file: &m.meeting.file,
                unit: UnitColumns::of(m.meeting.district.as_ref().map(|d| &d.value.unit)),
                year: m.meeting.year.as_ref().map(|y| y.value),
                theme: &taxonomy.themes[theme].name,
                hits: round(count.hits),
                per_10k: round(per_10k(count.hits, m.measures.chars)),
                sentences: count.sentences,
                chars: m.measures.chars,
                tokens: m.measures.tokens,
                taxonomy,
            }
        })
    })
}

/// One row per meeting and theme: the meeting's unit and year, the theme's hits and
/// per-10k value, the denominators, and the taxonomy on every row.
pub fn meetings_csv(analysis: &Analysis, filter: ThemeFilter) -> String {
    csv(meeting_rows(analysis, filter))
}

/// The rows of [`meetings_csv`] as a Parquet file that names `corpus`.
pub fn meetings_parquet(
    analysis: &Analysis,
    filter: ThemeFilter,
    corpus: &Path,
) -> Result<Output, Error> {
    parquet(meeting_rows(analysis, filter), analysis, corpus)
}

/// `rows` as a Parquet file, stamped with the analysis's taxonomy and `corpus`.
fn parquet<R: Row>(
    rows: impl IntoIterator<Item = R>,
    analysis: &Analysis,
    corpus: &Path,
) -> Result<Output, Error> {
    let stamp = Stamp {
        corpus,
        taxonomy: &analysis.measurer.taxonomy,
    };
    Ok(Output::Binary(super::parquet_file::encode(rows, &stamp)?))
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

/// A group's measures of one theme: a row of `report --by district-year` as CSV or
/// Parquet, and of a figure's data.
pub(crate) struct GroupThemeRow<'a> {
    unit: UnitColumns<'a>,
    year: Option<i32>,
    meetings: usize,
    measures: PooledTheme<'a>,
}

/// The last columns of a row of pooled meetings (a group, a tenure): the theme, its
/// measures, their denominators and the taxonomy.
struct PooledTheme<'a> {
    theme: &'a str,
    hits: f64,
    per_10k: f64,
    chars: usize,
    tokens: usize,
    taxonomy: &'a Taxonomy,
}

/// The columns of [`PooledTheme::values`].
const POOLED_THEME_COLUMNS: [Column; 7] = [
    Column::text("theme"),
    Column::double("hits"),
    Column::double("per_10k"),
    Column::int64("chars"),
    Column::int64("tokens"),
    Column::text("taxonomy"),
    Column::text("taxonomy_sha256"),
];

impl<'a> PooledTheme<'a> {
    /// Theme `theme` of a pool of `hits`, `chars` and `tokens`.
    fn of(analysis: &'a Analysis, theme: usize, hits: f64, chars: usize, tokens: usize) -> Self {
        let taxonomy = &analysis.measurer.taxonomy;
        PooledTheme {
            theme: &taxonomy.themes[theme].name,
            hits: round(hits),
            per_10k: round(per_10k(hits, chars)),
            chars,
            tokens,
            taxonomy,
        }
    }

    fn values(&self) -> impl Iterator<Item = Value<'_>> {
        [
            self.theme.into(),
            self.hits.into(),
            self.per_10k.into(),
            self.chars.into(),
            self.tokens.into(),
        ]
        .into_iter()
        .chain(taxonomy_values(self.taxonomy))
    }
}

impl Row for GroupThemeRow<'_> {
    const COLUMNS: &'static [Column] = &[
        UNIT_COLUMNS[0],
        UNIT_COLUMNS[1],
        UNIT_COLUMNS[2],
        UNIT_COLUMNS[3],
        UNIT_COLUMNS[4],
        Column::int32("year"),
        Column::int64("meetings"),
        POOLED_THEME_COLUMNS[0],
        POOLED_THEME_COLUMNS[1],
        POOLED_THEME_COLUMNS[2],
        POOLED_THEME_COLUMNS[3],
        POOLED_THEME_COLUMNS[4],
        POOLED_THEME_COLUMNS[5],
        POOLED_THEME_COLUMNS[6],
    ];
    const NUMBERS: &'static [usize] = &[6, 8, 9, 10, 11];

    fn values(&self) -> Vec<Value<'_>> {
        let mut values: Vec<Value<'_>> = self.unit.values().into();
        values.extend([self.year.into(), self.meetings.into()]);
        values.extend(self.measures.values());
        values
    }
}

/// One row per group at `level` and theme, made as they are written.
fn group_rows(
    analysis: &Analysis,
    filter: ThemeFilter,
    level: GroupLevel,
) -> impl Iterator<Item = GroupThemeRow<'_>> {
    let themes = filter.themes(analysis);
    exported_groups(analysis.at(level).all).flat_map(move |g| {
        themes
            .clone()
            .into_iter()
            .map(move |theme| group_row(analysis, g, theme))
    })
}

/// Group `g`'s row of theme `theme`.
pub(crate) fn group_row<'a>(
    analysis: &'a Analysis,
    g: &'a Group,
    theme: usize,
) -> GroupThemeRow<'a> {
    GroupThemeRow {
        unit: UnitColumns::of_district(&g.district),
        year: g.year.year(),
        meetings: g.meetings.len(),
        measures: PooledTheme::of(analysis, theme, g.hits[theme], g.chars, g.tokens),
    }
}

/// One row per group at `level` (district-years and undated groups) and theme: the
/// unit, year and meetings, the theme's hits and per-10k value, the denominators, and
/// the taxonomy on every row.
pub fn groups_csv(analysis: &Analysis, filter: ThemeFilter, level: GroupLevel) -> String {
    csv(group_rows(analysis, filter, level))
}

/// The rows of [`groups_csv`] as a Parquet file that names `corpus`.
pub fn groups_parquet(
    analysis: &Analysis,
    filter: ThemeFilter,
    level: GroupLevel,
    corpus: &Path,
) -> Result<Output, Error> {
    parquet(group_rows(analysis, filter, level), analysis, corpus)
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

/// A tenure's pooled measures of one theme: a row of `report --by tenure` as CSV or
/// Parquet.
struct TenureThemeRow<'a> {
    unit: UnitColumns<'a>,
    office: Office,
    name: &'a str,
    acting: bool,
    first_seen: Option<Date>,
    last_seen: Option<Date>,
    meetings: usize,
    measures: PooledTheme<'a>,
}

impl Row for TenureThemeRow<'_> {
    const COLUMNS: &'static [Column] = &[
        UNIT_COLUMNS[0],
        UNIT_COLUMNS[1],
        UNIT_COLUMNS[2],
        UNIT_COLUMNS[3],
        UNIT_COLUMNS[4],
        Column::text("office"),
        Column::text("name"),
        Column::bool("acting"),
        Column::date("first_seen"),
        Column::date("last_seen"),
        Column::int64("meetings"),
        POOLED_THEME_COLUMNS[0],
        POOLED_THEME_COLUMNS[1],
        POOLED_THEME_COLUMNS[2],
        POOLED_THEME_COLUMNS[3],
        POOLED_THEME_COLUMNS[4],
        POOLED_THEME_COLUMNS[5],
        POOLED_THEME_COLUMNS[6],
    ];
    const NUMBERS: &'static [usize] = &[10, 12, 13, 14, 15];

    fn values(&self) -> Vec<Value<'_>> {
        let mut values: Vec<Value<'_>> = self.unit.values().into();
        values.extend([
            self.office.as_str().into(),
            self.name.into(),
            self.acting.into(),
            self.first_seen.into(),
            self.last_seen.into(),
            self.meetings.into(),
        ]);
        values.extend(self.measures.values());
        values
    }
}

/// One row per dated tenure and theme.
fn tenure_rows(
    analysis: &Analysis,
    filter: ThemeFilter,
) -> impl Iterator<Item = TenureThemeRow<'_>> {
    let themes = filter.themes(analysis);
    tenure_pools(analysis)
        .into_iter()
        .flat_map(move |(tenure, pool)| {
            themes.clone().into_iter().map(move |theme| TenureThemeRow {
                unit: UnitColumns::of(Some(&tenure.unit)),
                office: tenure.office,
                name: &tenure.name,
                acting: tenure.acting,
                first_seen: tenure.first_seen,
                last_seen: tenure.last_seen,
                meetings: pool.meetings.len(),
                measures: PooledTheme::of(
                    analysis,
                    theme,
                    pool.hits[theme],
                    pool.chars,
                    pool.tokens,
                ),
            })
        })
}

/// One row per dated tenure and theme, long form like the district-year CSV.
pub fn tenures_csv(analysis: &Analysis, filter: ThemeFilter) -> String {
    csv(tenure_rows(analysis, filter))
}

/// The rows of [`tenures_csv`] as a Parquet file that names `corpus`.
pub fn tenures_parquet(
    analysis: &Analysis,
    filter: ThemeFilter,
    corpus: &Path,
) -> Result<Output, Error> {
    parquet(tenure_rows(analysis, filter), analysis, corpus)
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
