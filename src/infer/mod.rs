//! Stage 3: what a report says about its own meeting. From the cleaned text (and, more
//! weakly, the page header's date and the file's name) we read who held the meeting, the
//! work year it is about, the day it met, its headline, its kind and who chaired or spoke.
//!
//! The rules are narrow on purpose. Reports mention other places and other years all the
//! time (a review of last year's figures, targets for 2035, a study tour to a neighbouring
//! county), so a fact is taken only from where a report states it about its own meeting:
//! the headline and the sentence that announces the meeting. When those say nothing, the
//! fact stays unknown rather than guessed.

pub mod holder;
mod people;

use std::sync::LazyLock;

use regex::Regex;

use crate::gazetteer::{Gazetteer, UnitRef};
use crate::meeting::{Date, MeetingKind, Provenance, Sourced, Speaker, PLAUSIBLE_YEARS};
pub use holder::Holder;
pub use people::Officer;

/// What inference reads: one report after cleaning (boilerplate removed, simplified,
/// punctuation normalised).
pub struct Page<'a> {
    /// The article text, lines separated by '\n'. Full-width punctuation is kept as the
    /// text has it; ASCII ',' and '(' ')' around Han text have become full-width. Either
    /// form is accepted anyway.
    pub text: &'a str,
    /// The date of a web-page header line the cleaner removed: usually the publication
    /// date, a few days after the meeting.
    pub header_date: Option<Date>,
    /// The page furniture the cleaner removed, a line each: banners and source lines
    /// name the site's unit.
    pub furniture: &'a str,
    /// The file's name without directories, e.g. "2019_丰泽区_政府全体会议.txt".
    pub file_name: &'a str,
    /// A headline given apart from the text (a table's title column), cleaned: the
    /// headline whatever its shape. The text starts with it as well.
    pub title: Option<&'a str>,
}

/// What the report says about itself, each fact with where it was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Inferred {
    /// The unit that held the meeting, when the page (or the file's name) decides it.
    pub district: Option<Sourced<Holder>>,
    /// The units the holder's name fits when nothing on the page decides between them.
    pub candidates: Vec<UnitRef>,
    /// The work year the meeting is about.
    pub year: Option<Sourced<i32>>,
    /// The day it met.
    pub date: Option<Sourced<Date>>,
    /// The report's headline, if it has one.
    pub title: Option<String>,
    /// What kind of meeting the text says it was.
    pub kind: MeetingKind,
    /// Who chaired or spoke, with their offices.
    pub speakers: Vec<Speaker>,
    /// Everyone named in office, whoever's the office is: ingest keeps the holder's.
    pub officers: Vec<Officer>,
}

/// What `page` says about its own meeting.
pub fn infer(page: &Page) -> Inferred {
    let layout = Layout::read(page.text, page.title);
    let people = people::read_people(page.text);
    let from_file = FileNameFacts::read(page.file_name);
    let mention = layout.date_mention();
    // A header months after the meeting's own month-day is stale (a page's date of
    // today, a yearbook's): it dates nothing, and gives no year either.
    let header_date = page
        .header_date
        .filter(|&h| mention.is_none_or(|m| m.year.is_some() || m.dated_by(h).is_some()));
    let meeting_day = mention.and_then(|m| m.meeting_day(header_date));
    let year = infer_year(&layout, page.text, meeting_day, header_date, from_file.year);
    let date = mention.and_then(|m| m.resolve(header_date, year.as_ref()));
    let identified = holder::identify(&holder::PageParts {
        title: layout.title,
        opening: &layout.opening,
        announcement: layout.announcing_clause(),
        text: page.text,
        furniture: page.furniture,
        year: year.as_ref().map(|y| y.value),
    });
    let district = identified
        .holder
        .map(|(holder, at)| {
            let provenance = match at {
                holder::Where::Title => Provenance::Title,
                holder::Where::Furniture => Provenance::Header,
                holder::Where::Body => Provenance::Body,
            };
            Sourced::new(holder, provenance)
        })
        .or_else(|| {
            (identified.candidates.is_empty())
                .then_some(from_file.district)
                .flatten()
                .map(|d| Sourced::new(d, Provenance::FileName))
        });
    Inferred {
        district,
        candidates: identified.candidates,
        year,
        date,
        title: layout.title.map(str::to_owned),
        kind: infer_kind(&layout),
        speakers: people.speakers,
        officers: people.officers,
    }
}

// ---------------------------------------------------------------------------------------
// Layout: the headline and the opening of the body.

/// Lines searched for a headline: it sits above the body, after at most a few lines of
/// page furniture.
const TITLE_SEARCH_LINES: usize = 5;
/// Longer lines are paragraphs, not headlines.
const TITLE_MAX_CHARS: usize = 60;
/// Sentences of the body searched for the announcement and the holder: reports introduce
/// their meeting at once, and later sentences name other places and meetings.
const OPENING_SENTENCES: usize = 6;

const SENTENCE_ENDS: [char; 5] = ['。', '！', '？', '!', '?'];
const CLAUSE_ENDS: [char; 6] = ['，', ',', '；', ';', '：', ':'];

/// Words that make a line or sentence about a meeting: its name or the act of holding it.
static MEETING_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        "会议|大会|全会|常委会|",
        "(?:部署|布置|推进|研讨|务虚|座谈|调度|观摩|动员|工作|推介|总结|表彰|交流|",
        "见面|汇报|誓师|培训|分析|讲评|联席)会",
    ))
    .unwrap()
});
static ANNOUNCE_VERB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("召开|举行|举办|开幕").unwrap());
/// What a headline names: a meeting, or a speech given at one.
static TITLE_MARK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("召开|举行|会上|讲话|致辞|发言").unwrap());

