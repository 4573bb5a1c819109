//! Stage 5b: what one meeting's text weighs, theme by theme.
//!
//! Every measure names its denominator: `per_10k` is weighted hits per 10,000 Han
//! characters of the cleaned text; `token_share` is weighted hits per content word
//! (words that are not punctuation or space).

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use std::ops::Range;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::matching::{Hit, Matcher, Meaning, Pattern};
use crate::segment::{is_content, Segmenter, Word};
use crate::taxonomy::{Keyword, Taxonomy};
use crate::text::han_count;

/// One theme in one meeting.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ThemeCount {
    /// Weighted keyword hits.
    pub hits: f64,
    /// Sentences with at least one hit.
    pub sentences: u32,
}

/// How often one keyword matched in one meeting (unweighted). Keywords are named by
/// their place in the taxonomy, not spelled: a hundred thousand meetings cannot each
/// keep the spellings. [`Measurer::keyword_counts`] gives them back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct KeywordCount {
    /// Index of the theme in the taxonomy.
    pub theme: u32,
    /// Index of the keyword in its theme.
    pub keyword: u32,
    count: u32,
}

impl KeywordCount {
    pub(crate) fn new(theme: u32, keyword: u32, count: u32) -> KeywordCount {
        KeywordCount {
            theme,
            keyword,
            count,
        }
    }

    /// Times the keyword matched in the meeting, unweighted.
    pub fn count(&self) -> u32 {
        self.count
    }
}

/// A meeting's measures: everything the dashboard and the reports keep per meeting, and
/// nothing of the text itself (texts stay on disk; see [`Measurer::passages`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MeetingMeasures {
    /// Han characters: the denominator of `per_10k`.
    pub chars: usize,
    /// Content words: the denominator of `% of tokens`.
    pub tokens: usize,
    /// One entry per theme of the taxonomy, in its order.
    pub themes: Vec<ThemeCount>,
    /// Every keyword that matched, by theme and keyword: one list for the meeting, not
    /// one per theme, so a cached meeting costs one allocation for them, not thirteen.
    pub keywords: Vec<KeywordCount>,
}

/// What measuring one text gives: the measures kept, and the word frequencies that only
/// the aggregation needs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Measured {
    /// What is kept of the meeting.
    pub measures: MeetingMeasures,
    /// Frequencies of content words of two or more Han characters, stopwords left out:
    /// the keyword bars and keyness are made from these.
    pub words: WordList,
    /// The byte length of each word the text was cut into (see [`crate::tokens`]).
    pub cut: Vec<u32>,
}

/// Words with their counts, spelled one after another in one string: a meeting has
/// hundreds of distinct words, and a string each would cost an allocation each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordList {
    spelled: String,
    /// Where each word ends in `spelled`, and its count.
    ends: Vec<(u32, u32)>,
}

impl WordList {
    fn with_capacity(words: usize, bytes: usize) -> WordList {
        WordList {
            spelled: String::with_capacity(bytes),
            ends: Vec::with_capacity(words),
        }
    }

    fn push(&mut self, word: &str, count: u32) {
        self.spelled.push_str(word);
        // A meeting's text is capped far below 4 GiB (see `corpus`), and so are its words.
        let end = u32::try_from(self.spelled.len()).unwrap_or(u32::MAX);
        self.ends.push((end, count));
    }

    /// The words and their counts, in the order pushed.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u32)> {
        let starts = std::iter::once(0).chain(self.ends.iter().map(|&(end, _)| end));
        starts.zip(&self.ends).map(|(start, &(end, count))| {
            let word = self
                .spelled
                .get(start as usize..end as usize)
                .unwrap_or_default();
            (word, count)
        })
    }
}

impl<'a> FromIterator<(&'a str, u32)> for WordList {
    fn from_iter<I: IntoIterator<Item = (&'a str, u32)>>(iter: I) -> WordList {
        let mut list = WordList::default();
        for (word, count) in iter {
            list.push(word, count);
        }
        list
    }
}

/// One distinct word of a text, with what [`Measurer::measure`] needs to know of it.
struct Distinct<'a, 'p> {
    text: &'a str,
    count: u32,
    /// The taxonomy's phrases that start with this word.
    patterns: &'p [Pattern],
    /// Han characters in the word: the words' sum is the text's, as the segmenter's
    /// words cover the text.
    han: usize,
    content: bool,
    ends_sentence: bool,
}

