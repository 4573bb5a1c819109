//! Who held the meeting: the unit of the gazetteer that the page names as its holder.
//!
//! Every place the page names — headline, page furniture (banners, source lines,
//! breadcrumbs), the opening and the body — is a candidate, weighed by how it is used:
//! as the subject that convenes (红旗区召开, 房山区委常委会召开会议), with its office
//! (红旗区委书记刘宏锋主持), or as the site's own unit (来源：丰泽区人民政府网). Places only
//! mentioned weigh little, and places whose meeting is relayed (传达南昌市委…精神) or
//! visited (赴鹤壁市考察) nothing. The self-references (我区, 全县) must agree with the
//! candidate's level; a parent named before a name (福州市鼓楼区) or elsewhere on the page
//! settles which of several same-named units it is. When nothing settles it, the holder is
//! unknown and the candidates are listed: a name is never guessed.

use std::sync::LazyLock;

use regex::Regex;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::gazetteer::{self, FormKind, Gazetteer, Level, Mention, UnitIx, UnitRef};

/// The unit that held a meeting, and the name the report printed for it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Holder {
    /// The unit, as records carry it.
    pub unit: UnitRef,
    /// As printed: 双流县 in a 2012 report of 510116, 南昌开发区 for 南昌经济技术开发区.
    pub as_printed: String,
}

impl Holder {
    /// Today's name of the unit.
    pub fn name(&self) -> &str {
        &self.unit.name
    }

    /// The unit a person stated (a name in any printed form, or a code), or why it names
    /// none: unknown (with the closest units) or ambiguous (with the units it fits).
    pub fn stated(stated: &str) -> Result<Holder, Error> {
        let gazetteer = Gazetteer::shared();
        match gazetteer.resolve_stated(stated)[..] {
            [unit] => Ok(Holder {
                unit: gazetteer.unit_ref(unit),
                as_printed: stated.to_owned(),
            }),
            [] => {
                let closest = gazetteer
                    .closest(stated, 3)
                    .into_iter()
                    .map(|ix| gazetteer.unit_ref(ix).with_parent())
                    .collect();
                Err(Error::DistrictUnknown {
                    stated: stated.to_owned(),
                    closest,
                })
            }
            ref several => {
                let units = several
                    .iter()
                    .map(|&ix| gazetteer.unit_ref(ix).with_parent())
                    .collect();
                Err(Error::DistrictAmbiguous {
                    stated: stated.to_owned(),
                    units,
                })
            }
        }
    }
}

/// What the page says of its holder: the unit, or the units a name fits when nothing
/// decides between them.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Identified {
    /// The holder, and where on the page the name that decided stood.
    pub holder: Option<(Holder, Where)>,
    /// Several units fit the holder's name (鼓楼区 alone is in four cities): listed, none
    /// chosen.
    pub candidates: Vec<UnitRef>,
}

/// Where on the page the deciding name stood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Where {
    /// The headline.
    Title,
    /// The page furniture: a banner or source line.
    Furniture,
    /// The opening of the body.
    Body,
}

/// The parts of a page holder identification reads.
pub(crate) struct PageParts<'a> {
    /// The headline, if the page has one.
    pub title: Option<&'a str>,
    /// The opening sentences of the body.
    pub opening: &'a [&'a str],
    /// The sentence that announces the meeting.
    pub announcement: Option<&'a str>,
    /// The cleaned text.
    pub text: &'a str,
    /// The page furniture the cleaner took off, a line each.
    pub furniture: &'a str,
    /// The work year, when known: a unit that did not exist then is unlikely.
    pub year: Option<i32>,
}

/// Weights of the uses of a name. The holder needs at least [`ENOUGH`].
const CONVENES_IN_TITLE: f32 = 10.0;
const CONVENES_IN_OPENING: f32 = 8.0;
const CONVENES_LATER: f32 = 2.0;
const CHAIRS_IN_OPENING: f32 = 5.0;
const OFFICE_NAMED: f32 = 2.0;
const SITE_OWN_UNIT: f32 = 4.5;
const NAMED_IN_TITLE: f32 = 1.5;
const NAMED_IN_FURNITURE: f32 = 0.5;
const NAMED: f32 = 0.25;
const ENOUGH: f32 = 3.5;
/// A name whose level disagrees with the page's self-references keeps this share.
const LEVEL_DISAGREES: f32 = 0.3;

