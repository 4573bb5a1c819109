//! The library's front door: a corpus read, measured and grouped, for either front end.
//!
//! [`Loader`] is the one way in ([`load`]); the building of an analysis is [`build`]'s,
//! the decision of what the cache may reuse [`reuse`]'s, and the reading of texts back for
//! evidence and the reader [`texts`]'s.

mod build;
mod load;
mod recount;
pub(crate) use recount::Counting;
pub use recount::Recount;
mod reuse;
pub(crate) use reuse::stands;
mod texts;

pub use load::{Finished, Loader, Shown};
pub use texts::{Evidence, FoundEvidence, Subject, Texts};

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use crate::aggregate::{self, District, DistrictKey, Group, GroupLevel, YearKey};
use crate::cache::Entry;
use crate::corpus::Skipped;
use crate::error::Error;
use crate::ingest::Plan;
use crate::measure::{Measure, Measurer, MeetingMeasures};
use crate::meeting::Meeting;
use crate::tenure::Tenure;
use crate::tokens::{Reader, Span, Tokens};
use crate::vocabulary::Vocabulary;

/// Counters a loading corpus updates, for a progress line; read from any thread. A
/// watched one ([`Progress::watched`]) also tells its watcher when they move, at most
/// every [`Progress::TELL_EVERY`]: a front end hears of progress without a timer.
#[derive(Default)]
pub struct Progress {
    /// Report files the corpus lists.
    pub files_total: AtomicUsize,
    /// Of those, the files read (or taken from the cache) so far.
    pub files_done: AtomicUsize,
    /// Bytes of the files done.
    pub bytes_done: AtomicU64,
    /// Set by the reader's owner to stop early (the user quit while loading).
    pub cancel: AtomicBool,
    watcher: Option<Watcher>,
}

/// Who is told of progress, and when they last were.
struct Watcher {
    tell: Box<dyn Fn(&Progress) + Send + Sync>,
    started: std::time::Instant,
    /// Milliseconds after `started` of the last telling, plus one (0: never told).
    told_at: AtomicU64,
}

impl Progress {
    /// How often a watcher is told at most: a progress line needs no more, and a corpus
    /// of a million small files must not make a million messages.
    pub const TELL_EVERY: std::time::Duration = std::time::Duration::from_millis(100);

    /// Counters whose moves `tell` hears of, from the loading threads.
    pub fn watched(tell: impl Fn(&Progress) + Send + Sync + 'static) -> Progress {
        Progress {
            watcher: Some(Watcher {
                tell: Box::new(tell),
                started: std::time::Instant::now(),
                told_at: AtomicU64::new(0),
            }),
            ..Progress::default()
        }
    }

    /// The corpus lists `files` report files.
    pub(crate) fn listed(&self, files: usize) {
        self.files_total.store(files, Ordering::Relaxed);
        self.tell();
    }

    /// One more file of `bytes` bytes is done.
    pub(crate) fn advance(&self, bytes: u64) {
        self.files_done.fetch_add(1, Ordering::Relaxed);
        self.bytes_done.fetch_add(bytes, Ordering::Relaxed);
        self.tell();
    }

    /// Tells the watcher, unless it was told less than [`Progress::TELL_EVERY`] ago or
    /// another thread is telling it now.
    fn tell(&self) {
        let Some(w) = &self.watcher else { return };
        let now = u64::try_from(w.started.elapsed().as_millis()).unwrap_or(u64::MAX) + 1;
        let last = w.told_at.load(Ordering::Relaxed);
        let due = last == 0 || now.saturating_sub(last) >= Self::TELL_EVERY.as_millis() as u64;
        if due
            && w.told_at
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            (w.tell)(self);
        }
    }
}

/// A meeting with its measures.
#[derive(Debug, Clone)]
pub struct MeasuredMeeting {
    /// The meeting record.
    pub meeting: Meeting,
    /// What its text weighs, theme by theme.
    pub measures: MeetingMeasures,
    /// Where its cut is kept, to count it again under an edited taxonomy.
    pub(crate) tokens: Option<Span>,
}

/// What the groups of a build are: the groups, the words they show, and which of those
/// are people's names. Made with the cache's groups and kept in it: telling names needs
/// the segmenter's tags, and a warm start that builds no segmenter is half a second
/// and tens of megabytes lighter.
pub(crate) struct Grouped {
    pub(crate) groups: Vec<Group>,
    /// The words the groups show, by the ids they use.
    pub(crate) words: Vocabulary,
    /// The shown words that are people's names, by id (see [`Analysis::people`]).
    pub(crate) people: rustc_hash::FxHashSet<u32>,
}