impl<'a, 'p> Distinct<'a, 'p> {
    fn new(text: &'a str, matcher: &'p Matcher) -> Distinct<'a, 'p> {
        let han = han_count(text);
        Distinct {
            text,
            count: 0,
            patterns: matcher.starting_with(text),
            han,
            // Most words are Han: content, and no sentence's end.
            content: han > 0 || is_content(text),
            ends_sentence: han == 0 && ends_sentence(text),
        }
    }
}

/// Whether a segmented word ends a sentence, as [`sentence_starts`] splits them.
pub(crate) fn ends_sentence(word: &str) -> bool {
    matches!(word, "。" | "！" | "？" | "；" | "!" | "?" | ";") || word.contains('\n')
}

/// An index of the taxonomy as the measures keep it. No taxonomy has four billion
/// themes or keywords; saturating keeps this total anyway.
fn taxonomy_index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// Hits per 10,000 characters, 0 for an empty text.
pub fn per_10k(hits: f64, chars: usize) -> f64 {
    if chars == 0 {
        0.0
    } else {
        hits * 10_000.0 / chars as f64
    }
}

/// What the dashboard and the reports can show for a theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Measure {
    /// Weighted hits per 10,000 Han characters.
    #[default]
    Per10k,
    /// Weighted hits as a percentage of the content words.
    TokenShare,
    /// Weighted hits, not divided by anything.
    Hits,
}

impl Measure {
    pub(crate) fn next(self) -> Measure {
        match self {
            Measure::Per10k => Measure::TokenShare,
            Measure::TokenShare => Measure::Hits,
            Measure::Hits => Measure::Per10k,
        }
    }

    /// The measure's value from its numerator and denominators.
    pub fn value(self, hits: f64, chars: usize, tokens: usize) -> f64 {
        match self {
            Measure::Per10k => per_10k(hits, chars),
            Measure::TokenShare if tokens > 0 => hits * 100.0 / tokens as f64,
            Measure::TokenShare => 0.0,
            Measure::Hits => hits,
        }
    }

    /// The denominator, as it is named on screen.
    pub fn describe(self) -> &'static str {
        match self {
            Measure::Per10k => "hits per 10,000 Han characters",
            Measure::TokenShare => "% of content words (tokens)",
            Measure::Hits => "raw weighted hits",
        }
    }

    pub(crate) fn short(self) -> &'static str {
        match self {
            Measure::Per10k => "per 10k chars",
            Measure::TokenShare => "% of tokens",
            Measure::Hits => "hits",
        }
    }

    /// The width of the widest [`Measure::format`] of any value from 0 to `largest`
    /// (raw hits print whole numbers without decimals, and others with one).
    pub fn widest(self, largest: f64) -> usize {
        let shown = match self {
            Measure::Hits => format!("{largest:.1}"),
            _ => self.format(largest),
        };
        shown.chars().count()
    }

    /// `value` as tables and views print it: one decimal per 10k, two and `%` for a
    /// share, hits whole when they are.
    pub fn format(self, value: f64) -> String {
        match self {
            Measure::Per10k => format!("{value:.1}"),
            Measure::TokenShare => format!("{value:.2}%"),
            Measure::Hits => {
                if value.fract() == 0.0 {
                    format!("{value:.0}")
                } else {
                    format!("{value:.1}")
                }
            }
        }
    }
}

/// What measures a meeting against one taxonomy: its segmenter, matcher and stopwords,
/// built once and shared by every meeting (and every thread). What it measures makes up
/// an [`crate::analysis::Analysis`].
pub struct Measurer {
    /// The themes and keywords it measures.
    pub taxonomy: Taxonomy,
    /// Built on first use: loading jieba's dictionary takes a tenth of a second or more,
    /// and a start that finds every meeting in the cache never segments anything.
    tools: OnceLock<(Segmenter, Matcher)>,
}

/// A sentence as measuring sees it: its words, and what matched.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Explained {
    /// The words, as the segmenter cuts them.
    pub words: Vec<String>,
    /// The runs of words that matched, in order.
    pub spans: Vec<ExplainedSpan>,
}

/// A run of words that matched a keyword or an exclude phrase.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExplainedSpan {
    /// The index of its first word.
    pub first: usize,
    /// How many words it takes.
    pub words: usize,
    /// What it counts for: a theme's keyword, or an exclusion that counts for none.
    pub meaning: Meaning,
}

/// A sentence's content words, and whether a theme matched in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SentenceWords<'t> {
    /// Where the sentence is in the text.
    pub span: Range<usize>,
    /// Whether the theme matched in it.
    pub of_theme: bool,
    /// Its content words, in order, repeats included.
    pub words: Vec<&'t str>,
}

