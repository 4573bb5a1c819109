//! The library's front door: a corpus read, measured and grouped, for either front end.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::aggregate::{self, Group, YearKey};
use crate::cache::{self, Cache, Cached, Entry};
use crate::corpus::{self, ReportFile, Skipped};
use crate::ingest::{Meeting, Options, Plan};
use crate::measure::{Analyzer, MeetingMeasures, Passage};

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
    pub analyzer: Analyzer,
    pub plan: Plan,
    pub meetings: Vec<MeasuredMeeting>,
    pub groups: Vec<Group>,
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

/// One report: from the cache if it is unchanged there, else read and measured. The
/// content hash is only worth computing when there is a cache to compare it with.
fn measure_file(
    plan: &Plan,
    analyzer: &Analyzer,
    options: &Options,
    cached: &Cached,
    caching: bool,
    file: &ReportFile,
) -> Result<(Entry, bool), Skipped> {
    // The cap is this run's choice: a file cached under a larger cap is refused all the same.
    corpus::within_cap(file.size, options.max_file_bytes).map_err(|reason| Skipped {
        file: file.rel.clone(),
        reason,
    })?;
    let stated = cache::stated_hash(&plan.stated(file));
    if let Some(entry) = cached.unchanged(file, &stated) {
        return Ok((entry.clone(), true));
    }
    let bytes = plan.read_bytes(file, options)?;
    let content = if caching {
        cache::content_hash(&bytes)
    } else {
        [0; 32]
    };
    let modified = cache::modified_ns(file.modified);
    if let Some(entry) = cached.same_content(file, &content, &stated) {
        let mut entry = entry.clone();
        entry.size = file.size;
        entry.modified = modified;
        return Ok((entry, true));
    }
    let report = plan.report_from(file, &bytes)?;
    Ok((
        Entry {
            file: file.rel.clone(),
            size: file.size,
            modified,
            content,
            stated,
            measures: analyzer.measure(&report.text),
            meeting: report.meeting,
        },
        false,
    ))
}

/// A district as the dashboard lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictSummary {
    /// None: meetings whose district is unknown.
    pub district: Option<String>,
    pub meetings: usize,
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

impl Analysis {
    /// Reads every report of `plan` (in parallel), measures it and groups the results.
    /// The result is in corpus order whatever the threads did.
    pub fn build(
        plan: Plan,
        analyzer: Analyzer,
        options: &Options,
        progress: &Progress,
    ) -> Analysis {
        Analysis::build_cached(plan, analyzer, options, progress, None)
    }

    /// [`Analysis::build`], reusing what `cache` holds for unchanged files and writing
    /// the cache anew when anything was measured.
    pub fn build_cached(
        plan: Plan,
        analyzer: Analyzer,
        options: &Options,
        progress: &Progress,
        cache: Option<&Cache>,
    ) -> Analysis {
        progress
            .files_total
            .store(plan.files.len(), Ordering::Relaxed);
        let cached = cache.map_or_else(Cached::default, |c| c.load(&analyzer.taxonomy.hash));
        let results: Vec<Result<(Entry, bool), Skipped>> = plan
            .files
            .par_iter()
            .map(|file| {
                if progress.cancel.load(Ordering::Relaxed) {
                    return Err(Skipped {
                        file: file.rel.clone(),
                        reason: "not read: loading was cancelled".into(),
                    });
                }
                let result =
                    measure_file(&plan, &analyzer, options, &cached, cache.is_some(), file);
                progress.files_done.fetch_add(1, Ordering::Relaxed);
                progress.bytes_done.fetch_add(file.size, Ordering::Relaxed);
                result
            })
            .collect();
        let mut entries = Vec::with_capacity(results.len());
        let mut skipped = plan.skipped.clone();
        let mut stats = CacheStats {
            notice: cached.notice.clone(),
            ..CacheStats::default()
        };
        for result in results {
            match result {
                Ok((entry, reused)) => {
                    if reused {
                        stats.reused += 1;
                    } else {
                        stats.measured += 1;
                    }
                    entries.push(entry);
                }
                Err(s) => skipped.push(s),
            }
        }
        let cancelled = progress.cancel.load(Ordering::Relaxed);
        if let Some(cache) =
            cache.filter(|_| !cancelled && (stats.measured > 0 || stats.notice.is_some()))
        {
            if let Err(e) = cache.store(&analyzer.taxonomy.hash, &entries) {
                stats.notice = Some(e);
            }
        }
        let meetings: Vec<MeasuredMeeting> = entries
            .into_iter()
            .map(|e| MeasuredMeeting {
                meeting: e.meeting,
                measures: e.measures,
            })
            .collect();
        let pairs: Vec<(&Meeting, &MeetingMeasures)> =
            meetings.iter().map(|m| (&m.meeting, &m.measures)).collect();
        let groups = aggregate::group(&pairs, analyzer.taxonomy.themes.len());
        Analysis {
            notices: plan.notices.clone(),
            analyzer,
            plan,
            meetings,
            groups,
            skipped,
            cache: stats,
        }
    }

    pub fn group(&self, district: Option<&str>, year: YearKey) -> Option<&Group> {
        self.groups
            .iter()
            .find(|g| g.district.as_deref() == district && g.year == year)
    }

    /// The districts, in group order, with their meeting counts and years.
    pub fn districts(&self) -> Vec<DistrictSummary> {
        let mut out: Vec<DistrictSummary> = Vec::new();
        for g in &self.groups {
            if out.last().is_none_or(|d| d.district != g.district) {
                out.push(DistrictSummary {
                    district: g.district.clone(),
                    meetings: 0,
                    years: Vec::new(),
                    undated: 0,
                });
            }
            let Some(d) = out.last_mut() else { continue };
            match g.year {
                YearKey::Year(y) => d.years.push(y),
                YearKey::Undated => d.undated = g.meetings.len(),
                YearKey::AllYears => d.meetings = g.meetings.len(),
            }
        }
        out
    }

    /// The meeting's cleaned text, read again from disk (texts are not kept in memory).
    pub fn text(&self, meeting: usize, options: &Options) -> Result<String, String> {
        let wanted = &self
            .meetings
            .get(meeting)
            .ok_or_else(|| format!("no meeting #{meeting}"))?
            .meeting
            .file;
        let file = self
            .plan
            .files
            .iter()
            .find(|f| &f.rel == wanted)
            .ok_or_else(|| format!("{wanted} is no longer in the corpus"))?;
        self.plan
            .read(file, options)
            .map(|r| r.text)
            .map_err(|s| format!("{}: {}", s.file, s.reason))
    }

    /// The sentences behind `subject` in the given meetings, in meeting order.
    pub fn evidence(
        &self,
        subject: &Subject,
        meetings: &[usize],
        options: &Options,
    ) -> Result<Vec<Evidence>, String> {
        let mut out = Vec::new();
        for &m in meetings {
            let measures = &self.meetings[m].measures;
            // Only meetings that counted the subject are read again from disk.
            let counted = match subject {
                Subject::Theme(theme) => measures.themes.get(*theme).is_some_and(|t| t.hits > 0.0),
                Subject::Word(word) => measures.words.iter().any(|(w, _)| w == word),
            };
            if !counted {
                continue;
            }
            let text = self.text(m, options)?;
            let passages = match subject {
                Subject::Theme(theme) => self.analyzer.passages(&text, *theme),
                Subject::Word(word) => self.analyzer.word_passages(&text, word),
            };
            out.extend(passages.into_iter().map(|passage| Evidence {
                meeting: m,
                passage,
            }));
        }
        Ok(out)
    }
}
