//! Hostile input: one test per kind of bad file. Each proves three things about a folder
//! that holds the bad file beside two good seed reports: the bad file is skipped (or
//! read with a warning) and the warning names it and says why; the good reports still
//! load with their facts; and nothing panics (a panic fails the test).
//!
//! Then the read-only guarantee (the binary never writes into the corpus or the themes
//! folder) and the exit statuses scripts rely on.

use crate::support::mkfifo;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use zhongdian::analysis::Loader;
use zhongdian::ingest::{self, Corpus, Options};
use zhongdian::measure::Measurer;
use zhongdian::meeting::Meeting;
use zhongdian::taxonomy::Taxonomy;

use crate::support::binary;

use binary::Run;

const MIB: u64 = 1024 * 1024;

/// Two seeds whose district and year the text states, so "still loads" can be checked by
/// the facts read, not only by the file being there.
const GOOD: [(&str, &str, i32); 2] = [
    ("000_b446202f4aa57d8a.txt", "红谷滩区", 2026),
    ("001_5194929055dfe662.txt", "南昌经济技术开发区", 2020),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn seed(name: &str) -> String {
    fs::read_to_string(root().join("data").join(name)).expect("seed report in data/")
}

/// A temp corpus folder holding the two good seeds.
fn folder_with_good_reports() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, _, _) in GOOD {
        fs::write(dir.path().join(name), seed(name)).expect("write seed");
    }
    dir
}

fn write(dir: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, bytes).expect("write");
}

fn load(dir: &Path) -> Corpus {
    load_with(dir, &Options::default())
}

fn load_with(dir: &Path, options: &Options) -> Corpus {
    ingest::load(dir, options).expect("the corpus folder itself is readable")
}

fn meeting<'a>(corpus: &'a Corpus, file: &str) -> &'a Meeting {
    &corpus
        .reports
        .iter()
        .find(|r| r.meeting.file == file)
        .unwrap_or_else(|| {
            panic!(
                "{file} not read; read: {:?}; skipped: {:?}",
                files(corpus),
                corpus.skipped
            )
        })
        .meeting
}

fn files(corpus: &Corpus) -> Vec<&str> {
    corpus
        .reports
        .iter()
        .map(|r| r.meeting.file.as_str())
        .collect()
}

/// (b): the good seeds loaded, with the district and year their text states.
fn assert_good_reports_load(corpus: &Corpus) {
    for (name, district, year) in GOOD {
        let m = meeting(corpus, name);
        assert_eq!(
            m.district.as_ref().map(|d| d.value.name()),
            Some(district),
            "{name}"
        );
        assert_eq!(m.year.as_ref().map(|y| y.value), Some(year), "{name}");
    }
}

/// (a) for a skipped file: exactly one skip entry names it, and its reason contains
/// `why`; and the file is not among the reports.
fn assert_skipped(corpus: &Corpus, file: &str, why: &str) {
    let entries: Vec<_> = corpus.skipped.iter().filter(|s| s.file == file).collect();
    assert_eq!(
        entries.len(),
        1,
        "{file} should be skipped once: {:?}",
        corpus.skipped
    );
    assert!(
        entries[0].reason.contains(why),
        "{file}: reason {:?} should say {why:?}",
        entries[0].reason
    );
    assert!(
        !files(corpus).contains(&file),
        "{file} was skipped and read"
    );
}

/// (a) for a file read with a warning: the record of that file carries a warning that
/// starts with `why`.
fn assert_warned(corpus: &Corpus, file: &str, why: &str) {
    let m = meeting(corpus, file);
    assert!(
        m.warnings.iter().any(|w| w.starts_with(why)),
        "{file}: warnings {:?} should include one starting {why:?}",
        m.warnings
    );
}

/// Runs `f` on another thread and fails the test if it has not returned after `limit`:
/// a read that blocks (on a FIFO, say) must fail the test, not hang the suite.
fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("did not finish within {limit:?}: blocked or far too slow"))
}

// ---------------------------------------------------------------------------------------
// Empty and nearly empty files.

#[test]
fn an_empty_file_is_read_as_zero_characters_with_a_warning() {
    let dir = folder_with_good_reports();
    write(dir.path(), "empty.txt", b"");
    let corpus = load(dir.path());
    assert_good_reports_load(&corpus);
    let m = meeting(&corpus, "empty.txt");
    assert_eq!(m.chars, 0);
    assert_warned(&corpus, "empty.txt", "empty: no text");
    assert!(corpus.skipped.is_empty(), "{:?}", corpus.skipped);
}

