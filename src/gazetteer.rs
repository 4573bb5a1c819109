//! The gazetteer: China's administrative units from 1981 on, with their codes, levels,
//! parents and names over the years, so that a report's holder is a real unit and not the
//! shape of a string.
//!
//! Built once, on first use, from the tables in `gazetteer/` (compiled into the binary):
//! the civil-affairs codes 1981–2024 (`areacodes-history.csv`, CC0), the statistics
//! bureau's 2023 codes, which add development zones (`nbs-2023-areas.json`, Apache-2.0),
//! and the project's own list of later changes (`later-changes.csv`).
//!
//! A [`Unit`] is a lineage, not a code: a unit renamed or upgraded under a new code
//! (双流县 510122 → 双流区 510116) is one unit under its current code, bearing each name
//! in its years ([`Unit::named_in`]). A code retired into several successors, none of them with its name, is
//! a unit of its own that ends that year.

use std::borrow::Cow;
use std::sync::LazyLock;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// The level of government a unit is at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// A province, autonomous region or municipality (省, 自治区, 直辖市).
    Province,
    /// A prefecture-level city, prefecture or league (地级市, 自治州, 地区, 盟).
    Prefecture,
    /// A county-level unit: district, county, county-level city, banner (区, 县, 市, 旗).
    County,
    /// A development zone, new area or similar unit run by a 管委会.
    Zone,
}

impl Level {
    /// The level as records write it: province, prefecture, county, zone.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::Prefecture => "prefecture",
            Level::County => "county",
            Level::Zone => "zone",
        }
    }
}

/// A name a unit bore, from `from` (inclusive) to `until` (exclusive; None: still).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameSpan {
    pub(crate) name: &'static str,
    from: Option<i32>,
    until: Option<i32>,
}

impl NameSpan {
    fn covers(&self, year: i32) -> bool {
        self.from.is_none_or(|f| f <= year) && self.until.is_none_or(|u| year < u)
    }
}

/// Index of a unit in the gazetteer.
pub type UnitIx = u32;

/// One administrative unit, over its whole life.
#[derive(Debug, Clone)]
pub struct Unit {
    /// Stable id: the current 6-digit code; for a retired lineage whose code was reused,
    /// `code-firstyear`; for a zone no code list has, `parent code:canonical name`.
    pub id: String,
    /// The 6-digit code, None for a zone without one.
    pub code: Option<String>,
    /// Today's name, or the last one for a unit that ended.
    pub name: &'static str,
    pub(crate) names: Vec<NameSpan>,
    /// Its level of government.
    pub level: Level,
    pub(crate) prefecture: Option<UnitIx>,
    pub(crate) province: Option<UnitIx>,
    /// First year of the lineage, if known.
    pub from: Option<i32>,
    /// The year it ended (exclusive), None while in use.
    pub until: Option<i32>,
}

impl Unit {
    /// Whether the unit existed in `year`.
    pub fn existed_in(&self, year: i32) -> bool {
        self.from.is_none_or(|f| f <= year) && self.until.is_none_or(|u| year < u)
    }

    /// Whether the unit bore `name` (a full name) in `year`.
    pub fn named_in(&self, name: &str, year: i32) -> bool {
        self.names.iter().any(|n| n.name == name && n.covers(year))
    }
}

/// How a report's words name a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    /// The name as the code list spells it: 双流县, 长阳土家族自治县.
    Full,
    /// Without its ethnic part: 长阳县 for 长阳土家族自治县.
    WithoutEthnicPart,
    /// Without its suffix: 双流, 鄞州, 南昌.
    Short,
}

/// One unit a form may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormOf {
    pub(crate) unit: UnitIx,
    pub(crate) kind: FormKind,
    /// The level character the form ends in (区, 县, 市, 旗, 州, 盟, 省), or of the full
    /// name for a short form: what the offices beside it (区委, 县长) must agree with.
    pub suffix: char,
    /// When the unit bore the name this form comes from.
    pub from: Option<i32>,
    pub(crate) until: Option<i32>,
}

impl FormOf {
    /// Whether the name behind this form was in use in `year`.
    pub fn in_use(&self, year: i32) -> bool {
        self.from.is_none_or(|f| f <= year) && self.until.is_none_or(|u| year < u)
    }
}

/// A place named in a text: where, and which units the words may mean.
#[derive(Debug, Clone, Copy)]
pub struct Mention<'g> {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) forms: &'g [FormOf],
}

