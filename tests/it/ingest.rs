//! The ingest issue's must-show list, on the seed reports and on counter-examples.

use std::fs;
use std::path::{Path, PathBuf};

use zhongdian::ingest::{self, Corpus, Options};
use zhongdian::meeting::Meeting;
use zhongdian::meeting::{Date, MeetingKind, Provenance, Speaker};

const SEEDS: [&str; 5] = [
    "000_b446202f4aa57d8a.txt",
    "001_5194929055dfe662.txt",
    "002_5477da2e9dc24219.txt",
    "003_0c41b430a93a6d9e.txt",
    "004_0419f1f52e015af8.txt",
];

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

fn seed(name: &str) -> String {
    fs::read_to_string(data_dir().join(name)).expect("seed report in data/")
}

/// A corpus folder written for one test: (relative path, bytes) pairs.
fn corpus_of(files: &[(&str, Vec<u8>)]) -> (tempfile::TempDir, Corpus) {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, bytes) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, bytes).expect("write");
    }
    let corpus = ingest::load(dir.path(), &Options::default()).expect("corpus loads");
    (dir, corpus)
}

fn meeting<'a>(corpus: &'a Corpus, file: &str) -> &'a Meeting {
    &corpus
        .reports
        .iter()
        .find(|r| r.meeting.file == file)
        .unwrap_or_else(|| panic!("{file} not read; skipped: {:?}", corpus.skipped))
        .meeting
}

fn district(m: &Meeting) -> Option<&str> {
    m.district.as_ref().map(|d| d.value.name())
}

fn year(m: &Meeting) -> Option<i32> {
    m.year.as_ref().map(|y| y.value)
}

/// A speaker holding an office of unit `unit` (its id).
fn speaker(role: &str, name: &str, unit: &str) -> Speaker {
    Speaker {
        role: role.into(),
        name: name.into(),
        unit: Some(unit.into()),
    }
}

fn seeds_without_metadata() -> (tempfile::TempDir, Corpus) {
    let files: Vec<(&str, Vec<u8>)> = SEEDS.iter().map(|s| (*s, seed(s).into_bytes())).collect();
    corpus_of(&files)
}

#[test]
fn seeds_without_a_metadata_file() {
    let (_dir, corpus) = seeds_without_metadata();
    assert!(corpus.skipped.is_empty(), "{:?}", corpus.skipped);
    let facts: Vec<(Option<&str>, Option<i32>)> = SEEDS
        .iter()
        .map(|s| {
            let m = meeting(&corpus, s);
            (district(m), year(m))
        })
        .collect();
    assert_eq!(
        facts,
        vec![
            (Some("红谷滩区"), Some(2026)),
            (Some("南昌经济技术开发区"), Some(2020)),
            (None, Some(2026)),
            (Some("丰泽区"), None),
            (Some("红旗区"), None),
        ]
    );
}

#[test]
fn seed_details_speakers_dates_and_kinds() {
    let (_dir, corpus) = seeds_without_metadata();
    let m0 = meeting(&corpus, SEEDS[0]);
    assert_eq!(
        m0.speakers,
        vec![
            speaker("区委书记", "涂晓晖", "360113"),
            speaker("区长", "李婷", "360113")
        ]
    );
    assert_eq!(m0.date.as_ref().map(|d| d.value), Date::new(2026, 2, 25));
    assert_eq!(m0.kind, MeetingKind::KeyTasks);

    let m1 = meeting(&corpus, SEEDS[1]);
    assert_eq!(m1.date.as_ref().map(|d| d.value), Date::new(2020, 6, 27));
    assert_eq!(m1.kind, MeetingKind::Cadres);
    let names: Vec<&str> = m1.speakers.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["赵海东", "程建兵"]);

    let m2 = meeting(&corpus, SEEDS[2]);
    assert!(m2.warnings.iter().any(|w| w.starts_with("masked")));
    assert!(m2.warnings.iter().any(|w| w.starts_with("truncated")));
    assert!(m2.warnings.iter().any(|w| w == "unknown district"));

    let m3 = meeting(&corpus, SEEDS[3]);
    assert_eq!(m3.speakers, vec![speaker("区长", "杨国昕", "350503")]);
    assert_eq!(m3.kind, MeetingKind::GovernmentPlenary);
    assert!(m3.warnings.iter().any(|w| w == "unknown year"));

    let m4 = meeting(&corpus, SEEDS[4]);
    assert_eq!(
        m4.speakers,
        vec![
            speaker("区委书记", "刘宏锋", "410702"),
            speaker("区长", "刘怀斌", "410702")
        ]
    );
    assert_eq!(m4.kind, MeetingKind::Projects);
    assert!(
        m4.warnings.iter().any(|w| w.starts_with("mojibake")),
        "seed 004 holds readings damaged by a bad re-encoding: {:?}",
        m4.warnings
    );
}

