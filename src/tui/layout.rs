//! Sizes and text layout shared by the update step and the draw functions, so both agree
//! on where a line wraps.

use unicode_width::UnicodeWidthChar;

/// Below this the dashboard shows "needs at least W×H" instead of drawing.
pub(crate) const MIN_WIDTH: u16 = 60;
pub(crate) const MIN_HEIGHT: u16 = 15;

/// Rows taken by the tab bar, the status line and the footer.
pub const CHROME_ROWS: u16 = 3;

/// A line of wrapped text: where it starts in the source, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrappedLine {
    /// Byte offset of the line's first character in the wrapped text.
    pub start: usize,
    /// The line, without its break.
    pub text: String,
}

/// The reader's inner width for a terminal `width` wide (borders take two columns).
pub fn reader_width(width: u16) -> usize {
    usize::from(width.saturating_sub(2)).max(1)
}

/// The reader's inner height (chrome and borders off).
pub fn reader_height(height: u16) -> u16 {
    height.saturating_sub(CHROME_ROWS + 2).max(1)
}

/// Marks a line must not start with (行首禁则): closing brackets and quotes, pauses and
/// stops, the ellipsis, the interpunct.
const CLOSING: &str = "，。、；：？！）》」』】〕〗〉］｝”’…·％．～,.;:?!)]}%";

/// Marks a line must not end with (行尾禁则): opening brackets and quotes.
const OPENING: &str = "（《「『【〔〖〈［｛“‘([{";

/// Wraps `text` to `width` cells. Chinese has no spaces to break at: a line breaks
/// between any two characters, never inside a double-width one. Where a break would
/// start a line with a closing mark or end one with an opening mark, the break moves
/// back, taking the characters before the mark down with it (a Chinese reader expects
/// 。 after its sentence, not first on the next line); a line that cannot be mended so
/// within the width breaks where it fills.
pub fn wrap(text: &str, width: usize) -> Vec<WrappedLine> {
    let width = width.max(2);
    let mut lines = Vec::new();
    let mut offset = 0;
    for paragraph in text.split('\n') {
        let chars: Vec<(usize, char, usize)> = paragraph
            .char_indices()
            .map(|(i, c)| (i, c, c.width().unwrap_or(0)))
            .collect();
        let byte = |k: usize| chars.get(k).map_or(paragraph.len(), |&(i, _, _)| i);
        let mut first = 0;
        let mut used = 0;
        for (k, &(_, _, w)) in chars.iter().enumerate() {
            if used + w > width && k > first {
                let allowed =
                    |b: usize| !CLOSING.contains(chars[b].1) && !OPENING.contains(chars[b - 1].1);
                let carried = |b: usize| chars[b..k].iter().map(|&(_, _, w)| w).sum::<usize>();
                let cut = (first + 1..=k)
                    .rev()
                    .take_while(|&b| carried(b) + w <= width)
                    .find(|&b| allowed(b))
                    .unwrap_or(k);
                lines.push(WrappedLine {
                    start: offset + byte(first),
                    text: paragraph[byte(first)..byte(cut)].to_owned(),
                });
                first = cut;
                used = carried(cut);
            }
            used += w;
        }
        lines.push(WrappedLine {
            start: offset + byte(first),
            text: paragraph[byte(first)..].to_owned(),
        });
        offset += paragraph.len() + 1;
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_wraps_between_characters_by_display_width() {
        let lines = wrap("红谷滩区召开会议abc\n第二段", 7);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["红谷滩", "区召开", "会议abc", "第二段"]);
        assert_eq!(lines[1].start, "红谷滩".len());
        assert_eq!(lines[3].start, "红谷滩区召开会议abc\n".len());
        for l in &lines {
            assert!(unicode_width::UnicodeWidthStr::width(l.text.as_str()) <= 7);
        }
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        // A plain break at width 6 gives 一二三 / ，四五 / 六七八 / 。九.
        let lines = wrap("一二三，四五六七八。九", 6);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["一二", "三，四", "五六七", "八。九"]);
        assert_eq!(lines[1].start, "一二".len());
        // A run of marks moves as one, and takes the opening bracket before it along.
        let texts: Vec<String> = wrap("他说「好。」然后", 8)
            .into_iter()
            .map(|l| l.text)
            .collect();
        assert_eq!(texts, ["他说", "「好。」", "然后"]);
    }

    #[test]
    fn opening_punctuation_never_ends_a_line() {
        let texts: Vec<String> = wrap("大家学《条例》", 8)
            .into_iter()
            .map(|l| l.text)
            .collect();
        assert_eq!(texts, ["大家学", "《条例》"]);
    }

    #[test]
    fn a_line_of_nothing_but_punctuation_still_breaks_within_the_width() {
        let lines = wrap("好。。。。。。", 4);
        for l in &lines {
            assert!(unicode_width::UnicodeWidthStr::width(l.text.as_str()) <= 4);
        }
        let joined: String = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(joined, "好。。。。。。");
    }

    #[test]
    fn a_width_too_small_for_one_character_still_progresses() {
        assert_eq!(wrap("红谷", 1).len(), 2);
        assert_eq!(wrap("", 10).len(), 1);
    }
}
