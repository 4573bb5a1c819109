//! Stage 6: meetings pooled into district-years.
//!
//! A group's density is pooled — the sum of its meetings' hits over the sum of their
//! characters — not a mean of per-meeting ratios, so a short meeting weighs as much as
//! its length. Meetings without a year form their district's `undated` group and are
//! never dropped; every district also has an `all years` group. Meetings without a
//! holder are never dropped either: those whose holder's name fits several units form
//! the `(ambiguous)` district, the others the `(unknown district)`.
//!
//! Groups are made at county level — each holder its own district — and, from the same
//! meetings, pooled further at prefecture and province level ([`GroupLevel`]).

use crate::meeting::Meeting;
use std::cmp::Ordering;
use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::gazetteer::{Gazetteer, Level, UnitIx, UnitRef};
use crate::measure::{Measure, MeetingMeasures};
use crate::vocabulary::{Vocabulary, WordCounts};

/// Which years a group covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum YearKey {
    /// The meetings of one work year.
    Year(i32),
    /// The meetings whose year is not known.
    Undated,
    /// All the district's meetings, dated or not.
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
    /// A year as the command line gives it: `2026`, `undated`, or `all` (all years).
    pub fn parse(text: &str) -> Result<YearKey, crate::error::Error> {
        match text.trim() {
            "undated" => Ok(YearKey::Undated),
            "all" | "all years" => Ok(YearKey::AllYears),
            year => year
                .parse()
                .map(YearKey::Year)
                .map_err(|_| crate::error::Error::Year {
                    given: text.to_owned(),
                }),
        }
    }

    /// `year` in JSON and CSV: the year, or null/empty for undated; `all years` groups
    /// are not exported by year.
    pub fn year(self) -> Option<i32> {
        match self {
            YearKey::Year(y) => Some(y),
            _ => None,
        }
    }
}

/// Whose meetings a group pools. Ordered as the groups are: units (by id), then the
/// ambiguous meetings, then the unknown ones.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum District {
    /// A unit: the holder itself at county level, the prefecture or province it is in
    /// above. Keyed by the unit's id, never its name: two 鼓楼区 are two districts,
    /// 双流县 and 双流区 one.
    Unit(UnitRef),
    /// Meetings whose holder's name fits several units, nothing in the text deciding.
    Ambiguous,
    /// Meetings whose holder is not known at all.
    Unknown,
}

/// How the meetings of a group without one unit are named.
pub const AMBIGUOUS: &str = "(ambiguous)";
/// How the meetings whose holder is not known are named.
pub const UNKNOWN: &str = "(unknown district)";

/// A district as every table and view names it: the unit with its prefecture
/// (`鼓楼区 福州市`), [`AMBIGUOUS`] or [`UNKNOWN`].
impl std::fmt::Display for District {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            District::Unit(unit) => f.write_str(&unit.label()),
            District::Ambiguous => f.write_str(AMBIGUOUS),
            District::Unknown => f.write_str(UNKNOWN),
        }
    }
}

/// What groups are looked up by: a unit's id, or one of the two districts without a
/// unit. Ordered as [`District`] is, so that a lookup is a binary search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DistrictKey<'a> {
    /// [`District::Unit`], by the unit's id.
    Unit(&'a str),
    /// [`District::Ambiguous`].
    Ambiguous,
    /// [`District::Unknown`].
    Unknown,
}

impl District {
    /// The unit, None for the ambiguous and the unknown meetings.
    pub fn unit(&self) -> Option<&UnitRef> {
        match self {
            District::Unit(unit) => Some(unit),
            _ => None,
        }
    }

    /// What the district's groups are looked up by.
    pub fn key(&self) -> DistrictKey<'_> {
        match self {
            District::Unit(unit) => DistrictKey::Unit(&unit.id),
            District::Ambiguous => DistrictKey::Ambiguous,
            District::Unknown => DistrictKey::Unknown,
        }
    }
}

/// The level groups are made at: each holder on its own, or pooled into the prefecture
/// or the province it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum GroupLevel {
    /// Each holder its own district (counties, districts, zones …).
    #[default]
    County,
    /// Pooled into the prefecture each holder is in.
    Prefecture,
    /// Pooled into the province each holder is in.
    Province,
}

impl GroupLevel {
    /// County, prefecture, province, county again.
    pub fn next(self) -> GroupLevel {
        match self {
            GroupLevel::County => GroupLevel::Prefecture,
            GroupLevel::Prefecture => GroupLevel::Province,
            GroupLevel::Province => GroupLevel::County,
        }
    }

