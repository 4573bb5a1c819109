//! Which keywords carry a theme: each keyword's weighted hits over the corpus, the
//! meetings and units that use it and its share of the theme's hits, so that the few
//! words that make a theme's numbers — and the ones that make them wrongly — are seen at
//! once. From the per-meeting keyword counts the analysis keeps; no text is read but for
//! a sample sentence.

use std::sync::atomic::{AtomicBool, Ordering};

use rustc_hash::FxHashSet;

use crate::analysis::Analysis;
use crate::error::Error;
use crate::ingest::Options;
use crate::measure::Passage;

/// One keyword of a theme over the corpus.
#[derive(Debug, Clone, PartialEq)]
pub struct KeywordUse {
    /// The keyword's index in its theme.
    pub keyword: usize,
    /// The keyword, as the theme file spells it.
    pub word: String,
    /// Its weight in the theme.
    pub weight: f64,
    /// Times it matched, unweighted.
    pub count: u64,
    /// Times it matched, weighted: what it adds to the theme's hits.
    pub hits: f64,
    /// Its share of the theme's weighted hits over the corpus, 0–1.
    pub share: f64,
    /// Meetings it matched in, by index in the corpus order.
    pub meetings: Vec<usize>,
    /// Units (holders) whose meetings it matched in; meetings without a holder add none.
    pub units: usize,
}

/// Every keyword of `theme` over the corpus, those that carry most first (ties by the
/// theme file's order); keywords that never matched come last, with zero hits.
pub fn keyword_uses(analysis: &Analysis, theme: usize) -> Vec<KeywordUse> {
    keyword_uses_in(analysis, theme, 0..analysis.meetings.len())
}

/// [`keyword_uses`] over the meetings `meetings` only (a district-year's): shares are of
/// the theme's hits in them.
pub fn keyword_uses_in(
    analysis: &Analysis,
    theme: usize,
    meetings: impl IntoIterator<Item = usize>,
) -> Vec<KeywordUse> {
    let Some(spec) = analysis.measurer.taxonomy.themes.get(theme) else {
        return Vec::new();
    };
    let mut uses: Vec<KeywordUse> = spec
        .keywords
        .iter()
        .enumerate()
        .map(|(keyword, k)| KeywordUse {
            keyword,
            word: k.word.clone(),
            weight: k.weight,
            count: 0,
            hits: 0.0,
            share: 0.0,
            meetings: Vec::new(),
            units: 0,
        })
        .collect();
    let mut units: Vec<FxHashSet<&str>> = vec![FxHashSet::default(); uses.len()];
    for m in meetings {
        let Some(measured) = analysis.meetings.get(m) else {
            continue;
        };
        for k in &measured.measures.keywords {
            if k.theme as usize != theme {
                continue;
            }
            let Some(u) = uses.get_mut(k.keyword as usize) else {
                continue;
            };
            u.count += u64::from(k.count());
            u.meetings.push(m);
            if let Some(holder) = &measured.meeting.district {
                units[u.keyword].insert(holder.value.unit.id.as_str());
            }
        }
    }
    let total: f64 = uses
        .iter_mut()
        .map(|u| {
            u.hits = u.weight * u.count as f64;
            u.hits
        })
        .sum();
    for u in &mut uses {
        u.units = units[u.keyword].len();
        u.share = if total > 0.0 { u.hits / total } else { 0.0 };
    }
    uses.sort_by(|a, b| b.hits.total_cmp(&a.hits).then(a.keyword.cmp(&b.keyword)));
    uses
}

