//! Line and punctuation repair: words broken across lines are joined, and punctuation
//! within Chinese prose is made full-width (as the rest of the sentence is) while letters
//! and digits are made half-width.

use crate::text::is_han;

/// Lines shorter than this are headings or salutations, never half a broken paragraph.
const MIN_BROKEN_LINE_CHARS: usize = 20;

/// Joins a paragraph that a copy-paste broke mid-sentence (`发展是第` / `一要务`): the line
/// is long, ends in a Han character or a comma, and the next line follows without a blank
/// line and starts with a Han character. Returns the text and the number of joins.
pub fn join_broken_lines(text: &str) -> (String, usize) {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len());
    let mut joins = 0;
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line.trim_end());
        let next = lines.get(i + 1).map(|l| l.trim_start());
        let broken = next.is_some_and(|next| {
            next.chars().next().is_some_and(is_han) && is_broken_paragraph(line.trim_end())
        });
        if broken {
            joins += 1;
        } else if next.is_some() {
            out.push('\n');
        }
    }
    (out, joins)
}

/// A paragraph has sentences or at least clauses; a heading or a headline has neither,
/// even when it is long.
fn is_broken_paragraph(line: &str) -> bool {
    // Cheapest first: most lines end a sentence, and are told by their last character.
    let last = line.chars().next_back();
    last.is_some_and(|c| is_han(c) || matches!(c, '，' | '、' | ','))
        && line.chars().nth(MIN_BROKEN_LINE_CHARS - 1).is_some()
        && (line.contains('。')
            || (line.matches([',', '，']).count() >= 2 && !starts_with_enumeration(line)))
}

/// `一、`, `（一）`, `第一，`, `●`, `【…】`: headings, whose line break is meant.
fn starts_with_enumeration(line: &str) -> bool {
    let mut chars = line.chars();
    let first = chars.next();
    let second = chars.next();
    matches!(
        first,
        Some('●' | '■' | '◆' | '【' | '（' | '(' | '第' | '—')
    ) || (first.is_some_and(|c| "一二三四五六七八九十".contains(c)) && second == Some('、'))
}

/// Half-width ,:;!?() beside Chinese become full-width; full-width letters, digits and
/// spaces become half-width. Returns the text and the number of characters changed.
pub fn normalize_punctuation(text: &str) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut changed = 0;
    // Most characters stay as they are: the text is copied in runs between changes, and
    // only the bytes that can start a changing character are looked at (ASCII
    // punctuation, and the lead bytes of U+3000 and the full-width forms).
    let mut copied = 0;
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if !matches!(
            bytes[at],
            b',' | b':' | b';' | b'!' | b'?' | b'(' | b')' | 0xE3 | 0xEF
        ) {
            at += 1;
            continue;
        }
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        let next = at + c.len_utf8();
        // What came before is judged as already normalised, so `任务),` sees `）`: the
        // last character written or about to be copied that is not a space.
        let before = || {
            text[copied..at]
                .chars()
                .rev()
                .chain(out.chars().rev())
                .find(|&b| b != ' ')
        };
        let normalized = match c {
            ',' | ':' | ';' | '!' | '?' if before().is_some_and(is_chinese) => full_width(c),
            '(' if text[next..]
                .chars()
                .next()
                .is_some_and(|a| is_han(a) || a == '“') =>
            {
                '（'
            }
            ')' if before().is_some_and(is_chinese) => '）',
            '\u{FF01}'..='\u{FF5E}' if is_full_width_alnum(c) => half_width(c),
            '\u{3000}' => ' ',
            _ => c,
        };
        if normalized != c {
            changed += 1;
            out.push_str(&text[copied..at]);
            out.push(normalized);
            copied = next;
        }
        at = next;
    }
    out.push_str(&text[copied..]);
    (out, changed)
}

fn is_chinese(c: char) -> bool {
    is_han(c) || matches!(c, '”' | '’' | '）' | '》' | '」' | '』' | '】')
}

fn full_width(c: char) -> char {
    char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)
}

fn is_full_width_alnum(c: char) -> bool {
    let half = half_width(c);
    half.is_ascii_alphanumeric() || half == '%' || half == '.'
}

fn half_width(c: char) -> char {
    char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_broken_across_lines_is_joined() {
        let text = "第一，必须以产业项目为核心支撑，全力筑牢经济发展的“压舱石”。发展是第\n一要务，项目是第一载体。";
        assert_eq!(
            join_broken_lines(text),
            ("第一，必须以产业项目为核心支撑，全力筑牢经济发展的“压舱石”。发展是第一要务，项目是第一载体。".into(), 1)
        );
    }

    #[test]
    fn headings_and_salutations_keep_their_breaks() {
        let text = "在县2026年工作思路研讨会上的讲话稿\n同志们：\n一、提高站位，认清形势，深刻把握新征程上的战略定位与历史机遇\n谋划未来，首先要看清我们身处的历史方位。\n赵海东指出\n\n2020年";
        assert_eq!(join_broken_lines(text), (text.into(), 0));
    }

    #[test]
    fn punctuation_in_chinese_becomes_full_width() {
        let (text, n) = normalize_punctuation("奋力“双过半”, 勇夺“全年胜”! 会议(完)(王志超)(2020)(AI)，ＧＤＰ增长６％,a,b，任务),“宽松”),");
        assert_eq!(text, "奋力“双过半”， 勇夺“全年胜”！ 会议（完）（王志超）(2020)(AI)，GDP增长6%,a,b，任务），“宽松”），");
        assert_eq!(n, 15);
    }
}
