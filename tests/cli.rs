//! The command line as a script sees it: what reaches stdout and stderr, and the exit
//! status, on corpora written into temporary folders.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn zhongdian() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zhongdian"));
    cmd.env_remove("NO_COLOR").env_remove("RUST_BACKTRACE");
    cmd
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
    assert!(first.starts_with(b"file,district,year,theme,hits"));
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