    /// The level as exports and messages write it: county, prefecture, province.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupLevel::County => "county",
            GroupLevel::Prefecture => "prefecture",
            GroupLevel::Province => "province",
        }
    }

    /// What a row is called: district (or county, zone …), prefecture, province.
    pub fn row(self) -> &'static str {
        match self {
            GroupLevel::County => "district",
            GroupLevel::Prefecture => "prefecture",
            GroupLevel::Province => "province",
        }
    }

    /// What the rows are called: districts (and counties, zones …), prefectures,
    /// provinces.
    pub fn rows(self) -> &'static str {
        match self {
            GroupLevel::County => "districts",
            GroupLevel::Prefecture => "prefectures",
            GroupLevel::Province => "provinces",
        }
    }

    /// The unit a holder's meetings pool into at this level.
    ///
    /// A unit at or above the level is its own: a prefecture at prefecture level, a
    /// province at either. A county or zone goes into its prefecture (the districts of
    /// 北京市 into 北京市, which the gazetteer makes their prefecture) or its province.
    /// A zone without a code is known by its parent's id (`360100:南昌经济技术开发区`),
    /// and is in what its parent is in, or in its parent itself.
    ///
    /// A unit with no prefecture — a county-level city governed straight from its
    /// province (仙桃市, the counties of 海南省), a zone of a province — stays itself at
    /// prefecture level rather than going into a `(no prefecture)` bucket of its
    /// province: it is its province's direct charge, the peer of a prefecture in the
    /// statistical yearbooks, and such a bucket would pool governments with nothing in
    /// common but the lack of a prefecture above them (琼海市 and 五指山市). So is a unit
    /// the gazetteer does not know.
    pub fn unit_of(self, unit: &UnitRef) -> UnitRef {
        let target = match self {
            GroupLevel::County => return unit.clone(),
            GroupLevel::Prefecture => Level::Prefecture,
            GroupLevel::Province => Level::Province,
        };
        let g = Gazetteer::shared();
        let at_or_above = |level: Level| {
            level == Level::Province || (level == Level::Prefecture && target == Level::Prefecture)
        };
        if at_or_above(unit.level) {
            return unit.clone();
        }
        let above = |ix: UnitIx| {
            let u = g.unit(ix);
            match target {
                Level::Province => u.province,
                _ => u.prefecture,
            }
        };
        let found = match g.by_id(&unit.id) {
            Some(ix) => above(ix),
            None => unit
                .id
                .split_once(':')
                .and_then(|(parent, _)| g.by_id(parent))
                .and_then(|parent| {
                    if g.unit(parent).level == target {
                        Some(parent)
                    } else {
                        above(parent)
                    }
                }),
        };
        found.map_or_else(|| unit.clone(), |ix| g.unit_ref(ix))
    }
}

/// A word that is unusually frequent (positive score) or rare (negative) in a group
/// compared with the rest of the corpus: signed Dunning log-likelihood (G²).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Keyness {
    /// The word's id in the vocabulary the groups were made with.
    pub word: u32,
    /// Signed G²: above 0 the group uses the word more than the rest of the corpus.
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
    /// Whose meetings it pools.
    pub district: District,
    /// Which of their years.
    pub year: YearKey,
    /// Indices of its meetings in the corpus order.
    pub meetings: Vec<usize>,
    /// The holders among its meetings: 1 for a unit at county level, the counties and
    /// zones pooled above; a meeting without a holder adds none.
    pub units: usize,
    /// Han characters of its meetings' cleaned texts: the per-10k denominator.
    pub chars: usize,
    /// Words of its meetings' texts, as the segmenter cut them: the token-share
    /// denominator.
    pub tokens: usize,
    /// Pooled weighted hits per theme.
    pub hits: Vec<f64>,
    /// Shannon entropy (bits) of the theme shares of hits: 0 when one theme has all.
    pub entropy: f64,
    /// The most frequent words, as (word id, count): ids, not strings, because a large
    /// corpus has tens of thousands of groups and each keeps dozens of words. Empty above
    /// county level (see [`pool_at`]), as are the distinctive words.
    pub top_words: Vec<(u32, u32)>,
    /// The words most over-represented against the rest of the corpus, strongest first.
    pub distinctive: Vec<Keyness>,
}

impl Group {
    /// Theme `theme`'s weight in the group under `measure`; 0 for a theme it has no
    /// hits of.
    pub fn value(&self, theme: usize, measure: Measure) -> f64 {
        let hits = self.hits.get(theme).copied().unwrap_or(0.0);
        measure.value(hits, self.chars, self.tokens)
    }
}

