//! Trends and adoption on a hand-made corpus whose mentions are known: three units, one
//! with a gap year, one traditional report, one unit that never says the term.

use std::path::{Path, PathBuf};

use zhongdian::aggregate::{GroupLevel, YearKey};
use zhongdian::analysis::Analysis;
use zhongdian::ingest::Options;
use zhongdian::meeting::Date;
use zhongdian::trend::adoption::{adoption, CurvePoint};
use zhongdian::trend::{self, search, Found, Query, Searching};

use crate::support::analysis::analysis_of;
use crate::support::binary::{run, zhongdian, Run};

/// The reports, one file each, in this order. 丰泽区 has no report in 2020. The
/// dashboard's tests of the Trends view read them too.
const REPORTS: [&str; 6] = [
    "2019年3月5日，安远县召开县委常委会会议。会议强调，要全面落实河长制，推进项目建设。",
    "2019年4月2日，丰泽区召开区委常委会会议。会议强调，要抓好招商引资。",
    "2020年2月20日，安远县召开经济工作会议。会议强调，要落实河长制和湖长制，河长巡河常态化。",
    "2021年1月12日，豐澤區召開經濟工作會議。會議強調，要全面推行河長制，發展新質生產力。",
    "2021年4月1日，安远县召开重点工作推进会。会议强调，要抓好生态环保。",
    "2021年5月1日，红旗区召开项目建设推进会。会议强调，要抓好项目建设。",
];

pub fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (i, text) in REPORTS.iter().enumerate() {
        std::fs::write(dir.path().join(format!("{:02}.txt", i + 1)), text).unwrap();
    }
    dir
}

fn found(analysis: &Analysis, query: &str) -> Found {
    let query = Query::parse(query).unwrap();
    search(analysis, &query, &Options::default(), &Searching::default()).unwrap()
}

/// Han characters of a report as the corpus reads it.
fn han(text: &str) -> usize {
    text.chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count()
}

/// (year, meetings, mentioning, hits, chars) of each point of the corpus's line.
fn corpus_points(
    analysis: &Analysis,
    found: &Found,
    series: usize,
) -> Vec<(i32, usize, usize, u64, usize)> {
    trend::corpus_line(analysis.at(GroupLevel::County).all, &found.series[series])
        .points
        .iter()
        .map(|p| {
            (
                p.year.year().unwrap(),
                p.meetings,
                p.mentioning,
                p.hits,
                p.chars,
            )
        })
        .collect()
}

#[test]
fn a_term_is_counted_per_year_in_simplified_and_traditional_reports() {
    let dir = corpus();
    let analysis = analysis_of(dir.path());
    let [r1, r2, r3, r4, r5, r6] = REPORTS.map(han);
    let found = found(&analysis, "河长制");
    assert!(found.unread.is_empty());
    // The traditional report (丰泽区, 2021) is found by the simplified query.
    assert_eq!(
        corpus_points(&analysis, &found, 0),
        [
            (2019, 2, 1, 1, r1 + r2),
            (2020, 1, 1, 1, r3),
            (2021, 3, 1, 1, r4 + r5 + r6),
        ]
    );
    let line = trend::corpus_line(analysis.at(GroupLevel::County).all, &found.series[0]);
    let p2019 = line.points[0];
    assert_eq!(p2019.per_10k(), 10_000.0 / (r1 + r2) as f64);
    assert_eq!(p2019.share(), 0.5);
    // The same query in traditional characters finds the same.
    assert_eq!(
        corpus_points(&analysis, &self::found(&analysis, "河長制"), 0),
        corpus_points(&analysis, &found, 0)
    );
}

#[test]
fn a_phrase_across_the_segmenters_words_counts() {
    let dir = corpus();
    let analysis = analysis_of(dir.path());
    // 巡河常态 is no word: it ends inside 常态化 and starts a word of its own.
    let text = "河长巡河常态化";
    let words: Vec<&str> = analysis
        .measurer
        .segmenter()
        .cut(text)
        .iter()
        .map(|w| w.text)
        .collect();
    assert!(!words.contains(&"巡河常态"), "{words:?}");
    assert!(words.len() >= 2, "{words:?}");
    let found = found(&analysis, "巡河常态");
    assert_eq!(found.series[0].meetings.len(), 1);
    assert_eq!(found.series[0].meetings[0].hits, 1);
}