/// A measured corpus.
pub struct Analysis {
    /// Shared with the partial analyses shown while a corpus loads.
    pub measurer: Arc<Measurer>,
    /// The corpus's files and manifest, to read any meeting's text again.
    pub plan: Plan,
    /// Every meeting read, in the listing's path order.
    pub meetings: Vec<MeasuredMeeting>,
    /// The county-level groups: each holder its own district.
    pub groups: Vec<Group>,
    /// The groups at prefecture and province level, pooled from `meetings` when first
    /// asked for (see [`Analysis::at`]) and kept.
    pooled: [OnceLock<Vec<Group>>; 2],
    /// The words the groups show (keyword bars, distinctive words), by their ids.
    pub words: Vocabulary,
    /// The shown words that are people's names, by id: the speakers and leaders the
    /// meetings name, and the words jieba tags as names. The word bars leave them out
    /// unless asked: an official's name is no policy word.
    pub people: rustc_hash::FxHashSet<u32>,
    /// Who held each unit's top offices when, made from the meetings when first asked
    /// for (see [`Analysis::tenures`]) and kept.
    tenures: OnceLock<Vec<Tenure>>,
    /// The files that could not be read, and why: the listing's, then the reports'.
    pub skipped: Vec<Skipped>,
    /// Problems that belong to no single report: the manifest's own.
    pub notices: Vec<String>,
    /// What the cache saved this build.
    pub cache: CacheStats,
    /// The tokens file the meetings' cuts are kept in, and its length when they were.
    cuts: Option<(Tokens, u64)>,
    /// `cuts` opened (mapped) on first use and kept open: each search of every text
    /// would otherwise map the file again, and touching its pages anew costs three
    /// times the search. None if it could not be opened.
    cuts_open: OnceLock<Option<Reader>>,
}

/// How much of a build the cache saved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Meetings taken from the cache.
    pub reused: usize,
    /// Meetings read and measured.
    pub measured: usize,
    /// Of the meetings taken from the cache, those whose matches were found again (or
    /// that were cut again) because the taxonomy's words changed.
    pub counted_again: usize,
    /// Why the cache was not used or not written, if so.
    pub notice: Option<String>,
}

/// Two meetings are equal when their records and measures are: where a cut is kept is
/// no part of what was measured (a build without a cache keeps none).
impl PartialEq for MeasuredMeeting {
    fn eq(&self, other: &MeasuredMeeting) -> bool {
        self.meeting == other.meeting && self.measures == other.measures
    }
}

impl From<Entry> for MeasuredMeeting {
    fn from(entry: Entry) -> MeasuredMeeting {
        MeasuredMeeting {
            meeting: entry.meeting,
            measures: entry.measures,
            tokens: entry.tokens,
        }
    }
}

/// A district as the dashboard lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictSummary {
    /// The district.
    pub district: District,
    /// Its meetings, dated or not.
    pub meetings: usize,
    /// The holders its meetings have (see [`Group::units`]).
    pub units: usize,
    /// The work years it has meetings of, in order.
    pub years: Vec<i32>,
    /// Its meetings without a work year.
    pub undated: usize,
}

/// The groups at one level, sorted by district (units by id, then ambiguous, then
/// unknown) and year, with the look-ups the views make.
#[derive(Debug, Clone, Copy)]
pub struct Groups<'a> {
    /// The level they were made at.
    pub level: GroupLevel,
    /// Every group of that level, in that order.
    pub all: &'a [Group],
}