#[test]
fn a_whitespace_only_file_is_read_as_zero_characters_with_a_warning() {
    let dir = folder_with_good_reports();
    // ASCII and ideographic spaces, tabs, CRLF: all blank.
    write(dir.path(), "blank.txt", " \t\r\n\u{3000}\n  \r\n\n");
    write(
        dir.path(),
        "blank.html",
        "<html><body>\n<p> </p>\n</body></html>",
    );
    let corpus = load(dir.path());
    assert_good_reports_load(&corpus);
    for file in ["blank.txt", "blank.html"] {
        assert_eq!(meeting(&corpus, file).chars, 0, "{file}");
        assert_warned(&corpus, file, "empty: no text");
    }
}

#[test]
fn a_file_of_front_matter_alone_is_empty_too() {
    let dir = folder_with_good_reports();
    write(dir.path(), "stated.txt", "+++\nyear = 2018\n+++\n");
    let corpus = load(dir.path());
    assert_good_reports_load(&corpus);
    let m = meeting(&corpus, "stated.txt");
    assert_eq!(m.year.as_ref().map(|y| y.value), Some(2018));
    assert_warned(&corpus, "stated.txt", "empty: no text");
}

#[test]
fn a_real_report_is_not_called_empty() {
    // The control for the three tests above: the warning is not given to everything.
    let dir = folder_with_good_reports();
    let corpus = load(dir.path());
    for report in &corpus.reports {
        assert!(
            !report
                .meeting
                .warnings
                .iter()
                .any(|w| w.starts_with("empty")),
            "{}: {:?}",
            report.meeting.file,
            report.meeting.warnings
        );
    }
}

// ---------------------------------------------------------------------------------------
// Bytes that are not text.

#[test]
fn a_binary_file_is_skipped_as_binary() {
    let dir = folder_with_good_reports();
    // A PNG header and deterministic noise: neither UTF-8 nor a legacy Chinese encoding.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0..8192u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    write(dir.path(), "photo.txt", &png);
    let noise: Vec<u8> = (0..8192u32)
        .map(|i| (i.wrapping_mul(0x9E37_79B9) >> 11) as u8 | 0x80)
        .collect();
    write(dir.path(), "noise.html", &noise);
    let corpus = load(dir.path());
    assert_good_reports_load(&corpus);
    assert_skipped(&corpus, "photo.txt", "binary");
    assert_skipped(&corpus, "noise.html", "binary");
}

#[test]
fn a_file_of_nul_bytes_is_skipped_as_binary() {
    let dir = folder_with_good_reports();
    // What a preallocated or zeroed file looks like: valid UTF-8, all control characters.
    write(dir.path(), "zeros.txt", vec![0u8; 64 * 1024]);
    let corpus = load(dir.path());
    assert_good_reports_load(&corpus);
    assert_skipped(&corpus, "zeros.txt", "binary");
}

#[test]
fn nul_bytes_inside_a_report_are_removed_with_a_warning() {
    let dir = folder_with_good_reports();
    // A report with a run of NULs in the middle, as a download resumed at the wrong
    // offset leaves it: the text is worth reading, the NULs are not text.
    let text = seed(GOOD[0].0);
    let cut = text.char_indices().nth(200).unwrap().0;
    let mut bytes = text.as_bytes()[..cut].to_vec();
    bytes.extend([0u8; 16]);
    bytes.extend(&text.as_bytes()[cut..]);
    write(dir.path(), "nul.txt", &bytes);
    let corpus = load(dir.path());
    assert_good_reports_load(&corpus);
    assert_warned(&corpus, "nul.txt", "16 NUL byte(s) removed");
    let report = corpus
        .reports
        .iter()
        .find(|r| r.meeting.file == "nul.txt")
        .unwrap();
    assert!(!report.text.contains('\0'));
    // The text around the NULs is whole: the same record as the clean copy.
    assert_eq!(
        report.meeting.chars,
        meeting(&corpus, GOOD[0].0).chars,
        "no character lost beside the NULs"
    );
}

