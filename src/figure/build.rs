//! Figures from an analysis. Every number drawn is one the commands already compute —
//! a group's [`Group::value`], a trend line's smoothed points, an adoption curve, a
//! shift's pools — and the data beside it is those commands' own rows: `report --by
//! district-year` (with the measure drawn), `trend`, `adoption --curve`, `shift`.

use std::path::Path;

use super::{BarSeries, Body, Figure, Kind, LineSeries, Number};
use crate::aggregate::{sorted_by_value, District, Group, GroupLevel, YearKey};
use crate::analysis::Analysis;
use crate::cli::export::{csv, Column, Row, Stamp, Value};
use crate::cli::report::{group_row, round, GroupThemeRow};
use crate::cli::trend::{curve_rows, line_rows};
use crate::error::Error;
use crate::measure::Measure;
use crate::shift::{shift_order, Shift, MIN_CHARS, MIN_MEETINGS};
use crate::text::counted;
use crate::trend::adoption::Adoption;
use crate::trend::{dated, smoothed, Line, TrendValue};

/// A term's line over the years: the series' label and its line.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendLine {
    /// The series' label, as `trend` writes it in its `term` column.
    pub term: String,
    /// Its points, for the whole corpus or one district.
    pub line: Line,
}

/// What to draw, in the analysis's terms: the command line and the dashboard both say
/// it this way.
#[derive(Debug, Clone, PartialEq)]
pub enum Spec {
    /// The themes of one district-year, highest first.
    Bars {
        /// The level the district is at.
        level: GroupLevel,
        /// The district.
        district: District,
        /// Its year, `undated` or `all years`.
        year: YearKey,
        /// What the bars measure.
        measure: Measure,
    },
    /// Districts × themes in one year.
    Heatmap {
        /// The level the districts are at.
        level: GroupLevel,
        /// The rows, top to bottom.
        districts: Vec<District>,
        /// The year, `undated` or `all years`.
        year: YearKey,
        /// What the cells measure.
        measure: Measure,
    },
    /// One theme for several districts over the years.
    Timeline {
        /// The level the districts are at.
        level: GroupLevel,
        /// The lines.
        districts: Vec<District>,
        /// The theme, by index.
        theme: usize,
        /// What the lines measure.
        measure: Measure,
    },
    /// Term lines over the years.
    Trend {
        /// The lines, in legend order.
        lines: Vec<TrendLine>,
        /// What their values are.
        value: TrendValue,
        /// A moving average over ±this many years; 0 for none.
        smoothing: u32,
    },
    /// The cumulative adoption curve of a term.
    Adoption {
        /// The term's label.
        term: String,
        /// How it spread.
        adoption: Adoption,
    },
    /// A change of leader's before and after.
    Shift {
        /// The change and its pools.
        shift: Shift,
    },
}

impl Spec {
    /// The kind of figure it is.
    pub fn kind(&self) -> Kind {
        match self {
            Spec::Bars { .. } => Kind::Bars,
            Spec::Heatmap { .. } => Kind::Heatmap,
            Spec::Timeline { .. } => Kind::Timeline,
            Spec::Trend { .. } => Kind::Trend,
            Spec::Adoption { .. } => Kind::Adoption,
            Spec::Shift { .. } => Kind::Shift,
        }
    }
}

/// How a figure prints values of `measure`: as the dashboard does, one decimal per 10k
/// characters, two for a percentage of tokens.
fn number_of(measure: Measure) -> Number {
    match measure {
        Measure::TokenShare => Number::Decimals(2),
        Measure::Per10k | Measure::Hits => Number::Decimals(1),
    }
}

/// The measure's name in a figure's data: as `plot --measure` spells it.
fn measure_name(measure: Measure) -> &'static str {
    match measure {
        Measure::Per10k => "per10k",
        Measure::TokenShare => "share",
        Measure::Hits => "hits",
    }
}

/// A row of a group figure's data: the `report --by district-year` row of the cell,
/// then which years it pools (the report leaves `all years` out, and writes undated as
/// an empty year), the measure drawn and its value.
struct PlottedRow<'a> {
    row: GroupThemeRow<'a>,
    years: YearKey,
    measure: Measure,
    value: f64,
}

