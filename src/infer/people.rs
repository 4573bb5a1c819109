//! The people a report names with their offices: who chaired or spoke ([`Speaker`]), and
//! every officer named in office ([`Officer`]), from which ingest takes the holder's
//! secretary and head once it knows the holder.

use std::sync::LazyLock;

use regex::Regex;
use rustc_hash::FxHashSet;

use crate::meeting::Speaker;

/// Offices whose holders chair, address or attend the meeting; the optional level
/// character says whose (区委书记 of a 区, 省长 of a 省), 代 marks an acting head, and a
/// head may be printed as the government's (县人民政府县长). The government's 党组书记 is
/// no top office but is read so that a chain through it (县长、县政府党组书记) is whole.
const ROLE: &str = concat!(
    "[区县市旗州]?党工委副?书记|[区县市旗州]?管委会副?主任|[区县市旗州]?人大常委会副?主任|",
    "[区县市旗州]?政协副?主席|自治区党委副?书记|[区县市旗州盟省]委副?书记|",
    "[区县市旗州盟省]?(?:人民)?政府党组副?书记|",
    "(?:[区县市旗州盟省]?(?:人民)?政府)?(?:常务副[区县市旗州盟省]长|[副代]?[区县市旗州盟省]长)",
);
/// What a speaker does right after being named. 出席 alone is attending, not speaking.
const SPEECH: &str = concat!(
    "(?:同志)?(?:主持|出席[^，。；！？,;!?\\n]{0,10}?并(?:讲话|致辞|作|发表|部署|提出)|",
    "讲话|致辞|指出|强调|安排部署|部署|作[^，。；！？,;!?\\n]{0,16}?(?:报告|讲话|发言)|说|称|介绍|认为|",
    "在[^，。；！？,;!?\\n]{0,24}?上|要求|表示|发表|总结|通报|提出)",
);

/// What ends the name of someone merely mentioned: a list of those attending
/// (区委副书记万晓娟、…), attending without speaking (副区长刘一鸣出席), or what a sentence
/// says next of its subject: where, to whom or for whom they act (区委书记崔建民在…,
/// 受区长刘印勇委托, 区长李红卫就…), whom they lead, and when (省长刘国忠今天…).
const MENTION_END: &str = concat!(
    "[、，。；：,;:\\s等（(]|同志|出席|参加|列席|带队|陪同|",
    "在|向|就|对|代表|带领|率领|率队|委托|一行|今天|昨天|近日|日前|上午|下午|当选",
);

/// Offices joined by 、 (区委副书记、区长), then a name, then either speech or the end of a
/// plain mention. The last office is the one a speaker is listed under; all of them are
/// the person's.
static ROLE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<chain>(?:(?:{ROLE})、)*)(?P<role>{ROLE})[ \u{{3000}}]?(?P<name>\p{{Han}}{{2,3}}?)(?:(?P<speech>{SPEECH})|{MENTION_END})"
    ))
    .unwrap()
});
/// A name elected to an office (姜建军当选为区委书记), as a party congress or people's
/// congress reports it; the name starts after anything but Han.
static ELECTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:^|[^\p{{Han}}])(?P<name>\p{{Han}}{{2,3}})当选为?(?P<role>{ROLE})"
    ))
    .unwrap()
});
static SPEECH_START: LazyLock<Regex> = LazyLock::new(|| Regex::new(&format!("^{SPEECH}")).unwrap());

/// Common surnames. A name must start with one, which keeps verbs and places out of the
/// name slot (区长安排部署, 区长效机制). 区 全 时 和 明 安 向 于 are left out: as surnames they
/// are rare next to their other uses.
const SURNAMES: &str = concat!(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜",
    "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙",
    "史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤常温康施文牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟",
    "殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路",
    "游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党",
    "宫费卜冷晏席卫米柏宗瞿桂佟臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池",
    "查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻厉伊仝郗练洪",
    "辜晁虢扈郜逯昝芮禹訾",
);
/// Characters that do not occur in names but do in the words around them (于会上, 在会上).
const NOT_IN_NAME: &str = "会上在对就要并作了的是与及等们";