#[test]
fn invalid_utf8_mid_file_is_replaced_with_a_warning_naming_the_byte() {
    let dir = folder_with_good_reports();
    let mut bytes = seed(GOOD[1].0).into_bytes();
    // Cut a three-byte character in half halfway through the file.
    let mid = (bytes.len() / 2..)
        .find(|&i| bytes[i] >= 0xE0)
        .expect("a Han character");
    bytes[mid + 1] = b'x';
    write(dir.path(), "damaged.txt", &bytes);
    let corpus = load(dir.path());
    assert_good_reports_load(&corpus);
    assert_warned(
        &corpus,
        "damaged.txt",
        &format!("invalid UTF-8 from byte {mid}"),
    );
    let m = meeting(&corpus, "damaged.txt");
    assert_eq!(m.encoding, "UTF-8", "not mistaken for GBK");
    assert_eq!(
        m.district.as_ref().map(|d| d.value.name()),
        Some("南昌经济技术开发区")
    );
}

#[test]
fn mixed_encodings_in_one_folder_all_read_the_same() {
    let dir = folder_with_good_reports();
    let text = seed(GOOD[0].0);
    let (gb, _, lossy) = encoding_rs::GB18030.encode(&text);
    assert!(!lossy);
    write(dir.path(), "gb18030.txt", &gb);
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    write(dir.path(), "utf16le.txt", &le);
    let mut be = vec![0xFE, 0xFF];
    be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    write(dir.path(), "utf16be.txt", &be);
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend(text.as_bytes());
    write(dir.path(), "utf8bom.txt", &bom);
    // Big5 is traditional Chinese: a traditional report, in the characters Big5 has.
    let traditional = "紅谷灘區2026年重點工作布置會召開。區委書記主持會議並講話，強調招商引資、項目建設與營商環境。";
    let (big5, _, lossy) = encoding_rs::BIG5.encode(traditional);
    assert!(!lossy);
    write(dir.path(), "big5.txt", &big5);

    let corpus = load(dir.path());
    assert!(corpus.skipped.is_empty(), "{:?}", corpus.skipped);
    assert_good_reports_load(&corpus);
    let reference = &corpus
        .reports
        .iter()
        .find(|r| r.meeting.file == GOOD[0].0)
        .unwrap()
        .text;
    for (file, encoding) in [
        ("gb18030.txt", "gb18030"),
        ("utf16le.txt", "UTF-16LE"),
        ("utf16be.txt", "UTF-16BE"),
        ("utf8bom.txt", "UTF-8"),
    ] {
        let report = corpus
            .reports
            .iter()
            .find(|r| r.meeting.file == file)
            .unwrap();
        assert_eq!(report.meeting.encoding, encoding, "{file}");
        assert_eq!(&report.text, reference, "{file} reads as the UTF-8 copy");
    }
    let m = meeting(&corpus, "big5.txt");
    assert_eq!(m.encoding, "Big5");
    assert!(m.was_traditional);
    assert_eq!(
        (
            m.district.as_ref().map(|d| d.value.name()),
            m.year.as_ref().map(|y| y.value)
        ),
        (Some("红谷滩区"), Some(2026))
    );
}

// ---------------------------------------------------------------------------------------
// Size.

#[test]
fn a_file_over_the_size_cap_is_skipped_naming_the_cap() {
    let dir = folder_with_good_reports();
    let three_mib = seed(GOOD[0].0).repeat((3 * MIB as usize) / seed(GOOD[0].0).len() + 1);
    assert!(three_mib.len() as u64 > 3 * MIB);
    write(dir.path(), "huge.txt", &three_mib);
    // Exactly at the cap is still a report: the limit is "larger than".
    let at_cap: String = "红".repeat((MIB / 3) as usize) + "\n";
    let at_cap = format!("{at_cap}{}", " ".repeat((MIB as usize) - at_cap.len()));
    assert_eq!(at_cap.len() as u64, MIB);
    write(dir.path(), "at_cap.txt", &at_cap);
    let corpus = load_with(
        dir.path(),
        &Options {
            max_file_bytes: MIB,
            ..Options::default()
        },
    );
    assert_good_reports_load(&corpus);
    assert_skipped(&corpus, "huge.txt", "larger than the 1 MiB limit");
    assert!(files(&corpus).contains(&"at_cap.txt"));
}

