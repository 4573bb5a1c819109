//! Priorities before and after a change of leader: each theme's weight in a unit's
//! meetings within the outgoing holder's tenure and within the incoming one's, pooled
//! as everywhere else (sum of weighted hits ÷ sum of Han characters), with a test of
//! the difference, and the words that became more and less frequent.
//!
//! The test is the log-likelihood G² of corpus linguistics (Dunning; Rayson and Garside's
//! form): the theme's weighted hits on each side against what the sides' characters
//! would lead one to expect — the test used for word counts, which unlike a t-test on
//! meeting shares needs no normal distribution and copes with rare words — with its
//! p-value from χ² with one degree of freedom. Meetings dated between
//! the last sighting of one holder and the first of the next belong to neither side:
//! when the office changed hands in that gap is unknown.

use std::ops::RangeInclusive;

use rustc_hash::FxHashMap;

use crate::aggregate::{log_likelihood, MIN_KEYNESS_COUNT};
use crate::analysis::{Analysis, MeasuredMeeting};
use crate::error::Error;
use crate::ingest::Options;
use crate::measure::{per_10k, Measure};
use crate::meeting::{Date, Office};
use crate::tenure::{self, Change, Tenure};

/// A side with fewer meetings than this is too small to mean anything.
pub const MIN_MEETINGS: usize = 3;
/// A side with fewer Han characters than this is too small to mean anything.
pub const MIN_CHARS: usize = 5_000;
/// The window of the comparison across units: a year before the outgoing holder's last
/// sighting, a year from the incoming one's first.
pub const YEAR_DAYS: i64 = 365;

/// Meetings pooled: their count, characters, words and weighted hits per theme.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pool {
    /// The meetings, by index in the corpus order, in date order.
    pub meetings: Vec<usize>,
    /// Han characters: the per-10k denominator.
    pub chars: usize,
    /// Content words: the token-share denominator.
    pub tokens: usize,
    /// Weighted hits per theme, in the taxonomy's order.
    pub hits: Vec<f64>,
}

impl Pool {
    fn of(meetings: &[MeasuredMeeting], indices: Vec<usize>, themes: usize) -> Pool {
        let mut pool = Pool {
            hits: vec![0.0; themes],
            ..Pool::default()
        };
        for &i in &indices {
            let m = &meetings[i].measures;
            pool.chars += m.chars;
            pool.tokens += m.tokens;
            for (sum, count) in pool.hits.iter_mut().zip(&m.themes) {
                *sum += count.hits;
            }
        }
        pool.meetings = indices;
        pool
    }

    /// Theme `theme`'s weight under `measure`.
    pub fn value(&self, theme: usize, measure: Measure) -> f64 {
        measure.value(self.hits[theme], self.chars, self.tokens)
    }

    /// Too small to mean anything: under [`MIN_MEETINGS`] or [`MIN_CHARS`].
    pub fn thin(&self) -> bool {
        self.meetings.len() < MIN_MEETINGS || self.chars < MIN_CHARS
    }
}

/// Each unit's dated meetings in date order, to find those of a span by bisection: a
/// corpus has thousands of tenures, and scanning every meeting for each would not do.
pub struct Calendar<'a> {
    meetings: &'a [MeasuredMeeting],
    themes: usize,
    by_unit: FxHashMap<&'a str, Vec<(Date, usize)>>,
}