/// How a report is laid out: an optional headline, then the body.
struct Layout<'a> {
    title: Option<&'a str>,
    /// The first sentences of the body, where a report introduces its meeting.
    opening: Vec<&'a str>,
}

impl<'a> Layout<'a> {
    /// The layout of `text`, whose headline is `given` if one is.
    fn read(text: &'a str, given: Option<&'a str>) -> Self {
        // Only the top of a report is read: the lines a headline may stand on, then as
        // many as hold the opening sentences.
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        let top: Vec<&str> = lines.by_ref().take(TITLE_SEARCH_LINES).collect();
        let title = given.or_else(|| find_title(&top));
        let opening = top
            .into_iter()
            .chain(lines)
            .filter(|&l| Some(l) != title && !is_outline(l))
            .flat_map(|l| l.split(SENTENCE_ENDS))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .take(OPENING_SENTENCES)
            .collect();
        Layout { title, opening }
    }

    /// Where in the opening the meeting is announced: the first sentence that holds or
    /// names a meeting.
    fn announcement_index(&self) -> Option<usize> {
        self.opening.iter().position(|s| is_about_meeting(s))
    }

    fn announcement(&self) -> Option<&'a str> {
        self.announcement_index().map(|i| self.opening[i])
    }

    /// The clause of the announcement that holds or names the meeting: where the meeting's
    /// own name is, apart from the agenda that follows it. A report that announces no
    /// meeting (区委书记带领…集中观摩) has its first clause of substance instead.
    fn announcing_clause(&self) -> Option<&'a str> {
        const SUBSTANCE_CHARS: usize = 8;
        match self.announcement() {
            Some(sentence) => sentence.split(CLAUSE_ENDS).find(|c| is_about_meeting(c)),
            None => self
                .opening
                .first()?
                .split(CLAUSE_ENDS)
                .find(|c| c.chars().count() > SUBSTANCE_CHARS),
        }
    }

    /// The first day stated where the meeting is introduced: the headline, else the
    /// opening up to the announcement (a date may stand on its own line above it).
    fn date_mention(&self) -> Option<DateMention> {
        if let Some(m) = self
            .title
            .and_then(|t| DateMention::find(t, Provenance::Title))
        {
            return Some(m);
        }
        let last = self.announcement_index().unwrap_or(0);
        self.opening
            .iter()
            .take(last + 1)
            .find_map(|s| DateMention::find(s, Provenance::Body))
    }
}

fn is_about_meeting(s: &str) -> bool {
    ANNOUNCE_VERB.is_match(s) || MEETING_WORD.is_match(s)
}

/// An outline printed above a speech: it names the speech's points, not the meeting.
fn is_outline(line: &str) -> bool {
    line.starts_with("【提纲】")
}

/// The headline: a short line near the top, above the first sentence of prose, that names
/// a meeting or a speech.
fn find_title<'a>(lines: &[&'a str]) -> Option<&'a str> {
    for &line in lines.iter().take(TITLE_SEARCH_LINES) {
        if is_outline(line) {
            continue;
        }
        if line.contains('。') {
            // The body has begun; a headline never comes after it.
            return None;
        }
        let names_meeting = MEETING_WORD.is_match(line) || TITLE_MARK.is_match(line);
        if names_meeting && line.chars().count() <= TITLE_MAX_CHARS {
            return Some(line);
        }
    }
    None
}

// ---------------------------------------------------------------------------------------
// Kind.

static KINDS: LazyLock<Vec<(MeetingKind, Regex)>> = LazyLock::new(|| {
    // Where several kinds are named, the one named first is the meeting's; at one place,
    // the one listed first.
    [
        (MeetingKind::KeyTasks, "重点工作(?:部署|布置|推进)大?会"),
        (MeetingKind::Economic, "经济工作(?:大会|会议)"),
        (MeetingKind::Review, "(?:工作)?总结(?:表彰|暨表彰)?大会"),
        (MeetingKind::Cadres, "干部大会|干部会议|干部(?:电视电话)?会议"),
        // 丰泽区政府召开第二次全体会议: the organ and the plenary may stand apart.
        (MeetingKind::GovernmentPlenary, "政府[^，。；,;]{0,12}?全体"),
        (MeetingKind::PartyGroup, "党组(?:[（(]?扩大[)）]?)?会议"),
        (MeetingKind::GovernmentExecutive, "常务会议|常务会"),
        (
            MeetingKind::ZoneCommittee,
            "党工委[^，。；,;]{0,8}?会议?|管委会(?:[（(]?扩大[)）]?)?会议|党工委会",
        ),
        (
            MeetingKind::PartyPlenary,
            "全会|全委(?:[（(]?扩大[)）]?)?会议?|委员会第[^，。；]{1,6}次全体|委[^，。；,;]{0,10}?全体(?:[（(]?扩大[)）]?)?会议",
        ),
        (
            MeetingKind::StandingCommittee,
            "常委会|常委(?:[（(]?扩大[)）]?)?会议?|常务委员会",
        ),
        (MeetingKind::Congress, "代表大会|党代会"),
        (MeetingKind::StudySession, "中心组[^，。；,;]{0,12}?学习|集体学习|学习会"),
        (
            MeetingKind::Projects,
            "项目(?:建设|观摩|推进|调度|攻坚){1,3}大?会",
        ),
        (
            MeetingKind::Investment,
            "招商引资(?:工作)?(?:大会|会议|推进会)",
        ),
        (MeetingKind::OfficeMeeting, "办公会|碰头会|联席会"),
        (MeetingKind::Scheduling, "调度会|调度工作会|协调会|会商会"),
        (MeetingKind::OnSite, "现场会|观摩会|观摩|现场推进会|过堂会|讲评会"),
        (MeetingKind::Mobilisation, "动员(?:部署)?(?:大会|会议?)|誓师大会"),
        (MeetingKind::Symposium, "座谈会|调研"),
        (MeetingKind::Retreat, "务虚会|研讨会"),
        (MeetingKind::Promotion, "推进(?:大会|会议|会)|部署会|布置会|推进工作会"),
        (
            MeetingKind::Thematic,
            "专题(?:会议|会)|工作(?:会议|大会|会)|领导小组(?:[^，。；,;]{0,10}?)会议|电视电话会议",
        ),
    ]
    .into_iter()
    .map(|(kind, pattern)| (kind, Regex::new(pattern).unwrap()))
    .collect()
});

