//! Tables in (issue 17): a JSON Lines or CSV file of reports, one a row, reads as the
//! same reports kept as files would; a bad row is a warning naming `file:row`, and the
//! other rows load; editing one row measures that row again alone.

use std::fs;
use std::path::Path;

use zhongdian::analysis::{Analysis, Loader};
use zhongdian::cache::Cache;
use zhongdian::ingest::{self, Corpus, Options};
use zhongdian::measure::Measurer;
use zhongdian::taxonomy::Taxonomy;

use crate::support::binary::{run, zhongdian};

/// A report: a headline, a text (HTML or plain), where it was found.
struct Report {
    title: &'static str,
    text: String,
    url: &'static str,
    /// The extension of its file when kept as one.
    ext: &'static str,
}

fn seed(name: &str) -> String {
    fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data")
            .join(name),
    )
    .expect("seed report in data/")
}

/// Three seed reports under their headlines — one in traditional script, one with its
/// paragraphs as HTML — whose texts hold commas, quotes and line breaks, as a CSV cell's
/// must be quoted.
fn reports() -> Vec<Report> {
    let html: String = seed("004_0419f1f52e015af8.txt")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!("<p>{l}</p>\n"))
        .collect();
    vec![
        Report {
            title: "红谷滩区召开2026年重点工作布置会",
            text: seed("000_b446202f4aa57d8a.txt"),
            url: "http://www.hgt.gov.cn/news/1.html",
            ext: "txt",
        },
        Report {
            title: "豐澤區政府召開第二次全體會議",
            text: format!("他說：\"抓項目\"。\n{}", seed("003_0c41b430a93a6d9e.txt")),
            url: "http://www.fz.gov.cn/2.html",
            ext: "txt",
        },
        Report {
            title: "红旗区召开项目建设大会",
            text: html,
            url: "http://www.hq.gov.cn/3.html",
            ext: "html",
        },
    ]
}

/// The bytes of `text` in `encoding` ("UTF-8" or "gb18030").
fn encoded(text: &str, encoding: &str) -> Vec<u8> {
    let encoding = encoding_rs::Encoding::for_label(encoding.as_bytes()).expect("an encoding");
    let (bytes, _, unmappable) = encoding.encode(text);
    assert!(
        !unmappable,
        "every character has a byte form in {encoding:?}"
    );
    bytes.into_owned()
}

fn jsonl(reports: &[Report]) -> String {
    reports
        .iter()
        .map(|r| {
            let row = serde_json::json!({"title": r.title, "text": r.text, "url": r.url});
            format!("{row}\n")
        })
        .collect()
}

fn csv(reports: &[Report]) -> String {
    let quoted = |cell: &str| format!("\"{}\"", cell.replace('"', "\"\""));
    let mut table = "title,text,url\r\n".to_owned();
    for r in reports {
        let cells = [r.title, &r.text, r.url].map(quoted);
        table.push_str(&cells.join(","));
        table.push_str("\r\n");
    }
    table
}

/// The same reports as files, `r0.txt` …, with what the url column says of each stated
/// in `meetings.toml`, as a user would keep them.
fn as_files(dir: &Path, reports: &[Report], encoding: &str) {
    let mut manifest = String::new();
    for (i, r) in reports.iter().enumerate() {
        let name = format!("r{i}.{}", r.ext);
        let page = format!("{}\n{}", r.title, r.text);
        fs::write(dir.join(&name), encoded(&page, encoding)).unwrap();
        manifest.push_str(&format!("[\"{name}\"]\nsource = \"{}\"\n\n", r.url));
    }
    fs::write(dir.join("meetings.toml"), manifest).unwrap();
}

fn check_json(corpus: &Path) -> Vec<serde_json::Value> {
    let out = run(zhongdian()
        .args(["check", "--no-cache", "--format", "json"])
        .arg(corpus));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("check's JSON")
}

/// Every record with its file name taken out, and the names.
fn without_files(mut records: Vec<serde_json::Value>) -> (Vec<serde_json::Value>, Vec<String>) {
    let names = records
        .iter_mut()
        .map(|r| {
            let name = r["file"].as_str().expect("a file name").to_owned();
            r["file"] = serde_json::Value::Null;
            name
        })
        .collect();
    (records, names)
}

/// A corpus folder holding `files`: (name, contents) pairs.
fn folder(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        fs::write(dir.path().join(name), bytes).unwrap();
    }
    dir
}

