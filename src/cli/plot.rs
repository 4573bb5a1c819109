//! `zhongdian plot`: what the command line asks to draw, as a [`Spec`] of the analysis.
//! Names are resolved as `shift` and `evidence` resolve them, years as `evidence`
//! reads them, terms as `trend` parses them; the drawing is [`crate::figure`]'s.

use std::path::PathBuf;

use clap::ValueEnum;

use super::LevelArg;
use crate::aggregate::{District, GroupLevel, YearKey};
use crate::analysis::{Analysis, Groups};
use crate::error::Error;
use crate::figure::{Kind, Spec, TrendLine};
use crate::measure::Measure;
use crate::meeting::Office;
use crate::trend::{self, Found, TrendValue};

/// Lines a figure draws at most: as many as its styles tell apart.
pub const MAX_LINES: usize = crate::figure::svg::STYLES;

/// What the values of a figure are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlotMeasure {
    /// Hits per 10,000 Han characters.
    #[value(name = "per10k", help = None::<&str>)]
    Per10k,
    /// A share: of the content words (bars, heatmap, timeline), of the meetings that
    /// mention the term (trend).
    #[value(help = None::<&str>)]
    Share,
}

/// The options of `plot`: which units, year, theme, level and measure.
#[derive(Debug, Clone, clap::Args)]
pub struct PlotArgs {
    /// A unit, by name, former name or code: the one of bars and shift, the lines of
    /// timeline and trend, the rows of heatmap (repeat for several).
    #[arg(long = "unit", value_name = "CODE|NAME")]
    pub units: Vec<String>,
    /// bars, heatmap: the year, `undated` or `all` [default: bars the unit's latest
    /// year, heatmap all].
    #[arg(long, value_name = "Y")]
    pub year: Option<String>,
    /// timeline: the theme drawn (needed); heatmap: the theme its rows are chosen and
    /// sorted by.
    #[arg(long, value_name = "NAME")]
    pub theme: Option<String>,
    /// bars, heatmap, timeline, trend with --unit: units on their own, or pooled into
    /// prefectures or provinces [default: county].
    #[arg(long, value_enum)]
    pub level: Option<LevelArg>,
    /// bars, heatmap, timeline, trend: what the values are [default: per10k].
    #[arg(long, value_enum)]
    pub measure: Option<PlotMeasure>,
    /// heatmap without --unit: the rows, the units with the most meetings (or highest
    /// in --theme) [default: 30].
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// trend: a moving average over ±N years [default: 0, none].
    #[arg(long, value_name = "N")]
    pub smooth: Option<u32>,
    /// shift: only changes of this office.
    #[arg(long, value_enum)]
    pub office: Option<super::OfficeArg>,
    /// shift: which change of the unit, as `shift --unit` numbers them from 1 (needed
    /// when it has several).
    #[arg(long, value_name = "N")]
    pub change: Option<usize>,
}

/// `[CORPUS] KIND [TERM...]`: the corpus (`data` unless the first argument is a
/// folder), the kind of figure, and the terms after it (only trend and adoption take
/// them, and need them).
pub fn corpus_kind_terms(args: &[String]) -> Result<(PathBuf, Kind, &[String]), Error> {
    let (corpus, rest) = super::trend::corpus_and_rest(args);
    let kinds = || {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        names.join(", ")
    };
    let (name, terms) = rest.split_first().ok_or_else(|| Error::Plot {
        reason: format!(
            "give the kind of figure after the corpus {}: {}",
            corpus.display(),
            kinds()
        ),
    })?;
    let kind = Kind::parse(name).ok_or_else(|| Error::Plot {
        reason: format!("no figure kind {name:?}; the kinds are {}", kinds()),
    })?;
    match (kind.takes_terms(), terms.is_empty()) {
        (true, true) => Err(Error::Plot {
            reason: format!("{name} follows a term: give it after `{name}`"),
        }),
        (false, false) => Err(Error::Plot {
            reason: format!(
                "{name} takes no terms (only trend and adoption do), found {:?}",
                terms.join(" ")
            ),
        }),
        _ => Ok((corpus, kind, terms)),
    }
}