impl<'a> Groups<'a> {
    /// One district's group for one year.
    pub fn group(self, district: DistrictKey<'_>, year: YearKey) -> Option<&'a Group> {
        let groups = self.of(district);
        groups
            .binary_search_by_key(&year, |g| g.year)
            .ok()
            .map(|i| &groups[i])
    }

    /// The groups of one district, in year order.
    pub fn of(self, district: DistrictKey<'_>) -> &'a [Group] {
        // Groups are sorted by district, then year: a lookup halves them, as the views
        // make many per frame among tens of thousands of groups.
        let all = self.all;
        let start = all.partition_point(|g| g.district.key() < district);
        let end = start + all[start..].partition_point(|g| g.district.key() == district);
        &all[start..end]
    }

    /// The districts of this level a person's name for one may mean: its name today, its
    /// code or id, or any name the gazetteer knows the unit by (双流县 for 双流区). Several
    /// when the name fits several units the corpus has meetings of; none when it has none.
    pub fn districts_named(self, wanted: &str) -> Vec<&'a District> {
        let wanted = wanted.trim();
        let gazetteer = crate::gazetteer::Gazetteer::shared();
        let known: Vec<&str> = gazetteer
            .resolve_stated(wanted)
            .into_iter()
            .map(|ix| gazetteer.unit(ix).id.as_str())
            .collect();
        let mut found: Vec<&District> = Vec::new();
        for g in self.all {
            let Some(unit) = g.district.unit() else {
                continue;
            };
            let named = unit.name == wanted
                || unit.id == wanted
                || unit.code.as_deref() == Some(wanted)
                || known.contains(&unit.id.as_str());
            if named && found.last().is_none_or(|d| **d != g.district) {
                found.push(&g.district);
            }
        }
        found
    }

    /// The `n` districts whose all-years groups weigh `theme` most under `measure`,
    /// highest first, ties in district order: whom a chart of one theme shows when no
    /// district is chosen.
    pub fn top_in(self, theme: usize, measure: Measure, n: usize) -> Vec<District> {
        let mut all: Vec<&Group> = self
            .all
            .iter()
            .filter(|g| g.year == YearKey::AllYears)
            .collect();
        let highest_first = |x: &&Group, y: &&Group| {
            y.value(theme, measure)
                .total_cmp(&x.value(theme, measure))
                .then_with(|| x.district.cmp(&y.district))
        };
        // The top few of thousands of districts, without sorting them all every frame.
        if all.len() > n {
            all.select_nth_unstable_by(n, highest_first);
            all.truncate(n);
        }
        all.sort_by(highest_first);
        all.into_iter().map(|g| g.district.clone()).collect()
    }

    /// The one district of this level `wanted` names (see [`Groups::districts_named`]);
    /// when none, an error naming the corpus's closest units, and when several, the
    /// units it fits.
    pub fn one_named(self, wanted: &str) -> Result<District, Error> {
        match self.districts_named(wanted)[..] {
            [] => Err(Error::UnitNotFound {
                wanted: wanted.to_owned(),
                noun: self.level.row(),
                closest: self.closest_to(wanted.trim()),
            }),
            [one] => Ok(one.clone()),
            ref several => Err(Error::UnitAmbiguous {
                wanted: wanted.to_owned(),
                units: several
                    .iter()
                    .filter_map(|d| d.unit().map(|u| u.with_parent()))
                    .collect(),
            }),
        }
    }

    /// Up to five of this level's units whose names share the most characters with
    /// `wanted` (those at the start counting most), or the first five when none share
    /// any: what a mistyped name may have meant.
    fn closest_to(self, wanted: &str) -> Vec<String> {
        let units: Vec<&crate::gazetteer::UnitRef> = self
            .districts()
            .into_iter()
            .filter_map(|d| match d.district {
                District::Unit(_) => self.of(d.district.key()).first()?.district.unit(),
                _ => None,
            })
            .collect();
        let score = |name: &str| {
            let prefix = name
                .chars()
                .zip(wanted.chars())
                .take_while(|(a, b)| a == b)
                .count();
            prefix * 3 + name.chars().filter(|c| wanted.contains(*c)).count()
        };
        let mut scored: Vec<(usize, &crate::gazetteer::UnitRef)> =
            units.iter().map(|u| (score(&u.name), *u)).collect();
        if scored.iter().any(|(s, _)| *s > 0) {
            scored.retain(|(s, _)| *s > 0);
        }
        scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
        scored
            .iter()
            .take(5)
            .map(|(_, u)| u.with_parent())
            .collect()
    }

    /// The districts, in group order, with their meeting counts and years.
    pub fn districts(self) -> Vec<DistrictSummary> {
        let mut out: Vec<DistrictSummary> = Vec::new();
        for g in self.all {
            if out.last().is_none_or(|d| d.district != g.district) {
                out.push(DistrictSummary {
                    district: g.district.clone(),
                    meetings: 0,
                    units: 0,
                    years: Vec::new(),
                    undated: 0,
                });
            }
            let Some(d) = out.last_mut() else { continue };
            match g.year {
                YearKey::Year(y) => d.years.push(y),
                YearKey::Undated => d.undated = g.meetings.len(),
                YearKey::AllYears => (d.meetings, d.units) = (g.meetings.len(), g.units),
            }
        }
        out
    }
}

impl Analysis {
    /// A word the groups show, by its id.
    pub fn word(&self, id: u32) -> &str {
        self.words.word(id)
    }

