//! The dashboard's state and the one place it changes: [`App::update`], which takes a
//! [`Message`] and says whether to redraw and what slow [`Job`]s to start. Nothing here
//! draws, touches the terminal or reads a file, so every interaction can be tested (and
//! replayed) without one.

mod trend_update;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use crossterm::event::KeyEvent;

use super::keymap::{self, Action};
use super::layout::{reader_height, reader_width, wrap, WrappedLine};
use super::message::{Job, Loaded, Message, Samples, Source, Ticket};
use super::trends::Trends;
pub use super::view::View;
pub use crate::aggregate::sorted_by_value;
use crate::aggregate::{District, Group, GroupLevel, YearKey};
use crate::analysis::{Analysis, DistrictSummary, Evidence as Sentence, Groups, Subject};
use crate::error::Error;
use crate::figure::Spec;
use crate::ingest::Options;
use crate::keywords::Trial;
use crate::measure::{Explained, Measure, Passage};
use crate::meeting::Office;
pub use crate::shift::shift_order;
use crate::shift::{AverageShift, Shift, WordShifts};
use crate::taxonomy::{Taxonomy, TaxonomyError};

/// The panes of the Districts view that take focus, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DistrictPane {
    /// The district list, on the left.
    List,
    /// The selected district-year's theme bars.
    Themes,
    /// Its frequent (or distinctive) words.
    Words,
}

/// Which words the keyword bars show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WordMode {
    /// The words the group uses most.
    Frequent,
    /// The words it uses more than the rest of the corpus (log-likelihood).
    Distinctive,
    /// The selected theme's keywords, by what each adds to the theme's hits here.
    Keywords,
}

/// A row of the word bars: what it names, its value, the value as shown, and for a
/// keyword its index in the theme (Enter shows its sentences as the theme counts it).
#[derive(Debug, Clone, PartialEq)]
pub struct WordRow {
    /// The word or keyword.
    pub label: String,
    /// The bar's length.
    pub value: f64,
    /// The value printed.
    pub text: String,
    /// The keyword's index in the selected theme, in the keywords mode.
    pub keyword: Option<usize>,
}

/// What the Evidence view is showing the sentences for.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceQuery {
    /// The theme or word whose sentences are shown.
    pub subject: Subject,
    /// The district at `level`.
    pub district: District,
    /// The level the district's group is pooled at.
    pub level: GroupLevel,
    /// The group's year, `undated` or `all years`.
    pub year: YearKey,
    /// Meetings chosen otherwise than by group (the two sides of a change of leader),
    /// read instead of the group's.
    pub within: Option<Within>,
}

/// Meetings an evidence query reads instead of a group's, and what they are.
#[derive(Debug, Clone, PartialEq)]
pub struct Within {
    /// What the meetings are, for the view's title: `陈明远 → 刘强, before and after`.
    pub label: String,
    /// The meetings, by index in the analysis, in the order their sentences are shown.
    pub meetings: Vec<usize>,
    /// The named parts `meetings` falls into, in order, with how many meetings each
    /// holds: (`before: 陈明远`, 4), (`after: 刘强`, 2). Each sentence says its part.
    pub parts: Vec<(String, usize)>,
}

impl Within {
    /// The part meeting `m` is in, if it is listed.
    pub fn part_of(&self, m: usize) -> Option<&str> {
        let at = self.meetings.iter().position(|&x| x == m)?;
        let mut end = 0;
        self.parts.iter().find_map(|(name, n)| {
            end += n;
            (at < end).then_some(name.as_str())
        })
    }
}

/// What the Leaders view's lower panel compares, once a worker has worked it out.
#[derive(Debug, Clone)]
pub enum LeaderPanel {
    /// A change of holder: each theme before and after, then the words that moved.
    Shift {
        /// The themes on both sides.
        shift: Arc<Shift>,
        /// The words that moved, once the meetings' texts are read.
        words: Option<Arc<WordShifts>>,
    },
    /// How themes moved on average over the changes of an office.
    Average {
        /// The office.
        office: Office,
        /// The average.
        average: Arc<AverageShift>,
        /// Whether only the units of the district filter count.
        filtered: bool,
    },
}

/// A meeting's full text open for reading.
#[derive(Debug, Clone, PartialEq)]
pub struct Reader {
    /// The meeting, by its index in the analysis.
    pub meeting: usize,
    /// Its cleaned text.
    pub text: String,
    /// `text` wrapped to `width` cells. Wrapping a long meeting is the costliest thing
    /// the reader does, so it happens on opening and on a resize to another width,
    /// never on a scroll key or a redraw.
    pub lines: Vec<WrappedLine>,
    /// The reader's inner width, in cells.
    pub width: usize,
    /// First line shown, in wrapped lines (the view clamps it).
    pub scroll: usize,
    /// Byte offset of the sentence the reader was opened at, highlighted.
    pub highlight: Option<std::ops::Range<usize>>,
}

/// A one-line prompt at the bottom, for `/` and `T`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    /// What has been typed.
    pub text: String,
    /// The district and year selected when the prompt opened. Each keystroke filters
    /// the list anew from them, so the selection does not drift with the matches that
    /// pass by while a name is typed.
    pub origin: Option<DistrictYear>,
    /// What the typed line is for.
    pub purpose: PromptFor,
}

/// What a prompt's line is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptFor {
    /// The view's own `/`: the district filter, a search, or a trend query.
    View,
    /// A term to try as a keyword of the theme at this index (`T`).
    Try(usize),
}

/// A selection in the Districts view by what it is, not by row: rows move when the
/// filter changes, districts and years do not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictYear {
    /// The district, at the level shown.
    pub district: District,
    /// Its year, `undated` or `all years`.
    pub year: YearKey,
}

/// Where the corpus's loading is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorpusLoad {
    /// Nothing to show yet: the progress line counts the files.
    Reading,
    /// Some of the reports are shown while the rest are read.
    Partial {
        /// Reports read so far, skipped ones included.
        read: usize,
        /// The reports of the corpus, skipped ones included.
        total: usize,
    },
    /// The cache's analysis is shown while the corpus is checked against it.
    Checking,
    /// What is shown is the corpus as it is.
    Current,
}

/// An evidence request whose sentences are still arriving.
#[derive(Debug, Clone)]
pub struct EvidenceLoad {
    ticket: Ticket,
    /// Meetings read so far, of `total`.
    pub read: usize,
    /// The meetings of the group.
    pub total: usize,
}

/// A meeting asked of the disk for the reader, not yet arrived.
#[derive(Debug, Clone)]
pub struct TextLoad {
    ticket: Ticket,
    pub(crate) meeting: usize,
    highlight: Option<std::ops::Range<usize>>,
}

/// A level asked for (the `L` key) whose groups a worker is pooling.
#[derive(Debug, Clone)]
pub struct LevelLoad {
    ticket: Ticket,
    pub(crate) level: GroupLevel,
}

/// A newer analysis waiting for a worker to pool its groups at the level shown.
#[derive(Clone)]
pub struct AnalysisLoad {
    ticket: Ticket,
    analysis: Arc<Analysis>,
}

/// What an update step did: whether the screen must be drawn again, and the work to
/// start for it.
#[must_use]
pub struct Changes {
    /// Whether the screen must be drawn again.
    pub redraw: bool,
    /// The jobs to start, each on a thread of its own.
    pub jobs: Vec<Job>,
}

/// Loading progress, as the progress line shows it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Loading {
    /// Files read so far.
    pub files_done: usize,
    /// Files to read, once the corpus is listed (0 until then).
    pub files_total: usize,
    /// Bytes read so far.
    pub bytes_done: u64,
    /// Seconds since the loading began.
    pub seconds: f64,
}

/// The dashboard's state: what is loaded, what is shown, and every selection.
pub struct App {
    /// The analysis shown, once one has arrived.
    pub analysis: Option<Arc<Analysis>>,
    /// Where the corpus's loading is.
    pub load: CorpusLoad,
    /// Why there is no analysis to show, when the loading failed: the dashboard quits
    /// with it.
    pub failure: Option<Error>,
    /// The loading's progress, while there is no analysis to show.
    pub loading: Loading,
    /// How the evidence and the reader read a meeting's file again.
    options: Options,
    /// The view shown.
    pub view: View,
    /// The views that led to this one, oldest first, without detours: Esc goes back
    /// along them and stops at the first.
    pub history: Vec<View>,
    /// What every number on screen is: per 10k chars, share of tokens or hits.
    pub measure: Measure,
    /// The level every view's groups are at: county, prefecture or province.
    pub level: GroupLevel,
    /// Whether the help overlay is open.
    pub help: bool,
    /// The first binding the help overlay shows, when they do not all fit.
    pub help_scroll: usize,
    /// Whether the user asked to quit.
    pub quit: bool,
    /// A message for the status line (an error reading a file, "no evidence here").
    pub status: Option<String>,
    /// The `/` prompt, while it is open.
    pub prompt: Option<Prompt>,
    /// The terminal's size, from the last resize event: the update step needs it to
    /// page and to scroll the reader to a sentence.
    pub size: (u16, u16),

    // Districts
    /// The districts at `level`.
    pub districts: Vec<DistrictSummary>,
    /// The Compare view's years: `all years`, then every year of the corpus. Made once
    /// per analysis, not per frame: a large corpus has tens of thousands of groups.
    compare_years: Vec<YearKey>,
    /// The `/` filter of the district list: part of a name, a province, or a code.
    pub district_filter: String,
    /// The selected district: a row of the filtered list, an index into
    /// [`App::visible_districts`].
    pub district: usize,
    /// The selected year: an index into the selected district's [`App::years`].
    pub year: usize,
    /// The pane with the focus.
    pub pane: DistrictPane,
    /// The selected theme, by its index in the taxonomy: a theme bar, and the theme of
    /// the chart by year.
    pub theme: usize,
    /// The selected row of the word bars.
    pub word: usize,
    /// Which words the word bars show.
    pub(crate) words: WordMode,
    /// Whether the word bars show people's names too (leaders, speakers, names jieba
    /// knows), which they leave out by default.
    pub(crate) show_names: bool,

