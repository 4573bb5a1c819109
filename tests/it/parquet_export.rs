//! `--format parquet -o FILE`: each long-form export read back with the parquet crate's
//! own reader and held against the CSV of the same command: the same columns in the
//! same order, each of its type, the same values (nulls where the CSV cell is empty),
//! the taxonomy and the corpus in the file's metadata. And the outputs refused: Parquet
//! to standard output, any output inside the corpus.

use std::fs::File;
use std::path::{Path, PathBuf};

use parquet::basic::{LogicalType, Type as Physical};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use zhongdian::meeting::Date;

use crate::support::binary::{run, zhongdian, Run};

fn data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data")
}

fn zhongdian_run(args: &[&str]) -> Run {
    run(zhongdian().args(args).arg("--no-cache"))
}

/// The cells of a CSV line as RFC 4180 reads them (no line breaks inside cells here).
fn csv_cells(line: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                cells.last_mut().unwrap().push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => cells.push(String::new()),
            c => cells.last_mut().unwrap().push(c),
        }
    }
    cells
}

/// A Parquet value as the CSV writes it: a null as an empty cell, a date as YYYY-MM-DD.
fn as_csv_cell(field: &Field) -> String {
    match field {
        Field::Null => String::new(),
        // An empty CSV cell is a null: an empty string would be a different value.
        Field::Str(s) if s.is_empty() => "\"\" (an empty string, not a null)".to_owned(),
        Field::Str(s) => s.clone(),
        Field::Long(n) => n.to_string(),
        Field::Int(n) => n.to_string(),
        Field::Double(x) => x.to_string(),
        Field::Bool(b) => b.to_string(),
        Field::Date(days) => Date::new(1970, 1, 1)
            .unwrap()
            .plus_days(i64::from(*days))
            .to_string(),
        other => panic!("a type no export writes: {other:?}"),
    }
}

/// The physical and logical type a column of this kind is written as.
fn parquet_type(kind: &str) -> (Physical, Option<LogicalType>) {
    match kind {
        "text" => (Physical::BYTE_ARRAY, Some(LogicalType::String)),
        "int64" => (Physical::INT64, None),
        "int32" => (Physical::INT32, None),
        "double" => (Physical::DOUBLE, None),
        "date" => (Physical::INT32, Some(LogicalType::Date)),
        "bool" => (Physical::BOOLEAN, None),
        other => panic!("no kind {other}"),
    }
}

/// Runs `args` as CSV on stdout and as Parquet into a file, and checks the file against
/// the CSV: the CSV's header as its columns, each of the kind `kinds` gives it, the
/// CSV's rows as its rows, and the stamp in its metadata (the CSV's taxonomy, when its
/// rows carry one). Returns the CSV's rows, the header first.
fn parquet_matches_csv(corpus: &Path, args: &[&str], kinds: &[&str]) -> Vec<Vec<String>> {
    let csv = zhongdian_run(&[args, &["--format", "csv"]].concat());
    assert_eq!(csv.code, Some(0), "{}", csv.stderr);
    let rows: Vec<Vec<String>> = csv.stdout.lines().map(csv_cells).collect();
    let (header, body) = rows.split_first().unwrap();
    assert!(!body.is_empty(), "the test needs rows: {}", csv.stdout);

    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("export.parquet");
    let written =
        zhongdian_run(&[args, &["--format", "parquet", "-o", file.to_str().unwrap()]].concat());
    assert_eq!(written.code, Some(0), "{}", written.stderr);
    assert!(written.stdout.is_empty(), "nothing on stdout");

    let reader = SerializedFileReader::new(File::open(&file).unwrap()).unwrap();
    let metadata = reader.metadata();
    let columns = metadata.file_metadata().schema_descr().columns().to_vec();
    let names: Vec<&str> = columns.iter().map(|c| c.name()).collect();
    assert_eq!(names, *header);
    assert_eq!(kinds.len(), header.len(), "a kind a column");
    for (column, kind) in columns.iter().zip(kinds) {
        assert_eq!(
            (column.physical_type(), column.logical_type_ref().cloned()),
            parquet_type(kind),
            "{}",
            column.name()
        );
    }
    assert_eq!(metadata.num_row_groups(), 1, "a small export is one group");

    let read: Vec<Vec<String>> = reader
        .get_row_iter(None)
        .unwrap()
        .map(|row| {
            row.unwrap()
                .get_column_iter()
                .map(|(_, field)| as_csv_cell(field))
                .collect()
        })
        .collect();
    assert_eq!(read, body);

    let stamp: Vec<(String, String)> = metadata
        .file_metadata()
        .key_value_metadata()
        .unwrap()
        .iter()
        .map(|kv| (kv.key.clone(), kv.value.clone().unwrap_or_default()))
        .collect();
    let value = |key: &str| {
        stamp
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("no {key} in {stamp:?}"))
    };
    assert_eq!(
        value("corpus"),
        corpus.canonicalize().unwrap().to_str().unwrap()
    );
    assert_eq!(value("taxonomy"), "themes (built in)");
    assert_eq!(value("taxonomy_sha256").len(), 64);
    if let Some(at) = header.iter().position(|c| c == "taxonomy_sha256") {
        assert_eq!(value("taxonomy_sha256"), body[0][at]);
        assert_eq!(value("taxonomy"), body[0][at - 1]);
    }
    rows
}