/// The kind named by the headline, else by the announcing clause. Words anywhere else in
/// the body (中央经济工作会议精神) are other meetings.
fn infer_kind(layout: &Layout) -> MeetingKind {
    layout
        .title
        .and_then(kind_named_in)
        .or_else(|| layout.announcing_clause().and_then(kind_named_in))
        .unwrap_or(MeetingKind::Other)
}

/// The kind whose name comes first in `s`: in 常委会会议暨项目推进会 the meeting is the
/// standing committee's.
pub fn kind_named_in(s: &str) -> Option<MeetingKind> {
    KINDS
        .iter()
        .filter_map(|(kind, re)| re.find(s).map(|m| (m.start(), *kind)))
        .min_by_key(|&(start, _)| start)
        .map(|(_, kind)| kind)
}

// ---------------------------------------------------------------------------------------
// Year.

static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:^|\D)(\d{4})年").unwrap());
/// A sentence that declares the year: "2026年，是…开局之年".
static YEAR_STATEMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[，。；！？,;!?\n])\s*(\d{4})年[，,]?\s*(?:是|既是|也是|将是|仍然是|仍是|依然是|更是)").unwrap()
});
/// What makes a sentence about a year look back on it: 过去, 经受, 取得了.
static PAST_MARKS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("过去|经受|经历|取得|实现了|极不平凡|刚刚|了").unwrap());
/// How far after "YYYY年" a meeting's name may end: 2020年全区干部大会, 2026年工作思路研讨会.
const NAME_AFTER_YEAR_CHARS: usize = 24;

fn plausible_year(digits: &str) -> Option<i32> {
    digits.parse().ok().filter(|y| PLAUSIBLE_YEARS.contains(y))
}

/// The years in `s` that belong to a meeting's name, with the byte offset of each: the
/// rest of the year's clause names a meeting (2026年重点工作布置会) and is not a meeting
/// being studied (2025年中央经济工作会议精神). "总结2025年工作" and "到2035年" name none.
fn named_years(s: &str) -> impl Iterator<Item = (usize, i32)> + '_ {
    YEAR.captures_iter(s).filter_map(move |caps| {
        let digits = caps.get(1)?;
        let rest = &s[caps.get(0)?.end()..];
        // 2025年12月28日 is a day, not a name; 2020年度第18次常委会 and 2019年第1次党工委
        // 会议 are names with ordinals in them, so only another year ends the clause.
        if DAY_AFTER_YEAR.is_match(rest) {
            return None;
        }
        let clause_end = rest
            .char_indices()
            .find(|&(i, c)| {
                CLAUSE_ENDS.contains(&c)
                    || SENTENCE_ENDS.contains(&c)
                    || YEAR_START.is_match(&rest[i..])
            })
            .map_or(rest.len(), |(i, _)| i);
        let clause: String = rest[..clause_end]
            .chars()
            .take(NAME_AFTER_YEAR_CHARS)
            .collect();
        // 2025年中央经济工作会议精神 is studied; a 2025年工作总结会 sums up the year before
        // the one it works on.
        let names_meeting =
            MEETING_WORD.is_match(&clause) && !clause.contains("精神") && !clause.contains("总结");
        if !names_meeting {
            return None;
        }
        Some((digits.start(), plausible_year(digits.as_str())?))
    })
}

/// A month and day right after a year: the year is a date's.
static DAY_AFTER_YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{1,2}月").unwrap());
/// Another year starting here.
static YEAR_START: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{4}年").unwrap());

fn first_named_year(s: &str) -> Option<i32> {
    named_years(s).next().map(|(_, year)| year)
}

/// A year whose work is being planned or carried out: 谋划2026年工作, 对2012年全区维稳
/// 工作进行安排部署, 2018年的工作任务, 2022年实事项目, 确保我区2024年重点项目.
static PLANNED_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        // What stands between the year and the work: 全区, 经济社会发展的主要, 河长制, 审计.
        r"(\d{4})年度?[^，。；：、！？\d\s《》“”（）()]{0,12}?",
        r"(?:工作要点|工作任务|工作安排|工作计划|工作举措|工作|目标任务|任务|计划安排|计划|要点|重点项目|实事项目|项目|预期目标|主要预期指标|预期指标|总体要求)",
    ))
    .unwrap()
});
/// What makes a year's work a review, not a plan: before it in its clause (回顾2017年,
/// 总结2025年工作, 学习2025年中央经济工作会议精神) or after it (2021年实事项目完成情况).
static REVIEWED_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("回顾|总结|过去|去年|上年|到|截至|自|以来|学习|传达").unwrap());
static REVIEWED_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[^，。；]{0,12}?(?:完成情况|执行情况|落实情况|总结|回顾|成绩|成效|以来|考核)")
        .unwrap()
});