/// What before an office says its holder no longer holds it (原区委书记, 前任县长).
const FORMER: [&str; 2] = ["原", "前任"];

/// What before an office makes it a body's below the unit, not the unit's: a street's,
/// a town's, a bureau's or a company's 党工委书记 or 管委会主任.
const BODY_BEFORE: [&str; 8] = ["街道", "镇", "乡", "社区", "村", "局", "公司", "集团"];

/// How far before an office a place printed with it is looked for, in Han characters.
const PLACE_CHARS: usize = 10;

pub(crate) fn is_plausible_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| SURNAMES.contains(c))
        && !name.chars().any(|c| NOT_IN_NAME.contains(c))
}

/// Someone the report names in office: every title printed before the name (区委副书记、
/// 区长 李婷), whether or not they speak.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Officer {
    /// The offices as printed, in order.
    pub titles: Vec<String>,
    /// The place printed with the first office, as the gazetteer knows it: 郑州市 of
    /// 郑州市委书记, 平原县 of 平原县委书记; None when the office stands alone (区委书记).
    /// Whose office it is then depends on the place, not on the meeting's holder.
    pub place: Option<String>,
    /// The name as printed.
    pub name: String,
}

/// The people a report names with their offices.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct People {
    /// Those who chaired or spoke, in order of their first speech.
    pub speakers: Vec<Speaker>,
    /// Everyone named in office now (not 原…), each name and set of titles once, in the
    /// order first named.
    pub officers: Vec<Officer>,
}

/// The people `text` names: an office and a name followed by speech, or someone named
/// with an office earlier who speaks later as a bare subject (涂晓晖强调), are speakers;
/// every office and name not marked former is an officer.
pub fn read_people(text: &str) -> People {
    let mut spoke: Vec<(usize, Speaker)> = Vec::new();
    let mut mentioned: Vec<Speaker> = Vec::new();
    let mut officers: Vec<Officer> = Vec::new();
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    for caps in ROLE_NAME.captures_iter(text) {
        let (Some(role), Some(name), Some(chain)) =
            (caps.name("role"), caps.name("name"), caps.name("chain"))
        else {
            continue;
        };
        if !is_plausible_name(name.as_str()) {
            continue;
        }
        let first = if chain.is_empty() {
            role.start()
        } else {
            chain.start()
        };
        let place = place_before(text, first);
        let before = &text[..place.as_ref().map_or(first, |(at, _)| *at)];
        let former = FORMER.iter().any(|f| before.ends_with(f));
        let of_a_body = place.is_none() && BODY_BEFORE.iter().any(|b| before.ends_with(b));
        if !former && !of_a_body {
            let titles = chain
                .as_str()
                .split('、')
                .filter(|t| !t.is_empty())
                .chain([role.as_str()]);
            let place = place.map(|(_, p)| p);
            add_officer(&mut officers, titles, place, name.as_str());
        }
        let person = Speaker {
            role: role.as_str().to_owned(),
            name: name.as_str().to_owned(),
            unit: None,
        };
        if caps.name("speech").is_some() {
            spoke.push((role.start(), person));
        } else if seen.insert(name.as_str()) {
            // Only a name's first mention counts (the same name's later mentions find
            // the same first speech), and searching again for each mention would make
            // a long report quadratic.
            mentioned.push(person);
        }
    }
    for caps in ELECTED.captures_iter(text) {
        let (Some(role), Some(name)) = (caps.name("role"), caps.name("name")) else {
            continue;
        };
        if is_plausible_name(name.as_str()) {
            let place = place_before(text, role.start()).map(|(_, p)| p);
            add_officer(
                &mut officers,
                [role.as_str()].into_iter(),
                place,
                name.as_str(),
            );
        }
    }
    for person in mentioned {
        if let Some(at) = first_speech_as_subject(text, &person.name) {
            spoke.push((at, person));
        }
    }
    spoke.sort_by_key(|&(at, _)| at);
    let mut speakers: Vec<Speaker> = Vec::new();
    for (_, person) in spoke {
        if !speakers.iter().any(|s| s.name == person.name) {
            speakers.push(person);
        }
    }
    People { speakers, officers }
}

