//! The default taxonomy and how it meets the text: the themes issue's must-show list.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;

use zhongdian::aggregate::{District, DistrictKey, GroupLevel};
use zhongdian::analysis::Analysis;
use zhongdian::measure::Measurer;
use zhongdian::taxonomy::Taxonomy;

use crate::support::analysis as support_analysis;
use support_analysis::analysis_of;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const THEMES: [&str; 13] = [
    "招商引资",
    "项目建设",
    "安全稳定",
    "经济运行",
    "产业发展",
    "科技创新",
    "营商环境",
    "城市建设",
    "乡村振兴",
    "民生保障",
    "生态环保",
    "党建作风",
    "金融财政",
];

#[test]
fn the_built_in_taxonomy_is_the_themes_folder() {
    let built_in = Taxonomy::built_in().unwrap();
    let folder = Taxonomy::load(&root().join("themes")).unwrap();
    assert_eq!(
        built_in.hash, folder.hash,
        "the compiled copy must match themes/"
    );
    assert_eq!(folder.name, "themes");
    let names: Vec<&str> = built_in.themes.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, THEMES);
}

#[test]
fn every_theme_has_thirty_keywords_and_each_keyword_one_theme() {
    let taxonomy = Taxonomy::built_in().unwrap();
    let mut owner: HashMap<&str, &str> = HashMap::new();
    for theme in &taxonomy.themes {
        assert!(
            theme.keywords.len() >= 30,
            "{} has {}",
            theme.name,
            theme.keywords.len()
        );
        for k in &theme.keywords {
            if let Some(other) = owner.insert(&k.word, &theme.name) {
                panic!("{} is a keyword of both {other} and {}", k.word, theme.name);
            }
            assert!(
                !taxonomy.stopwords.contains(&k.word),
                "{} is a stopword",
                k.word
            );
        }
    }
}

#[test]
fn policy_terms_segment_as_one_word() {
    let measurer = Measurer::new(Taxonomy::built_in().unwrap());
    let terms = [
        "招商引资",
        "营商环境",
        "开门红",
        "新质生产力",
        "双过半",
        "五上",
        "放管服",
        "专精特新",
        "一件事",
    ];
    for term in terms {
        let alone: Vec<&str> = measurer
            .segmenter()
            .cut(term)
            .iter()
            .map(|w| w.text)
            .collect();
        assert_eq!(alone, [term]);
    }
    // And in running prose, where jieba would otherwise split them or glue neighbours on.
    let text = "要唱响招商引资主旋律，营商环境持续向好，确保首季开门红，培育新质生产力，奋力双过半，做好五上培育，推进放管服，培育专精特新企业，办好每一件事。";
    let words: Vec<&str> = measurer
        .segmenter()
        .cut(text)
        .iter()
        .map(|w| w.text)
        .collect();
    for term in terms {
        assert!(words.contains(&term), "{term} is not one word in {words:?}");
    }
}

fn data_analysis() -> Analysis {
    analysis_of(&root().join("data"))
}

#[test]
fn the_seeds_weigh_their_themes() {
    let analysis = data_analysis();
    let taxonomy = &analysis.measurer.taxonomy;
    let hits = |file: &str, theme: &str| {
        let m = analysis
            .meetings
            .iter()
            .find(|m| m.meeting.file.starts_with(file))
            .unwrap();
        m.measures.themes[taxonomy.theme_index(theme).unwrap()].hits
    };
    for theme in ["招商引资", "项目建设", "安全稳定"] {
        assert!(hits("000_", theme) > 0.0, "000 {theme}");
    }
    // 003 and 004 are traditional originals: conversion must feed matching.
    for file in ["003_", "004_"] {
        for theme in ["项目建设", "招商引资"] {
            assert!(hits(file, theme) > 0.0, "{file} {theme}");
        }
    }
}

