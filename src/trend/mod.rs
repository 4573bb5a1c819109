//! Any term over the years: how often a corpus's meetings say it, year by year and unit
//! by unit, and when each unit first said it (see [`adoption`]).
//!
//! A query's terms are looked for in every meeting's cleaned text — the text as it was
//! measured, from the kept cuts where there are some — as strings, not as the
//! segmenter's words, so a phrase counts wherever it stands. What a search finds is
//! small (the meetings that mention a series, with their hits); the lines over the
//! years are pooled from it and the analysis's district-year groups, whose meetings and
//! characters are the denominators.

pub mod adoption;
mod query;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

pub use query::{Query, Series, MAX_TERM_CHARS, WILDCARD_CHARS};

use crate::aggregate::{District, Group, YearKey};
use crate::analysis::Analysis;
use crate::ingest::Options;
use crate::measure::per_10k;

/// A meeting that mentions a series, and how often.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// The meeting, by index in [`Analysis::meetings`].
    pub meeting: usize,
    /// How many times its text holds one of the series' terms.
    pub hits: u32,
}

/// The meetings that mention one series, in meeting order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mentions {
    /// Only meetings with at least one hit.
    pub meetings: Vec<Mention>,
}

impl Mentions {
    /// The hits of meeting `m`; 0 if it does not mention the series.
    pub fn hits_in(&self, m: usize) -> u32 {
        self.meetings
            .binary_search_by_key(&m, |x| x.meeting)
            .map_or(0, |at| self.meetings[at].hits)
    }

    /// The meetings of `meetings` that mention the series, in their order.
    pub fn among(&self, meetings: &[usize]) -> Vec<usize> {
        meetings
            .iter()
            .copied()
            .filter(|&m| self.hits_in(m) > 0)
            .collect()
    }
}

/// What a search of the corpus found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// What was looked for.
    pub query: Query,
    /// For each series of the query, in its order, the meetings that mention it.
    pub series: Vec<Mentions>,
    /// One note for each meeting whose text could not be read: its characters still
    /// count in the denominators, its hits do not.
    pub unread: Vec<String>,
}

/// How far a search has got, and its stop switch; shared with whoever shows it.
#[derive(Debug, Default)]
pub struct Searching {
    /// Meetings searched so far.
    pub done: AtomicUsize,
    /// Set to stop the search at its next meeting.
    pub cancel: AtomicBool,
}

/// Searches every meeting's text for the query's series, on every core. None if
/// cancelled through `progress`.
pub fn search(
    analysis: &Analysis,
    query: &Query,
    options: &Options,
    progress: &Searching,
) -> Option<Found> {
    let texts = analysis.texts(options);
    let series = query.series.len();
    let empty = || (vec![Vec::new(); series], Vec::new());
    let (mut found, unread) = (0..analysis.meetings.len())
        .into_par_iter()
        .with_min_len(64)
        .try_fold_with(
            (empty(), Vec::new()),
            |((mut found, mut unread), mut buffer), m| {
                if progress.cancel.load(Ordering::Relaxed) {
                    return None;
                }
                match texts.bytes(m, &mut buffer) {
                    Ok(text) => {
                        for (s, series) in query.series.iter().enumerate() {
                            let (hits, _) = series.count(&text);
                            if hits > 0 {
                                found[s].push(Mention { meeting: m, hits });
                            }
                        }
                    }
                    Err(why) => unread.push(format!("{why}; its mentions are not counted")),
                }
                progress.done.fetch_add(1, Ordering::Relaxed);
                Some(((found, unread), buffer))
            },
        )
        .map(|part| part.map(|(found, _buffer)| found))
        .try_reduce(empty, |(mut found, mut unread), (more, more_unread)| {
            for (mine, theirs) in found.iter_mut().zip(more) {
                mine.extend(theirs);
            }
            unread.extend(more_unread);
            Some((found, unread))
        })?;
    // The parts come back in no set order.
    for mentions in &mut found {
        mentions.sort_unstable_by_key(|m| m.meeting);
    }
    Some(Found {
        query: query.clone(),
        series: found
            .into_iter()
            .map(|meetings| Mentions { meetings })
            .collect(),
        unread,
    })
}

/// One year of a series' line: how much of the year's reports mention it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Point {
    /// The work year, or undated.
    pub year: YearKey,
    /// Meetings of the year.
    pub meetings: usize,
    /// Of those, the meetings that mention the series at least once.
    pub mentioning: usize,
    /// The series' hits in them.
    pub hits: u64,
    /// Han characters of the year's meetings: the denominator of [`Point::per_10k`].
    pub chars: usize,
}

impl Point {
    /// Hits per 10,000 characters.
    pub fn per_10k(&self) -> f64 {
        per_10k(self.hits as f64, self.chars)
    }