/// The organ of a unit written after its name: 红旗区委, 丰泽区人民政府, 临河区第十四届委员会.
const ORGAN: &str = r"(?:人民政府|政府|党工委|工委|管委会|管理委员会|党委|第[^，。；：、]{1,8}?届委员会|委员会|委)?";

static CONVENES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^{ORGAN}(?:[、和及]{ORGAN})?(?:于)?(?:今天|今日|昨天|昨日|近日|日前)?(?:\d{{1,2}}月\d{{1,2}}日)?(?:上午|下午|晚上)?(?:[（(]\d{{1,2}}日[)）])?(?:隆重|顺利|正式|专题|组织|再次|集中|高规格|主持)?(?:召开|举行[^，。；]{{0,20}}?会|举办[^，。；]{{0,20}}?会)"
    ))
    .expect("literal regex")
});
/// The meeting's own name after the holder's: 红谷滩区2026年重点工作布置会, 房山区委常委会.
static NAMES_MEETING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^({ORGAN})(?:\d{{4}}年)?([^，。；：、！？]{{0,20}}?)(?:会议|大会|全会|常委会|办公会|碰头会|推进会|调度会|部署会|布置会|座谈会|现场会|观摩会|动员会|学习会|务虚会|研讨会|专题会|例会|工作会|生活会|中心组[^，。；]{{0,10}}?学习)"
    ))
    .expect("literal regex")
});
/// Whether `after` a name names the name's meeting. After a short form the organ must
/// come first (双流区委常委会), since 崇明撤县设区工作大会 is about 崇明, not by it.
/// Between the name and its meeting no one acts: 红旗区委书记刘宏锋出席会议 names a
/// person's attending, not 红旗区's meeting.
fn names_meeting(after: &str, short: bool) -> bool {
    const ACTS: [&str; 8] = ["主持", "出席", "参加", "列席", "讲话", "召开", "举行", "在"];
    NAMES_MEETING.captures(after).is_some_and(|c| {
        let organ_first = c.get(1).is_some_and(|organ| !organ.is_empty());
        let between = c.get(2).map_or("", |m| m.as_str());
        (!short || organ_first) && !ACTS.iter().any(|a| between.contains(a))
    })
}

/// Its leaders: 红旗区委书记, 丰泽区政府区长, 经开区管委会主任. Deputies are not the office.
static OFFICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:委|党工委|工委)(副)?书记|(?:人民政府|政府)?(代|副|常务副)?[区县市旗州]?长|管委会(副)?主任)")
        .expect("literal regex")
});
/// A leader's name and convening after the office: 增城区委书记赵国生主持召开区委常委会、
/// 增城经济技术开发区党工委会议 is 增城区's meeting, whichever organs sit with it.
static CHAIR_CONVENES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\p{Han}{2,4}?主持召开").expect("literal regex"));
/// What the sentence's leader does: chairing or addressing the meeting.
static CHAIRS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("主持|讲话|作报告|致辞|部署|召开").expect("literal regex"));
/// A line naming the site that published the page.
static SITE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new("来源|稿源|主办|欢迎|政府网|门户网|人民政府|发布|融媒|新闻|宣传部|网站|官网|公众号|微讯|快讯|要闻|动态")
        .expect("literal regex")
});
/// Before a place in its clause: its meeting or instructions are relayed, or it is
/// visited or compared with.
static ONLY_MENTIONED_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new("传达|学习|贯彻|落实|听取|根据|按照|前往|考察|参观|对标|借鉴|来自|(?:赴|到|与|同|和|向|及)$")
        .expect("literal regex")
});

/// A site named after its unit, wherever the page names it: 德州新闻网讯, 秀山网讯, 四川新闻网.
static SITE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new("^(?:新闻网|网讯|新闻中心|日报|发布|融媒|广播电视台|电视台|在线|年鉴)")
        .expect("literal regex")
});

/// What may follow a short form used of the page's own place (推动鄂州落地见效, 为钟楼经济
/// 发展): anything else after it may make it part of another word (大城建 is no 大城县).
static OWN_PLACE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:\P{Han}|的|之|发展|经济|落实|落地|脱贫|各项|人民|实际|大地|全域|高质量|工作|城市|",
        "乡村|建设|干部|群众|特色|品牌|样板|贡献|力量|速度|答卷|篇章|实践|现代化|振兴|产业|未来|",
        "营商|新)"
    ))
    .expect("literal regex")
});