#[test]
fn reading_stops_at_the_cap_so_memory_is_bounded_by_it() {
    // A sparse file of 64 GiB: no disk used, but reading it whole would take minutes and
    // more memory than the machine has. Skipped at once, it proves the reader stops
    // after the cap (`Read::take`) rather than reading to the end and then comparing.
    let dir = folder_with_good_reports();
    let file = fs::File::create(dir.path().join("sparse.txt")).unwrap();
    file.set_len(64 * 1024 * MIB).unwrap();
    drop(file);
    let path = dir.path().to_path_buf();
    let corpus = within(Duration::from_secs(20), move || {
        load_with(
            &path,
            &Options {
                max_file_bytes: MIB,
                ..Options::default()
            },
        )
    });
    assert_good_reports_load(&corpus);
    assert_skipped(&corpus, "sparse.txt", "larger than the 1 MiB limit");
}

/// Seed prose without its line breaks (and, if `han_only`, without anything but Han
/// characters: no punctuation to split sentences or names at), repeated to `bytes`: one
/// enormous line.
fn one_line(bytes: usize, han_only: bool) -> String {
    let prose: String = seed(GOOD[0].0)
        .lines()
        .flat_map(str::chars)
        .filter(|&c| !han_only || zhongdian::text::is_han(c))
        .collect();
    let mut line = prose.repeat(bytes / prose.len() + 1);
    let cut = (0..=bytes)
        .rev()
        .find(|&i| line.is_char_boundary(i))
        .unwrap();
    line.truncate(cut);
    line
}

fn time_load(dir: &Path) -> (Duration, Corpus) {
    let started = Instant::now();
    let corpus = load(dir);
    (started.elapsed(), corpus)
}

/// Regression: inference once searched the whole text again for each mention of a
/// person (prose: 18 s for 10 MB in debug) and read the whole run of Han characters
/// before each candidate district name (Han only: quadratic too).
#[test]
fn a_ten_megabyte_line_loads_in_linear_time() {
    for han_only in [false, true] {
        let small = tempfile::tempdir().unwrap();
        write(small.path(), "line.txt", one_line(1_000_000, han_only));
        let dir = folder_with_good_reports();
        write(dir.path(), "line.txt", one_line(10_000_000, han_only));

        let (t_small, _) = time_load(small.path());
        let path = dir.path().to_path_buf();
        let (t_big, corpus) = within(Duration::from_secs(120), move || time_load(&path));
        assert_good_reports_load(&corpus);
        let m = meeting(&corpus, "line.txt");
        assert!(m.chars > 3_000_000, "{} Han characters", m.chars);
        // Ten times the input may take ten times as long, with room for noise; a
        // quadratic step takes a hundred times as long.
        assert!(
            t_big < t_small * 30 + Duration::from_secs(2),
            "han_only {han_only}: 1 MB line: {t_small:?}, 10 MB line: {t_big:?}"
        );
        eprintln!("han_only {han_only}: 1 MB line: {t_small:?}; 10 MB line: {t_big:?}");
    }
}

// ---------------------------------------------------------------------------------------
// The shape of the folder.

#[test]
fn folders_nested_a_hundred_deep_are_searched() {
    let dir = folder_with_good_reports();
    let deep: String = (0..100).map(|i| format!("d{i}/")).collect();
    let rel = format!("{deep}deep.txt");
    write(dir.path(), &rel, seed(GOOD[1].0));
    let corpus = load(dir.path());
    assert_good_reports_load(&corpus);
    let m = meeting(&corpus, &rel);
    assert_eq!(
        m.district.as_ref().map(|d| d.value.name()),
        Some("南昌经济技术开发区")
    );
    assert!(corpus.skipped.is_empty(), "{:?}", corpus.skipped);
}

#[test]
fn a_symlink_loop_is_skipped_and_named() {
    let dir = folder_with_good_reports();
    fs::create_dir(dir.path().join("sub")).unwrap();
    write(dir.path(), "sub/inner.txt", seed(GOOD[1].0));
    // sub/back → the corpus root: following it would list the corpus forever.
    std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/back")).unwrap();
    // And a link to nowhere, with a report's name.
    std::os::unix::fs::symlink(dir.path().join("gone.txt"), dir.path().join("dangling.txt"))
        .unwrap();
    let path = dir.path().to_path_buf();
    let corpus = within(Duration::from_secs(20), move || load(&path));
    assert_good_reports_load(&corpus);
    assert_skipped(&corpus, "sub/back", "symbolic link loop");
    assert_skipped(&corpus, "dangling.txt", "No such file");
    assert_eq!(
        files(&corpus),
        [GOOD[0].0, GOOD[1].0, "sub/inner.txt"],
        "each report once"
    );
}