/// A sentence with the keywords of one theme in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// The sentence, as the cleaned text has it.
    pub sentence: String,
    /// Byte ranges of the matched keywords within `sentence`.
    pub marks: Vec<Range<usize>>,
    /// The keywords, as the taxonomy spells them.
    pub keywords: Vec<String>,
    /// Byte offset of the sentence in the meeting's cleaned text (to scroll the reader).
    pub offset: usize,
}

impl Measurer {
    /// A measurer of `taxonomy`; the segmenter and matcher are built when first needed.
    pub fn new(taxonomy: Taxonomy) -> Measurer {
        Measurer {
            taxonomy,
            tools: OnceLock::new(),
        }
    }

    fn tools(&self) -> &(Segmenter, Matcher) {
        self.tools.get_or_init(|| {
            let segmenter = Segmenter::new(&self.taxonomy);
            let matcher = Matcher::new(&self.taxonomy, &segmenter);
            (segmenter, matcher)
        })
    }

    /// The segmenter, taught the taxonomy's keywords (built on first use).
    pub fn segmenter(&self) -> &Segmenter {
        &self.tools().0
    }

    fn matcher(&self) -> &Matcher {
        &self.tools().1
    }

    /// Segments and matches one meeting's cleaned text.
    pub fn measure(&self, text: &str) -> Measured {
        let words = self.segmenter().cut(text);
        let mut measured = self.measure_words(&words);
        measured.cut = crate::tokens::lengths(&words);
        measured
    }