/// What a report record says of a unit: enough to show, group and cite it without the
/// gazetteer at hand.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct UnitRef {
    /// The unit's stable id, as [`Unit::id`].
    pub id: String,
    /// The current 6-digit code, None for a zone without one.
    pub code: Option<String>,
    /// Today's name (or the zone's canonical name).
    pub name: String,
    /// Its level of government.
    pub level: Level,
    /// The prefecture's name (the municipality's, for a 直辖市 district); None for a
    /// province, a prefecture, or a county governed straight from its province (仙桃市).
    pub prefecture: Option<String>,
    /// The province's name (the municipality's for a 直辖市); None for a province.
    pub province: Option<String>,
}

impl UnitRef {
    /// `鼓楼区 福州市`: a unit as tables and views name it, with its prefecture, since a
    /// name alone may be several units.
    pub fn label(&self) -> String {
        match &self.prefecture {
            Some(p) if *p != self.name => format!("{} {p}", self.name),
            _ => self.name.clone(),
        }
    }

    /// `鼓楼区 (350102, 福州市)`: a unit as a warning names it.
    pub fn with_parent(&self) -> String {
        let mut about: Vec<&str> = self.code.iter().map(String::as_str).collect();
        about.extend(self.prefecture.as_deref().or(self.province.as_deref()));
        format!("{} ({})", self.name, about.join(", "))
    }
}

/// Zone suffixes as reports print them, longest first, with the canonical suffix each
/// stands for: 南昌开发区 and 南昌经开区 are 南昌经济技术开发区.
const ZONE_SUFFIXES: [(&str, &str); 15] = [
    ("高新技术产业开发区", "高新技术产业开发区"),
    ("高新技术开发区", "高新技术产业开发区"),
    ("经济技术开发区", "经济技术开发区"),
    ("综合保税区", "综合保税区"),
    ("经济开发区", "经济开发区"),
    ("工业园区", "工业园区"),
    ("保税港区", "保税港区"),
    ("投资区", "投资区"),
    ("产业园区", "产业园区"),
    ("开发区", "经济技术开发区"),
    ("经开区", "经济技术开发区"),
    ("高新区", "高新技术产业开发区"),
    ("示范区", "示范区"),
    ("保税区", "保税区"),
    ("新区", "新区"),
];

/// A zone's name after the place it is named after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZoneName<'a> {
    /// The part of its own name between place and suffix: 松山 in 锦州松山新区.
    pub middle: &'a str,
    /// The suffix it stands for: 经开区 and 开发区 are 经济技术开发区.
    pub canonical_suffix: &'static str,
    /// Bytes of `after` the zone's name takes.
    pub len: usize,
}

/// Longest name part between a place and its zone's suffix (大连长兴岛经济技术开发区).
const ZONE_MIDDLE_MAX_CHARS: usize = 4;

/// The zone whose name `after` a place continues, if any: 开发区 (南昌开发区), 国家高新区
/// (武进国家高新区), 松山新区 (锦州松山新区). The middle holds no organ or verb: 市委高新区
/// is two names.
pub fn zone_name_at(after: &str) -> Option<ZoneName<'_>> {
    for (i, c) in after.char_indices().take(ZONE_MIDDLE_MAX_CHARS + 1) {
        let rest = &after[i..];
        let national = ["国家级", "国家"]
            .iter()
            .find(|n| rest.starts_with(*n))
            .map_or(0, |n| n.len());
        if let Some((printed, canonical)) = ZONE_SUFFIXES
            .iter()
            .find(|(printed, _)| rest[national..].starts_with(printed))
        {
            return Some(ZoneName {
                middle: &after[..i],
                canonical_suffix: canonical,
                len: i + national + printed.len(),
            });
        }
        let fits = crate::text::is_han(c) && !"委府会召开举行的和与及在、党区县市".contains(c);
        if !fits {
            return None;
        }
    }
    None
}

/// Suffixes a name ends in, longest first; what is left is its short form.
const NAME_SUFFIXES: [&str; 14] = [
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "林区",
    "特区",
    "地区",
    "区",
    "县",
    "市",
    "旗",
    "盟",
    "省",
];

/// Names that are words of prose as much as places: 城区, 郊区, 矿区 are named only with
/// their city before them (阳泉市城区).
const GENERIC_NAMES: [&str; 6] = ["城区", "郊区", "矿区", "市辖区", "市区", "新区"];

