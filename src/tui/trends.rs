//! The Trends view's state: a query's answer as a worker worked it out, the queries of
//! the session, and what the view shows of an answer (which lines, which value, how
//! smoothed, which point). Nothing here reads a file or searches: the search is a
//! [`super::message::Job::Trend`].

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::aggregate::{District, GroupLevel, YearKey};
use crate::analysis::Analysis;
use crate::trend::adoption::{adoption, Adoption};
pub use crate::trend::TrendValue;
use crate::trend::{self, Found, Line, Point};

use super::message::Ticket;

/// Lines a chart draws at most: more could not be told apart.
pub const MAX_LINES: usize = 12;

/// Smoothing goes up to ±this many years, then back to none.
pub const MAX_SMOOTHING: u32 = 3;

/// A query answered: where its series stand, pooled for every way the view draws them.
#[derive(Debug)]
pub struct TrendAnswer {
    /// What the search found.
    pub found: Found,
    /// Each series over the whole corpus.
    pub corpus: Vec<Line>,
    /// Each series' line of every district at `level`.
    pub districts: Vec<Vec<Line>>,
    /// Each series' line of every province.
    pub provinces: Vec<Vec<Line>>,
    /// The level `districts` are at: the level the dashboard showed when it was asked.
    pub level: GroupLevel,
    /// How each series spread over the county-level units.
    pub adoption: Vec<Adoption>,
}

impl TrendAnswer {
    /// Pools what `found` found at every scope (pooling the levels it needs: this runs
    /// on a worker).
    pub fn of(analysis: &Analysis, found: Found, level: GroupLevel) -> TrendAnswer {
        let county = analysis.at(GroupLevel::County).all;
        let at_level = analysis.at(level).all;
        let provinces = analysis.at(GroupLevel::Province).all;
        TrendAnswer {
            corpus: found
                .series
                .iter()
                .map(|m| trend::corpus_line(county, m))
                .collect(),
            districts: found
                .series
                .iter()
                .map(|m| trend::district_lines(at_level, m))
                .collect(),
            provinces: found
                .series
                .iter()
                .map(|m| trend::district_lines(provinces, m))
                .collect(),
            adoption: found
                .series
                .iter()
                .map(|m| adoption(analysis, county, m))
                .collect(),
            level,
            found,
        }
    }
}

/// Whose lines the chart draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrendScope {
    /// One line a series: the whole corpus.
    Corpus,
    /// A line a series and pinned district.
    Pinned,
    /// A line a series and province, the provinces that mention it most.
    Provinces,
}

impl TrendScope {
    /// The next scope, as the key cycles them.
    pub fn next(self) -> TrendScope {
        match self {
            TrendScope::Corpus => TrendScope::Pinned,
            TrendScope::Pinned => TrendScope::Provinces,
            TrendScope::Provinces => TrendScope::Corpus,
        }
    }

    /// How the chart's title names it.
    pub fn describe(self) -> &'static str {
        match self {
            TrendScope::Corpus => "whole corpus",
            TrendScope::Pinned => "pinned units",
            TrendScope::Provinces => "per province",
        }
    }
}

/// Which part of the view has the arrows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrendFocus {
    /// The chart: ↑↓ a line, ←→ a year.
    Chart,
    /// The list of first mentions.
    Adoption,
}

/// A search under way.
#[derive(Debug, Clone)]
pub struct TrendLoad {
    pub(crate) ticket: Ticket,
    /// The query's key in [`Trends::answers`].
    pub key: String,
    /// Meetings searched so far, of `total`.
    pub done: usize,
    /// The meetings of the corpus.
    pub total: usize,
}

/// A line the chart draws: its series, its legend, its points.
#[derive(Debug, Clone, Copy)]
pub struct ShownLine<'a> {
    /// The series, by index in the query.
    pub series: usize,
    /// The line's district, None for the whole corpus.
    pub district: Option<&'a District>,
    /// Its points.
    pub line: &'a Line,
}

