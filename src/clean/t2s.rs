//! Traditional → simplified conversion as OpenCC's `t2s` does it: leftmost-longest over
//! its phrase table, then its character table, first value of each entry. The tables are
//! OpenCC's own (Apache-2.0, see `opencc/README.md`), compiled in.
//!
//! Two costs matter on a large corpus, so both are kept small: deciding whether a text is
//! traditional at all (every file) is a table lookup per character; converting (only
//! traditional files) is one aho-corasick pass over the phrase keys plus a table lookup
//! per character between phrases.

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

const PHRASES: &str = include_str!("opencc/TSPhrases.txt");
const CHARACTERS: &str = include_str!("opencc/TSCharacters.txt");

/// Below this share of traditional-only characters among Han characters a text is
/// simplified. Simplified prose holds almost none (a stray 於 in a quotation, a name);
/// a traditional news report holds 15–30 %.
const TRADITIONAL_SHARE: f64 = 0.05;

/// Fewer Han characters than this cannot tell the scripts apart.
const MIN_HAN: usize = 4;

pub struct T2s {
    phrases: AhoCorasick,
    phrase_values: Vec<&'static str>,
    /// BMP characters: the simplified form, or '\0' where the character stays.
    bmp: Vec<char>,
    other: HashMap<char, char>,
    /// BMP characters written only in traditional script: keys whose values do not
    /// include themselves (not 乾, which is also simplified).
    traditional_only: Vec<bool>,
}

/// Lines of an OpenCC table: `key\tvalue value…`, `#` comments.
fn entries(table: &'static str) -> impl Iterator<Item = (&'static str, Vec<&'static str>)> {
    table.lines().filter_map(|line| {
        let line = line.trim_end_matches('\r');
        if line.starts_with('#') {
            return None;
        }
        let (key, values) = line.split_once('\t')?;
        let values: Vec<&str> = values.split(' ').filter(|v| !v.is_empty()).collect();
        (!key.is_empty() && !values.is_empty()).then_some((key, values))
    })
}

impl T2s {
    pub fn shared() -> &'static T2s {
        static SHARED: OnceLock<T2s> = OnceLock::new();
        SHARED.get_or_init(T2s::build)
    }

    fn build() -> T2s {
        let mut bmp = vec!['\0'; 0x1_0000];
        let mut traditional_only = vec![false; 0x1_0000];
        let mut other = HashMap::new();
        for (key, values) in entries(CHARACTERS) {
            let mut key_chars = key.chars();
            let (Some(k), None) = (key_chars.next(), key_chars.next()) else {
                continue;
            };
            let mut value_chars = values[0].chars();
            let (Some(v), None) = (value_chars.next(), value_chars.next()) else {
                continue;
            };
            let only_traditional = !values.contains(&key);
            match usize::try_from(u32::from(k))
                .ok()
                .filter(|&i| i < bmp.len())
            {
                Some(i) => {
                    bmp[i] = v;
                    traditional_only[i] = only_traditional;
                }
                None => {
                    other.insert(k, v);
                }
            }
        }
        let (keys, phrase_values): (Vec<&str>, Vec<&str>) =
            entries(PHRASES).map(|(k, v)| (k, v[0])).unzip();
        let phrases = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&keys)
            .expect("OpenCC phrase table builds an automaton");
        T2s {
            phrases,
            phrase_values,
            bmp,
            other,
            traditional_only,
        }
    }

    /// Whether `text` is written in traditional characters.
    pub fn is_traditional(&self, text: &str) -> bool {
        let (mut han, mut traditional) = (0usize, 0usize);
        for c in text.chars() {
            if !crate::text::is_han(c) {
                continue;
            }
            han += 1;
            if self
                .traditional_only
                .get(c as usize)
                .copied()
                .unwrap_or(false)
            {
                traditional += 1;
            }
        }
        han >= MIN_HAN && traditional as f64 >= han as f64 * TRADITIONAL_SHARE
    }

    /// The simplified text; anything not in the tables passes through.
    pub fn convert(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut done = 0;
        for m in self.phrases.find_iter(text) {
            self.convert_chars(&text[done..m.start()], &mut out);
            out.push_str(self.phrase_values[m.pattern().as_usize()]);
            done = m.end();
        }
        self.convert_chars(&text[done..], &mut out);
        out
    }

    fn convert_chars(&self, text: &str, out: &mut String) {
        for c in text.chars() {
            let mapped = match self.bmp.get(c as usize) {
                Some(&m) if m != '\0' => m,
                Some(_) => c,
                None => self.other.get(&c).copied().unwrap_or(c),
            };
            out.push(mapped);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_and_phrases_convert() {
        let t2s = T2s::shared();
        assert_eq!(
            t2s.convert("豐澤區政府召開第二次全體會議"),
            "丰泽区政府召开第二次全体会议"
        );
        assert_eq!(
            t2s.convert("紅旗區項目建設產業發展"),
            "红旗区项目建设产业发展"
        );
        // Phrases decide where a character alone would be wrong.
        let (phrase, value) = entries(PHRASES).next().map(|(k, v)| (k, v[0])).unwrap();
        assert_eq!(t2s.convert(phrase), value);
        assert_eq!(t2s.convert("ABC 123，（完）"), "ABC 123，（完）");
    }

    #[test]
    fn simplified_text_is_left_alone_and_not_taken_for_traditional() {
        let t2s = T2s::shared();
        let simplified = "红谷滩区2026年重点工作布置会召开，认真总结2025年工作，科学谋划2026年工作。乾隆年间著有此书，於是";
        assert_eq!(
            t2s.convert(simplified).replace('於', "于"),
            simplified.replace('於', "于")
        );
        assert!(!t2s.is_traditional(simplified));
        assert!(t2s.is_traditional(
            "楊國昕要求，全區上下要突出重點、緊盯阻點，推動經濟社會發展再上新臺階。"
        ));
        assert!(!t2s.is_traditional(""));
        assert!(!t2s.is_traditional("區"));
    }
}
