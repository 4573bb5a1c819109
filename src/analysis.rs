//! The library's front door: a corpus read, measured and grouped, for either front end.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::aggregate::{self, District, DistrictKey, Group, GroupLevel, YearKey};
use crate::cache::{self, Cache, Cached, Entry, Failed};
use crate::corpus::{self, ReportFile, Skipped};
use crate::ingest::{Meeting, Options, Plan};
use crate::measure::{Analyzer, MeetingMeasures, Passage, WordList};
use crate::vocabulary::{Vocabulary, WordCounts};

/// Counters a loading corpus updates, for a progress line; read from any thread.
#[derive(Debug, Default)]
pub struct Progress {
    pub files_total: AtomicUsize,
    pub files_done: AtomicUsize,
    pub bytes_done: AtomicU64,
    /// Set by the reader's owner to stop early (the user quit while loading).
    pub cancel: AtomicBool,
}

/// A meeting with its measures.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasuredMeeting {
    pub meeting: Meeting,
    pub measures: MeetingMeasures,
}

/// A measured corpus.
pub struct Analysis {
    /// Shared with the partial analyses shown while a corpus loads.
    pub analyzer: Arc<Analyzer>,
    pub plan: Plan,
    pub meetings: Vec<MeasuredMeeting>,
    /// The county-level groups: each holder its own district.
    pub groups: Vec<Group>,
    /// The groups at prefecture and province level, pooled from `meetings` when first
    /// asked for (see [`Analysis::at`]) and kept.
    pooled: [OnceLock<Vec<Group>>; 2],
    /// The words the groups show (keyword bars, distinctive words), by their ids.
    pub words: Vocabulary,
    pub skipped: Vec<Skipped>,
    pub notices: Vec<String>,
    pub cache: CacheStats,
}

/// How much of a build the cache saved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Meetings taken from the cache.
    pub reused: usize,
    /// Meetings read and measured.
    pub measured: usize,
    /// Why the cache was not used or not written, if so.
    pub notice: Option<String>,
}

/// What became of one report.
enum Outcome {
    /// The cache's entry at this position stands (with the file's new size and time, if
    /// only those changed).
    Reused {
        position: usize,
        size: u64,
        modified: Option<u64>,
    },
    /// Read and measured now.
    Measured(Box<Entry>, WordList),
}

/// One report the cache could not vouch for by size and time: read, and measured unless
/// its bytes are the cached ones. The content hash is only worth computing when there is
/// a cache to compare it with.
fn measure_file(
    plan: &Plan,
    analyzer: &Analyzer,
    options: &Options,
    cached: &Cached,
    caching: bool,
    file: &ReportFile,
    stated: [u8; 32],
) -> Result<Outcome, Skipped> {
    // The cap is this run's choice: a file cached under a larger cap is refused all the same.
    corpus::within_cap(file.size, options.max_file_bytes).map_err(|reason| Skipped {
        file: file.rel.clone(),
        reason,
    })?;
    let bytes = plan.read_bytes(file, options)?;
    let content = if caching {
        cache::content_hash(&bytes)
    } else {
        [0; 32]
    };
    let modified = cache::modified_ns(file.modified);
    if let Some(position) = cached.same_content(file, &content, &stated) {
        return Ok(Outcome::Reused {
            position,
            size: file.size,
            modified,
        });
    }
    let report = plan.report_from(file, &bytes)?;
    let measured = analyzer.measure(&report.text);
    Ok(Outcome::Measured(
        Box::new(Entry {
            size: file.size,
            modified,
            content,
            stated,
            measures: measured.measures,
            meeting: report.meeting,
        }),
        measured.words,
    ))
}

/// Reports measured between two internings of their words: enough to keep both cores
/// busy, few enough that their words as strings stay a few megabytes.
const CHUNK: usize = 1024;

/// What [`Analysis::evidence`] found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FoundEvidence {
    pub sentences: Vec<Evidence>,
    /// One note for each meeting that could not be read again.
    pub unreadable: Vec<String>,
}