    /// A county-level group: [`Groups::group`] of [`Analysis::groups`].
    pub fn group(&self, district: DistrictKey<'_>, year: YearKey) -> Option<&Group> {
        self.at(GroupLevel::County).group(district, year)
    }

    /// The county-level groups of one district, in year order.
    pub fn groups_of(&self, district: DistrictKey<'_>) -> &[Group] {
        self.at(GroupLevel::County).of(district)
    }

    /// The county-level districts, in group order, with their meeting counts and years.
    pub fn districts(&self) -> Vec<DistrictSummary> {
        self.at(GroupLevel::County).districts()
    }

    /// The groups at `level`. Those above county level are pooled from the meetings in
    /// memory (no report is read) on the first call for the level, and kept: the
    /// dashboard reads them at every frame.
    ///
    /// Pooling a level takes 6–9 ms on the 20,000 meetings of `examples/generate` and
    /// 30–45 ms on 100,000 (those copied five times), on two cores; `cargo bench --bench
    /// draw -- DIR` prints it for a corpus. It is bound by reading each meeting's holder
    /// and hits from memory. The dashboard has it done by a worker (see
    /// [`Analysis::is_pooled`]) and switches level once it is.
    pub fn at(&self, level: GroupLevel) -> Groups<'_> {
        let groups = match level {
            GroupLevel::County => &self.groups,
            GroupLevel::Prefecture | GroupLevel::Province => {
                self.pooled_cell(level).get_or_init(|| {
                    let pairs: Vec<_> = self
                        .meetings
                        .iter()
                        .map(|m| (&m.meeting, &m.measures))
                        .collect();
                    aggregate::pool_at(&pairs, level, self.measurer.taxonomy.themes.len())
                })
            }
        };
        Groups { level, all: groups }
    }

    /// Whether the shown word `id` is a person's name.
    pub fn is_person(&self, id: u32) -> bool {
        self.people.contains(&id)
    }

    /// Who held each unit's top offices when, from the leaders the meetings name; by
    /// unit id, office and first sighting (see [`crate::tenure`]). Made on the first
    /// call — a pass over every meeting, about 0.1 s for 100,000 of them, which the
    /// commands that show no leader do not pay — and kept.
    pub fn tenures(&self) -> &[Tenure] {
        self.tenures
            .get_or_init(|| crate::tenure::tenures(self.meetings.iter().map(|m| &m.meeting)))
    }

    /// The tenures of the unit with id `unit`, as indices into [`Analysis::tenures`]:
    /// secretaries then heads, each by first sighting.
    pub fn tenures_of(&self, unit: &str) -> std::ops::Range<usize> {
        let tenures = self.tenures();
        let from = tenures.partition_point(|t| t.unit.id.as_str() < unit);
        let to = tenures.partition_point(|t| t.unit.id.as_str() <= unit);
        from..to
    }

    /// Whether the groups at `level` are at hand, so that [`Analysis::at`] returns at
    /// once: the county level always, the others once pooled.
    pub fn is_pooled(&self, level: GroupLevel) -> bool {
        level == GroupLevel::County || self.pooled_cell(level).get().is_some()
    }

    fn pooled_cell(&self, level: GroupLevel) -> &OnceLock<Vec<Group>> {
        &self.pooled[usize::from(level == GroupLevel::Province)]
    }

    /// The kept cuts, open for reading; None without a tokens file or when it is not the
    /// one the cache named (another build's, cut short).
    pub(crate) fn kept_cuts(&self) -> Option<&Reader> {
        self.cuts_open
            .get_or_init(|| {
                let (tokens, length) = self.cuts.as_ref()?;
                tokens.open(*length).ok()
            })
            .as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::Progress;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::Instant;

    #[test]
    fn a_watched_progress_tells_of_moves_at_most_every_tell_every() {
        let told = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&told);
        let progress = Progress::watched(move |p| {
            assert!(p.files_total.load(Ordering::Relaxed) == 100_000);
            counted.fetch_add(1, Ordering::Relaxed);
        });
        let started = Instant::now();
        progress.listed(100_000);
        for _ in 0..100_000 {
            progress.advance(10);
        }
        let took = started.elapsed();
        let told = told.load(Ordering::Relaxed);
        let most = 1 + (took.as_millis() / Progress::TELL_EVERY.as_millis()) as usize;
        assert!((1..=most).contains(&told), "told {told} times in {took:?}");
        assert_eq!(progress.files_done.load(Ordering::Relaxed), 100_000);
        assert_eq!(progress.bytes_done.load(Ordering::Relaxed), 1_000_000);
    }
}
