//! Stage 4: segmentation. One jieba segmenter, built once from its default dictionary, the
//! taxonomy's lexicon and every theme keyword, then shared (it is `Sync`).

use jieba_rs::Jieba;

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
}

impl Segmenter {
    /// jieba's default dictionary plus the taxonomy's terms, so that 营商环境 or 产业链招商
    /// come out as one word.
    pub fn new(taxonomy: &Taxonomy) -> Segmenter {
        let mut jieba = Jieba::new();
        for (word, freq) in &taxonomy.lexicon {
            jieba.add_word(word, *freq, None);
        }
        for theme in &taxonomy.themes {
            let phrases = theme
                .keywords
                .iter()
                .map(|k| k.word.as_str())
                .chain(theme.exclude.iter().map(String::as_str));
            for phrase in phrases {
                // Phrases with spaces or punctuation cannot be one dictionary word; they
                // are matched as sequences of words instead.
                if phrase.chars().all(char::is_alphanumeric) && !jieba.has_word(phrase) {
                    jieba.add_word(phrase, None, None);
                }
            }
        }
        Segmenter { jieba }
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
