//! The meeting record: what one report says about who met, when, and why we believe it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize, Serializer};

use crate::clean::StepCounts;
use crate::gazetteer::UnitRef;
use crate::infer::Holder;

/// Where a metadata fact came from, strongest first. Every fact on screen carries one,
/// so a reader can tell a stated year from an inferred one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Provenance {
    /// Stated in the report's own front matter.
    FrontMatter,
    /// Stated in the corpus's `meetings.toml`.
    Manifest,
    /// Stated by a column of the report's table (`district`, `year`).
    Table,
    /// Read from the report's headline.
    Title,
    /// Read from the page furniture the cleaner took off: the header's date, a banner
    /// or source line naming the site's unit.
    Header,
    /// Read from the body of the text.
    Body,
    /// Read from the file's name, the weakest source.
    FileName,
}

impl Provenance {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Provenance::FrontMatter => "front-matter",
            Provenance::Manifest => "manifest",
            Provenance::Table => "table",
            Provenance::Title => "title",
            Provenance::Header => "header",
            Provenance::Body => "body",
            Provenance::FileName => "file-name",
        }
    }
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A metadata value together with where it was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sourced<T> {
    /// The fact itself.
    pub value: T,
    /// Where it was found.
    pub provenance: Provenance,
}

impl<T> Sourced<T> {
    /// `value`, found where `provenance` says.
    pub fn new(value: T, provenance: Provenance) -> Self {
        Sourced { value, provenance }
    }
}

/// A fact and where it came from, `红谷滩区 (body)`, as every listing of meetings shows
/// it; `unknown` when nothing gave the fact (each front end has its own mark for that).
pub fn sourced<T: fmt::Display>(field: Option<&Sourced<T>>, unknown: &str) -> String {
    field.map_or_else(
        || unknown.to_owned(),
        |f| format!("{} ({})", f.value, f.provenance),
    )
}

/// A calendar date. Only built from a day the text (or a person) states in full, so it is
/// always a real day of the Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// The years a meeting report can plausibly be about; anything else is a typo or noise.
pub const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1949..=2100;