/// Adds `name` with `titles` to `officers` unless it is there with the same titles and
/// place.
fn add_officer<'t>(
    officers: &mut Vec<Officer>,
    titles: impl Iterator<Item = &'t str>,
    place: Option<String>,
    name: &str,
) {
    let titles: Vec<String> = titles.map(str::to_owned).collect();
    if !officers
        .iter()
        .any(|o| o.name == name && o.titles == titles && o.place == place)
    {
        officers.push(Officer {
            titles,
            place,
            name: name.to_owned(),
        });
    }
}

/// The place printed right before the office at `office` (郑州 市委书记, 平原 县委书记,
/// 江宁 区委书记): a gazetteer form ending with the office's level character or just
/// before the office, with where it starts.
fn place_before(text: &str, office: usize) -> Option<(usize, String)> {
    let level_end = office + text[office..].chars().next()?.len_utf8();
    let from = text[..office]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| crate::text::is_han(c))
        .take(PLACE_CHARS)
        .last()
        .map_or(office, |(at, _)| at);
    if from == office {
        return None;
    }
    let window = &text[from..level_end];
    crate::gazetteer::Gazetteer::shared()
        .mentions(window)
        .filter(|m| from + m.end == level_end || from + m.end == office)
        .last()
        .map(|m| (from + m.start, window[m.start..m.end].to_owned()))
}

/// Where `name` first speaks as the subject of a sentence.
fn first_speech_as_subject(text: &str, name: &str) -> Option<usize> {
    text.match_indices(name)
        .map(|(at, _)| at)
        .find(|&at| SPEECH_START.is_match(&text[at + name.len()..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn officer(titles: &[&str], name: &str) -> Officer {
        Officer {
            titles: titles.iter().map(|t| (*t).to_owned()).collect(),
            place: None,
            name: name.to_owned(),
        }
    }

    #[test]
    fn a_place_printed_with_an_office_is_kept_and_is_no_former_holder() {
        let text = "平原县召开会议。平原县委书记张三主持会议。郑州市委书记赵伟说：要抓好项目。原县长李四、街道党工委书记王五出席。";
        let officers = read_people(text).officers;
        let placed: Vec<(&str, Option<&str>)> = officers
            .iter()
            .map(|o| (o.name.as_str(), o.place.as_deref()))
            .collect();
        assert_eq!(placed, [("张三", Some("平原县")), ("赵伟", Some("郑州市"))]);
    }

    #[test]
    fn officers_are_everyone_named_in_office_with_all_their_titles() {
        let text = "开发区召开工作会议。党工委书记、管委会主任张建国主持会议。县委副书记、代县长王丽媛，原县委书记李明出席。县长王丽媛讲话。";
        assert_eq!(
            read_people(text).officers,
            [
                officer(&["党工委书记", "管委会主任"], "张建国"),
                officer(&["县委副书记", "代县长"], "王丽媛"),
                officer(&["县长"], "王丽媛"),
            ]
        );
    }

    #[test]
    fn officers_are_read_in_the_forms_reports_print() {
        let text = "县人民政府县长徐荩向全会作报告。区委书记 李海潮 主持。姜建军当选为区委书记。受区长刘印勇委托，县长、县政府党组书记王俊卿讲话。";
        assert_eq!(
            read_people(text).officers,
            [
                officer(&["县人民政府县长"], "徐荩"),
                officer(&["区委书记"], "李海潮"),
                officer(&["区长"], "刘印勇"),
                officer(&["县长", "县政府党组书记"], "王俊卿"),
                officer(&["区委书记"], "姜建军"),
            ]
        );
    }

    #[test]
    fn masked_names_are_no_officers() {
        let text = "区委书记**主持会议。区长李**讲话。";
        assert!(read_people(text).officers.is_empty());
    }
}