#[test]
fn no_pinyin_reading_survives_and_traditional_comes_out_simplified() {
    let (_dir, corpus) = seeds_without_metadata();
    // A reading, whole or with its opening parenthesis lost to mojibake (seed 004).
    let reading =
        regex::Regex::new(r"[(（?][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]").unwrap();
    for report in &corpus.reports {
        assert!(!reading.is_match(&report.text), "{}", report.meeting.file);
    }
    for file in [SEEDS[3], SEEDS[4]] {
        let report = corpus
            .reports
            .iter()
            .find(|r| r.meeting.file == file)
            .unwrap();
        assert!(report.meeting.was_traditional);
        for traditional in ['區', '會', '議', '項', '設', '產', '業', '發', '展'] {
            if traditional == '展' {
                continue; // the same in both scripts: a control that conversion leaves alone
            }
            assert!(
                !report.text.contains(traditional),
                "{file} still has {traditional}"
            );
        }
        assert!(report.text.contains("项目") && report.text.contains("区"));
    }
    let m3 = corpus
        .reports
        .iter()
        .find(|r| r.meeting.file == SEEDS[3])
        .unwrap();
    assert!(m3.text.contains("丰泽区政府召开第二次全体会议"));
    assert!(m3.text.contains("（王志超）"), "the byline is real text");
}

