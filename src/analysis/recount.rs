//! Counting a measured corpus again with an edited taxonomy, from the cuts kept on disk
//! (see [`crate::tokens`]), with the result a cold build with the edited taxonomy gives.
//!
//! Why it is exact: a phrase of the taxonomy (a keyword or an exclusion) is matched as a
//! run of whole words, so a text that contains none of the phrases the edit added,
//! removed or moved has the same matches before and after, and only the keywords'
//! places in the taxonomy and their weights change. A text that does contain one is
//! matched again: from its kept words when the segmenter cuts it as before, and cut
//! again when the phrase is one the edit added to the segmenter's dictionary or took
//! out of it (the segmenter is built so that nothing else changes how it cuts, see
//! [`crate::segment::Dictionary`]). Another lexicon cuts every text otherwise: then
//! nothing is reused.

use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use aho_corasick::AhoCorasick;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::{Analysis, CacheStats, MeasuredMeeting};
use crate::aggregate::{self, GroupLevel};
use crate::measure::{KeywordCount, Measured, Measurer, MeetingMeasures, ThemeCount};
use crate::meeting::Meeting;
use crate::segment::{Dictionary, Word};
use crate::tokens::{Reader, Span};

/// What of a taxonomy decides what a meeting's words count for: the segmenter's
/// dictionary, and each theme's phrases in their places. The cache keeps it, to count
/// its meetings again under another taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counting {
    dictionary: Dictionary,
    themes: Vec<ThemePhrases>,
    /// Sorted: the words no meeting's word frequencies count.
    stopwords: Vec<String>,
}

/// A theme's phrases, in the taxonomy's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct ThemePhrases {
    name: String,
    keywords: Vec<String>,
    exclude: Vec<String>,
}

/// A phrase of the taxonomy and what it counts for: the same phrase for another theme,
/// or as an exclusion instead of a keyword, is another pattern.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct PatternKey<'a> {
    phrase: &'a str,
    theme: &'a str,
    excluded: bool,
}

impl Counting {
    /// What `measurer` counts with (its segmenter is built if it was not).
    pub fn of(measurer: &Measurer) -> Counting {
        Counting {
            dictionary: measurer.segmenter().dictionary().clone(),
            themes: measurer
                .taxonomy
                .themes
                .iter()
                .map(|theme| ThemePhrases {
                    name: theme.name.clone(),
                    keywords: theme.keywords.iter().map(|k| k.word.clone()).collect(),
                    exclude: theme.exclude.clone(),
                })
                .collect(),
            stopwords: {
                let mut stopwords: Vec<String> =
                    measurer.taxonomy.stopwords.iter().cloned().collect();
                stopwords.sort_unstable();
                stopwords
            },
        }
    }

    fn patterns(&self) -> BTreeSet<PatternKey<'_>> {
        self.themes
            .iter()
            .flat_map(|theme| {
                let keywords = theme.keywords.iter().map(move |phrase| PatternKey {
                    phrase,
                    theme: &theme.name,
                    excluded: false,
                });
                keywords.chain(theme.exclude.iter().map(move |phrase| PatternKey {
                    phrase,
                    theme: &theme.name,
                    excluded: true,
                }))
            })
            .collect()
    }
}

/// How to count a meeting measured under one taxonomy under another.
pub(crate) struct Remeasure<'m> {
    measurer: &'m Measurer,
    /// The phrases the edit added, removed or moved, as they stand in a text (without
    /// the spaces a phrase may be written with); None when there are none.
    changed: Option<AhoCorasick>,
    /// For each of `changed`'s phrases, whether the segmenter cuts a text with it
    /// otherwise than before.
    recut: Vec<bool>,
    /// Old (theme, keyword) places to new ones, for the keywords that stay.
    keywords: FxHashMap<(u32, u32), (u32, u32)>,
    /// Old theme places to new ones, for the themes that stay.
    themes: Vec<Option<usize>>,
    /// The measurer of before, when the words' frequencies need not be counted and the
    /// sentences around the changed phrases can be matched alone (see
    /// [`Remeasure::in_sentences`]).
    before: Option<&'m Measurer>,
}

