//! Who held the meeting and when, on pages written to show one rule each: the holder is a
//! unit of the gazetteer (by code), never a string that only looks like a name.

use zhongdian::clean::{clean, Format};
use zhongdian::gazetteer::Level;
use zhongdian::infer::{infer, Inferred, Page};
use zhongdian::meeting::Date;

/// A page through cleaning and inference, as the pipeline reads it.
fn read(page: &str) -> Inferred {
    let cleaned = clean(page, Format::PlainText);
    infer(&Page {
        text: &cleaned.text,
        header_date: cleaned.header_date,
        furniture: &cleaned.furniture,
        file_name: "report.txt",
        title: None,
    })
}

fn code(got: &Inferred) -> Option<&str> {
    got.district
        .as_ref()
        .and_then(|d| d.value.unit.code.as_deref())
}

fn candidate_codes(got: &Inferred) -> Vec<&str> {
    let mut codes: Vec<&str> = got
        .candidates
        .iter()
        .filter_map(|c| c.code.as_deref())
        .collect();
    codes.sort_unstable();
    codes
}

#[test]
fn a_name_of_several_units_without_its_parent_is_ambiguous() {
    let got = read("3月5日，鼓楼区召开区委常委会会议。区委书记王强主持会议并讲话。");
    assert_eq!(got.district, None, "鼓楼区 alone is in four cities");
    assert_eq!(
        candidate_codes(&got),
        ["320106", "320302", "350102", "410204"]
    );
}

#[test]
fn a_name_of_several_units_with_its_parent_is_that_unit() {
    let got = read("3月5日，福州市鼓楼区召开区委常委会会议。区委书记王强主持会议并讲话。");
    assert_eq!(code(&got), Some("350102"));
    assert!(got.candidates.is_empty());
    // The parent named elsewhere on the page settles it too.
    let got = read("3月5日，鼓楼区召开区委常委会会议。会议强调，要为南京建设作出鼓楼贡献。");
    assert_eq!(code(&got), Some("320106"));
}

#[test]
fn an_old_name_is_todays_unit_and_is_kept_as_printed() {
    let got = read("1999年3月5日，江宁县召开县委常委会会议，部署1999年工作。");
    let holder = &got.district.as_ref().unwrap().value;
    assert_eq!(holder.unit.code.as_deref(), Some("320115"));
    assert_eq!(holder.unit.name, "江宁区");
    assert_eq!(holder.as_printed, "江宁县");
    let twelve = read("2012年2月1日，双流县召开县委常委会会议。");
    let twenty = read("2020年2月1日，双流区召开区委常委会会议。");
    assert_eq!(code(&twelve), Some("510116"));
    assert_eq!(code(&twenty), Some("510116"), "one unit on one timeline");
}

#[test]
fn a_short_form_is_settled_by_the_level_of_the_offices() {
    // 双流 is the short form of 双流区; the page speaks of itself as a 区.
    let got = read("近日，区委召开常委会会议。区委书记王强主持会议并讲话，要求推动双流高质量发展，全区上下要团结一心。");
    assert_eq!(code(&got), Some("510116"));
    // 长阳县 for 长阳土家族自治县, beside 县委.
    let got = read("3月5日，长阳县委召开常委会会议。");
    assert_eq!(code(&got), Some("420528"));
}

#[test]
fn a_prefectures_own_meeting_is_at_its_level() {
    let got =
        read("2月3日，南昌市委常委会召开会议，市委书记李红军主持会议。会议要求全市上下抓好落实。");
    let holder = &got.district.as_ref().unwrap().value;
    assert_eq!(holder.unit.code.as_deref(), Some("360100"));
    assert_eq!(holder.unit.level, Level::Prefecture);
}

#[test]
fn a_banner_or_source_line_names_the_sites_unit() {
    let banner = "欢迎进入泉州市丰泽区人民政府网站\n区政府召开常务会议\n发布时间：2021-03-02\n3月1日，区政府召开第十次常务会议，区长主持会议。全区各部门负责人参加。";
    assert_eq!(code(&read(banner)), Some("350503"));
    let source = "区委召开常委会会议\n来源：红旗区人民政府网 发布时间：2021-03-02\n3月1日，区委召开常委会会议，研究全区重点工作。";
    assert_eq!(code(&read(source)), Some("410702"));
}

#[test]
fn every_header_date_form_gives_the_pages_date() {
    let forms = [
        "信息时间::2019-06-18",
        "[ 字体: 大 中 小 ] 发布时间:2019-06-18 09:30",
        "【信息时间:2019-06-18 阅读次数:12】",
        "发布日期：2019/06/18",
        "更新时间： 2019年06月18日",
        "时间：2019.06.18 来源：本网",
        "日期:2019-06-18",
        "发文时间 2019-06-18",
        "2019年06月18日 来源：区融媒体中心",
        "鼓楼微讯 2019-06-18",
        "18.06.2019 09:58",
    ];
    for header in forms {
        let page = format!(
            "区政府召开常务会议\n{header}\n6月17日，区政府召开常务会议，研究全区重点工作。"
        );
        let cleaned = clean(&page, Format::PlainText);
        assert_eq!(cleaned.header_date, Date::new(2019, 6, 18), "{header}");
        assert!(!cleaned.text.contains("2019"), "{header} left in the text");
        assert_eq!(read(&page).year.map(|y| y.value), Some(2019), "{header}");
    }
}

