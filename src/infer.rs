//! Stage 3: what the text says about its meeting — who held it, for which work year, on
//! which day, what kind of meeting, who spoke.
//!
//! The rules read the meeting's own announcement — the headline, the first sentences —
//! and not every place or year the report mentions: a report names the places its
//! delegation visited and the years it reviews. A fact the text does not state is left
//! unknown; nothing here guesses.

use std::sync::LazyLock;

use regex::Regex;

use crate::meeting::{Date, MeetingKind, Provenance, Sourced, Speaker, PLAUSIBLE_YEARS};

/// What inference reads: one report after cleaning.
pub struct Page<'a> {
    /// The cleaned, simplified article text.
    pub text: &'a str,
    /// The date of the page header the cleaner removed, usually the publication date.
    pub header_date: Option<Date>,
    /// The file's name without its folders.
    pub file_name: &'a str,
}

/// The facts found, each with where it was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Inferred {
    pub district: Option<Sourced<String>>,
    pub year: Option<Sourced<i32>>,
    pub date: Option<Sourced<Date>>,
    pub title: Option<String>,
    pub kind: MeetingKind,
    pub speakers: Vec<Speaker>,
}

/// How much of the body announces the meeting: its first sentences.
const LEAD_SENTENCES: usize = 3;

/// A headline is short.
const MAX_TITLE_CHARS: usize = 60;

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("literal regex")
}

/// Administrative suffixes, longest first so 开发区 wins over 区.
const SUFFIX: &str = "(?:经济技术开发区|高新技术产业开发区|经济开发区|高新区|开发区|经开区|新区|自治县|自治旗|林区|特区|区|县|市|旗)";

/// A holder of a meeting: a name right after a boundary, its suffix, then the verb or
/// the year of the meeting. The name is two to four characters (six for the long
/// development-zone forms), which keeps clauses like 我们在这里召开全县 out.
static HOLDER: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"(?:^|[\s，。；：！？、“”（）()《》]|日|上午|下午|晚上|近日|当天)(?P<name>(?P<base>\p{{Han}}{{2,4}}?){SUFFIX})(?:区委|县委|市委|党工委|管委会|人民政府|政府|委)?(?:隆重召开|组织召开|召开|举行|举办|\d{{4}}年)"
    ))
});

/// `红旗区委书记…`: a holder named by its secretary.
static HOLDER_BY_SECRETARY: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?:^|[\s，。；：！？、“”（）()])(?P<name>(?P<base>\p{Han}{2,4}?)(?:区|县|市|旗))委(?:副)?书记",
    )
});

/// Characters no district name has: they betray a clause caught as a name.
const NOT_IN_NAMES: &[char] = &[
    '的', '了', '在', '和', '是', '我', '们', '这', '里', '召', '开', '全', '各', '本', '该', '与',
    '及', '等', '对', '把', '将', '为',
];

/// A work year attached to a meeting's name: `2026年重点工作布置会`, `2020年全区干部大会`,
/// `2026年工作思路研讨会`, `2026年经济工作会议`.
static MEETING_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?P<before>.{0,3}?)(?P<year>\d{4})年(?P<name>[^，。；！？\d]{0,14}?(?:会议|大会|会|工作部署|重点工作))",
    )
});

/// Words before a year that make it a year under review, not the meeting's.
const REVIEW_MARKERS: [&str; 6] = ["总结", "回顾", "对照", "完成", "去年", "以来"];

/// `[YYYY年]M月D日`.
static MONTH_DAY: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?:(?P<year>\d{4})年)?(?P<month>\d{1,2})月(?P<day>\d{1,2})日"));

/// Planning next year: the sign of a year-end meeting about the coming year.
static NEXT_YEAR: LazyLock<Regex> = LazyLock::new(|| regex(r"明年|来年|新的一年"));

/// `(role)(name)(verb)`: someone who chaired or spoke. The name is the shortest two or
/// three characters that a speaking verb follows.
static SPEAKER: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?P<role>(?:(?:区|县|市|旗)?(?:委|党工委|管委会|政府)?(?:常务)?副?(?:书记|主任))|(?:常务)?副?(?:区长|县长|市长|旗长))(?P<name>\p{Han}{2,3}?)(?:主持|出席|讲话|作了|作|在会上|指出|强调|安排部署|安排|部署|宣读|通报|传达|要求|总结)",
    )
});

