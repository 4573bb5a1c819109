//! Which keywords carry a theme: counted from the meetings' keyword counts, with a
//! sentence each.

use crate::support::analysis::analysis_of;
use crate::support::binary::{run, zhongdian};
use zhongdian::keywords::{keyword_uses, samples};

fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, district, text) in [
        (
            "a.txt",
            "安远县",
            "安远县召开会议。要抓好招商引资。招商引资是今年的重点。",
        ),
        ("b.txt", "丰泽区", "丰泽区召开会议。抓好招商引资工作。"),
        ("c.txt", "丰泽区", "丰泽区召开会议。抓好安全生产。"),
    ] {
        let report = format!("+++\ndistrict = \"{district}\"\nyear = 2024\n+++\n{text}");
        std::fs::write(dir.path().join(name), report).unwrap();
    }
    dir
}

#[test]
fn the_keywords_of_a_theme_are_counted_sorted_and_shown_in_a_sentence() {
    let dir = corpus();
    let analysis = analysis_of(dir.path());
    let theme = analysis.measurer.taxonomy.theme_index("招商引资").unwrap();
    let uses = keyword_uses(&analysis, theme);
    let first = &uses[0];
    assert_eq!(first.word, "招商引资");
    assert_eq!((first.count, first.meetings.len(), first.units), (3, 2, 2));
    // Shares are of the theme's weighted hits, and add up to the whole.
    let theme_hits: f64 = analysis
        .meetings
        .iter()
        .map(|m| m.measures.themes[theme].hits)
        .sum();
    assert!((first.share - first.hits / theme_hits).abs() < 1e-12);
    let total: f64 = uses.iter().map(|u| u.share).sum();
    assert!((total - 1.0).abs() < 1e-9, "{total}");
    // Most first; the keywords no meeting used come last, at zero.
    assert!(uses.windows(2).all(|w| w[0].hits >= w[1].hits));
    assert!(uses.last().unwrap().hits == 0.0 && uses.last().unwrap().meetings.is_empty());
    let stop = std::sync::atomic::AtomicBool::new(false);
    let (found, unreadable) = samples(&analysis, theme, &uses, &Default::default(), &stop);
    let (m, passage) = found[0].clone().expect("a sentence");
    assert!(unreadable.is_empty());
    assert_eq!(analysis.meetings[m].meeting.file, "a.txt");
    assert_eq!(passage.sentence, "要抓好招商引资。");
}

