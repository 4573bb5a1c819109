//! What the gazetteer costs: building it once per process, and reading a report's holder
//! with it.
//!
//! Run: `cargo bench --bench gazetteer`. Prints medians, measured in one run so that the
//! figures compare like with like on a shared, noisy machine. The target: the gazetteer
//! adds at most 10 ms to any command.

use std::hint::black_box;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use zhongdian::clean::{clean, Format};
use zhongdian::gazetteer::Gazetteer;
use zhongdian::infer::{infer, Page};

/// The build happens once per process, so each sample is a fresh process.
const PROCESSES: usize = 15;
const ROUNDS: usize = 11;
/// Calls of `infer` per seed in one round: enough that a round is well above the clock's
/// resolution.
const CALLS: usize = 200;
/// Set in the environment of a copy of this bench that only times the build.
const CHILD: &str = "ZD_BENCH_CHILD";
const TARGET: Duration = Duration::from_millis(10);

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

/// The child: the first `Gazetteer::shared()` of a process builds it.
fn time_first_build() {
    let start = Instant::now();
    black_box(Gazetteer::shared());
    println!("{}", start.elapsed().as_nanos());
}

/// The first `Gazetteer::shared()` of fresh processes, median.
fn build_in_fresh_processes() -> Duration {
    let this = std::env::current_exe().expect("the bench's own path");
    let samples = (0..PROCESSES)
        .map(|_| {
            let out = Command::new(&this)
                .env(CHILD, "1")
                .output()
                .expect("the bench runs a copy of itself");
            assert!(out.status.success(), "the timing child failed: {out:?}");
            let nanos: u64 = String::from_utf8_lossy(&out.stdout)
                .trim()
                .parse()
                .expect("the child prints nanoseconds");
            Duration::from_nanos(nanos)
        })
        .collect();
    median(samples)
}

/// Whole-process wall time of the binary with `args`, median. Cargo builds the binary for
/// a bench as for an integration test and names it in CARGO_BIN_EXE_zhongdian, so it is
/// the build being benched, never a stale target/release/zhongdian.
fn whole_process(args: &[&std::ffi::OsStr]) -> Duration {
    let samples = (0..PROCESSES)
        .map(|_| {
            let start = Instant::now();
            let status = Command::new(env!("CARGO_BIN_EXE_zhongdian"))
                .args(args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("zhongdian runs");
            let elapsed = start.elapsed();
            assert!(status.success(), "zhongdian {args:?}: {status}");
            elapsed
        })
        .collect();
    median(samples)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn row(what: &str, value: f64, unit: &str) {
    println!("{what:<52}{value:9.2} {unit}");
}

fn main() {
    if std::env::var_os(CHILD).is_some() {
        time_first_build();
        return;
    }

    let build = build_in_fresh_processes();

    // `check` reads every report's holder, so it builds the gazetteer; `--help` does not,
    // and is the cost of starting the program at all. --no-cache: a cached meeting is not
    // read again, and the build would be skipped.
    let corpus = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(
        corpus.path().join("report.txt"),
        "1月5日，丰泽区人民政府召开常务会议。",
    )
    .expect("the one report");
    let help = whole_process(&["--help".as_ref()]);
    let check = whole_process(&[
        "check".as_ref(),
        "--no-cache".as_ref(),
        corpus.path().as_os_str(),
    ]);

    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut seeds: Vec<_> = std::fs::read_dir(&data)
        .expect("data/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    seeds.sort();
    // Built before the timing, so that only the reading of each report is measured.
    Gazetteer::shared();
    let per_call: Vec<(String, Duration)> = seeds
        .iter()
        .map(|path| {
            let raw = std::fs::read_to_string(path).expect("seed");
            let cleaned = clean(&raw, Format::PlainText);
            let page = Page {
                text: &cleaned.text,
                header_date: None,
                furniture: &cleaned.furniture,
                file_name: "x.txt",
                title: None,
            };
            let rounds = (0..ROUNDS)
                .map(|_| {
                    let start = Instant::now();
                    for _ in 0..CALLS {
                        black_box(infer(black_box(&page)));
                    }
                    start.elapsed() / CALLS as u32
                })
                .collect();
            let name = path.file_name().expect("a file").to_string_lossy();
            (name.into_owned(), median(rounds))
        })
        .collect();

    println!("gazetteer: medians; {PROCESSES} processes, {ROUNDS} rounds of {CALLS} calls");
    row(
        "build: first Gazetteer::shared() of a fresh process",
        ms(build),
        "ms",
    );
    row("zhongdian --help, whole process", ms(help), "ms");
    row(
        "zhongdian check --no-cache <one report>, whole",
        ms(check),
        "ms",
    );
    row("  check minus --help", ms(check.saturating_sub(help)), "ms");
    for (name, d) in &per_call {
        row(
            &format!("infer, one call: {name}"),
            d.as_secs_f64() * 1e6,
            "µs",
        );
    }
    println!(
        "target: the gazetteer adds at most {} ms to any command: {}",
        TARGET.as_millis(),
        if build <= TARGET { "met" } else { "NOT met" }
    );
}
