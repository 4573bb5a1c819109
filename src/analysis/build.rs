//! Building an analysis: every report read (or taken from the cache), measured and grouped.

use std::sync::atomic::Ordering;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use super::recount::{Counting, Remeasure, Remeasured};
use super::reuse::{known_of, stated_of, untouched};
use super::{Analysis, CacheStats, Grouped, MeasuredMeeting, Progress};
use crate::aggregate;
use crate::cache::journal::Journal;
use crate::cache::{self, Cache, Cached, Entry, Failed};
use crate::corpus::{self, ReportFile, Skipped};
use crate::ingest::{Options, Plan};
use crate::measure::{Measurer, MeetingMeasures, WordList};
use crate::meeting::Meeting;
use crate::tokens::{Appender, Cut, Span, Tokens};
use crate::vocabulary::{Vocabulary, WordCounts};

/// What became of one report.
enum Outcome {
    /// The cache's entry at this position stands (with the file's new size, time and
    /// place in its table, if only those changed), counted again when the taxonomy's
    /// words changed.
    Reused {
        position: usize,
        size: u64,
        modified: Option<u64>,
        offset: Option<u64>,
        again: Option<Remeasured>,
    },
    /// Read and measured now, with its cleaned text and cut to keep.
    Measured(Box<Entry>, WordList, Cut),
}

/// One report the cache could not vouch for by size and time: read, and measured unless
/// its bytes are the cached ones. The content hash is only worth computing when there is
/// a cache to compare it with.
fn measure_file(
    plan: &Plan,
    measurer: &Measurer,
    options: &Options,
    cached: Option<&Cached>,
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
    if let Some(position) = cached.and_then(|c| c.same_content(file, &content, &stated)) {
        return Ok(Outcome::Reused {
            position,
            size: file.size,
            modified,
            offset: cache::offset_of(file),
            again: None,
        });
    }
    let report = plan.report_from(file, &bytes, options)?;
    let measured = measurer.measure(&report.text);
    Ok(Outcome::Measured(
        Box::new(Entry {
            size: file.size,
            modified,
            offset: cache::offset_of(file),
            content,
            stated,
            measures: measured.measures,
            meeting: report.meeting,
            tokens: None,
        }),
        measured.words,
        Cut::new(report.text, measured.cut),
    ))
}

/// Reports measured between two internings of their words: enough to keep both cores
/// busy, few enough that their words as strings stay a few megabytes.
const CHUNK: usize = 1024;

/// How a corpus is to be built: the settings every step of [`Build::run`] needs.
pub(super) struct Build<'a> {
    pub(super) options: &'a Options,
    pub(super) progress: &'a Progress,
    pub(super) cache: Option<&'a Cache>,
    pub(super) show: Option<&'a dyn Fn(Analysis)>,
}

/// A partial analysis is shown at first after one chunk, then at most this often, and
/// never more often than keeps the time spent making them under a tenth of the build.
const SHOW_EVERY: Duration = Duration::from_secs(2);