    // Compare
    /// The selected year: an index into [`App::compare_years`].
    compare_year: usize,
    /// The selected heat-map row, by district: rows re-sort with the theme and the
    /// measure, a district stays itself. Where the year has no such row, the top row
    /// is the one selected.
    pub compare_district: Option<District>,
    /// The selected column: a theme, by its index in the taxonomy.
    pub compare_col: usize,
    /// The theme the heat map's rows are sorted by, highest first; else district order.
    pub(crate) compare_sort: Option<usize>,
    /// The pinned districts of `level`.
    pub pinned: BTreeSet<District>,
    /// Those of the other levels, each kept while another is shown.
    pinned_at: [BTreeSet<District>; 3],
    /// The search of the Compare, Evidence and Meetings views, that `n` and `N` step
    /// through.
    search: String,

    // Timeline
    /// The theme drawn, by its index in the taxonomy.
    pub(crate) timeline_theme: usize,
    /// The selected series: an index into [`App::timeline_districts`].
    pub timeline_series: usize,
    /// The district of the selected series: the series re-sort when the measure or the
    /// theme changes, and the selection stays with its district.
    timeline_district: Option<District>,
    /// The selected point: an index into [`App::timeline_years`].
    pub timeline_point: usize,

    // Evidence
    /// What the sentences shown are the evidence for.
    pub evidence_query: Option<EvidenceQuery>,
    /// The sentences found so far.
    pub evidence: Vec<Sentence>,
    /// The selected sentence.
    pub evidence_row: usize,
    /// The evidence request still reading, if any.
    pub evidence_load: Option<EvidenceLoad>,
    /// A note for each meeting of the evidence whose text could not be read again: shown
    /// with the sentences for as long as they are, not a status that the next key clears.
    pub evidence_unreadable: Vec<String>,
    /// Why a sentence of the evidence counts, for the evidence row it was asked on.
    pub explained: Option<(usize, Explained)>,
    /// The explanation asked of a worker: its ticket and evidence row.
    explain_load: Option<(Ticket, usize)>,
    /// Candidate keywords offered in the keywords pane, for the theme and group they
    /// were found in (`c`); candidates only, nothing is added to a theme.
    pub candidates: Option<(usize, DistrictYear, Arc<Vec<crate::keywords::Suggestion>>)>,
    /// The candidates asked of a worker: its ticket, theme and group.
    candidates_load: Option<(Ticket, usize, DistrictYear)>,
    /// A sentence for each keyword of a theme in a group, for the keywords pane, by
    /// keyword index: for the theme and group they were read for.
    pub samples: Option<(usize, DistrictYear, Samples)>,
    /// The samples asked of a worker: its ticket, theme and group.
    samples_load: Option<(Ticket, usize, DistrictYear)>,
    /// The term tried as a keyword (`T`) whose sentences the Evidence view shows: they
    /// are its rows in [`App::evidence`], and each one's outcome is here.
    pub trial: Option<Arc<Trial>>,
    /// The trial asked of a worker: its ticket, theme and term (asked again of a newer
    /// analysis).
    pub(crate) try_load: Option<(Ticket, usize, String)>,
    /// The meeting open for reading, over the view.
    pub reader: Option<Reader>,
    /// The meeting asked for the reader, while its text is read.
    pub text_load: Option<TextLoad>,
    /// The level asked for, while its groups are pooled.
    pub level_load: Option<LevelLoad>,
    /// A newer analysis, while its groups at the level shown are pooled.
    pub analysis_load: Option<AnalysisLoad>,
    /// The last request number given.
    tickets: u64,
    /// The jobs the step under way asks for, handed out by [`App::update`].
    jobs: Vec<Job>,

    // Meetings
    /// The selected meeting, by its index in the analysis.
    pub(crate) meeting_row: usize,

    // Leaders
    /// The selected band: an index into [`App::unit_tenures`].
    pub(crate) tenure_row: usize,
    /// The selected meeting of the band's list, while it is open (Enter on a band).
    pub tenure_meeting: Option<usize>,
    /// The comparison under the bands, while it is open.
    pub leader_panel: Option<LeaderPanel>,
    /// The selected row of the comparison: a theme, in [`App::shift_order`].
    pub(crate) panel_row: usize,
    /// The comparison asked of a worker, not yet arrived.
    pub(crate) panel_load: Option<Ticket>,
    /// The unit the Leaders view last showed, by id: its band selection, list and panel
    /// are that unit's, and go when another unit is shown.
    leaders_shown: Option<String>,

    // The themes, live
    /// Where the analysis comes from, for a re-count after the themes are edited.
    source: Option<Source>,
    /// Why the themes folder cannot be used as it is now (file, line, column): shown
    /// until fixed, while the last good taxonomy's numbers stay.
    pub themes_error: Option<String>,
    /// The themes folder being read again.
    themes_load: Option<Ticket>,
    /// The re-count under way, what changed in the themes (for the status line), and the
    /// hash of the taxonomy it counts with (the same edit read twice is counted once).
    recount: Option<(Ticket, String, String)>,
    /// An edited taxonomy read while the corpus was still loading with the old one: it
    /// is counted once that load is done (counted sooner, the load's older numbers could
    /// land after it).
    pending_themes: Option<Taxonomy>,

    // Trends
    /// The Trends view: its queries, their answers and what it shows of them.
    pub trends: Trends,

    // Figures
    /// Where `e` exports the chart in view: the current directory.
    pub export_dir: PathBuf,
}

impl App {
    /// The dashboard before anything has loaded: on the Districts view, per 10k
    /// characters, by county. `options` are how meetings' files are read again.
    pub fn new(options: Options) -> App {
        App {
            analysis: None,
            load: CorpusLoad::Reading,
            failure: None,
            loading: Loading::default(),
            options,
            view: View::Districts,
            history: Vec::new(),
            measure: Measure::Per10k,
            level: GroupLevel::County,
            help: false,
            help_scroll: 0,
            quit: false,
            status: None,
            prompt: None,
            size: (80, 24),
            districts: Vec::new(),
            compare_years: vec![YearKey::AllYears],
            district_filter: String::new(),
            district: 0,
            year: 0,
            pane: DistrictPane::List,
            theme: 0,
            word: 0,
            words: WordMode::Frequent,
            show_names: false,
            compare_year: 0,
            compare_district: None,
            compare_col: 0,
            compare_sort: None,
            pinned: BTreeSet::new(),
            pinned_at: Default::default(),
            search: String::new(),
            timeline_theme: 0,
            timeline_series: 0,
            timeline_district: None,
            timeline_point: 0,
            evidence_query: None,
            evidence: Vec::new(),
            evidence_row: 0,
            evidence_load: None,
            evidence_unreadable: Vec::new(),
            explained: None,
            explain_load: None,
            candidates: None,
            candidates_load: None,
            samples: None,
            samples_load: None,
            trial: None,
            try_load: None,
            reader: None,
            text_load: None,
            level_load: None,
            analysis_load: None,
            tickets: 0,
            jobs: Vec::new(),
            meeting_row: 0,
            tenure_row: 0,
            tenure_meeting: None,
            leader_panel: None,
            panel_row: 0,
            panel_load: None,
            leaders_shown: None,
            source: None,
            themes_error: None,
            themes_load: None,
            recount: None,
            pending_themes: None,
            trends: Trends::default(),
            export_dir: PathBuf::from("."),
        }
    }

    /// Whether the corpus is being measured again after an edit of the themes.
    pub fn recounting(&self) -> bool {
        self.recount.is_some()
    }

    /// The dashboard, knowing where its analysis comes from: an edit of the themes
    /// folder (when it is one) is then re-counted.
    pub fn with_source(self, source: Source) -> App {
        App {
            source: Some(source),
            ..self
        }
    }

    /// The update step: applies one message. Returns whether anything changed (and a
    /// redraw is due) and the jobs to start.
    pub fn update(&mut self, message: Message) -> Changes {
        let redraw = match message {
            Message::Key(key) => self.on_key(key),
            Message::Resize(width, height) => {
                self.on_resize(width, height);
                true
            }
            Message::Progress(loading) => self.analysis.is_none() && self.on_progress(loading),
            Message::Loaded(loaded) => {
                self.on_loaded(loaded);
                true
            }
            Message::Evidence {
                ticket,
                found,
                read,
                total,
                done,
            } => self.evidence_arrived(ticket, found, (read, total), done),
            Message::Pooled { ticket } => self.pooled(ticket),
            Message::Shift {
                ticket,
                shift,
                words,
            } => self.panel_arrived(ticket, LeaderPanel::Shift { shift, words }),
            Message::Average {
                ticket,
                office,
                filtered,
                average,
            } => self.panel_arrived(
                ticket,
                LeaderPanel::Average {
                    office,
                    average,
                    filtered,
                },
            ),
            Message::Text { ticket, text } => self.text_arrived(ticket, text),
            Message::Exported(written) => {
                self.status = Some(match written {
                    Ok(file) => format!(
                        "figure written: {} (its data: {})",
                        file.display(),
                        crate::figure::data_file(&file).display()
                    ),
                    Err(Error::OutputInside { file, inside }) => format!(
                        "nothing exported: the current directory {} is inside {}, which zhongdian never writes into",
                        file.display(),
                        inside.display()
                    ),
                    Err(why) => format!("nothing exported: {why}"),
                });
                true
            }
            Message::Searching {
                ticket,
                done,
                total,
            } => self.trend_progress(ticket, done, total),
            Message::Trend { ticket, answer } => self.trend_arrived(ticket, answer),
            Message::ThemesEdited => self.themes_edited(),
            Message::Themes { ticket, taxonomy } => self.themes_read(ticket, taxonomy),
            Message::Recounted {
                ticket,
                analysis,
                touched,
                last,
            } => self.recounted(ticket, analysis, touched, last),
            Message::Candidates { ticket, candidates } => {
                match self.candidates_load.take_if(|(t, _, _)| t.id == ticket) {
                    Some((_, theme, group)) => {
                        let name = self
                            .analysis
                            .as_deref()
                            .map_or("", |a| a.measurer.taxonomy.themes[theme].name.as_str());
                        self.status = Some(format!(
                            "{} candidate keywords for {name}: in its sentences / in the same \
                             meetings' others; nothing is added to a theme",
                            candidates.len()
                        ));
                        self.candidates = Some((theme, group, candidates));
                        true
                    }
                    None => false,
                }
            }
            Message::Explained { ticket, explained } => {
                match self.explain_load.take_if(|(t, _)| t.id == ticket) {
                    Some((_, row)) => {
                        self.explained = Some((row, explained));
                        true
                    }
                    None => false,
                }
            }
            Message::Tried { ticket, trial } => self.tried(ticket, trial),
            Message::Samples { ticket, samples } => {
                match self.samples_load.take_if(|(t, _, _)| t.id == ticket) {
                    Some((_, theme, group)) => {
                        self.samples = Some((theme, group, samples));
                        true
                    }
                    None => false,
                }
            }
        };
        // Whatever the message, the keywords pane may now show a group or theme whose
        // samples are not asked for yet: a key, a new analysis, a level pooled.
        self.ask_samples();
        Changes {
            redraw,
            jobs: std::mem::take(&mut self.jobs),
        }
    }