/// For each of `keywords` (of `theme`), a sentence where it matched, from the first of
/// its meetings whose text can still be read; None when it never matched. Each meeting
/// is read and cut once however many keywords take their sample from it (a group's
/// keywords mostly share its few meetings). The meetings that could not be read are
/// returned too, each once, so that a missing sample is explained. Stops before the next
/// keyword once `stop` is set (a newer selection in the dashboard): the rest are None.
pub fn samples(
    analysis: &Analysis,
    theme: usize,
    keywords: &[KeywordUse],
    options: &Options,
    stop: &AtomicBool,
) -> (Vec<Option<(usize, Passage)>>, Vec<Error>) {
    let mut unreadable = Vec::new();
    // Each meeting's passages of the theme, None if its text could not be read.
    let mut read: rustc_hash::FxHashMap<usize, Option<Vec<Passage>>> =
        rustc_hash::FxHashMap::default();
    let mut found = Vec::with_capacity(keywords.len());
    for keyword in keywords {
        if stop.load(Ordering::Relaxed) {
            found.resize(keywords.len(), None);
            break;
        }
        let sample = keyword.meetings.iter().find_map(|&m| {
            let passages = read
                .entry(m)
                .or_insert_with(|| match analysis.text(m, options) {
                    Ok(text) => Some(analysis.measurer.passages(&text, theme)),
                    Err(why) => {
                        unreadable.push(why);
                        None
                    }
                });
            let passage = passages
                .as_ref()?
                .iter()
                .find(|p| p.keywords.contains(&keyword.word))?;
            Some((m, passage.clone()))
        });
        found.push(sample);
    }
    (found, unreadable)
}

/// What a candidate keyword would add to a theme, tried on the corpus before the theme
/// file is edited.
#[derive(Debug, Clone, PartialEq)]
pub struct Trial {
    /// The term, simplified as the texts are.
    pub term: String,
    /// The theme it would join, by index.
    pub theme: usize,
    /// Times it would match (weight 1), and in how many meetings.
    pub hits: u64,
    /// See `hits`.
    pub meetings: usize,
    /// The units whose meetings it would match in most: (unit label, times), most first.
    pub units: Vec<(String, u64)>,
    /// Every sentence that holds the term's characters, with what would happen there.
    pub sentences: Vec<TrialSentence>,
    /// The meetings whose text could not be read, left out.
    pub unreadable: Vec<Error>,
}

/// A sentence holding a candidate term, and whether the term would count there.
#[derive(Debug, Clone, PartialEq)]
pub struct TrialSentence {
    /// The meeting, by index in the corpus order.
    pub meeting: usize,
    /// The sentence, the term's occurrences marked.
    pub passage: Passage,
    /// What the term's first occurrence in it would be.
    pub outcome: TrialOutcome,
}

/// What becomes of a candidate term where its characters stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrialOutcome {
    /// It would count for the theme.
    Counted,
    /// A longer keyword takes the words first: (its theme's name, the keyword).
    TakenBy(String, String),
    /// An exclude phrase takes them: (its theme's name, the phrase's words).
    Excluded(String, String),
    /// The segmenter cuts the characters across other words: the words it makes.
    NotAWord(String),
}

/// Tries `term` as a keyword of `theme` (weight 1) on every meeting: a measurer taught it
/// (jieba's dictionary too, as a saved theme file would) cuts and matches each sentence
/// that holds its characters, and says whether the term would count there or what takes
/// its place. Reads every text whose meeting could hold it: on a large corpus this takes
/// as long as reading the corpus.
pub fn try_term(
    analysis: &Analysis,
    theme: usize,
    term: &str,
    options: &Options,
) -> Result<Trial, Error> {
    try_term_until(analysis, theme, term, options, &AtomicBool::new(false))
}