impl Build<'_> {
    pub(super) fn run(&self, plan: Plan, measurer: Measurer, mut cached: Cached) -> Analysis {
        let Build {
            options,
            progress,
            cache,
            ..
        } = *self;
        let measurer = Arc::new(measurer);
        let files = &plan.files;
        progress.listed(files.len());
        let limit = options.max_file_bytes;
        let stated = stated_of(&plan, options);
        // Measured under a taxonomy with other words, the cache's entries are counted
        // again from their kept cuts — unless nothing of them can be reused.
        let remeasure = match &cached.earlier {
            Some(earlier) => match Remeasure::between(earlier, &measurer, None) {
                Some(remeasure) => Some(remeasure),
                None => {
                    cached = Cached::unusable(
                        "the taxonomy's lexicon or stopwords changed since the cache was \
                         written; measuring again"
                            .into(),
                    );
                    None
                }
            },
            None => None,
        };
        let mut known = known_of(&cached, files, &stated, limit);
        if let Some(failed_again) = untouched(&cached, files, &known, limit) {
            return Analysis::from_cache(plan, measurer, cached, &failed_again, progress);
        }
        let kept_cuts = cached
            .tokens
            .as_ref()
            .and_then(|(tokens, length)| tokens.open(*length).ok());
        let mut appender = cache.and_then(|cache| {
            let (tokens, length) = cached
                .tokens
                .clone()
                .unwrap_or_else(|| (cache.tokens(0), 0));
            Appender::open(&tokens, length, kept_cuts.is_some()).ok()
        });
        // A new tokens file holds none of the entries' old cuts. Without a file to write
        // (another build is appending to it), the old one's records still stand: only
        // the meetings measured now go without a kept cut.
        let spans_stand = kept_cuts.is_some() && appender.as_ref().is_none_or(|a| !a.is_fresh());
        let mut cuts_given_up = false;
        let mut shown_at: Option<Instant> = None;
        let mut show_wait = Duration::ZERO;

        // Something changed, so the groups are made again, and they need every meeting's
        // word frequencies: the cached ones, and those of the meetings measured now.
        let (mut vocabulary, mut cached_words) = match cached.words() {
            Ok(words) => words,
            Err(notice) => {
                cached = Cached::unusable(notice.to_string());
                known.iter_mut().for_each(|k| *k = None);
                (Vocabulary::default(), Vec::new())
            }
        };
        // What is measured is journaled as it goes, so that an interrupted build keeps
        // it. A journal that cannot be written (another build has it, a full disk) is
        // gone without: the cache's own store says what cannot be written.
        let mut journal = cache.and_then(|cache| {
            Journal::start(
                &cache.path,
                &measurer.taxonomy,
                &cached,
                appender.as_ref().map(Appender::at),
                vocabulary.len(),
            )
            .ok()
            .flatten()
        });
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
                .map_init(Vec::new, |scratch, &i| {
                    let file = &files[i];
                    if progress.cancel.load(Ordering::Relaxed) {
                        return Err(Skipped {
                            file: file.rel.clone(),
                            reason: "not read: loading was cancelled".into(),
                        });
                    }
                    let measure = |cached| {
                        measure_file(
                            &plan,
                            &measurer,
                            options,
                            cached,
                            cache.is_some(),
                            file,
                            stated[i],
                        )
                    };
                    let outcome = match known[i] {
                        Some(position) => Ok(Outcome::Reused {
                            position,
                            size: file.size,
                            modified: cache::modified_ns(file.modified),
                            offset: cache::offset_of(file),
                            again: None,
                        }),
                        // A report that failed before and would fail again is not read.
                        None => match cached.failed(file, limit) {
                            Some(failed) => Err(failed.skipped()),
                            None => measure(Some(&cached)),
                        },
                    };
                    // Counted again under the edited taxonomy; measured from its file if
                    // its cut was not kept.
                    let outcome = match (outcome, &remeasure) {
                        (
                            Ok(Outcome::Reused {
                                position,
                                size,
                                modified,
                                offset,
                                ..
                            }),
                            Some(remeasure),
                        ) => {
                            let again = cached.entry_at(position).ok_or_else(String::new).and_then(
                                |entry| {
                                    remeasure.remeasure(
                                        &entry.measures,
                                        (kept_cuts.as_ref(), entry.tokens),
                                        scratch,
                                    )
                                },
                            );
                            match again {
                                // Counted without its words: a build needs them.
                                Ok(Remeasured::CutAround(_)) | Err(_) => measure(None),
                                Ok(again) => Ok(Outcome::Reused {
                                    position,
                                    size,
                                    modified,
                                    offset,
                                    again: Some(again),
                                }),
                            }
                        }
                        (outcome, _) => outcome,
                    };
                    progress.advance(file.size);
                    outcome
                })
                .collect();
            for (&i, outcome) in chunk.iter().zip(outcomes) {
                match outcome {
                    Ok(Outcome::Reused {
                        position,
                        size,
                        modified,
                        offset,
                        again,
                    }) => {
                        // Each cached entry belongs to one file, so it is taken once.
                        let Some(mut entry) = cached.take(position) else {
                            continue;
                        };
                        // Taken as the cache has it: the journal need not hold it.
                        let as_cached = entry.size == size
                            && entry.modified == modified
                            && entry.offset == offset
                            && spans_stand
                            && again.is_none()
                            && !cached.reweigh;
                        entry.size = size;
                        entry.modified = modified;
                        entry.offset = offset;
                        if !spans_stand {
                            entry.tokens = None;
                        }
                        let mut counts = cached_words
                            .get_mut(position)
                            .map(std::mem::take)
                            .unwrap_or_default();
                        if matches!(again, Some(Remeasured::Matched(_) | Remeasured::Cut(..))) {
                            stats.counted_again += 1;
                        }
                        match again {
                            None if cached.reweigh => measurer.weigh(&mut entry.measures),
                            None => {}
                            // (CutAround never comes here: such a report is measured
                            // from its file above.)
                            Some(
                                Remeasured::Kept(measures)
                                | Remeasured::Matched(measures)
                                | Remeasured::CutAround(measures),
                            ) => {
                                entry.measures = measures;
                            }
                            Some(Remeasured::Cut(measured, text)) => {
                                entry.measures = measured.measures;
                                counts = vocabulary.intern(&measured.words);
                                entry.tokens = keep_cut(
                                    &mut appender,
                                    &mut cuts_given_up,
                                    &text,
                                    &measured.cut,
                                );
                            }
                        }
                        entries.push(entry);
                        words.push(counts);
                        stats.reused += 1;
                        if let Some(journal) = &mut journal {
                            if !as_cached || journal.needs(position) {
                                journal.add(entries.len() - 1);
                            }
                        }
                    }
                    Ok(Outcome::Measured(mut entry, counts, cut)) => {
                        entry.tokens =
                            keep_cut(&mut appender, &mut cuts_given_up, &cut.text, cut.lengths());
                        entries.push(*entry);
                        words.push(vocabulary.intern(&counts));
                        stats.measured += 1;
                        if let Some(journal) = &mut journal {
                            journal.add(entries.len() - 1);
                        }
                    }
                    Err(s) => failed.push(Failed::of(&files[i], limit, s.reason)),
                }
            }
            if let Some(written) = journal.as_mut().map(|journal| {
                journal.write(
                    false,
                    appender.as_mut(),
                    &entries,
                    &words,
                    &vocabulary,
                    &failed,
                    progress.cancel.load(Ordering::Relaxed),
                )
            }) {
                // Given up, as the build goes on: the cache's store says what cannot
                // be written.
                if written.is_err() {
                    journal = None;
                }
            }
            let more_to_come = entries.len() + failed.len() < files.len();
            if let Some(show) = self.show.filter(|_| more_to_come) {
                if shown_at.is_none_or(|at| at.elapsed() >= show_wait) {
                    let started = Instant::now();
                    show(Analysis::of(
                        plan.clone(),
                        Arc::clone(&measurer),
                        &failed,
                        entries.iter().cloned().map(MeasuredMeeting::from).collect(),
                        Grouped::of(&entries, &words, &vocabulary, &measurer),
                        stats.clone(),
                    ));
                    show_wait = SHOW_EVERY.max(started.elapsed() * 9);
                    shown_at = Some(Instant::now());
                }
            }
        }
        drop(cached_words);

        let grouped = Grouped::of(&entries, &words, &vocabulary, &measurer);
        let cancelled = progress.cancel.load(Ordering::Relaxed);
        // The cuts on disk before the cache that names them.
        // A cancelled build names no cut: a new file of them is not put in place, but
        // left for the next build when the journal names it.
        if cancelled {
            let journaled = journal.as_mut().is_some_and(|journal| {
                journal
                    .write(
                        true,
                        appender.as_mut(),
                        &entries,
                        &words,
                        &vocabulary,
                        &failed,
                        true,
                    )
                    .is_ok()
            });
            if let Some(appender) = appender.take() {
                if journaled {
                    appender.suspend();
                } else {
                    appender.abandon();
                }
            }
        }
        let finished = appender.map(Appender::finish);
        let tokens = match (finished, cuts_given_up, &kept_cuts) {
            (Some(Ok(tokens)), _, _) => Some(tokens),
            // Nothing written this build: the old file, its records as they were.
            (None, false, Some(_)) => cached.tokens.clone(),
            (finished, _, _) => {
                if let Some(Err(why)) = finished {
                    stats
                        .notice
                        .get_or_insert(format!("the reports' cuts were not kept: {why}"));
                }
                entries.iter_mut().for_each(|e| e.tokens = None);
                None
            }
        };
        if let Some(cache) = cache.filter(|_| !cancelled) {
            let counting = Counting::of(&measurer);
            let contents = cache::Contents {
                entries: &entries,
                groups: &grouped.groups,
                shown_words: &grouped.words,
                people: &grouped.people,
                unlisted: &plan.skipped,
                failed: &failed,
                vocabulary: &vocabulary,
                words: &words,
                tokens: tokens.as_ref().map(|(tokens, length)| (tokens, *length)),
                counting: Some(&counting),
            };
            match cache.store(&measurer.taxonomy, &contents) {
                Ok(()) => {
                    if let Some(journal) = journal.take() {
                        journal.remove();
                    }
                }
                // The journal stays: the next build goes on from it.
                Err(e) => stats.notice = Some(e.to_string()),
            }
        }
        let meetings = entries.into_iter().map(MeasuredMeeting::from).collect();
        Analysis::of(plan, measurer, &failed, meetings, grouped, stats).with_cuts(tokens)
    }
}

