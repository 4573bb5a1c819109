//! Stage 4: segmentation. One jieba segmenter, built once from its default dictionary, the
//! taxonomy's lexicon and every theme keyword, then shared (it is `Sync`).

use std::collections::BTreeMap;

use jieba_rs::Jieba;
use serde::{Deserialize, Serialize};

use crate::taxonomy::Taxonomy;

/// A word of the text, with its byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'a> {
    /// The word as it stands in the text.
    pub text: &'a str,
    /// Byte offset of its start in the text.
    pub start: usize,
    /// Byte offset just past its end.
    pub end: usize,
}

/// Cuts cleaned text into words: jieba, taught the taxonomy's terms.
pub struct Segmenter {
    jieba: Jieba,
    dictionary: Dictionary,
}

/// What a [`Segmenter`] adds to jieba's default dictionary: what decides how it cuts.
///
/// Built so that a text is cut the same by two segmenters whose dictionaries differ only
/// in phrases the text does not contain: each phrase's frequency is worked out against
/// jieba's dictionary and the lexicon alone, not against the phrases added before it,
/// and the dictionary's total frequency (which every word's probability is divided by)
/// is padded to the same sum whatever phrases were added. An edited theme then needs
/// only the texts that contain an added or removed phrase cut again
/// (see `analysis::recount`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dictionary {
    /// The lexicon's words, as the taxonomy lists them.
    pub lexicon: Vec<(String, Option<usize>)>,
    /// The taxonomy's phrases jieba did not know, with the frequency each was given, by
    /// phrase.
    pub phrases: BTreeMap<String, usize>,
    /// Whether the total frequency is padded to the fixed sum; not when the phrases'
    /// frequencies exceed [`PHRASE_BUDGET`], and then no other segmenter cuts the same.
    pub padded: bool,
}

/// The frequency the taxonomy's phrases may add to jieba's total. Jieba's own total is
/// about sixty million, so this moves every word's log-probability by under 0.002; a
/// phrase made of known words gets about the product of their probabilities, a handful
/// of counts, so thousands of phrases fit.
pub const PHRASE_BUDGET: usize = 100_000;

/// The word that pads the total: private-use characters, which jieba never looks up
/// (they are in none of the runs it cuts with its dictionary).
const PADDING: &str = "\u{E000}\u{E001}";

impl Dictionary {
    /// The phrases in one of the two dictionaries and not the other (or with another
    /// frequency): a text that contains none of them is cut the same by both. None when
    /// the two cut differently everywhere (another lexicon, or a total not padded).
    pub fn changed_phrases(&self, other: &Dictionary) -> Option<Vec<String>> {
        if self.lexicon != other.lexicon || !self.padded || !other.padded {
            return None;
        }
        let differs = |a: &BTreeMap<String, usize>, b: &BTreeMap<String, usize>| {
            a.iter()
                .filter(|(phrase, freq)| b.get(*phrase) != Some(freq))
                .map(|(phrase, _)| phrase.clone())
                .collect::<Vec<_>>()
        };
        let mut changed = differs(&self.phrases, &other.phrases);
        changed.extend(differs(&other.phrases, &self.phrases));
        changed.sort_unstable();
        changed.dedup();
        Some(changed)
    }
}

impl Segmenter {
    /// jieba's default dictionary plus the taxonomy's terms, so that 营商环境 or 产业链招商
    /// come out as one word.
    pub fn new(taxonomy: &Taxonomy) -> Segmenter {
        let mut jieba = Jieba::new();
        for (word, freq) in &taxonomy.lexicon {
            jieba.add_word(word, *freq, None);
        }
        // Phrases with spaces or punctuation cannot be one dictionary word; they are
        // matched as sequences of words instead.
        let phrases: BTreeMap<String, usize> = taxonomy
            .themes
            .iter()
            .flat_map(|theme| {
                let keywords = theme.keywords.iter().map(|k| k.word.as_str());
                keywords.chain(theme.exclude.iter().map(String::as_str))
            })
            .filter(|p| p.chars().all(char::is_alphanumeric) && !jieba.has_word(p))
            .map(|p| (p.to_owned(), jieba.suggest_freq(p)))
            .collect();
        for (phrase, &freq) in &phrases {
            jieba.add_word(phrase, Some(freq), None);
        }
        let added: usize = phrases.values().sum();
        let padded = added <= PHRASE_BUDGET;
        if padded && added < PHRASE_BUDGET {
            jieba.add_word(PADDING, Some(PHRASE_BUDGET - added), None);
        }
        Segmenter {
            jieba,
            dictionary: Dictionary {
                lexicon: taxonomy.lexicon.clone(),
                phrases,
                padded,
            },
        }
    }

    /// What this segmenter adds to jieba's dictionary.
    pub fn dictionary(&self) -> &Dictionary {
        &self.dictionary
    }

    /// Whether jieba's dictionary tags `word` as a person's name (nr, nrfg, nrt): such
    /// words are no policy words. Only words of two to four Han characters are asked,
    /// which is every Chinese name and keeps the look-ups few.
    pub fn is_person_name(&self, word: &str) -> bool {
        let n = word.chars().count();
        if !(2..=4).contains(&n) || !word.chars().all(crate::text::is_han) {
            return false;
        }
        match self.jieba.tag(word, false)[..] {
            [ref one] => one.tag.starts_with("nr"),
            _ => false,
        }
    }

    /// The words of `text`, HMM on (new names and terms are found, not split to characters).
    pub fn cut<'a>(&self, text: &'a str) -> Vec<Word<'a>> {
        self.jieba
            .cut(text, true)
            .into_iter()
            .map(|t| Word {
                text: t.word,
                start: t.byte_start,
                end: t.byte_end,
            })
            .collect()
    }
}

/// Whether a word carries meaning (is not punctuation or space): what `tokens` counts.
pub fn is_content(word: &str) -> bool {
    // Most words are Han, and the CJK Unified Ideographs block is all letters: asked
    // first, it spares them the general Unicode table search.
    word.chars()
        .any(|c| matches!(c, '\u{4E00}'..='\u{9FFF}') || c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_han_shortcut_agrees_with_unicode() {
        assert!(('\u{4E00}'..='\u{9FFF}').all(char::is_alphanumeric));
        assert!(is_content("项目") && is_content("5G") && !is_content("，“ ”"));
    }
}