/// [`try_term`], stopping at the next meeting once `stop` is set (a newer trial asked
/// for in the dashboard): the trial is then only of the meetings looked at so far.
pub fn try_term_until(
    analysis: &Analysis,
    theme: usize,
    term: &str,
    options: &Options,
    stop: &AtomicBool,
) -> Result<Trial, Error> {
    let term = crate::clean::t2s::T2s::shared().convert(term.trim());
    let taxonomy = analysis
        .measurer
        .taxonomy
        .with_keyword(theme, &term)
        .map_err(|reason| Error::Term {
            term: term.clone(),
            reason,
        })?;
    let keyword = taxonomy.themes[theme].keywords.len() - 1;
    let tried = crate::measure::Measurer::new(taxonomy);
    let names = &analysis.measurer.taxonomy.themes;
    let mut trial = Trial {
        term: term.clone(),
        theme,
        hits: 0,
        meetings: 0,
        units: Vec::new(),
        sentences: Vec::new(),
        unreadable: Vec::new(),
    };
    let mut by_unit: rustc_hash::FxHashMap<String, u64> = rustc_hash::FxHashMap::default();
    // Every text is looked at, most only searched: from the kept cuts where there are
    // some (no file read, no cleaning), and only those holding the term made a string.
    let texts = analysis.texts(options);
    let finder = memchr::memmem::Finder::new(term.as_bytes());
    let mut buffer = Vec::new();
    for m in 0..analysis.meetings.len() {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let text = match texts.bytes(m, &mut buffer) {
            Ok(bytes) if finder.find(&bytes).is_none() => continue,
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(why) => {
                trial.unreadable.push(why);
                continue;
            }
        };
        let marks = text
            .match_indices(&term)
            .map(|(at, _)| (at..at + term.len(), term.clone()));
        let mut counted_here = 0;
        for passage in crate::measure::passages_of(&text, marks) {
            let explained = tried.explain(&passage.sentence);
            let outcomes: Vec<TrialOutcome> = passage
                .marks
                .iter()
                .map(|mark| {
                    outcome_at(&explained, names, &passage.sentence, mark, (theme, keyword))
                })
                .collect();
            counted_here += outcomes
                .iter()
                .filter(|o| **o == TrialOutcome::Counted)
                .count() as u64;
            trial.sentences.push(TrialSentence {
                meeting: m,
                passage,
                outcome: outcomes.into_iter().next().unwrap_or(TrialOutcome::Counted),
            });
        }
        if counted_here > 0 {
            trial.hits += counted_here;
            trial.meetings += 1;
            let unit = analysis.meetings[m]
                .meeting
                .district
                .as_ref()
                .map_or_else(|| "(unknown district)".to_owned(), |d| d.value.unit.label());
            *by_unit.entry(unit).or_default() += counted_here;
        }
    }
    trial.units = by_unit.into_iter().collect();
    trial
        .units
        .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(trial)
}

/// What the tried measurer made of the term at `mark` in `sentence`: counted for the
/// tried `(theme, keyword)`, taken by another keyword or an exclusion, or cut across.
fn outcome_at(
    explained: &crate::measure::Explained,
    names: &[crate::taxonomy::Theme],
    sentence: &str,
    mark: &std::ops::Range<usize>,
    (theme, keyword): (usize, usize),
) -> TrialOutcome {
    use crate::matching::Meaning;
    // Byte offsets of the words in the sentence.
    let mut starts = Vec::with_capacity(explained.words.len());
    let mut at = 0;
    for w in &explained.words {
        starts.push(at);
        at += w.len();
    }
    let covering = explained.spans.iter().find(|s| {
        let from = starts[s.first];
        let to = starts
            .get(s.first + s.words)
            .copied()
            .unwrap_or(sentence.len());
        from <= mark.start && mark.end <= to
    });
    let words_of = |first: usize, n: usize| explained.words[first..first + n].join("│");
    match covering.map(|s| (s, s.meaning)) {
        Some((
            _,
            Meaning::Keyword {
                theme: t,
                keyword: k,
            },
        )) if t == theme && k == keyword => TrialOutcome::Counted,
        Some((
            _,
            Meaning::Keyword {
                theme: t,
                keyword: k,
            },
        )) => TrialOutcome::TakenBy(names[t].name.clone(), names[t].keywords[k].word.clone()),
        Some((s, Meaning::Excluded { theme: t })) => {
            TrialOutcome::Excluded(names[t].name.clone(), words_of(s.first, s.words))
        }
        None => {
            let first = starts.iter().rposition(|&s| s <= mark.start).unwrap_or(0);
            let last = starts.iter().rposition(|&s| s < mark.end).unwrap_or(first);
            TrialOutcome::NotAWord(words_of(first, last + 1 - first))
        }
    }
}

/// A word that goes with a theme but is in none: a candidate keyword.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The word, as the segmenter cuts it.
    pub word: String,
    /// Sentences where the theme matched that hold it.
    pub with_theme: u32,
    /// Other sentences of the same meetings that hold it.
    pub elsewhere: u32,
    /// Signed log-likelihood of its sentences with the theme against the others': above
    /// 0 it goes with the theme more than the meetings' other sentences.
    pub g2: f64,
    /// The first sentence with the theme that holds it: (meeting, sentence).
    pub sample: (usize, String),
}