    fn on_loaded(&mut self, loaded: Loaded) {
        match loaded {
            Loaded::Partial(analysis) => {
                self.load = CorpusLoad::Partial {
                    read: analysis.meetings.len() + analysis.skipped.len(),
                    total: analysis.plan.files.len() + analysis.plan.skipped.len(),
                };
                self.loaded(analysis);
            }
            Loaded::FromCache(analysis) => {
                self.load = CorpusLoad::Checking;
                self.loaded(analysis);
            }
            Loaded::Confirmed => {
                self.load = CorpusLoad::Current;
                self.count_pending_themes();
            }
            Loaded::Current(Ok(analysis)) => {
                self.load = CorpusLoad::Current;
                self.loaded(analysis);
                self.count_pending_themes();
            }
            Loaded::Current(Err(why)) => {
                self.failure = Some(why);
                self.quit = true;
            }
        }
    }

    /// The corpus has been read, or read further: a newer analysis (the rest of a partial
    /// read, or the corpus as it is now after the cache's) keeps the user where they were.
    /// At a level it has not pooled yet, it is pooled by a worker first, and shown when
    /// that is done; the analysis on screen stays meanwhile.
    fn loaded(&mut self, analysis: Arc<Analysis>) {
        if let Some(old) = self.analysis_load.take() {
            old.ticket.cancel();
        }
        if !analysis.is_pooled(self.level) {
            let ticket = self.ticket();
            self.jobs.push(Job::Pool {
                ticket: ticket.clone(),
                analysis: Arc::clone(&analysis),
                level: self.level,
            });
            self.analysis_load = Some(AnalysisLoad { ticket, analysis });
            return;
        }
        let was = self.analysis.is_some().then(|| self.district_year());
        // Samples and candidates were read for the analysis shown; its keywords may have
        // changed (a candidate may be a keyword now). Samples are asked again for what
        // the pane shows; candidates when the user asks (`c`).
        self.samples = None;
        self.candidates = None;
        for old in [self.samples_load.take(), self.candidates_load.take()]
            .into_iter()
            .flatten()
        {
            old.0.cancel();
        }
        self.districts = analysis.at(self.level).districts();
        let mut years: BTreeSet<YearKey> = analysis.groups.iter().map(|g| g.year).collect();
        years.remove(&YearKey::AllYears);
        self.compare_years = std::iter::once(YearKey::AllYears).chain(years).collect();
        self.analysis = Some(analysis);
        self.trends_outdated(true);
        if let Some(origin) = was {
            self.stay_with(origin);
            return;
        }
        // Start where the data is: the first district's most recent year.
        self.year = self.latest_year();
        self.compare_district = self.compare_rows().first().map(|g| g.district.clone());
        // The timeline starts on the theme the first district weighs most.
        if let Some(&(theme, _)) = self.sorted_themes().first() {
            self.theme = theme;
        }
    }

    /// Back on `district` and `year` in a new analysis, where they still exist. The text
    /// and sentences on screen are looked up again: meeting numbers may have moved.
    fn stay_with(&mut self, origin: Option<DistrictYear>) {
        self.return_to(origin, self.district);
        self.close_reader();
        // Meetings listed by number, and a trial's, are no longer those meetings.
        let gone = match self.evidence_query.clone() {
            Some(query) if query.within.is_some() => true,
            Some(query) => {
                self.find_evidence(query);
                false
            }
            None => self.trial.is_some(),
        };
        if gone {
            if let Some(load) = self.evidence_load.take() {
                load.ticket.cancel();
            }
            self.evidence_query = None;
            self.trial = None;
            self.evidence.clear();
            self.evidence_unreadable.clear();
            self.explained = None;
            self.status = Some("the corpus changed: the sentences shown are gone".into());
        }
        // A trial still awaited is wanted of the corpus as it is now.
        if let Some((old, theme, term)) = self.try_load.take() {
            old.cancel();
            self.ask_try(theme, term);
        }
        // Tenures are numbered anew too.
        self.tenure_meeting = None;
        self.leader_panel = None;
        if let Some(load) = self.panel_load.take() {
            load.cancel();
        }
        let meetings = self.analysis.as_ref().map_or(0, |a| a.meetings.len());
        self.meeting_row = self.meeting_row.min(meetings.saturating_sub(1));
        self.clamp_selections();
    }

    /// The reader thread's progress while the corpus loads. Returns whether the
    /// progress line changes: only the counts do, not the clock, so a load that is not
    /// moving (its files not even counted yet) leaves the terminal alone.
    fn on_progress(&mut self, loading: Loading) -> bool {
        let counts = |l: &Loading| (l.files_done, l.files_total, l.bytes_done);
        let moved = counts(&loading) != counts(&self.loading);
        if moved {
            self.loading = loading;
        }
        moved
    }

    // ---- derived views of the state (the draw functions use these too) ----

