//! Stage 6: meetings pooled into district-years.
//!
//! A group's density is pooled — the sum of its meetings' hits over the sum of their
//! characters — not a mean of per-meeting ratios, so a short meeting weighs as much as
//! its length. Meetings without a year form their district's `undated` group and are
//! never dropped; every district also has an `all years` group.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::gazetteer::UnitRef;
use crate::ingest::Meeting;
use crate::measure::{Measure, MeetingMeasures};
use crate::vocabulary::{Vocabulary, WordCounts};

/// Which years a group covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum YearKey {
    Year(i32),
    Undated,
    AllYears,
}

impl fmt::Display for YearKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            YearKey::Year(y) => write!(f, "{y}"),
            YearKey::Undated => f.write_str("undated"),
            YearKey::AllYears => f.write_str("all years"),
        }
    }
}

impl YearKey {
    /// `year` in JSON and CSV: the year, or null/empty for undated; `all years` groups
    /// are not exported by year.
    pub fn year(self) -> Option<i32> {
        match self {
            YearKey::Year(y) => Some(y),
            _ => None,
        }
    }
}

/// A word that is unusually frequent (positive score) or rare (negative) in a group
/// compared with the rest of the corpus: signed Dunning log-likelihood (G²).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Keyness {
    /// The word's id in the vocabulary the groups were made with.
    pub word: u32,
    pub score: f64,
    /// Occurrences in the group.
    pub count: u32,
    /// Too few occurrences for the score to mean anything.
    pub low_count: bool,
}

/// Below this many occurrences in a group a keyness score is flagged: G² is unreliable
/// for expected frequencies under about 5.
pub const MIN_KEYNESS_COUNT: u32 = 5;

/// How many keywords a group keeps for its bars.
const TOP_WORDS: usize = 30;

/// One district-year (or a district's undated or all-years group).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// None for meetings whose district is unknown. Groups are keyed by the unit's id,
    /// never its name: two 鼓楼区 are two groups, 双流县 and 双流区 one.
    pub district: Option<UnitRef>,
    pub year: YearKey,
    /// Indices of its meetings in the corpus order.
    pub meetings: Vec<usize>,
    pub chars: usize,
    pub tokens: usize,
    /// Pooled weighted hits per theme.
    pub hits: Vec<f64>,
    /// Shannon entropy (bits) of the theme shares of hits: 0 when one theme has all.
    pub entropy: f64,
    /// The most frequent words, as (word id, count): ids, not strings, because a large
    /// corpus has tens of thousands of groups and each keeps dozens of words.
    pub top_words: Vec<(u32, u32)>,
    pub distinctive: Vec<Keyness>,
}

impl Group {
    pub fn value(&self, theme: usize, measure: Measure) -> f64 {
        let hits = self.hits.get(theme).copied().unwrap_or(0.0);
        measure.value(hits, self.chars, self.tokens)
    }
}

/// The entropy, in bits, of the distribution `weights` (normalised here).
pub fn entropy(weights: &[f64]) -> f64 {
    let total: f64 = weights.iter().filter(|w| **w > 0.0).sum();
    if total <= 0.0 {
        return 0.0;
    }
    let sum: f64 = weights
        .iter()
        .filter(|w| **w > 0.0)
        .map(|w| {
            let p = w / total;
            p * p.log2()
        })
        .sum();
    // -0.0 for a single theme would print as "-0.00".
    if sum == 0.0 {
        0.0
    } else {
        -sum
    }
}

/// Signed log-likelihood of a word seen `a` times in a group of `c` words and `b` times
/// in the rest of `d` words: positive when the group uses it more.
pub fn log_likelihood(a: f64, b: f64, c: f64, d: f64) -> f64 {
    if c <= 0.0 || d <= 0.0 {
        return 0.0;
    }
    let e1 = c * (a + b) / (c + d);
    let e2 = d * (a + b) / (c + d);
    let term = |o: f64, e: f64| {
        if o > 0.0 && e > 0.0 {
            o * (o / e).ln()
        } else {
            0.0
        }
    };
    let g2 = 2.0 * (term(a, e1) + term(b, e2));
    if a / c >= b / d {
        g2
    } else {
        -g2
    }
}

/// Pools meetings into groups, sorted by district (unknown last) and then year (years,
/// then undated, then all years). `words[i]` are the word frequencies of `meetings[i]`,
/// in `vocabulary`'s ids.
pub fn group(
    meetings: &[(&Meeting, &MeetingMeasures)],
    words: &[WordCounts],
    vocabulary: &Vocabulary,
    themes: usize,
) -> Vec<Group> {
    let mut districts: BTreeMap<Option<UnitRef>, BTreeMap<YearKey, Vec<usize>>> = BTreeMap::new();
    for (i, (meeting, _)) in meetings.iter().enumerate() {
        let district = meeting.district.as_ref().map(|d| d.value.unit.clone());
        let year = meeting
            .year
            .as_ref()
            .map_or(YearKey::Undated, |y| YearKey::Year(y.value));
        districts
            .entry(district)
            .or_default()
            .entry(year)
            .or_default()
            .push(i);
    }

    let corpus = Corpus::count(words, vocabulary);

    // Districts are independent: pooled on every core, as this step follows the parallel
    // reading and would otherwise leave one core idle on a large corpus.
    let districts: Vec<_> = districts.into_iter().collect();
    let mut groups: Vec<Group> = districts
        .into_par_iter()
        .flat_map_iter(|(district, years)| {
            district_groups(district, years, meetings, themes, &corpus)
        })
        .collect();
    // Unknown districts sort last, not first as None would.
    groups.sort_by(|a, b| {
        (a.district.is_none(), &a.district, a.year).cmp(&(
            b.district.is_none(),
            &b.district,
            b.year,
        ))
    });
    groups
}

