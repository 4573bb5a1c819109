//! Traditional → simplified conversion as OpenCC's `t2s` does it, with OpenCC's own tables
//! (Apache-2.0, see `opencc/README.md`) compiled in.
//!
//! OpenCC's `t2s` segments the text by maximum forward matching over `TSPhrases`, then
//! converts each segment by longest prefix over `TSPhrases` ∪ `TSCharacters` (phrases
//! first on ties), taking each entry's first value. That is leftmost-longest matching over
//! the union, and is done here the same way, split by what is cheap:
//!
//! * one table load per character gives its simplified form, whether it is traditional
//!   only, whether it is Han, and whether any phrase starts with it;
//! * only where a phrase can start does an anchored aho-corasick search look for the
//!   longest phrase there. Phrases start with about a hundred distinct characters, so on
//!   most characters the automaton is never entered.
//!
//! Deciding whether a text is traditional at all (every file of the corpus) is the same
//! table load per character, and stops as soon as the rest of the text cannot turn a yes
//! into a no.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};

const PHRASES: &str = include_str!("opencc/TSPhrases.txt");
const CHARACTERS: &str = include_str!("opencc/TSCharacters.txt");

/// A text is traditional when at least one Han character in this many is traditional only
/// (5 %). Simplified reports hold next to none (0 of 7,393 Han characters in the three
/// simplified seeds; a stray one comes from a name or a quotation, and 乾, 於 and 著 never
/// count: the first two are also simplified, the third is in no table), traditional reports
/// 15–40 % (34 % and 38 % in the two traditional seeds), so 5 % is far from both. It errs
/// towards converting because the costs are lopsided: `t2s` leaves simplified text almost
/// as it is, while a traditional report left unconverted matches nothing.
const TRADITIONAL_ONE_IN: usize = 20;

/// Han characters in the BMP: CJK Unified Ideographs, Extension A, Compatibility
/// Ideographs.
const BMP_HAN: [(u32, u32); 3] = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)];
/// Han characters above the BMP: planes 2 and 3, the later CJK extensions and the
/// compatibility supplement.
const ASTRAL_HAN: (u32, u32) = (0x2_0000, 0x3_FFFF);

/// What the converter knows about one character, packed so that a single load answers
/// everything both hot loops ask.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Entry(u32);

impl Entry {
    /// The low 21 bits: the simplified character, or 0 when the character stays as it is.
    const SIMPLIFIED: u32 = 0x1F_FFFF;
    /// A key of `TSCharacters` whose values do not include itself (區, not 乾 or 於).
    const TRADITIONAL_ONLY: u32 = 1 << 21;
    /// Some phrase key (or key that is not a single character) begins with this character.
    const STARTS_PHRASE: u32 = 1 << 22;
    const HAN: u32 = 1 << 23;

    fn has(self, flag: u32) -> bool {
        self.0 & flag != 0
    }

    fn simplified(self) -> Option<char> {
        match self.0 & Self::SIMPLIFIED {
            0 => None,
            c => char::from_u32(c),
        }
    }
}

/// Traditional → simplified conversion as OpenCC's t2s does it: leftmost-longest over its phrase and character tables.
pub struct T2s {
    /// Keys that are not one character mapping to one character (all of `TSPhrases`),
    /// searched anchored, leftmost-longest.
    phrases: AhoCorasick,
    /// The first value of each key in `phrases`, by pattern id.
    phrase_values: Vec<&'static str>,
    /// Entries of the Basic Multilingual Plane, by code point: 256 KiB, of which a text
    /// touches only the pages of the blocks it is written in.
    bmp: Box<[Entry]>,
    /// Entries above the BMP that carry more than the Han flag, sorted by character.
    astral: Vec<(char, Entry)>,
}

/// Lines of an OpenCC table as (key, values): `key\tvalue value…`, `#` comments. The files
/// are CRLF, which `lines` strips.
fn entries(table: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    table
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split_once('\t'))
        .filter(|(key, values)| !key.is_empty() && !values.is_empty())
}

/// The value OpenCC converts to: the first.
fn first_value(values: &str) -> &str {
    values.split(' ').next().unwrap_or(values)
}