impl Row for PlottedRow<'_> {
    const COLUMNS: &'static [Column] = &[
        <GroupThemeRow as Row>::COLUMNS[0],
        <GroupThemeRow as Row>::COLUMNS[1],
        <GroupThemeRow as Row>::COLUMNS[2],
        <GroupThemeRow as Row>::COLUMNS[3],
        <GroupThemeRow as Row>::COLUMNS[4],
        <GroupThemeRow as Row>::COLUMNS[5],
        <GroupThemeRow as Row>::COLUMNS[6],
        <GroupThemeRow as Row>::COLUMNS[7],
        <GroupThemeRow as Row>::COLUMNS[8],
        <GroupThemeRow as Row>::COLUMNS[9],
        <GroupThemeRow as Row>::COLUMNS[10],
        <GroupThemeRow as Row>::COLUMNS[11],
        <GroupThemeRow as Row>::COLUMNS[12],
        <GroupThemeRow as Row>::COLUMNS[13],
        Column::text("years"),
        Column::text("measure"),
        Column::double("value"),
    ];
    const NUMBERS: &'static [usize] = &[6, 8, 9, 10, 11, 16];

    fn values(&self) -> Vec<Value<'_>> {
        let mut values = self.row.values();
        values.extend([
            self.years.to_string().into(),
            measure_name(self.measure).into(),
            self.value.into(),
        ]);
        values
    }
}

/// The data rows of the cells (group, theme) drawn, as a CSV.
fn group_data<'a>(
    analysis: &'a Analysis,
    cells: impl IntoIterator<Item = (&'a Group, usize)>,
    measure: Measure,
) -> String {
    csv(cells.into_iter().map(|(g, theme)| PlottedRow {
        row: group_row(analysis, g, theme),
        years: g.year,
        measure,
        value: round(g.value(theme, measure)),
    }))
}

/// How a figure names districts: by name alone, with the prefecture for the names that
/// several of them share.
fn names(districts: &[&District]) -> Vec<String> {
    let short = |d: &District| match d {
        District::Unit(unit) => unit.name.clone(),
        other => other.to_string(),
    };
    districts
        .iter()
        .map(|d| {
            let shared = districts
                .iter()
                .filter(|other| short(other) == short(d))
                .count()
                > 1;
            if shared {
                d.to_string()
            } else {
                short(d)
            }
        })
        .collect()
}

/// What a pool of groups rests on: its meetings and characters.
fn pooled(groups: &[&Group]) -> String {
    let meetings: usize = groups.iter().map(|g| g.meetings.len()).sum();
    let chars: usize = groups.iter().map(|g| g.chars).sum();
    format!(
        "{}, {}",
        counted(meetings, "meeting"),
        counted(chars, "Han character")
    )
}

