//! The command line as a script sees it: what reaches stdout and stderr, and the exit
//! status, on corpora written into temporary folders.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::support::analysis as support_analysis;
use crate::support::binary;

use binary::{zhongdian, Run};
use support_analysis::analysis_of;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `n` short reports, enough that an export is far larger than a pipe's buffer.
fn many_reports(dir: &Path, n: usize) {
    for i in 0..n {
        fs::write(
            dir.join(format!("{i:04}.txt")),
            format!(
                "3月{}日，红旗区召开2024年项目建设大会。要抓招商引资，抓重大项目。",
                1 + i % 28
            ),
        )
        .unwrap();
    }
}

#[test]
fn a_reader_that_stops_early_ends_the_export_quietly() {
    let corpus = tempfile::tempdir().unwrap();
    many_reports(corpus.path(), 500);
    let mut child = zhongdian()
        .args(["report", "--by", "meeting", "--format", "csv", "--no-cache"])
        .arg(corpus.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // `| head -c 100`: read a little, then hang up while the export is still being written.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 100];
    stdout.read_exact(&mut first).unwrap();
    assert!(
        first.starts_with(b"file,district,district_code,level,prefecture,province,year,theme,hits")
    );
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panic"), "{stderr}");
    assert!(
        stderr.is_empty(),
        "a closed pipe is not worth a word: {stderr}"
    );
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

fn run(args: &[&str]) -> Run {
    binary::run(zhongdian().args(args))
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A folder holding two seed reports.
fn seeds() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["000_b446202f4aa57d8a.txt", "003_0c41b430a93a6d9e.txt"] {
        fs::copy(root().join("data").join(name), dir.path().join(name)).unwrap();
    }
    dir
}

#[test]
fn report_and_evidence_say_on_stderr_what_was_skipped_and_why() {
    let corpus = seeds();
    // A binary file whose name would drive the terminal, and a manifest entry for a file
    // that is not there.
    fs::write(corpus.path().join("zeros\u{1b}[2J.txt"), [0u8; 64]).unwrap();
    fs::write(
        corpus.path().join("meetings.toml"),
        "[\"gone.txt\"]\nyear = 2020\n",
    )
    .unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = zhongdian::cache::Cache::for_corpus(cache_dir.path(), corpus.path());
    let (c, d) = (path(corpus.path()), path(cache_dir.path()));
    let runs: [&[&str]; 5] = [
        &["report", c, "--cache-dir", d],
        &[
            "report",
            c,
            "--by",
            "meeting",
            "--format",
            "json",
            "--cache-dir",
            d,
        ],
        &["evidence", c, "--theme", "招商引资", "--cache-dir", d],
        &["check", c, "--format", "json"],
        &["check", c, "--format", "csv"],
    ];
    for args in runs {
        fs::write(&cache.path, b"not a cache").unwrap();
        let run = run(args);
        assert_eq!(run.code, Some(0), "{args:?}: {}", run.stderr);
        assert!(!run.stdout.is_empty(), "{args:?}");
        for said in ["zeros\u{fffd}[2J.txt: skipped: ", "binary", "`gone.txt`"] {
            assert!(
                run.stderr.contains(said),
                "{args:?}: {said} in {}",
                run.stderr
            );
        }
        if args[0] != "check" {
            assert!(
                run.stderr.contains("is damaged; rebuilding"),
                "{}",
                run.stderr
            );
        }
        assert!(
            !run.stderr.contains('\u{1b}'),
            "{args:?}: raw escape on stderr"
        );
        assert!(
            run.stderr.lines().all(|l| l.starts_with("zhongdian: ")),
            "{}",
            run.stderr
        );
    }
    // Where the table lists them itself, they are not said twice.
    let table = run(&["check", c]);
    assert!(table.stdout.contains("skipped: "), "{}", table.stdout);
    assert!(table.stderr.is_empty(), "{}", table.stderr);
}

/// A taxonomy of one theme whose keyword weighs 0.1: three hits add up to
/// 0.30000000000000004 in floating point.
fn tenth_weight_themes(dir: &Path) {
    fs::write(
        dir.join("a.toml"),
        "name = \"招商引资\"\nlabel = \"Investment\"\ncolor = \"yellow\"\ndescription = \"d\"\nkeywords = [{ word = \"招商引资\", weight = 0.1 }]\n",
    )
    .unwrap();
}

#[test]
fn weighted_hits_are_exported_without_float_noise() {
    let corpus = tempfile::tempdir().unwrap();
    fs::write(
        corpus.path().join("a.txt"),
        "红旗区召开2024年经济工作会议。要抓招商引资。招商引资是生命线。招商引资要快。",
    )
    .unwrap();
    let themes = tempfile::tempdir().unwrap();
    tenth_weight_themes(themes.path());
    let (c, t) = (path(corpus.path()), path(themes.path()));
    for by in ["meeting", "district-year"] {
        let csv = run(&[
            "report",
            c,
            "--by",
            by,
            "--format",
            "csv",
            "--themes",
            t,
            "--no-cache",
        ]);
        assert_eq!(csv.code, Some(0), "{}", csv.stderr);
        let row = csv.stdout.lines().nth(1).unwrap();
        let header = csv.stdout.lines().next().unwrap();
        let column = header.split(',').position(|h| h == "hits").unwrap();
        assert_eq!(row.split(',').nth(column), Some("0.3"), "{by}: {row}");

        let json = run(&[
            "report",
            c,
            "--by",
            by,
            "--format",
            "json",
            "--themes",
            t,
            "--no-cache",
        ]);
        assert_eq!(json.code, Some(0), "{}", json.stderr);
        assert!(
            json.stdout.contains("\"hits\": 0.3,"),
            "{by}: {}",
            json.stdout
        );
        assert!(!json.stdout.contains("0.30000"), "{by}: {}", json.stdout);
    }
}

#[test]
fn evidence_skips_a_meeting_whose_text_cannot_be_read_again() {
    let corpus = seeds();
    let cache_dir = tempfile::tempdir().unwrap();
    let (c, d) = (path(corpus.path()), path(cache_dir.path()));
    let index = run(&["index", c, "--cache-dir", d]);
    assert_eq!(index.code, Some(0), "{}", index.stderr);
    let before = run(&["evidence", c, "--theme", "招商引资", "--cache-dir", d]);
    assert!(before.stdout.contains("000_b446202f4aa57d8a.txt\t"));
    assert!(before.stdout.contains("003_0c41b430a93a6d9e.txt\t"));

    // Overwritten behind the cache's back: same size and time, so the cached measures
    // stand, but the text is gone when evidence reads it again.
    let lost = corpus.path().join("000_b446202f4aa57d8a.txt");
    let meta = fs::metadata(&lost).unwrap();
    let file = fs::OpenOptions::new().write(true).open(&lost).unwrap();
    std::io::Write::write_all(&mut &file, &vec![0u8; meta.len() as usize]).unwrap();
    file.set_modified(meta.modified().unwrap()).unwrap();
    drop(file);

    let after = run(&["evidence", c, "--theme", "招商引资", "--cache-dir", d]);
    assert_eq!(after.code, Some(0), "{}", after.stderr);
    assert!(!after.stdout.contains("000_b446202f4aa57d8a.txt\t"));
    assert!(
        after.stdout.contains("003_0c41b430a93a6d9e.txt\t"),
        "the other meetings' sentences are still shown"
    );
    assert!(
        after
            .stderr
            .lines()
            .any(|l| l.starts_with("zhongdian: 000_b446202f4aa57d8a.txt: ")),
        "{}",
        after.stderr
    );
}

#[test]
fn evidence_skips_a_meeting_deleted_after_it_was_measured() {
    use zhongdian::analysis::Subject;
    use zhongdian::ingest::Options;

    let corpus = seeds();
    let options = Options::default();
    let analysis = analysis_of(corpus.path());
    fs::remove_file(corpus.path().join("000_b446202f4aa57d8a.txt")).unwrap();
    let investment = Subject::Theme(0);
    let found = analysis.evidence(&investment, &[0, 1], &options);
    let unreadable = found.unreadable;
    assert!(!found.sentences.is_empty() && found.sentences.iter().all(|e| e.meeting == 1));
    assert_eq!(unreadable.len(), 1);
    assert!(
        unreadable[0].starts_with("000_b446202f4aa57d8a.txt: ")
            && unreadable[0].ends_with("its sentences are left out"),
        "{unreadable:?}"
    );
}

#[test]
fn check_writes_csv_one_row_a_meeting() {
    let run = run(&["check", path(&root().join("data")), "--format", "csv"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "file,district,district_code,level,prefecture,province,district_as_printed,candidates,year,date,kind,title,chars,district_source,year_source,date_source,warnings"
    );
    assert_eq!(lines.len(), 1 + 5, "{}", run.stdout);
    let first = lines
        .iter()
        .find(|l| l.starts_with("000_b446202f4aa57d8a.txt,"))
        .unwrap();
    assert!(
        first.starts_with(
            "000_b446202f4aa57d8a.txt,红谷滩区,360113,county,南昌市,江西省,红谷滩区,,2026,2026-02-25,"
        ),
        "{first}"
    );
    // Every row has the header's columns (no cell of the seeds holds a comma), the
    // provenance after the facts and the warnings joined in the last.
    for line in &lines {
        assert_eq!(line.split(',').count(), 17, "{line}");
    }
    let undated = lines
        .iter()
        .find(|l| l.starts_with("004_0419f1f52e015af8.txt,"))
        .unwrap();
    assert!(
        undated.contains(",1363,body,,,unknown year; mojibake: "),
        "{undated}"
    );
}

#[test]
fn the_taxonomy_line_of_a_table_is_terminal_safe() {
    let work = tempfile::tempdir().unwrap();
    let themes = work.path().join("themes\u{1b}[2J");
    fs::create_dir(&themes).unwrap();
    for entry in fs::read_dir(root().join("themes")).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), themes.join(entry.file_name())).unwrap();
    }
    let data = root().join("data");
    for by in ["meeting", "district-year"] {
        let run = run(&[
            "report",
            path(&data),
            "--by",
            by,
            "--themes",
            path(&themes),
            "--no-cache",
        ]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        let first = run.stdout.lines().next().unwrap();
        assert!(
            first.starts_with("# taxonomy: themes\u{fffd}[2J (sha256 "),
            "{first}"
        );
        assert!(!run.stdout.contains('\u{1b}'), "{by}: raw escape on stdout");
    }
    // CSV has no escapes of its own: the name arrives as the literal text `\u001b`.
    let csv = run(&[
        "report",
        path(&data),
        "--format",
        "csv",
        "--themes",
        path(&themes),
        "--no-cache",
    ]);
    let row = csv.stdout.lines().nth(1).unwrap();
    assert!(row.contains(",themes\\u001b[2J,"), "{row}");
}

#[test]
fn a_cache_directory_inside_the_corpus_or_the_themes_is_not_written() {
    let corpus = seeds();
    let themes = tempfile::tempdir().unwrap();
    for entry in fs::read_dir(root().join("themes")).unwrap() {
        let file = entry.unwrap().path();
        fs::copy(&file, themes.path().join(file.file_name().unwrap())).unwrap();
    }
    let listing = |dir: &Path| {
        let mut names: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        names
    };
    let (corpus_before, themes_before) = (listing(corpus.path()), listing(themes.path()));
    for inside in [corpus.path().join("cache"), themes.path().join("a/b")] {
        let run = run(&[
            "report",
            path(corpus.path()),
            "--themes",
            path(themes.path()),
            "--cache-dir",
            path(&inside),
        ]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert!(run.stderr.contains("nothing is cached"), "{}", run.stderr);
        assert!(
            run.stdout.contains("红谷滩区"),
            "the report is made all the same"
        );
    }
    assert_eq!(listing(corpus.path()), corpus_before);
    assert_eq!(listing(themes.path()), themes_before);

    // Beside them, the cache is written as usual.
    let beside = tempfile::tempdir().unwrap();
    let run = run(&[
        "report",
        path(corpus.path()),
        "--cache-dir",
        path(beside.path()),
    ]);
    assert!(!run.stderr.contains("nothing is cached"), "{}", run.stderr);
    // The cache file and the tokens file of the reports' cuts beside it.
    let written = listing(beside.path());
    assert_eq!(written.len(), 2, "{written:?}");
    for kind in [".cache", ".tokens"] {
        let named = written.iter().any(|f| f.to_string_lossy().ends_with(kind));
        assert!(named, "{written:?}");
    }
}

#[test]
fn report_pools_district_years_into_prefectures_and_provinces() {
    let data = root().join("data");
    let prefecture = run(&[
        "report",
        path(&data),
        "--level",
        "prefecture",
        "--format",
        "csv",
        "--theme",
        "招商引资",
    ]);
    assert_eq!(prefecture.code, Some(0), "{}", prefecture.stderr);
    // 红谷滩区 (2026) and 南昌经济技术开发区 (2020) are both 南昌市's.
    let nanchang: Vec<&str> = prefecture
        .stdout
        .lines()
        .filter(|l| l.starts_with("南昌市,360100,prefecture,"))
        .collect();
    assert_eq!(nanchang.len(), 2, "{}", prefecture.stdout);
    assert!(nanchang.iter().any(|l| l.contains(",2020,1,")));
    assert!(nanchang.iter().any(|l| l.contains(",2026,1,")));
    assert!(!prefecture.stdout.contains("红谷滩区"));

    let province = run(&[
        "report",
        path(&data),
        "--level",
        "province",
        "--format",
        "json",
    ]);
    assert_eq!(province.code, Some(0), "{}", province.stderr);
    let v: serde_json::Value = serde_json::from_str(&province.stdout).unwrap();
    assert_eq!(v["level"], "province");
    let jiangxi: Vec<&serde_json::Value> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["district"] == "江西省")
        .collect();
    assert_eq!(jiangxi.len(), 2, "one group a year");
    assert!(jiangxi
        .iter()
        .all(|g| g["units"] == 1 && g["meetings"] == 1));
}

#[test]
fn evidence_finds_a_district_by_name_old_name_or_code_and_refuses_a_name_of_two() {
    let dir = tempfile::tempdir().unwrap();
    let report = |code: &str, year: i32| {
        format!("+++\ndistrict = \"{code}\"\nyear = {year}\n+++\n会议强调，要狠抓招商引资，招商引资是生命线。\n")
    };
    // Two 鼓楼区 (福州, 南京) and 双流 (双流县 until 2015, 双流区 since).
    fs::write(dir.path().join("a.txt"), report("350102", 2020)).unwrap();
    fs::write(dir.path().join("b.txt"), report("320106", 2021)).unwrap();
    fs::write(dir.path().join("c.txt"), report("510116", 2019)).unwrap();
    let c = path(dir.path());
    let evidence = |district: &str| {
        run(&[
            "evidence",
            c,
            "--theme",
            "招商引资",
            "--district",
            district,
            "--no-cache",
        ])
    };
    let both = evidence("鼓楼区");
    assert_ne!(both.code, Some(0));
    assert!(both.stderr.contains("fits several"), "{}", both.stderr);
    assert!(both.stderr.contains("350102") && both.stderr.contains("320106"));
    let fuzhou = evidence("350102");
    assert_eq!(fuzhou.code, Some(0), "{}", fuzhou.stderr);
    assert!(fuzhou.stdout.lines().all(|l| l.starts_with("a.txt\t")));
    assert!(!fuzhou.stdout.is_empty());
    let old_name = evidence("双流县");
    assert_eq!(old_name.code, Some(0), "{}", old_name.stderr);
    assert!(old_name.stdout.lines().all(|l| l.starts_with("c.txt\t")));
    assert!(!old_name.stdout.is_empty());
    let none = evidence("红谷滩区");
    assert_ne!(none.code, Some(0));
    assert!(none.stderr.contains("no meetings"), "{}", none.stderr);
}

#[test]
fn completions_and_the_manual_page_come_from_the_command_line_definitions() {
    let bash = run(&["completions", "bash"]);
    assert_eq!(bash.code, Some(0), "{}", bash.stderr);
    assert!(bash.stdout.contains("zhongdian") && bash.stdout.contains("adoption"));
    let fish = run(&["completions", "fish"]);
    assert!(fish.stdout.contains("trend"), "{}", fish.stdout);
    let man = run(&["man"]);
    assert_eq!(man.code, Some(0), "{}", man.stderr);
    assert!(
        man.stdout.starts_with(".ie") || man.stdout.contains(".TH zhongdian"),
        "{}",
        &man.stdout[..200.min(man.stdout.len())]
    );
    assert!(
        man.stdout.contains("trend") && man.stdout.contains("\\-\\-no\\-cache"),
        "{}",
        man.stdout
    );
    let unknown = run(&["completions", "tcsh"]);
    assert_eq!(unknown.code, Some(2));
}

/// `check`'s three formats on data/, pinned byte for byte as `check` wrote them before it
/// streamed its records (the snapshots were compared with that version's output), and
/// the same whether the records are read from the reports or taken from the cache.
#[test]
fn check_writes_each_format_as_before_whether_read_or_cached() {
    let data = root().join("data");
    let cache = tempfile::tempdir().unwrap();
    let d = path(cache.path());
    let indexed = run(&["index", path(&data), "--cache-dir", d]);
    assert_eq!(indexed.code, Some(0), "{}", indexed.stderr);
    for format in ["json", "csv", "table"] {
        let read = run(&["check", path(&data), "--format", format, "--no-cache"]);
        assert_eq!(read.code, Some(0), "{}", read.stderr);
        let cached = run(&["check", path(&data), "--format", format, "--cache-dir", d]);
        assert_eq!(cached.stdout, read.stdout, "{format}: cached as read");
        insta::assert_snapshot!(format!("check_{format}"), read.stdout);
    }
}

/// A cache that cannot be written — its folder is a file, so nothing can be created in
/// it — is one warning: the command still answers, the same as without a cache, and
/// nothing half-written is left for the next run.
#[test]
fn a_cache_that_cannot_be_written_is_one_warning_and_the_answer_stands() {
    let corpus = seeds();
    let c = path(corpus.path());
    let blocked = tempfile::tempdir().unwrap();
    let not_a_folder = blocked.path().join("cache");
    fs::write(&not_a_folder, "a file where the cache folder should be").unwrap();
    let d = path(&not_a_folder);
    let uncached = run(&["report", c, "--format", "csv", "--no-cache"]);
    for _ in 0..2 {
        let answer = run(&["report", c, "--format", "csv", "--cache-dir", d]);
        assert_eq!(answer.code, Some(0), "{}", answer.stderr);
        assert_eq!(answer.stdout, uncached.stdout);
        let lines: Vec<&str> = answer.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "one warning: {}", answer.stderr);
        assert!(lines[0].contains("cannot create"), "{}", answer.stderr);
    }
    assert_eq!(
        fs::read_to_string(&not_a_folder).unwrap(),
        "a file where the cache folder should be"
    );
    assert_eq!(fs::read_dir(blocked.path()).unwrap().count(), 1);
}