impl From<Entry> for MeasuredMeeting {
    fn from(entry: Entry) -> MeasuredMeeting {
        MeasuredMeeting {
            meeting: entry.meeting,
            measures: entry.measures,
        }
    }
}

/// A district as the dashboard lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictSummary {
    pub district: District,
    pub meetings: usize,
    /// The holders its meetings have (see [`Group::units`]).
    pub units: usize,
    pub years: Vec<i32>,
    pub undated: usize,
}

/// What a number counts: a theme's keywords, or one word of the keyword bars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Theme(usize),
    Word(String),
}

/// A sentence behind a number, with its meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// Index of the meeting in [`Analysis::meetings`].
    pub meeting: usize,
    pub passage: Passage,
}

/// The groups at one level, sorted by district (units by id, then ambiguous, then
/// unknown) and year, with the look-ups the views make.
#[derive(Debug, Clone, Copy)]
pub struct Groups<'a> {
    pub level: GroupLevel,
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

/// The one way into an analysis, for both front ends: a corpus folder read with a
/// taxonomy and options, through its cache when there is one.
///
/// [`Loader::load`] gives the corpus as it is now (the commands). [`Loader::load_showing`]
/// also hands over what can be shown before that (the dashboard): the cache's analysis at
/// once, stale while the corpus is listed and checked against it, and the meetings read
/// so far during a long read.
pub struct Loader<'a> {
    root: &'a Path,
    options: &'a Options,
    cache: Option<&'a Cache>,
    progress: Option<&'a Progress>,
}

/// What [`Loader::load_showing`] hands over before it is done.
pub enum Shown {
    /// The cache's analysis, as it was when written; the corpus is being checked.
    FromCache(Arc<Analysis>),
    /// The meetings read so far, while the rest are read.
    Partial(Arc<Analysis>),
}

/// How [`Loader::load_showing`] ended.
pub enum Finished {
    /// The corpus is as the cache knew it: the analysis shown from the cache stands.
    CacheStands,
    /// The analysis of the corpus as it is now.
    Current(Box<Analysis>),
}

