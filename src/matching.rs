//! Stage 5: theme matching on whole segmented words.
//!
//! A keyword is matched as the sequence of words the segmenter makes of it, so 项目 inside
//! 项目建设 never matches on its own when 项目建设 is a word of the text. Where several
//! keywords start at the same word, the longest wins, and its words are consumed. An
//! `exclude` phrase is matched the same way and consumes its words too, so they count for
//! no theme.

use rustc_hash::FxHashMap;

use crate::segment::{Segmenter, Word};
use crate::taxonomy::Taxonomy;

/// What a matched phrase means.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Meaning {
    /// A keyword of a theme.
    Keyword {
        /// The theme's index in the taxonomy.
        theme: usize,
        /// The keyword's index among the theme's keywords.
        keyword: usize,
    },
    /// An exclude phrase of a theme.
    Excluded {
        /// The theme's index in the taxonomy.
        theme: usize,
    },
}

/// A keyword or exclude phrase as the words the segmenter makes of it.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    words: Vec<String>,
    chars: usize,
    meaning: Meaning,
}

/// A match in a text: which words, and what they mean.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Index of the first matched word.
    pub first_word: usize,
    /// Number of words matched.
    pub words: usize,
    /// Byte range in the text.
    pub start: usize,
    /// Byte offset just past the last matched word.
    pub end: usize,
    /// What the match counts for.
    pub meaning: Meaning,
}

/// Every keyword and exclude phrase of a taxonomy, indexed by first word.
pub struct Matcher {
    /// Looked up once per word of every text: a fast hash, not a DoS-resistant one
    /// (the keys are the taxonomy's own words).
    by_first_word: FxHashMap<String, Vec<Pattern>>,
    /// The first characters of the first words, where they are in the BMP.
    first_chars: CharSet,
}

/// A set of characters of the Basic Multilingual Plane, a bit each (8 KiB).
struct CharSet(Vec<u64>);

impl CharSet {
    fn new(chars: impl Iterator<Item = char>) -> CharSet {
        let mut bits = vec![0u64; 0x10000 / 64];
        for c in chars.map(u32::from).filter(|&c| c <= 0xFFFF) {
            bits[c as usize / 64] |= 1 << (c % 64);
        }
        CharSet(bits)
    }

    fn contains(&self, c: u32) -> bool {
        self.0
            .get(c as usize / 64)
            .is_some_and(|bits| bits & (1 << (c % 64)) != 0)
    }
}

impl Matcher {
    pub(crate) fn new(taxonomy: &Taxonomy, segmenter: &Segmenter) -> Matcher {
        let mut by_first_word: FxHashMap<String, Vec<Pattern>> = FxHashMap::default();
        let mut add = |phrase: &str, meaning: Meaning| {
            let words: Vec<String> = segmenter
                .cut(phrase)
                .into_iter()
                .filter(|w| !w.text.trim().is_empty())
                .map(|w| w.text.to_owned())
                .collect();
            if let Some(first) = words.first().cloned() {
                by_first_word.entry(first).or_default().push(Pattern {
                    chars: words.iter().map(|w| w.chars().count()).sum(),
                    words,
                    meaning,
                });
            }
        };
        for (t, theme) in taxonomy.themes.iter().enumerate() {
            for (k, keyword) in theme.keywords.iter().enumerate() {
                add(
                    &keyword.word,
                    Meaning::Keyword {
                        theme: t,
                        keyword: k,
                    },
                );
            }
            for phrase in &theme.exclude {
                add(phrase, Meaning::Excluded { theme: t });
            }
        }
        // Longest first; at equal length an exclusion wins, so an excluded phrase that
        // is also some theme's keyword is never counted by accident.
        for patterns in by_first_word.values_mut() {
            patterns.sort_by(|a, b| {
                b.chars
                    .cmp(&a.chars)
                    .then_with(|| is_exclusion(b).cmp(&is_exclusion(a)))
            });
        }
        let first_chars = CharSet::new(by_first_word.keys().filter_map(|w| w.chars().next()));
        Matcher {
            by_first_word,
            first_chars,
        }
    }

    /// The patterns whose first word is `word`, longest first; empty for most words.
    pub(crate) fn starting_with(&self, word: &str) -> &[Pattern] {
        // Asked of every distinct word of every meeting: most words' first character
        // starts no pattern, which a bit tells without hashing the word.
        let first = word.chars().next().map_or(0, u32::from);
        if first <= 0xFFFF && !self.first_chars.contains(first) {
            return &[];
        }
        self.by_first_word.get(word).map_or(&[], Vec::as_slice)
    }

    /// Whether a pattern holds a word that ends a sentence (as measuring splits them).
    pub(crate) fn spans_sentences(&self) -> bool {
        self.by_first_word
            .values()
            .flatten()
            .any(|p| p.words.iter().any(|w| crate::measure::ends_sentence(w)))
    }

    /// The matches in a segmented text, left to right, none overlapping.
    pub fn hits(&self, words: &[Word<'_>]) -> Vec<Hit> {
        self.hits_by(words, |i| self.starting_with(words[i].text))
    }

    /// [`Matcher::hits`], with `starting_at(i)` giving the patterns that start with the
    /// `i`th word: a caller that has looked up each distinct word of the text once
    /// saves hashing every word again.
    pub(crate) fn hits_by<'p>(
        &'p self,
        words: &[Word<'_>],
        starting_at: impl Fn(usize) -> &'p [Pattern],
    ) -> Vec<Hit> {
        let mut hits = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let found = starting_at(i).iter().find(|p| {
                p.words.len() <= words.len() - i
                    && p.words.iter().zip(&words[i..]).all(|(a, b)| a == b.text)
            });
            match found {
                Some(pattern) => {
                    let n = pattern.words.len();
                    hits.push(Hit {
                        first_word: i,
                        words: n,
                        start: words[i].start,
                        end: words[i + n - 1].end,
                        meaning: pattern.meaning,
                    });
                    i += n;
                }
                None => i += 1,
            }
        }
        hits
    }
}

fn is_exclusion(p: &Pattern) -> bool {
    matches!(p.meaning, Meaning::Excluded { .. })
}