#[test]
fn seed_001_keeps_its_article_and_loses_the_page_furniture() {
    let (_dir, corpus) = seeds_without_metadata();
    let text = &corpus
        .reports
        .iter()
        .find(|r| r.meeting.file == SEEDS[1])
        .unwrap()
        .text;
    for furniture in [
        "科技是第一生产力",
        "园区 园区",
        "2020-07-03",
        "核心提示",
        "免责声明",
        "更多>",
        "推荐图文",
        "点击排行",
        "网站首页",
        "ICP备",
        "公网安备",
    ] {
        assert!(!text.contains(furniture), "furniture left: {furniture}");
    }
    assert!(!text.lines().any(|l| l.trim() == "40"), "view count left");
    // Every paragraph of the article, first to last, survives.
    for article in [
        "南昌开发区召开2020年全区干部大会",
        "6月27日下午，全区干部大会顺利召开",
        "赵海东指出",
        "机制保障",
        "作风保障",
        "●要建立健全“容错免责机制”，形成允许试错、宽容失败的氛围。",
        "用好岗位责任制和层级负责制）。",
    ] {
        assert!(text.contains(article), "article lost: {article}");
    }
    assert_eq!(
        text.matches("6月27日下午，全区干部大会顺利召开").count(),
        1,
        "the 核心提示 duplicate is removed, the lead kept"
    );
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

#[test]
fn re_encoded_seeds_give_the_same_records() {
    let (_dir, reference) = seeds_without_metadata();
    let mut files = Vec::new();
    for name in SEEDS {
        let text = seed(name);
        let (gb, _, gb_lossy) = encoding_rs::GB18030.encode(&text);
        assert!(!gb_lossy);
        files.push((format!("gb18030/{name}"), gb.into_owned()));
        files.push((format!("utf16/{name}"), utf16le_with_bom(&text)));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        files.push((format!("utf8bom/{name}"), bom));
    }
    // Big5 has no tone-marked Latin letters, so a Big5 page cannot carry the pinyin
    // readings: its copy of a traditional seed is the seed without them (and without
    // the two mojibake characters of seed 004, 滤 among them, that Big5 lacks too).
    let reading = regex::Regex::new(r"[(?][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\)").unwrap();
    for name in [SEEDS[3], SEEDS[4]] {
        let text: String = reading
            .replace_all(&seed(name), "")
            .chars()
            .filter(|c| !encoding_rs::BIG5.encode(&c.to_string()).2)
            .collect();
        let (big5, _, lossy) = encoding_rs::BIG5.encode(&text);
        assert!(!lossy);
        files.push((format!("big5/{name}"), big5.into_owned()));
    }
    let borrowed: Vec<(&str, Vec<u8>)> =
        files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let (_dir2, corpus) = corpus_of(&borrowed);
    assert!(corpus.skipped.is_empty(), "{:?}", corpus.skipped);
    for report in &corpus.reports {
        let (folder, name) = report.meeting.file.split_once('/').unwrap();
        let expected = meeting(&reference, name);
        let got = &report.meeting;
        assert_eq!(
            (district(got), year(got), &got.date, got.kind, &got.speakers),
            (
                district(expected),
                year(expected),
                &expected.date,
                expected.kind,
                &expected.speakers
            ),
            "{folder}/{name}"
        );
        if folder != "big5" {
            let reference_text = &reference
                .reports
                .iter()
                .find(|r| r.meeting.file == name)
                .unwrap()
                .text;
            assert_eq!(&report.text, reference_text, "{folder}/{name}");
        }
    }
}

#[test]
fn real_parentheses_are_kept() {
    let text = "3月2日，某某县召开会议(完)。王志超(王志超)说，2020(2020)年AI(AI)很重要。區(qū)";
    let (_dir, corpus) = corpus_of(&[("a.txt", text.as_bytes().to_vec())]);
    let report = &corpus.reports[0];
    for kept in ["（完）", "（王志超）", "(2020)", "(AI)"] {
        assert!(report.text.contains(kept), "{kept} lost in {}", report.text);
    }
    assert!(!report.text.contains("qū"));
}

#[test]
fn a_december_meeting_planning_next_year_belongs_to_next_year() {
    let text = "12月28日，兴宁县召开经济工作会议，总结2025年工作，部署明年工作。县委书记王强主持会议并讲话。\n会议指出，2025年全县生产总值增长6%。";
    let with_header = format!("兴宁县召开经济工作会议\n发布时间：2025-12-29 09:00\n{text}");
    let (_dir, corpus) = corpus_of(&[
        ("header.txt", with_header.into_bytes()),
        (
            "stated.txt",
            "2025年12月28日，兴宁县召开2026年经济工作会议，部署明年工作。"
                .as_bytes()
                .to_vec(),
        ),
    ]);
    for file in ["header.txt", "stated.txt"] {
        let m = meeting(&corpus, file);
        assert_eq!(year(m), Some(2026), "{file}");
        assert_eq!(
            m.date.as_ref().map(|d| d.value),
            Date::new(2025, 12, 28),
            "{file}"
        );
        // 兴宁县 has been 兴宁市 (441481) since 1994: the record names the unit as it is
        // now and keeps the name as printed.
        let holder = &m.district.as_ref().unwrap().value;
        assert_eq!(district(m), Some("兴宁市"));
        assert_eq!(holder.unit.code.as_deref(), Some("441481"));
        assert_eq!(holder.as_printed, "兴宁县");
        assert_eq!(m.kind, MeetingKind::Economic);
    }
}

#[test]
fn a_page_naming_three_places_belongs_to_the_one_that_met() {
    let text = "3月21日，红旗区召开项目建设大会。会前，区委书记刘宏锋带队到鹤壁市、长垣市、高新区考察学习。鹤壁市的经验值得学习，长垣市的做法也很好。";
    let (_dir, corpus) = corpus_of(&[("a.txt", text.as_bytes().to_vec())]);
    assert_eq!(district(&corpus.reports[0].meeting), Some("红旗区"));
}

#[test]
fn a_review_of_last_years_figures_is_not_the_meetings_year() {
    let (_dir, corpus) = corpus_of(&[
        (
            "review_only.txt",
            "2月10日，我区召开全区干部大会。会议回顾了2025年工作：2025年，全区GDP增长6%，2024年增长5%。到2035年基本实现现代化。"
                .as_bytes()
                .to_vec(),
        ),
        (
            "stated.txt",
            "2月10日，城关区召开2026年重点工作部署会。2025年，全区GDP增长6%，2024年增长5%。"
                .as_bytes()
                .to_vec(),
        ),
    ]);
    let review = meeting(&corpus, "review_only.txt");
    assert_eq!(
        year(review),
        None,
        "a review year is not the meeting's year"
    );
    assert_eq!(
        district(review),
        None,
        "我区 says nothing about which district"
    );
    assert_eq!(year(meeting(&corpus, "stated.txt")), Some(2026));
}

#[test]
fn front_matter_overrides_the_text() {
    let text = "+++\ndistrict = \"鲤城区\"\nyear = 2019\ndate = \"2019-01-08\"\nsource = \"archive copy\"\n+++\n2月25日，红谷滩区2026年重点工作布置会召开。";
    let (_dir, corpus) = corpus_of(&[("a.txt", text.as_bytes().to_vec())]);
    let m = &corpus.reports[0].meeting;
    assert_eq!(
        m.district.as_ref().map(|d| (d.value.name(), d.provenance)),
        Some(("鲤城区", Provenance::FrontMatter))
    );
    assert_eq!(
        m.year.as_ref().map(|y| (y.value, y.provenance)),
        Some((2019, Provenance::FrontMatter))
    );
    assert_eq!(
        m.date.as_ref().map(|d| d.provenance),
        Some(Provenance::FrontMatter)
    );
    assert_eq!(m.source.as_deref(), Some("archive copy"));
    assert!(!corpus.reports[0].text.contains("+++"));
}

#[test]
fn the_manifest_overrides_inference_and_front_matter_overrides_the_manifest() {
    let manifest = "[\"sub/003.txt\"]\nyear = 2018\nsource = \"context\"\n\n[\"fm.txt\"]\nyear = 2001\n\n[\"missing.txt\"]\nyear = 2020\n";
    let (_dir, corpus) = corpus_of(&[
        ("meetings.toml", manifest.as_bytes().to_vec()),
        ("sub/003.txt", seed(SEEDS[3]).into_bytes()),
        (
            "fm.txt",
            "+++\nyear = 2002\n+++\n红旗区召开会议。"
                .as_bytes()
                .to_vec(),
        ),
    ]);
    let m = meeting(&corpus, "sub/003.txt");
    assert_eq!(
        m.year.as_ref().map(|y| (y.value, y.provenance)),
        Some((2018, Provenance::Manifest))
    );
    assert_eq!(
        district(m),
        Some("丰泽区"),
        "inference still fills what the manifest leaves"
    );
    assert_eq!(year(meeting(&corpus, "fm.txt")), Some(2002));
    assert!(
        corpus
            .notices
            .iter()
            .any(|n| n.contains("missing.txt") && n.contains("line 8")),
        "{:?}",
        corpus.notices
    );
}

#[test]
fn data_folder_reads_with_its_manifest() {
    let corpus = ingest::load(&data_dir(), &Options::default()).unwrap();
    assert_eq!(corpus.reports.len(), 5);
    assert!(corpus.notices.is_empty(), "{:?}", corpus.notices);
    let m3 = meeting(&corpus, SEEDS[3]);
    assert_eq!(
        m3.year.as_ref().map(|y| (y.value, y.provenance)),
        Some((2018, Provenance::Manifest))
    );
    assert_eq!(year(meeting(&corpus, SEEDS[4])), None);
}

#[test]
fn hidden_files_other_extensions_and_binaries() {
    let (_dir, corpus) = corpus_of(&[
        (".hidden.txt", "红旗区召开会议。".as_bytes().to_vec()),
        (".git/notes.txt", "红旗区召开会议。".as_bytes().to_vec()),
        ("image.png", vec![0x89, b'P', b'N', b'G']),
        ("binary.txt", vec![0, 1, 2, 3, 0xFF, 0xFE, 0, 0, 7, 8]),
        (
            "page.html",
            "<html><body><p>3月21日，红旗区召开项目建设大会。</p></body></html>"
                .as_bytes()
                .to_vec(),
        ),
    ]);
    let files: Vec<&str> = corpus
        .reports
        .iter()
        .map(|r| r.meeting.file.as_str())
        .collect();
    assert_eq!(files, ["page.html"]);
    assert_eq!(corpus.skipped.len(), 1);
    assert_eq!(corpus.skipped[0].file, "binary.txt");
    assert_eq!(district(&corpus.reports[0].meeting), Some("红旗区"));
}

#[test]
fn a_missing_corpus_is_an_error() {
    let err = ingest::load(
        Path::new("/nonexistent/zhongdian-corpus"),
        &Options::default(),
    )
    .unwrap_err();
    assert!(
        matches!(&err, zhongdian::error::Error::CorpusUnreadable { root, .. }
            if root == Path::new("/nonexistent/zhongdian-corpus")),
        "{err:?}"
    );
    assert!(err
        .to_string()
        .starts_with("cannot read corpus folder /nonexistent/zhongdian-corpus: "));
}