/// Short forms that are everyday words of policy prose (惠民政策, 和平发展, 复兴之路,
/// 新华社): such a unit is named only in full (惠民县, 和平区).
fn is_word_not_short_form(core: &str) -> bool {
    matches!(
        core,
        "惠民"
            | "和平"
            | "新华"
            | "长安"
            | "光明"
            | "团结"
            | "胜利"
            | "前进"
            | "新兴"
            | "红旗"
            | "永安"
            | "太平"
            | "东方"
            | "文明"
            | "和谐"
            | "平安"
            | "新建"
            | "复兴"
            | "老城"
            | "友好"
            | "向阳"
            | "建设"
            | "解放"
            | "民主"
            | "安全"
            | "富民"
            | "安宁"
            | "通道"
            | "新城"
            | "开放"
            | "振兴"
            | "兴业"
            | "合作"
            | "共和"
            | "大方"
            | "安定"
    )
}

/// Full names that are also phrases of prose (老城区改造, 新城区建设, 东区): they name a
/// unit only where the page uses them as a holder (convening, with an office) or with
/// their city before them.
const WORD_LIKE_NAMES: [&str; 13] = [
    "老城区",
    "新城区",
    "城中区",
    "城东区",
    "城西区",
    "城南区",
    "城北区",
    "东区",
    "西区",
    "南区",
    "北区",
    "中区",
    "新市区",
];

/// Whether a printed full name is also a phrase of prose.
pub fn is_word_like(printed: &str) -> bool {
    WORD_LIKE_NAMES.contains(&printed)
}

/// The ethnic groups autonomous units are named for; 各族 as in 积石山保安族东乡族撒拉族自治县.
const ETHNIC_GROUPS: [&str; 57] = [
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "维吾尔",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "高山族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "乌孜别克族",
    "俄罗斯族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "塔塔尔族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "门巴族",
    "珞巴族",
    "基诺族",
    "各族",
];

/// A name split into its core and suffix: 双流县 → (双流, 县), 长阳土家族自治县 → (长阳, 自治县),
/// 广西壮族自治区 → (广西, 自治区).
fn split_name(name: &str) -> Option<(&str, &'static str)> {
    let (core, suffix) = NAME_SUFFIXES
        .iter()
        .find_map(|s| name.strip_suffix(s).map(|core| (core, *s)))?;
    let mut core = core;
    if suffix.starts_with("自治") {
        while let Some(rest) = ETHNIC_GROUPS.iter().find_map(|e| core.strip_suffix(e)) {
            core = rest;
        }
    }
    Some((core, suffix))
}

/// A printed form: a slice of the tables, or made (长阳县 of 长阳土家族自治县).
type Printed = Cow<'static, str>;

/// The forms a full name is printed in, with the level character of each.
fn forms_of_name(name: &'static str) -> Vec<(Printed, FormKind, char)> {
    let last = name.chars().next_back().unwrap_or('区');
    let mut forms = Vec::with_capacity(3);
    forms.push((Cow::Borrowed(name), FormKind::Full, last));
    if GENERIC_NAMES.contains(&name) {
        return forms;
    }
    if let Some((core, suffix)) = split_name(name) {
        let level_char = suffix.chars().next_back().unwrap_or(last);
        if let Some(kind) = suffix.strip_prefix("自治") {
            if suffix != "自治区" && core.chars().count() >= 2 {
                let without = format!("{core}{kind}");
                forms.push((Cow::Owned(without), FormKind::WithoutEthnicPart, level_char));
            }
        }
        if core.chars().count() >= 2 && core != name && !is_word_not_short_form(core) {
            forms.push((Cow::Borrowed(core), FormKind::Short, level_char));
        }
    }
    forms
}

/// The code of the parent that the first `keep` digits of `code` name: 3601 → 360100.
fn parent_code(code: &str, keep: usize) -> String {
    let mut parent = String::with_capacity(6);
    parent.push_str(&code[..keep.min(code.len())]);
    while parent.len() < 6 {
        parent.push('0');
    }
    parent
}

/// The tables, compiled in: every name of the gazetteer is a slice of them.
const AREACODES: &str = include_str!("../gazetteer/areacodes-history.csv");
const LATER_CHANGES: &str = include_str!("../gazetteer/later-changes.csv");
const NBS_AREAS: &str = include_str!("../gazetteer/nbs-2023-areas.json");

/// One row of the civil-affairs table: a code under one name for a span of years.
#[derive(Debug, Clone)]
struct Episode<'a> {
    code: &'a str,
    name: &'a str,
    level: Level,
    in_use: bool,
    from: Option<i32>,
    until: Option<i32>,
    /// Codes that took over its whole area (boundary changes, `CODE[YEAR]`, left out).
    successors: Vec<&'a str>,
}

