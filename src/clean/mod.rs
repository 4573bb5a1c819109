//! Stage 2b: a decoded report made into the plain, simplified prose that inference and
//! matching read. The steps run in a fixed order, each counted, because each one's input
//! is the previous one's output: pinyin readings must go before conversion (they hide the
//! characters), conversion before the page furniture is judged (its patterns are written
//! in simplified characters), and punctuation is normalised last (the earlier steps look
//! for ASCII parentheses).

mod boilerplate;
mod html;
mod pinyin;
mod punct;
pub mod t2s;

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::meeting::Date;

/// How the file presents its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.txt`: the text as it stands.
    PlainText,
    /// `.md` or `.markdown`: its markup stripped.
    Markdown,
    /// `.html`/`.htm`: its tags removed.
    Html,
}

/// What each cleaning step did, for the record's diagnostics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepCounts {
    /// HTML tags removed.
    pub html_tags: usize,
    /// Non-empty lines of page furniture removed.
    pub boilerplate_lines: usize,
    /// Pinyin readings removed.
    pub pinyin_readings: usize,
    /// Pinyin readings damaged by mojibake, removed: the text around them is not whole.
    pub damaged_readings: usize,
    /// Characters changed by traditional → simplified conversion (0 for simplified text).
    pub converted_chars: usize,
    /// Line breaks removed inside broken paragraphs.
    pub joined_lines: usize,
    /// Punctuation, letters and digits changed to their normal width.
    pub punctuation: usize,
}

/// A report ready for inference and matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleaned {
    /// The plain, simplified prose that inference and matching read.
    pub text: String,
    /// The page header's date, if the page had one.
    pub header_date: Option<Date>,
    /// The page furniture taken off, one line each: what it says of the site's own unit
    /// (`来源：XX区人民政府网`, `欢迎进入XX区人民政府网站`) is evidence of the holder.
    pub furniture: String,
    /// Whether the original was in traditional characters.
    pub was_traditional: bool,
    /// Names masked with `**` or `_` placeholders.
    pub masked: bool,
    /// The text ends cut off (`……`).
    pub truncated: bool,
    /// What each step did.
    pub steps: StepCounts,
}

/// Cleans one report's text, in the steps' fixed order (see the module's docs).
pub fn clean(text: &str, format: Format) -> Cleaned {
    let mut steps = StepCounts::default();
    let text = match format {
        Format::Html => {
            let (text, tags) = html::html_to_text(text);
            steps.html_tags = tags;
            text
        }
        Format::Markdown => strip_markdown(text),
        // Most reports have Unix line ends: they are looked for, not copied over.
        Format::PlainText if text.contains('\r') => text.replace("\r\n", "\n").replace('\r', "\n"),
        Format::PlainText => text.to_owned(),
    };
    // Readings are annotation, not text: they go before the furniture is judged, or they
    // would stretch a header line (`2020-07-03 南昌開發區(qū)`) past the length a header
    // may have, and it would stay.
    let (text, removed) = pinyin::remove_readings(&text);
    steps.pinyin_readings = removed.readings;
    steps.damaged_readings = removed.damaged;

    // Furniture in traditional script (來源, 發布時間, 免責聲明) is only recognised once
    // converted, so conversion comes first, and its count includes the furniture's
    // characters.
    let converter = t2s::T2s::shared();
    let was_traditional = converter.is_traditional(&text);
    let text = if was_traditional {
        let simplified = converter.convert(&text);
        steps.converted_chars = text
            .chars()
            .zip(simplified.chars())
            .filter(|(a, b)| a != b)
            .count();
        simplified
    } else {
        text
    };

    let stripped = boilerplate::strip(&text);
    steps.boilerplate_lines = stripped.removed_lines;
    let text = stripped.text;

    let (text, joins) = punct::join_broken_lines(&text);
    steps.joined_lines = joins;
    let (text, changed) = punct::normalize_punctuation(&text);
    steps.punctuation = changed;

    Cleaned {
        masked: is_masked(&text),
        truncated: is_truncated(&text),
        text,
        header_date: stripped.header_date,
        furniture: stripped.furniture,
        was_traditional,
        steps,
    }
}