/// Renumbers the groups' words into a vocabulary of just those words: once the groups
/// are made, the words no group shows are not needed.
pub fn keep_shown_words(groups: &mut [Group], vocabulary: &Vocabulary) -> Vocabulary {
    let mut shown = Vocabulary::default();
    for group in groups {
        for (id, _) in &mut group.top_words {
            *id = shown.id(vocabulary.word(*id));
        }
        for keyness in &mut group.distinctive {
            keyness.word = shown.id(vocabulary.word(keyness.word));
        }
    }
    shown
}

/// The word frequencies of the whole corpus, the reference keyness compares with.
struct Corpus<'a> {
    vocabulary: &'a Vocabulary,
    words: &'a [WordCounts],
    /// Occurrences of each word id.
    counts: Vec<u32>,
    total: u64,
}

impl Corpus<'_> {
    fn count<'a>(words: &'a [WordCounts], vocabulary: &'a Vocabulary) -> Corpus<'a> {
        let mut counts = vec![0u32; vocabulary.len()];
        for &(id, n) in words.iter().flatten() {
            if let Some(c) = counts.get_mut(id as usize) {
                *c = c.saturating_add(n);
            }
        }
        Corpus {
            vocabulary,
            words,
            total: counts.iter().map(|&n| u64::from(n)).sum(),
            counts,
        }
    }
}

/// The first `n` of `items` in `order`, sorted. A group has thousands of distinct words
/// and keeps a few dozen, so the rest are only partitioned away, never sorted; `order`
/// is total (no two items share a word), so this is exactly a full sort cut to `n`.
fn keep_first<T>(items: &mut Vec<T>, n: usize, order: impl Fn(&T, &T) -> Ordering) {
    if items.len() > n {
        items.select_nth_unstable_by(n, &order);
        items.truncate(n);
    }
    items.sort_unstable_by(order);
}

/// A district's groups: one for each year, then all years. The words of all years are
/// the years' words added up, not every meeting's again: a year's meetings share most of
/// their words, so this is fewer additions.
fn district_groups(
    district: Option<UnitRef>,
    years: BTreeMap<YearKey, Vec<usize>>,
    meetings: &[(&Meeting, &MeetingMeasures)],
    themes: usize,
    corpus: &Corpus<'_>,
) -> Vec<Group> {
    let mut groups = Vec::with_capacity(years.len() + 1);
    let mut all_words: FxHashMap<u32, u32> = FxHashMap::default();
    let mut all_meetings = Vec::new();
    for (year, indices) in years {
        let mut words: FxHashMap<u32, u32> = FxHashMap::default();
        for &i in &indices {
            for &(id, n) in corpus.words.get(i).into_iter().flatten() {
                *words.entry(id).or_insert(0) += n;
            }
        }
        for (&id, &n) in &words {
            *all_words.entry(id).or_insert(0) += n;
        }
        all_meetings.extend_from_slice(&indices);
        let group = pool(
            district.clone(),
            year,
            indices,
            &words,
            meetings,
            themes,
            corpus,
        );
        groups.push(group);
    }
    // In corpus order, as every group keeps its meetings (and adds their hits).
    all_meetings.sort_unstable();
    groups.push(pool(
        district,
        YearKey::AllYears,
        all_meetings,
        &all_words,
        meetings,
        themes,
        corpus,
    ));
    groups
}

/// One group from its meetings and their words' counts.
fn pool(
    district: Option<UnitRef>,
    year: YearKey,
    indices: Vec<usize>,
    words: &FxHashMap<u32, u32>,
    meetings: &[(&Meeting, &MeetingMeasures)],
    themes: usize,
    corpus: &Corpus<'_>,
) -> Group {
    let mut hits = vec![0.0; themes];
    let (mut chars, mut tokens) = (0, 0);
    for &i in &indices {
        let m = meetings[i].1;
        chars += m.chars;
        tokens += m.tokens;
        for (t, count) in m.themes.iter().enumerate().take(themes) {
            hits[t] += count.hits;
        }
    }
    let group_total: u64 = words.values().map(|&n| u64::from(n)).sum();
    let rest_total = corpus.total.saturating_sub(group_total);
    let word = |id: u32| corpus.vocabulary.word(id);

    let mut top_words: Vec<(u32, u32)> = words.iter().map(|(&id, &n)| (id, n)).collect();
    keep_first(&mut top_words, TOP_WORDS, |a, b| {
        b.1.cmp(&a.1).then_with(|| word(a.0).cmp(word(b.0)))
    });

    let mut distinctive: Vec<(u32, f64, u32)> = words
        .iter()
        .map(|(&id, &n)| {
            let rest = corpus
                .counts
                .get(id as usize)
                .map_or(0, |&c| c.saturating_sub(n));
            let score = log_likelihood(
                f64::from(n),
                f64::from(rest),
                group_total as f64,
                rest_total as f64,
            );
            (id, score, n)
        })
        .filter(|&(_, score, _)| score > 0.0)
        .collect();
    keep_first(&mut distinctive, TOP_WORDS, |a, b| {
        b.1.total_cmp(&a.1).then_with(|| word(a.0).cmp(word(b.0)))
    });
    let distinctive = distinctive
        .into_iter()
        .map(|(word, score, count)| Keyness {
            word,
            score,
            count,
            low_count: count < MIN_KEYNESS_COUNT,
        })
        .collect();

    Group {
        entropy: entropy(&hits),
        district,
        year,
        meetings: indices,
        chars,
        tokens,
        hits,
        top_words,
        distinctive,
    }
}