#[test]
fn a_directory_named_like_a_report_is_searched_as_a_folder() {
    // `x.txt/` is a folder, not a bad file: it is not a report and not worth a warning,
    // and the reports inside it are read like any others.
    let dir = folder_with_good_reports();
    fs::create_dir(dir.path().join("x.txt")).unwrap();
    write(dir.path(), "x.txt/inside.txt", seed(GOOD[1].0));
    let corpus = load(dir.path());
    assert_good_reports_load(&corpus);
    assert!(!files(&corpus).contains(&"x.txt"));
    assert!(files(&corpus).contains(&"x.txt/inside.txt"));
    assert!(corpus.skipped.is_empty(), "{:?}", corpus.skipped);
}

#[test]
fn a_fifo_named_like_a_report_is_skipped_without_blocking() {
    let dir = folder_with_good_reports();
    // Opening a FIFO for reading blocks until a writer comes, which never happens here.
    mkfifo(&dir.path().join("y.txt"));
    let path = dir.path().to_path_buf();
    let corpus = within(Duration::from_secs(20), move || load(&path));
    assert_good_reports_load(&corpus);
    assert_skipped(&corpus, "y.txt", "not a regular file");
}

#[test]
fn a_fifo_named_meetings_toml_is_ignored_without_blocking() {
    let dir = folder_with_good_reports();
    mkfifo(&dir.path().join("meetings.toml"));
    let path = dir.path().to_path_buf();
    let corpus = within(Duration::from_secs(20), move || load(&path));
    assert_good_reports_load(&corpus);
    assert!(
        corpus
            .notices
            .iter()
            .any(|n| n.starts_with("meetings.toml") && n.contains("not a regular file")),
        "{:?}",
        corpus.notices
    );
}

/// Whether this process can read a file whatever its permissions say (root can).
fn permissions_are_bypassed(path: &Path) -> bool {
    fs::read(path).is_ok()
}

#[test]
fn a_file_without_read_permission_is_skipped_or_read_as_root_reads_it() {
    let dir = folder_with_good_reports();
    write(dir.path(), "locked.txt", seed(GOOD[1].0));
    let locked = dir.path().join("locked.txt");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let corpus = load(dir.path());
    assert_good_reports_load(&corpus);
    if permissions_are_bypassed(&locked) {
        // Running as root (as in CI containers): mode 000 does not stop root, so the
        // honest expectation is that the file is read like any other.
        let m = meeting(&corpus, "locked.txt");
        assert_eq!(
            m.district.as_ref().map(|d| d.value.name()),
            Some("南昌经济技术开发区")
        );
    } else {
        assert_skipped(&corpus, "locked.txt", "Permission denied");
    }
}

#[test]
fn a_folder_without_read_permission_is_skipped_or_read_as_root_reads_it() {
    let dir = folder_with_good_reports();
    write(dir.path(), "locked/inner.txt", seed(GOOD[1].0));
    let locked = dir.path().join("locked");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let bypassed = fs::read_dir(&locked).is_ok();
    let corpus = load(dir.path());
    // Restore, so the temp dir can be removed by a non-root user.
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    assert_good_reports_load(&corpus);
    if bypassed {
        assert!(files(&corpus).contains(&"locked/inner.txt"));
    } else {
        assert_skipped(&corpus, "locked", "Permission denied");
    }
}

// ---------------------------------------------------------------------------------------
// Stated metadata gone wrong.

#[test]
fn bad_front_matter_fields_are_warnings_with_their_line_and_the_rest_loads() {
    let dir = folder_with_good_reports();
    let body = "3月21日，红旗区召开项目建设大会。";
    let cases: [(&str, String, &str); 6] = [
        (
            "malformed.txt",
            format!("+++\ndistrict = \"丰泽区\"\nyear = = 2\n+++\n{body}"),
            "front matter line 3: malformed TOML",
        ),
        (
            "unknown_key.txt",
            format!("+++\ncolour = \"red\"\n+++\n{body}"),
            "front matter line 2: unknown key `colour`",
        ),
        (
            "wrong_type.txt",
            format!("+++\nyear = \"2018\"\n+++\n{body}"),
            "front matter line 2: year: expected an integer, found string",
        ),
        (
            "year_zero.txt",
            format!("+++\nyear = 0\n+++\n{body}"),
            "front matter line 2: year 0 is outside",
        ),
        (
            "year_99999.txt",
            format!("+++\n\nyear = 99999\n+++\n{body}"),
            "front matter line 3: year 99999 is outside",
        ),
        (
            "feb_30.txt",
            format!("+++\ndate = \"2026-02-30\"\n+++\n{body}"),
            "front matter line 2: \"2026-02-30\" is not a day",
        ),
    ];
    for (file, text, _) in &cases {
        write(dir.path(), file, text);
    }
    // An unclosed block is read as text, and said to be.
    write(
        dir.path(),
        "unclosed.txt",
        format!("+++\nyear = 2018\n{body}"),
    );
    let corpus = load(dir.path());
    assert_good_reports_load(&corpus);
    for (file, _, warning) in &cases {
        assert_warned(&corpus, file, warning);
        let m = meeting(&corpus, file);
        // The bad field is dropped; the text still gives what it says.
        assert_eq!(
            m.district.as_ref().map(|d| d.value.name()),
            Some("红旗区"),
            "{file}: malformed front matter gives no fields, so inference decides"
        );
        assert_eq!(m.year, None, "{file}: a bad year is not used");
        assert_eq!(m.date, None, "{file}");
    }
    assert_warned(
        &corpus,
        "unclosed.txt",
        "line 1: front matter opened with +++",
    );
}

