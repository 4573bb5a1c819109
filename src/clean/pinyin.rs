//! Pinyin readings glued after Han characters by some sites' "annotated" pages:
//! `區(qū)` → `區`. A reading is one syllable with a tone mark, in ASCII or full-width
//! parentheses, right after a Han character; parentheses holding Chinese, numbers or
//! toneless Latin (`(完)`, `(王志超)`, `(2020)`, `(AI)`) are real text.

use std::sync::LazyLock;

use regex::Regex;

static READING: LazyLock<Regex> = LazyLock::new(|| {
    // One syllable: Latin letters (with ü), at least one tone-marked vowel; the
    // character before it must be Han, which the replacement keeps.
    Regex::new(r"(\p{Han})[(（][a-zü]{0,5}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ][a-zü]{0,5}[)）]")
        .expect("literal regex")
});

/// The text without pinyin readings, and how many were removed.
pub fn remove_readings(text: &str) -> (String, usize) {
    let mut count = 0;
    let out = READING.replace_all(text, |caps: &regex::Captures<'_>| {
        count += 1;
        caps[1].to_owned()
    });
    (out.into_owned(), count)
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
        assert_eq!(n, 4);
    }

    #[test]
    fn full_width_parentheses_too() {
        assert_eq!(remove_readings("區（qū）").0, "區");
    }
}
