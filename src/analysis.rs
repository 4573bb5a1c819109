//! The library's front door: a corpus read, measured and grouped, for either front end.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::aggregate::{self, Group, YearKey};
use crate::corpus::Skipped;
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
        progress
            .files_total
            .store(plan.files.len(), Ordering::Relaxed);
        let results: Vec<Result<MeasuredMeeting, Skipped>> = plan
            .files
            .par_iter()
            .map(|file| {
                if progress.cancel.load(Ordering::Relaxed) {
                    return Err(Skipped {
                        file: file.rel.clone(),
                        reason: "not read: loading was cancelled".into(),
                    });
                }
                let result = plan.read(file, options).map(|report| MeasuredMeeting {
                    measures: analyzer.measure(&report.text),
                    meeting: report.meeting,
                });
                progress.files_done.fetch_add(1, Ordering::Relaxed);
                progress.bytes_done.fetch_add(file.size, Ordering::Relaxed);
                result
            })
            .collect();
        let mut meetings = Vec::with_capacity(results.len());
        let mut skipped = plan.skipped.clone();
        for result in results {
            match result {
                Ok(m) => meetings.push(m),
                Err(s) => skipped.push(s),
            }
        }
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