impl<'a> Loader<'a> {
    /// A load of the corpus at `root`, without a cache and with no one watching its
    /// progress.
    pub fn new(root: &'a Path, options: &'a Options) -> Loader<'a> {
        Loader {
            root,
            options,
            cache: None,
            progress: None,
        }
    }

    /// Reuses what `cache` holds for unchanged files, and writes it anew when anything
    /// changed.
    pub fn with_cache(self, cache: Option<&'a Cache>) -> Loader<'a> {
        Loader { cache, ..self }
    }

    /// Counts the files and bytes read into `progress`, and stops early when its cancel
    /// switch is set.
    pub fn with_progress(self, progress: &'a Progress) -> Loader<'a> {
        Loader {
            progress: Some(progress),
            ..self
        }
    }

    /// The analysis of the corpus as it is now. The corpus is listed and the cache
    /// loaded at the same time — on a large corpus each takes a good part of a second,
    /// one waiting on the file system and the other on the processor. Fails only if the
    /// folder cannot be read.
    pub fn load(&self, analyzer: Analyzer) -> Result<Analysis, String> {
        self.open(analyzer, None)
    }

    /// [`Loader::load`], handing `show` what can be shown meanwhile: with a cache, its
    /// analysis at once, before the corpus is listed; during a long read, the meetings
    /// read so far.
    pub fn load_showing(
        &self,
        analyzer: Analyzer,
        show: &dyn Fn(Shown),
    ) -> Result<Finished, String> {
        let partial = |analysis: Analysis| show(Shown::Partial(Arc::new(analysis)));
        let Some(cache) = self.cache else {
            return self
                .open(analyzer, Some(&partial))
                .map(|analysis| Finished::Current(Box::new(analysis)));
        };
        // Stale while checked: what the cache holds is on screen at once, and the corpus
        // is listed meanwhile to see whether it still holds.
        let shown = self.cached(Analyzer::new(analyzer.taxonomy.clone()));
        let shown = shown.map(|shown| {
            let shown = Arc::new(shown);
            show(Shown::FromCache(Arc::clone(&shown)));
            shown
        });
        let plan = Plan::new(self.root)?;
        if shown.is_some_and(|shown| shown.is_current(&plan, self.options)) {
            return Ok(Finished::CacheStands);
        }
        // Loaded again rather than kept: the analysis shown took the first load's parts.
        let cached = cache.load(&analyzer.taxonomy);
        let current = self.build(plan, analyzer, cached, Some(&partial));
        Ok(Finished::Current(Box::new(current)))
    }

    fn open(
        &self,
        analyzer: Analyzer,
        show: Option<&dyn Fn(Analysis)>,
    ) -> Result<Analysis, String> {
        let (plan, cached) = rayon::join(
            || Plan::new(self.root),
            || {
                self.cache
                    .map_or_else(Cached::default, |c| c.load(&analyzer.taxonomy))
            },
        );
        Ok(self.build(plan?, analyzer, cached, show))
    }

    fn build(
        &self,
        plan: Plan,
        analyzer: Analyzer,
        cached: Cached,
        show: Option<&dyn Fn(Analysis)>,
    ) -> Analysis {
        let unwatched = Progress::default();
        let build = Build {
            options: self.options,
            progress: self.progress.unwrap_or(&unwatched),
            cache: self.cache,
            show,
        };
        build.run(plan, analyzer, cached)
    }

    /// The analysis the cache holds for the corpus, as it was when written, without
    /// looking at the corpus: what [`Loader::load_showing`] shows first, until
    /// [`Analysis::is_current`] says whether it stands. None without a cache, or when it
    /// holds nothing for this taxonomy.
    pub fn cached(&self, analyzer: Analyzer) -> Option<Analysis> {
        let cached = self.cache?.load(&analyzer.taxonomy);
        if cached.notice.is_some() {
            return None;
        }
        // The files as the cache knows them, with what the manifest states of them now:
        // an edited manifest is a change as an edited report is.
        let plan = Plan::from_listing(self.root, cached.listing(self.root));
        let stated = stated_of(&plan);
        let known = known_of(&cached, &plan.files, &stated, self.options.max_file_bytes);
        let failed = untouched(&cached, &plan.files, &known, self.options.max_file_bytes)?;
        Some(Analysis::from_cache(
            plan,
            Arc::new(analyzer),
            cached,
            &failed,
            &Progress::default(),
        ))
    }
}

impl Analysis {
    /// Whether the corpus, listed now as `plan`, is still the one this analysis was made
    /// from: the same files with the same sizes and times, the same manifest, nothing
    /// over this run's size limit.
    pub fn is_current(&self, plan: &Plan, options: &Options) -> bool {
        // The files include those that could not be read: the same files, unchanged,
        // fail the same way.
        let unread: std::collections::HashSet<&str> =
            self.skipped.iter().map(|s| s.file.as_str()).collect();
        self.plan.files == plan.files
            && self.plan.skipped == plan.skipped
            && self.plan.notices == plan.notices
            && plan.files.iter().all(|file| {
                (file.size <= options.max_file_bytes || unread.contains(file.rel.as_str()))
                    && self.plan.stated(file) == plan.stated(file)
            })
    }
}

/// How a corpus is to be built: the settings every step of [`Build::run`] needs.
struct Build<'a> {
    options: &'a Options,
    progress: &'a Progress,
    cache: Option<&'a Cache>,
    show: Option<&'a dyn Fn(Analysis)>,
}

/// A partial analysis is shown at first after one chunk, then at most this often, and
/// never more often than keeps the time spent making them under a tenth of the build.
const SHOW_EVERY: Duration = Duration::from_secs(2);