/// A term as the cleaned texts would hold it: simplified, its punctuation and letters
/// of the width [`clean`] gives them. What a search of cleaned texts looks for.
pub fn normal_form(term: &str) -> String {
    punct::normalize_punctuation(&t2s::T2s::shared().convert(term)).0
}

/// The day a page header's date field gives (`2018-01-12 10:21`, `2018年1月12日`): how a
/// table's date column is read, as the header line it stands for would be.
pub fn header_date_of(field: &str) -> Option<Date> {
    boilerplate::full_date(field)
}

/// Markdown's headings and emphasis are markup, not prose; `**` pairs must not read as
/// masked names.
fn strip_markdown(text: &str) -> String {
    static EMPHASIS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\*\*([^*\n]+)\*\*").expect("literal regex"));
    let text = text.replace("\r\n", "\n");
    let lines: Vec<&str> = text
        .lines()
        .map(|line| line.trim_start_matches('#').trim_start())
        .collect();
    EMPHASIS.replace_all(&lines.join("\n"), "$1").into_owned()
}

/// `**` where a name was, or `_` standing alone between Chinese words (`维护_。`,
/// `之间_流动`), not inside identifiers or URLs.
fn is_masked(text: &str) -> bool {
    static MASK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\*{2,}|＊{2,}|×{2,}|(^|[^A-Za-z0-9_])_+([^A-Za-z0-9_]|$)")
            .expect("literal regex")
    });
    // The pattern has no literal to search for first; a text without any mask character
    // (most) is told by a quick scan instead.
    ['*', '_', '＊', '×'].into_iter().any(|c| text.contains(c)) && MASK.is_match(text)
}

fn is_truncated(text: &str) -> bool {
    let end = text.trim_end();
    end.ends_with('…') || end.ends_with("...") || end.ends_with("⋯")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_and_truncation_are_flagged_not_removed() {
        let cleaned = clean(
            "让生活在**的每一个人，全力维护_。对上要积极争取政策、资金和项 ……",
            Format::PlainText,
        );
        assert!(cleaned.masked && cleaned.truncated);
        assert!(cleaned.text.contains("**") && cleaned.text.contains('_'));
        let plain = clean("snake_case 与 http://a.b/c_d 不是遮挡。", Format::PlainText);
        assert!(!plain.masked && !plain.truncated);
    }

    #[test]
    fn markdown_emphasis_is_not_masking() {
        let cleaned = clean(
            "# 红旗区召开项目建设大会\n\n**区委书记**讲话。",
            Format::Markdown,
        );
        assert_eq!(cleaned.text, "红旗区召开项目建设大会\n\n区委书记讲话。");
        assert!(!cleaned.masked);
    }

    #[test]
    fn page_furniture_in_traditional_script_is_removed() {
        let page = "豐澤區召開第二次全體會議\n來源：豐澤區融媒體中心 發布時間：2018-01-12 10:21 閱讀：1234\n11日上午，豐澤區政府召開第二次全體會議，部署項目建設。\n區長楊國昕主持會議並講話。\n責任編輯：王某\n免責聲明：本網轉載的文章不代表本網觀點。";
        let cleaned = clean(page, Format::PlainText);
        assert_eq!(
            cleaned.text,
            "丰泽区召开第二次全体会议\n11日上午，丰泽区政府召开第二次全体会议，部署项目建设。\n区长杨国昕主持会议并讲话。"
        );
        assert_eq!(cleaned.header_date, Date::new(2018, 1, 12));
        assert_eq!(cleaned.steps.boilerplate_lines, 3);
        assert!(cleaned.was_traditional);
    }

    #[test]
    fn steps_run_in_order_on_traditional_text() {
        let cleaned = clean(
            "豐澤區(qū)政府召開第二次全體會議,產(chǎn)業(yè)發(fā)展(王志超)",
            Format::PlainText,
        );
        assert_eq!(
            cleaned.text,
            "丰泽区政府召开第二次全体会议，产业发展（王志超）"
        );
        assert!(cleaned.was_traditional);
        assert_eq!(cleaned.steps.pinyin_readings, 4);
        assert_eq!(cleaned.steps.punctuation, 3);
        assert!(cleaned.steps.converted_chars >= 9);
    }
}