#[test]
fn bad_manifest_entries_are_notices_with_their_line_and_the_rest_loads() {
    let dir = folder_with_good_reports();
    write(dir.path(), "a.txt", "3月21日，红旗区召开项目建设大会。");
    write(dir.path(), "b.txt", "3月21日，红旗区召开项目建设大会。");
    let manifest = [
        "[\"a.txt\"]",                    // 1
        "year = 2018",                    // 2
        "colour = \"red\"",               // 3
        "",                               // 4
        "[\"b.txt\"]",                    // 5
        "year = 0",                       // 6
        "date = \"2026-02-30\"",          // 7
        "district = 5",                   // 8
        "",                               // 9
        "[\"missing.txt\"]",              // 10
        "year = 2020",                    // 11
        "",                               // 12
        "[\"001_5194929055dfe662.txt\"]", // 13
        "year = 99999",                   // 14
    ]
    .join("\n");
    write(dir.path(), "meetings.toml", &manifest);
    let corpus = load(dir.path());
    assert_good_reports_load(&corpus);
    let notices = corpus.notices.join("\n");
    for expected in [
        "meetings.toml line 3: unknown key `colour`",
        "meetings.toml line 6: year 0 is outside",
        "meetings.toml line 7: \"2026-02-30\" is not a day",
        "meetings.toml line 8: expected a string, found integer",
        "meetings.toml line 10: names `missing.txt`, which is not a report in the corpus",
        "meetings.toml line 14: year 99999 is outside",
    ] {
        assert!(
            notices.contains(expected),
            "{expected:?} not in:\n{notices}"
        );
    }
    // The good fields of the same entries still count.
    let a = meeting(&corpus, "a.txt");
    assert_eq!(a.year.as_ref().map(|y| y.value), Some(2018));
    assert_eq!(meeting(&corpus, "b.txt").year, None);
}

#[test]
fn a_malformed_manifest_is_one_notice_and_every_report_still_loads() {
    let dir = folder_with_good_reports();
    write(
        dir.path(),
        "meetings.toml",
        "[\"000_b446202f4aa57d8a.txt\"]\nyear = 1999\n[\"b.txt\"\n",
    );
    let corpus = load(dir.path());
    assert_good_reports_load(&corpus); // 2026 from the text: the manifest was ignored
    assert_eq!(corpus.notices.len(), 1, "{:?}", corpus.notices);
    assert!(
        corpus.notices[0].starts_with("meetings.toml line 3: malformed TOML"),
        "{:?}",
        corpus.notices
    );
}

#[test]
fn a_binary_manifest_is_one_notice() {
    let dir = folder_with_good_reports();
    write(dir.path(), "meetings.toml", vec![0u8; 4096]);
    let corpus = load(dir.path());
    assert_good_reports_load(&corpus);
    assert!(
        corpus.notices.len() == 1 && corpus.notices[0].starts_with("meetings.toml: "),
        "{:?}",
        corpus.notices
    );
}

// ---------------------------------------------------------------------------------------
// All of it at once, through the whole analysis.