/// The figure `spec` asks for, of `analysis`, stamped with its taxonomy and `corpus`.
pub fn build(analysis: &Analysis, spec: &Spec, corpus: &Path) -> Result<Figure, Error> {
    let taxonomy = &analysis.measurer.taxonomy;
    let stamp = Stamp { corpus, taxonomy }.key_values();
    let theme_name = |t: usize| taxonomy.themes[t].name.clone();
    let figure = |title: String,
                  subtitle: String,
                  value_label: String,
                  number: Number,
                  body: Body,
                  data: String| {
        Figure {
            kind: spec.kind(),
            title,
            subtitle,
            value_label,
            number,
            body,
            stamp: stamp.clone(),
            data,
        }
    };
    Ok(match spec {
        Spec::Bars {
            level,
            district,
            year,
            measure,
        } => {
            let groups = analysis.at(*level);
            let Some(group) = groups.group(district.key(), *year) else {
                let years: Vec<String> = groups
                    .of(district.key())
                    .iter()
                    .map(|g| g.year.to_string())
                    .collect();
                return Err(Error::NothingToPlot {
                    reason: format!(
                        "{district} has no meetings in {year}; it has {}",
                        years.join(", ")
                    ),
                });
            };
            let themes = sorted_by_value(group, *measure, taxonomy.themes.len());
            figure(
                format!("{district} · {year}"),
                pooled(&[group]),
                measure.describe().to_owned(),
                number_of(*measure),
                Body::Bars {
                    categories: themes.iter().map(|&(t, _)| theme_name(t)).collect(),
                    series: vec![BarSeries {
                        name: String::new(),
                        values: themes.iter().map(|&(_, v)| v).collect(),
                    }],
                },
                group_data(analysis, themes.iter().map(|&(t, _)| (group, t)), *measure),
            )
        }
        Spec::Heatmap {
            level,
            districts,
            year,
            measure,
        } => {
            let groups = analysis.at(*level);
            let rows: Vec<&Group> = districts
                .iter()
                .filter_map(|d| groups.group(d.key(), *year))
                .collect();
            if rows.is_empty() {
                return Err(Error::NothingToPlot {
                    reason: format!("no {} with meetings in {year}", level.rows()),
                });
            }
            let themes = taxonomy.themes.len();
            let districts: Vec<&District> = rows.iter().map(|g| &g.district).collect();
            figure(
                format!("Themes of {} · {year}", level.rows()),
                format!("{}; {}", counted(rows.len(), level.row()), pooled(&rows)),
                measure.describe().to_owned(),
                number_of(*measure),
                Body::Heatmap {
                    rows: names(&districts),
                    columns: (0..themes).map(theme_name).collect(),
                    cells: rows
                        .iter()
                        .map(|g| (0..themes).map(|t| g.value(t, *measure)).collect())
                        .collect(),
                },
                group_data(
                    analysis,
                    rows.iter().flat_map(|&g| (0..themes).map(move |t| (g, t))),
                    *measure,
                ),
            )
        }
        Spec::Timeline {
            level,
            districts,
            theme,
            measure,
        } => {
            let groups = analysis.at(*level);
            let lines: Vec<(&District, Vec<&Group>)> = districts
                .iter()
                .map(|d| {
                    let dated: Vec<&Group> = groups
                        .of(d.key())
                        .iter()
                        .filter(|g| matches!(g.year, YearKey::Year(_)))
                        .collect();
                    (d, dated)
                })
                .filter(|(_, dated)| !dated.is_empty())
                .collect();
            if lines.is_empty() {
                return Err(Error::NothingToPlot {
                    reason: "none of the districts has a meeting of a known year".to_owned(),
                });
            }
            let shown: Vec<&District> = lines.iter().map(|(d, _)| *d).collect();
            let all: Vec<&Group> = lines.iter().flat_map(|(_, g)| g.iter().copied()).collect();
            figure(
                format!("{} over the years", theme_name(*theme)),
                format!("{}; {}", counted(lines.len(), level.row()), pooled(&all)),
                measure.describe().to_owned(),
                number_of(*measure),
                Body::Lines {
                    series: names(&shown)
                        .into_iter()
                        .zip(&lines)
                        .map(|(name, (_, dated))| LineSeries {
                            name,
                            points: dated
                                .iter()
                                .filter_map(|g| Some((g.year.year()?, g.value(*theme, *measure))))
                                .collect(),
                            labels: Vec::new(),
                        })
                        .collect(),
                },
                group_data(analysis, all.iter().map(|&g| (g, *theme)), *measure),
            )
        }
        Spec::Trend {
            lines,
            value,
            smoothing,
        } => trend(lines, *value, *smoothing, figure)?,
        Spec::Adoption { term, adoption } => {
            let adopted = adoption.first.len();
            let units = adopted + adoption.not_yet.len();
            let median = adoption.median_year().map_or_else(String::new, |y| {
                format!("; median year of first mention {y}")
            });
            let points: Vec<(i32, f64, String)> = adoption
                .curve
                .iter()
                .filter_map(|p| {
                    Some((p.year, p.share()?, format!("{}/{}", p.adopted, p.reporting)))
                })
                .collect();
            if points.is_empty() {
                return Err(Error::NothingToPlot {
                    reason: format!("no unit has a report of a known year, so {term} has no curve"),
                });
            }
            figure(
                format!("{term}: units that have mentioned it"),
                format!("{adopted} of {} mention it{median}", counted(units, "unit")),
                "share of the units reporting that year (adopted/reporting)".to_owned(),
                Number::Percent,
                Body::Lines {
                    series: vec![LineSeries {
                        name: term.clone(),
                        points: points.iter().map(|(y, s, _)| (*y, *s)).collect(),
                        labels: points.into_iter().map(|(_, _, l)| l).collect(),
                    }],
                },
                csv(curve_rows(term, adoption)),
            )
        }
        Spec::Shift { shift } => {
            let tenures = analysis.tenures();
            let (old, new) = (&tenures[shift.change.before], &tenures[shift.change.after]);
            let side = |when: &str, t: &crate::tenure::Tenure, pool: &crate::shift::Pool| {
                let date =
                    |d: Option<crate::meeting::Date>| d.map_or("?".to_owned(), |d| d.to_string());
                format!(
                    "{when}: {} ({}–{}, {})",
                    t.name,
                    date(t.first_seen),
                    date(t.last_seen),
                    counted(pool.meetings.len(), "meeting")
                )
            };
            let order = shift_order(shift);
            let subtitle = if shift.thin() {
                format!(
                    "thin: a side has fewer than {MIN_MEETINGS} meetings or {MIN_CHARS} characters"
                )
            } else {
                "largest rise first; G² and p of each theme in the data".to_owned()
            };
            figure(
                format!(
                    "{} {}: {} → {}",
                    old.unit.label(),
                    old.office,
                    old.name,
                    new.name
                ),
                subtitle,
                format!(
                    "{}, the unit's meetings within each tenure",
                    Measure::Per10k.describe()
                ),
                Number::Decimals(1),
                Body::Bars {
                    categories: order
                        .iter()
                        .map(|&t| theme_name(shift.themes[t].theme))
                        .collect(),
                    series: vec![
                        BarSeries {
                            name: side("before", old, &shift.before),
                            values: order.iter().map(|&t| shift.themes[t].before).collect(),
                        },
                        BarSeries {
                            name: side("after", new, &shift.after),
                            values: order.iter().map(|&t| shift.themes[t].after).collect(),
                        },
                    ],
                },
                crate::cli::leaders::shifts_csv(analysis, std::slice::from_ref(shift)),
            )
        }
    })
}