/// Theme indices of a group sorted by value, highest first, ties in taxonomy order.
pub fn sorted_by_value(group: &Group, measure: Measure, themes: usize) -> Vec<(usize, f64)> {
    let mut values: Vec<(usize, f64)> = (0..themes).map(|t| (t, group.value(t, measure))).collect();
    values.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    values
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

/// Pools meetings into county-level groups, sorted by district (units by id, then
/// ambiguous, then unknown) and then year (years, then undated, then all years).
/// `words[i]` are the word frequencies of `meetings[i]`, in `vocabulary`'s ids.
pub fn group(
    meetings: &[(&Meeting, &MeetingMeasures)],
    words: &[WordCounts],
    vocabulary: &Vocabulary,
    themes: usize,
) -> Vec<Group> {
    let corpus = ReferenceWords::count(words, vocabulary);
    pooled(meetings, GroupLevel::County, Some(&corpus), themes)
}

/// Pools meetings into groups at `level`, sorted as [`group`] sorts them: the same
/// measures, hits and characters summed over the units below. Without the meetings' word
/// frequencies, which an analysis does not keep (they would not fit in memory on a
/// large corpus), so these groups have no frequent or distinctive words.
pub fn pool_at(
    meetings: &[(&Meeting, &MeetingMeasures)],
    level: GroupLevel,
    themes: usize,
) -> Vec<Group> {
    pooled(meetings, level, None, themes)
}

/// The districts meetings go into at one level, each district made once: most meetings
/// share their holder with many others, and finding a holder's prefecture is a look-up
/// in the gazetteer.
struct Districts<'m> {
    level: GroupLevel,
    districts: Vec<District>,
    /// The district of each holder (by its id) at this level, and the holder's number.
    of_holder: FxHashMap<&'m str, (usize, u32)>,
    /// Each unit district by its id.
    of_unit: FxHashMap<String, usize>,
    ambiguous: Option<usize>,
    unknown: Option<usize>,
}

impl<'m> Districts<'m> {
    fn new(level: GroupLevel) -> Self {
        Districts {
            level,
            districts: Vec::new(),
            of_holder: FxHashMap::default(),
            of_unit: FxHashMap::default(),
            ambiguous: None,
            unknown: None,
        }
    }

    /// The holder's district and number.
    fn of_holder(&mut self, holder: &'m UnitRef) -> (usize, u32) {
        if let Some(&found) = self.of_holder.get(holder.id.as_str()) {
            return found;
        }
        let unit = self.level.unit_of(holder);
        let d = match self.of_unit.get(&unit.id) {
            Some(&d) => d,
            None => {
                self.of_unit.insert(unit.id.clone(), self.districts.len());
                self.districts.push(District::Unit(unit));
                self.districts.len() - 1
            }
        };
        let found = (d, self.of_holder.len() as u32);
        self.of_holder.insert(&holder.id, found);
        found
    }

    /// The meeting's district, and its holder's number if it has a holder.
    fn of_meeting(&mut self, meeting: &'m Meeting) -> (usize, Option<u32>) {
        if let Some(holder) = &meeting.district {
            let (d, number) = self.of_holder(&holder.value.unit);
            return (d, Some(number));
        }
        // Above county level, the units an ambiguous name fits may all be in one
        // prefecture or province: then it is known where the meeting belongs, though
        // not its holder.
        if self.level != GroupLevel::County {
            let mut candidates = meeting.candidates.iter().map(|c| self.of_holder(c).0);
            if let Some(first) = candidates.next() {
                if candidates.all(|d| d == first) {
                    return (first, None);
                }
            }
        }
        let (slot, district) = if meeting.candidates.is_empty() {
            (&mut self.unknown, District::Unknown)
        } else {
            (&mut self.ambiguous, District::Ambiguous)
        };
        let d = *slot.get_or_insert_with(|| {
            self.districts.push(district);
            self.districts.len() - 1
        });
        (d, None)
    }
}

/// What every group of one pooling is made from.
struct Sources<'a> {
    meetings: &'a [(&'a Meeting, &'a MeetingMeasures)],
    /// Each meeting's holder by number, None without one: what a group's units are
    /// counted by, without going back to the meetings' ids.
    holders: Vec<Option<u32>>,
    themes: usize,
    /// The whole corpus's words; None where the groups have no words.
    corpus: Option<&'a ReferenceWords<'a>>,
}