fn load(dir: &Path) -> Corpus {
    ingest::load(dir, &Options::default()).expect("the corpus folder is readable")
}

#[test]
fn a_table_gives_the_records_its_reports_give_as_files() {
    let reports = reports();
    for encoding in ["UTF-8", "gb18030"] {
        let files = tempfile::tempdir().unwrap();
        as_files(files.path(), &reports, encoding);
        let (expected, _) = without_files(check_json(files.path()));
        let by_file = load(files.path());
        assert_eq!(
            by_file.reports.len(),
            reports.len(),
            "{:?}",
            by_file.skipped
        );

        for (name, table) in [("news.jsonl", jsonl(&reports)), ("news.csv", csv(&reports))] {
            let tables = folder(&[(name, &encoded(&table, encoding))]);
            let (got, names) = without_files(check_json(tables.path()));
            assert_eq!(names, [1, 2, 3].map(|n| format!("{name}:{n}")));
            assert_eq!(got, expected, "{name} in {encoding}");

            // The whole record, encoding and cleaning steps too, and the same text.
            let by_row = load(tables.path());
            assert!(by_row.skipped.is_empty(), "{:?}", by_row.skipped);
            for (row, file) in by_row.reports.iter().zip(&by_file.reports) {
                let mut meeting = row.meeting.clone();
                meeting.file = file.meeting.file.clone();
                assert_eq!(meeting, file.meeting, "{name} in {encoding}");
                assert_eq!(row.text, file.text);
            }
        }
    }
}

#[test]
fn a_rows_columns_are_its_headline_date_source_and_stated_facts() {
    // Neither text names its year or its holder: the columns do.
    let rows = [
        serde_json::json!({"标题": "全区项目建设推进会召开", "正文": "3月5日上午，会议部署项目建设。",
            "发布时间": "2019年3月6日 10:21", "来源": "红旗区人民政府网"}),
        serde_json::json!({"title": "会议召开", "body": "会议部署项目建设。",
            "district": "丰泽区", "year": 2018, "date": "not a day"}),
    ];
    let table: String = rows.iter().map(|r| format!("{r}\n")).collect();
    let dir = folder(&[("site.ndjson", table.as_bytes())]);
    let corpus = load(dir.path());
    assert!(corpus.skipped.is_empty(), "{:?}", corpus.skipped);
    let [first, second] = &corpus.reports[..] else {
        panic!("two rows, two reports")
    };
    let first = &first.meeting;
    assert_eq!(first.title.as_deref(), Some("全区项目建设推进会召开"));
    let year = first.year.as_ref().expect("the date column gives the year");
    assert_eq!(
        (year.value, year.provenance.to_string()),
        (2019, "header".into())
    );
    let district = first
        .district
        .as_ref()
        .expect("the source column names the holder");
    assert_eq!(
        (district.value.name(), district.provenance.to_string()),
        ("红旗区", "header".into())
    );

    let second = &second.meeting;
    let district = second.district.as_ref().expect("stated");
    assert_eq!(
        (district.value.name(), district.provenance.to_string()),
        ("丰泽区", "table".into())
    );
    let year = second.year.as_ref().expect("stated");
    assert_eq!(
        (year.value, year.provenance.to_string()),
        (2018, "table".into())
    );
    assert!(
        second
            .warnings
            .iter()
            .any(|w| w.contains("date column: `not a day`")),
        "{:?}",
        second.warnings
    );
}

#[test]
fn columns_named_on_the_command_line_are_the_ones_read() {
    let dir = folder(&[(
        "scraped.tsv",
        "headline\tarticle\ttext\n红旗区召开项目建设大会\t红旗区召开项目建设大会，部署全年项目建设。\t导航\n"
            .as_bytes(),
    )]);
    let out = run(zhongdian()
        .args(["check", "--no-cache", "--format", "json"])
        .args(["--text-column", "article", "--title-column", "headline"])
        .arg(dir.path()));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let records: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(records[0]["title"], "红旗区召开项目建设大会");
    assert_eq!(records[0]["district"], "红旗区");
    assert!(records[0]["chars"].as_u64().unwrap() > 10, "{}", records[0]);
}

