//! What changes the dashboard's state, and the slow work it asks for.
//!
//! Everything that changes [`super::app::App`] arrives as one [`Message`] through one
//! channel: keys and resizes from the input thread, the corpus from the loading thread,
//! its progress from the loading threads as files are done, and the answers of the
//! [`Job`]s the update step asks for. A job reads the disk (evidence, a meeting's text),
//! writes to it (a figure exported) or pools groups at a level on a thread of its own,
//! so the UI thread never waits on a file or a corpus-wide count; its answers carry the
//! [`Ticket`] of the request, and an answer to a request that was cancelled or replaced
//! is dropped. (An export needs none: every one asked for is written and said.)

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::KeyEvent;

use crate::aggregate::{District, GroupLevel, YearKey};
use crate::analysis::{Analysis, FoundEvidence, Subject};
use crate::error::Error;
use crate::figure::{self, Spec};
use crate::ingest::Options;
use crate::keywords::{Suggestion, Trial};
use crate::measure::{Explained, Passage};
use crate::meeting::Office;
use crate::shift::{self, AverageShift, Shift, WordShifts};
use crate::tenure::Change;

use super::app::Loading;
use super::trends::TrendAnswer;
use crate::analysis::Loader;
use crate::cache::Cache;
use crate::measure::Measurer;
use crate::taxonomy::{Taxonomy, TaxonomyError};
use crate::trend::{self, Found, Query, Searching};

/// Candidate keywords the keywords pane offers at most.
const CANDIDATES: usize = 12;

/// Where the dashboard's analysis comes from: what a re-count after an edit of the
/// themes needs to measure the corpus again.
#[derive(Debug, Clone)]
pub struct Source {
    /// The corpus folder.
    pub corpus: PathBuf,
    /// How its reports are read.
    pub options: Options,
    /// Its cache, if one is used.
    pub cache: Option<Cache>,
    /// The themes folder, when the taxonomy is one (the built-in one never changes).
    pub themes: Option<PathBuf>,
}

/// A sentence for each keyword of a theme in a group, by keyword index: where it matched
/// there, if a text holding it could be read.
pub type Samples = Arc<Vec<Option<Passage>>>;

/// How many words that moved a before/after panel lists each way.
pub const SHIFT_WORDS: usize = 10;

/// Everything that changes the dashboard's state.
#[derive(Clone)]
pub enum Message {
    /// A key pressed (or repeated).
    Key(KeyEvent),
    /// The terminal's new size: columns, rows.
    Resize(u16, u16),
    /// How far the loading thread has read, while nothing is shown yet.
    Progress(Loading),
    /// The loading thread's news.
    Loaded(Loaded),
    /// Sentences of an evidence request, as they are found: `read` of its meetings done,
    /// `done` on the last batch.
    Evidence {
        /// The number of the request answered.
        ticket: u64,
        /// The sentences found since the last batch, and the meetings that could not
        /// be read.
        found: FoundEvidence,
        /// The meetings of the group read so far.
        read: usize,
        /// The meetings of the group, all told.
        total: usize,
        /// Whether this is the last batch.
        done: bool,
    },
    /// The groups of the level a request asked for are pooled.
    Pooled {
        /// The number of the request answered.
        ticket: u64,
    },
    /// A change of leader's before and after; sent again with the words once the
    /// meetings' texts are read.
    Shift {
        /// The number of the request answered.
        ticket: u64,
        /// The themes on both sides.
        shift: Arc<Shift>,
        /// The words that moved, once read.
        words: Option<Arc<WordShifts>>,
    },
    /// How themes moved on average over changes of an office.
    Average {
        /// The number of the request answered.
        ticket: u64,
        /// The office whose changes were averaged.
        office: Office,
        /// Whether only some units' changes counted.
        filtered: bool,
        /// The average.
        average: Arc<AverageShift>,
    },
    /// A file of the themes folder was saved (a burst of saves arrives as one).
    ThemesEdited,
    /// The themes folder read again: the taxonomy, or precisely why it is broken.
    Themes {
        /// The number of the request answered.
        ticket: u64,
        /// The taxonomy, or the file, line and column of what is wrong.
        taxonomy: Result<Taxonomy, TaxonomyError>,
    },
    /// The corpus counted again with an edited taxonomy: first, when it can be, in
    /// memory from the kept cuts (`last` false), then built through the cache (`last`).
    Recounted {
        /// The number of the request answered.
        ticket: u64,
        /// The analysis, or why the corpus could not be read.
        analysis: Result<Arc<Analysis>, Error>,
        /// Meetings whose numbers the edit moved (counted from memory), or, when the
        /// corpus had to be built, those measured or counted again.
        touched: usize,
        /// Whether this is the last answer. Before it, the groups' word lists may be
        /// those from before the edit.
        last: bool,
    },
    /// Candidate keywords for a theme, from a group's sentences.
    Candidates {
        /// The number of the request answered.
        ticket: u64,
        /// The strongest first.
        candidates: Arc<Vec<Suggestion>>,
    },
    /// A term tried as a keyword of a theme: what it would add, sentence by sentence,
    /// or why it cannot be one.
    Tried {
        /// The number of the request answered.
        ticket: u64,
        /// The trial, or the term's fault ([`Error::Term`]).
        trial: Result<Arc<Trial>, Error>,
    },
    /// A sentence for each keyword of a theme in a group, for the keywords pane.
    Samples {
        /// The number of the request answered.
        ticket: u64,
        /// The samples.
        samples: Samples,
    },
    /// Why a sentence of the evidence counts as it does.
    Explained {
        /// The number of the request answered.
        ticket: u64,
        /// Its words and matches.
        explained: Explained,
    },
    /// How far a trend's search has got.
    Searching {
        /// The number of the request answered.
        ticket: u64,
        /// Meetings searched so far.
        done: usize,
        /// The meetings of the corpus.
        total: usize,
    },
    /// A trend query answered.
    Trend {
        /// The number of the request answered.
        ticket: u64,
        /// Its lines and adoption.
        answer: Arc<TrendAnswer>,
    },
    /// A figure exported: its file, or why it was not written.
    Exported(Result<PathBuf, Error>),
    /// A meeting's cleaned text for the reader, or why it could not be read.
    Text {
        /// The number of the request answered.
        ticket: u64,
        /// The text, or why it could not be read.
        text: Result<String, Error>,
    },
}

