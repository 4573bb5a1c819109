//! Small facts about characters that several stages need.

/// Whether `c` is a Han character (CJK unified ideographs and their extensions, and the
/// compatibility block). Densities are counted per Han character, so this is the
/// denominator's definition.
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2A6DF}'
        | '\u{2A700}'..='\u{2EBEF}'
        | '\u{30000}'..='\u{3134F}')
}

/// A search for any of `patterns` in one pass. Leftmost-first, because only then can
/// aho-corasick use its vectorised prefilter: with the standard semantics it steps
/// through every byte, slower than searching for each pattern on its own.
pub fn any_of<P: AsRef<[u8]>>(patterns: impl IntoIterator<Item = P>) -> aho_corasick::AhoCorasick {
    aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
        .build(patterns)
        .expect("a few literal patterns always build")
}

/// How far a clause is read around a point, in characters: far more than a clause of
/// prose, and a bound that keeps a page without punctuation linear.
pub const CLAUSE_MAX_CHARS: usize = 64;

fn is_clause_mark(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '；' | '：' | '！' | '？' | '、' | '（' | ',' | ';' | ':' | '(' | '\n'
    )
}

/// Where the clause holding byte `at` of `s` begins: after the last clause or sentence
/// mark (or line break) before it, at most [`CLAUSE_MAX_CHARS`] back.
pub fn clause_start(s: &str, at: usize) -> usize {
    let mut start = at;
    for (i, c) in s[..at].char_indices().rev().take(CLAUSE_MAX_CHARS) {
        if is_clause_mark(c) {
            return i + c.len_utf8();
        }
        start = i;
    }
    start
}

/// The rest of the clause that starts `s`: up to its first clause or sentence mark, at
/// most [`CLAUSE_MAX_CHARS`].
pub fn clause_rest(s: &str) -> &str {
    let end = s
        .char_indices()
        .take(CLAUSE_MAX_CHARS)
        .find(|&(_, c)| is_clause_mark(c))
        .map_or_else(
            || {
                s.char_indices()
                    .nth(CLAUSE_MAX_CHARS)
                    .map_or(s.len(), |(i, _)| i)
            },
            |(i, _)| i,
        );
    &s[..end]
}

/// The number of Han characters in `text`.
pub fn han_count(text: &str) -> usize {
    // Every report is counted twice (for the record and for the measures), so this
    // steps from character to character by their first byte and tells a Han character
    // of the BMP by its first two bytes, without decoding; those above the BMP, rare,
    // are decoded.
    let bytes = text.as_bytes();
    let (mut at, mut count) = (0, 0);
    while let Some(&lead) = bytes.get(at) {
        let second = bytes.get(at + 1).copied().unwrap_or(0);
        let (han, len) = match lead {
            0x00..=0x7F => (false, 1),
            0x80..=0xDF => (false, 2),
            0xE5..=0xE9 => (true, 3),                     // U+5000–U+9FFF
            0xE4 => (second != 0xB7, 3),                  // U+4000–U+4FFF but U+4DC0–U+4DFF
            0xE3 => (second >= 0x90, 3),                  // U+3400–U+3FFF
            0xEF => ((0xA4..=0xAB).contains(&second), 3), // U+F900–U+FAFF
            0xE0..=0xEF => (false, 3),
            _ => {
                let c = text.get(at..).and_then(|t| t.chars().next()).unwrap_or(' ');
                (is_han(c), 4)
            }
        };
        count += usize::from(han);
        at += len;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_characters_are_counted_by_bytes_as_by_characters() {
        // Both sides of every boundary of every Han block, and the neighbours of the
        // byte patterns the count looks at.
        let edges = [
            0x2FFF, 0x3000, 0x33FF, 0x3400, 0x3FFF, 0x4000, 0x4DBF, 0x4DC0, 0x4DFF, 0x4E00, 0x4FFF,
            0x5000, 0x9FFF, 0xA000, 0xF8FF, 0xF900, 0xFAFF, 0xFB00, 0xFFFD, 0x1F600, 0x1FFFF,
            0x20000, 0x2A6DF, 0x2A6E0, 0x2A6FF, 0x2A700, 0x2EBEF, 0x2EBF0, 0x2FFFF, 0x30000,
            0x3134F, 0x31350, 0xE0001,
        ];
        for code in edges {
            let c = char::from_u32(code).unwrap();
            let text = format!("a{c}中，é{c}");
            let by_chars = text.chars().filter(|&c| is_han(c)).count();
            assert_eq!(han_count(&text), by_chars, "U+{code:04X}");
        }
    }

    #[test]
    fn han_characters_are_counted_and_nothing_else() {
        assert_eq!(han_count("2026年“开门红”，AI（完）"), 5);
        assert!(!is_han('，') && !is_han('a') && !is_han('ā'));
        assert!(is_han('區') && is_han('𠀀'));
    }
}

/// Text from a file made safe to print on a terminal: control characters (C0 but newline
/// and tab, C1, DEL), which could start escape sequences, and bidirectional overrides,
/// which could reorder what the user reads, are replaced by a visible `�`-like marker.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_unsafe_for_terminal) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| {
            if is_unsafe_for_terminal(c) {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect::<String>()
        .into()
}

/// Whether a character could drive the terminal or reorder what is read: C0 controls but
/// newline and tab, DEL, C1 controls, and bidirectional formatting characters.
pub fn is_unsafe_for_terminal(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Text for a machine-readable export (JSON, CSV): the characters that are unsafe on a
/// terminal escaped as `\uXXXX`, so a file printed with `cat` cannot drive the terminal.
/// In JSON that is the language's own escape, and a parser gets the original character
/// back (serde_json escapes C0 controls already; this covers the rest). CSV has no
/// escapes: a CSV reader gets the six characters `\u001b` literally, and the original
/// character is lost unless the reader decodes such sequences itself.
pub fn escape_for_export(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_unsafe_for_terminal) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_unsafe_for_terminal(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// `1 meeting`, `2 meetings`: a count as the screen and the figures say it.
pub fn counted(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// Display width in terminal cells: CJK characters take two.
pub fn width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// `text` cut to at most `max` cells, with `marker` (one cell, `…` or `~`) marking a cut;
/// never splits a character.
pub fn truncate_to_width<'a>(text: &'a str, max: usize, marker: &str) -> std::borrow::Cow<'a, str> {
    if width(text) <= max {
        return text.into();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + width(marker) > max {
            break;
        }
        out.push(c);
        used += w;
    }
    if max >= width(marker) {
        out.push_str(marker);
    }
    out.into()
}

#[cfg(test)]
mod terminal_tests {
    use super::*;

    #[test]
    fn escape_sequences_and_overrides_are_neutralised() {
        let hostile = "a\u{1b}]0;pwned\u{7}b\u{1b}[2J\u{202E}c\u{9b}d\te\n";
        let safe = terminal_safe(hostile);
        assert!(!safe
            .chars()
            .any(|c| c == '\u{1b}' || c == '\u{7}' || c == '\u{202E}' || c == '\u{9b}'));
        assert!(safe.contains("\te\n"));
    }

    #[test]
    fn truncation_respects_double_width() {
        assert_eq!(truncate_to_width("红谷滩区", 8, "…"), "红谷滩区");
        assert_eq!(truncate_to_width("红谷滩区", 7, "…"), "红谷滩…");
        assert_eq!(truncate_to_width("红谷滩区", 6, "~"), "红谷~");
        assert_eq!(width(&truncate_to_width("红谷滩区", 6, "…")), 5);
        assert_eq!(truncate_to_width("红谷滩区", 0, "…"), "");
    }
}