/// What follows a short form that makes it a smaller place named after the unit
/// (永红街道, 广阳岛, 鼓楼医院), not the unit.
static SMALLER_PLACE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new("^(?:街道|镇|乡|村|社区|路|街|大街|大道|岛|湾|湖|山|河|江|桥|港|站|机场|公园|广场|园|医院|中学|小学|大学|宾馆|酒店|大厦|小区|片区|组团|板块|古城|老街)")
        .expect("literal regex")
});

/// The level character a page uses of itself (我区, 全县, 本市, 旗委书记), if one
/// dominates: a candidate that disagrees is unlikely.
fn self_level(text: &str) -> Option<char> {
    let mut counts: FxHashMap<char, usize> = FxHashMap::default();
    count_self_references(text, &mut counts);
    dominant(counts, 2)
}

/// The level counted most, if it is counted at least `at_least` times and twice as often
/// as any other.
fn dominant(counts: FxHashMap<char, usize>, at_least: usize) -> Option<char> {
    let mut ranked: Vec<(char, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    match ranked.as_slice() {
        [(c, n), rest @ ..] if *n >= at_least && rest.first().is_none_or(|(_, m)| *n >= 2 * m) => {
            Some(*c)
        }
        _ => None,
    }
}

/// Adds the self-references and unnamed organs of `text` to `counts`, by level character.
fn count_self_references(text: &str, counts: &mut FxHashMap<char, usize>) {
    let is_level = |c: char| matches!(c, '区' | '县' | '市' | '旗' | '州' | '盟' | '省');
    // The two characters before the pair, as it is read: (before the one before, before).
    let (mut earlier, mut before): (Option<char>, Option<char>) = (None, None);
    let mut chars = text.chars().peekable();
    while let Some(first) = chars.next() {
        let Some(&second) = chars.peek() else { break };
        let self_reference = matches!(first, '我' | '全' | '本') && is_level(second);
        // An organ without a name before it is the page's own: 区委副书记, 县政府常务会议,
        // 九届州委常委会; an autonomous region's is 自治区党委; 副县长 the page's own deputy.
        let unnamed = before.is_none_or(|b| !crate::text::is_han(b) || b == '届')
            || (first == '区' && earlier == Some('自') && before == Some('治'));
        let deputy_head = before == Some('副') && second == '长';
        let own_organ = is_level(first)
            && matches!(second, '委' | '政' | '长' | '党')
            && (unnamed || deputy_head);
        if self_reference {
            *counts.entry(second).or_default() += 1;
        } else if own_organ {
            *counts.entry(first).or_default() += 1;
        }
        (earlier, before) = (before, Some(first));
    }
}

/// The level of the organs, unnamed, that the headline and the announcement show holding the
/// meeting (区委召开, 县长主持召开, 在区委全会上的报告): then the unit at that level the
/// page names is its holder.
fn announcing_level(page: &PageParts) -> Option<char> {
    let mut counts = FxHashMap::default();
    for s in page.title.into_iter().chain(page.announcement) {
        count_self_references(s, &mut counts);
    }
    dominant(counts, 1)
}

/// One unit a mention may mean.
#[derive(Debug, Clone)]
struct Meaning {
    unit: UnitRef,
    /// The gazetteer's unit (for a zone, the place it is named after).
    ix: UnitIx,
    suffix: char,
    kind: FormKind,
    /// The printed name as of when: what tells 上饶市 the city from 上饶市 the county-level
    /// city that is 信州区 now.
    name_from: Option<i32>,
    name_until: Option<i32>,
}

impl Meaning {
    /// Whether the unit is of the level the page speaks of itself at, by any name it
    /// bore: 邹平 was a 县 before it was a 市, and a 2018 page says 县委 of it.
    fn agrees_with(&self, g: &Gazetteer, level: Option<char>) -> bool {
        level.is_none_or(|c| match self.unit.level {
            Level::Zone => c == '区',
            _ => self.suffix == c || g.unit(self.ix).names.iter().any(|n| n.name.ends_with(c)),
        })
    }
}

/// How a name is used, which says how much it weighs.
#[derive(Debug, Clone, Copy, PartialEq)]
enum UseKind {
    /// As holder: convening, chairing, the site's own unit; the weight.
    Holder(f32),
    /// A plain mention of a unit at the page's own level (全区 … 建安区一季度发展成果):
    /// the page's own place, unless a convener says otherwise; stronger in the opening.
    OwnLevel { opening: bool },
    /// A plain mention; the weight.
    Named(f32),
}

/// A name on the page and how it is used.
#[derive(Debug)]
struct Use {
    printed: String,
    meanings: Vec<Meaning>,
    kind: UseKind,
    /// Whether the use states the holder outright (convening): such a use is believed
    /// even when its level differs from the page's self-references.
    explicit: bool,
}

/// The holder of the page's meeting.
pub(crate) fn identify(page: &PageParts) -> Identified {
    let gazetteer = Gazetteer::shared();
    let announcing = announcing_level(page);
    let level = self_level(page.text).or(announcing);
    let own_weight = if announcing.is_some() && announcing == level {
        OWN_LEVEL_ANNOUNCED
    } else {
        OWN_LEVEL
    };
    let mut uses: Vec<Use> = Vec::new();
    let mut read = |s: &str, at: Where, opening: bool| {
        read_sentence(gazetteer, s, at, opening, level, &mut uses);
    };
    if let Some(title) = page.title {
        read(title, Where::Title, true);
    }
    for line in page.furniture.lines() {
        read(line, Where::Furniture, true);
    }
    for sentence in page.opening {
        read(sentence, Where::Body, true);
    }
    for line in page.text.lines() {
        if page.title == Some(line.trim()) {
            continue;
        }
        for sentence in line.split(['。', '！', '？', '!', '?']) {
            if page.opening.iter().any(|o| *o == sentence.trim()) {
                continue;
            }
            read(sentence, Where::Body, false);
        }
    }
    let named = NamedOnPage::new(page);
    uses.extend(unnamed_zone(gazetteer, page, &named));
    rehome_zones(gazetteer, &mut uses, &named);
    decide(gazetteer, uses, level, own_weight, page, &named)
}

/// A zone that announces its meeting without the city it is in, on a page that names one
/// city and no other: that city's zone. Either the zone is bare (经开区召开…,
/// 经济技术开发区党工委书记主持) and is the city's own, or it has a name of its own that
/// is no place of the gazetteer (北黄海经济开发区召开…) and is under the city. A page of
/// the zone's names its city as its parent.
fn unnamed_zone(g: &Gazetteer, page: &PageParts, named: &NamedOnPage) -> Option<Use> {
    /// Longest name of its own a zone has before its suffix.
    const OWN_NAME_MAX_CHARS: usize = 4;
    let announcing = page.title.into_iter().chain(page.announcement);
    let (printed, own_name, zone) = announcing.into_iter().find_map(|s| {
        s.char_indices().find_map(|(i, _)| {
            let bare = s[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !crate::text::is_han(c));
            if !bare {
                return None;
            }
            if let Some(zone) = gazetteer::zone_name_at(&s[i..]).filter(|z| z.middle.is_empty()) {
                return Some((&s[i..i + zone.len], "", zone));
            }
            // A name of its own: Han characters that are no place, then the suffix, then
            // the zone's act or organ.
            let zone = gazetteer::zone_name_at(&s[i..])?;
            let own = zone.middle;
            let convenes = CONVENES.is_match(&s[i + zone.len..]);
            // A person's name glued to 开发区 is no zone (王信凯开发区).
            let fits = (2..=OWN_NAME_MAX_CHARS).contains(&own.chars().count())
                && own.chars().all(crate::text::is_han)
                && !super::people::is_plausible_name(own)
                && g.mentions(own).next().is_none();
            (fits && convenes).then(|| (&s[i..i + zone.len], own, zone))
        })
    })?;
    let city = named.one_city(g)?;
    let unit = if own_name.is_empty() {
        g.zone(city, zone)
    } else {
        g.zone_named(city, &format!("{own_name}{}", zone.canonical_suffix))
    };
    Some(Use {
        printed: printed.to_owned(),
        meanings: vec![Meaning {
            unit,
            ix: city,
            suffix: '区',
            kind: FormKind::Full,
            name_from: None,
            name_until: None,
        }],
        kind: UseKind::Holder(SITE_OWN_UNIT),
        explicit: false,
    })
}

/// A zone read as named after a county whose city and province the page never names, on
/// a page that names one city and no other, is that city's zone with a name of its own:
/// 松山新区 on a page of 锦州 is 锦州's, not a zone of 赤峰's 松山区.
fn rehome_zones(g: &Gazetteer, uses: &mut [Use], named: &NamedOnPage) {
    let zones_of_counties = |u: &Use| {
        u.meanings
            .iter()
            .any(|m| m.unit.level == Level::Zone && g.unit(m.ix).level == Level::County)
    };
    if !uses.iter().any(zones_of_counties) {
        return;
    }
    let Some(city) = named.one_city(g) else {
        return;
    };
    let named = named.units(g);
    for meaning in uses.iter_mut().flat_map(|u| u.meanings.iter_mut()) {
        let place = g.unit(meaning.ix);
        let parents_unnamed = [place.prefecture, place.province]
            .into_iter()
            .flatten()
            .all(|p| !named.contains(&p));
        if meaning.unit.level == Level::Zone && place.level == Level::County && parents_unnamed {
            meaning.unit = g.zone_named(city, &meaning.unit.name);
            meaning.ix = city;
        }
    }
}

/// The uses of the names in one sentence (or headline, or furniture line).
fn read_sentence(
    g: &Gazetteer,
    s: &str,
    at: Where,
    opening: bool,
    level: Option<char>,
    uses: &mut Vec<Use>,
) {
    let mentions: Vec<Mention> = g.mentions(s).collect();
    let site_line = at == Where::Furniture && SITE_LINE.is_match(s);
    let sentence_chairs = CHAIRS.is_match(s);
    // Where the last zone's name ended: a place inside it (松山 of 锦州松山新区) is no
    // mention of its own.
    let mut inside_zone_until = 0;
    for (i, m) in mentions.iter().enumerate() {
        if m.start < inside_zone_until {
            continue;
        }
        // A parent right before a name qualifies it (江西省南昌市红谷滩区): it is no
        // candidate of its own.
        if let Some(next) = mentions.get(i + 1) {
            if next.start == m.end && qualifies(g, m, next) {
                continue;
            }
        }
        let after = &s[m.end..];
        let (meanings, zone_len) = meanings_of(g, m, after, parent_before(g, &mentions, i));
        if meanings.is_empty() {
            continue;
        }
        inside_zone_until = m.end + zone_len;
        let after = &after[zone_len..];
        let printed = format!("{}{}", &s[m.start..m.end], &s[m.end..m.end + zone_len]);
        let before = &s[crate::text::clause_start(s, m.start)..m.start];
        let relayed = ONLY_MENTIONED_BEFORE.is_match(before)
            || crate::text::clause_rest(after).contains("精神");
        if relayed {
            continue;
        }
        let short = meanings.iter().all(|mn| mn.kind == FormKind::Short);
        let own_level = level.is_some() && meanings.iter().any(|mn| mn.agrees_with(g, level));
        // A short form or a two-character name inside a run of Han characters is as
        // often part of another word or a person's name (赵海东, 召开县委, 老城复兴).
        let qualified =
            i > 0 && mentions[i - 1].end == m.start && qualifies(g, &mentions[i - 1], m);
        let word_start = qualified || starts_word(&s[..m.start]);
        let fragile = short || printed.chars().count() <= 2;
        // 代县长, 代区长: an acting head, not 代县.
        if printed.starts_with('代') && after.starts_with('长') {
            continue;
        }
        // Inside a run, a name is believed only in a phrase of the page's own place
        // (打响环翠品牌).
        let own_phrase = own_level
            && OWN_PLACE_AFTER.is_match(after)
            && after
                .chars()
                .next()
                .is_some_and(|c| crate::text::is_han(c) && !"的之".contains(c));
        if fragile
            && zone_len == 0
            && (!(word_start || own_phrase) || SMALLER_PLACE_AFTER.is_match(after))
        {
            continue;
        }
        // 在拉萨召开 says where, not who.
        let convenes = word_start
            && !before.ends_with('在')
            && (CONVENES.is_match(after) || names_meeting(after, short));
        let kind = if convenes {
            UseKind::Holder(match (at, opening) {
                (Where::Title, _) => CONVENES_IN_TITLE,
                (_, true) => CONVENES_IN_OPENING,
                _ => CONVENES_LATER,
            })
        } else if let Some(office) = OFFICE.captures(after) {
            let deputy = (1..=3).any(|g| office.get(g).is_some_and(|d| d.as_str() != "代"));
            // The office is matched from the name's end, so its length is where it ends.
            let chair_convenes = opening && CHAIR_CONVENES.is_match(&after[office[0].len()..]);
            match (deputy, opening && sentence_chairs) {
                (false, true) if chair_convenes => UseKind::Holder(CONVENES_IN_OPENING),
                (false, true) => UseKind::Holder(CHAIRS_IN_OPENING),
                (false, false) => UseKind::Holder(OFFICE_NAMED),
                (true, _) => UseKind::Named(NAMED),
            }
        } else if site_line || SITE_AFTER.is_match(after) {
            UseKind::Holder(SITE_OWN_UNIT)
        } else if gazetteer::is_word_like(&printed) && !qualified {
            // 老城区改造 is prose, unless the page uses it as above.
            continue;
        } else if own_level && (!short || OWN_PLACE_AFTER.is_match(after)) {
            UseKind::OwnLevel { opening }
        } else if short {
            // A bare short form (双流, 和平, 新华) is as often a word as a place.
            continue;
        } else {
            UseKind::Named(match at {
                Where::Title => NAMED_IN_TITLE,
                Where::Furniture => NAMED_IN_FURNITURE,
                Where::Body => NAMED,
            })
        };
        uses.push(Use {
            printed,
            meanings,
            kind,
            explicit: convenes,
        });
    }
}

/// Whether a name right after `before` starts a word: after punctuation, a digit, the
/// start, a parent, or words that stand before a holder (中共, 在, 日).
fn starts_word(before: &str) -> bool {
    match before.chars().next_back() {
        None => true,
        Some(c) if !crate::text::is_han(c) => true,
        Some(_) => [
            "中共",
            "中国共产党",
            "召开",
            "举行",
            "在",
            "日",
            "省",
            "市",
            "州",
            "盟",
            "由",
            "据",
            "讯",
            "为",
            "把",
            "让",
            "对",
            "参加",
            "出席",
            "列席",
            "推动",
            "推进",
            "助力",
            "促进",
            "打造",
        ]
        .iter()
        .any(|w| before.ends_with(w)),
    }
}

/// Whether `parent` is a parent (province or prefecture) of one of the units `child` may
/// mean, written right before it.
fn qualifies(g: &Gazetteer, parent: &Mention, child: &Mention) -> bool {
    parent.forms.iter().any(|p| {
        let level = g.unit(p.unit).level;
        matches!(level, Level::Province | Level::Prefecture)
            && child.forms.iter().any(|c| is_parent(g, p.unit, c.unit))
    })
}

fn is_parent(g: &Gazetteer, parent: UnitIx, child: UnitIx) -> bool {
    let unit = g.unit(child);
    unit.prefecture == Some(parent) || unit.province == Some(parent)
}

/// The parent written right before mention `i`, if any.
fn parent_before(g: &Gazetteer, mentions: &[Mention], i: usize) -> Option<UnitIx> {
    let prev = mentions.get(i.checked_sub(1)?)?;
    let this = &mentions[i];
    (prev.end == this.start).then_some(())?;
    prev.forms
        .iter()
        .find(|p| this.forms.iter().any(|c| is_parent(g, p.unit, c.unit)))
        .or_else(|| {
            prev.forms
                .iter()
                .find(|p| matches!(g.unit(p.unit).level, Level::Prefecture | Level::Province))
        })
        .map(|p| p.unit)
}

/// The units a mention may mean, and how many bytes of zone suffix after it belong to
/// the name (南昌 + 开发区). A parent written before it keeps only its children.
fn meanings_of(
    g: &Gazetteer,
    m: &Mention,
    after: &str,
    parent: Option<UnitIx>,
) -> (Vec<Meaning>, usize) {
    let mut forms: Vec<_> = m.forms.to_vec();
    if let Some(parent) = parent {
        let children: Vec<_> = forms
            .iter()
            .copied()
            .filter(|f| is_parent(g, parent, f.unit))
            .collect();
        if !children.is_empty() {
            forms = children;
        }
    }
    if let Some(zone) = gazetteer::zone_name_at(after) {
        // A zone is named after a city, else a county: 南昌开发区 is the city's; and
        // after a place of today, not a 地区 that became the city.
        let in_use: Vec<_> = forms
            .iter()
            .copied()
            .filter(|f| g.unit(f.unit).until.is_none())
            .collect();
        if !in_use.is_empty() {
            forms = in_use;
        }
        let places: Vec<_> = forms
            .iter()
            .filter(|f| g.unit(f.unit).level == Level::Prefecture)
            .copied()
            .collect();
        // Only a city names a zone with a name of its own between (锦州松山新区); after a
        // county, that is a smaller place (长乐山工业园区).
        let places = if places.is_empty() && zone.middle.is_empty() {
            forms
                .iter()
                .filter(|f| g.unit(f.unit).level == Level::County)
                .copied()
                .collect()
        } else {
            places
        };
        let meanings = places
            .iter()
            .map(|f| Meaning {
                unit: g.zone(f.unit, zone),
                ix: f.unit,
                suffix: '区',
                kind: FormKind::Full,
                name_from: None,
                name_until: None,
            })
            .collect();
        return (meanings, zone.len);
    }
    let meanings = forms
        .iter()
        .map(|f| Meaning {
            unit: g.unit_ref(f.unit),
            ix: f.unit,
            suffix: f.suffix,
            kind: f.kind,
            name_from: f.from,
            name_until: f.until,
        })
        .collect();
    (meanings, 0)
}

/// What the uses of one unit's names add up to.
#[derive(Debug)]
struct Score {
    unit: UnitRef,
    ix: UnitIx,
    /// Uses as holder: convening, chairing, the site's own unit.
    holder: f32,
    /// Mentions at the page's own level, which count up to [`OWN_LEVEL_AT_MOST`]: a
    /// convener outweighs a neighbour named often.
    own_level: f32,
    /// Own-level mentions in the opening: between equals, the page's own place is the one
    /// named where it introduces its meeting, others further on (武汉新城鄂州片区).
    opening_mentions: usize,
    /// Plain mentions, which count up to [`NAMED_AT_MOST`] in all: a report may name a
    /// neighbour twenty times and still be its own unit's.
    named: f32,
    /// The printed name of its weightiest use.
    printed: String,
    printed_weight: f32,
    /// Whether a use printed a name the unit bore in the work year (without a year: a
    /// name it bears today).
    name_of_its_time: bool,
}

const OWN_LEVEL: f32 = 2.0;
/// When the page's own organ announces the meeting unnamed (区委常委会召开会议), a
/// mention at its level is as good as naming the holder.
const OWN_LEVEL_ANNOUNCED: f32 = 4.0;
const OWN_LEVEL_AT_MOST: f32 = 4.0;
const NAMED_AT_MOST: f32 = 1.0;

impl Score {
    fn total(&self) -> f32 {
        self.holder + self.own_level.min(OWN_LEVEL_AT_MOST) + self.named.min(NAMED_AT_MOST)
    }
}

/// The holder from the weighed uses.
fn decide(
    g: &Gazetteer,
    uses: Vec<Use>,
    level: Option<char>,
    own_weight: f32,
    page: &PageParts,
    named: &NamedOnPage,
) -> Identified {
    let mut scores: Vec<Score> = Vec::new();
    for u in uses {
        for meaning in u.meanings {
            let agrees = u.explicit || meaning.agrees_with(g, level);
            let discount = if agrees { 1.0 } else { LEVEL_DISAGREES };
            let i = match scores.iter().position(|s| s.unit.id == meaning.unit.id) {
                Some(i) => i,
                None => {
                    scores.push(Score {
                        unit: meaning.unit,
                        ix: meaning.ix,
                        holder: 0.0,
                        own_level: 0.0,
                        opening_mentions: 0,
                        named: 0.0,
                        printed: String::new(),
                        printed_weight: 0.0,
                        name_of_its_time: false,
                    });
                    scores.len() - 1
                }
            };
            let score = &mut scores[i];
            score.name_of_its_time |= match page.year {
                Some(y) => {
                    meaning.name_from.is_none_or(|f| f <= y)
                        && meaning.name_until.is_none_or(|u| y < u)
                }
                None => meaning.name_until.is_none(),
            };
            let weight = match u.kind {
                UseKind::Holder(w) => {
                    score.holder += w * discount;
                    w * discount
                }
                UseKind::OwnLevel { opening } if agrees => {
                    score.own_level += own_weight;
                    score.opening_mentions += usize::from(opening);
                    own_weight
                }
                UseKind::OwnLevel { .. } => continue,
                UseKind::Named(w) => {
                    score.named += w * discount;
                    w * discount
                }
            };
            if weight > score.printed_weight {
                score.printed.clone_from(&u.printed);
                score.printed_weight = weight;
            }
        }
    }
    let best = scores.iter().map(Score::total).fold(0.0, f32::max);
    if best < ENOUGH {
        return Identified::default();
    }
    let tied: Vec<&Score> = scores.iter().filter(|s| s.total() >= best - 1e-3).collect();
    // Between equals, the unit the page names more often.
    let most_named = tied
        .iter()
        .map(|s| s.own_level + s.named)
        .fold(0.0, f32::max);
    let tied: Vec<&Score> = tied
        .into_iter()
        .filter(|s| s.own_level + s.named >= most_named - 1e-3)
        .collect();
    let most_opening = tied.iter().map(|s| s.opening_mentions).max().unwrap_or(0);
    let tied: Vec<&Score> = tied
        .into_iter()
        .filter(|s| s.opening_mentions == most_opening)
        .collect();
    let tied = if tied.len() > 1 {
        settle(g, tied, &scores, page, named)
    } else {
        tied
    };
    match tied.as_slice() {
        [one] => Identified {
            holder: Some((
                Holder {
                    unit: one.unit.clone(),
                    as_printed: one.printed.clone(),
                },
                where_printed(page, &one.printed),
            )),
            candidates: Vec::new(),
        },
        many => Identified {
            holder: None,
            candidates: many.iter().map(|s| s.unit.clone()).collect(),
        },
    }
}

/// Same-named units, narrowed by the year (or, without one, to units still in use), then
/// by their parents' names on the page.
fn settle<'s>(
    g: &Gazetteer,
    tied: Vec<&'s Score>,
    scores: &[Score],
    page: &PageParts,
    named: &NamedOnPage,
) -> Vec<&'s Score> {
    let alive = |s: &Score| {
        s.name_of_its_time
            && (s.unit.level == Level::Zone
                || page
                    .year
                    .map_or(g.unit(s.ix).until.is_none(), |y| g.unit(s.ix).existed_in(y)))
    };
    let living: Vec<&Score> = tied.iter().copied().filter(|s| alive(s)).collect();
    let tied = if living.is_empty() { tied } else { living };
    let ids: Vec<UnitIx> = tied.iter().map(|s| s.ix).collect();
    let named = named.units(g);
    let parents_named = |s: &Score| -> usize {
        let unit = g.unit(s.ix);
        [unit.prefecture, unit.province]
            .into_iter()
            .flatten()
            .filter(|p| !ids.contains(p))
            .filter(|p| scores.iter().any(|o| o.ix == *p) || named.contains(p))
            .count()
    };
    let most = tied.iter().map(|s| parents_named(s)).max().unwrap_or(0);
    tied.into_iter()
        .filter(|s| parents_named(s) == most)
        .collect()
}