#[test]
fn a_folder_of_every_bad_file_is_measured_without_a_panic() {
    let dir = folder_with_good_reports();
    write(dir.path(), "empty.txt", b"");
    write(dir.path(), "blank.md", "\n \n");
    write(dir.path(), "zeros.txt", vec![0u8; 4096]);
    write(dir.path(), "noise.htm", vec![0xFFu8; 4096]);
    write(dir.path(), "fm.txt", "+++\nyear = = 2\n+++\n");
    write(
        dir.path(),
        "tags.html",
        "<script>alert(1)</script><p>\u{1b}]0;x\u{7}</p>",
    );
    write(
        dir.path(),
        "meetings.toml",
        "[\"missing.txt\"]\nyear = 2020\n",
    );
    mkfifo(&dir.path().join("fifo.txt"));
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    let path = dir.path().to_path_buf();
    let analysis = within(Duration::from_secs(60), move || {
        let measurer = Measurer::new(Taxonomy::built_in().expect("taxonomy"));
        Loader::new(&path, &Options::default())
            .load(measurer)
            .expect("plan")
    });
    let read: Vec<&str> = analysis
        .meetings
        .iter()
        .map(|m| m.meeting.file.as_str())
        .collect();
    for (good, _, _) in GOOD {
        assert!(read.contains(&good), "{good} not measured: {read:?}");
    }
    let skipped: Vec<&str> = analysis.skipped.iter().map(|s| s.file.as_str()).collect();
    for bad in ["zeros.txt", "noise.htm", "fifo.txt", "loop"] {
        assert!(skipped.contains(&bad), "{bad} not skipped: {skipped:?}");
    }
    assert!(analysis.notices.iter().any(|n| n.contains("missing.txt")));
    assert!(analysis
        .group(
            zhongdian::aggregate::DistrictKey::Unit("360113"),
            zhongdian::aggregate::YearKey::Year(2026)
        )
        .is_some());
}

// ---------------------------------------------------------------------------------------
// Read-only: the binary never writes into the corpus or the themes folder.

/// Every path under `dir` with its kind, mode and content hash, sorted.
fn fingerprint(dir: &Path) -> Vec<String> {
    use sha2::{Digest, Sha256};
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk");
        let meta = entry.metadata().expect("metadata");
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap()
            .display()
            .to_string();
        let content = if meta.is_file() {
            format!("{:x}", Sha256::digest(fs::read(entry.path()).unwrap()))
        } else {
            "dir".to_owned()
        };
        out.push(format!(
            "{rel} {:o} {} {content}",
            meta.permissions().mode(),
            meta.len()
        ));
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
    }
}

fn chmod_recursive(mode: &str, dir: &Path) {
    let status = Command::new("chmod")
        .args(["-R", mode])
        .arg(dir)
        .status()
        .unwrap();
    assert!(status.success());
}

fn zhongdian(args: &[&str], env: &[(&str, &Path)]) -> Run {
    let mut cmd = binary::zhongdian();
    cmd.args(args);
    for (key, value) in env {
        cmd.env(key, value);
    }
    binary::run(&mut cmd)
}

#[test]
fn check_report_and_evidence_change_nothing_in_read_only_folders() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let themes = work.path().join("themes");
    copy_dir(&root().join("data"), &data);
    copy_dir(&root().join("themes"), &themes);
    // The cache belongs elsewhere; HOME and XDG_CACHE_HOME point into the temp dir so
    // the default cache location is exercised without touching the real one.
    let home = work.path().join("home");
    fs::create_dir(&home).unwrap();
    chmod_recursive("a-w", &data);
    chmod_recursive("a-w", &themes);
    let before = (fingerprint(&data), fingerprint(&themes));

    let (d, t) = (data.to_str().unwrap(), themes.to_str().unwrap());
    let mut runs: Vec<Vec<&str>> = vec![
        vec!["check", d],
        vec!["check", d, "--format", "json"],
        vec!["evidence", d, "--theme", "招商引资", "--themes", t],
        vec!["evidence", d, "--theme", "项目建设", "--year", "undated"],
    ];
    for by in ["meeting", "district-year"] {
        for format in ["table", "csv", "json"] {
            runs.push(vec![
                "report", d, "--by", by, "--format", format, "--themes", t,
            ]);
        }
    }
    for args in &runs {
        // Twice: the second run reads the cache the first one wrote.
        for _ in 0..2 {
            let run = zhongdian(args, &[("HOME", &home), ("XDG_CACHE_HOME", &home)]);
            assert_eq!(run.code, Some(0), "{args:?}: {}", run.stderr);
            assert!(!run.stdout.is_empty(), "{args:?} printed nothing");
        }
    }
    assert_eq!(
        (fingerprint(&data), fingerprint(&themes)),
        before,
        "the corpus or the themes folder changed"
    );
    assert!(
        fs::read_dir(home.join("zhongdian")).is_ok(),
        "the cache went to XDG_CACHE_HOME"
    );
    chmod_recursive("u+w", work.path());
}