impl Date {
    /// A date, if `year-month-day` is a real day within [`PLAUSIBLE_YEARS`].
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if !PLAUSIBLE_YEARS.contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        if day > days_in_month(year, month) {
            return None;
        }
        Some(Date {
            year,
            month: month as u8,
            day: day as u8,
        })
    }

    /// The year, e.g. 2018.
    pub fn year(self) -> i32 {
        self.year
    }
    pub(crate) fn month(self) -> u32 {
        u32::from(self.month)
    }
    pub(crate) fn day(self) -> u32 {
        u32::from(self.day)
    }

    /// Days from `earlier` to `self` (negative if `earlier` is later).
    pub fn days_after(self, earlier: Date) -> i64 {
        self.day_number() - earlier.day_number()
    }

    /// The day `days` after `self` (before, if negative), kept within
    /// [`PLAUSIBLE_YEARS`]: a window a year wide at the edge of the calendar is cut there.
    pub fn plus_days(self, days: i64) -> Date {
        // Howard Hinnant's civil_from_days.
        let z = self.day_number() + days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        let (first, last) = (*PLAUSIBLE_YEARS.start(), *PLAUSIBLE_YEARS.end());
        match i32::try_from(year) {
            Ok(y) if PLAUSIBLE_YEARS.contains(&y) => Date {
                year: y,
                month: month as u8,
                day: day as u8,
            },
            _ if days < 0 => Date::new(first, 1, 1).expect("a real day"),
            _ => Date::new(last, 12, 31).expect("a real day"),
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar: Parquet's and Arrow's
    /// DATE.
    pub fn day_number(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = String;

    /// Parses `YYYY-MM-DD` (also `YYYY/MM/DD` and `YYYY.MM.DD`).
    fn from_str(s: &str) -> Result<Date, String> {
        let parts: Vec<&str> = s.trim().split(['-', '/', '.']).collect();
        let bad = || format!("expected a date as YYYY-MM-DD, found {s:?}");
        let [y, m, d] = parts.as_slice() else {
            return Err(bad());
        };
        let (y, m, d) = (
            y.parse::<i32>().map_err(|_| bad())?,
            m.parse::<u32>().map_err(|_| bad())?,
            d.parse::<u32>().map_err(|_| bad())?,
        );
        Date::new(y, m, d).ok_or_else(|| format!("{s:?} is not a day of the calendar"))
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Someone who spoke at or chaired the meeting, e.g. (区委书记, 涂晓晖) of 360113.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Speaker {
    /// The office as the report prints it: 区委书记, 区长, 党工委副书记.
    pub role: String,
    /// The person's name as printed.
    pub name: String,
    /// The id of the unit whose office the role is: the holder's, when the office is of
    /// its level (区委书记 of a 区, 党工委书记 of a zone); None for a superior's or a
    /// neighbour's office, or when the holder is unknown.
    #[serde(default)]
    pub unit: Option<String>,
}

/// One of a unit's two top offices, whose holders the Leaders view follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Office {
    /// The party secretary: 区委书记, 县委书记, 旗委书记, 市委书记, 党工委书记 of a zone.
    Secretary,
    /// The government head: 区长, 县长, 旗长, 市长, 管委会主任 of a zone.
    Head,
}

impl Office {
    /// Both offices, secretary first.
    pub const ALL: [Office; 2] = [Office::Secretary, Office::Head];

    /// The name the command line and the exports use: `secretary`, `head`.
    pub fn as_str(self) -> &'static str {
        match self {
            Office::Secretary => "secretary",
            Office::Head => "head",
        }
    }

    /// The office a printed title is, and whether it is held acting (代区长): None for a
    /// deputy (副书记, 常务副区长), and for any other office (人大常委会主任, 政协主席, 纪委书记).
    pub fn of_title(title: &str) -> Option<(Office, bool)> {
        if title.contains('副') {
            return None;
        }
        // A head printed as the government's (县人民政府县长) is the head.
        let title = title.rsplit("政府").next().unwrap_or(title);
        let acting = title.starts_with('代');
        let rest = title.strip_prefix('代').unwrap_or(title);
        let level = |s: &str| s.chars().count() == 1 && s.chars().all(|c| LEVEL_CHARS.contains(c));
        if let Some(unit) = rest.strip_suffix("委书记") {
            let of_unit = level(unit) || unit.ends_with("党工") || unit == "自治区党";
            of_unit.then_some((Office::Secretary, false))
        } else if let Some(unit) = rest.strip_suffix('长') {
            level(unit).then_some((Office::Head, acting))
        } else if let Some(unit) = rest.strip_suffix("管委会主任") {
            (unit.is_empty() || level(unit)).then_some((Office::Head, acting))
        } else {
            None
        }
    }
}

impl fmt::Display for Office {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The characters that say whose an office is: 区委书记 of a 区, 县长 of a 县, 省长 of a 省.
pub(crate) const LEVEL_CHARS: &str = "区县市旗州盟省";

/// The holder of one of the meeting unit's top offices, as the report (or a person)
/// names them: a sighting that [`crate::tenure`] turns into tenures.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Leader {
    /// Which office.
    pub office: Office,
    /// The person's name as printed.
    pub name: String,
    /// Held acting (代区长): a head not yet elected by the people's congress.
    pub acting: bool,
    /// Where the sighting comes from: the body, or a person's front matter or manifest.
    pub provenance: Provenance,
}

/// The genre of meeting, as the reports name it. `Other` when the text names none we know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum MeetingKind {
    /// The year's key-tasks meeting: 重点工作部署会, 重点工作推进会.
    #[serde(rename = "重点工作部署会")]
    KeyTasks,
    /// The economic work conference: 经济工作会议.
    #[serde(rename = "经济工作会议")]
    Economic,
    /// A meeting of the unit's cadres: 干部大会, 干部会议.
    #[serde(rename = "干部大会")]
    Cadres,
    /// The government's plenary session: 区政府全体会议.
    #[serde(rename = "政府全体会议")]
    GovernmentPlenary,
    /// The government's executive meeting: 区政府常务会议, 常务会.
    #[serde(rename = "政府常务会议")]
    GovernmentExecutive,
    /// The party committee's standing committee: 区委常委会会议, 常委扩大会议.
    #[serde(rename = "常委会会议")]
    StandingCommittee,
    /// On construction projects: 项目建设推进会, 项目观摩会.
    #[serde(rename = "项目建设推进会")]
    Projects,
    /// On attracting investment: 招商引资大会, 招商引资推进会.
    #[serde(rename = "招商引资会议")]
    Investment,
    /// A retreat or seminar on where the work should go: 务虚会, 研讨会.
    #[serde(rename = "务虚会/研讨会")]
    Retreat,
    /// A party committee's plenary: 区委全会, 全委（扩大）会议.
    #[serde(rename = "党委全会")]
    PartyPlenary,
    /// The head's or secretary's office meeting: 区长办公会议, 碰头会.
    #[serde(rename = "办公会/碰头会")]
    OfficeMeeting,
    /// A scheduling or coordination meeting: 调度会, 协调会.
    #[serde(rename = "调度会")]
    Scheduling,
    /// A meeting on one subject: 专题会, 安全生产工作会议, 稳定工作会议.
    #[serde(rename = "专题会议")]
    Thematic,
    /// On site: 现场会, 观摩会, 集中观摩.
    #[serde(rename = "现场会/观摩会")]
    OnSite,
    /// A survey or forum: 调研, 座谈会.
    #[serde(rename = "座谈会/调研")]
    Symposium,
    /// The leading group's study session: 理论学习中心组学习.
    #[serde(rename = "中心组学习会")]
    StudySession,
    /// A zone's party working committee or administrative committee: 党工委（扩大）会议.
    #[serde(rename = "党工委/管委会会议")]
    ZoneCommittee,
    /// An annual summing-up: 年度工作总结大会, 总结表彰大会.
    #[serde(rename = "总结大会")]
    Review,
    /// A mobilisation: 动员大会, 动员部署会.
    #[serde(rename = "动员大会")]
    Mobilisation,
    /// A congress: 党代会, 党员代表大会.
    #[serde(rename = "代表大会")]
    Congress,
    /// A party group's meeting: 政府党组会议.
    #[serde(rename = "党组会议")]
    PartyGroup,
    /// A meeting that pushes work forward: 工作推进会.
    #[serde(rename = "推进会")]
    Promotion,
    /// None of the above, or the text names no kind.
    #[serde(rename = "other")]
    Other,
}

impl MeetingKind {
    const ALL: [MeetingKind; 23] = [
        MeetingKind::KeyTasks,
        MeetingKind::Economic,
        MeetingKind::Cadres,
        MeetingKind::GovernmentPlenary,
        MeetingKind::GovernmentExecutive,
        MeetingKind::StandingCommittee,
        MeetingKind::Projects,
        MeetingKind::Investment,
        MeetingKind::Retreat,
        MeetingKind::PartyPlenary,
        MeetingKind::OfficeMeeting,
        MeetingKind::Scheduling,
        MeetingKind::Thematic,
        MeetingKind::OnSite,
        MeetingKind::Symposium,
        MeetingKind::StudySession,
        MeetingKind::ZoneCommittee,
        MeetingKind::Review,
        MeetingKind::Mobilisation,
        MeetingKind::Congress,
        MeetingKind::PartyGroup,
        MeetingKind::Promotion,
        MeetingKind::Other,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            MeetingKind::KeyTasks => "重点工作部署会",
            MeetingKind::Economic => "经济工作会议",
            MeetingKind::Cadres => "干部大会",
            MeetingKind::GovernmentPlenary => "政府全体会议",
            MeetingKind::GovernmentExecutive => "政府常务会议",
            MeetingKind::StandingCommittee => "常委会会议",
            MeetingKind::Projects => "项目建设推进会",
            MeetingKind::Investment => "招商引资会议",
            MeetingKind::Retreat => "务虚会/研讨会",
            MeetingKind::PartyPlenary => "党委全会",
            MeetingKind::OfficeMeeting => "办公会/碰头会",
            MeetingKind::Scheduling => "调度会",
            MeetingKind::Thematic => "专题会议",
            MeetingKind::OnSite => "现场会/观摩会",
            MeetingKind::Symposium => "座谈会/调研",
            MeetingKind::StudySession => "中心组学习会",
            MeetingKind::ZoneCommittee => "党工委/管委会会议",
            MeetingKind::Review => "总结大会",
            MeetingKind::Mobilisation => "动员大会",
            MeetingKind::Congress => "代表大会",
            MeetingKind::PartyGroup => "党组会议",
            MeetingKind::Promotion => "推进会",
            MeetingKind::Other => "other",
        }
    }
}

