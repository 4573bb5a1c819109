//! Tenures from the reports: a corpus with planted leaders comes out as planted, and the
//! seeds name the leaders they print.

use std::path::{Path, PathBuf};

use zhongdian::meeting::{Date, Office};
use zhongdian::tenure::{self, Flag, Tenure};

use crate::support::analysis::analysis_of;
use crate::support::binary::{run, zhongdian};
use crate::support::planted::planted;

fn day(text: &str) -> Option<Date> {
    Some(text.parse().unwrap())
}

/// A tenure as the test states it: (unit code, office, name, first, last, meetings by
/// file number, acting until).
type Seen<S> = (
    S,
    Office,
    S,
    Option<Date>,
    Option<Date>,
    Vec<usize>,
    Option<Date>,
);

fn stated(t: &Tenure, files: &[String]) -> Seen<String> {
    let numbers = t
        .meetings
        .iter()
        .map(|&m| files[m][..2].parse::<usize>().unwrap())
        .collect();
    (
        t.unit.code.clone().unwrap_or_default(),
        t.office,
        t.name.clone(),
        t.first_seen,
        t.last_seen,
        numbers,
        t.acting_until,
    )
}

#[test]
fn a_corpus_with_planted_tenures_comes_out_as_planted() {
    use Office::{Head, Secretary};
    let dir = planted();
    let analysis = analysis_of(dir.path());
    let files: Vec<String> = analysis
        .meetings
        .iter()
        .map(|m| m.meeting.file.clone())
        .collect();
    let got: Vec<_> = analysis
        .tenures()
        .iter()
        .map(|t| stated(t, &files))
        .collect();
    let want: Vec<Seen<&str>> = vec![
        (
            "350503",
            Secretary,
            "黄志明",
            day("2020-01-10"),
            day("2021-03-03"),
            vec![9, 10, 11],
            None,
        ),
        (
            "350503",
            Head,
            "吴建",
            day("2020-01-10"),
            day("2020-01-10"),
            vec![9],
            None,
        ),
        (
            "350503",
            Head,
            "李华",
            day("2021-01-12"),
            day("2021-03-03"),
            vec![10, 11],
            None,
        ),
        (
            "360726",
            Secretary,
            "陈明远",
            day("2019-03-05"),
            day("2020-02-20"),
            vec![1, 3, 4],
            None,
        ),
        (
            "360726",
            Secretary,
            "王刚",
            day("2019-06-01"),
            day("2019-06-01"),
            vec![2],
            None,
        ),
        (
            "360726",
            Secretary,
            "刘强",
            day("2020-08-15"),
            day("2021-04-01"),
            vec![5, 6, 8],
            None,
        ),
        (
            "360726",
            Head,
            "李华",
            day("2019-03-05"),
            day("2020-02-20"),
            vec![1, 4],
            None,
        ),
        (
            "360726",
            Head,
            "赵敏",
            day("2020-08-15"),
            day("2021-04-01"),
            vec![5, 6],
            day("2020-08-15"),
        ),
    ];
    let want: Vec<_> = want
        .into_iter()
        .map(|(c, o, n, f, l, m, a)| (c.to_owned(), o, n.to_owned(), f, l, m, a))
        .collect();
    assert_eq!(got, want);

    // The contradicting sighting is flagged on both sides, with the meetings.
    let by_name = |name: &str| analysis.tenures().iter().find(|t| t.name == name).unwrap();
    let file = |m: usize| files[m].clone();
    let flags = |t: &Tenure| -> Vec<String> { t.flags.iter().map(|f| f.describe(file)).collect() };
    assert_eq!(flags(by_name("陈明远")), ["conflict with 王刚 (02.txt)"]);
    assert_eq!(
        flags(by_name("王刚")),
        ["conflict with 陈明远 (01.txt, 03.txt)"]
    );
    assert!(!by_name("王刚").in_line);
    assert!(flags(by_name("刘强")).is_empty());

    // The changes are the line of holders': 王刚 is no change.
    let names = |c: &tenure::Change| {
        (
            analysis.tenures()[c.before].name.as_str(),
            analysis.tenures()[c.after].name.as_str(),
        )
    };
    let changes: Vec<_> = tenure::changes(analysis.tenures())
        .iter()
        .map(names)
        .collect();
    assert_eq!(
        changes,
        [("吴建", "李华"), ("陈明远", "刘强"), ("李华", "赵敏")]
    );
}

