//! Words as numbers. A corpus of a hundred thousand meetings repeats a few hundred
//! thousand distinct words tens of millions of times; kept as strings per meeting they
//! cost gigabytes. Each word is stored once here and meetings count ids.

use rustc_hash::FxHashMap;

use crate::measure::WordList;

/// A meeting's word frequencies: (word id, count), each word once, in no set order.
pub type WordCounts = Vec<(u32, u32)>;

/// The words seen so far, each with a stable id (its position).
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    words: Vec<Box<str>>,
    ids: FxHashMap<Box<str>, u32>,
}

impl Vocabulary {
    /// A vocabulary holding `words` with ids 0, 1, … in their order (as stored).
    pub fn from_words(words: Vec<String>) -> Vocabulary {
        let mut vocabulary = Vocabulary::default();
        for word in words {
            vocabulary.id(&word);
        }
        vocabulary
    }

    /// The id of `word`, added if new.
    pub fn id(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        // More than 4 billion distinct words cannot come from text under the size cap
        // times any real corpus; saturating keeps this total anyway.
        let id = u32::try_from(self.words.len()).unwrap_or(u32::MAX);
        let word: Box<str> = word.into();
        self.words.push(word.clone());
        self.ids.insert(word, id);
        id
    }

    /// The word of `id`; empty for an id this vocabulary never gave.
    pub fn word(&self, id: u32) -> &str {
        self.words.get(id as usize).map_or("", |w| w)
    }

    pub(crate) fn len(&self) -> usize {
        self.words.len()
    }

    /// The words in id order, as [`Vocabulary::from_words`] takes them back.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.words.iter().map(|w| &**w)
    }

    /// `counts` with each word replaced by its id, in their order.
    pub fn intern(&mut self, counts: &WordList) -> WordCounts {
        counts.iter().map(|(w, n)| (self.id(w), n)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_survive_a_round_trip() {
        let mut v = Vocabulary::default();
        let counts = v.intern(&[("项目", 3), ("招商", 1)].into_iter().collect());
        assert_eq!(counts, vec![(0, 3), (1, 1)]);
        assert_eq!(v.intern(&[("招商", 2)].into_iter().collect()), vec![(1, 2)]);
        let again = Vocabulary::from_words(v.words().map(str::to_owned).collect());
        assert_eq!(again.word(1), "招商");
        assert_eq!(again.len(), 2);
        assert_eq!(again.word(7), "");
    }
}