#[test]
fn wildcards_and_added_terms_count_as_one_series() {
    let dir = corpus();
    let analysis = analysis_of(dir.path());
    let found = found(&analysis, "河长*, 河长制+湖长制");
    let labels: Vec<&str> = found
        .query
        .series
        .iter()
        .map(|s| s.label.as_str())
        .collect();
    assert_eq!(labels, ["河长*", "河长制+湖长制"]);
    let hits = |s: usize| -> Vec<u64> {
        corpus_points(&analysis, &found, s)
            .iter()
            .map(|p| p.3)
            .collect()
    };
    // 2020: 河长制 and 河长巡 for the wildcard; 河长制 and 湖长制 added up.
    assert_eq!(hits(0), [1, 2, 1]);
    assert_eq!(hits(1), [1, 2, 1]);
    let mentioning: Vec<usize> = corpus_points(&analysis, &found, 0)
        .iter()
        .map(|p| p.2)
        .collect();
    assert_eq!(mentioning, [1, 1, 1]);
}

#[test]
fn adoption_leaves_a_unit_without_reports_out_of_a_years_count() {
    let dir = corpus();
    let analysis = analysis_of(dir.path());
    let found = found(&analysis, "河长制");
    let spread = adoption(
        &analysis,
        analysis.at(GroupLevel::County).all,
        &found.series[0],
    );
    let first: Vec<(&str, Option<i32>, Option<Date>, &str)> = spread
        .first
        .iter()
        .map(|f| {
            (
                f.unit.name.as_str(),
                f.year,
                f.date,
                analysis.meetings[f.meeting].meeting.file.as_str(),
            )
        })
        .collect();
    assert_eq!(
        first,
        [
            ("安远县", Some(2019), Date::new(2019, 3, 5), "01.txt"),
            ("丰泽区", Some(2021), Date::new(2021, 1, 12), "04.txt"),
        ]
    );
    let not_yet: Vec<&str> = spread.not_yet.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(not_yet, ["红旗区"]);
    // 2020: only 安远县 reports, and it had adopted; 丰泽区's gap is not a refusal.
    let point = |year, reporting, adopted| CurvePoint {
        year,
        reporting,
        adopted,
    };
    assert_eq!(
        spread.curve,
        [point(2019, 2, 1), point(2020, 1, 1), point(2021, 3, 2)]
    );
    assert_eq!(spread.curve[1].share(), Some(1.0));
    assert_eq!(spread.median_year(), Some(2019));
    assert_eq!(spread.outside, 0);
    // Each unit's line has only its own years: 丰泽区 none for 2020.
    let lines = trend::district_lines(analysis.at(GroupLevel::County).all, &found.series[0]);
    let fengze = lines
        .iter()
        .find(|l| {
            l.district
                .as_ref()
                .and_then(|d| d.unit())
                .is_some_and(|u| u.name == "丰泽区")
        })
        .unwrap();
    let years: Vec<YearKey> = fengze.points.iter().map(|p| p.year).collect();
    assert_eq!(years, [YearKey::Year(2019), YearKey::Year(2021)]);
}

fn trend_run(dir: &Path, args: &[&str]) -> Run {
    run(zhongdian()
        .args(["trend", "--no-cache"])
        .arg(dir)
        .args(args))
}