/// Every unit the page names anywhere, in any form: looked up over the whole page once,
/// when a rule first asks, and shared by the rules that ask.
struct NamedOnPage<'p> {
    page: &'p PageParts<'p>,
    units: std::cell::OnceCell<rustc_hash::FxHashSet<UnitIx>>,
}

impl<'p> NamedOnPage<'p> {
    fn new(page: &'p PageParts<'p>) -> Self {
        NamedOnPage {
            page,
            units: std::cell::OnceCell::new(),
        }
    }

    fn units(&self, g: &Gazetteer) -> &rustc_hash::FxHashSet<UnitIx> {
        self.units.get_or_init(|| {
            let page = self.page;
            [page.text, page.furniture]
                .into_iter()
                .chain(page.title)
                .flat_map(|s| g.mentions(s))
                .flat_map(|m| m.forms.iter().map(|f| f.unit))
                .collect()
        })
    }

    /// The one prefecture-level city of today the page names, if it names exactly one.
    fn one_city(&self, g: &Gazetteer) -> Option<UnitIx> {
        let mut cities = self.units(g).iter().copied().filter(|&ix| {
            let unit = g.unit(ix);
            unit.level == Level::Prefecture && unit.until.is_none()
        });
        match (cities.next(), cities.next()) {
            (Some(city), None) => Some(city),
            _ => None,
        }
    }
}

fn where_printed(page: &PageParts, printed: &str) -> Where {
    if page.title.is_some_and(|t| t.contains(printed)) {
        Where::Title
    } else if page.text.contains(printed) {
        Where::Body
    } else {
        Where::Furniture
    }
}