#[test]
fn each_bad_row_is_a_warning_naming_it_and_the_other_rows_load() {
    let good = |n: usize| serde_json::json!({"text": format!("红旗区召开第{n}次项目建设大会。")});
    let big = "项".repeat(400_000); // 1.2 MB of UTF-8: over a cap of 1 MiB
    let jsonl = [
        good(1).to_string(),
        "{\"text\": \"红旗区召开会议\"".to_owned(),
        serde_json::json!({"text": "  ", "title": "空"}).to_string(),
        serde_json::json!({"text": big}).to_string(),
        "[\"not\", \"an object\"]".to_owned(),
        good(2).to_string(),
    ]
    .join("\n");
    let dir = folder(&[
        ("news.jsonl", jsonl.as_bytes()),
        (
            "more.csv",
            "title,text\n会议,红旗区召开会议。\n会议,红旗区,召开会议。\n会议\n,红旗区召开第三次会议。\n"
                .as_bytes(),
        ),
    ]);
    let options = Options {
        max_file_bytes: 1024 * 1024,
        ..Options::default()
    };
    let corpus = ingest::load(dir.path(), &options).unwrap();
    let loaded: Vec<&str> = corpus
        .reports
        .iter()
        .map(|r| r.meeting.file.as_str())
        .collect();
    assert_eq!(
        loaded,
        ["more.csv:1", "more.csv:4", "news.jsonl:1", "news.jsonl:6"]
    );
    let skipped: Vec<(&str, &str)> = corpus
        .skipped
        .iter()
        .map(|s| (s.file.as_str(), s.reason.as_str()))
        .collect();
    let expected = [
        ("more.csv:2", "3 field(s) where the header names 2 columns"),
        ("more.csv:3", "1 field(s) where the header names 2 columns"),
        (
            "news.jsonl:2",
            "malformed JSON: EOF while parsing an object",
        ),
        ("news.jsonl:3", "empty text: its text column is blank"),
        ("news.jsonl:4", "larger than the 1 MiB limit for one report"),
        (
            "news.jsonl:5",
            "expected a JSON object of fields, one a line",
        ),
    ];
    assert_eq!(skipped.len(), expected.len(), "{skipped:?}");
    for ((file, reason), (want_file, want_reason)) in skipped.iter().zip(expected) {
        assert_eq!(*file, want_file);
        assert!(reason.starts_with(want_reason), "{file}: {reason}");
    }

    // The command line says the same, on stderr, a line each.
    let out = run(zhongdian()
        .args(["report", "--no-cache", "--max-file-mib", "1"])
        .arg(dir.path()));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    for (file, _) in expected {
        assert!(
            out.stderr.lines().any(|l| l.contains(file)),
            "{file} not named:\n{}",
            out.stderr
        );
    }
}

/// `count` reports of a district each, to make a table of.
fn rows(count: usize) -> Vec<serde_json::Value> {
    let sentences = crate::support::synthetic::seed_sentences(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("data"),
    );
    (0..count)
        .map(|i| {
            let body: String = (0..5)
                .map(|k| sentences[(i * 7 + k) % sentences.len()].as_str())
                .collect();
            serde_json::json!({
                "title": format!("红旗区召开第{}次项目建设大会", i + 1),
                "text": body,
                "date": format!("2019-03-{:02}", i % 28 + 1),
            })
        })
        .collect()
}

fn write_jsonl(path: &Path, rows: &[serde_json::Value]) {
    let table: String = rows.iter().map(|r| format!("{r}\n")).collect();
    fs::write(path, table).unwrap();
}

fn build(corpus: &Path, cache: Option<&Cache>) -> Analysis {
    Loader::new(corpus, &Options::default())
        .with_cache(cache)
        .load(Measurer::new(Taxonomy::built_in().unwrap()))
        .expect("corpus")
}