impl fmt::Display for MeetingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for MeetingKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        MeetingKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| {
                let names: Vec<&str> = MeetingKind::ALL.iter().map(|k| k.as_str()).collect();
                format!(
                    "unknown meeting kind {s:?}; expected one of {}",
                    names.join(", ")
                )
            })
    }
}

/// One meeting: what we know of it and where each fact came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    /// Path relative to the corpus root, '/'-separated.
    pub file: String,
    /// The unit that held the meeting, as the gazetteer knows it, with the name printed.
    pub district: Option<Sourced<Holder>>,
    /// The units the holder's name fits when nothing decides between them (the district
    /// is then unknown).
    pub candidates: Vec<UnitRef>,
    /// The work year the meeting is about: usually the year it met, the next one for a
    /// December meeting that plans 明年.
    pub year: Option<Sourced<i32>>,
    /// The day the meeting met.
    pub date: Option<Sourced<Date>>,
    /// The report's headline.
    pub title: Option<String>,
    /// The genre of meeting.
    pub kind: MeetingKind,
    /// Who chaired or spoke, in the order the text names them.
    pub speakers: Vec<Speaker>,
    /// Who holds the holder's top offices, as the report names them (or a person states),
    /// in the order first named; two names in one office are both kept, for the tenures
    /// to flag.
    #[serde(default)]
    pub leaders: Vec<Leader>,
    /// Han characters of the cleaned text: the denominator of every density.
    pub chars: usize,
    /// The encoding the file was in, as encoding_rs names it.
    pub encoding: String,
    /// Whether the original was in traditional characters (converted before reading).
    pub was_traditional: bool,
    /// What each cleaning step did to the text.
    pub steps: StepCounts,
    /// Who stated the metadata, from front matter or the manifest.
    pub source: Option<String>,
    /// A person's note on the report, from front matter or the manifest.
    pub note: Option<String>,
    /// What a reader should know before trusting this record.
    pub warnings: Vec<String>,
}