/// Keeps a meeting's cleaned text and cut in the tokens file being written, if there is
/// one. A record that cannot be written (a full disk) gives the file up and sets
/// `given_up`: no cut of this build is named by the cache then (see the end of
/// [`Build::run`]).
fn keep_cut(
    appender: &mut Option<Appender>,
    given_up: &mut bool,
    text: &str,
    cut: &[u32],
) -> Option<Span> {
    let span = appender.as_mut()?.append(text, cut);
    if span.is_err() {
        *given_up = true;
        if let Some(appender) = appender.take() {
            appender.abandon();
        }
    }
    span.ok()
}

impl Grouped {
    /// The groups of `entries` (whose words are `words`), the words they show and the
    /// names among those.
    fn of(
        entries: &[Entry],
        words: &[WordCounts],
        vocabulary: &Vocabulary,
        measurer: &Measurer,
    ) -> Grouped {
        let pairs: Vec<(&Meeting, &MeetingMeasures)> =
            entries.iter().map(|e| (&e.meeting, &e.measures)).collect();
        let mut groups =
            aggregate::group(&pairs, words, vocabulary, measurer.taxonomy.themes.len());
        let shown = aggregate::keep_shown_words(&mut groups, vocabulary);
        let people = people_among(&shown, pairs.iter().map(|(m, _)| *m), measurer);
        Grouped {
            groups,
            words: shown,
            people,
        }
    }
}