#[test]
fn two_names_in_one_office_on_one_day_are_flagged_on_both() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "2022年5月6日，安远县召开县委常委会会议。县委书记陈明远主持会议并讲话。",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.txt"),
        "2022年5月6日，安远县召开干部大会。县委书记刘强主持会议并讲话。",
    )
    .unwrap();
    let analysis = analysis_of(dir.path());
    let flagged: Vec<(&str, &Flag)> = analysis
        .tenures()
        .iter()
        .flat_map(|t| t.flags.iter().map(move |f| (t.name.as_str(), f)))
        .collect();
    assert_eq!(flagged.len(), 2, "{flagged:?}");
    assert!(analysis.tenures().iter().all(|t| t.in_line));
}

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

#[test]
fn the_seeds_name_their_leaders_and_no_deputy_is_a_head() {
    let out = run(zhongdian().args([
        "leaders",
        data().to_str().unwrap(),
        "--format",
        "csv",
        "--no-cache",
    ]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let rows: Vec<Vec<&str>> = out
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let row = |unit: &str, office: &str| -> Vec<(&str, &str, &str)> {
        rows.iter()
            .filter(|r| r[1] == unit && r[4] == office)
            .map(|r| (r[5], r[8], r[9]))
            .collect()
    };
    assert_eq!(
        row("红谷滩区", "secretary"),
        [("涂晓晖", "2026-02-25", "2026-02-25")]
    );
    assert_eq!(
        row("红谷滩区", "head"),
        [("李婷", "2026-02-25", "2026-02-25")]
    );
    assert_eq!(
        rows.iter().find(|r| r[1] == "红谷滩区").unwrap()[0],
        "360113"
    );
    assert_eq!(row("红旗区", "secretary"), [("刘宏锋", "", "")]);
    assert_eq!(row("红旗区", "head"), [("刘怀斌", "", "")]);
    // The seeds' deputies (区委副书记万晓娟, 区党工委副书记程建兵 …) hold no office here.
    let names: Vec<&str> = rows.iter().map(|r| r[5]).collect();
    for deputy in ["万晓娟", "程建兵"] {
        assert!(!names.contains(&deputy), "{deputy} is a deputy: {names:?}");
    }
}

#[test]
fn report_by_tenure_and_shift_pool_the_units_meetings_within_each_tenure() {
    let dir = planted();
    let corpus = dir.path().to_str().unwrap();
    let out = run(zhongdian().args([
        "report",
        corpus,
        "--by",
        "tenure",
        "--format",
        "csv",
        "--theme",
        "招商引资",
        "--no-cache",
    ]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let rows: Vec<Vec<&str>> = out.stdout.lines().map(|l| l.split(',').collect()).collect();
    let header = &rows[0];
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let of = |name: &str, office: &str| {
        rows.iter()
            .find(|r| {
                r[col("name")] == name
                    && r[col("office")] == office
                    && r[col("district")] == "安远县"
            })
            .unwrap()
    };
    // 陈明远's span holds his three meetings and 王刚's one: the unit's meetings.
    assert_eq!(of("陈明远", "secretary")[col("meetings")], "4");
    // The undated report names 刘强 but gives his span nothing.
    assert_eq!(of("刘强", "secretary")[col("meetings")], "2");
    assert!(
        rows.iter().all(|r| r[col("name")] != "杨国昕"),
        "no undated tenure is pooled"
    );

    let out = run(zhongdian().args([
        "shift",
        corpus,
        "--unit",
        "360726",
        "--office",
        "secretary",
        "--format",
        "json",
        "--no-cache",
    ]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let shifts = json["shifts"].as_array().unwrap();
    assert_eq!(shifts.len(), 1);
    let s = &shifts[0];
    assert_eq!(
        (s["before"]["name"].as_str(), s["after"]["name"].as_str()),
        (Some("陈明远"), Some("刘强"))
    );
    assert_eq!(
        (
            s["before"]["meetings"].as_u64(),
            s["after"]["meetings"].as_u64()
        ),
        (Some(4), Some(2))
    );
    assert_eq!(s["thin"], true, "two meetings after");
    let theme = |name: &str| {
        s["themes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["theme"] == name)
            .unwrap()
            .clone()
    };
    assert!(theme("生态环保")["difference"].as_f64().unwrap() > 0.0);
    assert!(theme("招商引资")["difference"].as_f64().unwrap() < 0.0);

    let out = run(zhongdian().args(["shift", corpus, "--unit", "朝阳区", "--no-cache"]));
    assert_eq!(out.code, Some(1));
    assert!(
        out.stderr.contains("no meetings of a district named"),
        "{}",
        out.stderr
    );
}

fn corpus_of(reports: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in reports {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

#[test]
fn a_place_printed_with_an_office_says_whose_it_is() {
    let dir = corpus_of(&[
        (
            "a.txt",
            "2023年3月1日，新郑市召开经济工作会议。郑州市委书记赵伟出席并讲话。新郑市委书记马宏伟主持会议。市委副书记、市长刘文出席。",
        ),
        (
            "b.txt",
            "2023年4月2日，平原县召开县委常委会会议。平原县委书记张建主持会议并讲话。原县委书记李明出席。",
        ),
    ]);
    let analysis = analysis_of(dir.path());
    let leaders = |file: &str| -> Vec<(Office, String)> {
        let m = analysis
            .meetings
            .iter()
            .find(|m| m.meeting.file == file)
            .unwrap();
        m.meeting
            .leaders
            .iter()
            .map(|l| (l.office, l.name.clone()))
            .collect()
    };
    // The prefecture's secretary at a county-level city's meeting is not its secretary.
    assert_eq!(
        leaders("a.txt"),
        [
            (Office::Secretary, "马宏伟".to_owned()),
            (Office::Head, "刘文".to_owned())
        ]
    );
    // 平原县's 原 is its name's, not a former holder's; 原县委书记 is one.
    assert_eq!(leaders("b.txt"), [(Office::Secretary, "张建".to_owned())]);
}

#[test]
fn a_name_seen_once_across_years_of_silence_is_a_tenure_of_its_own() {
    let dir = corpus_of(&[
        (
            "a.txt",
            "2016年3月1日，安远县召开县委常委会会议。县委书记陈明远主持会议并讲话。",
        ),
        (
            "b.txt",
            "2019年6月1日，安远县召开县委常委会会议。县委书记王刚主持会议并讲话。",
        ),
        (
            "c.txt",
            "2022年1月10日，安远县召开县委常委会会议。县委书记陈明远主持会议并讲话。",
        ),
    ]);
    let analysis = analysis_of(dir.path());
    let tenures = analysis.tenures();
    assert!(
        tenures.iter().all(|t| t.in_line && t.flags.is_empty()),
        "{tenures:?}"
    );
    let names: Vec<(&str, &str)> = tenure::changes(tenures)
        .iter()
        .map(|c| {
            (
                tenures[c.before].name.as_str(),
                tenures[c.after].name.as_str(),
            )
        })
        .collect();
    assert_eq!(names, [("陈明远", "王刚"), ("王刚", "陈明远")]);
}

#[test]
fn the_sides_of_a_change_never_share_a_meeting() {
    // Both secretaries are seen on 2022-05-06: that day is on neither side.
    let dir = corpus_of(&[
        (
            "a.txt",
            "2022年1月6日，安远县召开县委常委会会议。县委书记陈明远主持会议并讲话。",
        ),
        (
            "b.txt",
            "2022年5月6日，安远县召开县委常委会会议。县委书记陈明远主持会议并讲话。",
        ),
        (
            "c.txt",
            "2022年5月6日，安远县召开干部大会。县委书记刘强主持会议并讲话。",
        ),
        (
            "d.txt",
            "2022年9月6日，安远县召开县委常委会会议。县委书记刘强主持会议并讲话。",
        ),
    ]);
    let analysis = analysis_of(dir.path());
    let shifts = zhongdian::shift::shifts_of(&analysis, "360726", Some(Office::Secretary));
    assert_eq!(shifts.len(), 1);
    let files = |pool: &zhongdian::shift::Pool| -> Vec<String> {
        pool.meetings
            .iter()
            .map(|&m| analysis.meetings[m].meeting.file.clone())
            .collect()
    };
    assert_eq!(files(&shifts[0].before), ["a.txt"]);
    assert_eq!(files(&shifts[0].after), ["d.txt"]);
}
