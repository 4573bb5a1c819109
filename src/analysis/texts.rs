//! Texts read back from disk: a meeting for the reader, the sentences behind a number.

use std::borrow::Cow;

use super::Analysis;
use crate::error::Error;
use crate::ingest::Options;
use crate::measure::{passages_of, Passage};
use crate::tokens::Reader;
use crate::trend::Series;

/// What [`Analysis::evidence`] found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FoundEvidence {
    /// The sentences, in meeting order.
    pub sentences: Vec<Evidence>,
    /// One note for each meeting that could not be read again.
    pub unreadable: Vec<String>,
}

/// What a number counts: a theme's keywords, or one word of the keyword bars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// The keywords of the theme at this index of the taxonomy.
    Theme(usize),
    /// One word, as the segmenter cuts it.
    Word(String),
    /// One keyword of a theme, as the theme counts it (a phrase across words included).
    Keyword {
        /// The theme's index in the taxonomy.
        theme: usize,
        /// The keyword's index in the theme.
        keyword: usize,
    },
    /// A trend's series: its terms wherever they stand in the text.
    Term(Series),
}

/// A sentence behind a number, with its meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// Index of the meeting in [`Analysis::meetings`].
    pub meeting: usize,
    /// The sentence, with what it matched marked.
    pub passage: Passage,
}

/// Every meeting's cleaned text as it was measured: from the kept cuts where a meeting
/// has one (a read of its bytes), else read from its file and cleaned again.
pub struct Texts<'a> {
    analysis: &'a Analysis,
    options: &'a Options,
    kept: Option<&'a Reader>,
}

impl Texts<'_> {
    /// Meeting `m`'s cleaned text: in the kept cuts' mapping, or read into `buffer`
    /// (kept from call to call), or read from its file. Read from a tokens file, it is
    /// not checked to be UTF-8: a search of its bytes does not need it to be.
    pub fn bytes<'b>(&'b self, m: usize, buffer: &'b mut Vec<u8>) -> Result<Cow<'b, [u8]>, Error> {
        let measured = self.analysis.meetings.get(m).ok_or(Error::NoMeeting(m))?;
        if let (Some(kept), Some(span)) = (self.kept, measured.tokens) {
            // A damaged record is read from the file instead.
            if let Ok(text) = kept.text_bytes(span, buffer) {
                return Ok(Cow::Borrowed(text));
            }
        }
        Ok(Cow::Owned(
            self.analysis.text(m, self.options)?.into_bytes(),
        ))
    }
}

impl Analysis {
    /// Makes ready for a search of every text: the kept cuts opened and their pages
    /// mapped, so that the first search takes no longer than the next.
    pub fn prepare_texts(&self) {
        if let Some(kept) = self.kept_cuts() {
            kept.touch();
        }
    }

    /// Whether meeting `m`'s cut is kept in the tokens file, so that a search or a
    /// re-count after an edit reads it there rather than its report.
    pub fn is_cut_kept(&self, m: usize) -> bool {
        self.kept_cuts().is_some() && self.meetings.get(m).is_some_and(|m| m.tokens.is_some())
    }

    /// The meetings' texts, for a search of all of them.
    pub fn texts<'a>(&'a self, options: &'a Options) -> Texts<'a> {
        Texts {
            analysis: self,
            options,
            kept: self.kept_cuts(),
        }
    }

    /// The meeting's cleaned text, read again from disk (texts are not kept in memory).
    pub fn text(&self, meeting: usize, options: &Options) -> Result<String, Error> {
        let wanted = &self
            .meetings
            .get(meeting)
            .ok_or(Error::NoMeeting(meeting))?
            .meeting
            .file;
        // The listing is sorted by name (corpus::in_order): found by halving, not
        // by a scan over every file, which a word's evidence would make once a meeting.
        let file = self
            .plan
            .files
            .binary_search_by(|f| crate::corpus::in_order(&f.rel, wanted))
            .map(|i| &self.plan.files[i])
            .map_err(|_| Error::ReportGone {
                file: wanted.clone(),
            })?;
        self.plan
            .read(file, options)
            .map(|r| r.text)
            .map_err(|s| Error::Report {
                file: s.file,
                reason: s.reason,
            })
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
            // The meetings asked for are those a search found it in.
            Subject::Word(_) | Subject::Term(_) => true,
            Subject::Keyword { theme, keyword } => measured
                .measures
                .keywords
                .iter()
                .any(|k| k.theme as usize == *theme && k.keyword as usize == *keyword),
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
            Subject::Theme(theme) => self.measurer.passages(&text, *theme),
            Subject::Word(word) => self.measurer.word_passages(&text, word),
            Subject::Keyword { theme, keyword } => {
                let word = &self.measurer.taxonomy.themes[*theme].keywords[*keyword].word;
                let mut passages = self.measurer.passages(&text, *theme);
                passages.retain(|p| p.keywords.contains(word));
                passages
            }
            Subject::Term(series) => {
                let marks = series
                    .find_iter(text.as_bytes())
                    .map(|r| (r.clone(), text[r].to_owned()));
                passages_of(&text, marks)
            }
        };
        found
            .sentences
            .extend(passages.into_iter().map(|passage| Evidence {
                meeting: m,
                passage,
            }));
    }
}
