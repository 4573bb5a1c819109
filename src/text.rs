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

/// The number of Han characters in `text`.
pub fn han_count(text: &str) -> usize {
    text.chars().filter(|&c| is_han(c)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

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