#[test]
fn a_december_meeting_planning_next_year_is_next_years() {
    let got = read("发布时间：2019-12-28\n12月27日，红旗区召开区委常委会会议，总结2019年工作，谋划2020年工作。");
    assert_eq!(got.year.map(|y| y.value), Some(2020));
    let reviewed = read("发布时间：2019-03-28\n3月27日，红旗区召开区委常委会会议。会议回顾2017年工作，要求到2025年基本实现目标。");
    assert_eq!(
        reviewed.year.map(|y| y.value),
        Some(2019),
        "only the page's date"
    );
}

#[test]
fn a_name_that_is_no_unit_is_never_output() {
    for page in [
        "1月5日，王信凯开发区召开党工委会议。",
        "1月5日，建设区召开区委常委会会议。",
        "1月5日，测试区召开区委常委会会议。",
        "1月5日，**县召开县委常委会会议。",
    ] {
        assert_eq!(read(page).district, None, "{page}");
    }
}

/// A corpus of one report with `front_matter` above `body`, read as the pipeline reads it.
fn stated(front_matter: &str, body: &str) -> zhongdian::meeting::Meeting {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        format!("+++\n{front_matter}\n+++\n{body}"),
    )
    .unwrap();
    let corpus = zhongdian::ingest::load(dir.path(), &Default::default()).unwrap();
    corpus.reports.into_iter().next().unwrap().meeting
}

#[test]
fn a_stated_district_is_a_name_or_a_code() {
    let body = "近日，全区干部大会召开。";
    let by_code = stated("district = \"350102\"", body);
    let holder = &by_code.district.as_ref().unwrap().value;
    assert_eq!(
        (holder.unit.name.as_str(), holder.unit.prefecture.as_deref()),
        ("鼓楼区", Some("福州市"))
    );
    let by_old_name = stated("district = \"双流县\"", body);
    assert_eq!(
        by_old_name.district.unwrap().value.unit.code.as_deref(),
        Some("510116")
    );
}

#[test]
fn a_stated_name_that_is_no_unit_is_a_warning_naming_the_closest() {
    let m = stated("district = \"丰泽县\"", "近日，全区干部大会召开。");
    assert_eq!(m.district, None);
    let warning = m
        .warnings
        .iter()
        .find(|w| w.contains("丰泽县"))
        .expect("a warning names the stated district");
    assert!(warning.contains("no unit of the gazetteer"), "{warning}");
    assert!(
        warning.contains("丰泽区 (350503"),
        "the closest units: {warning}"
    );
    let ambiguous = stated("district = \"鼓楼区\"", "近日，全区干部大会召开。");
    assert!(ambiguous
        .warnings
        .iter()
        .any(|w| w.contains("fits several units") && w.contains("350102")));
}

#[test]
fn a_zone_with_a_name_of_its_own_is_under_the_one_city_the_page_names() {
    let got = read("1月6日，北黄海经济开发区召开2026年度动员部署大会。会议要求，为大连高质量发展作出贡献，全区上下要团结一心。");
    let holder = &got.district.as_ref().unwrap().value;
    assert_eq!(holder.unit.name, "北黄海经济开发区");
    assert_eq!(holder.unit.level, Level::Zone);
    assert_eq!(holder.unit.prefecture.as_deref(), Some("大连市"));
    assert_eq!(holder.unit.code, None);
    // A person's name before 开发区 is no zone, whatever city the page names.
    let person = read("1月5日，王信凯开发区召开党工委会议。会议要求，为大连高质量发展作出贡献。");
    assert_eq!(person.district, None);
}

#[test]
fn a_joint_meeting_is_the_chairs_units() {
    // The zone's organ sits with the district's standing committee; the district's
    // secretary convenes both.
    let got = read(
        "3月17日，增城区委书记赵国生主持召开区委常委会、增城经济技术开发区党工委会议，研究增城区贯彻落实意见。",
    );
    assert_eq!(code(&got), Some("440118"));
}

#[test]
fn a_zone_named_like_a_county_elsewhere_is_the_named_citys() {
    // 松山区 is a district of 赤峰市; this page names only 锦州.
    let got = read(
        "17日下午，松山新区党工委召开全区领导干部大会。会议指出，新区是锦州城市发展的重要载体。",
    );
    let holder = &got.district.as_ref().expect("a holder").value.unit;
    assert_eq!(holder.level, Level::Zone);
    assert_eq!(holder.prefecture.as_deref(), Some("锦州市"));
    assert_eq!(holder.name, "松山新区");
    // Where the county's city is named, the zone is the county's.
    let got = read(
        "17日下午，松山新区党工委召开全区领导干部大会。会议指出，新区是赤峰城市发展的重要载体。",
    );
    let holder = &got.district.as_ref().expect("a holder").value.unit;
    assert_eq!(holder.prefecture.as_deref(), Some("赤峰市"));
}