/// Meeting kinds by the words of their names, most specific first.
static KINDS: LazyLock<Vec<(Regex, MeetingKind)>> = LazyLock::new(|| {
    [
        (
            r"重点工作(?:部署|布置|推进|动员)?(?:大会|会议|会)",
            MeetingKind::KeyTasks,
        ),
        (r"经济工作会议?", MeetingKind::Economic),
        (r"干部大会", MeetingKind::Cadres),
        (r"常务会议", MeetingKind::GovernmentExecutive),
        (
            r"政府.{0,8}全体(?:会议)?|全体会议",
            MeetingKind::GovernmentPlenary,
        ),
        (
            r"常委(?:会)?(?:扩大)?会议|常委会",
            MeetingKind::StandingCommittee,
        ),
        (
            r"项目(?:建设|观摩|推进|集中开工).{0,6}(?:大会|会议|会)",
            MeetingKind::Projects,
        ),
        (
            r"招商引资.{0,6}(?:大会|会议|推进会|会)",
            MeetingKind::Investment,
        ),
        (r"务虚会|研讨会", MeetingKind::Retreat),
    ]
    .into_iter()
    .map(|(pattern, kind)| (regex(pattern), kind))
    .collect()
});

pub fn infer(page: &Page<'_>) -> Inferred {
    let title = title(page.text);
    let lead = lead(page.text, title.as_deref());
    let announced = [
        (title.as_deref(), Provenance::Title),
        (Some(lead.as_str()), Provenance::Body),
    ];

    let district = announced
        .iter()
        .find_map(|(text, provenance)| {
            holder(text.as_deref()?).map(|d| Sourced::new(d, *provenance))
        })
        .or_else(|| {
            file_name_district(page.file_name).map(|d| Sourced::new(d, Provenance::FileName))
        });

    let stated_date = stated_day(&lead);
    let year = announced
        .iter()
        .find_map(|(text, provenance)| {
            meeting_year(text.as_deref()?).map(|y| Sourced::new(y, *provenance))
        })
        .or_else(|| year_from_dates(&lead, stated_date, page.header_date))
        .or_else(|| file_name_year(page.file_name).map(|y| Sourced::new(y, Provenance::FileName)));

    let date = stated_date.and_then(|(explicit_year, month, day)| {
        let year = explicit_year
            .or_else(|| {
                page.header_date.map(|h| {
                    if (month, day) <= (h.month(), h.day()) {
                        h.year()
                    } else {
                        h.year() - 1
                    }
                })
            })
            // A meeting about a year's work, held before its last months, is in that year.
            .or_else(|| year.as_ref().map(|y| y.value).filter(|_| month <= 10))?;
        Date::new(year, month, day).map(|d| Sourced::new(d, Provenance::Body))
    });

    let kind = announced
        .iter()
        .find_map(|(text, _)| kind(text.as_deref()?))
        .unwrap_or(MeetingKind::Other);

    Inferred {
        district,
        year,
        date,
        title,
        kind,
        speakers: speakers(page.text),
    }
}

/// The headline: a short line near the top, without a sentence's full stop, that names a
/// meeting or a speech. An outline (【提纲】) is not one.
fn title(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(4)
        .find(|line| {
            line.chars().count() <= MAX_TITLE_CHARS
                && !line.contains('。')
                && !line.starts_with('【')
                && (line.contains('会') || line.contains("讲话"))
        })
        .map(str::to_owned)
}

/// The first sentences of the article after the headline: where a report announces its
/// meeting.
fn lead(text: &str, title: Option<&str>) -> String {
    let mut lead = String::new();
    let mut sentences = 0;
    for line in text.lines().map(str::trim) {
        if line.is_empty() || Some(line) == title || line.starts_with('【') {
            continue;
        }
        for c in line.chars() {
            lead.push(c);
            if matches!(c, '。' | '！' | '？') {
                sentences += 1;
                if sentences == LEAD_SENTENCES {
                    return lead;
                }
            }
        }
        lead.push('\n');
    }
    lead
}

fn holder(text: &str) -> Option<String> {
    HOLDER
        .captures_iter(text)
        .chain(HOLDER_BY_SECRETARY.captures_iter(text))
        .filter(|c| !c["base"].contains(NOT_IN_NAMES))
        .map(|c| c["name"].to_owned())
        .next()
}

fn meeting_year(text: &str) -> Option<i32> {
    MEETING_YEAR
        .captures_iter(text)
        .filter(|c| {
            let before = c.name("before").map_or("", |m| m.as_str());
            !REVIEW_MARKERS.iter().any(|m| before.contains(m))
        })
        .filter_map(|c| c["year"].parse().ok())
        .find(|y| PLAUSIBLE_YEARS.contains(y))
}