impl Build<'_> {
    fn run(&self, plan: Plan, analyzer: Analyzer, mut cached: Cached) -> Analysis {
        let Build {
            options,
            progress,
            cache,
            ..
        } = *self;
        let analyzer = Arc::new(analyzer);
        let files = &plan.files;
        progress.files_total.store(files.len(), Ordering::Relaxed);
        let limit = options.max_file_bytes;
        let stated = stated_of(&plan);
        let mut known = known_of(&cached, files, &stated, limit);
        if let Some(failed_again) = untouched(&cached, files, &known, limit) {
            return Analysis::from_cache(plan, analyzer, cached, &failed_again, progress);
        }
        let mut shown_at: Option<Instant> = None;
        let mut show_wait = Duration::ZERO;

        // Something changed, so the groups are made again, and they need every meeting's
        // word frequencies: the cached ones, and those of the meetings measured now.
        let (mut vocabulary, mut cached_words) = match cached.words() {
            Ok(words) => words,
            Err(notice) => {
                cached = Cached::unusable(notice);
                known.iter_mut().for_each(|k| *k = None);
                (Vocabulary::default(), Vec::new())
            }
        };
        let mut entries: Vec<Entry> = Vec::with_capacity(files.len());
        let mut words: Vec<WordCounts> = Vec::with_capacity(files.len());
        // What could not be read; with the listing's skips, the analysis's `skipped`.
        let mut failed: Vec<Failed> = Vec::new();
        let mut stats = CacheStats {
            notice: cached.notice.clone(),
            ..CacheStats::default()
        };
        for chunk in (0..files.len()).collect::<Vec<_>>().chunks(CHUNK) {
            let outcomes: Vec<Result<Outcome, Skipped>> = chunk
                .par_iter()
                .map(|&i| {
                    let file = &files[i];
                    if progress.cancel.load(Ordering::Relaxed) {
                        return Err(Skipped {
                            file: file.rel.clone(),
                            reason: "not read: loading was cancelled".into(),
                        });
                    }
                    let outcome = match known[i] {
                        Some(position) => Ok(Outcome::Reused {
                            position,
                            size: file.size,
                            modified: cache::modified_ns(file.modified),
                        }),
                        // A report that failed before and would fail again is not read.
                        None => match cached.failed(file, limit) {
                            Some(failed) => Err(failed.skipped()),
                            None => measure_file(
                                &plan,
                                &analyzer,
                                options,
                                &cached,
                                cache.is_some(),
                                file,
                                stated[i],
                            ),
                        },
                    };
                    progress.files_done.fetch_add(1, Ordering::Relaxed);
                    progress.bytes_done.fetch_add(file.size, Ordering::Relaxed);
                    outcome
                })
                .collect();
            for (&i, outcome) in chunk.iter().zip(outcomes) {
                match outcome {
                    Ok(Outcome::Reused {
                        position,
                        size,
                        modified,
                    }) => {
                        // Each cached entry belongs to one file, so it is taken once.
                        let Some(mut entry) = cached.take(position) else {
                            continue;
                        };
                        entry.size = size;
                        entry.modified = modified;
                        if cached.reweigh {
                            analyzer.weigh(&mut entry.measures);
                        }
                        entries.push(entry);
                        words.push(
                            cached_words
                                .get_mut(position)
                                .map(std::mem::take)
                                .unwrap_or_default(),
                        );
                        stats.reused += 1;
                    }
                    Ok(Outcome::Measured(entry, counts)) => {
                        entries.push(*entry);
                        words.push(vocabulary.intern(&counts));
                        stats.measured += 1;
                    }
                    Err(s) => failed.push(Failed::of(&files[i], limit, s.reason)),
                }
            }
            let more_to_come = entries.len() + failed.len() < files.len();
            if let Some(show) = self.show.filter(|_| more_to_come) {
                if shown_at.is_none_or(|at| at.elapsed() >= show_wait) {
                    let started = Instant::now();
                    show(Analysis::of(
                        plan.clone(),
                        Arc::clone(&analyzer),
                        &failed,
                        entries.iter().cloned().map(MeasuredMeeting::from).collect(),
                        groups_of(&entries, &words, &vocabulary, &analyzer),
                        stats.clone(),
                    ));
                    show_wait = SHOW_EVERY.max(started.elapsed() * 9);
                    shown_at = Some(Instant::now());
                }
            }
        }
        drop(cached_words);

        let (groups, shown_words) = groups_of(&entries, &words, &vocabulary, &analyzer);
        let cancelled = progress.cancel.load(Ordering::Relaxed);
        if let Some(cache) = cache.filter(|_| !cancelled) {
            let contents = cache::Contents {
                entries: &entries,
                groups: &groups,
                shown_words: &shown_words,
                unlisted: &plan.skipped,
                failed: &failed,
                vocabulary: &vocabulary,
                words: &words,
            };
            if let Err(e) = cache.store(&analyzer.taxonomy, &contents) {
                stats.notice = Some(e);
            }
        }
        let meetings = entries.into_iter().map(MeasuredMeeting::from).collect();
        Analysis::of(
            plan,
            analyzer,
            &failed,
            meetings,
            (groups, shown_words),
            stats,
        )
    }
}