/// [`group`] and [`pool_at`]: with words when `corpus` has them.
fn pooled(
    meetings: &[(&Meeting, &MeetingMeasures)],
    level: GroupLevel,
    corpus: Option<&ReferenceWords<'_>>,
    themes: usize,
) -> Vec<Group> {
    let mut districts = Districts::new(level);
    let mut years: Vec<BTreeMap<YearKey, Vec<usize>>> = Vec::new();
    let mut holders = Vec::with_capacity(meetings.len());
    for (i, (meeting, _)) in meetings.iter().enumerate() {
        let (d, holder) = districts.of_meeting(meeting);
        holders.push(holder);
        if years.len() <= d {
            years.resize_with(d + 1, BTreeMap::new);
        }
        let year = meeting
            .year
            .as_ref()
            .map_or(YearKey::Undated, |y| YearKey::Year(y.value));
        years[d].entry(year).or_default().push(i);
    }
    // A candidate's district that no meeting went into has no groups.
    let mut districts: Vec<(District, BTreeMap<YearKey, Vec<usize>>)> = districts
        .districts
        .into_iter()
        .zip(
            years
                .into_iter()
                .chain(std::iter::repeat_with(BTreeMap::new)),
        )
        .filter(|(_, years)| !years.is_empty())
        .collect();
    districts.sort_unstable_by(|a, b| a.0.cmp(&b.0));

    // Districts are independent: pooled on every core, as this step follows the parallel
    // reading and would otherwise leave one core idle on a large corpus. In district
    // order, and each district's groups in year order: the groups come out sorted.
    let sources = Sources {
        meetings,
        holders,
        themes,
        corpus,
    };
    let groups: Vec<Group> = districts
        .into_par_iter()
        .flat_map_iter(|(district, years)| district_groups(district, years, &sources))
        .collect();
    debug_assert!(groups
        .windows(2)
        .all(|w| (&w[0].district, w[0].year) < (&w[1].district, w[1].year)));
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
struct ReferenceWords<'a> {
    vocabulary: &'a Vocabulary,
    words: &'a [WordCounts],
    /// Occurrences of each word id.
    counts: Vec<u32>,
    total: u64,
}

impl ReferenceWords<'_> {
    fn count<'a>(words: &'a [WordCounts], vocabulary: &'a Vocabulary) -> ReferenceWords<'a> {
        let mut counts = vec![0u32; vocabulary.len()];
        for &(id, n) in words.iter().flatten() {
            if let Some(c) = counts.get_mut(id as usize) {
                *c = c.saturating_add(n);
            }
        }
        ReferenceWords {
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
    district: District,
    years: BTreeMap<YearKey, Vec<usize>>,
    sources: &Sources<'_>,
) -> Vec<Group> {
    let mut groups = Vec::with_capacity(years.len() + 1);
    let mut all_words: FxHashMap<u32, u32> = FxHashMap::default();
    let mut all_meetings = Vec::new();
    for (year, indices) in years {
        let mut words: FxHashMap<u32, u32> = FxHashMap::default();
        for &i in &indices {
            let counts = sources.corpus.and_then(|c| c.words.get(i));
            for &(id, n) in counts.into_iter().flatten() {
                *words.entry(id).or_insert(0) += n;
            }
        }
        for (&id, &n) in &words {
            *all_words.entry(id).or_insert(0) += n;
        }
        all_meetings.extend_from_slice(&indices);
        groups.push(pool(district.clone(), year, indices, &words, sources));
    }
    // In corpus order, as every group keeps its meetings (and adds their hits).
    all_meetings.sort_unstable();
    groups.push(pool(
        district,
        YearKey::AllYears,
        all_meetings,
        &all_words,
        sources,
    ));
    groups
}

/// One group from its meetings and their words' counts (none without a corpus).
fn pool(
    district: District,
    year: YearKey,
    indices: Vec<usize>,
    words: &FxHashMap<u32, u32>,
    sources: &Sources<'_>,
) -> Group {
    let mut hits = vec![0.0; sources.themes];
    let (mut chars, mut tokens) = (0, 0);
    for &i in &indices {
        let m = sources.meetings[i].1;
        chars += m.chars;
        tokens += m.tokens;
        for (t, count) in m.themes.iter().enumerate().take(sources.themes) {
            hits[t] += count.hits;
        }
    }
    let mut units: Vec<u32> = indices.iter().filter_map(|&i| sources.holders[i]).collect();
    units.sort_unstable();
    units.dedup();
    let (top_words, distinctive) = match sources.corpus {
        Some(corpus) => keywords(words, corpus),
        None => (Vec::new(), Vec::new()),
    };
    Group {
        entropy: entropy(&hits),
        district,
        year,
        meetings: indices,
        units: units.len(),
        chars,
        tokens,
        hits,
        top_words,
        distinctive,
    }
}

/// A group's most frequent and most distinctive words, from its words' counts.
fn keywords(
    words: &FxHashMap<u32, u32>,
    corpus: &ReferenceWords<'_>,
) -> (Vec<(u32, u32)>, Vec<Keyness>) {
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
    (top_words, distinctive)
}