/// A meeting counted again.
pub(crate) enum Remeasured {
    /// Its matches are as they were: its measures, renumbered and weighed again.
    Kept(MeetingMeasures),
    /// Matched again in its kept words; its cut and words are as they were.
    Matched(MeetingMeasures),
    /// Cut and matched again: its words and cut (of the text that follows) are new.
    Cut(Box<Measured>, String),
    /// Cut and matched again around the changed phrases, its word frequencies not
    /// counted: the kept cut no longer stands for it.
    CutAround(MeetingMeasures),
}

impl<'m> Remeasure<'m> {
    /// How meetings measured with `before` are counted with `measurer`; None when
    /// nothing measured before can be reused: another lexicon cuts every text otherwise,
    /// and other stopwords change every meeting's word frequencies.
    ///
    /// With `words` false, the meetings' word frequencies are not counted, and, given
    /// the measurer they were measured with (`measured_with`), only the sentences that
    /// hold a changed phrase are matched again.
    pub(crate) fn between(
        before: &Counting,
        measurer: &'m Measurer,
        measured_with: Option<&'m Measurer>,
    ) -> Option<Remeasure<'m>> {
        let after = Counting::of(measurer);
        if before.stopwords != after.stopwords {
            return None;
        }
        let recut: BTreeSet<String> = before
            .dictionary
            .changed_phrases(&after.dictionary)?
            .into_iter()
            .collect();
        let (old, new) = (before.patterns(), after.patterns());
        let changed: BTreeSet<String> = old
            .symmetric_difference(&new)
            .map(|key| key.phrase.chars().filter(|c| !c.is_whitespace()).collect())
            .filter(|phrase: &String| !phrase.is_empty())
            .collect();
        let place = |counting: &Counting| -> FxHashMap<(String, String), (u32, u32)> {
            let mut places = FxHashMap::default();
            for (t, theme) in counting.themes.iter().enumerate() {
                for (k, keyword) in theme.keywords.iter().enumerate() {
                    let at = (index(t), index(k));
                    places.insert((theme.name.clone(), keyword.clone()), at);
                }
            }
            places
        };
        let new_places = place(&after);
        let keywords = place(before)
            .into_iter()
            .filter_map(|(key, old)| Some((old, *new_places.get(&key)?)))
            .collect();
        let themes = before
            .themes
            .iter()
            .map(|old| after.themes.iter().position(|new| new.name == old.name))
            .collect();
        let changed_list: Vec<&String> = changed.iter().collect();
        // Every match, overlapping ones too: a phrase the segmenter cuts anew may overlap
        // one it does not. An automaton that cannot be built reuses nothing.
        let automaton = match changed_list.is_empty() {
            true => None,
            false => Some(AhoCorasick::new(changed_list.iter().map(|p| p.as_bytes())).ok()?),
        };
        Some(Remeasure {
            measurer,
            recut: changed_list.iter().map(|p| recut.contains(*p)).collect(),
            changed: automaton,
            keywords,
            themes,
            // A phrase that runs across a sentence's end could match from the sentence
            // before into the next: then every sentence is matched again.
            before: measured_with
                .filter(|before| !before.spans_sentences() && !measurer.spans_sentences()),
        })
    }

    /// Whether counting again needs the meetings' kept cuts: not when the edit changed
    /// no phrase (only weights, names or colours).
    pub(crate) fn needs_cuts(&self) -> bool {
        self.changed.is_some()
    }

    /// `measures` (of a meeting measured before) counted under the new taxonomy, its
    /// cut read from `kept` when it is needed; `scratch` is a buffer to read with, kept
    /// from meeting to meeting.
    pub(crate) fn remeasure(
        &self,
        measures: &MeetingMeasures,
        kept: KeptCut<'_>,
        scratch: &mut Vec<u8>,
    ) -> Result<Remeasured, String> {
        let Some(changed) = &self.changed else {
            return Ok(Remeasured::Kept(self.renumbered(measures)));
        };
        let (Some(reader), Some(span)) = kept else {
            return Err("its cut was not kept".to_owned());
        };
        // Most texts hold no changed phrase: searched as bytes, they are not decoded.
        let text = reader.text_bytes(span, scratch)?;
        // One search gives both: where the changed phrases are, and which of them the
        // segmenter cuts otherwise now.
        let (mut phrases, mut recut) = (Vec::new(), Vec::new());
        for m in changed.find_overlapping_iter(text) {
            if self.recut[m.pattern().as_usize()] {
                recut.push(m.range());
            }
            phrases.push(m.range());
        }
        if phrases.is_empty() {
            return Ok(Remeasured::Kept(self.renumbered(measures)));
        }
        let cut = reader.read(span)?;
        if let Some(before) = self.before {
            return Ok(self.in_sentences(before, measures, &cut, &phrases, &recut));
        }
        if !recut.is_empty() {
            let words = self.cut_again(&cut, &recut);
            let mut measured = self.measurer.measure_words(&words);
            measured.cut = crate::tokens::lengths(&words);
            return Ok(Remeasured::Cut(Box::new(measured), cut.text));
        }
        Ok(Remeasured::Matched(
            self.measurer.rematch(&cut.words(), measures),
        ))
    }

    /// The words of `cut`'s text as the new segmenter cuts it, where `ranges` (byte
    /// ranges of phrases new to its dictionary, or gone from it) are: each range is cut
    /// again from the end of the last kept word before it that jieba always cuts on its
    /// own (see [`splits_after`]) to the end of the first such word after it, and the
    /// kept words stand elsewhere. Jieba cuts each run of Han and alphanumeric
    /// characters apart from the rest, so this is the cut of the whole text — a
    /// sentence or so cut instead of the report.
    fn cut_again<'t>(&self, cut: &'t crate::tokens::Cut, ranges: &[Range<usize>]) -> Vec<Word<'t>> {
        let kept = cut.words();
        let text = cut.text.as_str();
        let runs = around(&kept, ranges, splits_after, text.len());
        let segmenter = self.measurer.segmenter();
        let mut words = Vec::with_capacity(kept.len());
        let mut next = kept.iter().peekable();
        for run in runs {
            while let Some(word) = next.next_if(|w| w.end <= run.start) {
                words.push(*word);
            }
            words.extend(segmenter.cut(&text[run.clone()]).into_iter().map(|w| Word {
                text: w.text,
                start: w.start + run.start,
                end: w.end + run.start,
            }));
            while next.next_if(|w| w.start < run.end).is_some() {}
        }
        words.extend(next.copied());
        words
    }

    /// `measures` counted again in the sentences that hold the changed `phrases` only,
    /// cut again around those new to the segmenter (`recut`): the counts `before` made
    /// there are taken away and the new ones added. Exact because no phrase runs across
    /// a sentence's end (see [`Remeasure::between`]): the matching starts afresh at each
    /// sentence, and the sentences that hold no changed phrase match as before.
    fn in_sentences(
        &self,
        before: &Measurer,
        measures: &MeetingMeasures,
        cut: &crate::tokens::Cut,
        phrases: &[Range<usize>],
        recut: &[Range<usize>],
    ) -> Remeasured {
        let kept = cut.words();
        let words = match recut.is_empty() {
            true => None,
            false => Some(self.cut_again(cut, recut)),
        };
        let now = words.as_deref().unwrap_or(&kept);
        let sentences = around(
            &kept,
            phrases,
            crate::measure::ends_sentence,
            cut.text.len(),
        );
        let within = |words: &'_ [Word<'_>], span: &Range<usize>| {
            let first = words.partition_point(|w| w.start < span.start);
            let last = words.partition_point(|w| w.end <= span.end);
            first..last.max(first)
        };
        let covered: usize = sentences.iter().map(ExactSizeIterator::len).sum();
        let mut counted = if covered * 2 > cut.text.len() {
            // Most of the text: matched again whole, rather than twice in part.
            MeetingMeasures {
                chars: measures.chars,
                ..self.measurer.counts_in(now)
            }
        } else {
            let mut then = MeetingMeasures::default();
            let mut now_counts = MeetingMeasures::default();
            for span in &sentences {
                add(&mut then, &before.counts_in(&kept[within(&kept, span)]));
                add(
                    &mut now_counts,
                    &self.measurer.counts_in(&now[within(now, span)]),
                );
            }
            let mut counted = self.renumbered(&take_away(measures, &then));
            add(&mut counted, &now_counts);
            counted
        };
        self.measurer.weigh(&mut counted);
        match words {
            Some(_) => Remeasured::CutAround(counted),
            None => Remeasured::Matched(counted),
        }
    }

    /// The measures with their themes and keywords in their new places, weighed anew.
    fn renumbered(&self, measures: &MeetingMeasures) -> MeetingMeasures {
        let mut themes = vec![ThemeCount::default(); self.measurer.taxonomy.themes.len()];
        for (old, count) in measures.themes.iter().enumerate() {
            if let Some(&Some(new)) = self.themes.get(old) {
                themes[new].sentences = count.sentences;
            }
        }
        let mut keywords: Vec<KeywordCount> = measures
            .keywords
            .iter()
            .filter_map(|k| {
                let &(theme, keyword) = self.keywords.get(&(k.theme, k.keyword))?;
                Some(KeywordCount::new(theme, keyword, k.count()))
            })
            .collect();
        keywords.sort_unstable();
        let mut measures = MeetingMeasures {
            chars: measures.chars,
            tokens: measures.tokens,
            themes,
            keywords,
        };
        self.measurer.weigh(&mut measures);
        measures
    }
}