/// The figure of term lines over the years: their values as `trend` smooths them, its
/// rows as data.
fn trend(
    lines: &[TrendLine],
    value: TrendValue,
    smoothing: u32,
    figure: impl Fn(String, String, String, Number, Body, String) -> Figure,
) -> Result<Figure, Error> {
    let mut terms: Vec<&str> = lines.iter().map(|l| l.term.as_str()).collect();
    terms.dedup();
    let districts: Vec<&District> = lines
        .iter()
        .filter_map(|l| l.line.district.as_ref())
        .collect();
    if lines
        .iter()
        .all(|l| dated(&l.line, |p| value.of(p)).is_empty())
    {
        return Err(Error::NothingToPlot {
            reason: format!("{} has no meetings of a known year", terms.join(", ")),
        });
    }
    let unit_names = names(&districts);
    let mut unit_name = unit_names.into_iter();
    let series = lines
        .iter()
        .map(|l| {
            let unit = l.line.district.as_ref().and_then(|_| unit_name.next());
            let name = match (unit, terms.len()) {
                (None, _) => l.term.clone(),
                (Some(unit), 1) => unit,
                (Some(unit), _) => format!("{} · {unit}", l.term),
            };
            LineSeries {
                name,
                points: smoothed(&dated(&l.line, |p| value.of(p)), smoothing),
                labels: Vec::new(),
            }
        })
        .collect();
    let whose = if districts.is_empty() {
        "whole corpus".to_owned()
    } else {
        counted(districts.len(), "line")
    };
    let smoothed_by = if smoothing > 0 {
        format!("; moving average over ±{smoothing} years with reports")
    } else {
        String::new()
    };
    Ok(figure(
        format!("{} over the years", terms.join(", ")),
        format!("{whose}; a year without reports is a gap"),
        format!(
            "{} ({}){smoothed_by}",
            value.describe(),
            value.denominator()
        ),
        match value {
            TrendValue::Per10k => Number::Decimals(2),
            TrendValue::Share => Number::Percent,
        },
        Body::Lines { series },
        csv(lines
            .iter()
            .flat_map(|l| line_rows(&l.term, &l.line, smoothing))),
    ))
}