/// The ids of the `shown` words that are people's names: a speaker's or leader's of any
/// of `meetings`, or a word jieba tags as a name.
fn people_among<'m>(
    shown: &Vocabulary,
    meetings: impl Iterator<Item = &'m Meeting>,
    measurer: &Measurer,
) -> FxHashSet<u32> {
    let named: FxHashSet<&str> = meetings
        .flat_map(|m| {
            m.speakers
                .iter()
                .map(|s| s.name.as_str())
                .chain(m.leaders.iter().map(|l| l.name.as_str()))
        })
        .collect();
    shown
        .words()
        .enumerate()
        .filter(|(_, w)| named.contains(w) || measurer.segmenter().is_person_name(w))
        .map(|(id, _)| u32::try_from(id).unwrap_or(u32::MAX))
        .collect()
}

impl Analysis {
    /// Every file is as the cache knows it: the analysis is the cache's, groups
    /// included, and no report is opened.
    pub(super) fn from_cache(
        plan: Plan,
        measurer: Arc<Measurer>,
        cached: Cached,
        failed: &[Failed],
        progress: &Progress,
    ) -> Analysis {
        let cuts = cached.tokens.clone();
        let (entries, grouped) = cached.into_parts();
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
            counted_again: 0,
            notice: None,
        };
        Analysis::of(plan, measurer, failed, meetings, grouped, cache).with_cuts(cuts)
    }

    /// An analysis of `plan`, which could not read the reports in `failed`: its notices
    /// are the plan's, and it skipped what the listing could not take in, then those.
    pub(super) fn of(
        plan: Plan,
        measurer: Arc<Measurer>,
        failed: &[Failed],
        meetings: Vec<MeasuredMeeting>,
        grouped: Grouped,
        cache: CacheStats,
    ) -> Analysis {
        Analysis {
            tenures: OnceLock::new(),
            people: grouped.people,
            notices: plan.notices.clone(),
            skipped: plan
                .skipped
                .iter()
                .cloned()
                .chain(failed.iter().map(Failed::skipped))
                .collect(),
            measurer,
            plan,
            meetings,
            groups: grouped.groups,
            pooled: Default::default(),
            words: grouped.words,
            cache,
            cuts: None,
            cuts_open: OnceLock::new(),
        }
    }

    /// The analysis, its meetings' cuts kept in `cuts` (a tokens file and its length).
    pub(super) fn with_cuts(self, cuts: Option<(Tokens, u64)>) -> Analysis {
        Analysis {
            cuts,
            cuts_open: OnceLock::new(),
            ..self
        }
    }
}