#[test]
fn keywords_on_the_command_line_name_the_theme_or_say_which_exist() {
    let dir = corpus();
    let corpus = dir.path().to_str().unwrap();
    let out = run(zhongdian().args([
        "keywords",
        corpus,
        "--theme",
        "招商引资",
        "--format",
        "csv",
        "--no-cache",
    ]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let first = out.stdout.lines().nth(1).unwrap();
    assert!(first.starts_with("招商引资,1,3,3,"), "{first}");
    assert!(first.ends_with(",2,2,a.txt,要抓好招商引资。"), "{first}");
    let out = run(zhongdian().args(["keywords", corpus, "--theme", "无此主题", "--no-cache"]));
    assert_eq!(out.code, Some(1));
    assert!(out.stderr.contains("no theme `无此主题`"), "{}", out.stderr);
}

/// The analysis of one report of 安远县 in 2024 (stated), and its folder, kept for what
/// reads the text again.
fn one_report_of_anyuan(text: &str) -> (tempfile::TempDir, zhongdian::analysis::Analysis) {
    let dir = tempfile::tempdir().unwrap();
    let report = format!("+++\ndistrict = \"安远县\"\nyear = 2024\n+++\n{text}");
    std::fs::write(dir.path().join("a.txt"), report).unwrap();
    let analysis = analysis_of(dir.path());
    (dir, analysis)
}

#[test]
fn a_tried_term_says_where_it_would_count_and_what_takes_it_elsewhere() {
    use zhongdian::keywords::{try_term, TrialOutcome};
    let text = "安远县召开会议。要扎实推进全民参保。持续优化营商环境。确保项目落地见效。";
    let (_dir, analysis) = one_report_of_anyuan(text);
    let theme = analysis.measurer.taxonomy.theme_index("民生保障").unwrap();
    let outcomes = |term: &str| -> Vec<(String, TrialOutcome)> {
        try_term(&analysis, theme, term, &Default::default())
            .unwrap()
            .sentences
            .into_iter()
            .map(|s| (s.passage.sentence, s.outcome))
            .collect()
    };
    assert_eq!(
        outcomes("全民参保"),
        [("要扎实推进全民参保。".to_owned(), TrialOutcome::Counted)]
    );
    let trial = try_term(&analysis, theme, "全民参保", &Default::default()).unwrap();
    assert_eq!((trial.hits, trial.meetings), (1, 1));
    assert_eq!(trial.units, [("安远县 赣州市".to_owned(), 1)]);
    // A traditional query is the simplified term; a longer keyword takes its words first.
    let taken = outcomes("營商");
    assert_eq!(taken.len(), 1);
    assert!(
        matches!(&taken[0].1, TrialOutcome::TakenBy(theme, keyword) if theme == "营商环境" && keyword.contains("营商环境")),
        "{taken:?}"
    );
    // An exclusion of another theme keeps it out.
    let excluded = outcomes("见效");
    assert!(
        matches!(&excluded[0].1, TrialOutcome::Excluded(theme, _) if theme == "招商引资"),
        "{excluded:?}"
    );
    // A term that is a keyword already, or spaced, is refused and says why.
    let refused = try_term(&analysis, theme, "招商引资", &Default::default()).unwrap_err();
    assert_eq!(
        refused.to_string(),
        "term \"招商引资\": already a keyword of 招商引资"
    );
}

#[test]
fn try_on_the_command_line_refuses_a_term_with_status_two() {
    let dir = corpus();
    let corpus = dir.path().to_str().unwrap();
    let out = run(zhongdian().args([
        "try",
        corpus,
        "招商 引资",
        "--theme",
        "招商引资",
        "--no-cache",
    ]));
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stderr.contains("contains a space"), "{}", out.stderr);
    let out = run(zhongdian().args([
        "try",
        corpus,
        "重点",
        "--theme",
        "经济运行",
        "--format",
        "csv",
        "--no-cache",
    ]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with("term,theme,file,outcome,detail,sentence\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("重点,经济运行,a.txt,"),
        "{}",
        out.stdout
    );
}

#[test]
fn suggestions_are_words_in_no_theme_that_go_with_it_and_never_names() {
    use zhongdian::keywords::suggestions;
    let text = "安远县召开会议。县委书记王建国主持会议并讲话。要加强河道保洁，保护生态环境。王建国要求河道清淤常态化，守护生态环境。河道发现问题及时整改，改善生态环境。会议还研究了其他工作。会议还听取了汇报。";
    let (_dir, analysis) = one_report_of_anyuan(text);
    let theme = analysis.measurer.taxonomy.theme_index("生态环保").unwrap();
    let (found, unreadable) = suggestions(&analysis, theme, 20, &Default::default());
    assert!(unreadable.is_empty());
    let words: Vec<&str> = found.iter().map(|s| s.word.as_str()).collect();
    let river = found
        .iter()
        .find(|s| s.word == "河道")
        .unwrap_or_else(|| panic!("{words:?}"));
    assert_eq!((river.with_theme, river.elsewhere), (3, 0));
    assert_eq!(river.sample.1, "要加强河道保洁，保护生态环境。");
    assert!(
        !words.contains(&"生态环境"),
        "a keyword is no suggestion: {words:?}"
    );
    assert!(
        !words.contains(&"王建国"),
        "a name is no suggestion: {words:?}"
    );
    assert!(found.windows(2).all(|w| w[0].g2 >= w[1].g2));
}
