//! Web page furniture around a scraped article: slogans and navigation above it, the
//! `来源/时间/阅读` header, a view count, a `核心提示` that repeats the lead, and below it
//! disclaimers, site links, licence numbers and "more news" lists.
//!
//! The rule of this module is that the article survives whole: a line is removed only
//! when it matches a furniture pattern, or when it sits above a recognised headline or
//! below a recognised page footer.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

use crate::meeting::Date;
use crate::text::any_of;

/// What was taken off a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stripped {
    pub text: String,
    /// The date of the page header, read before the header line was removed.
    pub header_date: Option<Date>,
    pub removed_lines: usize,
    /// The furniture's non-empty lines, in page order: banners, source lines and
    /// breadcrumbs name the site's own unit, which inference weighs.
    pub furniture: String,
}

/// A full date as pages print them: 2020-07-03, 2020/7/3, 2020.07.03, 2020年7月3日.
static FULL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})").expect("literal regex")
});

/// A date written day first, as some sites do: 13.08.2015.
static DAY_FIRST_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|\D)(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\D|$)").expect("literal regex")
});

/// Header fields of news sites; one line often holds several, but the line starts with
/// one (maybe in brackets or after a bullet). Anchored, because the same words end
/// article phrases: `资金来源：区财政安排` and `会议时间：3月5日` are prose, not a page header.
static HEADER_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\s•·\[【(（]*(来源|时间|发布时间|发布日期|信息时间|更新时间|发文时间|成文日期|发布机构|索引号|日期|阅读|阅读量|浏览|浏览次数|点击|点击数|访问量|作者|编辑|责任编辑|字号|字体|文章来源|信息来源)\s*[:：]")
        .expect("literal regex")
});

/// A date labelled as the page's, anywhere in a header line: `[ 字体: 大 中 小 ] 发布时间:
/// 2019-06-18`, `【信息时间::2019-06-18`, `发文时间 2024-04-04`.
static LABELLED_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:发布时间|信息时间|发布日期|更新时间|发文时间|成文日期|时间|日期)\s*[:：]*\s*(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})")
        .expect("literal regex")
});

/// Header lines are short; a longer line starting with a field name is a paragraph.
const HEADER_MAX_CHARS: usize = 120;

/// A line that is a date, maybe a time, and one short word: `2020-07-03 南昌开发区`.
static DATE_FIRST_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(\s+\d{1,2}:\d{2}(:\d{2})?)?(\s+\S{1,24})?$")
        .expect("literal regex")
});

/// A short line that is a date with at most a site or section name and a time beside it:
/// `2020-07-03 南昌开发区`, `鼓楼微讯 2023-04-16`, `民生   2025-01-16 21:40   辽宁`,
/// `13.08.2015 09:58`, `2019年06月18日 来源:`.
fn is_date_line(line: &str) -> bool {
    const DATE_LINE_MAX_CHARS: usize = 48;
    const OTHER_MAX_CHARS: usize = 24;
    if DATE_FIRST_LINE.is_match(line) {
        return true;
    }
    if line.chars().count() > DATE_LINE_MAX_CHARS
        || line.contains(['。', '，', '；', '！', '？', ','])
    {
        return false;
    }
    let Some(date) = FULL_DATE.find(line).or_else(|| DAY_FIRST_DATE.find(line)) else {
        return false;
    };
    let other = line[..date.start()]
        .chars()
        .chain(line[date.end()..].chars())
        .filter(|c| !c.is_whitespace() && !c.is_ascii_digit() && !matches!(c, ':' | '：' | '日'))
        .count();
    other <= OTHER_MAX_CHARS
}

/// A view or like count on its own line, possibly labelled.
static COUNT_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(阅读|浏览|点击|阅读量|浏览量)?\s*\d{1,8}\s*(次|人阅读|次浏览|阅读)?$")
        .expect("literal regex")
});

static LEAD_SUMMARY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(核心提示|导读|摘要|内容提要)\s*[:：]\s*(.+)$").expect("literal regex")
});

/// Words that only ever stand in a page's chrome.
const NAVIGATION: [&str; 34] = [
    "网站首页",
    "首页",
    "关于我们",
    "联系我们",
    "联系方式",
    "网站地图",
    "使用说明",
    "隐私政策",
    "推荐图文",
    "推荐资讯",
    "点击排行",
    "相关新闻",
    "相关阅读",
    "相关文章",
    "推荐阅读",
    "热点推荐",
    "上一篇",
    "下一篇",
    "返回顶部",
    "打印本页",
    "关闭窗口",
    "分享到",
    "扫一扫",
    "【打印】",
    "【关闭】",
    "打印",
    "关闭",
    "收藏",
    "当前位置",
    "您的位置",
    "更多",
    "热门文章",
    "最新文章",
    "延伸阅读",
];