/// What the loading thread sends.
#[derive(Clone)]
pub enum Loaded {
    /// The meetings read so far, while the rest are read.
    Partial(Arc<Analysis>),
    /// The cache's analysis, before the corpus was checked against it.
    FromCache(Arc<Analysis>),
    /// The corpus is as the cache knew it: what is shown stands.
    Confirmed,
    /// The analysis of the corpus as it is now, or why there is none.
    Current(Result<Arc<Analysis>, Error>),
}

/// A request's number and its cancel switch: the job stops at its next step once the
/// switch is set, and its answers, numbered, are dropped unless still awaited.
#[derive(Debug, Clone)]
pub struct Ticket {
    pub(crate) id: u64,
    cancelled: Arc<AtomicBool>,
}

impl Ticket {
    /// Ticket number `id`, not cancelled.
    pub fn new(id: u64) -> Ticket {
        Ticket {
            id,
            cancelled: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Tells the job to stop.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    /// Whether the job was told to stop.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }
}

/// How often an evidence job hands over what it found so far: often enough that the
/// view fills in as it reads, seldom enough that a group of thousands of meetings is not
/// thousands of redraws.
const EVIDENCE_BATCH_EVERY: Duration = Duration::from_millis(100);

/// Slow work the update step asks for, done off the UI thread.
pub enum Job {
    /// The sentences behind `subject` in the meetings of a group (or in the meetings
    /// listed), each meeting's text read again. The group is looked up here too: at a
    /// level not pooled yet, that pools.
    Evidence {
        /// The request, which its answers are numbered by.
        ticket: Ticket,
        /// The analysis the group belongs to.
        analysis: Arc<Analysis>,
        /// The theme or word whose sentences are wanted.
        subject: Subject,
        /// The group's district, at `level`.
        district: District,
        /// The level the group is pooled at.
        level: GroupLevel,
        /// The group's year.
        year: YearKey,
        /// The meetings to read instead of the group's.
        listed: Option<Vec<usize>>,
        /// How the meetings' files are read again.
        options: Options,
    },
    /// The before and after of a change of leader, then the words that moved.
    Shift {
        /// The request, which its answers are numbered by.
        ticket: Ticket,
        /// The analysis whose tenures changed.
        analysis: Arc<Analysis>,
        /// The change.
        change: Change,
        /// How the meetings' files are read again, for the words.
        options: Options,
    },
    /// How themes moved on average over the changes of `office`.
    Average {
        /// The request, which its answer is numbered by.
        ticket: Ticket,
        /// The analysis whose changes are averaged.
        analysis: Arc<Analysis>,
        /// The office whose changes count.
        office: Office,
        /// Only the changes of these unit ids, if given.
        units: Option<Vec<String>>,
    },
    /// The themes folder read again, after an edit.
    Themes {
        /// The request, which its answer is numbered by.
        ticket: Ticket,
        /// The folder.
        dir: PathBuf,
    },
    /// The corpus counted again with `taxonomy`: in memory from the analysis shown and
    /// its kept cuts first (see [`Analysis::recount`]), then built through the cache,
    /// which counts its entries again the same way and is written for the next start.
    Recount {
        /// The request, which its answer is numbered by.
        ticket: Ticket,
        /// Where the corpus is, how it is read and cached.
        source: Source,
        /// The analysis shown, counted under the taxonomy before the edit.
        analysis: Arc<Analysis>,
        /// The edited taxonomy.
        taxonomy: Taxonomy,
    },
    /// Candidate keywords for `theme`: words in no theme that go with its sentences in
    /// `meetings` (their texts read again).
    Candidates {
        /// The request, which its answer is numbered by.
        ticket: Ticket,
        /// The analysis whose taxonomy counts.
        analysis: Arc<Analysis>,
        /// The theme, by index.
        theme: usize,
        /// The group's meetings, by index.
        meetings: Vec<usize>,
        /// How the reports are read.
        options: Options,
    },
    /// `term` tried as a keyword of `theme` on every meeting (see
    /// [`crate::keywords::try_term`]): it reads every text that could hold it, and stops
    /// once cancelled.
    Try {
        /// The request, which its answer is numbered by.
        ticket: Ticket,
        /// The analysis to try it on.
        analysis: Arc<Analysis>,
        /// The theme, by index.
        theme: usize,
        /// The term, as typed.
        term: String,
        /// How the reports are read.
        options: Options,
    },
    /// A sample sentence for each keyword of `theme` that matched in `meetings` (a
    /// group's), from the first of them whose text can be read.
    Samples {
        /// The request, which its answer is numbered by.
        ticket: Ticket,
        /// The analysis whose taxonomy counts.
        analysis: Arc<Analysis>,
        /// The theme, by index.
        theme: usize,
        /// The group's meetings, by index.
        meetings: Vec<usize>,
        /// How the reports are read.
        options: Options,
    },
    /// A sentence segmented and matched, to say why it counts (the segmenter may need
    /// building first, a fraction of a second).
    Explain {
        /// The request, which its answer is numbered by.
        ticket: Ticket,
        /// The analysis whose taxonomy counts.
        analysis: Arc<Analysis>,
        /// The sentence.
        sentence: String,
    },
    /// The groups of an analysis at `level`, pooled from its meetings.
    Pool {
        /// The request, which its answer is numbered by.
        ticket: Ticket,
        /// The analysis to pool.
        analysis: Arc<Analysis>,
        /// The level to pool it at.
        level: GroupLevel,
    },
    /// A trend query: every meeting searched for its series (or, when `found` is given,
    /// what an earlier search found pooled again at another level).
    Trend {
        /// The request, which its answers are numbered by.
        ticket: Ticket,
        /// The analysis to search.
        analysis: Arc<Analysis>,
        /// The query.
        query: Query,
        /// What a search of this analysis already found for it.
        found: Option<Found>,
        /// The level the districts' lines are pooled at.
        level: GroupLevel,
        /// How meetings without kept cuts are read again.
        options: Options,
    },
    /// The texts of an analysis made ready for a search (its kept cuts mapped), while
    /// the first query is typed; answers nothing.
    PrepareSearch {
        /// The analysis.
        analysis: Arc<Analysis>,
    },
    /// A figure of the chart in view, written with its data into a folder (never one
    /// of `read`, the corpus and themes folders).
    Export {
        /// The analysis the chart shows.
        analysis: Arc<Analysis>,
        /// What the chart draws.
        spec: Box<Spec>,
        /// What it is of, for the file's name: a unit, a year, a theme, a term.
        label: String,
        /// The folder it goes to: the current directory.
        dir: PathBuf,
        /// The corpus folder, named in the figure's metadata.
        corpus: PathBuf,
        /// The folders zhongdian reads, which it never writes into.
        read: Vec<PathBuf>,
    },
    /// A meeting's text, for the reader.
    Text {
        /// The request, which its answer is numbered by.
        ticket: Ticket,
        /// The analysis the meeting belongs to.
        analysis: Arc<Analysis>,
        /// The meeting, by its index in the analysis.
        meeting: usize,
        /// How its file is read again.
        options: Options,
    },
}

impl Job {
    /// Does the work, handing each answer to `send`; stops when cancelled or when `send`
    /// says no one listens any more.
    pub fn run(self, send: &mut dyn FnMut(Message) -> bool) {
        match self {
            Job::Evidence {
                ticket,
                analysis,
                subject,
                district,
                level,
                year,
                listed,
                options,
            } => {
                let meetings = listed.unwrap_or_else(|| {
                    analysis
                        .at(level)
                        .group(district.key(), year)
                        .map(|g| g.meetings.clone())
                        .unwrap_or_default()
                });
                let total = meetings.len();
                let mut found = FoundEvidence::default();
                let mut handed = Instant::now();
                for (i, &m) in meetings.iter().enumerate() {
                    if ticket.is_cancelled() {
                        return;
                    }
                    analysis.evidence_in(&subject, m, &options, &mut found);
                    let something = !found.sentences.is_empty() || !found.unreadable.is_empty();
                    if something && handed.elapsed() >= EVIDENCE_BATCH_EVERY {
                        let batch = Message::Evidence {
                            ticket: ticket.id,
                            found: std::mem::take(&mut found),
                            read: i + 1,
                            total,
                            done: false,
                        };
                        if !send(batch) {
                            return;
                        }
                        handed = Instant::now();
                    }
                }
                send(Message::Evidence {
                    ticket: ticket.id,
                    found,
                    read: total,
                    total,
                    done: true,
                });
            }
            Job::Shift {
                ticket,
                analysis,
                change,
                options,
            } => {
                let calendar = shift::Calendar::of(&analysis);
                let themes = Arc::new(shift::shift(&calendar, analysis.tenures(), change));
                let answer = |words| Message::Shift {
                    ticket: ticket.id,
                    shift: Arc::clone(&themes),
                    words,
                };
                if ticket.is_cancelled() || !send(answer(None)) {
                    return;
                }
                let cancelled = || ticket.is_cancelled();
                let words =
                    shift::word_shifts(&analysis, &themes, SHIFT_WORDS, &options, &cancelled);
                if let Some(words) = words.filter(|_| !ticket.is_cancelled()) {
                    send(answer(Some(Arc::new(words))));
                }
            }
            Job::Average {
                ticket,
                analysis,
                office,
                units,
            } => {
                let keep = |t: &crate::tenure::Tenure| {
                    units
                        .as_ref()
                        .is_none_or(|u| u.binary_search(&t.unit.id).is_ok())
                };
                let average = shift::average_shift(&analysis, office, keep);
                if !ticket.is_cancelled() {
                    send(Message::Average {
                        ticket: ticket.id,
                        office,
                        filtered: units.is_some(),
                        average: Arc::new(average),
                    });
                }
            }
            Job::Themes { ticket, dir } => {
                if !ticket.is_cancelled() {
                    send(Message::Themes {
                        ticket: ticket.id,
                        taxonomy: Taxonomy::load(&dir),
                    });
                }
            }
            Job::Recount {
                ticket,
                source,
                analysis,
                taxonomy,
            } => {
                if ticket.is_cancelled() {
                    return;
                }
                let first = analysis.recount(Measurer::new(taxonomy.clone()), &ticket.cancelled);
                drop(analysis);
                let touched = first.as_ref().map(|r| r.moved);
                if let Some(first) = first {
                    send(Message::Recounted {
                        ticket: ticket.id,
                        analysis: Ok(Arc::new(first.analysis)),
                        touched: first.moved,
                        last: false,
                    });
                }
                if ticket.is_cancelled() {
                    return;
                }
                let built = Loader::new(&source.corpus, &source.options)
                    .with_cache(source.cache.as_ref())
                    .load(Measurer::new(taxonomy))
                    .map(Arc::new);
                if let Ok(analysis) = &built {
                    // As the loading thread does: the Leaders view finds them made.
                    analysis.tenures();
                }
                if !ticket.is_cancelled() {
                    let touched = touched.unwrap_or_else(|| {
                        built
                            .as_ref()
                            .map_or(0, |a| a.cache.measured + a.cache.counted_again)
                    });
                    send(Message::Recounted {
                        ticket: ticket.id,
                        analysis: built,
                        touched,
                        last: true,
                    });
                }
            }
            Job::Candidates {
                ticket,
                analysis,
                theme,
                meetings,
                options,
            } => {
                let (candidates, _unreadable) = crate::keywords::suggestions_in(
                    &analysis, theme, meetings, CANDIDATES, &options,
                );
                if !ticket.is_cancelled() {
                    send(Message::Candidates {
                        ticket: ticket.id,
                        candidates: Arc::new(candidates),
                    });
                }
            }
            Job::Try {
                ticket,
                analysis,
                theme,
                term,
                options,
            } => {
                let trial = crate::keywords::try_term_until(
                    &analysis,
                    theme,
                    &term,
                    &options,
                    &ticket.cancelled,
                );
                // Stopped, it is a trial of some meetings only: no answer.
                if !ticket.is_cancelled() {
                    send(Message::Tried {
                        ticket: ticket.id,
                        trial: trial.map(Arc::new),
                    });
                }
            }
            Job::Samples {
                ticket,
                analysis,
                theme,
                meetings,
                options,
            } => {
                let uses = crate::keywords::keyword_uses_in(&analysis, theme, meetings);
                let (found, _unreadable) =
                    crate::keywords::samples(&analysis, theme, &uses, &options, &ticket.cancelled);
                // Stopped: a newer selection asks its own.
                if ticket.is_cancelled() {
                    return;
                }
                let mut samples = vec![None; uses.len()];
                for (used, sample) in uses.iter().zip(found) {
                    samples[used.keyword] = sample.map(|(_, passage)| passage);
                }
                send(Message::Samples {
                    ticket: ticket.id,
                    samples: Arc::new(samples),
                });
            }
            Job::Explain {
                ticket,
                analysis,
                sentence,
            } => {
                if !ticket.is_cancelled() {
                    let explained = analysis.measurer.explain(&sentence);
                    send(Message::Explained {
                        ticket: ticket.id,
                        explained,
                    });
                }
            }
            Job::Pool {
                ticket,
                analysis,
                level,
            } => {
                if !ticket.is_cancelled() {
                    analysis.at(level);
                    send(Message::Pooled { ticket: ticket.id });
                }
            }
            Job::Trend {
                ticket,
                analysis,
                query,
                found,
                level,
                options,
            } => {
                let found = match found {
                    Some(found) => Some(found),
                    None => search_telling(&ticket, &analysis, &query, &options, send),
                };
                let Some(found) = found.filter(|_| !ticket.is_cancelled()) else {
                    return;
                };
                let answer = Arc::new(TrendAnswer::of(&analysis, found, level));
                if !ticket.is_cancelled() {
                    send(Message::Trend {
                        ticket: ticket.id,
                        answer,
                    });
                }
            }
            Job::PrepareSearch { analysis } => analysis.prepare_texts(),
            Job::Export {
                analysis,
                spec,
                label,
                dir,
                corpus,
                read,
            } => {
                send(Message::Exported(export(
                    &analysis, &spec, &label, &dir, &corpus, &read,
                )));
            }
            Job::Text {
                ticket,
                analysis,
                meeting,
                options,
            } => {
                if ticket.is_cancelled() {
                    return;
                }
                let text = analysis.text(meeting, &options);
                send(Message::Text {
                    ticket: ticket.id,
                    text,
                });
            }
        }
    }
}

/// Writes the figure `spec` of `analysis` into `dir` under a free name (see
/// [`figure::free_file`]), its data beside it; refused when `dir` is inside one of
/// `read`. Returns the figure's file.
fn export(
    analysis: &Analysis,
    spec: &Spec,
    label: &str,
    dir: &std::path::Path,
    corpus: &std::path::Path,
    read: &[PathBuf],
) -> Result<PathBuf, Error> {
    if let Some(inside) = crate::cache::folder_holding(dir, read.iter().map(PathBuf::as_path)) {
        return Err(Error::OutputInside {
            file: dir.to_path_buf(),
            inside: inside.to_path_buf(),
        });
    }
    let drawn = figure::build(analysis, spec, corpus)?;
    let file = figure::free_file(dir, spec.kind(), label);
    figure::write(&drawn, &file, figure::Format::Svg)?;
    Ok(file)
}

/// How often a search says how far it has got.
const SEARCH_TELLS_EVERY: Duration = Duration::from_millis(100);

/// Searches `analysis` for `query` on the thread pool while this thread tells `send`
/// how far it has got; stops the search once `ticket` is cancelled or no one listens.
fn search_telling(
    ticket: &Ticket,
    analysis: &Analysis,
    query: &Query,
    options: &Options,
    send: &mut dyn FnMut(Message) -> bool,
) -> Option<Found> {
    let progress = Searching::default();
    let total = analysis.meetings.len();
    let (done, found) = std::sync::mpsc::channel();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            // No one waits for it only once this thread has stopped.
            let _ = done.send(trend::search(analysis, query, options, &progress));
        });
        loop {
            match found.recv_timeout(SEARCH_TELLS_EVERY) {
                Ok(found) => return found,
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return None,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    let told = Message::Searching {
                        ticket: ticket.id,
                        done: progress.done.load(Ordering::Relaxed),
                        total,
                    };
                    if ticket.is_cancelled() || !send(told) {
                        progress.cancel.store(true, Ordering::Relaxed);
                    }
                }
            }
        }
    })
}