/// The byte runs of a text cut into `words` (of `length` bytes) that hold `ranges`: each
/// from the end of the last word before it that `stops` to the end of the first such
/// word after it (or the text's ends), merged where they touch. Found by walking out
/// from each range, not by looking at every word.
fn around(
    words: &[Word<'_>],
    ranges: &[Range<usize>],
    stops: impl Fn(&str) -> bool,
    length: usize,
) -> Vec<Range<usize>> {
    let mut runs: Vec<Range<usize>> = Vec::new();
    for range in ranges {
        let before = words.partition_point(|w| w.end <= range.start);
        let from = words[..before]
            .iter()
            .rev()
            .find(|w| stops(w.text))
            .map_or(0, |w| w.end);
        let after = words.partition_point(|w| w.end < range.end);
        let to = words[after..]
            .iter()
            .find(|w| stops(w.text))
            .map_or(length, |w| w.end);
        match runs.last_mut() {
            Some(last) if from <= last.end => last.end = last.end.max(to),
            _ => runs.push(from..to),
        }
    }
    runs
}

/// Adds `b`'s sentences, keyword hits and content words to `a`'s (in the same places).
fn add(a: &mut MeetingMeasures, b: &MeetingMeasures) {
    if a.themes.len() < b.themes.len() {
        a.themes.resize(b.themes.len(), ThemeCount::default());
    }
    for (a, b) in a.themes.iter_mut().zip(&b.themes) {
        a.sentences += b.sentences;
    }
    a.tokens += b.tokens;
    let mut counts: std::collections::BTreeMap<(u32, u32), u32> = a
        .keywords
        .iter()
        .map(|k| ((k.theme, k.keyword), k.count()))
        .collect();
    for k in &b.keywords {
        *counts.entry((k.theme, k.keyword)).or_insert(0) += k.count();
    }
    a.keywords = counts
        .into_iter()
        .map(|((theme, keyword), count)| KeywordCount::new(theme, keyword, count))
        .collect();
}

/// `a` without what `b`, a part of it (some of its sentences), holds.
fn take_away(a: &MeetingMeasures, b: &MeetingMeasures) -> MeetingMeasures {
    let mut left = a.clone();
    for (t, b) in b.themes.iter().enumerate() {
        if let Some(a) = left.themes.get_mut(t) {
            a.sentences = a.sentences.saturating_sub(b.sentences);
        }
    }
    left.tokens = left.tokens.saturating_sub(b.tokens);
    let taken: rustc_hash::FxHashMap<(u32, u32), u32> = b
        .keywords
        .iter()
        .map(|k| ((k.theme, k.keyword), k.count()))
        .collect();
    left.keywords = a
        .keywords
        .iter()
        .filter_map(|k| {
            let count = k.count()
                - taken
                    .get(&(k.theme, k.keyword))
                    .copied()
                    .unwrap_or(0)
                    .min(k.count());
            (count > 0).then(|| KeywordCount::new(k.theme, k.keyword, count))
        })
        .collect();
    left
}

/// Whether jieba always cuts after `word`, whatever the dictionary: a single character
/// outside the runs it cuts with its dictionary (Han, ASCII letters and digits, and
/// `+#&._%-`), which it makes a word of its own — except a carriage return, which it
/// joins to a line feed after it.
fn splits_after(word: &str) -> bool {
    let mut chars = word.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return false;
    };
    match c {
        _ if c.is_ascii() => !c.is_ascii_alphanumeric() && !"+#&._%-\r".contains(c),
        // Most words are Han: asked first, they spare the general Unicode tables.
        '\u{4E00}'..='\u{9FFF}' => false,
        _ => !c.is_alphanumeric(),
    }
}