impl PlotArgs {
    /// Refuses the options given that mean nothing to `kind` (`--top` for bars), so
    /// that none is silently ignored.
    pub fn check(&self, kind: Kind) -> Result<(), Error> {
        use Kind::{Bars, Heatmap, Shift, Timeline, Trend};
        let options: [(&str, bool, &[Kind]); 9] = [
            (
                "--unit",
                !self.units.is_empty(),
                &[Bars, Heatmap, Timeline, Trend, Shift],
            ),
            ("--year", self.year.is_some(), &[Bars, Heatmap]),
            ("--theme", self.theme.is_some(), &[Heatmap, Timeline]),
            (
                "--level",
                self.level.is_some(),
                &[Bars, Heatmap, Timeline, Trend],
            ),
            (
                "--measure",
                self.measure.is_some(),
                &[Bars, Heatmap, Timeline, Trend],
            ),
            ("--top", self.top.is_some(), &[Heatmap]),
            ("--smooth", self.smooth.is_some(), &[Trend]),
            ("--office", self.office.is_some(), &[Shift]),
            ("--change", self.change.is_some(), &[Shift]),
        ];
        match options
            .iter()
            .find(|(_, given, kinds)| *given && !kinds.contains(&kind))
        {
            Some((option, _, kinds)) => {
                let kinds: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
                Err(Error::Plot {
                    reason: format!(
                        "{option} means nothing to {}: it is for {}",
                        kind.as_str(),
                        kinds.join(", ")
                    ),
                })
            }
            None => Ok(()),
        }
    }

    fn level(&self) -> GroupLevel {
        self.level.unwrap_or(LevelArg::County).into()
    }

    fn measure(&self) -> PlotMeasure {
        self.measure.unwrap_or(PlotMeasure::Per10k)
    }

    /// The measure of a theme figure.
    fn theme_measure(&self) -> Measure {
        match self.measure() {
            PlotMeasure::Per10k => Measure::Per10k,
            PlotMeasure::Share => Measure::TokenShare,
        }
    }

    /// The units given, each resolved at `groups`' level.
    fn districts(&self, groups: Groups<'_>) -> Result<Vec<District>, Error> {
        self.units.iter().map(|u| groups.one_named(u)).collect()
    }

    /// The one unit given.
    fn one_district(&self, groups: Groups<'_>, kind: Kind) -> Result<District, Error> {
        match &self.units[..] {
            [one] => groups.one_named(one),
            _ => Err(Error::Plot {
                reason: format!(
                    "{} draws one unit: give it with --unit NAME (once)",
                    kind.as_str()
                ),
            }),
        }
    }

    /// The theme asked for, if any.
    fn theme(&self, analysis: &Analysis) -> Result<Option<usize>, Error> {
        self.theme
            .as_deref()
            .map(|t| analysis.measurer.taxonomy.theme_named(t))
            .transpose()
    }
}