    /// The share of meetings that mention the series, 0–1.
    pub fn share(&self) -> f64 {
        if self.meetings == 0 {
            0.0
        } else {
            self.mentioning as f64 / self.meetings as f64
        }
    }

    fn add(&mut self, group: &Group, mentions: &Mentions) {
        self.meetings += group.meetings.len();
        self.chars += group.chars;
        for &m in &group.meetings {
            let hits = mentions.hits_in(m);
            self.mentioning += usize::from(hits > 0);
            self.hits += u64::from(hits);
        }
    }
}

/// What a trend's values are: a chart's y axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrendValue {
    /// Hits per 10,000 Han characters.
    Per10k,
    /// The share of meetings that mention the series.
    Share,
}

impl TrendValue {
    /// A point's value.
    pub fn of(self, point: &Point) -> f64 {
        match self {
            TrendValue::Per10k => point.per_10k(),
            TrendValue::Share => point.share(),
        }
    }

    /// The value as the screen prints it.
    pub fn format(self, value: f64) -> String {
        match self {
            TrendValue::Per10k => format!("{value:.2}"),
            TrendValue::Share => format!("{:.0}%", value * 100.0),
        }
    }

    /// Its short name, for the tab bar.
    pub fn short(self) -> &'static str {
        match self {
            TrendValue::Per10k => "hits/10k chars",
            TrendValue::Share => "% meetings",
        }
    }

    /// What it is counted against, for the status line.
    pub fn denominator(self) -> &'static str {
        match self {
            TrendValue::Per10k => "Han characters of the year's meetings",
            TrendValue::Share => "the year's meetings",
        }
    }

    /// What the value is, named on screen.
    pub fn describe(self) -> &'static str {
        match self {
            TrendValue::Per10k => "hits per 10k characters",
            TrendValue::Share => "share of meetings mentioning it",
        }
    }
}

/// A series over the years, for one district or the whole corpus.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The district, None for the whole corpus.
    pub district: Option<District>,
    /// Its years with reports, in order (undated last).
    pub points: Vec<Point>,
}

/// The series' line for the whole corpus, pooled from `groups` (one level's groups; the
/// all-years ones are left out).
pub fn corpus_line(groups: &[Group], mentions: &Mentions) -> Line {
    let mut years: BTreeMap<YearKey, Point> = BTreeMap::new();
    for group in groups.iter().filter(|g| g.year != YearKey::AllYears) {
        years
            .entry(group.year)
            .or_insert_with(|| empty_point(group.year))
            .add(group, mentions);
    }
    Line {
        district: None,
        points: years.into_values().collect(),
    }
}

/// The series' line of each district of `groups`, in their order.
pub fn district_lines(groups: &[Group], mentions: &Mentions) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    for group in groups.iter().filter(|g| g.year != YearKey::AllYears) {
        let mut point = empty_point(group.year);
        point.add(group, mentions);
        match lines.last_mut() {
            Some(line) if line.district.as_ref() == Some(&group.district) => {
                line.points.push(point);
            }
            _ => lines.push(Line {
                district: Some(group.district.clone()),
                points: vec![point],
            }),
        }
    }
    lines
}

fn empty_point(year: YearKey) -> Point {
    Point {
        year,
        meetings: 0,
        mentioning: 0,
        hits: 0,
        chars: 0,
    }
}

/// A moving average over ±`years` years of the dated values, each year's value the
/// mean of the values of the years within reach. A year without reports has no value
/// and is left out of its neighbours' means (it is a gap, not a zero); at the ends of
/// the range the window is what there is on the one side. 0 leaves the values as they
/// are.
pub fn smoothed(values: &[(i32, f64)], years: u32) -> Vec<(i32, f64)> {
    let reach = i64::from(years);
    values
        .iter()
        .map(|&(year, _)| {
            let near: Vec<f64> = values
                .iter()
                .filter(|(y, _)| (i64::from(*y) - i64::from(year)).abs() <= reach)
                .map(|&(_, v)| v)
                .collect();
            (year, near.iter().sum::<f64>() / near.len() as f64)
        })
        .collect()
}

/// The dated points of `line` as (year, value) pairs, for [`smoothed`] and charts.
pub fn dated(line: &Line, value: impl Fn(&Point) -> f64) -> Vec<(i32, f64)> {
    line.points
        .iter()
        .filter_map(|p| Some((p.year.year()?, value(p))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smoothing_averages_what_is_in_reach_and_leaves_gaps_out() {
        let values = [(2018, 1.0), (2019, 3.0), (2020, 5.0), (2022, 9.0)];
        assert_eq!(smoothed(&values, 0), values);
        // 2018 has only 2019 beside it; 2021 has no reports, so 2020 and 2022 each
        // average without it.
        assert_eq!(
            smoothed(&values, 1),
            [(2018, 2.0), (2019, 3.0), (2020, 4.0), (2022, 9.0)]
        );
        assert_eq!(smoothed(&values, 2)[3], (2022, 7.0));
    }
}