/// The only character of `s`, if it has exactly one.
fn single_char(s: &str) -> Option<char> {
    let mut chars = s.chars();
    chars.next().filter(|_| chars.next().is_none())
}

/// The tables of a [`T2s`] while they are filled in.
struct Builder {
    bmp: Box<[Entry]>,
    astral: Vec<(char, Entry)>,
    keys: Vec<&'static str>,
    values: Vec<&'static str>,
}

impl Builder {
    fn new() -> Builder {
        let mut bmp = vec![Entry::default(); 0x1_0000].into_boxed_slice();
        for (first, last) in BMP_HAN {
            for entry in &mut bmp[first as usize..=last as usize] {
                entry.0 |= Entry::HAN;
            }
        }
        Builder {
            bmp,
            astral: Vec::new(),
            keys: Vec::new(),
            values: Vec::new(),
        }
    }

    fn entry(&mut self, c: char) -> &mut Entry {
        if let Some(entry) = self.bmp.get_mut(c as usize) {
            return entry;
        }
        let at = match self.astral.binary_search_by_key(&c, |&(k, _)| k) {
            Ok(at) => at,
            Err(at) => {
                let han = (ASTRAL_HAN.0..=ASTRAL_HAN.1).contains(&u32::from(c));
                let entry = Entry(if han { Entry::HAN } else { 0 });
                self.astral.insert(at, (c, entry));
                at
            }
        };
        &mut self.astral[at].1
    }

    /// One entry of either table. Called for the characters first, then the phrases, so
    /// that on a key in both the phrase wins, as in OpenCC's dictionary group.
    fn add(&mut self, key: &'static str, value: &'static str) {
        match (single_char(key), single_char(value)) {
            (Some(k), Some(v)) => {
                // An identity mapping (覆 → 覆) is no change; 0 says so more cheaply.
                let simplified = if k == v { 0 } else { u32::from(v) };
                let entry = self.entry(k);
                entry.0 = (entry.0 & !Entry::SIMPLIFIED) | simplified;
            }
            _ => {
                if let Some(first) = key.chars().next() {
                    self.entry(first).0 |= Entry::STARTS_PHRASE;
                }
                self.keys.push(key);
                self.values.push(value);
            }
        }
    }
}