/// The first N comma-separated fields of a line ("" for those missing): the table has
/// no quoted fields.
fn fields<const N: usize>(line: &str) -> [&str; N] {
    let mut out = [""; N];
    let mut start = 0;
    let mut field = 0;
    for (i, b) in line.bytes().enumerate() {
        if b == b',' {
            if let Some(slot) = out.get_mut(field) {
                *slot = &line[start..i];
            }
            field += 1;
            start = i + 1;
        }
    }
    if let Some(slot) = out.get_mut(field) {
        *slot = &line[start..];
    }
    out
}

fn parse_episodes(csv: &'static str, out: &mut Vec<Episode<'static>>) {
    for line in csv.lines().skip_while(|l| l.starts_with('#')) {
        let line = line.trim_start_matches('\u{feff}');
        let [code, _province, _prefecture, name, level, status, from, until, successors] =
            fields(line);
        let level = match level {
            "省级" => Level::Province,
            "地级" => Level::Prefecture,
            "县级" => Level::County,
            _ => continue, // the header
        };
        out.push(Episode {
            code,
            name,
            level,
            in_use: status == "在用",
            from: from.parse().ok(),
            until: until.parse().ok(),
            successors: successors
                .split(';')
                .filter(|s| s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()))
                .collect(),
        });
    }
}

/// One row of the bureau's table, borrowed from it (its strings have no escapes).
#[derive(Deserialize)]
struct NbsArea<'a> {
    code: &'a str,
    name: &'a str,
    #[serde(rename = "cityCode")]
    city_code: &'a str,
    #[serde(rename = "provinceCode")]
    province_code: &'a str,
}

/// China's administrative units and the forms their names are printed in.
pub struct Gazetteer {
    units: Vec<Unit>,
    by_id: FxHashMap<String, UnitIx>,
    /// Every printed form, and the units it may mean.
    forms: FxHashMap<Printed, Vec<FormOf>>,
    /// The forms by their first two characters, longest first: where a text is searched
    /// from. Every form has two characters at least. A map, not an automaton: the
    /// automaton over these eight thousand names took 20 ms to build, more than a whole
    /// command may spend on the gazetteer, and a lookup a character is fast enough.
    by_opening: FxHashMap<(char, char), Vec<Printed>>,
    /// The coded zones: what a zone named on a page is looked for among, per mention.
    zones: Vec<UnitIx>,
}