/// What the manifest states of each file of `plan`, as the cache fingerprints it.
fn stated_of(plan: &Plan) -> Vec<[u8; 32]> {
    plan.files
        .par_iter()
        .map(|file| cache::stated_hash(&plan.stated(file)))
        .collect()
}

/// For each of `files` (the manifest stating `stated` of them), the position of its
/// cache entry if the file and what is stated of it are as cached. A file above the
/// size limit `limit` has none: it is skipped now, whatever was cached of it when the
/// limit was higher.
fn known_of(
    cached: &Cached,
    files: &[ReportFile],
    stated: &[[u8; 32]],
    limit: u64,
) -> Vec<Option<usize>> {
    files
        .iter()
        .zip(stated)
        .map(|(file, stated)| {
            cached
                .unchanged(file, stated)
                .filter(|_| file.size <= limit)
        })
        .collect()
}

/// Whether `files` (whose cache positions are `known`) are untouched: each is the
/// cache's next entry, or a report that failed before and would fail again under
/// `limit`, and no entry is left over. If so, the failures that stand.
fn untouched(
    cached: &Cached,
    files: &[ReportFile],
    known: &[Option<usize>],
    limit: u64,
) -> Option<Vec<Failed>> {
    if cached.is_empty() || cached.reweigh {
        return None;
    }
    let mut next = 0;
    let mut failed_again = Vec::new();
    for (file, &k) in files.iter().zip(known) {
        if k == Some(next) {
            next += 1;
        } else if let (None, Some(failed)) = (k, cached.failed(file, limit)) {
            failed_again.push(failed.clone());
        } else {
            return None;
        }
    }
    (next == cached.len()).then_some(failed_again)
}

/// The groups of `entries` (whose words are `words`) and the words they show.
fn groups_of(
    entries: &[Entry],
    words: &[WordCounts],
    vocabulary: &Vocabulary,
    analyzer: &Analyzer,
) -> (Vec<Group>, Vocabulary) {
    let pairs: Vec<(&Meeting, &MeetingMeasures)> =
        entries.iter().map(|e| (&e.meeting, &e.measures)).collect();
    let mut groups = aggregate::group(&pairs, words, vocabulary, analyzer.taxonomy.themes.len());
    let shown = aggregate::keep_shown_words(&mut groups, vocabulary);
    (groups, shown)
}

impl Analysis {
    /// Every file is as the cache knows it: the analysis is the cache's, groups
    /// included, and no report is opened.
    fn from_cache(
        plan: Plan,
        analyzer: Arc<Analyzer>,
        cached: Cached,
        failed: &[Failed],
        progress: &Progress,
    ) -> Analysis {
        let (entries, groups, words) = cached.into_parts();
        // Collected in place, into the entries' own buffer: a second buffer of a hundred
        // thousand meetings would be the largest allocation of a warm start.
        let meetings: Vec<MeasuredMeeting> = entries
            .into_iter()
            .filter_map(|entry| entry.map(MeasuredMeeting::from))
            .collect();
        progress
            .files_done
            .store(plan.files.len(), Ordering::Relaxed);
        progress
            .bytes_done
            .store(plan.files.iter().map(|f| f.size).sum(), Ordering::Relaxed);
        let cache = CacheStats {
            reused: meetings.len(),
            measured: 0,
            notice: None,
        };
        Analysis::of(plan, analyzer, failed, meetings, (groups, words), cache)
    }