/// The first `[YYYY年]M月D日` of the lead, as (year if stated, month, day).
fn stated_day(lead: &str) -> Option<(Option<i32>, u32, u32)> {
    let c = MONTH_DAY.captures(lead)?;
    let year = c.name("year").and_then(|y| y.as_str().parse().ok());
    Some((year, c["month"].parse().ok()?, c["day"].parse().ok()?))
}

/// Without a year in the meeting's name, a fully stated date or the page header gives
/// the year — the next one for a year-end meeting that plans 明年.
fn year_from_dates(
    lead: &str,
    stated: Option<(Option<i32>, u32, u32)>,
    header: Option<Date>,
) -> Option<Sourced<i32>> {
    let (year, month, provenance) = match (stated, header) {
        (Some((Some(year), month, _)), _) => (year, month, Provenance::Body),
        (_, Some(h)) => (h.year(), h.month(), Provenance::Header),
        _ => return None,
    };
    let plans_next_year = month >= 11 && NEXT_YEAR.is_match(lead);
    let year = if plans_next_year { year + 1 } else { year };
    PLAUSIBLE_YEARS
        .contains(&year)
        .then(|| Sourced::new(year, provenance))
}

fn kind(text: &str) -> Option<MeetingKind> {
    KINDS
        .iter()
        .find(|(re, _)| re.is_match(text))
        .map(|(_, kind)| *kind)
}

fn speakers(text: &str) -> Vec<Speaker> {
    let mut speakers: Vec<Speaker> = Vec::new();
    for c in SPEAKER.captures_iter(text) {
        let speaker = Speaker {
            role: c["role"].to_owned(),
            name: c["name"].to_owned(),
        };
        if speaker.name.contains(NOT_IN_NAMES) {
            continue;
        }
        if !speakers.iter().any(|s| s.name == speaker.name) {
            speakers.push(speaker);
        }
    }
    speakers
}

/// The parts of a file name: `2019_丰泽区_政府全体会议.txt` → 2019, 丰泽区, 政府全体会议.
fn file_name_parts(file_name: &str) -> impl Iterator<Item = &str> {
    let stem = file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem);
    stem.split(['_', '-', ' ', '.', '，', '、'])
        .filter(|p| !p.is_empty())
}