impl<'a> Calendar<'a> {
    /// The calendar of `analysis`'s meetings.
    pub fn of(analysis: &'a Analysis) -> Calendar<'a> {
        let mut by_unit: FxHashMap<&str, Vec<(Date, usize)>> = FxHashMap::default();
        for (i, m) in analysis.meetings.iter().enumerate() {
            if let (Some(holder), Some(date)) = (&m.meeting.district, &m.meeting.date) {
                by_unit
                    .entry(holder.value.unit.id.as_str())
                    .or_default()
                    .push((date.value, i));
            }
        }
        for days in by_unit.values_mut() {
            days.sort_unstable();
        }
        Calendar {
            meetings: &analysis.meetings,
            themes: analysis.measurer.taxonomy.themes.len(),
            by_unit,
        }
    }

    /// The meetings of unit `unit` dated within `days`, pooled.
    pub fn pool(&self, unit: &str, days: RangeInclusive<Date>) -> Pool {
        let dated = self.by_unit.get(unit).map_or(&[][..], Vec::as_slice);
        let from = dated.partition_point(|(d, _)| d < days.start());
        let to = dated.partition_point(|(d, _)| d <= days.end());
        let indices = dated[from..to.max(from)].iter().map(|&(_, i)| i).collect();
        Pool::of(self.meetings, indices, self.themes)
    }

    /// The unit's meetings dated within the tenure's span, pooled; none for an undated
    /// tenure.
    pub fn tenure(&self, tenure: &Tenure) -> Pool {
        match (tenure.first_seen, tenure.last_seen) {
            (Some(first), Some(last)) => self.pool(&tenure.unit.id, first..=last),
            _ => self.empty(),
        }
    }

    /// No meetings, pooled.
    fn empty(&self) -> Pool {
        Pool::of(self.meetings, Vec::new(), self.themes)
    }
}

/// One theme before and after a change.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeShift {
    /// The theme's index in the taxonomy.
    pub theme: usize,
    /// Hits per 10,000 characters before.
    pub before: f64,
    /// Hits per 10,000 characters after.
    pub after: f64,
    /// Signed G²: above 0 the theme weighs more after.
    pub g2: f64,
    /// The probability of a G² this large if nothing changed (χ², 1 df).
    pub p: f64,
    /// Fewer than [`MIN_KEYNESS_COUNT`] hits on both sides together: the test is
    /// unreliable.
    pub low_count: bool,
}

impl ThemeShift {
    /// After minus before, per 10,000 characters.
    pub fn difference(&self) -> f64 {
        self.after - self.before
    }
}

/// A change of holder and the themes of the unit's meetings before and after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Shift {
    /// The change: the tenures' indices in the analysis's list.
    pub change: Change,
    /// The unit's meetings dated within the outgoing tenure.
    pub before: Pool,
    /// The unit's meetings dated within the incoming tenure.
    pub after: Pool,
    /// Every theme, in the taxonomy's order.
    pub themes: Vec<ThemeShift>,
}

impl Shift {
    /// Either side is too small to mean anything.
    pub fn thin(&self) -> bool {
        self.before.thin() || self.after.thin()
    }
}

/// The themes of `after` against `before`.
pub fn compare(before: &Pool, after: &Pool) -> Vec<ThemeShift> {
    (0..before.hits.len())
        .map(|theme| {
            let (a, b) = (after.hits[theme], before.hits[theme]);
            let g2 = log_likelihood(a, b, after.chars as f64, before.chars as f64);
            ThemeShift {
                theme,
                before: per_10k(b, before.chars),
                after: per_10k(a, after.chars),
                g2,
                p: chi_square_1_p(g2.abs()),
                low_count: a + b < f64::from(MIN_KEYNESS_COUNT),
            }
        })
        .collect()
}

/// The upper tail of χ² with one degree of freedom at `x`: erfc(√(x/2)).
pub fn chi_square_1_p(x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    erfc((x / 2.0).sqrt())
}

/// The complementary error function for x ≥ 0, by the continued-fraction-free rational
/// approximation of Numerical Recipes (erfcc), fractional error under 1.2e-7 everywhere:
/// enough for a p-value, and no dependency for one function.
fn erfc(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.5 * x);
    let poly = -x * x - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    t * poly.exp()
}

/// The shift of every change of holder of `unit`'s offices (`office`, or both), in the
/// order of the tenures.
pub fn shifts_of(analysis: &Analysis, unit: &str, office: Option<Office>) -> Vec<Shift> {
    let calendar = Calendar::of(analysis);
    tenure::changes(analysis.tenures())
        .into_iter()
        .filter(|c| {
            let t = &analysis.tenures()[c.before];
            t.unit.id == unit && office.is_none_or(|o| o == t.office)
        })
        .map(|change| shift(&calendar, analysis.tenures(), change))
        .collect()
}

/// One change's shift. The sides never share a meeting: a day on which both holders are
/// seen (flagged as a conflict) belongs to neither.
pub fn shift(calendar: &Calendar, tenures: &[Tenure], change: Change) -> Shift {
    let (old, new) = (&tenures[change.before], &tenures[change.after]);
    let side = |t: &Tenure, from: Option<Date>, to: Option<Date>| match (from, to) {
        (Some(from), Some(to)) => calendar.pool(&t.unit.id, from..=to),
        _ => calendar.empty(),
    };
    let shared = match (old.last_seen, new.first_seen) {
        (Some(last), Some(first)) => first <= last,
        _ => false,
    };
    let (old_to, new_from) = if shared {
        (
            new.first_seen.map(|d| d.plus_days(-1)),
            old.last_seen.map(|d| d.plus_days(1)),
        )
    } else {
        (old.last_seen, new.first_seen)
    };
    let before = side(old, old.first_seen, old_to);
    let after = side(new, new_from, new.last_seen);
    Shift {
        change,
        themes: compare(&before, &after),
        before,
        after,
    }
}