#[test]
fn the_trend_command_smooths_within_the_years_there_are() {
    let dir = corpus();
    let out = trend_run(dir.path(), &["河长*", "--smooth", "1", "--format", "csv"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let rows: Vec<Vec<String>> = out
        .stdout
        .lines()
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect();
    assert_eq!(
        rows[0],
        [
            "term",
            "unit_code",
            "unit",
            "year",
            "meetings",
            "mentioning_meetings",
            "share",
            "hits",
            "per_10k",
            "chars",
            "smoothing",
            "per_10k_smoothed",
            "share_smoothed"
        ]
    );
    let column = |name: &str| rows[0].iter().position(|c| c == name).unwrap();
    let value = |row: &[String], name: &str| row[column(name)].parse::<f64>().unwrap();
    let per_10k: Vec<f64> = rows[1..].iter().map(|r| value(r, "per_10k")).collect();
    let smoothed: Vec<f64> = rows[1..]
        .iter()
        .map(|r| value(r, "per_10k_smoothed"))
        .collect();
    // The values are written rounded to four places.
    let near = |a: f64, b: f64| assert!((a - b).abs() < 2e-4, "{a} against {b}");
    // At the ends, the window holds only the years on the one side.
    near(smoothed[0], (per_10k[0] + per_10k[1]) / 2.0);
    near(smoothed[1], (per_10k[0] + per_10k[1] + per_10k[2]) / 3.0);
    near(smoothed[2], (per_10k[1] + per_10k[2]) / 2.0);
    let shares: Vec<f64> = rows[1..]
        .iter()
        .map(|r| value(r, "share_smoothed"))
        .collect();
    near(shares[0], (0.5 + 1.0) / 2.0);
    near(shares[1], (0.5 + 1.0 + 1.0 / 3.0) / 3.0);
}

#[test]
fn the_adoption_command_lists_first_mentions_then_the_units_without() {
    let dir = corpus();
    let out = run(zhongdian()
        .args(["adoption", "--no-cache"])
        .arg(dir.path())
        .args(["河长制", "--format", "csv"]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "term,unit_code,unit,prefecture,province,first_date,first_year,file,sentence"
    );
    assert!(
        lines[1].starts_with(
            "河长制,360726,安远县,赣州市,江西省,2019-03-05,2019,01.txt,会议强调，要全面落实河长制"
        ),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].contains(",丰泽区,")
            && lines[2].contains(",2021-01-12,2021,04.txt,会议强调，要全面推行河长制"),
        "{}",
        lines[2]
    );
    assert_eq!(lines[3], "河长制,410702,红旗区,新乡市,河南省,,,,");
    let curve = run(zhongdian()
        .args(["adoption", "--no-cache"])
        .arg(dir.path())
        .args(["河长制", "--curve", "--format", "csv"]));
    assert_eq!(
        curve.stdout,
        "term,year,units_reporting,units_adopted,share\n河长制,2019,2,1,0.5\n河长制,2020,1,1,1\n河长制,2021,3,2,0.6667\n"
    );
}

#[test]
fn a_query_that_means_nothing_is_refused_with_status_2() {
    let dir = corpus();
    for (query, why) in [
        ("，", "empty term between commas"),
        ("。！", "only punctuation"),
        ("*", "wildcard with nothing around it"),
        (&"河".repeat(65), "at most 64"),
    ] {
        let out = trend_run(dir.path(), &[query]);
        assert_eq!(out.code, Some(2), "{query}: {}", out.stderr);
        assert!(out.stderr.contains(why), "{query}: {}", out.stderr);
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
        assert!(out.stdout.is_empty());
    }
    let alone = run(zhongdian().args(["trend", "--no-cache"]).arg(dir.path()));
    assert_eq!(alone.code, Some(2));
    assert!(
        alone.stderr.contains("give the term after it"),
        "{}",
        alone.stderr
    );
}

fn data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data")
}

#[test]
fn the_seeds_say_xinzhi_shengchanli_once_in_hongqi() {
    let out = run(zhongdian().args(["trend", "--no-cache"]).arg(data()).args([
        "新质生产力",
        "--by",
        "district-year",
        "--format",
        "csv",
    ]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let mentioning: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| !l.contains(",0,0,0,"))
        .skip(1)
        .collect();
    assert_eq!(mentioning.len(), 1, "{}", out.stdout);
    assert!(
        mentioning[0].starts_with("新质生产力,410702,红旗区,,1,1,1,1,"),
        "{}",
        mentioning[0]
    );
    let adoption = run(zhongdian()
        .args(["adoption", "--no-cache"])
        .arg(data())
        .args(["新质生产力", "--format", "csv"]));
    let first = adoption.stdout.lines().nth(1).unwrap();
    assert!(
        first.starts_with("新质生产力,410702,红旗区,新乡市,河南省,,,004_0419f1f52e015af8.txt,"),
        "{first}"
    );
    assert!(first.contains("培育新质生产力"), "{first}");
}

#[test]
fn bom_marks_csv_for_excel_and_only_csv() {
    let dir = corpus();
    let marked = trend_run(dir.path(), &["河长制", "--format", "csv", "--bom"]);
    assert_eq!(marked.code, Some(0), "{}", marked.stderr);
    let plain = trend_run(dir.path(), &["河长制", "--format", "csv"]);
    assert_eq!(marked.stdout, format!("\u{feff}{}", plain.stdout));
    let refused = trend_run(dir.path(), &["河长制", "--bom"]);
    assert_eq!(refused.code, Some(2));
    assert!(
        refused.stderr.contains("--format csv"),
        "{}",
        refused.stderr
    );
    assert!(refused.stdout.is_empty());
}