fn file_name_year(file_name: &str) -> Option<i32> {
    file_name_parts(file_name)
        .map(|p| p.trim_end_matches('年'))
        .filter(|p| p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(|p| p.parse().ok())
        .find(|y| PLAUSIBLE_YEARS.contains(y))
}

fn file_name_district(file_name: &str) -> Option<String> {
    static NAME: LazyLock<Regex> =
        LazyLock::new(|| regex(&format!(r"^(?P<base>\p{{Han}}{{2,4}}?){SUFFIX}$")));
    file_name_parts(file_name)
        .find(|p| {
            NAME.captures(p)
                .is_some_and(|c| !c["base"].contains(NOT_IN_NAMES))
        })
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> Inferred {
        infer(&Page {
            text,
            header_date: None,
            file_name: "003_0c41b430a93a6d9e.txt",
        })
    }

    fn value<T: Clone>(s: &Option<Sourced<T>>) -> Option<T> {
        s.as_ref().map(|s| s.value.clone())
    }

    fn speaker(role: &str, name: &str) -> Speaker {
        Speaker {
            role: role.into(),
            name: name.into(),
        }
    }

    #[test]
    fn seed_000() {
        let i = page("2月25日，红谷滩区2026年重点工作布置会召开，认真总结2025年工作，科学谋划2026年工作。区委书记涂晓晖主持会议并讲话。区委副书记、区长李婷讲话。区委副书记万晓娟、区政协主席涂文坚等区四套班子成员出席。");
        assert_eq!(
            i.district,
            Some(Sourced::new("红谷滩区".into(), Provenance::Body))
        );
        assert_eq!(i.year, Some(Sourced::new(2026, Provenance::Body)));
        assert_eq!(value(&i.date), Date::new(2026, 2, 25));
        assert_eq!(i.kind, MeetingKind::KeyTasks);
        assert_eq!(
            i.speakers,
            vec![speaker("区委书记", "涂晓晖"), speaker("区长", "李婷")]
        );
        assert_eq!(i.title, None);
    }

    #[test]
    fn seed_001_title_and_header() {
        let i = infer(&Page {
            text: "奋力“双过半”， 勇夺“全年胜”！ 南昌开发区召开2020年全区干部大会\n\n6月27日下午，全区干部大会顺利召开，区党工委书记赵海东出席会议并讲话，区党工委副书记程建兵主持会议。\n回顾2019年，全面起势。",
            header_date: Date::new(2020, 7, 3),
            file_name: "001_5194929055dfe662.txt",
        });
        assert_eq!(
            i.district,
            Some(Sourced::new("南昌开发区".into(), Provenance::Title))
        );
        assert_eq!(i.year, Some(Sourced::new(2020, Provenance::Title)));
        assert_eq!(value(&i.date), Date::new(2020, 6, 27));
        assert_eq!(i.kind, MeetingKind::Cadres);
        assert_eq!(
            i.speakers,
            vec![
                speaker("区党工委书记", "赵海东"),
                speaker("区党工委副书记", "程建兵")
            ]
        );
        assert!(i
            .title
            .unwrap()
            .ends_with("南昌开发区召开2020年全区干部大会"));
    }

    #[test]
    fn seed_002_masked_county() {
        let i = page("【提纲】一、提高站位。二、聚焦重点。\n在县2026年工作思路研讨会上的讲话稿\n同志们：\n今天，我们在这里召开全县2026年工作思路研讨会，主要任务是深入学习。让生活在**的每一个人都能感受到温度。");
        assert_eq!(i.district, None);
        assert_eq!(i.year, Some(Sourced::new(2026, Provenance::Title)));
        assert_eq!(i.kind, MeetingKind::Retreat);
        assert!(i.speakers.is_empty());
        assert_eq!(i.date, None);
    }

    #[test]
    fn seed_003_no_year() {
        let i = page("11日上午，丰泽区政府召开第二次全体会议，动员各级各部门迅速紧张起来。\n区长杨国昕主持会议并讲话，区领导吴毓舟、洪武强等参加会议。\n抓紧推进生态连绵带、智慧丰泽（一期）项目建设。（王志超）");
        assert_eq!(value(&i.district).as_deref(), Some("丰泽区"));
        assert_eq!(i.year, None);
        assert_eq!(i.date, None);
        assert_eq!(i.kind, MeetingKind::GovernmentPlenary);
        assert_eq!(i.speakers, vec![speaker("区长", "杨国昕")]);
    }

    #[test]
    fn seed_004_holder_not_the_places_visited() {
        let i = page("3月21日，红旗区召开项目建设大会。区委书记刘宏锋主持会议并讲话，全区县级领导、红开区等单位负责同志参加。区长刘怀斌安排部署项目建设工作。\n会前，区委书记刘宏锋、区长刘怀斌带队到鹤壁市、长垣市、高新区考察学习。");
        assert_eq!(value(&i.district).as_deref(), Some("红旗区"));
        assert_eq!(i.year, None);
        assert_eq!(i.date, None, "a month-day with no year anywhere is no date");
        assert_eq!(i.kind, MeetingKind::Projects);
        assert_eq!(
            i.speakers,
            vec![speaker("区委书记", "刘宏锋"), speaker("区长", "刘怀斌")]
        );
    }

    #[test]
    fn a_december_meeting_planning_next_year() {
        let i = infer(&Page {
            text: "12月28日，兴宁县召开经济工作会议，总结2025年工作，部署明年工作。",
            header_date: Date::new(2025, 12, 30),
            file_name: "a.txt",
        });
        assert_eq!(i.year, Some(Sourced::new(2026, Provenance::Header)));
        assert_eq!(value(&i.date), Date::new(2025, 12, 28));
        let stated = page("2025年12月28日，兴宁县召开经济工作会议，部署明年工作。");
        assert_eq!(stated.year, Some(Sourced::new(2026, Provenance::Body)));
        assert_eq!(value(&stated.date), Date::new(2025, 12, 28));
    }

    #[test]
    fn years_in_passing_are_not_the_meetings() {
        for text in [
            "2月10日，我区召开全区干部大会。会议回顾了2025年工作：2025年，全区GDP增长6%。",
            "3月1日，全县召开会议，明确到2035年基本实现现代化，对照2020年目标查漏补缺。",
        ] {
            assert_eq!(page(text).year, None, "{text}");
            assert_eq!(page(text).district, None, "{text}");
        }
        let stated = page("2月10日，城关区召开2026年重点工作部署会。2025年，全区GDP增长6%。");
        assert_eq!(value(&stated.year), Some(2026));
    }

    #[test]
    fn file_names_are_the_weakest_source() {
        let i = infer(&Page {
            text: "会议强调，要抓好项目建设。",
            header_date: None,
            file_name: "2019_丰泽区_全体会议.txt",
        });
        assert_eq!(i.year, Some(Sourced::new(2019, Provenance::FileName)));
        assert_eq!(
            i.district,
            Some(Sourced::new("丰泽区".into(), Provenance::FileName))
        );
        let hashed = page("会议强调，要抓好项目建设。");
        assert_eq!((hashed.year, hashed.district), (None, None));
    }
}