fn run(args: &[&str]) -> (i32, String, String) {
    // No cache: the tests read nothing outside the repository.
    let out = Command::new(env!("CARGO_BIN_EXE_zhongdian"))
        .args(args)
        .arg("--no-cache")
        .current_dir(root())
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A copy of themes/ with one file replaced, for the broken-taxonomy cases.
fn broken_taxonomy(file: &str, content: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root().join("themes")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    std::fs::write(dir.path().join(file), content).unwrap();
    dir
}

#[test]
fn a_broken_theme_file_of_each_kind_gives_its_precise_message() {
    let good = std::fs::read_to_string(root().join("themes/01-investment.toml")).unwrap();
    let keywords_line = good
        .lines()
        .position(|l| l.starts_with("keywords"))
        .unwrap()
        + 1;
    let cases: Vec<(&str, String, String)> = vec![
        (
            "01-investment.toml",
            good.replacen("name = ", "name == ", 1),
            "01-investment.toml:".into(),
        ),
        (
            "01-investment.toml",
            good.replacen("label =", "lable =", 1),
            "unknown field `lable`".into(),
        ),
        (
            "01-investment.toml",
            good.replacen("keywords = [", "keywords = [\n  \"\",", 1),
            format!("01-investment.toml:{}:3: empty keyword", keywords_line + 1),
        ),
        (
            "01-investment.toml",
            good.replacen("keywords = [", "keywords = [\n  \"招商引资\",", 1),
            "duplicate keyword `招商引资`".into(),
        ),
        (
            "14-copy.toml",
            good.clone(),
            "14-copy.toml:1:1: theme name `招商引资` is already used by".into(),
        ),
    ];
    let corpus = root().join("data").display().to_string();
    for (file, content, expected) in cases {
        let dir = broken_taxonomy(file, &content);
        let themes = dir.path().display().to_string();
        let (code, stdout, stderr) = run(&["report", &corpus, "--themes", &themes]);
        assert_eq!(code, 1, "{expected}: {stderr}");
        assert!(stdout.is_empty());
        assert!(
            stderr.contains(&expected),
            "expected {expected:?} in {stderr:?}"
        );
        assert_eq!(
            stderr.lines().count(),
            1,
            "one line, no backtrace: {stderr}"
        );
    }
}

#[test]
fn exports_name_their_taxonomy_and_are_deterministic() {
    let corpus = root().join("data").display().to_string();
    let hash = Taxonomy::built_in().unwrap().hash;
    for format in ["table", "csv", "json"] {
        for by in ["meeting", "district-year"] {
            let args = ["report", corpus.as_str(), "--by", by, "--format", format];
            let (code, first, stderr) = run(&args);
            assert_eq!(code, 0, "{stderr}");
            assert!(
                first.contains(&hash[..12]),
                "{by} {format} names no taxonomy"
            );
            let (_, second, _) = run(&args);
            assert_eq!(first, second, "{by} {format} differs between runs");
        }
    }
    let (_, csv, _) = run(&["report", &corpus, "--format", "csv", "--theme", "招商引资"]);
    let header = csv.lines().next().unwrap();
    assert!(header.starts_with(
        "district,district_code,level,prefecture,province,year,meetings,theme,hits,per_10k,chars,tokens"
    ));
    assert!(csv.lines().skip(1).all(|l| l.contains(",招商引资,")));
    let (_, json, _) = run(&["report", &corpus, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let group = &v["groups"][0];
    for key in [
        "district",
        "district_code",
        "level",
        "prefecture",
        "province",
        "year",
        "meetings",
        "chars",
        "tokens",
        "themes",
        "entropy",
        "top_keywords",
        "distinctive",
    ] {
        assert!(group.get(key).is_some(), "district-year JSON lacks {key}");
    }
}

#[test]
fn evidence_marks_the_keyword_with_file_and_date() {
    let corpus = root().join("data").display().to_string();
    let (code, out, _) = run(&[
        "evidence",
        &corpus,
        "--theme",
        "招商引资",
        "--district",
        "红谷滩区",
    ]);
    assert_eq!(code, 0);
    let first = out.lines().next().expect("at least one sentence");
    assert!(
        first.starts_with("000_b446202f4aa57d8a.txt\t红谷滩区 360113\t2026-02-25\t"),
        "{first}"
    );
    assert!(first.contains('«') && first.contains('»'));
    let (code, _, err) = run(&["evidence", &corpus, "--theme", "无此主题"]);
    assert_eq!(code, 1);
    assert!(err.contains("no theme `无此主题`"));
}

#[test]
fn a_missing_corpus_is_one_line_and_status_1() {
    for args in [
        &["check", "/nonexistent/zd"][..],
        &["report", "/nonexistent/zd"][..],
    ] {
        let (code, _, err) = run(args);
        assert_eq!(code, 1);
        assert!(
            err.starts_with("zhongdian: cannot read corpus folder /nonexistent/zd"),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1);
    }
}

#[test]
fn every_group_is_found_by_its_district_and_year() {
    let analysis = data_analysis();
    assert!(
        analysis
            .groups
            .iter()
            .any(|g| g.district == District::Unknown),
        "data/ has a meeting whose district is unknown"
    );
    for g in &analysis.groups {
        let found = analysis.group(g.district.key(), g.year);
        assert_eq!(found, Some(g), "{:?} {}", g.district, g.year);
    }
    // So is every group pooled above county level, by the same look-ups.
    for level in [GroupLevel::Prefecture, GroupLevel::Province] {
        let groups = analysis.at(level);
        assert!(groups.all.len() < analysis.groups.len(), "{level:?}");
        for g in groups.all {
            assert_eq!(groups.group(g.district.key(), g.year), Some(g), "{level:?}");
            let of = groups.of(g.district.key());
            assert_eq!(
                of.len(),
                groups
                    .all
                    .iter()
                    .filter(|x| x.district == g.district)
                    .count()
            );
        }
    }
    assert_eq!(
        analysis.group(
            DistrictKey::Unit("没有的区"),
            zhongdian::aggregate::YearKey::AllYears
        ),
        None
    );
    // A district's groups are all of its groups and only those.
    for g in &analysis.groups {
        let of = analysis.groups_of(g.district.key());
        assert!(of.iter().all(|x| x.district == g.district));
        let all = analysis.groups.iter().filter(|x| x.district == g.district);
        assert_eq!(of.len(), all.count());
    }
    assert!(analysis.groups_of(DistrictKey::Unit("没有的区")).is_empty());
}

mod live {
    //! The dashboard re-counts when a theme file is saved: the update step with the
    //! jobs it asks for run in turn, on data/ and a copy of the themes.

    use std::path::{Path, PathBuf};
    use std::sync::Arc;

    use zhongdian::analysis::{Analysis, Loader};
    use zhongdian::cache::Cache;
    use zhongdian::ingest::Options;
    use zhongdian::measure::Measurer;
    use zhongdian::taxonomy::Taxonomy;
    use zhongdian::tui::app::App;
    use zhongdian::tui::message::{Message, Source};

    use crate::support::dashboard::{deliver, load};
    use crate::support::themes::{copy_of_themes, edit};

    /// [`deliver`], with the messages applied, in order.
    fn deliver_recording(app: &mut App, message: Message) -> Vec<Message> {
        let mut applied = Vec::new();
        crate::support::dashboard::deliver_recording(app, message, &mut applied);
        applied
    }

    fn data() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
    }

    fn cold(themes: &Path) -> Analysis {
        Loader::new(&data(), &Options::default())
            .load(Measurer::new(Taxonomy::load(themes).unwrap()))
            .unwrap()
    }

    /// Every group's hits, theme by theme: what the dashboard shows.
    fn hits(analysis: &Analysis) -> Vec<(String, Vec<f64>)> {
        analysis
            .groups
            .iter()
            .map(|g| (format!("{} {}", g.district, g.year), g.hits.clone()))
            .collect()
    }

    #[test]
    fn a_saved_edit_is_counted_as_a_cold_build_counts_it_and_a_broken_one_keeps_the_last_good() {
        let themes = copy_of_themes();
        let cache_dir = tempfile::tempdir().unwrap();
        let cache = Cache::for_corpus(cache_dir.path(), &data());
        let mut app = App::new(Options::default()).with_source(Source {
            corpus: data(),
            options: Options::default(),
            cache: Some(cache.clone()),
            themes: Some(themes.path().to_path_buf()),
        });
        let first = Loader::new(&data(), &Options::default())
            .with_cache(Some(&cache))
            .load(Measurer::new(Taxonomy::load(themes.path()).unwrap()))
            .unwrap();
        load(&mut app, Arc::new(first));
        let before = hits(app.analysis.as_deref().unwrap());
        let mut counted_before = cold(themes.path());
        let ecology = "11-ecology.toml";
        for (from, to, what) in [
            // A keyword that is one word of the texts.
            (
                "keywords = [\n",
                "keywords = [\n  \"工作\",\n",
                "1 keyword added",
            ),
            // One that spans two of their words.
            (
                "keywords = [\n",
                "keywords = [\n  \"项目建设工作\",\n",
                "1 keyword added",
            ),
            // A weight.
            (
                "{ word = \"生态\", weight = 0.5 }",
                "{ word = \"生态\", weight = 1.0 }",
                "1 weight changed",
            ),
            // An exclusion.
            (
                "keywords = [\n",
                "exclude = [\"各项工作\"]\nkeywords = [\n",
                "1 exclusion added",
            ),
        ] {
            edit(themes.path(), ecology, from, to);
            let applied = deliver_recording(&mut app, Message::ThemesEdited);
            // First from memory, then built through the cache: both as a cold build.
            let answers: Vec<bool> = applied
                .iter()
                .filter_map(|m| match m {
                    Message::Recounted { last, .. } => Some(*last),
                    _ => None,
                })
                .collect();
            assert_eq!(answers, [false, true], "after {what}");
            let counted = cold(themes.path());
            let shown = app.analysis.as_deref().unwrap();
            assert_eq!(hits(shown), hits(&counted), "after {what}");
            // The status says how many meetings' numbers the edit moved.
            let moved = counted
                .meetings
                .iter()
                .zip(&counted_before.meetings)
                .filter(|(after, before)| after.measures.themes != before.measures.themes)
                .count();
            assert!(moved > 0, "after {what}");
            let status = app.status.clone().unwrap_or_default();
            assert!(status.starts_with(&format!("生态环保: {what}")), "{status}");
            let plural = if moved == 1 { "" } else { "s" };
            assert!(
                status.ends_with(&format!("; {moved} meeting{plural} re-counted")),
                "{status}"
            );
            counted_before = counted;
        }
        assert_ne!(
            hits(app.analysis.as_deref().unwrap()),
            before,
            "the numbers moved"
        );

        // A broken file: said with its file and line, and the numbers stay.
        let good = hits(app.analysis.as_deref().unwrap());
        edit(
            themes.path(),
            ecology,
            "name = \"生态环保\"",
            "name = \"生态环保\"\nname = \"twice\"",
        );
        deliver(&mut app, Message::ThemesEdited);
        let broken = app.themes_error.clone().expect("the edit is broken");
        assert!(
            broken.contains("11-ecology.toml:") && broken.contains("duplicate"),
            "{broken}"
        );
        assert_eq!(hits(app.analysis.as_deref().unwrap()), good);
        // Fixed, the banner goes.
        edit(
            themes.path(),
            ecology,
            "name = \"生态环保\"\nname = \"twice\"",
            "name = \"生态环保\"",
        );
        deliver(&mut app, Message::ThemesEdited);
        assert!(app.themes_error.is_none());
        assert_eq!(hits(app.analysis.as_deref().unwrap()), good);
    }
}