    /// Matches a text already cut into `words` (its cut kept from an earlier
    /// measuring): what [`Measurer::measure`] gives for the text, without cutting it.
    /// `cut` is left empty: the caller has the words.
    pub fn measure_words(&self, words: &[Word<'_>]) -> Measured {
        let matcher = self.matcher();
        // Each word is hashed once, to its distinct word, and what depends only on the
        // word (its count, the keywords it starts, whether it ends a sentence) is worked
        // out once per distinct word: a text has several times more words than distinct
        // ones. Sized for a distinct word in two, the map does not grow while counting.
        let mut index: FxHashMap<&str, u32> =
            FxHashMap::with_capacity_and_hasher(words.len() / 2, Default::default());
        let mut distinct: Vec<Distinct> = Vec::with_capacity(words.len() / 2);
        let distinct_of: Vec<u32> = words
            .iter()
            .map(|word| {
                let d = *index.entry(word.text).or_insert_with(|| {
                    distinct.push(Distinct::new(word.text, matcher));
                    // A report is capped at megabytes, so its words number far below
                    // 2^32.
                    u32::try_from(distinct.len() - 1).unwrap_or(u32::MAX)
                });
                distinct[d as usize].count += 1;
                d
            })
            .collect();
        let word_at = |i: usize| &distinct[distinct_of[i] as usize];
        let hits = matcher.hits_by(words, |i| word_at(i).patterns);
        let (themes, keywords) = self.count_hits(&hits, |i| word_at(i).ends_sentence);
        let (mut chars, mut tokens) = (0, 0);
        // Sized once for every distinct word at two Han characters each, so that it does
        // not grow, a reallocation at a time, while it fills.
        let mut kept = WordList::with_capacity(distinct.len(), distinct.len() * 6);
        for word in &distinct {
            chars += word.han * word.count as usize;
            if !word.content {
                continue;
            }
            tokens += word.count as usize;
            if word.han >= 2 && !self.taxonomy.stopwords.contains(word.text) {
                kept.push(word.text, word.count);
            }
        }
        let mut measures = MeetingMeasures {
            chars,
            tokens,
            themes,
            keywords,
        };
        self.weigh(&mut measures);
        Measured {
            measures,
            words: kept,
            cut: Vec::new(),
        }
    }

    /// `measures` with its matches found again in `words`, the text's words as it was
    /// cut when `measures` was measured: what an edit of the taxonomy's phrases changes,
    /// when it does not change how the text is cut. Its characters, content words and
    /// word frequencies are those of the cut, and stay.
    pub(crate) fn rematch(
        &self,
        words: &[Word<'_>],
        measures: &MeetingMeasures,
    ) -> MeetingMeasures {
        let matcher = self.matcher();
        let hits = matcher.hits(words);
        let (themes, keywords) = self.count_hits(&hits, |i| ends_sentence(words[i].text));
        let mut measures = MeetingMeasures {
            chars: measures.chars,
            tokens: measures.tokens,
            themes,
            keywords,
        };
        self.weigh(&mut measures);
        measures
    }

    /// What `words` (whole sentences of a text) hold: each theme's sentences with a hit,
    /// each keyword's hits and the content words, unweighted and without characters —
    /// the part of a meeting's measures that an edit may change there.
    pub(crate) fn counts_in(&self, words: &[Word<'_>]) -> MeetingMeasures {
        let hits = self.matcher().hits(words);
        let (themes, keywords) = self.count_hits(&hits, |i| ends_sentence(words[i].text));
        MeetingMeasures {
            chars: 0,
            tokens: words
                .iter()
                .filter(|w| han_count(w.text) > 0 || is_content(w.text))
                .count(),
            themes,
            keywords,
        }
    }

    /// Whether a phrase of the taxonomy holds a word that ends a sentence: then a match
    /// may run from one sentence into the next.
    pub(crate) fn spans_sentences(&self) -> bool {
        self.matcher().spans_sentences()
    }

    /// Each theme's sentences with a hit, and each keyword's hits (sorted), from the
    /// `hits` of a text whose `i`th word ends a sentence if `ends_sentence(i)`. The
    /// themes' weighted hits are left for [`Measurer::weigh`].
    fn count_hits(
        &self,
        hits: &[Hit],
        ends_sentence: impl Fn(usize) -> bool,
    ) -> (Vec<ThemeCount>, Vec<KeywordCount>) {
        let mut themes = vec![ThemeCount::default(); self.taxonomy.themes.len()];
        let mut last_sentence: Vec<Option<usize>> = vec![None; themes.len()];
        let mut matched: Vec<(usize, usize)> = Vec::new();
        // Hits come left to right: the sentence of each is counted from the words passed
        // since the last one, not from a second reading of the text.
        let (mut sentence, mut passed) = (0, 0);
        for hit in hits {
            let Meaning::Keyword { theme, keyword } = hit.meaning else {
                continue;
            };
            sentence += (passed..hit.first_word)
                .filter(|&i| ends_sentence(i))
                .count();
            passed = hit.first_word;
            matched.push((theme, keyword));
            if last_sentence[theme] != Some(sentence) {
                themes[theme].sentences += 1;
                last_sentence[theme] = Some(sentence);
            }
        }
        matched.sort_unstable();
        let mut keywords: Vec<KeywordCount> = Vec::new();
        for (theme, keyword) in matched {
            let (theme, keyword) = (taxonomy_index(theme), taxonomy_index(keyword));
            match keywords.last_mut() {
                Some(last) if (last.theme, last.keyword) == (theme, keyword) => last.count += 1,
                _ => keywords.push(KeywordCount {
                    theme,
                    keyword,
                    count: 1,
                }),
            }
        }
        (themes, keywords)
    }

    /// Sets each theme's weighted hits from its keyword counts and the taxonomy's
    /// weights: one sum in one order, whether the counts are fresh or from a cache
    /// written under other weights, so that both give the same bits.
    pub fn weigh(&self, measures: &mut MeetingMeasures) {
        // From +0.0, not `Iterator::sum`, whose empty sum is -0.0: a theme with no hits
        // would print as `-0` in the exports.
        for count in &mut measures.themes {
            count.hits = 0.0;
        }
        for k in &measures.keywords {
            if let Some(count) = measures.themes.get_mut(k.theme as usize) {
                count.hits += self.keyword(k).map_or(0.0, |k| k.weight) * f64::from(k.count);
            }
        }
    }

    fn keyword(&self, count: &KeywordCount) -> Option<&Keyword> {
        let theme = self.taxonomy.themes.get(count.theme as usize)?;
        theme.keywords.get(count.keyword as usize)
    }

    /// The keywords of `theme` counted in `measures`, by their spelling.
    pub fn keyword_counts(&self, theme: usize, measures: &MeetingMeasures) -> BTreeMap<&str, u32> {
        measures
            .keywords
            .iter()
            .filter(|k| k.theme as usize == theme)
            .filter_map(|k| Some((self.keyword(k)?.word.as_str(), k.count)))
            .collect()
    }

    /// The sentences of `text` where `theme` matched, with the keywords marked: the
    /// evidence behind a number.
    pub fn passages(&self, text: &str, theme: usize) -> Vec<Passage> {
        let words = self.segmenter().cut(text);
        let marks = self
            .matcher()
            .hits(&words)
            .into_iter()
            .filter_map(|hit| match hit.meaning {
                Meaning::Keyword {
                    theme: t, keyword, ..
                } if t == theme => Some((
                    hit.start..hit.end,
                    self.taxonomy.themes[theme].keywords[keyword].word.clone(),
                )),
                _ => None,
            });
        passages_of(text, marks)
    }

    /// Why a sentence counts as it does: the words the segmenter makes of it, and which
    /// runs of them matched a theme's keyword or an exclude phrase (longest match first,
    /// as [`Measurer::measure`] counts).
    pub fn explain(&self, sentence: &str) -> Explained {
        let (segmenter, matcher) = self.tools();
        let words = segmenter.cut(sentence);
        Explained {
            spans: matcher
                .hits(&words)
                .into_iter()
                .map(|hit| ExplainedSpan {
                    first: hit.first_word,
                    words: hit.words,
                    meaning: hit.meaning,
                })
                .collect(),
            words: words.into_iter().map(|w| w.text.to_owned()).collect(),
        }
    }

    /// The sentences of `text` with their content words (two or more characters, no
    /// stopword) and whether `theme` matched in them: what words that go with a theme
    /// are counted from.
    pub(crate) fn sentences_with_words<'t>(
        &self,
        text: &'t str,
        theme: usize,
    ) -> Vec<SentenceWords<'t>> {
        let (segmenter, matcher) = self.tools();
        let words = segmenter.cut(text);
        let starts = sentence_starts(text);
        let mut sentences: Vec<SentenceWords<'t>> = starts
            .iter()
            .enumerate()
            .map(|(i, &start)| SentenceWords {
                span: start..starts.get(i + 1).copied().unwrap_or(text.len()),
                of_theme: false,
                words: Vec::new(),
            })
            .collect();
        for hit in matcher.hits(&words) {
            if matches!(hit.meaning, Meaning::Keyword { theme: t, .. } if t == theme) {
                sentences[sentence_of(&starts, hit.start)].of_theme = true;
            }
        }
        for w in &words {
            let content = is_content(w.text) && w.text.chars().count() >= 2;
            if content && !self.taxonomy.stopwords.contains(w.text) {
                sentences[sentence_of(&starts, w.start)].words.push(w.text);
            }
        }
        sentences
    }

    /// The sentences of `text` where `word` stands as a segmented word, as the keyword
    /// bars count it.
    pub fn word_passages(&self, text: &str, word: &str) -> Vec<Passage> {
        let words = self.segmenter().cut(text);
        let marks = words
            .iter()
            .filter(|w| w.text == word)
            .map(|w| (w.start..w.end, word.to_owned()));
        passages_of(text, marks)
    }
}

/// Groups marks (byte ranges in `text`, in order) by the sentence they fall in.
pub(crate) fn passages_of(
    text: &str,
    marks: impl Iterator<Item = (Range<usize>, String)>,
) -> Vec<Passage> {
    let starts = sentence_starts(text);
    let mut passages: Vec<Passage> = Vec::new();
    for (range, keyword) in marks {
        let s = sentence_of(&starts, range.start);
        let sentence = starts[s]..starts.get(s + 1).copied().unwrap_or(text.len());
        let mark = range.start - sentence.start..range.end - sentence.start;
        match passages.last_mut() {
            Some(p) if p.offset == sentence.start => {
                p.marks.push(mark);
                p.keywords.push(keyword);
            }
            _ => passages.push(Passage {
                sentence: text[sentence.clone()].to_owned(),
                marks: vec![mark],
                keywords: vec![keyword],
                offset: sentence.start,
            }),
        }
    }
    // Sentences are trimmed for display; marks move with them.
    for p in &mut passages {
        let lead = p.sentence.len() - p.sentence.trim_start().len();
        p.sentence = p.sentence.trim().to_owned();
        for m in &mut p.marks {
            *m = m.start - lead..m.end - lead;
        }
        p.offset += lead;
    }
    passages
}

/// Byte offsets where sentences start: after 。！？；!?; and at line breaks.
fn sentence_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    for (i, c) in text.char_indices() {
        if matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';' | '\n') {
            let next = i + c.len_utf8();
            // A closing quote belongs to the sentence it ends.
            let next = text[next..]
                .chars()
                .take_while(|c| matches!(c, '”' | '’' | '）' | '」'))
                .map(char::len_utf8)
                .sum::<usize>()
                + next;
            if next < text.len() && starts.last() != Some(&next) {
                starts.push(next);
            }
        }
    }
    starts
}

fn sentence_of(starts: &[usize], offset: usize) -> usize {
    starts.partition_point(|&s| s <= offset).saturating_sub(1)
}