/// Lines below which nothing is article any more.
const FOOTER_MARKERS: [&str; 14] = [
    "免责声明",
    "版权声明",
    "更多>",
    "更多>>",
    "相关新闻",
    "相关阅读",
    "推荐阅读",
    "推荐图文",
    "上一篇",
    "下一篇",
    "网站首页",
    "责任编辑",
    "ICP备",
    "公网安备",
];

/// Disclaimers and licence lines, wherever they stand.
const LEGAL: [&str; 10] = [
    "免责声明",
    "版权声明",
    "本网转载",
    "转载请注明",
    "如有侵权",
    "不代表本网",
    "本站文章",
    "ICP备",
    "ICP证",
    "公网安备",
];

/// Which of `lines` (the lines of `text`) hold a [`LEGAL`] marker: one search of the
/// text, not ten of each line.
fn legal_lines(text: &str, lines: &[&str]) -> Vec<bool> {
    static SEARCH: LazyLock<AhoCorasick> = LazyLock::new(|| any_of(LEGAL));
    // Where each line starts in `text`: the lines are slices of it.
    let starts: Vec<usize> = lines
        .iter()
        .map(|line| line.as_ptr() as usize - text.as_ptr() as usize)
        .collect();
    let mut legal = vec![false; lines.len()];
    for found in SEARCH.find_iter(text) {
        let line = starts
            .partition_point(|&s| s <= found.start())
            .saturating_sub(1);
        if let Some(flag) = legal.get_mut(line) {
            *flag = true;
        }
    }
    legal
}

/// How far into a page its header may stand.
const HEADER_ZONE: usize = 15;

pub fn strip(text: &str) -> Stripped {
    let lines: Vec<&str> = text.lines().collect();
    let mut keep = vec![true; lines.len()];
    let mut header_date = None;
    let legal = legal_lines(text, &lines);

    let footer = footer_start(&lines, &legal);
    for flag in keep.iter_mut().skip(footer) {
        *flag = false;
    }

    let mut last_header = None;
    // A page header stands above the article: once a paragraph has been read, a line like
    // `编辑：王某` is the byline below it, and taking it for the header would strip the
    // article above it as menus.
    let mut in_article = false;
    for (i, line) in lines.iter().enumerate().take(footer) {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if i < HEADER_ZONE && !in_article && is_header(line) {
            if header_date.is_none() {
                header_date = full_date(line);
            }
            keep[i] = false;
            last_header.get_or_insert(i);
        } else if legal[i]
            || is_furniture(line)
            || (last_header.is_some_and(|h| i <= h + 3) && COUNT_LINE.is_match(line))
            || repeats_later(line, &lines[i + 1..footer])
        {
            keep[i] = false;
        } else if is_paragraph(line) {
            in_article = true;
        }
    }
    // Above the headline that precedes a page header stand only slogans and menus.
    if let Some(header) = last_header {
        if let Some(headline) = (0..header)
            .rev()
            .find(|&i| keep[i] && !lines[i].trim().is_empty())
        {
            keep[..headline].iter_mut().for_each(|k| *k = false);
        }
    }

    let removed: Vec<&str> = lines
        .iter()
        .zip(&keep)
        .filter(|(line, kept)| !**kept && !line.trim().is_empty())
        .map(|(line, _)| line.trim())
        .collect();
    let kept: Vec<&str> = lines
        .iter()
        .zip(&keep)
        .filter_map(|(line, kept)| kept.then_some(*line))
        .collect();
    Stripped {
        text: squeeze_blank_lines(&kept),
        header_date,
        removed_lines: removed.len(),
        furniture: removed.join("\n"),
    }
}

/// A line of article prose: long, with sentences ended in it.
fn is_paragraph(line: &str) -> bool {
    const PARAGRAPH_MIN_CHARS: usize = 40;
    line.contains('。') && line.chars().count() >= PARAGRAPH_MIN_CHARS
}

/// The first line, in the last part of the page, that only a page footer has.
fn footer_start(lines: &[&str], legal: &[bool]) -> usize {
    let from = lines.len() * 3 / 5;
    (from..lines.len())
        .find(|&i| {
            let line = lines[i].trim();
            FOOTER_MARKERS.iter().any(|m| line.starts_with(m)) || legal[i]
        })
        .unwrap_or(lines.len())
}

/// A page header line; only asked of the lines near the top ([`HEADER_ZONE`]). A line
/// that ends a sentence is article prose (`时间：3月5日上午，会议要求……。`) even when it
/// starts like a header.
fn is_header(line: &str) -> bool {
    is_date_line(line)
        || ((HEADER_FIELD.is_match(line) || LABELLED_DATE.is_match(line))
            && line.chars().count() < HEADER_MAX_CHARS
            && !line.ends_with(['。', '！', '？', '；']))
}