    /// An analysis of `plan`, which could not read the reports in `failed`: its notices
    /// are the plan's, and it skipped what the listing could not take in, then those.
    fn of(
        plan: Plan,
        analyzer: Arc<Analyzer>,
        failed: &[Failed],
        meetings: Vec<MeasuredMeeting>,
        (groups, words): (Vec<Group>, Vocabulary),
        cache: CacheStats,
    ) -> Analysis {
        Analysis {
            notices: plan.notices.clone(),
            skipped: plan
                .skipped
                .iter()
                .cloned()
                .chain(failed.iter().map(Failed::skipped))
                .collect(),
            analyzer,
            plan,
            meetings,
            groups,
            pooled: Default::default(),
            words,
            cache,
        }
    }

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
    /// and hits from memory. It is done where it is first asked for, in the dashboard's
    /// update step (the `L` key, or a new analysis arriving at a pooled level): fast
    /// enough for one key press on such corpora. It belongs in a `Job` of the dashboard
    /// (tui::message), the views showing the county level meanwhile; not done yet.
    pub fn at(&self, level: GroupLevel) -> Groups<'_> {
        let groups = match level {
            GroupLevel::County => &self.groups,
            GroupLevel::Prefecture | GroupLevel::Province => {
                let cell = &self.pooled[usize::from(level == GroupLevel::Province)];
                cell.get_or_init(|| {
                    let pairs: Vec<_> = self
                        .meetings
                        .iter()
                        .map(|m| (&m.meeting, &m.measures))
                        .collect();
                    aggregate::pool_at(&pairs, level, self.analyzer.taxonomy.themes.len())
                })
            }
        };
        Groups { level, all: groups }
    }

    /// The meeting's cleaned text, read again from disk (texts are not kept in memory).
    pub fn text(&self, meeting: usize, options: &Options) -> Result<String, String> {
        let wanted = &self
            .meetings
            .get(meeting)
            .ok_or_else(|| format!("no meeting #{meeting}"))?
            .meeting
            .file;
        // The listing is sorted by relative path (corpus::list): found by halving, not
        // by a scan over every file, which a word's evidence would make once a meeting.
        let file = self
            .plan
            .files
            .binary_search_by(|f| f.rel.as_str().cmp(wanted))
            .map(|i| &self.plan.files[i])
            .map_err(|_| format!("{wanted} is no longer in the corpus"))?;
        self.plan
            .read(file, options)
            .map(|r| r.text)
            .map_err(|s| format!("{}: {}", s.file, s.reason))
    }

    /// The sentences behind `subject` in the given meetings, in meeting order, and a
    /// note for each meeting whose text could not be read again (deleted or changed
    /// since it was measured): one lost file must not cost the evidence of the others.
    pub fn evidence(
        &self,
        subject: &Subject,
        meetings: &[usize],
        options: &Options,
    ) -> FoundEvidence {
        let mut found = FoundEvidence::default();
        for &m in meetings {
            self.evidence_in(subject, m, options, &mut found);
        }
        found
    }

    /// Adds the sentences behind `subject` in meeting `m` to `found`, or a note that its
    /// text could not be read again. A meeting that counted nothing of a theme is not
    /// read.
    pub fn evidence_in(
        &self,
        subject: &Subject,
        m: usize,
        options: &Options,
        found: &mut FoundEvidence,
    ) {
        let Some(measured) = self.meetings.get(m) else {
            return;
        };
        // Word frequencies are not kept per meeting (they would not fit in memory on a
        // large corpus), so for a word every meeting asked for is read.
        let counted = match subject {
            Subject::Theme(theme) => measured
                .measures
                .themes
                .get(*theme)
                .is_some_and(|t| t.hits > 0.0),
            Subject::Word(_) => true,
        };
        if !counted {
            return;
        }
        let text = match self.text(m, options) {
            Ok(text) => text,
            Err(why) => {
                found
                    .unreadable
                    .push(format!("{why}; its sentences are left out"));
                return;
            }
        };
        let passages = match subject {
            Subject::Theme(theme) => self.analyzer.passages(&text, *theme),
            Subject::Word(word) => self.analyzer.word_passages(&text, word),
        };
        found
            .sentences
            .extend(passages.into_iter().map(|passage| Evidence {
                meeting: m,
                passage,
            }));
    }
}