impl Gazetteer {
    /// The gazetteer, built on first use.
    pub fn shared() -> &'static Gazetteer {
        static SHARED: LazyLock<Gazetteer> = LazyLock::new(Gazetteer::build);
        &SHARED
    }

    fn build() -> Gazetteer {
        let mut episodes = Vec::with_capacity(7000);
        parse_episodes(AREACODES, &mut episodes);
        parse_episodes(LATER_CHANGES, &mut episodes);
        let lineage = lineages(&episodes);

        let mut units: Vec<Unit> = Vec::new();
        let mut by_id: FxHashMap<String, UnitIx> = FxHashMap::default();
        let codes_in_use: rustc_hash::FxHashSet<&str> = episodes
            .iter()
            .filter(|e| e.in_use)
            .map(|e| e.code)
            .collect();
        // Units first, each at the episode its lineage ends in; then every episode's name.
        let mut unit_of_root: FxHashMap<usize, UnitIx> = FxHashMap::default();
        for (i, e) in episodes.iter().enumerate() {
            if lineage[i] != i {
                continue;
            }
            // A retired lineage whose code another unit uses now is told by its first year.
            let id = if e.in_use || !codes_in_use.contains(e.code) {
                e.code.to_owned()
            } else {
                format!("{}-{}", e.code, e.from.unwrap_or(0))
            };
            let ix = units.len() as UnitIx;
            by_id.insert(id.clone(), ix);
            unit_of_root.insert(i, ix);
            units.push(Unit {
                id,
                code: Some(e.code.to_owned()),
                name: e.name,
                names: Vec::with_capacity(2),
                level: e.level,
                prefecture: None,
                province: None,
                from: e.from,
                until: if e.in_use { None } else { e.until },
            });
        }
        let unit_of_episode: Vec<UnitIx> = lineage.iter().map(|root| unit_of_root[root]).collect();
        for (i, e) in episodes.iter().enumerate() {
            let unit = &mut units[unit_of_episode[i] as usize];
            unit.from = earliest(unit.from, e.from);
            unit.names.push(NameSpan {
                name: e.name,
                from: e.from,
                until: if e.in_use { None } else { e.until },
            });
        }
        // Parents, by code: the province is the first two digits, the prefecture the
        // first four.
        for ix in 0..units.len() {
            let Some(code) = units[ix].code.clone() else {
                continue;
            };
            let province = parent_code(&code, 2);
            let prefecture = parent_code(&code, 4);
            let level = units[ix].level;
            units[ix].province = (level != Level::Province)
                .then(|| by_id.get(&province).copied())
                .flatten();
            if level == Level::County {
                // 直辖市 districts belong to the municipality; a county governed straight
                // from its province (仙桃市) has no prefecture.
                let municipality = matches!(&code[..2], "11" | "12" | "31" | "50");
                units[ix].prefecture = by_id
                    .get(&prefecture)
                    .copied()
                    .filter(|&p| units[p as usize].level == Level::Prefecture)
                    .or(units[ix].province.filter(|_| municipality));
            }
        }
        add_nbs_zones(&mut units, &mut by_id);

        let forms = index_forms(&units);
        let mut by_opening: FxHashMap<(char, char), Vec<Printed>> = FxHashMap::default();
        for form in forms.keys() {
            let mut chars = form.chars();
            if let (Some(a), Some(b)) = (chars.next(), chars.next()) {
                by_opening.entry((a, b)).or_default().push(form.clone());
            }
        }
        for list in by_opening.values_mut() {
            list.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        }
        let zones = (0..units.len() as UnitIx)
            .filter(|&ix| units[ix as usize].level == Level::Zone)
            .collect();
        Gazetteer {
            units,
            by_id,
            forms,
            by_opening,
            zones,
        }
    }

    /// The unit at an index the gazetteer gave out.
    pub fn unit(&self, ix: UnitIx) -> &Unit {
        &self.units[ix as usize]
    }

    /// Every unit, with its index.
    pub fn units(&self) -> impl Iterator<Item = (UnitIx, &Unit)> {
        self.units.iter().enumerate().map(|(i, u)| (i as UnitIx, u))
    }

    /// The unit with this id (or current code).
    pub fn by_id(&self, id: &str) -> Option<UnitIx> {
        self.by_id.get(id).copied()
    }

    /// The units a printed form may name (empty when it names none).
    pub fn forms(&self, printed: &str) -> &[FormOf] {
        self.forms.get(printed).map_or(&[], Vec::as_slice)
    }

    /// The places named in `text`, left to right, the longest form at each place; a name
    /// inside another found before it is not found again.
    pub fn mentions<'g>(&'g self, text: &str) -> impl Iterator<Item = Mention<'g>> + 'g {
        let mut found = Vec::new();
        let mut chars = text.char_indices().peekable();
        while let Some((start, first)) = chars.next() {
            let Some(&(_, second)) = chars.peek() else {
                break;
            };
            let Some(list) = self.by_opening.get(&(first, second)) else {
                continue;
            };
            let Some(form) = list.iter().find(|f| text[start..].starts_with(f.as_ref())) else {
                continue;
            };
            let end = start + form.len();
            found.push(Mention {
                start,
                end,
                forms: self.forms[form].as_slice(),
            });
            while chars.peek().is_some_and(|&(i, _)| i < end) {
                chars.next();
            }
        }
        found.into_iter()
    }

    /// The unit's record for a meeting: names of its parents spelled out.
    pub fn unit_ref(&self, ix: UnitIx) -> UnitRef {
        let unit = self.unit(ix);
        UnitRef {
            id: unit.id.clone(),
            code: unit.code.clone(),
            name: unit.name.to_owned(),
            level: unit.level,
            prefecture: unit.prefecture.map(|p| self.unit(p).name.to_owned()),
            province: unit.province.map(|p| self.unit(p).name.to_owned()),
        }
    }

    /// A zone named after `place` (a prefecture or county), e.g. 南昌 + 开发区: the coded
    /// zone of that name if the statistics bureau has one, else a zone of the project's
    /// own under `place`.
    pub fn zone(&self, place: UnitIx, zone: ZoneName) -> UnitRef {
        let unit = self.unit(place);
        let core = split_name(unit.name).map_or(unit.name, |(core, _)| core);
        self.zone_named(
            place,
            &format!("{core}{}{}", zone.middle, zone.canonical_suffix),
        )
    }

    /// The zone of this canonical name under `place`: the bureau's, if it codes one so
    /// named, else one of the project's own, `place id:name`.
    pub fn zone_named(&self, place: UnitIx, name: &str) -> UnitRef {
        let unit = self.unit(place);
        let prefecture = match unit.level {
            Level::Prefecture => Some(place),
            _ => unit.prefecture.or(Some(place)),
        };
        if let Some(coded) = self.coded_zone(name, prefecture) {
            return self.unit_ref(coded);
        }
        UnitRef {
            id: format!("{}:{name}", unit.id),
            code: None,
            name: name.to_owned(),
            level: Level::Zone,
            prefecture: prefecture.map(|p| self.unit(p).name.to_owned()),
            province: if unit.level == Level::Province {
                Some(unit.name.to_owned())
            } else {
                unit.province.map(|p| self.unit(p).name.to_owned())
            },
        }
    }

    /// A coded zone of this name under `prefecture`; the bureau sometimes writes its
    /// province or 市 into the name (河北邢台经济开发区, 秦皇岛市经济技术开发区).
    fn coded_zone(&self, name: &str, prefecture: Option<UnitIx>) -> Option<UnitIx> {
        let prefecture = prefecture?;
        self.zones.iter().copied().find(|&ix| {
            let u = self.unit(ix);
            u.prefecture == Some(prefecture) && (u.name == name || u.name.ends_with(name))
        })
    }

    /// Units whose names are closest to `name`, for a warning about a name that is none.
    pub fn closest(&self, name: &str, at_most: usize) -> Vec<UnitIx> {
        // The name without its suffix first (丰泽县 is most likely 丰泽区), then the
        // characters shared, those at the start counting most.
        let core = split_name(name).map_or(name, |(core, _)| core);
        let wanted: Vec<char> = name.chars().collect();
        let mut scored: Vec<(usize, UnitIx)> = self
            .units()
            .filter(|(_, u)| u.until.is_none())
            .map(|(ix, u)| {
                let same_core = split_name(u.name).is_some_and(|(c, _)| c == core);
                let shared = u.name.chars().filter(|c| wanted.contains(c)).count();
                let prefix = u
                    .name
                    .chars()
                    .zip(name.chars())
                    .take_while(|(a, b)| a == b)
                    .count();
                (usize::from(same_core) * 100 + prefix * 3 + shared, ix)
            })
            .filter(|&(score, _)| score > 0)
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().take(at_most).map(|(_, ix)| ix).collect()
    }

    /// The unit a person stated: a code or id, else a name printed in any form. More than
    /// one unit when the name is ambiguous.
    pub fn resolve_stated(&self, stated: &str) -> Vec<UnitIx> {
        let stated = stated.trim();
        if let Some(ix) = self.by_id(stated) {
            return vec![ix];
        }
        let mut units: Vec<UnitIx> = self.forms(stated).iter().map(|f| f.unit).collect();
        units.dedup();
        if units.is_empty() {
            if let Some(zone) = self.stated_zone(stated) {
                return vec![zone];
            }
        }
        units
    }

    /// A stated zone name the bureau codes.
    fn stated_zone(&self, stated: &str) -> Option<UnitIx> {
        self.zones
            .iter()
            .copied()
            .find(|&ix| self.unit(ix).name == stated)
    }
}

