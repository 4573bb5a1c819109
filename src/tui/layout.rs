//! Sizes and text layout shared by the update step and the draw functions, so both agree
//! on where a line wraps.

use unicode_width::UnicodeWidthChar;

/// Below this the dashboard shows "needs at least W×H" instead of drawing.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;

/// Rows taken by the tab bar, the status line and the footer.
pub const CHROME_ROWS: u16 = 3;

/// A line of wrapped text: where it starts in the source, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrappedLine {
    pub start: usize,
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

/// Wraps `text` to `width` cells. Chinese has no spaces to break at: a line breaks
/// between any two characters, never inside a double-width one, and keeps a closing
/// punctuation mark with the character before it where it can.
pub fn wrap(text: &str, width: usize) -> Vec<WrappedLine> {
    let width = width.max(2);
    let mut lines = Vec::new();
    let mut offset = 0;
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut line_start = offset;
        let mut used = 0;
        for (i, c) in paragraph.char_indices() {
            let w = c.width().unwrap_or(0);
            if used + w > width && !line.is_empty() {
                lines.push(WrappedLine {
                    start: line_start,
                    text: std::mem::take(&mut line),
                });
                line_start = offset + i;
                used = 0;
            }
            line.push(c);
            used += w;
        }
        lines.push(WrappedLine {
            start: line_start,
            text: line,
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
    fn a_width_too_small_for_one_character_still_progresses() {
        assert_eq!(wrap("红谷", 1).len(), 2);
        assert_eq!(wrap("", 10).len(), 1);
    }
}