/// Han words found in the sentences where `theme` matched more than in the same meetings'
/// other sentences (by sentences that hold them, log-likelihood), that no theme has as a
/// keyword or exclusion and that are no person's name; in at least [`MIN_SUGGESTED`] of
/// the theme's sentences; the `n` strongest. Reads the texts of the meetings where the
/// theme matched. Candidates only: nothing is added to any theme.
pub fn suggestions(
    analysis: &Analysis,
    theme: usize,
    n: usize,
    options: &Options,
) -> (Vec<Suggestion>, Vec<Error>) {
    suggestions_in(analysis, theme, 0..analysis.meetings.len(), n, options)
}

/// [`suggestions`] from the meetings `meetings` only (a district-year's, as the
/// dashboard's keywords pane offers them).
pub fn suggestions_in(
    analysis: &Analysis,
    theme: usize,
    meetings: impl IntoIterator<Item = usize>,
    n: usize,
    options: &Options,
) -> (Vec<Suggestion>, Vec<Error>) {
    use rustc_hash::FxHashMap;
    let taxonomy = &analysis.measurer.taxonomy;
    let known: FxHashSet<&str> = taxonomy
        .themes
        .iter()
        .flat_map(|t| {
            t.keywords
                .iter()
                .map(|k| k.word.as_str())
                .chain(t.exclude.iter().map(String::as_str))
        })
        .collect();
    let segmenter = analysis.measurer.segmenter();
    /// A word's sentences with the theme and elsewhere, and its first with the theme.
    #[derive(Default)]
    struct Seen {
        with: u32,
        elsewhere: u32,
        sample: Option<(usize, String)>,
    }
    let mut counts: FxHashMap<String, Seen> = FxHashMap::default();
    let (mut theme_sentences, mut other_sentences) = (0u32, 0u32);
    let mut unreadable = Vec::new();
    for m in meetings {
        let Some(measured) = analysis.meetings.get(m) else {
            continue;
        };
        if measured
            .measures
            .themes
            .get(theme)
            .is_none_or(|t| t.hits <= 0.0)
        {
            continue;
        }
        let text = match analysis.text(m, options) {
            Ok(text) => text,
            Err(why) => {
                unreadable.push(why);
                continue;
            }
        };
        for sentence in analysis.measurer.sentences_with_words(&text, theme) {
            if sentence.of_theme {
                theme_sentences += 1;
            } else {
                other_sentences += 1;
            }
            let mut seen: FxHashSet<&str> = FxHashSet::default();
            for word in sentence.words {
                let han = word.chars().all(crate::text::is_han);
                if !han || known.contains(word) || !seen.insert(word) {
                    continue;
                }
                let entry = counts.entry(word.to_owned()).or_default();
                if sentence.of_theme {
                    entry.with += 1;
                    entry
                        .sample
                        .get_or_insert_with(|| (m, text[sentence.span.clone()].trim().to_owned()));
                } else {
                    entry.elsewhere += 1;
                }
            }
        }
    }
    let mut found: Vec<Suggestion> = counts
        .into_iter()
        .filter(|(_, seen)| seen.with >= MIN_SUGGESTED)
        .filter(|(word, _)| !segmenter.is_person_name(word))
        .filter_map(
            |(
                word,
                Seen {
                    with,
                    elsewhere,
                    sample,
                },
            )| {
                let g2 = crate::aggregate::log_likelihood(
                    f64::from(with),
                    f64::from(elsewhere),
                    f64::from(theme_sentences),
                    f64::from(other_sentences),
                );
                (g2 > 0.0).then(|| Suggestion {
                    word,
                    with_theme: with,
                    elsewhere,
                    g2,
                    sample: sample.unwrap_or_default(),
                })
            },
        )
        .collect();
    found.sort_by(|a, b| b.g2.total_cmp(&a.g2).then_with(|| a.word.cmp(&b.word)));
    found.truncate(n);
    (found, unreadable)
}

/// Fewer of a theme's sentences than this make no suggestion: a word seen once or twice
/// beside a theme says nothing of it.
pub const MIN_SUGGESTED: u32 = 3;