/// Where a meeting's cut is kept: the tokens file open, and the meeting's record in it
/// (either may be missing).
pub(crate) type KeptCut<'r> = (Option<&'r Reader>, Option<Span>);

fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// An analysis counted again in memory under an edited taxonomy (see
/// [`Analysis::recount`]).
pub struct Recount {
    /// The analysis under the edited taxonomy: its meetings' measures and its groups'
    /// hits are those a cold build gives.
    pub analysis: Analysis,
    /// Meetings whose themes' hits or sentences moved: the numbers the edit changed.
    pub moved: usize,
    /// Meetings whose matches were found again (the rest only renumbered and weighed).
    pub matched_again: usize,
    /// Meetings cut again, because the edit changed the segmenter's dictionary in a
    /// phrase they contain. Their word frequencies changed, and the groups' frequent and
    /// distinctive words, kept from before, are stale until the corpus is built again
    /// through the cache.
    pub cut_again: usize,
}

impl Analysis {
    /// This analysis counted again with `measurer`'s taxonomy, in memory, from the cuts
    /// kept beside the cache — without listing the corpus or reading a report, so that a
    /// saved theme edit is on screen in a second or two. None when that cannot be exact:
    /// another lexicon or stopwords, a meeting whose cut was not kept, a tokens file that
    /// cannot be read, or `cancel` set.
    pub fn recount(&self, measurer: Measurer, cancel: &AtomicBool) -> Option<Recount> {
        let before = Counting::of(&self.measurer);
        let remeasure = Remeasure::between(&before, &measurer, Some(&self.measurer))?;
        let reader = match remeasure.needs_cuts() {
            true => Some(self.kept_cuts()?),
            false => None,
        };
        let again: Vec<Remeasured> = self
            .meetings
            .par_iter()
            .with_min_len(64)
            .map_init(Vec::new, |scratch, m| {
                if cancel.load(Ordering::Relaxed) {
                    return Err("cancelled".to_owned());
                }
                remeasure.remeasure(&m.measures, (reader, m.tokens), scratch)
            })
            .collect::<Result<_, _>>()
            .ok()?;
        let (mut matched_again, mut cut_again, mut moved) = (0, 0, 0);
        let meetings: Vec<MeasuredMeeting> = self
            .meetings
            .iter()
            .zip(again)
            .map(|(m, again)| {
                let mut tokens = m.tokens;
                let measures = match again {
                    Remeasured::Kept(measures) => measures,
                    Remeasured::Matched(measures) => {
                        matched_again += 1;
                        measures
                    }
                    Remeasured::Cut(measured, _) => {
                        cut_again += 1;
                        measured.measures
                    }
                    Remeasured::CutAround(measures) => {
                        cut_again += 1;
                        // Cut otherwise now: its kept cut is not this taxonomy's.
                        tokens = None;
                        measures
                    }
                };
                // A keyword's new place in its theme moves no number.
                moved += usize::from(measures.themes != m.measures.themes);
                MeasuredMeeting {
                    meeting: m.meeting.clone(),
                    measures,
                    tokens,
                }
            })
            .collect();
        let themes = measurer.taxonomy.themes.len();
        let pairs: Vec<(&Meeting, &MeetingMeasures)> =
            meetings.iter().map(|m| (&m.meeting, &m.measures)).collect();
        let mut groups = aggregate::pool_at(&pairs, GroupLevel::County, themes);
        drop(pairs);
        // The same meetings make the same groups; their words stay (see `cut_again`).
        if groups.len() != self.groups.len() {
            return None;
        }
        for (group, before) in groups.iter_mut().zip(&self.groups) {
            if (&group.district, group.year, &group.meetings)
                != (&before.district, before.year, &before.meetings)
            {
                return None;
            }
            group.top_words = before.top_words.clone();
            group.distinctive = before.distinctive.clone();
        }
        let analysis = Analysis {
            measurer: Arc::new(measurer),
            plan: self.plan.clone(),
            meetings,
            groups,
            pooled: Default::default(),
            words: self.words.clone(),
            people: self.people.clone(),
            // Who held which office does not depend on the themes.
            tenures: self.tenures.clone(),
            skipped: self.skipped.clone(),
            notices: self.notices.clone(),
            cache: CacheStats {
                reused: self.meetings.len(),
                measured: 0,
                counted_again: matched_again + cut_again,
                notice: None,
            },
            cuts: self.cuts.clone(),
            cuts_open: OnceLock::new(),
        };
        Some(Recount {
            analysis,
            moved,
            matched_again,
            cut_again,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::taxonomy::Taxonomy;
    use crate::tokens::{lengths, Cut};

    /// The built-in taxonomy with `phrase` added to its first theme's keywords.
    fn with_keyword(phrase: &str) -> Measurer {
        let mut taxonomy = Taxonomy::built_in().unwrap();
        let mut keyword = taxonomy.themes[0].keywords[0].clone();
        keyword.word = phrase.to_owned();
        taxonomy.themes[0].keywords.push(keyword);
        Measurer::new(taxonomy)
    }

    #[test]
    fn a_text_cut_again_around_new_phrases_is_cut_as_the_whole_text_is() {
        let before = Measurer::new(Taxonomy::built_in().unwrap());
        let counting = Counting::of(&before);
        let texts = [
            "全力抓好招商引资工作，招商引资工作要有新突破。\r\n招商引资工作\n抓招商引资工作",
            "招商引资工作",
            "一、招商引资工作A+B.5%，（招商引资工作）；2024年招商引资工作！",
        ];
        let after = with_keyword("招商引资工作");
        let remeasure = Remeasure::between(&counting, &after, None).unwrap();
        for text in texts {
            let old = before.segmenter().cut(text);
            let cut = Cut::new(text.to_owned(), lengths(&old));
            let ranges: Vec<Range<usize>> = text
                .match_indices("招商引资工作")
                .map(|(at, p)| at..at + p.len())
                .collect();
            let again: Vec<&str> = remeasure
                .cut_again(&cut, &ranges)
                .iter()
                .map(|w| w.text)
                .collect();
            let whole: Vec<&str> = after.segmenter().cut(text).iter().map(|w| w.text).collect();
            assert_eq!(again, whole, "{text}");
            assert!(
                whole.contains(&"招商引资工作"),
                "the segmenter learnt it: {whole:?}"
            );
        }
    }
}