impl T2s {
    /// The converter, built on first use and shared (OnceLock); building must be cheap (< ~20 ms).
    pub fn shared() -> &'static T2s {
        static SHARED: OnceLock<T2s> = OnceLock::new();
        SHARED.get_or_init(T2s::build)
    }

    fn build() -> T2s {
        let mut builder = Builder::new();
        for (key, values) in entries(CHARACTERS) {
            builder.add(key, first_value(values));
            if let Some(k) = single_char(key) {
                if !values.split(' ').any(|v| v == key) {
                    builder.entry(k).0 |= Entry::TRADITIONAL_ONLY;
                }
            }
        }
        for (key, values) in entries(PHRASES) {
            builder.add(key, first_value(values));
        }

        // Anchored only: the automaton is asked "which longest phrase starts here", never
        // to scan. As a DFA the 277 phrases take 0.9 ms and 730 KiB, against 0.45 ms and
        // 46 KiB as a contiguous NFA; the DFA converts traditional text ~5 % faster.
        let phrases = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&builder.keys)
            .expect("OpenCC's phrase keys build an automaton (tested)");
        T2s {
            phrases,
            phrase_values: builder.values,
            bmp: builder.bmp,
            astral: builder.astral,
        }
    }

    fn entry(&self, c: char) -> Entry {
        match self.bmp.get(c as usize) {
            Some(&entry) => entry,
            None => match self.astral.binary_search_by_key(&c, |&(k, _)| k) {
                Ok(at) => self.astral[at].1,
                Err(_) if (ASTRAL_HAN.0..=ASTRAL_HAN.1).contains(&u32::from(c)) => {
                    Entry(Entry::HAN)
                }
                Err(_) => Entry::default(),
            },
        }
    }

    /// Whether the text is written in traditional characters: the share of Han characters that exist only in traditional script (a key of TSCharacters whose values do not include itself) is high enough.
    ///
    /// "High enough" is one in [`TRADITIONAL_ONE_IN`] (5 %); see there for why. The scan
    /// stops as soon as that share is reached even if every byte left were a plain Han
    /// character, so a traditional report is decided early (the traditional seeds after
    /// 11 % and 15 % of their bytes); simplified text is read to the end.
    pub fn is_traditional(&self, text: &str) -> bool {
        let (mut han, mut traditional) = (0usize, 0usize);
        for (at, c) in text.char_indices() {
            let entry = self.entry(c);
            if !entry.has(Entry::HAN) {
                continue;
            }
            han += 1;
            if entry.has(Entry::TRADITIONAL_ONLY) {
                traditional += 1;
                // A Han character takes at least 3 bytes, so the rest of the text holds
                // at most a third of its bytes in Han characters.
                let most_han = han + (text.len() - at) / 3;
                if traditional * TRADITIONAL_ONE_IN >= most_han {
                    return true;
                }
            }
        }
        traditional > 0 && traditional * TRADITIONAL_ONE_IN >= han
    }

    /// The simplified text. Characters and phrases not in the tables pass through unchanged; ASCII, punctuation and pinyin are untouched.
    pub fn convert(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        // `text[..copied]` is in `out`: unchanged characters are copied in runs, and the
        // characters of a converted phrase are skipped.
        let mut copied = 0;
        for (at, c) in text.char_indices() {
            if at < copied {
                continue;
            }
            let entry = self.entry(c);
            if entry.has(Entry::STARTS_PHRASE) {
                let here = Input::new(text).range(at..).anchored(Anchored::Yes);
                if let Some(phrase) = self.phrases.find(here) {
                    out.push_str(&text[copied..at]);
                    out.push_str(self.phrase_values[phrase.pattern().as_usize()]);
                    copied = phrase.end();
                    continue;
                }
            }
            if let Some(simplified) = entry.simplified() {
                out.push_str(&text[copied..at]);
                out.push(simplified);
                copied = at + c.len_utf8();
            }
        }
        out.push_str(&text[copied..]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line of both tables is a comment or an entry, and every character entry maps
    /// one character to one character: nothing is silently dropped.
    #[test]
    fn tables_parse_completely() {
        for table in [PHRASES, CHARACTERS] {
            let lines = table
                .lines()
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .count();
            assert_eq!(entries(table).count(), lines);
            assert!(entries(table).all(|(_, v)| v.split(' ').all(|v| !v.is_empty())));
        }
        assert!(entries(CHARACTERS)
            .all(|(k, v)| single_char(k).is_some() && single_char(first_value(v)).is_some()));
        assert!(entries(PHRASES).all(|(k, _)| k.chars().count() >= 2));
        let t2s = T2s::shared();
        assert_eq!(t2s.phrase_values.len(), entries(PHRASES).count());
        assert_eq!(t2s.phrases.patterns_len(), t2s.phrase_values.len());
    }

    /// Every entry of both tables converts to its first value on its own.
    #[test]
    fn every_entry_converts_to_its_first_value() {
        let t2s = T2s::shared();
        for (key, values) in entries(CHARACTERS).chain(entries(PHRASES)) {
            assert_eq!(t2s.convert(key), first_value(values), "{key}");
        }
    }

    #[test]
    fn known_pairs() {
        let t2s = T2s::shared();
        for (traditional, simplified) in [
            ("區", "区"),
            ("產業", "产业"),
            ("發展", "发展"),
            ("項目建設", "项目建设"),
            ("豐澤區", "丰泽区"),
            ("紅旗區", "红旗区"),
            ("會議", "会议"),
            // TSCharacters: 於 → 于 於, 乾 → 干 乾; TSPhrases keeps them in names and
            // set phrases.
            ("於", "于"),
            ("樊於期", "樊於期"),
            ("乾淨", "干净"),
            ("乾隆", "乾隆"),
            ("乾隆年間", "乾隆年间"),
            ("扭轉乾坤", "扭转乾坤"),
            // Longest phrase wins over a shorter one at the same start.
            ("瞭解到", "了解到"),
            ("瞭望", "瞭望"),
            // 著 is in neither table (OpenCC treats it as simplified too).
            ("著作", "著作"),
            // Outside the BMP, both ways.
            ("𠁞", "𠀾"),
            ("㑮", "𫝈"),
        ] {
            assert_eq!(t2s.convert(traditional), simplified, "{traditional}");
        }
    }

    #[test]
    fn text_outside_the_tables_is_untouched() {
        let t2s = T2s::shared();
        assert_eq!(t2s.convert(""), "");
        let plain = "ABC 123, qū (ü) ，（完）《》\n\t😀 é";
        assert_eq!(t2s.convert(plain), plain);
        assert_eq!(
            t2s.convert("11日上午,豐澤區政府召開第二次全體會議。"),
            "11日上午,丰泽区政府召开第二次全体会议。"
        );
        // A phrase start that begins no phrase here, at the very end.
        assert_eq!(t2s.convert("了解乾"), "了解干");
    }

    /// The opening of seed report 000 (simplified).
    const SIMPLIFIED: &str = "2月25日,红谷滩区2026年重点工作布置会召开,认真总结2025年工作,科学谋划2026年工作。区委书记涂晓晖主持会议并讲话。区委副书记、区长李婷讲话。区委副书记万晓娟、区政协主席涂文坚等区四套班子成员,区人民法院、区人民检察院主要负责同志,南昌未来科学城管委会领导班子成员及其他在职副县级以上领导干部参加会议。";

    /// The opening of seed report 003 (traditional, pinyin readings removed).
    const TRADITIONAL: &str = "11日上午,豐澤區政府召開第二次全體會議,動員各級各部門迅速緊張起來、動起來,戰役式推動各項任務目標落到實處。區長楊國昕主持會議并講話,區領導吳毓舟、洪武強、朱長沙、洪奕蓉、邱朝陽、施蓬勃、黃琪金,區人武部部長劉進春等參加會議。";

    #[test]
    fn simplified_text_is_unchanged() {
        assert_eq!(T2s::shared().convert(SIMPLIFIED), SIMPLIFIED);
    }

    #[test]
    fn traditional_is_told_from_simplified() {
        let t2s = T2s::shared();
        assert!(t2s.is_traditional(TRADITIONAL));
        assert!(!t2s.is_traditional(SIMPLIFIED));
        // 乾, 著 and 於 are simplified too; a name in traditional (鍾) among plenty of
        // simplified text is under the threshold.
        let with_strays = "乾隆年间著有此书，於是众人传阅。钱锺书之父鍾先生在会上讲话，区委书记主持会议，认真总结去年工作，科学谋划今年工作。";
        assert!(!t2s.is_traditional(with_strays));
        assert!(!t2s.is_traditional(""));
        assert!(!t2s.is_traditional("ABC 123 ，。"));
        assert!(t2s.is_traditional("區"));
    }

    /// The early exit gives the same answer as counting everything.
    #[test]
    fn early_exit_agrees_with_a_full_count() {
        let t2s = T2s::shared();
        let full = |text: &str| {
            let han = text
                .chars()
                .filter(|&c| t2s.entry(c).has(Entry::HAN))
                .count();
            let traditional = text
                .chars()
                .filter(|&c| t2s.entry(c).has(Entry::TRADITIONAL_ONLY))
                .count();
            traditional > 0 && traditional * TRADITIONAL_ONE_IN >= han
        };
        for text in [
            format!("區{}", "区".repeat(18)),
            format!("區{}", "区".repeat(19)),
            format!("區{}", "区".repeat(20)),
            format!("{}區", "区".repeat(19)),
            format!("區{}", "𠀀".repeat(19)),
            format!("區{}", "𠀀".repeat(20)),
            format!("{SIMPLIFIED}{TRADITIONAL}"),
            format!("{TRADITIONAL}{}", SIMPLIFIED.repeat(20)),
        ] {
            assert_eq!(t2s.is_traditional(&text), full(&text), "{text}");
        }
    }
}