/// The page's date in a header line: the labelled one if the line labels one (a line may
/// hold several dates), else the first.
pub(super) fn full_date(line: &str) -> Option<Date> {
    let labelled = LABELLED_DATE.captures(line).and_then(|c| c.get(1));
    let at = labelled.map_or(line, |m| m.as_str());
    let Some(caps) = FULL_DATE.captures(at) else {
        let caps = DAY_FIRST_DATE.captures(at)?;
        return Date::new(
            caps[3].parse().ok()?,
            caps[2].parse().ok()?,
            caps[1].parse().ok()?,
        );
    };
    Date::new(
        caps[1].parse().ok()?,
        caps[2].parse().ok()?,
        caps[3].parse().ok()?,
    )
}

fn is_furniture(line: &str) -> bool {
    // Menus: items separated by '|', or a line made only of navigation words.
    let bars = line.bytes().filter(|&b| b == b'|').count() + line.matches('｜').count();
    if bars >= 2 {
        return true;
    }
    if line.starts_with("当前位置") || line.starts_with("您的位置") || line.starts_with("更多>")
    {
        return true;
    }
    is_navigation(line)
}

/// A line made only of [`NAVIGATION`] words. A paragraph is told after its first few
/// characters, not read to its first space.
fn is_navigation(line: &str) -> bool {
    // Room for brackets and arrows around the longest word.
    let longest = 2 * NAVIGATION.iter().map(|w| w.len()).max().unwrap_or(0);
    let mut word_start = None;
    for (i, c) in line.char_indices().chain([(line.len(), ' ')]) {
        match (c.is_whitespace(), word_start) {
            (false, None) => word_start = Some(i),
            (false, Some(start)) if i - start > longest => return false,
            (true, Some(start)) => {
                let word = line[start..i].trim_matches(['>', '»', '【', '】']);
                if !NAVIGATION.contains(&word) {
                    return false;
                }
                word_start = None;
            }
            _ => {}
        }
    }
    true
}

/// A `核心提示` whose text the article repeats is a duplicate.
fn repeats_later(line: &str, later: &[&str]) -> bool {
    let Some(caps) = LEAD_SUMMARY.captures(line) else {
        return false;
    };
    let summary = caps[2].trim().trim_end_matches(['…', '.', '。']);
    let probe: String = summary.chars().take(30).collect();
    !probe.is_empty() && later.iter().any(|l| l.contains(&probe))
}

fn squeeze_blank_lines(lines: &[&str]) -> String {
    let mut out = String::new();
    let mut previous_blank = true;
    for line in lines {
        let blank = line.trim().is_empty();
        if blank && previous_blank {
            continue;
        }
        out.push_str(line.trim_end());
        out.push('\n');
        previous_blank = blank;
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_date_is_read_and_the_header_removed() {
        let page = "标题：某区召开会议\n来源：某区融媒体中心 发布时间：2026-02-26 10:21 阅读：1234\n\n2月25日，某区召开会议。\n区长讲话。";
        let s = strip(page);
        assert_eq!(s.header_date, Date::new(2026, 2, 26));
        assert_eq!(
            s.text,
            "标题：某区召开会议\n\n2月25日，某区召开会议。\n区长讲话。"
        );
        assert_eq!(s.removed_lines, 1);
    }

    #[test]
    fn article_lines_that_name_a_source_or_a_time_are_not_a_header() {
        let article = "某区召开项目建设推进会\n资金来源：区财政安排专项资金3000万元。\n会议时间：2024年1月2日上午，会议地点：区政府三楼会议室。\n时间：3月5日前，各单位报送项目清单。\n会议要求，加快推进重点项目。";
        let s = strip(article);
        assert_eq!(s.text, article);
        assert_eq!((s.removed_lines, s.header_date), (0, None));
    }

    #[test]
    fn a_page_header_line_is_removed_and_its_date_read() {
        let page =
            "某区召开项目建设推进会\n来源：XX网 时间：2024-01-02\n会议要求，加快推进重点项目。";
        let s = strip(page);
        assert_eq!(
            s.text,
            "某区召开项目建设推进会\n会议要求，加快推进重点项目。"
        );
        assert_eq!(s.header_date, Date::new(2024, 1, 2));
    }

    #[test]
    fn short_article_lines_are_not_furniture() {
        let article =
            "赵海东指出\n\n2020年，全区上下团结一心。\n\n机制保障\n\n●人事制度改革。\n\n（完）";
        assert_eq!(strip(article).text, article);
    }

    #[test]
    fn a_page_without_furniture_is_unchanged() {
        let article = "1\n2\n3\n会议要求，做好2026年工作。";
        let s = strip(article);
        assert_eq!(s.text, article);
        assert_eq!(s.removed_lines, 0);
    }
}