/// The first year and dash of a span of years, right before its last.
static SPAN_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d{4}\s*[-—–~～至到]\s*$").unwrap());

/// The latest year the text plans or carries out work for, if it states one.
fn planned_year(text: &str) -> Option<i32> {
    PLANNED_YEAR
        .captures_iter(text)
        .filter_map(|caps| {
            let whole = caps.get(0)?;
            let before = &text[crate::text::clause_start(text, whole.start())..whole.start()];
            let after = &text[whole.end()..];
            // 2017-2018年 is a span of years, not one year's work.
            let span = SPAN_BEFORE.is_match(before);
            let reviewed =
                span || REVIEWED_BEFORE.is_match(before) || REVIEWED_AFTER.is_match(after);
            (!reviewed)
                .then(|| plausible_year(caps.get(1)?.as_str()))
                .flatten()
        })
        .max()
}

/// A December meeting that plans 明年 is about the next year's work. None when that is
/// past the plausible years (a December 2100 meeting): no year is better than 2101.
fn work_year(day: Date, plans_next_year: bool) -> Option<i32> {
    let year = if day.month() == 12 && plans_next_year {
        day.year() + 1
    } else {
        day.year()
    };
    PLAUSIBLE_YEARS.contains(&year).then_some(year)
}

/// The work year. A year in the meeting's own name decides (headline first, then the
/// announcement). Otherwise the weaker signals — a sentence declaring the year, the
/// meeting's day, the header's date — must agree; when they conflict the year is unknown.
/// The file name decides only when the text gives no year, or breaks a tie between years
/// the text offers; it never overrides the text.
fn infer_year(
    layout: &Layout,
    text: &str,
    meeting_day: Option<(Date, Provenance)>,
    header: Option<Date>,
    file_year: Option<i32>,
) -> Option<Sourced<i32>> {
    if let Some(year) = layout.title.and_then(first_named_year) {
        return Some(Sourced::new(year, Provenance::Title));
    }
    if let Some(year) = layout.announcement().and_then(first_named_year) {
        return Some(Sourced::new(year, Provenance::Body));
    }
    let day = meeting_day.or(header.map(|h| (h, Provenance::Header)));
    if let Some(planned) = planned_year(text) {
        // The work the meeting plans is its year, when the day agrees: the same year, or
        // the next for a meeting from October on.
        let agrees = day.is_none_or(|(d, _)| {
            d.year() == planned || (d.year() + 1 == planned && d.month() >= 10)
        });
        if agrees {
            return Some(Sourced::new(planned, Provenance::Body));
        }
    }
    let mut candidates: Vec<Sourced<i32>> = YEAR_STATEMENT
        .captures_iter(text)
        .filter(|caps| {
            // 2011年是…经受重大考验、实现重大突破的一年 looks back: the year reviewed.
            let rest = caps.get(0).map_or("", |m| &text[m.end()..]);
            let statement = rest.split(SENTENCE_ENDS).next().unwrap_or("");
            let head: String = statement
                .chars()
                .take(crate::text::CLAUSE_MAX_CHARS)
                .collect();
            !PAST_MARKS.is_match(&head)
        })
        .filter_map(|caps| plausible_year(caps.get(1)?.as_str()))
        .map(|year| Sourced::new(year, Provenance::Body))
        .collect();
    if let Some((day, provenance)) = day {
        if let Some(year) = work_year(day, text.contains("明年")) {
            candidates.push(Sourced::new(year, provenance));
        }
    }
    match candidates.first() {
        Some(first) if candidates.iter().all(|c| c.value == first.value) => Some(first.clone()),
        _ => file_year
            .filter(|&y| candidates.is_empty() || candidates.iter().any(|c| c.value == y))
            .map(|y| Sourced::new(y, Provenance::FileName)),
    }
}

// ---------------------------------------------------------------------------------------
// Date.

/// "2020年6月27日", "6月27日", "6月27号".
static DAY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|\D)(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]").unwrap());

/// A day as the text states it, perhaps without its year.
#[derive(Debug, Clone, Copy)]
struct DateMention {
    year: Option<i32>,
    month: u32,
    day: u32,
    provenance: Provenance,
}

impl DateMention {
    fn find(s: &str, provenance: Provenance) -> Option<DateMention> {
        let caps = DAY.captures(s)?;
        Some(DateMention {
            year: caps.get(1).and_then(|y| plausible_year(y.as_str())),
            month: caps.get(2)?.as_str().parse().ok()?,
            day: caps.get(3)?.as_str().parse().ok()?,
            provenance,
        })
    }

    /// A month-day dated by a later day: the same year unless that would put the meeting
    /// after it (a 12月30日 meeting published 2026-01-03 met in 2025). None when the
    /// meeting would be months before it: then the later day is no report's date of its
    /// meeting (a page's stale date, a yearbook's), and dates nothing.
    fn dated_by(self, later: Date) -> Option<Date> {
        /// Longest a report of a meeting comes after it.
        const REPORTED_WITHIN_DAYS: i64 = 92;
        let year = if (self.month, self.day) <= (later.month(), later.day()) {
            later.year()
        } else {
            later.year() - 1
        };
        let date = Date::new(year, self.month, self.day)?;
        (later.days_after(date) <= REPORTED_WITHIN_DAYS).then_some(date)
    }