/// A before/after's themes in the order the panel lists them: the largest rise first,
/// the largest fall last, ties in taxonomy order.
pub fn shift_order(shift: &Shift) -> Vec<usize> {
    let mut order: Vec<usize> = (0..shift.themes.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&shift.themes[a], &shift.themes[b]);
        y.difference().total_cmp(&x.difference()).then(a.cmp(&b))
    });
    order
}

/// How theme weights moved on average across changes of holder: for each change, the
/// unit's meetings in the [`YEAR_DAYS`] up to the outgoing holder's last sighting
/// against those in the year from the incoming one's first, each within its holder's
/// tenure.
#[derive(Debug, Clone, PartialEq)]
pub struct AverageShift {
    /// Changes with meetings on both sides: what the averages rest on.
    pub changes: usize,
    /// Changes left out for having no meeting on a side.
    pub left_out: usize,
    /// Per theme, the mean of (after − before) per 10,000 characters over the changes.
    pub mean_difference: Vec<f64>,
    /// Per theme, how many of the changes raised it.
    pub rose: Vec<usize>,
}

/// The average shift over the changes of `office` in the units `keep` admits.
pub fn average_shift(
    analysis: &Analysis,
    office: Office,
    keep: impl Fn(&Tenure) -> bool,
) -> AverageShift {
    let calendar = Calendar::of(analysis);
    let themes = analysis.measurer.taxonomy.themes.len();
    let mut average = AverageShift {
        changes: 0,
        left_out: 0,
        mean_difference: vec![0.0; themes],
        rose: vec![0; themes],
    };
    for change in tenure::changes(analysis.tenures()) {
        let (old, new) = (
            &analysis.tenures()[change.before],
            &analysis.tenures()[change.after],
        );
        if old.office != office || !keep(old) {
            continue;
        }
        let (Some(last), Some(first)) = (old.last_seen, new.first_seen) else {
            continue;
        };
        // A year each side, but within each holder's own tenure.
        let since = last
            .plus_days(-YEAR_DAYS)
            .max(old.first_seen.unwrap_or(last));
        let until = first
            .plus_days(YEAR_DAYS)
            .min(new.last_seen.unwrap_or(first));
        let before = calendar.pool(&old.unit.id, since..=last);
        let after = calendar.pool(&new.unit.id, first..=until);
        if before.meetings.is_empty() || after.meetings.is_empty() {
            average.left_out += 1;
            continue;
        }
        average.changes += 1;
        for theme in 0..themes {
            let d = after.value(theme, Measure::Per10k) - before.value(theme, Measure::Per10k);
            average.mean_difference[theme] += d;
            average.rose[theme] += usize::from(d > 0.0);
        }
    }
    if average.changes > 0 {
        for d in &mut average.mean_difference {
            *d /= average.changes as f64;
        }
    }
    average
}

/// A word's keyness after against before.
#[derive(Debug, Clone, PartialEq)]
pub struct WordShift {
    /// The word.
    pub word: String,
    /// Occurrences before and after.
    pub before: u32,
    /// See `before`.
    pub after: u32,
    /// Signed G²: above 0 more frequent after.
    pub g2: f64,
}

/// The words whose frequency moved most with a change.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WordShifts {
    /// More frequent after, strongest first.
    pub more: Vec<WordShift>,
    /// Less frequent after, strongest first.
    pub less: Vec<WordShift>,
    /// The meetings whose text could not be read again, left out.
    pub unreadable: Vec<Error>,
}