// ---------------------------------------------------------------------------------------
// Exit statuses.

fn assert_one_line_failure(run: &Run, what: &str, mentions: &str) {
    assert_eq!(run.code, Some(1), "{what}: {}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{what}: one line on stderr, got {lines:?}");
    assert!(lines[0].starts_with("zhongdian: "), "{what}: {lines:?}");
    assert!(lines[0].contains(mentions), "{what}: {lines:?}");
    for noise in ["backtrace", "Backtrace", "Location:", "panicked", "RUST_"] {
        assert!(!run.stderr.contains(noise), "{what}: {noise} in {lines:?}");
    }
}

#[test]
fn exit_status_zero_when_the_corpus_was_read_even_with_skipped_files() {
    let dir = folder_with_good_reports();
    write(dir.path(), "zeros.txt", vec![0u8; 128]);
    let run = zhongdian(&["check", dir.path().to_str().unwrap(), "--no-cache"], &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout.contains("zeros.txt"),
        "the skipped file is named"
    );
}

#[test]
fn exit_status_one_with_one_line_for_a_missing_corpus() {
    let missing = "/nonexistent/zhongdian-corpus";
    // Backtraces requested by the environment must still not be printed to the user.
    let env: [(&str, &Path); 2] = [
        ("RUST_BACKTRACE", Path::new("full")),
        ("RUST_LIB_BACKTRACE", Path::new("1")),
    ];
    for args in [
        vec!["check", missing],
        vec!["report", missing, "--no-cache"],
        vec!["evidence", missing, "--theme", "招商引资", "--no-cache"],
        vec!["index", missing, "--no-cache"],
    ] {
        let run = zhongdian(&args, &env);
        let what = format!("{args:?}");
        if args[0] == "index" {
            // --no-cache leaves index nothing to do: also a failure, also one line.
            assert_one_line_failure(&run, &what, "cache");
        } else {
            assert_one_line_failure(&run, &what, missing);
        }
    }
}

#[test]
fn exit_status_one_with_one_line_for_a_broken_taxonomy() {
    let themes = tempfile::tempdir().unwrap();
    copy_dir(&root().join("themes"), themes.path());
    fs::write(themes.path().join("01-investment.toml"), "name = = 1\n").unwrap();
    let data = root().join("data");
    let run = zhongdian(
        &[
            "report",
            data.to_str().unwrap(),
            "--themes",
            themes.path().to_str().unwrap(),
            "--no-cache",
        ],
        &[("RUST_BACKTRACE", Path::new("1"))],
    );
    assert_one_line_failure(&run, "broken taxonomy", "01-investment.toml");
    let missing = zhongdian(
        &[
            "report",
            data.to_str().unwrap(),
            "--themes",
            "/nonexistent/themes",
            "--no-cache",
        ],
        &[],
    );
    assert_one_line_failure(&missing, "missing taxonomy", "/nonexistent/themes");
}

#[test]
fn exit_status_two_for_a_bad_flag() {
    for args in [
        vec!["check", "--no-such-flag"],
        vec!["report", "--format", "xml"],
        vec!["report", "--by", "weekday"],
        vec!["--max-file-mib", "lots", "check"],
        vec!["frobnicate", "data", "extra"],
    ] {
        let run = zhongdian(&args, &[]);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}");
        assert!(run.stderr.contains("error:"), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn a_report_that_became_a_fifo_after_listing_is_refused_without_blocking() {
    let dir = folder_with_good_reports();
    let path = dir.path().join("late.txt");
    fs::write(&path, seed(GOOD[0].0)).unwrap();
    let listing = zhongdian::corpus::list(dir.path()).unwrap();
    let file = listing
        .files
        .iter()
        .find(|f| f.rel == "late.txt")
        .expect("listed while a regular file")
        .clone();
    fs::remove_file(&path).unwrap();
    mkfifo(&path);
    let read = within(Duration::from_secs(20), move || {
        zhongdian::corpus::read(&file, 1 << 20)
    });
    let why = read.expect_err("a FIFO is no report");
    assert_eq!(why.file, "late.txt");
    assert!(
        why.reason.contains("not a regular file (a FIFO)"),
        "{why:?}"
    );
}
