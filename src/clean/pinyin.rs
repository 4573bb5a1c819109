//! Pinyin readings glued after Han characters by some sites' "annotated" pages:
//! `區(qū)` → `區`. A reading is one syllable with a tone mark, in ASCII or full-width
//! parentheses, right after a Han character; parentheses holding Chinese, numbers or
//! toneless Latin (`(完)`, `(王志超)`, `(2020)`, `(AI)`) are real text.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

use crate::text::any_of;

/// The tone-marked vowels: every reading has one.
const TONED: &str = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ";

static READING: LazyLock<Regex> = LazyLock::new(|| {
    // One syllable: Latin letters (with ü, and in their full-width forms, which the
    // punctuation step later makes ASCII), at least one tone-marked vowel; the character
    // before it must be Han, which the replacement keeps.
    Regex::new(&format!(
        r"(\p{{Han}})[(（][a-zａ-ｚü]{{0,5}}[{TONED}][a-zａ-ｚü]{{0,5}}[)）]"
    ))
    .expect("literal regex")
});

/// A reading whose opening parenthesis and character were lost to a bad re-encoding
/// (`當?shù)攸h委` for `當地(dì)黨委`): the page was mojibake before it reached us.
static DAMAGED_READING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\?[a-zａ-ｚü]{{0,5}}[{TONED}][a-zａ-ｚü]{{0,5}}[)）]"
    ))
    .expect("literal regex")
});

static TONE_VOWEL: LazyLock<AhoCorasick> =
    LazyLock::new(|| any_of(TONED.chars().map(String::from)));

/// Readings removed from a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Removed {
    pub readings: usize,
    /// Readings damaged by mojibake: removed too, but the text around them is not whole.
    pub damaged: usize,
}

/// The text without pinyin readings, and how many were removed.
///
/// Removing a reading can bring the next one up against a Han character (`月(qū)(shù)`
/// leaves `月(shù)`; a damaged `?qū)` removed from `區(?qū)qū)` leaves `區(qū)`), so both
/// passes repeat until nothing is left to remove. Each round shortens the text, so this
/// ends, and on real pages after one round.
pub fn remove_readings(text: &str) -> (String, Removed) {
    let mut removed = Removed::default();
    // Both patterns need a tone-marked vowel, which most reports never hold: a search for
    // the vowels alone is many times faster than the patterns, which have no literal
    // prefix to search for.
    if !TONE_VOWEL.is_match(text) {
        return (text.to_owned(), removed);
    }
    let mut out = text.to_owned();
    loop {
        let before = removed;
        let readings = READING.replace_all(&out, |caps: &regex::Captures<'_>| {
            removed.readings += 1;
            caps[1].to_owned()
        });
        out = DAMAGED_READING
            .replace_all(&readings, |_: &regex::Captures<'_>| {
                removed.damaged += 1;
                String::new()
            })
            .into_owned();
        if removed == before {
            return (out, removed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_go_and_real_parentheses_stay() {
        let (text, n) = remove_readings("豐澤區(qū)政府召開，產(chǎn)業(yè)發(fā)展(完)(王志超)(2020)(AI)智慧豐澤(一期)；lü(lǜ)");
        assert_eq!(
            text,
            "豐澤區政府召開，產業發展(完)(王志超)(2020)(AI)智慧豐澤(一期)；lü(lǜ)"
        );
        assert_eq!(
            n,
            Removed {
                readings: 4,
                damaged: 0
            }
        );
    }

    #[test]
    fn readings_damaged_by_mojibake_are_removed_and_counted() {
        let (text, n) = remove_readings("通過和當?shù)攸h委、政府，駛?cè)胄滤{海");
        assert_eq!(text, "通過和當攸h委、政府，駛胄滤{海");
        assert_eq!(
            n,
            Removed {
                readings: 0,
                damaged: 2
            }
        );
    }

    #[test]
    fn full_width_parentheses_too() {
        assert_eq!(remove_readings("區（qū）").0, "區");
    }
}