/// Every printed form of every name of `units`, with the units it may mean.
fn index_forms(units: &[Unit]) -> FxHashMap<Printed, Vec<FormOf>> {
    let mut forms: FxHashMap<Printed, Vec<FormOf>> =
        FxHashMap::with_capacity_and_hasher(8192, Default::default());
    for (ix, unit) in units.iter().enumerate() {
        for span in &unit.names {
            let mut printed = forms_of_name(span.name);
            if GENERIC_NAMES.contains(&span.name) {
                // 城区 alone is a word: only 阳泉市城区 and 阳泉城区 name the unit.
                printed = unit
                    .prefecture
                    .map(|p| forms_of_name(units[p as usize].name))
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|(_, kind, _)| *kind != FormKind::WithoutEthnicPart)
                    .map(|(parent, _, _)| {
                        let qualified = format!("{parent}{}", span.name);
                        (Cow::Owned(qualified), FormKind::Full, '区')
                    })
                    .collect();
            }
            // An old name is printed in full (江宁县, 鄞县); its short form, where it
            // is not today's too, is another unit's or a word (晋江 of 晋江地区).
            let current = span.until.is_none() && unit.until.is_none();
            printed.retain(|(_, kind, _)| current || *kind != FormKind::Short);
            for (form, kind, suffix) in printed {
                let entry = match forms.get_mut(&form) {
                    Some(entry) => entry,
                    None => forms.entry(form).or_default(),
                };
                let of = FormOf {
                    unit: ix as UnitIx,
                    kind,
                    suffix,
                    from: span.from,
                    until: span.until,
                };
                match entry
                    .iter_mut()
                    .find(|f| f.unit == of.unit && f.kind == kind)
                {
                    // One unit, one name over several episodes: one span.
                    Some(f) => {
                        f.from = earliest(f.from, of.from);
                        // None is "still in use", the latest of all.
                        f.until = f.until.zip(of.until).map(|(a, b)| a.max(b));
                    }
                    None => entry.push(of),
                }
            }
        }
    }
    forms
}