    /// The groups at the level shown.
    pub fn groups(&self) -> Option<Groups<'_>> {
        Some(self.analysis.as_deref()?.at(self.level))
    }

    /// Districts that pass the `/` filter, as indices into `self.districts`.
    pub fn visible_districts(&self) -> Vec<usize> {
        self.districts
            .iter()
            .enumerate()
            .filter(|(_, d)| {
                self.district_filter.is_empty()
                    || d.district.to_string().contains(&self.district_filter)
                    || d.district.unit().is_some_and(|u| {
                        // The province is not shown beside the name, but filters: /江西.
                        u.province
                            .as_deref()
                            .is_some_and(|p| p.contains(&self.district_filter))
                            || u.code.as_deref() == Some(self.district_filter.as_str())
                    })
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// The district selected in the list, if the filter leaves any.
    pub fn selected_district(&self) -> Option<&DistrictSummary> {
        let visible = self.visible_districts();
        visible
            .get(self.district.min(visible.len().saturating_sub(1)))
            .and_then(|&i| self.districts.get(i))
    }

    /// The year groups of the selected district: its years, `undated` if any, `all years`.
    pub fn years(&self) -> Vec<YearKey> {
        let Some(d) = self.selected_district() else {
            return Vec::new();
        };
        let mut years: Vec<YearKey> = d.years.iter().map(|&y| YearKey::Year(y)).collect();
        if d.undated > 0 {
            years.push(YearKey::Undated);
        }
        years.push(YearKey::AllYears);
        years
    }

    /// Where a district's years open: its latest real year, or `all years` if it has
    /// none. An index into [`App::years`].
    fn latest_year(&self) -> usize {
        let years = self.years();
        years
            .iter()
            .rposition(|y| matches!(y, YearKey::Year(_)))
            .unwrap_or(years.len().saturating_sub(1))
    }

    /// The selected district's selected year; `all years` while no district is selected.
    pub fn selected_year(&self) -> YearKey {
        let years = self.years();
        years
            .get(self.year.min(years.len().saturating_sub(1)))
            .copied()
            .unwrap_or(YearKey::AllYears)
    }

    /// The selected district's group in the selected year.
    pub(crate) fn selected_group(&self) -> Option<&Group> {
        let district = self.selected_district()?;
        self.groups()?
            .group(district.district.key(), self.selected_year())
    }

    /// Themes of the selected group, highest value of the current measure first.
    pub fn sorted_themes(&self) -> Vec<(usize, f64)> {
        let Some(group) = self.selected_group() else {
            return Vec::new();
        };
        sorted_by_value(group, self.measure, self.theme_count())
    }

    /// How many themes the taxonomy has (none before an analysis arrives).
    pub fn theme_count(&self) -> usize {
        self.analysis
            .as_deref()
            .map_or(0, |a| a.measurer.taxonomy.themes.len())
    }

    /// The years any district has, for the Compare view's year switch: `all years`
    /// first, then each year, then `undated`.
    pub fn compare_years(&self) -> &[YearKey] {
        &self.compare_years
    }

    /// The year the heat map shows.
    pub fn compare_year_key(&self) -> YearKey {
        let years = self.compare_years();
        years
            .get(self.compare_year.min(years.len().saturating_sub(1)))
            .copied()
            .unwrap_or(YearKey::AllYears)
    }

    /// The heat map's rows: groups of the chosen year, sorted by the chosen theme.
    pub fn compare_rows(&self) -> Vec<&Group> {
        let Some(groups) = self.groups() else {
            return Vec::new();
        };
        let year = self.compare_year_key();
        let rows = groups.all.iter().filter(|g| g.year == year);
        let Some(theme) = self.compare_sort else {
            return rows.collect();
        };
        // Each value worked out once, not at every comparison: thousands of districts
        // are sorted for each frame.
        let mut sorted: Vec<(f64, &Group)> =
            rows.map(|g| (g.value(theme, self.measure), g)).collect();
        sorted.sort_by(|x, y| y.0.total_cmp(&x.0));
        sorted.into_iter().map(|(_, g)| g).collect()
    }

    /// The index of the selected row in [`App::compare_rows`].
    pub fn compare_row(&self) -> usize {
        self.compare_row_in(&self.compare_rows())
    }

    /// [`App::compare_row`] in rows made already (a frame makes them once).
    pub fn compare_row_in(&self, rows: &[&Group]) -> usize {
        rows.iter()
            .position(|g| Some(&g.district) == self.compare_district.as_ref())
            .unwrap_or(0)
    }

    fn select_compare_row(&mut self, row: usize) {
        if let Some(g) = self.compare_rows().get(row) {
            self.compare_district = Some(g.district.clone());
        }
    }

    /// The districts the Timeline view draws: the pinned ones, or else the top ones by
    /// the theme's all-years value.
    pub fn timeline_districts(&self) -> Vec<District> {
        const TOP: usize = 5;
        if !self.pinned.is_empty() {
            return self.pinned.iter().cloned().collect();
        }
        self.groups().map_or_else(Vec::new, |groups| {
            groups.top_in(self.timeline_theme, self.measure, TOP)
        })
    }

    /// The years on the Timeline's axis: every year any drawn district has.
    pub fn timeline_years(&self) -> Vec<i32> {
        self.timeline_years_of(&self.timeline_districts())
    }

    /// [`App::timeline_years`] of districts found already (a frame finds them once).
    pub fn timeline_years_of(&self, districts: &[District]) -> Vec<i32> {
        let Some(groups) = self.groups() else {
            return Vec::new();
        };
        let years: BTreeSet<i32> = districts
            .iter()
            .flat_map(|d| groups.of(d.key()))
            .filter_map(|g| g.year.year())
            .collect();
        years.into_iter().collect()
    }

    /// Meetings in the Meetings view: every meeting of the analysis (the search moves
    /// the selection, it does not filter).
    pub fn meeting_count(&self) -> usize {
        self.analysis.as_deref().map_or(0, |a| a.meetings.len())
    }

    // ---- the update step ----

    /// Applies one key press. Returns whether anything changed (and a redraw is due).
    fn on_key(&mut self, event: KeyEvent) -> bool {
        let changed = self.dispatch(event);
        // A key that changes a list (another year, another filter) may leave a
        // selection past its end; it is brought back here, once for every key.
        self.clamp_selections();
        changed
    }

    fn dispatch(&mut self, event: KeyEvent) -> bool {
        if self.prompt.is_some() {
            return self.on_prompt_key(event);
        }
        let Some(action) = keymap::action_for(event, self.view) else {
            return false;
        };
        self.status = None;
        if self.help {
            // The overlay swallows everything but closing it and quitting.
            let scroll = &mut self.help_scroll;
            match action {
                Action::Help | Action::Back => self.help = false,
                Action::Quit => self.quit = true,
                // A list longer than the screen scrolls; the draw keeps it in range.
                Action::Down => *scroll = scroll.saturating_add(1),
                Action::Up => *scroll = scroll.saturating_sub(1),
                Action::Top => *scroll = 0,
                _ => return false,
            }
            return true;
        }
        self.apply(action);
        true
    }

    fn clamp_selections(&mut self) {
        self.word = self.word.min(self.word_count().saturating_sub(1));
        // Pinning and unpinning, the measure and the theme change the timeline's
        // districts or their order from any view: the selection follows its district
        // while it is drawn.
        let districts = self.timeline_districts();
        if let Some(i) = self
            .timeline_district
            .as_ref()
            .and_then(|d| districts.iter().position(|x| x == d))
        {
            self.timeline_series = i;
        }
        self.timeline_series = self.timeline_series.min(districts.len().saturating_sub(1));
        self.timeline_district = districts.get(self.timeline_series).cloned();
    }

    fn on_prompt_key(&mut self, event: KeyEvent) -> bool {
        use crossterm::event::{KeyCode, KeyModifiers};
        if event.modifiers.contains(KeyModifiers::CONTROL) {
            // A chord is a command, never text: the quit chord quits here as it does
            // everywhere, and the others mean nothing while typing.
            let quit = keymap::action_for(event, self.view) == Some(Action::Quit);
            self.quit |= quit;
            return quit;
        }
        let Some(mut prompt) = self.prompt.take() else {
            return false;
        };
        let filtering = self.view == View::Districts && prompt.purpose == PromptFor::View;
        match event.code {
            KeyCode::Esc => {
                if filtering {
                    self.filter_districts(String::new(), prompt.origin);
                }
                return true;
            }
            KeyCode::Enter => {
                match prompt.purpose {
                    PromptFor::View => self.set_query(prompt.text, prompt.origin),
                    PromptFor::Try(theme) => self.ask_try(theme, prompt.text),
                }
                return true;
            }
            KeyCode::Backspace => {
                prompt.text.pop();
            }
            KeyCode::Up | KeyCode::Down if self.view == View::Trends => {
                if let Some(earlier) = self.query_history(event.code == KeyCode::Up) {
                    prompt.text = earlier;
                }
            }
            KeyCode::Char(c) if !c.is_control() => prompt.text.push(c),
            _ => {
                self.prompt = Some(prompt);
                return false;
            }
        }
        // As the user types, the district list narrows.
        if filtering {
            self.filter_districts(prompt.text.clone(), prompt.origin.clone());
        }
        self.prompt = Some(prompt);
        true
    }

    fn set_query(&mut self, text: String, origin: Option<DistrictYear>) {
        if self.view == View::Districts {
            self.filter_districts(text, origin);
        } else if self.view == View::Trends {
            self.ask_trend(&text);
        } else {
            self.search = text;
            self.jump_to_match(true, true);
        }
    }

    /// The district and year selected in the Districts view, if any.
    fn district_year(&self) -> Option<DistrictYear> {
        self.selected_district().map(|d| DistrictYear {
            district: d.district.clone(),
            year: self.selected_year(),
        })
    }

    /// Filters the district list. The selection is a row of the filtered list, so it is
    /// put back on `origin`'s district where the filter shows it, else on the first row;
    /// the year stays `origin`'s where that district has it, else its latest.
    fn filter_districts(&mut self, filter: String, origin: Option<DistrictYear>) {
        self.district_filter = filter;
        self.return_to(origin, 0);
    }

    /// Puts the selection on `origin`'s district where the list shows it, else on row
    /// `otherwise`; and on `origin`'s year where that district has it, else its latest.
    fn return_to(&mut self, origin: Option<DistrictYear>, otherwise: usize) {
        let row = origin.as_ref().and_then(|o| {
            self.visible_districts()
                .iter()
                .position(|&i| self.districts[i].district == o.district)
        });
        self.district = row.unwrap_or(otherwise);
        let kept = origin.and_then(|o| self.years().iter().position(|&y| y == o.year));
        self.year = match kept {
            Some(year) => year,
            None => self.latest_year(),
        };
    }

    fn apply(&mut self, action: Action) {
        match action {
            Action::Quit => self.quit = true,
            Action::Help => {
                self.help = true;
                self.help_scroll = 0;
            }
            Action::Back => self.back(),
            Action::ShowView(view) => {
                self.show(view);
                if view == View::Timeline {
                    self.snap_timeline_point();
                }
                if view == View::Trends {
                    self.prepare_trends();
                }
            }
            Action::CycleMeasure
            | Action::CycleSmoothing
            | Action::CycleTrendScope
            | Action::FocusNext
            | Action::FocusPrevious
                if self.view == View::Trends =>
            {
                self.trend_key(action)
            }
            Action::CycleMeasure => self.measure = self.measure.next(),
            // Only bound in the Trends view, handled above.
            Action::CycleSmoothing | Action::CycleTrendScope => {}
            Action::CycleLevel => {
                // From the level asked for, if one is being pooled: L L goes two levels on.
                let asked = self.level_load.as_ref().map_or(self.level, |l| l.level);
                self.ask_level(asked.next());
            }
            Action::Filter => {
                self.trends.history_at = None;
                self.prompt = Some(Prompt {
                    // A query is typed anew; ↑ brings back the earlier ones.
                    text: if self.view == View::Districts {
                        self.district_filter.clone()
                    } else {
                        String::new()
                    },
                    origin: self.district_year(),
                    purpose: PromptFor::View,
                })
            }
            Action::TryKeyword if self.theme_count() > 0 => {
                self.prompt = Some(Prompt {
                    text: String::new(),
                    origin: self.district_year(),
                    purpose: PromptFor::Try(self.theme),
                })
            }
            // Nothing to try a term on before the corpus is read.
            Action::TryKeyword => {}
            Action::NextMatch => self.jump_to_match(true, false),
            Action::PreviousMatch => self.jump_to_match(false, false),
            Action::FocusNext | Action::FocusPrevious if self.view == View::Districts => {
                let forward = action == Action::FocusNext;
                self.pane = match (self.pane, forward) {
                    (DistrictPane::List, true) | (DistrictPane::Words, false) => {
                        DistrictPane::Themes
                    }
                    (DistrictPane::Themes, true) | (DistrictPane::List, false) => {
                        DistrictPane::Words
                    }
                    (DistrictPane::Words, true) | (DistrictPane::Themes, false) => {
                        DistrictPane::List
                    }
                };
            }
            Action::ToggleWords => {
                self.words = match self.words {
                    WordMode::Frequent => WordMode::Distinctive,
                    WordMode::Distinctive => WordMode::Keywords,
                    WordMode::Keywords => WordMode::Frequent,
                };
                self.word = 0;
            }
            Action::ToggleNames => {
                self.show_names = !self.show_names;
                self.word = 0;
            }
            Action::CycleTheme => {
                let n = self.theme_count().max(1);
                match self.view {
                    View::Timeline => {
                        self.timeline_theme = (self.timeline_theme + 1) % n;
                        self.clamp_selections();
                        self.snap_timeline_point();
                    }
                    _ => self.theme = (self.theme + 1) % n,
                }
            }
            Action::CycleYear => {
                self.compare_year = (self.compare_year + 1) % self.compare_years().len().max(1);
            }
            Action::SortByTheme => {
                self.compare_sort = match self.compare_sort {
                    Some(t) if t == self.compare_col => None,
                    _ => Some(self.compare_col),
                };
            }
            Action::Pin => self.toggle_pin(),
            Action::Drill => self.drill(),
            Action::BeforeAfter => self.open_shift(),
            Action::Explain => self.explain(),
            Action::Candidates => self.ask_candidates(),
            Action::AcrossUnits => self.open_average(),
            Action::Export => self.export_chart(),
            movement => self.move_selection(movement),
        }
    }

    /// Shows every view at `level` once its groups are at hand: at once if they are, else
    /// when a worker has pooled them (the views stay at the level shown meanwhile).
    fn ask_level(&mut self, level: GroupLevel) {
        if let Some(old) = self.level_load.take() {
            old.ticket.cancel();
        }
        let Some(analysis) = self.analysis.clone() else {
            self.level = level;
            return;
        };
        if analysis.is_pooled(level) {
            self.set_level(level);
            return;
        }
        let ticket = self.ticket();
        self.jobs.push(Job::Pool {
            ticket: ticket.clone(),
            analysis,
            level,
        });
        self.level_load = Some(LevelLoad { ticket, level });
    }

    /// A worker pooled the groups a request asked for: the analysis waiting for them is
    /// shown, or the level asked for.
    fn pooled(&mut self, ticket: u64) -> bool {
        if let Some(load) = self.analysis_load.take_if(|l| l.ticket.id == ticket) {
            self.loaded(load.analysis);
            return true;
        }
        if let Some(load) = self.level_load.take_if(|l| l.ticket.id == ticket) {
            // Pooled for the analysis shown then; a newer one is asked again.
            self.ask_level(load.level);
            return true;
        }
        false
    }

    /// Shows every view at `level`, whose groups are pooled. A selection goes to the
    /// district at the new level that holds the first meeting of the one selected (a
    /// county's prefecture, a province's first county), keeping its year where that
    /// district has it. Pins belong to their level: each level keeps its own.
    fn set_level(&mut self, level: GroupLevel) {
        let Some(analysis) = self.analysis.clone() else {
            self.level = level;
            return;
        };
        let (from, to) = (analysis.at(self.level), analysis.at(level));
        let moved = |district: &District| -> Option<District> {
            let first = *from
                .group(district.key(), YearKey::AllYears)?
                .meetings
                .first()?;
            to.all
                .iter()
                .filter(|g| g.year == YearKey::AllYears)
                .find(|g| g.meetings.binary_search(&first).is_ok())
                .map(|g| g.district.clone())
        };
        let origin = self.district_year().and_then(|o| {
            Some(DistrictYear {
                district: moved(&o.district)?,
                year: o.year,
            })
        });
        let compare = self.compare_district.as_ref().and_then(&moved);
        let timeline = self.timeline_district.as_ref().and_then(&moved);

        self.pinned_at[self.level as usize] = std::mem::take(&mut self.pinned);
        self.pinned = std::mem::take(&mut self.pinned_at[level as usize]);
        self.level = level;
        self.districts = to.districts();
        self.return_to(origin, 0);
        self.compare_district =
            compare.or_else(|| self.compare_rows().first().map(|g| g.district.clone()));
        self.timeline_district = timeline;
        self.clamp_selections();
        self.snap_timeline_point();
        self.trends_outdated(false);
    }

    fn show(&mut self, view: View) {
        // The reader overlays whatever view is current: left open, it would hide the
        // view just asked for.
        self.close_reader();
        if view == View::Leaders {
            let unit = self.leaders_unit().map(|u| u.id.clone());
            if unit != self.leaders_shown {
                self.tenure_row = 0;
                self.tenure_meeting = None;
                self.leader_panel = None;
                if let Some(load) = self.panel_load.take() {
                    load.cancel();
                }
                self.leaders_shown = unit;
            }
        }
        if view != self.view {
            // Returning to a view on the way drops the detour taken since, so the way
            // back never passes a view twice, and cannot cycle.
            match self.history.iter().position(|&v| v == view) {
                Some(detour) => self.history.truncate(detour),
                None => self.history.push(self.view),
            }
            self.view = view;
            self.search.clear();
        }
    }

    /// Esc: closes what is open over the view (the reader, the district filter), stops
    /// a search or a trial under way, else goes back one view; where the way began it
    /// does nothing.
    fn back(&mut self) {
        if self.reader.is_some() || self.text_load.is_some() {
            self.close_reader();
            return;
        }
        if self.view == View::Trends && self.stop_trend() {
            return;
        }
        // A trial reads the whole corpus: Esc stops it, as it stops a search.
        if let Some((old, _, term)) = self.try_load.take() {
            old.cancel();
            self.status = Some(format!("trying “{term}” stopped"));
            return;
        }
        if self.view == View::Evidence {
            // Leaving the sentences: those still being read are not wanted, and what was
            // read of them is no whole answer to be found here again.
            if let Some(load) = self.evidence_load.take() {
                load.ticket.cancel();
                self.evidence.clear();
                self.evidence_unreadable.clear();
                self.evidence_query = None;
            }
        }
        if self.view == View::Leaders {
            if self.leader_panel.is_some() || self.panel_load.is_some() {
                self.leader_panel = None;
                if let Some(load) = self.panel_load.take() {
                    load.cancel();
                }
                return;
            }
            if self.tenure_meeting.take().is_some() {
                return;
            }
        }
        if self.view == View::Districts && !self.district_filter.is_empty() {
            self.filter_districts(String::new(), self.district_year());
            return;
        }
        if let Some(view) = self.history.pop() {
            self.view = view;
            self.search.clear();
        }
    }

    fn toggle_pin(&mut self) {
        let district = match self.view {
            View::Compare => self
                .compare_rows()
                .get(self.compare_row())
                .map(|g| g.district.clone()),
            _ => self.selected_district().map(|d| d.district.clone()),
        };
        if let Some(d) = district {
            if !self.pinned.remove(&d) {
                self.pinned.insert(d);
            }
        }
    }

    fn move_selection(&mut self, action: Action) {
        let page = usize::from(self.size.1).saturating_sub(4).max(2);
        // (current index, number of rows) of the list the arrows move in this view.
        let step = |index: &mut usize, len: usize| {
            let last = len.saturating_sub(1);
            *index = match action {
                Action::Up => index.saturating_sub(1),
                Action::Down => (*index + 1).min(last),
                Action::Top => 0,
                Action::Bottom => last,
                Action::HalfPageDown => (*index + page / 2).min(last),
                Action::HalfPageUp => index.saturating_sub(page / 2),
                _ => *index,
            };
        };
        if self.reader.is_some() {
            let max = self.reader_max_scroll();
            if let Some(reader) = self.reader.as_mut() {
                step(&mut reader.scroll, max + 1);
            }
            return;
        }
        let horizontal = matches!(action, Action::Left | Action::Right);
        let sideways = |index: &mut usize, len: usize| {
            if action == Action::Left {
                *index = index.saturating_sub(1);
            } else if action == Action::Right {
                *index = (*index + 1).min(len.saturating_sub(1));
            }
        };
        match self.view {
            View::Districts => {
                if horizontal {
                    let n = self.years().len();
                    sideways(&mut self.year, n);
                    return;
                }
                match self.pane {
                    DistrictPane::List => {
                        let n = self.visible_districts().len();
                        let before = self.district;
                        step(&mut self.district, n);
                        if before != self.district {
                            self.year = self.latest_year();
                        }
                    }
                    DistrictPane::Themes => {
                        let n = self.theme_count();
                        let mut position = self
                            .sorted_themes()
                            .iter()
                            .position(|(t, _)| *t == self.theme)
                            .unwrap_or(0);
                        step(&mut position, n);
                        if let Some((t, _)) = self.sorted_themes().get(position) {
                            self.theme = *t;
                        }
                    }
                    DistrictPane::Words => {
                        let n = self.word_count();
                        step(&mut self.word, n);
                    }
                }
            }
            View::Compare => {
                if horizontal {
                    let n = self.theme_count();
                    sideways(&mut self.compare_col, n);
                } else {
                    let (mut row, n) = (self.compare_row(), self.compare_rows().len());
                    step(&mut row, n);
                    self.select_compare_row(row);
                }
            }
            View::Timeline => {
                if horizontal {
                    let n = self.timeline_years().len();
                    sideways(&mut self.timeline_point, n);
                } else {
                    let districts = self.timeline_districts();
                    step(&mut self.timeline_series, districts.len());
                    self.timeline_district = districts.get(self.timeline_series).cloned();
                    self.snap_timeline_point();
                }
            }
            View::Evidence => {
                let n = self.evidence.len();
                step(&mut self.evidence_row, n);
            }
            View::Meetings => {
                let n = self.meeting_count();
                step(&mut self.meeting_row, n);
            }
            View::Trends => self.move_in_trends(action),
            View::Leaders => {
                if let Some(panel) = &self.leader_panel {
                    let n = match panel {
                        LeaderPanel::Shift { shift, .. } => shift.themes.len(),
                        LeaderPanel::Average { .. } => 0,
                    };
                    step(&mut self.panel_row, n);
                    return;
                }
                let meetings = self
                    .selected_tenure()
                    .and_then(|t| Some(self.analysis.as_deref()?.tenures()[t].meetings.len()));
                match (self.tenure_meeting.as_mut(), meetings) {
                    (Some(row), Some(n)) => step(row, n),
                    _ => {
                        let n = self.unit_tenures().len();
                        step(&mut self.tenure_row, n);
                    }
                }
            }
        }
    }

    /// Puts the timeline's selected point on the selected district's latest year, so
    /// the point shown is one that exists.
    fn snap_timeline_point(&mut self) {
        let Some(groups) = self.groups() else {
            return;
        };
        let Some(district) = self.timeline_districts().get(self.timeline_series).cloned() else {
            return;
        };
        let years = self.timeline_years();
        if let Some(i) = years
            .iter()
            .rposition(|&y| groups.group(district.key(), YearKey::Year(y)).is_some())
        {
            self.timeline_point = i;
        }
    }

    /// The reader's text wrapped to the width the reader view gives it.
    pub fn reader_lines(&self) -> &[WrappedLine] {
        self.reader.as_ref().map_or(&[], |r| &r.lines)
    }

    fn reader_max_scroll(&self) -> usize {
        let height = usize::from(reader_height(self.size.1));
        self.reader_lines().len().saturating_sub(height)
    }

    /// Keeps the reader from scrolling past its last page.
    fn clamp_reader_scroll(&mut self) {
        let max = self.reader_max_scroll();
        if let Some(reader) = self.reader.as_mut() {
            reader.scroll = reader.scroll.min(max);
        }
    }

    /// A resize: the next frame is drawn at this size.
    fn on_resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
        let width = reader_width(width);
        if let Some(reader) = self.reader.as_mut().filter(|r| r.width != width) {
            // Wrapped anew, the text keeps its place: the line at the top stays there.
            let top = reader.lines.get(reader.scroll).map_or(0, |l| l.start);
            reader.lines = wrap(&reader.text, width);
            reader.width = width;
            reader.scroll = reader
                .lines
                .iter()
                .rposition(|l| l.start <= top)
                .unwrap_or(0);
        }
        self.clamp_reader_scroll();
    }

    /// The word bars of the selected group: frequent or distinctive words (people's
    /// names left out unless asked for), or the selected theme's keywords with what each
    /// adds to the theme's hits and its share of them.
    pub fn word_rows(&self) -> Vec<WordRow> {
        let (Some(analysis), Some(group)) = (self.analysis.as_deref(), self.selected_group())
        else {
            return Vec::new();
        };
        let word = |id: u32, value: f64, text: String| WordRow {
            label: analysis.word(id).to_owned(),
            value,
            text,
            keyword: None,
        };
        let named = |id: u32| self.show_names || !analysis.is_person(id);
        match self.words {
            WordMode::Frequent => group
                .top_words
                .iter()
                .filter(|(w, _)| named(*w))
                .map(|&(w, n)| word(w, f64::from(n), n.to_string()))
                .collect(),
            WordMode::Distinctive => group
                .distinctive
                .iter()
                .filter(|k| named(k.word))
                .map(|k| {
                    let flag = if k.low_count { "?" } else { "" };
                    word(k.word, k.score, format!("{:.1}{flag}", k.score))
                })
                .collect(),
            WordMode::Keywords => crate::keywords::keyword_uses_in(
                analysis,
                self.theme,
                group.meetings.iter().copied(),
            )
            .into_iter()
            .filter(|u| u.hits > 0.0)
            .map(|u| WordRow {
                text: format!(
                    "{} · {:.0}% · {}/{}",
                    Measure::Hits.format(u.hits),
                    u.share * 100.0,
                    u.meetings.len(),
                    u.units
                ),
                label: u.word,
                value: u.hits,
                keyword: Some(u.keyword),
            })
            .chain(self.candidate_rows())
            .collect(),
        }
    }

    /// The candidate keywords found for the selected theme and group, as rows after its
    /// keywords: no bar (they add nothing yet), the theme's sentences that hold each and
    /// the same meetings' other sentences that do.
    fn candidate_rows(&self) -> Vec<WordRow> {
        let found = self.candidates.as_ref().filter(|(theme, at, _)| {
            *theme == self.theme && Some(at) == self.district_year().as_ref()
        });
        found.map_or_else(Vec::new, |(_, _, candidates)| {
            candidates
                .iter()
                .map(|c| WordRow {
                    label: c.word.clone(),
                    value: 0.0,
                    text: format!("candidate {}/{}", c.with_theme, c.elsewhere),
                    keyword: None,
                })
                .collect()
        })
    }

    /// The row under the selection in the word bars.
    fn selected_word_row(&self) -> Option<WordRow> {
        self.word_rows().into_iter().nth(self.word)
    }

    /// The word under the selection in the keyword bars.
    pub fn selected_word(&self) -> Option<String> {
        self.selected_word_row().map(|r| r.label)
    }

    /// How many rows the word bars have for the selected group.
    pub fn word_count(&self) -> usize {
        self.word_rows().len()
    }

    /// Moves the selection to the next (or previous) row matching the search.
    fn jump_to_match(&mut self, forward: bool, include_current: bool) {
        if self.search.is_empty() {
            return;
        }
        let rows: Vec<String> = match self.view {
            View::Compare => self
                .compare_rows()
                .iter()
                .map(|g| g.district.to_string())
                .collect(),
            View::Evidence => self
                .evidence
                .iter()
                .map(|e| e.passage.sentence.clone())
                .collect(),
            View::Meetings => self.analysis.as_deref().map_or_else(Vec::new, |a| {
                a.meetings
                    .iter()
                    .map(|m| {
                        format!(
                            "{} {} {}",
                            m.meeting.file,
                            m.meeting
                                .district
                                .as_ref()
                                .map_or("", |d| &d.value.unit.name),
                            m.meeting.title.as_deref().unwrap_or("")
                        )
                    })
                    .collect()
            }),
            _ => return,
        };
        let current = match self.view {
            View::Compare => self.compare_row(),
            View::Evidence => self.evidence_row,
            _ => self.meeting_row,
        };
        let n = rows.len();
        let start = if include_current { 0 } else { 1 };
        let found = (start..=n).map(|k| {
            if forward {
                (current + k) % n.max(1)
            } else {
                (current + n - k % n.max(1)) % n.max(1)
            }
        });
        let search = self.search.clone();
        match found
            .into_iter()
            .find(|&i| rows.get(i).is_some_and(|r| r.contains(&search)))
        {
            Some(i) => match self.view {
                View::Compare => self.select_compare_row(i),
                View::Evidence => self.evidence_row = i,
                _ => self.meeting_row = i,
            },
            None => self.status = Some(format!("no match for “{search}”")),
        }
    }

    // ---- drilling down ----

    fn drill(&mut self) {
        match self.view {
            View::Districts => {
                let Some(district) = self.selected_district() else {
                    return;
                };
                let district = district.district.clone();
                let year = self.selected_year();
                let subject = match self.pane {
                    DistrictPane::Words => match self.selected_word_row() {
                        Some(WordRow {
                            keyword: Some(keyword),
                            ..
                        }) => Subject::Keyword {
                            theme: self.theme,
                            keyword,
                        },
                        Some(row) => Subject::Word(row.label),
                        None => return,
                    },
                    _ => Subject::Theme(self.theme),
                };
                self.open_evidence(EvidenceQuery {
                    subject,
                    district,
                    level: self.level,
                    year,
                    within: None,
                });
            }
            View::Compare => {
                let Some(district) = self
                    .compare_rows()
                    .get(self.compare_row())
                    .map(|g| g.district.clone())
                else {
                    return;
                };
                let query = EvidenceQuery {
                    subject: Subject::Theme(self.compare_col),
                    district,
                    level: self.level,
                    year: self.compare_year_key(),
                    within: None,
                };
                self.open_evidence(query);
            }
            View::Timeline => {
                let Some(district) = self.timeline_districts().get(self.timeline_series).cloned()
                else {
                    return;
                };
                let years = self.timeline_years();
                let year = years
                    .get(self.timeline_point.min(years.len().saturating_sub(1)))
                    .map_or(YearKey::AllYears, |&y| YearKey::Year(y));
                self.open_evidence(EvidenceQuery {
                    subject: Subject::Theme(self.timeline_theme),
                    district,
                    level: self.level,
                    year,
                    within: None,
                });
            }
            View::Evidence => {
                if let Some(e) = self.evidence.get(self.evidence_row) {
                    let (meeting, start) = (e.meeting, e.passage.offset);
                    let end = start + e.passage.sentence.len();
                    self.open_reader(meeting, Some(start..end));
                }
            }
            View::Meetings => self.open_reader(self.meeting_row, None),
            View::Leaders => self.drill_leaders(),
            View::Trends => self.drill_trends(),
        }
    }

    /// Enter in the Leaders view: on a theme of a before/after, its sentences on both
    /// sides; on a meeting of a band's list, its text; on a band, its meetings.
    fn drill_leaders(&mut self) {
        let Some(analysis) = self.analysis.clone() else {
            return;
        };
        if let Some(panel) = &self.leader_panel {
            let LeaderPanel::Shift { shift, .. } = panel else {
                return;
            };
            let Some(&theme) = shift_order(shift).get(self.panel_row) else {
                return;
            };
            let (old, new) = (
                &analysis.tenures()[shift.change.before],
                &analysis.tenures()[shift.change.after],
            );
            let Some(district) = self.selected_district().map(|d| d.district.clone()) else {
                return;
            };
            let meetings = shift
                .before
                .meetings
                .iter()
                .chain(&shift.after.meetings)
                .copied()
                .collect();
            self.open_evidence(EvidenceQuery {
                subject: Subject::Theme(theme),
                district,
                level: GroupLevel::County,
                year: YearKey::AllYears,
                within: Some(Within {
                    label: format!("{} → {}, before and after", old.name, new.name),
                    meetings,
                    parts: vec![
                        (format!("before: {}", old.name), shift.before.meetings.len()),
                        (format!("after: {}", new.name), shift.after.meetings.len()),
                    ],
                }),
            });
            return;
        }
        let Some(tenure) = self.selected_tenure() else {
            return;
        };
        let meetings = &analysis.tenures()[tenure].meetings;
        match self.tenure_meeting {
            Some(row) => {
                if let Some(&m) = meetings.get(row) {
                    self.open_reader(m, None);
                }
            }
            None => self.tenure_meeting = Some(0),
        }
    }

    /// A file of the themes folder was saved: it is read again on a worker.
    fn themes_edited(&mut self) -> bool {
        let Some(dir) = self.source.as_ref().and_then(|s| s.themes.clone()) else {
            return false;
        };
        if let Some(old) = self.themes_load.take() {
            old.cancel();
        }
        let ticket = self.ticket();
        self.themes_load = Some(ticket.clone());
        self.jobs.push(Job::Themes { ticket, dir });
        false
    }

    /// The themes folder as it is now: broken, it is said until fixed and the numbers on
    /// screen stay; changed, the corpus is measured again with it.
    fn themes_read(&mut self, ticket: u64, taxonomy: Result<Taxonomy, TaxonomyError>) -> bool {
        if self.themes_load.take_if(|t| t.id == ticket).is_none() {
            return false;
        }
        let taxonomy = match taxonomy {
            Ok(taxonomy) => taxonomy,
            Err(why) => {
                self.themes_error = Some(why.to_string());
                return true;
            }
        };
        let was_broken = self.themes_error.take().is_some();
        if self.load != CorpusLoad::Current || self.analysis.is_none() {
            self.pending_themes = Some(taxonomy);
            return was_broken;
        }
        self.recount_with(taxonomy) || was_broken
    }

    /// Measures the corpus again with `taxonomy` if it counts otherwise than the one shown.
    fn recount_with(&mut self, taxonomy: Taxonomy) -> bool {
        let (Some(source), Some(analysis)) = (self.source.clone(), self.analysis.clone()) else {
            return false;
        };
        let changed = describe_changes(&analysis.measurer.taxonomy, &taxonomy);
        let counting = self.recount.as_ref().map(|(_, _, hash)| hash.as_str());
        if changed.is_empty() || counting == Some(taxonomy.hash.as_str()) {
            return false;
        }
        if let Some((old, _, _)) = self.recount.take() {
            old.cancel();
        }
        let ticket = self.ticket();
        self.recount = Some((ticket.clone(), changed, taxonomy.hash.clone()));
        self.jobs.push(Job::Recount {
            ticket,
            source,
            analysis,
            taxonomy,
        });
        true
    }

    /// The themes edited while the corpus loaded, counted now that it has.
    fn count_pending_themes(&mut self) {
        if let Some(taxonomy) = self.pending_themes.take() {
            self.recount_with(taxonomy);
        }
    }

    /// The corpus counted again with the edited themes: shown where the user was, and
    /// what changed said on the status line. The first answer, from memory, is followed
    /// by the last, built through the cache (which the next start reads).
    fn recounted(
        &mut self,
        ticket: u64,
        analysis: Result<Arc<Analysis>, Error>,
        touched: usize,
        last: bool,
    ) -> bool {
        let answered = |(t, _, _): &(Ticket, String, String)| t.id == ticket;
        let changed = match last {
            true => self
                .recount
                .take_if(|r| answered(r))
                .map(|(_, changed, _)| changed),
            false => self
                .recount
                .as_ref()
                .filter(|r| answered(r))
                .map(|r| r.1.clone()),
        };
        let Some(changed) = changed else {
            return false;
        };
        match analysis {
            Ok(analysis) => {
                self.loaded(analysis);
                self.status = Some(format!(
                    "{changed}; {} re-counted",
                    crate::tui::draw::counted_meetings(touched)
                ));
            }
            Err(why) => {
                self.status = Some(format!("the edited themes could not be counted: {why}"))
            }
        }
        true
    }

    /// `c`: the keywords pane, with candidate keywords for the selected theme from the
    /// selected group's sentences, asked of a worker (it reads their texts again).
    fn ask_candidates(&mut self) {
        self.words = WordMode::Keywords;
        let (Some(analysis), Some(group), Some(at)) = (
            self.analysis.clone(),
            self.selected_group().map(|g| g.meetings.clone()),
            self.district_year(),
        ) else {
            return;
        };
        if let Some((old, _, _)) = self.candidates_load.take() {
            old.cancel();
        }
        let ticket = self.ticket();
        self.candidates_load = Some((ticket.clone(), self.theme, at));
        self.status = Some("finding candidate keywords in the group's sentences…".into());
        self.jobs.push(Job::Candidates {
            ticket,
            analysis,
            theme: self.theme,
            meetings: group,
            options: self.options.clone(),
        });
    }

    /// The keywords pane's sample sentences, asked of a worker (each reads a text) when
    /// the pane shows a theme and group whose samples are neither at hand nor asked for.
    fn ask_samples(&mut self) {
        if self.view != View::Districts || self.words != WordMode::Keywords {
            return;
        }
        let (Some(analysis), Some(at)) = (self.analysis.clone(), self.district_year()) else {
            return;
        };
        let for_shown = |theme: usize, group: &DistrictYear| theme == self.theme && *group == at;
        let have = self
            .samples
            .as_ref()
            .is_some_and(|(t, g, _)| for_shown(*t, g));
        let asked = (self.samples_load.as_ref()).is_some_and(|(_, t, g)| for_shown(*t, g));
        if have || asked {
            return;
        }
        let Some(meetings) = self.selected_group().map(|g| g.meetings.clone()) else {
            return;
        };
        if let Some((old, _, _)) = self.samples_load.take() {
            old.cancel();
        }
        let ticket = self.ticket();
        self.samples_load = Some((ticket.clone(), self.theme, at));
        self.jobs.push(Job::Samples {
            ticket,
            analysis,
            theme: self.theme,
            meetings,
            options: self.options.clone(),
        });
    }

    /// The sample sentences of the keywords pane's theme and group, by keyword index;
    /// None while they are read.
    pub fn keyword_samples(&self) -> Option<&[Option<Passage>]> {
        let at = self.district_year()?;
        let (_, _, samples) = (self.samples.as_ref())
            .filter(|(theme, group, _)| *theme == self.theme && *group == at)?;
        Some(samples)
    }

    /// Enter in the `T` prompt: `term` tried as a keyword of `theme` by a worker (it
    /// reads every text that could hold it); an earlier trial's answer is no longer
    /// wanted.
    fn ask_try(&mut self, theme: usize, term: String) {
        let Some(analysis) = self.analysis.clone() else {
            return;
        };
        if let Some((old, _, _)) = self.try_load.take() {
            old.cancel();
        }
        let ticket = self.ticket();
        self.try_load = Some((ticket.clone(), theme, term.clone()));
        self.jobs.push(Job::Try {
            ticket,
            analysis,
            theme,
            term,
            options: self.options.clone(),
        });
    }

    /// A trial answered: its sentences open in the Evidence view, or the term's fault is
    /// said. Dropped unless it is the one awaited.
    fn tried(&mut self, ticket: u64, trial: Result<Arc<Trial>, Error>) -> bool {
        if self.try_load.take_if(|(t, _, _)| t.id == ticket).is_none() {
            return false;
        }
        let trial = match trial {
            Ok(trial) => trial,
            Err(why) => {
                self.status = Some(why.to_string());
                return true;
            }
        };
        if let Some(load) = self.evidence_load.take() {
            load.ticket.cancel();
        }
        // The trial's sentences are the view's rows, so that moving, searching, `x` and
        // Enter work on them as on any evidence.
        self.evidence = (trial.sentences.iter())
            .map(|s| Sentence {
                meeting: s.meeting,
                passage: s.passage.clone(),
            })
            .collect();
        self.evidence_unreadable = trial.unreadable.iter().map(ToString::to_string).collect();
        self.evidence_query = None;
        self.explained = None;
        self.evidence_row = 0;
        self.trial = Some(trial);
        self.show(View::Evidence);
        true
    }

    /// `x`: why the selected sentence counts, asked of a worker; again, or on a row that
    /// has it, closes it.
    fn explain(&mut self) {
        let row = self.evidence_row;
        if self.explained.take_if(|(r, _)| *r == row).is_some() {
            return;
        }
        let (Some(analysis), Some(sentence)) = (
            self.analysis.clone(),
            self.evidence.get(row).map(|e| e.passage.sentence.clone()),
        ) else {
            return;
        };
        if let Some((old, _)) = self.explain_load.take() {
            old.cancel();
        }
        let ticket = self.ticket();
        self.explain_load = Some((ticket.clone(), row));
        self.jobs.push(Job::Explain {
            ticket,
            analysis,
            sentence,
        });
    }

    /// `b`: the before and after of the change into the selected band's tenure (or, for
    /// a unit's first holder, out of it), worked out by a worker.
    fn open_shift(&mut self) {
        let (Some(analysis), Some(tenure)) = (self.analysis.clone(), self.selected_tenure()) else {
            return;
        };
        let changes = crate::tenure::changes(analysis.tenures());
        let change = changes
            .iter()
            .find(|c| c.after == tenure)
            .or_else(|| changes.iter().find(|c| c.before == tenure))
            .copied();
        let Some(change) = change else {
            self.status = Some(format!(
                "no change of holder to compare: {} is the only {} in line here",
                analysis.tenures()[tenure].name,
                analysis.tenures()[tenure].office
            ));
            return;
        };
        let ticket = self.ask_panel();
        self.jobs.push(Job::Shift {
            ticket,
            analysis,
            change,
            options: self.options.clone(),
        });
    }

    /// `e`: the chart in view as a figure, written by a worker into [`App::export_dir`]
    /// with its data; the status line says where once it is. Views without a chart,
    /// and a chart with nothing in it yet, say so instead.
    fn export_chart(&mut self) {
        /// The heat map's rows a figure takes at most: more would not be legible at a
        /// page's width.
        const HEATMAP_ROWS: usize = 40;
        let Some(analysis) = self.analysis.clone() else {
            self.status = Some("nothing to export yet: the corpus is still being read".into());
            return;
        };
        let (level, measure) = (self.level, self.measure);
        let theme_name = |t: usize| analysis.measurer.taxonomy.themes[t].name.clone();
        let exported: Option<(Spec, String)> = match self.view {
            View::Districts => self.selected_district().map(|d| {
                let label = d
                    .district
                    .unit()
                    .map_or_else(|| d.district.to_string(), |u| u.name.clone());
                (
                    Spec::Bars {
                        level,
                        district: d.district.clone(),
                        year: self.selected_year(),
                        measure,
                    },
                    label,
                )
            }),
            View::Compare => {
                let year = self.compare_year_key();
                let districts: Vec<District> = self
                    .compare_rows()
                    .iter()
                    .take(HEATMAP_ROWS)
                    .map(|g| g.district.clone())
                    .collect();
                (!districts.is_empty()).then(|| {
                    (
                        Spec::Heatmap {
                            level,
                            districts,
                            year,
                            measure,
                        },
                        year.to_string(),
                    )
                })
            }
            View::Timeline => {
                let theme = self.timeline_theme;
                Some((
                    Spec::Timeline {
                        level,
                        districts: self.timeline_districts(),
                        theme,
                        measure,
                    },
                    theme_name(theme),
                ))
            }
            View::Trends => self.trends.answer().map(|answer| {
                let lines = self
                    .trends
                    .lines(answer, &self.pinned)
                    .iter()
                    .map(|l| crate::figure::TrendLine {
                        term: answer.found.query.series[l.series].label.clone(),
                        line: l.line.clone(),
                    })
                    .collect();
                let label = answer
                    .found
                    .query
                    .series
                    .first()
                    .map_or_else(String::new, |s| s.label.clone());
                (
                    Spec::Trend {
                        lines,
                        value: self.trends.value,
                        smoothing: self.trends.smoothing,
                    },
                    label,
                )
            }),
            View::Leaders => match &self.leader_panel {
                Some(LeaderPanel::Shift { shift, .. }) => {
                    let unit = analysis.tenures()[shift.change.before].unit.name.clone();
                    Some((
                        Spec::Shift {
                            shift: Shift::clone(shift),
                        },
                        unit,
                    ))
                }
                _ => {
                    self.status =
                        Some("e exports a before and after: open one with b first".into());
                    return;
                }
            },
            View::Evidence | View::Meetings => None,
        };
        let Some((spec, label)) = exported else {
            self.status = Some("nothing to export: this view shows no chart".into());
            return;
        };
        let read = self
            .source
            .iter()
            .flat_map(|s| std::iter::once(s.corpus.clone()).chain(s.themes.clone()))
            .collect();
        let corpus = self
            .source
            .as_ref()
            .map_or_else(PathBuf::new, |s| s.corpus.clone());
        self.status = Some("writing the figure…".into());
        self.jobs.push(Job::Export {
            analysis,
            spec: Box::new(spec),
            label,
            dir: self.export_dir.clone(),
            corpus,
            read,
        });
    }

    /// `a`: how themes moved on average over every change of the selected band's office,
    /// in the units of the district filter if there is one.
    fn open_average(&mut self) {
        let Some(analysis) = self.analysis.clone() else {
            return;
        };
        let units = (!self.district_filter.is_empty()).then(|| {
            let mut ids: Vec<String> = self
                .visible_districts()
                .iter()
                .filter_map(|&i| self.districts[i].district.unit().map(|u| u.id.clone()))
                .collect();
            ids.sort_unstable();
            ids
        });
        let ticket = self.ask_panel();
        self.jobs.push(Job::Average {
            ticket,
            analysis,
            office: self.selected_tenure_office(),
            units,
        });
    }

    /// A ticket for the panel's comparison; the one asked before is no longer wanted.
    fn ask_panel(&mut self) -> Ticket {
        if let Some(old) = self.panel_load.take() {
            old.cancel();
        }
        let ticket = self.ticket();
        self.panel_load = Some(ticket.clone());
        ticket
    }

    /// A comparison for the panel; dropped unless still awaited. A before/after comes
    /// twice, the second time with its words: the selection stays.
    fn panel_arrived(&mut self, ticket: u64, panel: LeaderPanel) -> bool {
        if self.panel_load.as_ref().is_none_or(|t| t.id != ticket) {
            return false;
        }
        let words_done = !matches!(panel, LeaderPanel::Shift { words: None, .. });
        if words_done {
            self.panel_load = None;
        }
        let same_change = matches!(
            (&self.leader_panel, &panel),
            (Some(LeaderPanel::Shift { shift: a, .. }), LeaderPanel::Shift { shift: b, .. })
                if a.change == b.change
        );
        if !same_change {
            self.panel_row = 0;
        }
        self.leader_panel = Some(panel);
        self.tenure_meeting = None;
        true
    }

    /// The unit the Leaders view shows: the district selected, if it is a unit at
    /// county level (leaders belong to units, not to pooled prefectures).
    pub fn leaders_unit(&self) -> Option<&crate::gazetteer::UnitRef> {
        if self.level != GroupLevel::County {
            return None;
        }
        self.selected_district()?.district.unit()
    }

    /// The tenures of the unit shown, as indices into the analysis's tenures.
    pub fn unit_tenures(&self) -> std::ops::Range<usize> {
        match (self.analysis.as_deref(), self.leaders_unit()) {
            (Some(analysis), Some(unit)) => analysis.tenures_of(&unit.id),
            _ => 0..0,
        }
    }

    /// The selected band's tenure, as an index into the analysis's tenures.
    pub fn selected_tenure(&self) -> Option<usize> {
        let range = self.unit_tenures();
        (!range.is_empty()).then(|| range.start + self.tenure_row.min(range.len() - 1))
    }

    fn selected_tenure_office(&self) -> Office {
        self.selected_tenure()
            .and_then(|t| Some(self.analysis.as_deref()?.tenures()[t].office))
            .unwrap_or(Office::Secretary)
    }

    fn open_evidence(&mut self, query: EvidenceQuery) {
        self.find_evidence(query);
        self.evidence_row = 0;
        self.show(View::Evidence);
    }

    /// A new request number.
    fn ticket(&mut self) -> Ticket {
        self.tickets += 1;
        Ticket::new(self.tickets)
    }

    /// Asks a worker for the sentences behind `query` in the current analysis; those of
    /// an earlier request stop being read.
    fn find_evidence(&mut self, query: EvidenceQuery) {
        let Some(analysis) = self.analysis.clone() else {
            return;
        };
        if let Some(old) = self.evidence_load.take() {
            old.ticket.cancel();
        }
        let ticket = self.ticket();
        let group = analysis
            .is_pooled(query.level)
            .then(|| {
                analysis
                    .at(query.level)
                    .group(query.district.key(), query.year)
            })
            .flatten();
        let listed = query.within.as_ref().map(|w| w.meetings.clone());
        self.evidence_load = Some(EvidenceLoad {
            ticket: ticket.clone(),
            read: 0,
            total: listed
                .as_ref()
                .map_or_else(|| group.map_or(0, |g| g.meetings.len()), Vec::len),
        });
        self.evidence.clear();
        self.evidence_unreadable.clear();
        self.explained = None;
        self.trial = None;
        self.evidence_query = Some(query.clone());
        self.jobs.push(Job::Evidence {
            ticket,
            analysis,
            subject: query.subject,
            district: query.district,
            level: query.level,
            year: query.year,
            listed,
            options: self.options.clone(),
        });
    }

    /// Sentences of the evidence request `ticket`; dropped unless it is still awaited.
    fn evidence_arrived(
        &mut self,
        ticket: u64,
        found: crate::analysis::FoundEvidence,
        (read, total): (usize, usize),
        done: bool,
    ) -> bool {
        let Some(load) = self
            .evidence_load
            .as_mut()
            .filter(|l| l.ticket.id == ticket)
        else {
            return false;
        };
        (load.read, load.total) = (read, total);
        // The unreadable meetings are named; the sentences of the others still show.
        self.evidence_unreadable.extend(found.unreadable);
        self.evidence.extend(found.sentences);
        if done {
            self.evidence_load = None;
            self.evidence_row = self.evidence_row.min(self.evidence.len().saturating_sub(1));
            if self.evidence.is_empty()
                && self.evidence_unreadable.is_empty()
                && self.status.is_none()
            {
                self.status = Some("no sentence matches here".into());
            }
        }
        true
    }

    /// Asks a worker for a meeting's text; the reader opens when it arrives.
    fn open_reader(&mut self, meeting: usize, highlight: Option<std::ops::Range<usize>>) {
        let Some(analysis) = self.analysis.clone() else {
            return;
        };
        self.close_reader();
        let ticket = self.ticket();
        self.text_load = Some(TextLoad {
            ticket: ticket.clone(),
            meeting,
            highlight,
        });
        self.jobs.push(Job::Text {
            ticket,
            analysis,
            meeting,
            options: self.options.clone(),
        });
    }

    /// Closes the reader, or gives up the text on its way to it.
    fn close_reader(&mut self) {
        self.reader = None;
        if let Some(load) = self.text_load.take() {
            load.ticket.cancel();
        }
    }

    /// The text asked for the reader; dropped unless it is still awaited.
    fn text_arrived(&mut self, ticket: u64, text: Result<String, Error>) -> bool {
        let Some(load) = self.text_load.take_if(|l| l.ticket.id == ticket) else {
            return false;
        };
        match text {
            Ok(text) => {
                let width = reader_width(self.size.0);
                let lines = wrap(&text, width);
                // Open with the sentence a third of the way down the page.
                let scroll = load.highlight.as_ref().map_or(0, |h| {
                    let line = lines.iter().rposition(|l| l.start <= h.start).unwrap_or(0);
                    line.saturating_sub(usize::from(reader_height(self.size.1)) / 3)
                });
                self.reader = Some(Reader {
                    meeting: load.meeting,
                    text,
                    lines,
                    width,
                    scroll,
                    highlight: load.highlight,
                });
                self.clamp_reader_scroll();
            }
            Err(e) => self.status = Some(e.to_string()),
        }
        true
    }
}

/// What changed from one taxonomy to the next, theme by theme, in a line: `招商引资: +2
/// keywords, 1 exclusion; 安全稳定: 1 weight`; empty when nothing that counts did.
pub fn describe_changes(old: &Taxonomy, new: &Taxonomy) -> String {
    use std::collections::BTreeMap;
    let mut parts = Vec::new();
    for theme in &new.themes {
        let Some(before) = old.themes.iter().find(|t| t.name == theme.name) else {
            parts.push(format!("{}: new theme", theme.name));
            continue;
        };
        let weights = |t: &crate::taxonomy::Theme| -> BTreeMap<String, f64> {
            t.keywords
                .iter()
                .map(|k| (k.word.clone(), k.weight))
                .collect()
        };
        let (was, now) = (weights(before), weights(theme));
        let added = now.keys().filter(|k| !was.contains_key(*k)).count();
        let removed = was.keys().filter(|k| !now.contains_key(*k)).count();
        let reweighed = now
            .iter()
            .filter(|(k, w)| was.get(*k).is_some_and(|v| v != *w))
            .count();
        let excluded = theme
            .exclude
            .iter()
            .filter(|e| !before.exclude.contains(e))
            .count();
        let unexcluded = before
            .exclude
            .iter()
            .filter(|e| !theme.exclude.contains(e))
            .count();
        let mut what = Vec::new();
        let mut say = |n: usize, one: &str, many: &str| {
            if n > 0 {
                what.push(format!("{n} {}", if n == 1 { one } else { many }));
            }
        };
        say(added, "keyword added", "keywords added");
        say(removed, "keyword removed", "keywords removed");
        say(reweighed, "weight changed", "weights changed");
        say(excluded, "exclusion added", "exclusions added");
        say(unexcluded, "exclusion removed", "exclusions removed");
        if !what.is_empty() {
            parts.push(format!("{}: {}", theme.name, what.join(", ")));
        }
    }
    for theme in old
        .themes
        .iter()
        .filter(|t| new.themes.iter().all(|n| n.name != t.name))
    {
        parts.push(format!("{}: theme removed", theme.name));
    }
    if parts.is_empty() && old.words_hash != new.words_hash {
        parts.push("lexicon or stopwords changed".to_owned());
    }
    parts.join("; ")
}