/// What `plot KIND` with `args` draws of `analysis`; `found` is the search of its terms
/// (trend, adoption).
pub fn spec(
    analysis: &Analysis,
    kind: Kind,
    args: &PlotArgs,
    found: Option<&Found>,
) -> Result<Spec, Error> {
    let level = args.level();
    let groups = analysis.at(level);
    let measure = args.theme_measure();
    Ok(match kind {
        Kind::Bars => {
            let district = args.one_district(groups, kind)?;
            let year = match &args.year {
                Some(year) => YearKey::parse(year)?,
                // As the dashboard opens a district: its latest year, else all years.
                None => groups
                    .of(district.key())
                    .iter()
                    .rev()
                    .find(|g| matches!(g.year, YearKey::Year(_)))
                    .map_or(YearKey::AllYears, |g| g.year),
            };
            Spec::Bars {
                level,
                district,
                year,
                measure,
            }
        }
        Kind::Heatmap => {
            let year = args
                .year
                .as_deref()
                .map_or(Ok(YearKey::AllYears), YearKey::parse)?;
            let theme = args.theme(analysis)?;
            let districts = if args.units.is_empty() {
                heatmap_rows(groups, year, theme, measure, args.top.unwrap_or(30))
            } else {
                args.districts(groups)?
            };
            Spec::Heatmap {
                level,
                districts,
                year,
                measure,
            }
        }
        Kind::Timeline => {
            let theme = args.theme(analysis)?.ok_or_else(|| Error::Plot {
                reason: "timeline draws one theme: give it with --theme NAME".to_owned(),
            })?;
            let districts = if args.units.is_empty() {
                // As the Timeline view does with no district pinned.
                groups.top_in(theme, measure, 5)
            } else {
                args.districts(groups)?
            };
            too_many_lines(districts.len())?;
            Spec::Timeline {
                level,
                districts,
                theme,
                measure,
            }
        }
        Kind::Trend => {
            let found = searched(found)?;
            let districts = args.districts(groups)?;
            let mut lines = Vec::new();
            for (series, mentions) in found.query.series.iter().zip(&found.series) {
                let term = series.label.clone();
                if districts.is_empty() {
                    let line = trend::corpus_line(analysis.at(GroupLevel::County).all, mentions);
                    lines.push(TrendLine { term, line });
                    continue;
                }
                // In district order, as `trend --by district-year` lists them.
                lines.extend(
                    trend::district_lines(groups.all, mentions)
                        .into_iter()
                        .filter(|l| l.district.as_ref().is_some_and(|d| districts.contains(d)))
                        .map(|line| TrendLine {
                            term: term.clone(),
                            line,
                        }),
                );
            }
            too_many_lines(lines.len())?;
            Spec::Trend {
                lines,
                value: match args.measure() {
                    PlotMeasure::Per10k => TrendValue::Per10k,
                    PlotMeasure::Share => TrendValue::Share,
                },
                smoothing: args.smooth.unwrap_or(0),
            }
        }
        Kind::Adoption => {
            let found = searched(found)?;
            let (Some(series), Some(mentions), 1) = (
                found.query.series.first(),
                found.series.first(),
                found.series.len(),
            ) else {
                return Err(Error::Term {
                    term: found
                        .query
                        .series
                        .iter()
                        .map(|s| s.label.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                    reason: "adoption follows one term (or terms added up with +)".to_owned(),
                });
            };
            Spec::Adoption {
                term: series.label.clone(),
                adoption: trend::adoption::adoption(
                    analysis,
                    analysis.at(GroupLevel::County).all,
                    mentions,
                ),
            }
        }
        Kind::Shift => {
            let county = analysis.at(GroupLevel::County);
            let district = args.one_district(county, kind)?;
            let unit = district.unit().map(|u| u.id.clone()).unwrap_or_default();
            let office = args.office.map(Office::from);
            let mut shifts = crate::shift::shifts_of(analysis, &unit, office);
            let describe = |s: &crate::shift::Shift| {
                let tenures = analysis.tenures();
                let (old, new) = (&tenures[s.change.before], &tenures[s.change.after]);
                format!("{} {} → {}", old.office, old.name, new.name)
            };
            let chosen = match (args.change, shifts.len()) {
                (_, 0) => {
                    return Err(Error::NothingToPlot {
                        reason: format!("no change of holder in {district}'s offices asked for"),
                    })
                }
                (None, 1) => 0,
                (Some(n), count) if (1..=count).contains(&n) => n - 1,
                (asked, _) => {
                    let listed: Vec<String> = shifts
                        .iter()
                        .enumerate()
                        .map(|(i, s)| format!("{} {}", i + 1, describe(s)))
                        .collect();
                    let what =
                        asked.map_or("which change".to_owned(), |n| format!("no change {n}"));
                    return Err(Error::Plot {
                        reason: format!(
                            "{what}: {district} has {}; give --change N",
                            listed.join(", ")
                        ),
                    });
                }
            };
            Spec::Shift {
                shift: shifts.swap_remove(chosen),
            }
        }
    })
}

/// The search of a trend or adoption figure's terms.
fn searched(found: Option<&Found>) -> Result<&Found, Error> {
    found.ok_or_else(|| Error::Plot {
        reason: "this figure follows a term: give it after the kind".to_owned(),
    })
}

fn too_many_lines(lines: usize) -> Result<(), Error> {
    if lines > MAX_LINES {
        return Err(Error::Plot {
            reason: format!(
                "{lines} lines are too many to tell apart; a figure draws at most {MAX_LINES} (give fewer units or terms)"
            ),
        });
    }
    Ok(())
}

/// A heat map's rows when no unit is given: the `top` units of `year` with the most
/// meetings (ties in district order), in district order; or, with a theme, the `top`
/// highest in it, highest first, as the Compare view sorts by a theme.
fn heatmap_rows(
    groups: Groups<'_>,
    year: YearKey,
    theme: Option<usize>,
    measure: Measure,
    top: usize,
) -> Vec<District> {
    let mut rows: Vec<(usize, &crate::aggregate::Group)> = groups
        .all
        .iter()
        .filter(|g| g.year == year)
        .enumerate()
        .collect();
    match theme {
        Some(theme) => rows.sort_by(|(i, a), (j, b)| {
            b.value(theme, measure)
                .total_cmp(&a.value(theme, measure))
                .then(i.cmp(j))
        }),
        None => {
            rows.sort_by(|(i, a), (j, b)| b.meetings.len().cmp(&a.meetings.len()).then(i.cmp(j)))
        }
    }
    rows.truncate(top);
    if theme.is_none() {
        rows.sort_by_key(|(i, _)| *i);
    }
    rows.into_iter().map(|(_, g)| g.district.clone()).collect()
}