/// The Trends view's state.
#[derive(Debug)]
pub struct Trends {
    /// The query shown, by its key in `answers`; the answer may still be on its way.
    pub shown: Option<String>,
    /// Every query answered this session, by key (its series' labels), for the analysis
    /// shown: a query asked again is answered from here at once.
    pub answers: HashMap<String, Arc<TrendAnswer>>,
    /// The queries typed, oldest first, each once: ↑/↓ in the query line.
    pub history: Vec<String>,
    /// Where ↑/↓ are in `history` while the query line is open.
    pub history_at: Option<usize>,
    /// The search under way.
    pub load: Option<TrendLoad>,
    /// Why the last query typed could not mean anything.
    pub error: Option<String>,
    /// Whose lines are drawn.
    pub scope: TrendScope,
    /// What the y axis is.
    pub value: TrendValue,
    /// A moving average over ±this many years; 0 for none.
    pub smoothing: u32,
    /// The selected line: an index into [`Trends::lines`].
    pub line: usize,
    /// The selected year: an index into [`Trends::years`].
    pub year: usize,
    /// Which part has the arrows.
    pub focus: TrendFocus,
    /// The selected first mention of the adoption list.
    pub first_mention: usize,
    /// The analysis whose texts were made ready for a search. Held weakly: its
    /// allocation outlives it, so another analysis is never taken for it.
    pub(crate) prepared: Option<std::sync::Weak<Analysis>>,
}

impl Default for Trends {
    fn default() -> Trends {
        Trends {
            shown: None,
            answers: HashMap::new(),
            history: Vec::new(),
            history_at: None,
            load: None,
            error: None,
            scope: TrendScope::Corpus,
            value: TrendValue::Per10k,
            smoothing: 0,
            line: 0,
            year: 0,
            focus: TrendFocus::Chart,
            first_mention: 0,
            prepared: None,
        }
    }
}

impl Trends {
    /// The answer shown, once it has arrived.
    pub fn answer(&self) -> Option<&Arc<TrendAnswer>> {
        self.answers.get(self.shown.as_ref()?)
    }

    /// The lines the chart draws of `answer`, at most [`MAX_LINES`]: per province, the
    /// provinces with the most hits over all the series.
    pub fn lines<'a>(
        &self,
        answer: &'a TrendAnswer,
        pinned: &BTreeSet<District>,
    ) -> Vec<ShownLine<'a>> {
        let each = |lines: &'a [Vec<Line>], keep: &dyn Fn(&District) -> bool| {
            lines
                .iter()
                .enumerate()
                .flat_map(|(series, lines)| {
                    lines
                        .iter()
                        .filter(|l| l.district.as_ref().is_some_and(keep))
                        .map(move |line| ShownLine {
                            series,
                            district: line.district.as_ref(),
                            line,
                        })
                })
                .take(MAX_LINES)
                .collect::<Vec<_>>()
        };
        match self.scope {
            TrendScope::Corpus => answer
                .corpus
                .iter()
                .enumerate()
                .map(|(series, line)| ShownLine {
                    series,
                    district: None,
                    line,
                })
                .take(MAX_LINES)
                .collect(),
            TrendScope::Pinned => each(&answer.districts, &|d| pinned.contains(d)),
            TrendScope::Provinces => {
                let series = answer.provinces.len().max(1);
                let mut hits: HashMap<&District, u64> = HashMap::new();
                for line in answer.provinces.iter().flatten() {
                    if let Some(d) = &line.district {
                        *hits.entry(d).or_default() +=
                            line.points.iter().map(|p| p.hits).sum::<u64>();
                    }
                }
                let mut most: Vec<(&District, u64)> =
                    hits.into_iter().filter(|(_, h)| *h > 0).collect();
                most.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
                let kept: BTreeSet<&District> = most
                    .iter()
                    .take((MAX_LINES / series).max(1))
                    .map(|(d, _)| *d)
                    .collect();
                each(&answer.provinces, &|d| kept.contains(d))
            }
        }
    }

    /// The years the lines have, in order: the chart's x axis.
    pub fn years(lines: &[ShownLine<'_>]) -> Vec<i32> {
        let years: BTreeSet<i32> = lines
            .iter()
            .flat_map(|l| l.line.points.iter().filter_map(|p| p.year.year()))
            .collect();
        years.into_iter().collect()
    }

    /// A line's (year, value) pairs as drawn: the value asked for, smoothed as asked.
    pub fn values(&self, line: &Line) -> Vec<(i32, f64)> {
        trend::smoothed(&trend::dated(line, |p| self.value.of(p)), self.smoothing)
    }

    /// The point of `line` at `year`, if it has reports that year.
    pub fn point(line: &Line, year: i32) -> Option<&Point> {
        line.points.iter().find(|p| p.year == YearKey::Year(year))
    }
}