    /// The meeting's day where the text or the header fixes its year, with the provenance
    /// of that year: what the work year may be read from.
    fn meeting_day(self, header: Option<Date>) -> Option<(Date, Provenance)> {
        match self.year {
            Some(year) => Date::new(year, self.month, self.day).map(|d| (d, self.provenance)),
            None => header
                .and_then(|h| self.dated_by(h))
                .map(|d| (d, Provenance::Header)),
        }
    }

    /// The meeting's date. A stated year decides; else the header dates it; else the work
    /// year does for January–October (a November or December meeting may plan the next
    /// year, so its calendar year is not the work year). The date is only as strong as the
    /// weaker of its two sources.
    fn resolve(
        self,
        header: Option<Date>,
        work_year: Option<&Sourced<i32>>,
    ) -> Option<Sourced<Date>> {
        if let Some(year) = self.year {
            let date = Date::new(year, self.month, self.day)?;
            return Some(Sourced::new(date, self.provenance));
        }
        if let Some(header) = header {
            let date = self.dated_by(header)?;
            return Some(Sourced::new(date, self.provenance.max(Provenance::Header)));
        }
        let work_year = work_year.filter(|_| self.month <= 10)?;
        let date = Date::new(work_year.value, self.month, self.day)?;
        Some(Sourced::new(
            date,
            self.provenance.max(work_year.provenance),
        ))
    }
}

// ---------------------------------------------------------------------------------------
// File name.

/// What a file's name states: "2019_丰泽区_政府全体会议.txt", "丰泽区-2019-xxx.md". Only
/// whole parts count, so hashes and serial numbers (003_0c41b430a93a6d9e) state nothing.
struct FileNameFacts {
    year: Option<i32>,
    district: Option<Holder>,
}