#[test]
fn editing_one_row_measures_that_row_again_alone() {
    const ROWS: usize = 40;
    let corpus = tempfile::tempdir().unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = Cache::for_corpus(cache_dir.path(), corpus.path());
    let table = corpus.path().join("news.jsonl");
    let mut table_rows = rows(ROWS);
    write_jsonl(&table, &table_rows);

    let cold = build(corpus.path(), Some(&cache));
    assert_eq!((cold.cache.reused, cold.cache.measured), (0, ROWS));
    let warm = build(corpus.path(), Some(&cache));
    assert_eq!((warm.cache.reused, warm.cache.measured), (ROWS, 0));
    assert_eq!(warm.meetings, cold.meetings);

    // Row 7 made longer: every later row now starts elsewhere in the file, and the
    // table's time changed, but only row 7's bytes are new.
    table_rows[6]["text"] = serde_json::Value::String(format!(
        "{}会议强调，要抓好招商引资和项目建设。",
        table_rows[6]["text"].as_str().unwrap()
    ));
    write_jsonl(&table, &table_rows);
    let edited = build(corpus.path(), Some(&cache));
    assert_eq!((edited.cache.reused, edited.cache.measured), (ROWS - 1, 1));
    let fresh = build(corpus.path(), None);
    assert_eq!(edited.meetings, fresh.meetings);
    assert_ne!(edited.meetings[6], cold.meetings[6]);
    assert_eq!(edited.meetings[6].meeting.file, "news.jsonl:7");

    // The reader opens a row, before and after the edit, from a fresh listing and from
    // the cache's (the dashboard's first screen): the row's own text.
    let options = Options::default();
    let cached = Loader::new(corpus.path(), &options)
        .with_cache(Some(&cache))
        .cached(Measurer::new(Taxonomy::built_in().unwrap()))
        .expect("the cache holds an analysis");
    let read = ingest::load(corpus.path(), &options).unwrap();
    for m in [0, 6, 7, ROWS - 1] {
        let text = &read.reports[m].text;
        assert_eq!(&edited.text(m, &options).unwrap(), text, "row {}", m + 1);
        assert_eq!(&cached.text(m, &options).unwrap(), text, "row {}", m + 1);
    }
}

#[test]
fn meetings_toml_names_a_tables_columns_and_states_facts_of_all_its_rows() {
    let manifest = "[\"scraped.csv\"]\ntext-column = \"article\"\ntitle-column = \"headline\"\n\
         district = \"红旗区\"\nyear = 2019\n\n[\"scraped.csv:2\"]\nyear = 2020\n\n\
         [\"r.txt\"]\ntext-column = \"x\"\n";
    let dir = folder(&[
        (
            "scraped.csv",
            "headline,article\n会议召开,会议部署项目建设。\n会议召开,会议部署招商引资。\n"
                .as_bytes(),
        ),
        ("meetings.toml", manifest.as_bytes()),
        ("r.txt", "红旗区召开会议。".as_bytes()),
    ]);
    let corpus = load(dir.path());
    assert!(corpus.skipped.is_empty(), "{:?}", corpus.skipped);
    let of = |file: &str| {
        let m = &corpus
            .reports
            .iter()
            .find(|r| r.meeting.file == file)
            .unwrap()
            .meeting;
        let (d, y) = (m.district.as_ref().unwrap(), m.year.as_ref().unwrap());
        (
            d.value.name().to_owned(),
            d.provenance.to_string(),
            y.value,
            y.provenance.to_string(),
        )
    };
    let manifest = "manifest".to_owned();
    assert_eq!(
        of("scraped.csv:1"),
        ("红旗区".into(), manifest.clone(), 2019, manifest.clone())
    );
    assert_eq!(
        of("scraped.csv:2"),
        ("红旗区".into(), manifest.clone(), 2020, manifest)
    );
    assert_eq!(
        corpus.notices,
        ["meetings.toml line 10: names columns, but `r.txt` is not a table (.jsonl, .ndjson, .csv, .tsv) (entry `r.txt`)"]
    );
}

#[test]
fn other_columns_named_measure_the_rows_again() {
    let corpus = tempfile::tempdir().unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = Cache::for_corpus(cache_dir.path(), corpus.path());
    fs::write(
        corpus.path().join("t.jsonl"),
        "{\"text\": \"红旗区召开会议。\", \"full\": \"红旗区召开项目建设大会，部署项目建设。\"}\n",
    )
    .unwrap();
    let with = |columns: zhongdian::table::Columns| {
        let options = Options {
            columns,
            ..Options::default()
        };
        Loader::new(corpus.path(), &options)
            .with_cache(Some(&cache))
            .load(Measurer::new(Taxonomy::built_in().unwrap()))
            .unwrap()
    };
    let by_text = with(Default::default());
    let full = zhongdian::table::Columns {
        text: Some("full".into()),
        ..Default::default()
    };
    let by_full = with(full.clone());
    assert_eq!((by_full.cache.reused, by_full.cache.measured), (0, 1));
    assert!(by_full.meetings[0].measures.chars > by_text.meetings[0].measures.chars);
    let again = with(full);
    assert_eq!((again.cache.reused, again.cache.measured), (1, 0));
}