/// The `n` words that became most more frequent and the `n` most less frequent after the
/// change (keyness, after vs before), from the texts of both sides read again: the
/// analysis keeps no per-meeting words. Words seen fewer than [`MIN_KEYNESS_COUNT`]
/// times on both sides together are left out, and so are people's names (the sides'
/// speakers and leaders, and words jieba tags as names): the new holder's name would top
/// the list. None if `cancelled` says stop before the texts are all read.
pub fn word_shifts(
    analysis: &Analysis,
    shift: &Shift,
    n: usize,
    options: &Options,
    cancelled: &dyn Fn() -> bool,
) -> Option<WordShifts> {
    let sides = || shift.before.meetings.iter().chain(&shift.after.meetings);
    let names: rustc_hash::FxHashSet<&str> = sides()
        .flat_map(|&m| {
            let m = &analysis.meetings[m].meeting;
            m.speakers
                .iter()
                .map(|s| s.name.as_str())
                .chain(m.leaders.iter().map(|l| l.name.as_str()))
        })
        .collect();
    let segmenter = analysis.measurer.segmenter();
    let is_name = |w: &str| names.contains(w) || segmenter.is_person_name(w);
    let mut unreadable = Vec::new();
    let mut count = |side: &Pool| {
        let mut counts: FxHashMap<String, u32> = FxHashMap::default();
        for &m in &side.meetings {
            if cancelled() {
                return None;
            }
            match analysis.text(m, options) {
                Ok(text) => {
                    for (word, c) in analysis.measurer.measure(&text).words.iter() {
                        *counts.entry(word.to_owned()).or_default() += c;
                    }
                }
                Err(why) => unreadable.push(why),
            }
        }
        Some(counts)
    };
    let (mut before, mut after) = (count(&shift.before)?, count(&shift.after)?);
    before.retain(|w, _| !is_name(w));
    after.retain(|w, _| !is_name(w));
    let total = |c: &FxHashMap<String, u32>| c.values().map(|&n| f64::from(n)).sum::<f64>();
    let (total_before, total_after) = (total(&before), total(&after));
    let mut words: Vec<WordShift> = before
        .keys()
        .chain(after.keys().filter(|w| !before.contains_key(*w)))
        .map(|w| {
            let (b, a) = (
                before.get(w).copied().unwrap_or(0),
                after.get(w).copied().unwrap_or(0),
            );
            WordShift {
                word: w.clone(),
                before: b,
                after: a,
                g2: log_likelihood(f64::from(a), f64::from(b), total_after, total_before),
            }
        })
        .filter(|w| w.before + w.after >= MIN_KEYNESS_COUNT)
        .collect();
    words.sort_by(|x, y| y.g2.total_cmp(&x.g2).then_with(|| x.word.cmp(&y.word)));
    Some(WordShifts {
        more: words
            .iter()
            .filter(|w| w.g2 > 0.0)
            .take(n)
            .cloned()
            .collect(),
        less: words
            .iter()
            .rev()
            .filter(|w| w.g2 < 0.0)
            .take(n)
            .cloned()
            .collect(),
        unreadable,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(meetings: usize, chars: usize, hits: &[f64]) -> Pool {
        Pool {
            meetings: (0..meetings).collect(),
            chars,
            tokens: chars / 2,
            hits: hits.to_vec(),
        }
    }

    #[test]
    fn a_shift_pins_its_arithmetic_and_its_test() {
        // 20 hits in 10,000 characters before, 60 in 20,000 after.
        let before = pool(4, 10_000, &[20.0, 5.0]);
        let after = pool(5, 20_000, &[60.0, 1.0]);
        let got = compare(&before, &after);
        assert_eq!((got[0].before, got[0].after), (20.0, 30.0));
        assert!((got[0].difference() - 10.0).abs() < 1e-12);
        // G² by hand: expected after 80·2/3, before 80/3;
        // 2·(60·ln(60/53.333) + 20·ln(20/26.667)) = 2.6267.
        assert!((got[0].g2 - 2.626_7).abs() < 1e-3, "{}", got[0].g2);
        // χ²(1) tail at 2.6267 is 0.1051.
        assert!((got[0].p - 0.105_1).abs() < 1e-3, "{}", got[0].p);
        assert!(!got[0].low_count);
        // Fewer after: negative; 6 hits in all is past the low-count line (5)…
        assert!(got[1].g2 < 0.0);
        assert!(!got[1].low_count);
        let rare = compare(&pool(3, 10_000, &[1.0]), &pool(3, 10_000, &[2.0]));
        assert!(rare[0].low_count);
    }

    #[test]
    fn chi_square_tail_matches_the_tables() {
        assert!((chi_square_1_p(3.841) - 0.05).abs() < 1e-4);
        assert!((chi_square_1_p(6.635) - 0.01).abs() < 1e-4);
        assert!((chi_square_1_p(10.828) - 0.001).abs() < 1e-5);
        assert_eq!(chi_square_1_p(0.0), 1.0);
    }

    #[test]
    fn a_side_under_the_minimums_is_thin() {
        assert!(pool(2, 50_000, &[1.0]).thin());
        assert!(pool(10, 4_999, &[1.0]).thin());
        assert!(!pool(3, 5_000, &[1.0]).thin());
    }
}