impl Meeting {
    /// The unit as a citation names it: `红谷滩区 360113` (a zone without a code by its
    /// id), `—` when unknown.
    pub fn unit_cited(&self) -> String {
        self.district.as_ref().map_or_else(
            || "—".to_owned(),
            |d| {
                let unit = &d.value.unit;
                format!("{} {}", unit.name, unit.code.as_deref().unwrap_or(&unit.id))
            },
        )
    }

    /// The district as listings show it: unit, prefecture and source (`鼓楼区 福州市
    /// (body)`), `(ambiguous: N)` when its name fits N units, else `unknown`.
    pub fn district_shown(&self, unknown: &str) -> String {
        match &self.district {
            Some(d) => format!("{} ({})", d.value.unit.label(), d.provenance),
            None if !self.candidates.is_empty() => {
                format!("(ambiguous: {})", self.candidates.len())
            }
            None => unknown.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fact_is_shown_with_its_source() {
        let district = Sourced::new("红谷滩区".to_owned(), Provenance::Body);
        assert_eq!(sourced(Some(&district), "?"), "红谷滩区 (body)");
        let year = Sourced::new(2018, Provenance::Manifest);
        assert_eq!(sourced(Some(&year), "—"), "2018 (manifest)");
        assert_eq!(sourced(None::<&Sourced<i32>>, "—"), "—");
    }

    #[test]
    fn dates_are_real_days() {
        assert_eq!(Date::new(2024, 2, 29).unwrap().to_string(), "2024-02-29");
        assert!(Date::new(2026, 2, 29).is_none());
        assert!(Date::new(2026, 2, 30).is_none());
        assert!(Date::new(0, 1, 1).is_none());
        assert!(Date::new(99999, 1, 1).is_none());
        assert_eq!(
            "2020/7/3".parse::<Date>().unwrap().to_string(),
            "2020-07-03"
        );
        assert!("2026-02-30".parse::<Date>().is_err());
    }

    #[test]
    fn days_are_added_across_months_years_and_leap_days() {
        let d = |y, m, dd| Date::new(y, m, dd).unwrap();
        assert_eq!(d(2024, 2, 28).plus_days(1), d(2024, 2, 29));
        assert_eq!(d(2024, 2, 29).plus_days(365), d(2025, 2, 28));
        assert_eq!(d(2026, 1, 3).plus_days(-4), d(2025, 12, 30));
        assert_eq!(d(2020, 6, 1).plus_days(-365), d(2019, 6, 2));
        assert_eq!(
            d(1949, 3, 1).plus_days(-365),
            d(1949, 1, 1),
            "cut at the edge"
        );
        for n in [-1000, -1, 0, 1, 59, 366, 10_000] {
            assert_eq!(d(2017, 5, 25).plus_days(n).days_after(d(2017, 5, 25)), n);
        }
    }

    #[test]
    fn days_between_dates() {
        let d = |y, m, dd| Date::new(y, m, dd).unwrap();
        assert_eq!(d(2026, 1, 3).days_after(d(2025, 12, 30)), 4);
        assert_eq!(d(2024, 3, 1).days_after(d(2024, 2, 28)), 2, "leap year");
        assert_eq!(d(1970, 1, 1).days_after(d(1970, 1, 1)), 0);
        assert_eq!(d(2017, 5, 25).days_after(d(2016, 6, 29)), 330);
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in MeetingKind::ALL {
            assert_eq!(kind.as_str().parse::<MeetingKind>().unwrap(), kind);
        }
    }
}