const UNIT: [&str; 5] = ["text"; 5];

#[test]
fn report_by_district_year_as_parquet_is_its_csv_typed() {
    let data = data();
    let kinds = [
        &UNIT[..],
        &[
            "int32", "int64", "text", "double", "double", "int64", "int64", "text", "text",
        ],
    ]
    .concat();
    let rows = parquet_matches_csv(&data, &["report", data.to_str().unwrap()], &kinds);
    // The undated unit's year is a null, not a zero.
    assert!(rows.iter().any(|r| r[5].is_empty()), "{rows:?}");
}

#[test]
fn report_by_meeting_and_by_tenure_as_parquet_are_their_csv_typed() {
    let data = data();
    let by_meeting = [
        &["text"][..],
        &UNIT,
        &[
            "int32", "text", "double", "double", "int64", "int64", "int64", "text", "text",
        ],
    ]
    .concat();
    parquet_matches_csv(
        &data,
        &["report", data.to_str().unwrap(), "--by", "meeting"],
        &by_meeting,
    );
    let by_tenure = [
        &UNIT[..],
        &[
            "text", "text", "bool", "date", "date", "int64", "text", "double", "double", "int64",
            "int64", "text", "text",
        ],
    ]
    .concat();
    parquet_matches_csv(
        &data,
        &["report", data.to_str().unwrap(), "--by", "tenure"],
        &by_tenure,
    );
}

#[test]
fn trend_and_adoption_as_parquet_are_their_csv_typed() {
    let corpus = crate::trends::corpus();
    let dir = corpus.path().to_str().unwrap();
    let trend = [
        "text", "text", "text", "int32", "int64", "int64", "double", "int64", "double", "int64",
        "int64", "double", "double",
    ];
    // By year, for the whole corpus: the unit's columns are nulls.
    parquet_matches_csv(
        corpus.path(),
        &["trend", dir, "河长*", "--smooth", "1"],
        &trend,
    );
    parquet_matches_csv(
        corpus.path(),
        &["trend", dir, "河长制", "--by", "district-year"],
        &trend,
    );
    let adoption = [
        "text", "text", "text", "text", "text", "date", "int32", "text", "text",
    ];
    let rows = parquet_matches_csv(corpus.path(), &["adoption", dir, "河长制"], &adoption);
    // A unit that never says it: its first mention's cells are nulls.
    assert!(rows.iter().any(|r| r[5].is_empty() && r[7].is_empty()));
    let curve = ["text", "int32", "int64", "int64", "double"];
    parquet_matches_csv(
        corpus.path(),
        &["adoption", dir, "河长制", "--curve"],
        &curve,
    );
}

#[test]
fn parquet_without_a_file_is_refused_in_one_line_with_status_2() {
    let data = data();
    for args in [
        &["report", data.to_str().unwrap(), "--format", "parquet"][..],
        &[
            "trend",
            data.to_str().unwrap(),
            "项目",
            "--format",
            "parquet",
        ],
    ] {
        let out = zhongdian_run(args);
        assert_eq!(out.code, Some(2), "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "no binary data on stdout");
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
        assert!(out.stderr.contains("-o FILE"), "{}", out.stderr);
    }
    // The commands without a long-form export do not offer it.
    let check = zhongdian_run(&["check", data.to_str().unwrap(), "--format", "parquet"]);
    assert_eq!(check.code, Some(2), "{}", check.stderr);
}

#[test]
fn an_output_inside_the_corpus_is_refused_before_the_corpus_is_read() {
    let corpus = crate::trends::corpus();
    let inside = corpus.path().join("themes.parquet");
    let out = zhongdian_run(&[
        "report",
        corpus.path().to_str().unwrap(),
        "--format",
        "parquet",
        "-o",
        inside.to_str().unwrap(),
    ]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains("inside") && out.stderr.contains("never writes into"),
        "{}",
        out.stderr
    );
    assert!(!inside.exists());
    assert_eq!(std::fs::read_dir(corpus.path()).unwrap().count(), 6);
}

#[test]
fn an_output_file_takes_any_format_and_only_commands_that_write_data() {
    let corpus = crate::trends::corpus();
    let dir = corpus.path().to_str().unwrap();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("trend.csv");
    let to_file = zhongdian_run(&[
        "trend",
        dir,
        "河长制",
        "--format",
        "csv",
        "--bom",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(to_file.code, Some(0), "{}", to_file.stderr);
    assert!(to_file.stdout.is_empty());
    let to_stdout = zhongdian_run(&["trend", dir, "河长制", "--format", "csv"]);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        format!("\u{feff}{}", to_stdout.stdout)
    );
    let index = zhongdian_run(&["index", dir, "-o", file.to_str().unwrap()]);
    assert_eq!(index.code, Some(2), "{}", index.stderr);
    assert!(index.stderr.contains("writes none"), "{}", index.stderr);
}