impl FileNameFacts {
    fn read(file_name: &str) -> Self {
        let stem = file_name
            .rsplit_once('.')
            .map_or(file_name, |(stem, _)| stem);
        let parts: Vec<&str> = stem
            .split(|c: char| !c.is_alphanumeric())
            .filter(|p| !p.is_empty())
            .collect();
        let year = parts.iter().find_map(|p| {
            let digits = p.strip_suffix('年').unwrap_or(p);
            (digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| plausible_year(digits))
                .flatten()
        });
        // A part that names exactly one unit of the gazetteer; a name that fits several,
        // or none, states nothing.
        let gazetteer = Gazetteer::shared();
        let district = parts
            .iter()
            .filter(|p| p.chars().any(crate::text::is_han))
            .find_map(|p| match gazetteer.resolve_stated(p)[..] {
                [unit] => Some(Holder {
                    unit: gazetteer.unit_ref(unit),
                    as_printed: (*p).to_owned(),
                }),
                _ => None,
            });
        FileNameFacts { year, district }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Provenance::{Body, FileName, Header, Title};

    const NO_FILE_FACTS: &str = "003_0c41b430a93a6d9e.txt";

    fn read(text: &str) -> Inferred {
        read_with(text, None, NO_FILE_FACTS)
    }

    fn read_with(text: &str, header_date: Option<Date>, file_name: &str) -> Inferred {
        infer(&Page {
            text,
            header_date,
            furniture: "",
            file_name,
            title: None,
        })
    }

    fn day(year: i32, month: u32, day: u32) -> Date {
        Date::new(year, month, day).unwrap()
    }

    /// The expected holder: its unit's id and where it was read.
    fn district(id: &str, provenance: Provenance) -> Option<(String, Provenance)> {
        Some((id.to_owned(), provenance))
    }

    /// The holder read: its unit's id and where it was read.
    fn held(got: &Inferred) -> Option<(String, Provenance)> {
        got.district
            .as_ref()
            .map(|d| (d.value.unit.id.clone(), d.provenance))
    }

    fn speaker(role: &str, name: &str) -> Speaker {
        Speaker {
            role: role.to_owned(),
            name: name.to_owned(),
            unit: None,
        }
    }

    // --- The seed reports -------------------------------------------------------------

    const REPORT_000: &str = "2月25日，红谷滩区2026年重点工作布置会召开，认真总结2025年工作，科学谋划2026年工作。区委书记涂晓晖主持会议并讲话。区委副书记、区长李婷讲话。区委副书记万晓娟、区政协主席涂文坚等区四套班子成员，区人民法院、区人民检察院主要负责同志，南昌未来科学城管委会领导班子成员及其他在职副县级以上领导同志出席。
会上，区领导，镇、街道、区直有关部门及区属国有企业主要负责同志作了发言。大家开门见山、紧扣主题，为做好2026年各项工作，统一了思想、凝聚了力量。
涂晓晖认真听取发言，深入分析当前全区经济社会发展态势和面临的新问题、新情况。他指出，站在“十五五”新起点上，全区上下要坚定信心、团结一心、奋发有为。
涂晓晖强调，春节假期结束，请大家即刻调整状态，收心聚力，迅速投入工作。围绕2026年的工作目标，以起步即冲刺的劲头，扎实推进各项任务。";

    #[test]
    fn report_000_key_tasks_meeting_without_headline() {
        let got = read_with(REPORT_000, None, "000_b446202f4aa57d8a.txt");
        assert_eq!(held(&got), district("360113", Body));
        assert_eq!(got.year, Some(Sourced::new(2026, Body)));
        assert_eq!(got.date, Some(Sourced::new(day(2026, 2, 25), Body)));
        assert_eq!(got.title, None);
        assert_eq!(got.kind, MeetingKind::KeyTasks);
        assert_eq!(
            got.speakers,
            [speaker("区委书记", "涂晓晖"), speaker("区长", "李婷")]
        );
    }

    const REPORT_001: &str = "科技是第一生产力、人才是第一资源、创新是第一动力 加快建设科技强国，实现高水平科技自立自强
奋力“双过半”，勇夺“全年胜”！ 南昌开发区召开2020年全区干部大会
核心提示：6月27日下午，全区干部大会顺利召开，区党工委书记赵海东出席会议并讲话，区党工委副书记程建兵主持会议。
6月27日下午，全区干部大会顺利召开，区党工委书记赵海东出席会议并讲话，区党工委副书记程建兵主持会议。区领导吴国荣，万红梅，张磊，王励，刘兴出席会议。
会上，赵海东首先代表党工委、管委会向受表彰的先进单位和先进个人表示祝贺。他表示，此次大会既是总结表彰大会，也是动员部署大会。回顾2019年，“加速转型升级、打造现代产业新城”全面起势，已成为全区上下的共识共为。
赵海东指出
2020年，面对突如其来的疫情，全区上下团结一心，攻坚克难，经济社会发展企稳回升，成绩可圈可点。";

    #[test]
    fn report_001_headline_names_holder_and_year() {
        let got = read_with(
            REPORT_001,
            Some(day(2020, 7, 3)),
            "001_5194929055dfe662.txt",
        );
        assert_eq!(
            got.title.as_deref(),
            Some("奋力“双过半”，勇夺“全年胜”！ 南昌开发区召开2020年全区干部大会")
        );
        assert_eq!(held(&got), district("360100:南昌经济技术开发区", Title));
        assert_eq!(got.year, Some(Sourced::new(2020, Title)));
        assert_eq!(got.date, Some(Sourced::new(day(2020, 6, 27), Body)));
        assert_eq!(got.kind, MeetingKind::Cadres);
        assert_eq!(
            got.speakers,
            [
                speaker("区党工委书记", "赵海东"),
                speaker("区党工委副书记", "程建兵")
            ]
        );
    }

    const REPORT_002: &str = "【提纲】一、提高站位，认清形势，深刻把握新征程上的战略定位与历史机遇。——打造“绿色低碳转型标杆”。二、聚焦重点，精准发力，奋力谱写高质量发展的崭新篇章。一要狠抓招商引资“生命线”。二要全力维护_。三、强化担当，锤炼作风。
在县2026年工作思路研讨会上的讲话稿
同志们：
今天，我们在这里召开全县2026年工作思路研讨会，主要任务是深入学习贯彻党的二十届四中全会和中央经济工作会议精神，集思广益、凝聚共识，共同谋划明年乃至“十五五”时期的发展蓝图。
2026年，是实施“十五五”规划的开局之年，也是我们向着更高发展目标迈进的关键之年。我们必须深刻认识到做好明年工作的极端重要性。
我们要聚焦“一老一小”等重点_，让生活在**的每一个人，都能感受到这座城市的温度。";

    #[test]
    fn report_002_speech_with_outline_and_masked_county() {
        let got = read_with(REPORT_002, None, "002_5477da2e9dc24219.txt");
        assert_eq!(
            got.title.as_deref(),
            Some("在县2026年工作思路研讨会上的讲话稿")
        );
        assert_eq!(held(&got), None);
        assert_eq!(got.year, Some(Sourced::new(2026, Title)));
        assert_eq!(got.date, None);
        assert_eq!(got.kind, MeetingKind::Retreat);
        assert!(got.speakers.is_empty());
    }

    const REPORT_003: &str = "11日上午，丰泽区政府召开第二次全体会议，动员各级各部门迅速紧张起来、动起来，战役式推动各项任务目标落到实处。
区长杨国昕主持会议并讲话，区领导吴毓舟、洪武强、朱长沙、洪奕蓉、邱朝阳、施蓬勃、黄琪金，区人武部部长刘进春等参加会议。
“要统一思想、形成共识、凝聚合力。”杨国昕指出，要严格落实好市政府提出的“快、准、狠、净”四个具体要求。
杨国昕要求，全区上下要突出重点、紧盯阻点。加快智慧丰泽（一期）项目建设，持续深化“放管服”改革。
时值年终岁首。会议还就确保一季度“开门红”、值守应急等工作作了部署。(王志超)";

    #[test]
    fn report_003_government_plenary_without_year() {
        let got = read_with(REPORT_003, None, "003_0c41b430a93a6d9e.txt");
        assert_eq!(held(&got), district("350503", Body));
        assert_eq!(got.year, None);
        assert_eq!(got.date, None);
        assert_eq!(got.title, None);
        assert_eq!(got.kind, MeetingKind::GovernmentPlenary);
        assert_eq!(got.speakers, [speaker("区长", "杨国昕")]);
    }

    const REPORT_004: &str = "3月21日，红旗区召开项目建设大会。区委书记刘宏锋主持会议并讲话，全区县级领导，区委各部委、区直各单位、各镇（街道）、红开区、区属国有平台公司等单位和辖区重点企业负责同志参加。会上相关镇办、区直单位和辖区2家企业负责人作交流发言。区长刘怀斌安排部署项目建设工作。
会前，区委书记刘宏锋、区长刘怀斌带队到鹤壁市、长垣市、高新区考察学习重大工业项目落位、产业链群发展等方面先进经验。
刘宏锋强调，一是对标对表、找准差距，让大家跑起来、拼起来。全力以赴冲刺今年目标任务。
大家纷纷表示本次学习考察真切地感受到了鹤壁市、长垣市、高新区在战略性新兴产业引导培育方面的飞速发展，为红旗区光电信息及智能制造产业发展提供了丰富的创新做法与经验。";

    #[test]
    fn report_004_projects_meeting_among_other_places() {
        let got = read_with(REPORT_004, None, "004_0419f1f52e015af8.txt");
        assert_eq!(held(&got), district("410702", Body));
        assert_eq!(got.year, None);
        assert_eq!(got.date, None, "a month-day with no year to date it");
        assert_eq!(got.kind, MeetingKind::Projects);
        assert_eq!(
            got.speakers,
            [speaker("区委书记", "刘宏锋"), speaker("区长", "刘怀斌")]
        );
    }

    // --- Year ---------------------------------------------------------------------------

    #[test]
    fn december_meeting_planning_next_year_is_about_next_year() {
        let text = "12月28日，安远县召开经济工作会议，总结2025年工作，部署明年工作。县委书记王建华出席会议并讲话。";
        let got = read_with(text, Some(day(2025, 12, 30)), NO_FILE_FACTS);
        assert_eq!(got.year, Some(Sourced::new(2026, Header)));
        assert_eq!(got.date, Some(Sourced::new(day(2025, 12, 28), Body)));
        assert_eq!(held(&got), district("360726", Body));
        assert_eq!(got.kind, MeetingKind::Economic);
        assert_eq!(got.speakers, [speaker("县委书记", "王建华")]);
    }

    #[test]
    fn stated_december_date_planning_next_year() {
        let text = "2025年12月28日，安远县召开经济工作会议，部署明年工作。";
        let got = read(text);
        assert_eq!(got.year, Some(Sourced::new(2026, Body)));
        assert_eq!(got.date, Some(Sourced::new(day(2025, 12, 28), Body)));
    }

    #[test]
    fn meeting_named_for_next_year_in_december() {
        let text = "2025年12月26日，安远县召开2026年经济工作会议，总结2025年工作。";
        let got = read(text);
        assert_eq!(got.year, Some(Sourced::new(2026, Body)));
        assert_eq!(got.date, Some(Sourced::new(day(2025, 12, 26), Body)));
    }

    #[test]
    fn review_of_last_years_figures_is_not_the_year() {
        let named = "1月8日，安远县召开2026年全县干部大会。\n2025年，全县GDP增长6%，到2035年基本实现现代化。";
        assert_eq!(read(named).year, Some(Sourced::new(2026, Body)));
        assert_eq!(read(named).date, Some(Sourced::new(day(2026, 1, 8), Body)));

        let only_review = "1月8日，安远县召开全县干部大会。\n2025年，全县GDP增长6%，2024年全县财政收入增长3%。回顾2024年，成绩来之不易。";
        assert_eq!(read(only_review).year, None);
        assert_eq!(read(only_review).date, None);
    }

    #[test]
    fn years_in_passing_are_not_the_year() {
        let text = "安远县召开干部大会。会议指出，要锚定到2035年基本实现现代化的远景目标，确保完成“十三五”规划2020年目标。2025年以来，全县经济稳中有进。会议学习了2025年中央经济工作会议精神。";
        assert_eq!(read(text).year, None);
    }

    #[test]
    fn a_sentence_declaring_the_year_gives_it() {
        let text = "2月5日，安远县召开全县干部大会。\n2026年，是“十五五”规划的开局之年。";
        let got = read(text);
        assert_eq!(got.year, Some(Sourced::new(2026, Body)));
        assert_eq!(got.date, Some(Sourced::new(day(2026, 2, 5), Body)));
    }

    #[test]
    fn a_year_looked_back_on_is_not_the_year() {
        let text = "1月18日，安远县召开全县干部大会。\n2025年是极不平凡的一年，全县经受了考验。2026年是开局之年。";
        assert_eq!(read(text).year, Some(Sourced::new(2026, Body)));
    }

    #[test]
    fn conflicting_years_give_none_unless_the_file_name_breaks_the_tie() {
        let text = "安远县召开全县干部大会。\n2025年是关键之年。2026年是开局之年。";
        assert_eq!(read(text).year, None);
        let got = read_with(text, None, "2026_安远县_干部大会.txt");
        assert_eq!(got.year, Some(Sourced::new(2026, FileName)));
        let got = read_with(text, None, "2019_安远县_干部大会.txt");
        assert_eq!(got.year, None, "the file name never overrides the text");
    }

    #[test]
    fn header_date_gives_the_year_when_the_text_does_not() {
        let text = "近日，安远县召开全县干部大会。";
        let got = read_with(text, Some(day(2021, 3, 2)), NO_FILE_FACTS);
        assert_eq!(got.year, Some(Sourced::new(2021, Header)));
        assert_eq!(got.date, None);
    }

    // --- Date ---------------------------------------------------------------------------

    #[test]
    fn month_day_before_a_new_year_header_belongs_to_the_year_before() {
        let text = "12月30日，安远县召开全县干部大会。";
        let got = read_with(text, Some(day(2026, 1, 3)), NO_FILE_FACTS);
        assert_eq!(got.date, Some(Sourced::new(day(2025, 12, 30), Body)));
        assert_eq!(got.year, Some(Sourced::new(2025, Header)));
    }

    #[test]
    fn late_month_day_is_not_dated_by_the_work_year() {
        let text = "11月20日，安远县召开2026年工作务虚会。";
        let got = read(text);
        assert_eq!(got.year, Some(Sourced::new(2026, Body)));
        assert_eq!(got.kind, MeetingKind::Retreat);
        assert_eq!(got.date, None);
    }

    #[test]
    fn only_the_announcing_date_counts() {
        let text = "安远县召开全县干部大会。\n会议要求，6月30日前完成各项任务。";
        assert_eq!(
            read_with(text, Some(day(2020, 7, 3)), NO_FILE_FACTS).date,
            None
        );
    }

    // --- District -----------------------------------------------------------------------

    #[test]
    fn holder_is_the_place_that_convenes() {
        let text = "近日，江西省南昌市红谷滩区召开招商引资推进会。会上，区长李婷介绍了与九江市、赣州市章贡区的合作情况。";
        let got = read(text);
        assert_eq!(held(&got), district("360113", Body));
        assert_eq!(got.kind, MeetingKind::Investment);
    }

    #[test]
    fn holder_through_its_organ_or_secretary() {
        let organ = "1月5日，丰泽区人民政府召开常务会议。";
        assert_eq!(held(&read(organ)), district("350503", Body));
        assert_eq!(read(organ).kind, MeetingKind::GovernmentExecutive);

        let secretary = "近日，全区领导干部会议召开。红旗区委书记刘宏锋出席会议并讲话。";
        assert_eq!(held(&read(secretary)), district("410702", Body));

        let development_zone = "九江市经开区召开党工委会议。";
        assert_eq!(
            held(&read(development_zone)),
            district("360400:九江经济技术开发区", Body)
        );
    }

    #[test]
    fn we_and_all_of_the_district_name_nobody() {
        let text =
            "近日，我区召开全区经济工作会议。全县上下要团结一心。区委召开常委会。县召开干部大会。";
        let got = read(text);
        assert_eq!(held(&got), None);
        assert_eq!(got.kind, MeetingKind::Economic);
    }

    #[test]
    fn masked_district_is_unknown() {
        assert_eq!(read("1月5日，**县召开经济工作会议。").district, None);
        assert_eq!(read("1月5日，XX县召开经济工作会议。").district, None);
        assert_eq!(read("1月5日，江西__县委召开常委会会议。").district, None);
    }

    #[test]
    fn file_name_is_the_last_resort() {
        let text = "近日，全区干部大会召开。";
        let got = read_with(text, None, "2019_丰泽区_政府全体会议.txt");
        assert_eq!(held(&got), district("350503", FileName));
        assert_eq!(got.year, Some(Sourced::new(2019, FileName)));

        let got = read_with(text, None, "丰泽区-2019-干部大会.md");
        assert_eq!(held(&got), district("350503", FileName));
        assert_eq!(got.year, Some(Sourced::new(2019, FileName)));

        let got = read_with(text, None, NO_FILE_FACTS);
        assert_eq!((held(&got), got.year), (None, None));

        let stated = "红旗区召开2024年全区干部大会。";
        let got = read_with(stated, None, "2019_丰泽区_干部大会.txt");
        assert_eq!(held(&got), district("410702", Body));
        assert_eq!(got.year, Some(Sourced::new(2024, Body)));
    }

    // --- Title and kind -----------------------------------------------------------------

    #[test]
    fn title_is_a_short_line_above_the_prose() {
        let long_line = format!("{}召开会议", "很长的口号".repeat(13));
        let text = format!("{long_line}\n正文开始。安远县召开干部大会。");
        assert_eq!(read(&text).title, None);

        let after_prose = "正文开始，内容很多。\n安远县召开干部大会\n";
        assert_eq!(read(after_prose).title, None);

        let slogan =
            "坚持以人民为中心 推动社会高质量发展\n安远县召开2026年项目观摩会\n1月3日，会议召开。";
        let got = read(slogan);
        assert_eq!(got.title.as_deref(), Some("安远县召开2026年项目观摩会"));
        assert_eq!(got.kind, MeetingKind::Projects);
        assert_eq!(got.date, Some(Sourced::new(day(2026, 1, 3), Body)));
    }

    #[test]
    fn kinds_are_read_from_the_meetings_own_name() {
        let cases = [
            (
                "区政府召开第三次全体（扩大）会议",
                MeetingKind::GovernmentPlenary,
            ),
            ("区委召开常委扩大会议", MeetingKind::StandingCommittee),
            ("区委常委会会议召开", MeetingKind::StandingCommittee),
            ("县召开重点工作推进会", MeetingKind::KeyTasks),
            ("县召开2025年工作务虚会", MeetingKind::Retreat),
            ("县召开项目建设推进大会", MeetingKind::Projects),
            ("县召开招商引资大会", MeetingKind::Investment),
            (
                "区委常委会会议暨项目推进会召开",
                MeetingKind::StandingCommittee,
            ),
            ("县召开安全生产会议", MeetingKind::Other),
        ];
        for (text, kind) in cases {
            assert_eq!(read(text).kind, kind, "{text}");
        }
        // A meeting studied in the body is not this meeting.
        let text = "县召开干部大会，传达学习中央经济工作会议精神。";
        assert_eq!(read(text).kind, MeetingKind::Cadres);
    }

    // --- Speakers -----------------------------------------------------------------------

    #[test]
    fn speakers_are_those_who_chair_or_speak() {
        let text = "安远县召开经济工作会议。县委副书记、县长陈明远作政府工作报告。副县长刘一鸣、县政协主席黄海出席。常务副县长孙立在会上通报了有关情况。县人大常委会主任吴刚同志主持会议。\n会议期间，黄海强调要团结一心。";
        assert_eq!(
            read(text).speakers,
            [
                speaker("县长", "陈明远"),
                speaker("常务副县长", "孙立"),
                speaker("县人大常委会主任", "吴刚"),
                speaker("县政协主席", "黄海"),
            ]
        );
    }

    #[test]
    fn verbs_and_prose_are_not_names() {
        let text = "安远县召开干部大会。会议由县长主持。县长安排部署了工作。全县长效机制要求落实。";
        assert!(read(text).speakers.is_empty());
    }
}