/// The earlier of two first years, either unknown.
fn earliest(a: Option<i32>, b: Option<i32>) -> Option<i32> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// For each episode, the episode its lineage ends in: follow the successors of a retired
/// or changed code while it has one (or several, one of which bears its name).
fn lineages(episodes: &[Episode<'static>]) -> Vec<usize> {
    let mut by_code: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (i, e) in episodes.iter().enumerate() {
        by_code.entry(e.code).or_default().push(i);
    }
    // The episode of `code` under way in `year`: the one that starts then, else the one
    // in use, else the one spanning it.
    let active = |code: &str, year: Option<i32>| -> Option<usize> {
        let list = by_code.get(code)?;
        let starts = |i: &usize| year.is_some() && episodes[*i].from == year;
        list.iter()
            .copied()
            .find(|i| starts(i))
            .or_else(|| list.iter().copied().find(|&i| episodes[i].in_use))
            .or_else(|| {
                let y = year?;
                list.iter().copied().find(|&i| {
                    let e = &episodes[i];
                    e.from.is_none_or(|f| f <= y) && e.until.is_none_or(|u| y < u)
                })
            })
    };
    let next = |i: usize| -> Option<usize> {
        let e = &episodes[i];
        if e.in_use {
            return None;
        }
        let successors: Vec<usize> = e
            .successors
            .iter()
            .filter_map(|code| active(code, e.until))
            .filter(|&s| s != i)
            .collect();
        match successors.as_slice() {
            [one] => Some(*one),
            many => many.iter().copied().find(|&s| {
                let core = |n: &'static str| split_name(n).map_or(n, |(c, _)| c);
                core(episodes[s].name) == core(e.name)
            }),
        }
    };
    let step: Vec<Option<usize>> = (0..episodes.len()).map(next).collect();
    (0..episodes.len())
        .map(|start| {
            let mut at = start;
            // Chains are short (吴江县 → 吴江县 → 吴江市 → 吴江区); the bound guards cycles.
            for _ in 0..16 {
                match step[at] {
                    Some(n) => at = n,
                    None => break,
                }
            }
            at
        })
        .collect()
}

/// The statistics bureau's zones (fifth digit 7), which the civil-affairs codes lack.
fn add_nbs_zones(units: &mut Vec<Unit>, by_id: &mut FxHashMap<String, UnitIx>) {
    let Ok(areas) = serde_json::from_str::<Vec<NbsArea>>(NBS_AREAS) else {
        return;
    };
    for area in areas {
        if area.code.as_bytes().get(4) != Some(&b'7') || by_id.contains_key(area.code) {
            continue;
        }
        let province = by_id
            .get(parent_code(area.province_code, 2).as_str())
            .copied();
        let prefecture = by_id
            .get(parent_code(area.city_code, 4).as_str())
            .copied()
            .or(province.filter(|_| area.city_code.ends_with("01")));
        by_id.insert(area.code.to_owned(), units.len() as UnitIx);
        units.push(Unit {
            id: area.code.to_owned(),
            code: Some(area.code.to_owned()),
            name: area.name,
            names: vec![NameSpan {
                name: area.name,
                from: None,
                until: None,
            }],
            level: Level::Zone,
            prefecture,
            province,
            from: None,
            until: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g() -> &'static Gazetteer {
        Gazetteer::shared()
    }

    fn ids(printed: &str) -> Vec<String> {
        let mut ids: Vec<String> = g()
            .forms(printed)
            .iter()
            .map(|f| g().unit(f.unit).id.clone())
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }

    #[test]
    fn a_renamed_unit_is_one_lineage_under_its_current_code() {
        assert_eq!(ids("双流县"), ["510116"]);
        assert_eq!(ids("双流区"), ["510116"]);
        assert_eq!(ids("江宁县"), ["320115"]);
        assert_eq!(ids("鄞县"), ["330212"]);
        assert_eq!(ids("吴江市"), ["320509"]);
        let unit = g().unit(g().by_id("510116").unwrap());
        assert!(unit.named_in("双流县", 2012) && !unit.named_in("双流县", 2020));
        assert!(unit.named_in("双流区", 2020));
        assert_eq!(
            g().unit_ref(g().by_id("510116").unwrap())
                .prefecture
                .as_deref(),
            Some("成都市")
        );
    }

    #[test]
    fn a_split_leaves_the_old_unit_and_adds_a_new_one() {
        assert_eq!(ids("余杭区"), ["330110"]);
        assert_eq!(ids("临平区"), ["330113"]);
        assert!(g().unit(g().by_id("330113").unwrap()).existed_in(2022));
        assert!(!g().unit(g().by_id("330113").unwrap()).existed_in(2019));
    }

    #[test]
    fn same_names_are_several_units() {
        assert_eq!(ids("鼓楼区"), ["320106", "320302", "350102", "410204"]);
    }

    #[test]
    fn short_and_ethnic_forms() {
        assert_eq!(ids("长阳县"), ["420528"]);
        assert_eq!(ids("长阳"), ["420528"]);
        assert_eq!(ids("大厂县"), ["131028"]);
        assert!(ids("双流").contains(&"510116".to_owned()));
        assert!(ids("南昌").contains(&"360100".to_owned()));
        assert!(ids("南昌").contains(&"360121".to_owned()));
        assert_eq!(ids("广西"), ["450000"]);
        assert!(ids("城区").is_empty(), "a generic name alone names nothing");
        assert_eq!(ids("阳泉市城区"), ["140302"]);
        assert_eq!(ids("阳泉城区"), ["140302"]);
        assert!(ids("城").is_empty() && ids("郊").is_empty());
    }

    #[test]
    fn parents_and_levels() {
        let r = g().unit_ref(g().by_id("360113").unwrap());
        assert_eq!(r.name, "红谷滩区");
        assert_eq!(r.level, Level::County);
        assert_eq!(r.prefecture.as_deref(), Some("南昌市"));
        assert_eq!(r.province.as_deref(), Some("江西省"));
        let fangshan = g().unit_ref(g().by_id("110111").unwrap());
        assert_eq!(fangshan.prefecture.as_deref(), Some("北京市"));
        let xiantao = g().unit_ref(g().by_id("429004").unwrap());
        assert_eq!(
            (xiantao.prefecture, xiantao.province.as_deref()),
            (None, Some("湖北省"))
        );
        let city = g().unit_ref(g().by_id("360100").unwrap());
        assert_eq!((city.level, city.prefecture), (Level::Prefecture, None));
    }

    #[test]
    fn zones_coded_by_the_bureau_or_recognised_by_their_place() {
        let nanchang = g().by_id("360100").unwrap();
        let zone = g().zone(nanchang, zone_name_at("开发区").unwrap());
        assert_eq!(zone.name, "南昌经济技术开发区");
        assert_eq!((zone.code, zone.level), (None, Level::Zone));
        assert_eq!(zone.prefecture.as_deref(), Some("南昌市"));
        assert_eq!(zone.id, "360100:南昌经济技术开发区");
        let suzhou = g().by_id("320500").unwrap();
        assert_eq!(
            g().zone(suzhou, zone_name_at("工业园区").unwrap())
                .code
                .as_deref(),
            Some("320576")
        );
        let jinzhou = g().by_id("210700").unwrap();
        let songshan = g().zone(jinzhou, zone_name_at("松山新区召开").unwrap());
        assert_eq!(
            (songshan.name.as_str(), songshan.id.as_str()),
            ("锦州松山新区", "210700:锦州松山新区")
        );
        assert_eq!(
            zone_name_at("国家高新区党工委").map(|z| z.canonical_suffix),
            Some("高新技术产业开发区")
        );
        assert_eq!(zone_name_at("市委高新区"), None);
        assert_eq!(zone_name_at("召开会议"), None);
    }

    #[test]
    fn mentions_take_the_longest_form() {
        let text = "江西省南昌市红谷滩区召开会议，双流区委书记讲话";
        let found: Vec<&str> = g().mentions(text).map(|m| &text[m.start..m.end]).collect();
        assert_eq!(found, ["江西省", "南昌市", "红谷滩区", "双流区"]);
    }
}
