//! Indexing at scale against the segmenter's limit, on a synthetic corpus.
//!
//! Run: `cargo bench --bench scale -- [MEETINGS] [SECTION...]` (default 2000; the
//! issue's sizes are 1000, 10000 and 100000; sections `commands`, `recount`, `trends`,
//! `throughput`, all if none is named). Writes the corpus and its cache into a temporary folder and
//! prints, measured in one run (the rates in three rounds, each round measuring every
//! rate once, with medians of the rates and of the ratios taken within a round):
//! - bare jieba-rs `cut` (HMM on) over the same cleaned text, one thread: the limit;
//! - each file read and cut with nothing else done, one thread: the floor of any
//!   pipeline that reads its reports (reading evicts the segmenter's dictionary from the
//!   processor's caches, so cutting between reads is slower than cutting in a loop);
//! - cold indexing (read, decode, clean, convert, infer, segment, match, aggregate) with
//!   one thread and with two, in MB/s of report bytes, and their ratios. Both sides
//!   leave out building the segmenter (jieba's dictionary), a fixed cost of a start;
//! - the bench process's peak resident memory (it also holds the cleaned texts the bare
//!   cut reads; `/usr/bin/time zhongdian index` gives a cold build's own);
//! - the dashboard's re-count after a saved edit of a theme file (a weight, a keyword
//!   that is one cached word, one the segmenter must learn, an exclusion): in memory
//!   from the kept cuts (what is on screen), then built through the warm cache;
//! - a trend query on the warm analysis (search of every text, lines, adoption): the
//!   first after the load and after the Trends view's preparation, then the median of
//!   three runs of a word of the cut, a phrase across words, a wildcard, two series;
//! - the real binary on the warm cache, as a user runs it: `report --by district-year`,
//!   `leaders` and `report --by tenure` (wall time and peak resident memory of each
//!   process), and the dashboard in a
//!   pseudo-terminal at 120×40: time from launch to the first frame with data (warm, and
//!   cold with partial results), and the bytes it writes when the selection moves one
//!   row.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, CommandBuilder, PtySize};

use jieba_rs::Jieba;
use zhongdian::analysis::{Analysis, Loader};
use zhongdian::cache::Cache;
use zhongdian::clean::{clean, Format};
use zhongdian::ingest::{Options, Plan};
use zhongdian::measure::Measurer;
use zhongdian::taxonomy::Taxonomy;

#[path = "../tests/it/support/synthetic.rs"]
mod synthetic;

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn seconds(f: impl FnOnce()) -> f64 {
    let start = Instant::now();
    f();
    start.elapsed().as_secs_f64()
}

/// A memory line of a process's `/proc/PID/status`, in MB.
fn status_of(pid: impl std::fmt::Display, field: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn peak_rss_mb() -> f64 {
    status_of("self", "VmHWM:").unwrap_or(f64::NAN)
}

/// An measurer with its segmenter built, as bare `cut` has its `Jieba`.
fn ready_measurer() -> Measurer {
    let measurer = Measurer::new(Taxonomy::built_in().expect("taxonomy"));
    measurer.segmenter();
    measurer
}

fn build(corpus: &Path, threads: usize, cache: Option<&Cache>, measurer: Measurer) -> Analysis {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("pool");
    pool.install(|| {
        Loader::new(corpus, &Options::default())
            .with_cache(cache)
            .load(measurer)
            .expect("corpus")
    })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let meetings: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(2000);
    // Sections named after the size run alone (`-- 100000 trends`); none names all.
    let sections = ["commands", "recount", "trends", "resume", "throughput"];
    let only: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| sections.contains(a))
        .collect();
    let wants = |section: &str| only.is_empty() || only.contains(&section);
    let work = tempfile::tempdir().expect("temp dir");
    let corpus = work.path().join("corpus");
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let sentences = synthetic::seed_sentences(&data);
    let bytes = synthetic::generate(&corpus, meetings, meetings.div_ceil(30), 10, &sentences)
        .expect("corpus written");
    let mb = bytes as f64 / 1_048_576.0;
    println!(
        "synthetic corpus: {meetings} meetings, {mb:.1} MB; {} cores",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );

    // The real binary on a warm cache.
    let cache_dir = work.path().join("cache");
    let indexed = Command::new(env!("CARGO_BIN_EXE_zhongdian"))
        .args(["index", "--cache-dir"])
        .arg(&cache_dir)
        .arg(&corpus)
        .stderr(Stdio::null())
        .status()
        .expect("zhongdian index runs");
    assert!(indexed.success());
    let cache = Cache::for_corpus(&cache_dir, &corpus);
    let cache_mb = std::fs::metadata(&cache.path).map_or(0.0, |m| m.len() as f64 / 1_048_576.0);
    println!("cache file:                         {cache_mb:7.1} MB");

    if wants("commands") {
        for (args, what) in [
            (
                &["report", "--by", "district-year"][..],
                "`report --by district-year`",
            ),
            (&["leaders"][..], "`leaders`                  "),
            (
                &["report", "--by", "tenure"][..],
                "`report --by tenure`       ",
            ),
            (
                &["check", "--format", "json"][..],
                "`check --format json`      ",
            ),
        ] {
            let (seconds, mb) = warm_command(&corpus, &cache_dir, args);
            println!("warm {what}:   {seconds:7.3} s   peak resident memory {mb:.1} MB");
        }
        let cache_arg = cache_dir.display().to_string();
        let (first_frame_s, move_bytes, warm_mb) = dashboard(&corpus, &["--cache-dir", &cache_arg]);
        println!(
        "warm dashboard, first data frame:   {first_frame_s:7.3} s   (120x40) peak resident memory {warm_mb:.1} MB"
    );
        println!("one row down (j), bytes written:    {move_bytes:7}");
        let (cold_frame_s, _, _) = dashboard(&corpus, &["--no-cache"]);
        println!("cold dashboard, first data frame:   {cold_frame_s:7.3} s   (partial results)");
    }

    if wants("recount") {
        // What the dashboard's live re-count does after a saved theme edit: first in memory
        // from the analysis shown and the kept cuts (what is on screen), then the corpus
        // built through the warm cache with the edited taxonomy (the word lists, and the
        // cache written for the next start). Each edit is one edit of the default themes.
        let shown = Loader::new(&corpus, &Options::default())
            .with_cache(Some(&cache))
            .load(Measurer::new(Taxonomy::built_in().expect("taxonomy")))
            .expect("the corpus");
        for (from, to, what) in [
            (
                "{ word = \"生态\", weight = 0.5 }",
                "{ word = \"生态\", weight = 1.0 }",
                "a weight",
            ),
            (
                "keywords = [\n",
                "keywords = [\n  \"工作\",\n",
                "a keyword that is one cached word, in nearly every meeting (工作)",
            ),
            (
                "keywords = [\n",
                "keywords = [\n  \"招商引资工作\",\n",
                "a keyword of two cached words, new to the segmenter (招商引资工作)",
            ),
            (
                "keywords = [\n",
                "exclude = [\"各项工作\"]\nkeywords = [\n",
                "an exclusion (各项工作)",
            ),
        ] {
            let themes = edited_themes(work.path(), "11-ecology.toml", from, to);
            let taxonomy = Taxonomy::load(&themes).expect("the edited themes");
            let mut counted = None;
            let on_screen = self::seconds(|| {
                counted = shown.recount(Measurer::new(taxonomy.clone()), &AtomicBool::new(false));
            });
            let counted = counted.expect("counted in memory");
            println!(
            "re-count after editing {what}:\n  on screen (in memory):     {on_screen:7.3} s   {} meetings moved, {} matched again, {} cut again",
            counted.moved, counted.matched_again, counted.cut_again
        );
            drop(counted);
            let built = self::seconds(|| {
                let analysis = Loader::new(&corpus, &Options::default())
                    .with_cache(Some(&cache))
                    .load(Measurer::new(taxonomy))
                    .expect("the corpus");
                assert_eq!(analysis.cache.measured, 0, "no report read");
                std::mem::forget(analysis);
            });
            println!("  built through the cache:   {built:7.3} s   (word lists; cache written)");
        }
        drop(shown);
    }
    if wants("trends") {
        trends(&corpus, &cache);
    }
    if wants("resume") {
        resume(&corpus, work.path(), meetings, &sentences);
    }
    if !wants("throughput") {
        return;
    }

    // The limit: bare jieba over the same cleaned texts, one thread.
    let plan = Plan::new(&corpus).expect("corpus");
    let texts: Vec<String> = plan
        .files
        .iter()
        .map(|f| {
            clean(
                &std::fs::read_to_string(&f.path).expect("read"),
                Format::PlainText,
            )
            .text
        })
        .collect();
    // The machine is shared and its speed drifts over minutes: each round measures every
    // rate once, one after the other, and the ratios are taken within a round, so that a
    // ratio compares rates measured at the same speed. Medians of the rounds are printed.
    let jieba = Jieba::new();
    let rounds: Vec<[f64; 4]> = (0..3)
        .map(|_| {
            let bare = mb
                / seconds(|| {
                    let n: usize = texts.iter().map(|t| jieba.cut(t, true).len()).sum();
                    assert!(n > 0);
                });
            // The floor of any pipeline that reads its reports: each file read and cut,
            // nothing else. Reading between cuts takes jieba's dictionary out of the
            // processor's caches, so this is well under the bare cut's rate.
            let read_and_cut = mb
                / seconds(|| {
                    let n: usize = plan
                        .files
                        .iter()
                        .map(|f| {
                            let text = std::fs::read_to_string(&f.path).expect("read");
                            jieba.cut(&text, true).len()
                        })
                        .sum();
                    assert!(n > 0);
                });
            let cold = |threads| {
                let measurer = ready_measurer();
                mb / seconds(|| drop(build(&corpus, threads, None, measurer)))
            };
            let one = cold(1);
            [bare, read_and_cut, one, cold(2)]
        })
        .collect();
    let of = |f: fn(&[f64; 4]) -> f64| median(rounds.iter().map(f).collect());
    println!(
        "bare jieba-rs cut, 1 thread:        {:7.1} MB/s",
        of(|r| r[0])
    );
    println!(
        "read + cut each file, nothing else: {:7.1} MB/s  ratio to bare cut {:.2}",
        of(|r| r[1]),
        of(|r| r[1] / r[0])
    );
    println!(
        "cold index, 1 thread:               {:7.1} MB/s  ratio to bare cut {:.2}",
        of(|r| r[2]),
        of(|r| r[2] / r[0])
    );
    println!(
        "cold index, 2 threads:              {:7.1} MB/s  ratio to 1 thread {:.2}",
        of(|r| r[3]),
        of(|r| r[3] / r[2])
    );
    let ratios: Vec<String> = rounds
        .iter()
        .map(|r| format!("{:.2}", r[2] / r[0]))
        .collect();
    println!("  (1 thread / bare cut, by round: {})", ratios.join(", "));
    println!(
        "peak resident memory, bench process: {:6.1} MB (with the cleaned texts it holds)",
        peak_rss_mb()
    );
}

/// A trend query on the warm analysis, as the dashboard answers it: every meeting's
/// text searched (from the kept cuts, mapped) and the lines and adoption pooled. The
/// first query is timed on two fresh loads of the cache: straight after the load, and
/// after the preparation the dashboard runs on a worker when the Trends view opens
/// (mapping the texts' pages); then the median of three runs of each query. A query
/// asked again is answered from what the view keeps, with no search
/// (tests/it/tui_trends.rs).
fn trends(corpus: &Path, cache: &Cache) {
    use zhongdian::aggregate::GroupLevel;
    use zhongdian::trend::{search, Query, Searching};
    use zhongdian::tui::trends::TrendAnswer;
    let warm = || {
        Loader::new(corpus, &Options::default())
            .with_cache(Some(cache))
            .load(Measurer::new(Taxonomy::built_in().expect("taxonomy")))
            .expect("the corpus")
    };
    let answer = |shown: &Analysis, query: &str| {
        let query = Query::parse(query).expect("a query");
        let found = search(shown, &query, &Options::default(), &Searching::default())
            .expect("not cancelled");
        TrendAnswer::of(shown, found, GroupLevel::County)
    };
    println!("trend queries (search of every text + lines + adoption), 2 threads:");
    let unprepared = warm();
    let first = seconds(|| drop(answer(&unprepared, "招商引资")));
    println!(
        "  first query, texts not prepared:    {first:7.3} s   (their pages mapped on the way)"
    );
    std::mem::forget(unprepared);
    let shown = warm();
    let prepare = seconds(|| shown.prepare_texts());
    println!(
        "  preparing the texts (view opened):  {prepare:7.3} s   (on a worker, before a query)"
    );
    let first = seconds(|| drop(answer(&shown, "招商引资")));
    println!("  first query, texts prepared:        {first:7.3} s");
    let cut = |term: &str| shown.measurer.segmenter().cut(term).len();
    for query in [
        "招商引资",
        "项目建设",
        "项目建设推进",
        "高质量*",
        "招商引资+项目建设, 安全生产",
    ] {
        let runs: Vec<f64> = (0..3)
            .map(|_| seconds(|| drop(answer(&shown, query))))
            .collect();
        let mentioning = answer(&shown, query).found.series[0].meetings.len();
        let words = match query.contains([',', '*', '+']) {
            true => "not one word".to_owned(),
            false => match cut(query) {
                1 => "one word of the cut".to_owned(),
                n => format!("{n} words of the cut"),
            },
        };
        println!(
            "  {query:<24} {:7.3} s   median of 3; {words}; {mentioning} meetings mention it",
            median(runs)
        );
    }
    std::mem::forget(shown);
}

/// A copy of themes/ under `work` with `from` replaced by `to` in `file`; its folder.
fn edited_themes(work: &Path, file: &str, from: &str, to: &str) -> std::path::PathBuf {
    let dir = work.join(format!(
        "themes-{}",
        work.read_dir().map_or(0, |d| d.count())
    ));
    std::fs::create_dir_all(&dir).expect("themes folder");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
    for entry in std::fs::read_dir(source).expect("themes/") {
        let path = entry.expect("entry").path();
        let mut text = std::fs::read_to_string(&path).expect("theme file");
        if path.file_name().is_some_and(|n| n == file) {
            text = text.replacen(from, to, 1);
        }
        std::fs::write(dir.join(path.file_name().expect("a name")), text).expect("copy");
    }
    dir
}

/// The binary's command `args` (table output) on the warm cache, as a user runs it:
/// median wall time of 3, and the largest peak resident memory seen.
fn warm_command(corpus: &Path, cache_dir: &Path, args: &[&str]) -> (f64, f64) {
    let runs: Vec<(f64, f64)> = (0..3)
        .map(|_| timed(corpus, cache_dir, args, || false))
        .collect();
    let peak = runs.iter().map(|r| r.1).fold(0.0, f64::max);
    (median(runs.iter().map(|r| r.0).collect()), peak)
}

/// One run of the binary's command `args` on `corpus` with its cache in `cache_dir`:
/// wall time and peak resident memory (MB); killed (SIGKILL) as soon as `kill_when`
/// says so (asked every millisecond), as a dropped session or a machine that dies
/// would end it.
fn timed(
    corpus: &Path,
    cache_dir: &Path,
    args: &[&str],
    kill_when: impl Fn() -> bool,
) -> (f64, f64) {
    let mut peak: f64 = 0.0;
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhongdian"))
        .args(args)
        .arg("--cache-dir")
        .arg(cache_dir)
        .arg(corpus)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("zhongdian runs");
    // The peak is read from the running process: the kernel's count for a child
    // (getrusage) would include this process's own memory at the spawn.
    let status = loop {
        if let Some(hwm) = status_of(child.id(), "VmHWM:") {
            peak = peak.max(hwm);
        }
        if kill_when() {
            child.kill().expect("killed");
            child.wait().expect("wait");
            return (start.elapsed().as_secs_f64(), peak);
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    assert!(status.success());
    (start.elapsed().as_secs_f64(), peak)
}

/// An interrupted index and an added batch, as a national corpus meets them: a cold
/// `index` timed whole; another killed (SIGKILL) once its journal holds 90% of what the
/// cold run's held (90% of the reports), and run again; then
/// 1,000 reports added and the corpus loaded as the dashboard's worker loads it, the
/// cache's analysis shown first, until the analysis with the new reports is there.
fn resume(corpus: &Path, work: &Path, meetings: usize, sentences: &[String]) {
    let cold_dir = work.join("cache-cold");
    let journal_size = |dir: &Path| {
        let journal = Cache::for_corpus(dir, corpus)
            .path
            .with_extension("journal");
        std::fs::metadata(journal).map_or(0, |m| m.len())
    };
    // The largest the cold run's journal grows is what it had journaled by its last
    // part: about all its reports.
    let largest = std::cell::Cell::new(0);
    let (cold, cold_mb) = timed(corpus, &cold_dir, &["index"], || {
        largest.set(largest.get().max(journal_size(&cold_dir)));
        false
    });
    assert!(largest.get() > 0, "the cold index journals as it goes");
    let mb = synthetic_mb(corpus);
    println!(
        "cold `index` (binary):              {cold:7.3} s   {:.1} MB/s, peak resident memory {cold_mb:.1} MB",
        mb / cold
    );
    // Killed once its journal is 90% of that: 90% of the reports measured and kept.
    let dir = work.join("cache-killed");
    let (killed_at, _) = timed(corpus, &dir, &["index"], || {
        journal_size(&dir) >= largest.get() / 10 * 9
    });
    let (again, again_mb) = timed(corpus, &dir, &["index"], || false);
    println!(
        "`index` killed at {killed_at:.1} s (journal at 90% of the cold run's), run again: {again:7.3} s   {:.2} of the cold run, peak resident memory {again_mb:.1} MB",
        again / cold
    );
    let added = synthetic::write_meetings(
        corpus,
        meetings..meetings + 1000,
        meetings.div_ceil(30),
        10,
        sentences,
        synthetic::FULL,
    )
    .expect("reports added");
    let cache = Cache::for_corpus(&cold_dir, corpus);
    let start = Instant::now();
    let shown_at = std::sync::OnceLock::new();
    let finished = Loader::new(corpus, &Options::default())
        .with_cache(Some(&cache))
        .load_showing(
            Measurer::new(Taxonomy::built_in().expect("taxonomy")),
            &|_| {
                shown_at.get_or_init(|| start.elapsed().as_secs_f64());
            },
        )
        .expect("the corpus");
    let current = start.elapsed().as_secs_f64();
    let zhongdian::analysis::Finished::Current(analysis) = finished else {
        panic!("the added reports make the cache stale");
    };
    assert_eq!(analysis.meetings.len(), meetings + 1000);
    println!(
        "1000 reports added ({:.1} MB): the cache's analysis shown at {:.3} s, the one with them at {current:.3} s ({} measured)",
        added as f64 / 1_048_576.0,
        shown_at.get().copied().unwrap_or(f64::NAN),
        analysis.cache.measured
    );
    // The corpus as it was, for the sections after this one.
    for file in Plan::new(corpus).expect("corpus").files {
        let number = file
            .path
            .file_stem()
            .and_then(|s| s.to_str()?.parse::<usize>().ok());
        if number.is_some_and(|n| n >= meetings) {
            std::fs::remove_file(&file.path).expect("an added report removed");
        }
    }
}

/// The size of the report files under `corpus`, in MB.
fn synthetic_mb(corpus: &Path) -> f64 {
    Plan::new(corpus)
        .expect("corpus")
        .files
        .iter()
        .map(|f| f.size as f64)
        .sum::<f64>()
        / 1_048_576.0
}

/// The dashboard in a pseudo-terminal, started with `args`: seconds from launch until
/// the first district's name is on the emulated screen, the bytes written in answer to
/// one `j` (the selection one row down), and its peak resident memory by then (MB).
fn dashboard(corpus: &Path, args: &[&str]) -> (f64, usize, f64) {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pseudo-terminal");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_zhongdian"));
    cmd.args(args);
    cmd.arg(corpus);
    cmd.env("TERM", "xterm-256color");
    let start = Instant::now();
    let mut child = pty.slave.spawn_command(cmd).expect("the dashboard starts");
    drop(pty.slave);
    let screen = Arc::new(Mutex::new(vt100::Parser::new(
        std::num::NonZeroU16::new(40).expect("rows"),
        std::num::NonZeroU16::new(120).expect("columns"),
        0,
    )));
    let written = Arc::new(AtomicUsize::new(0));
    let mut reader = pty.master.try_clone_reader().expect("pty reader");
    {
        let (screen, written) = (Arc::clone(&screen), Arc::clone(&written));
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            while let Ok(n @ 1..) = reader.read(&mut buf) {
                screen.lock().expect("screen").process(&buf[..n]);
                written.fetch_add(n, Ordering::SeqCst);
            }
        });
    }
    let mut keys = pty.master.take_writer().expect("pty writer");
    let first = synthetic::district(0).1;
    let first_frame = loop {
        if screen
            .lock()
            .expect("screen")
            .screen()
            .contents()
            .contains(&first)
        {
            break start.elapsed().as_secs_f64();
        }
        assert!(start.elapsed() < Duration::from_secs(600), "no data frame");
        std::thread::sleep(Duration::from_millis(2));
    };
    let quiet = |written: &AtomicUsize| loop {
        let before = written.load(Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(300));
        if written.load(Ordering::SeqCst) == before {
            return before;
        }
    };
    let before = quiet(&written);
    keys.write_all(b"j")
        .and_then(|()| keys.flush())
        .expect("key sent");
    let after = quiet(&written);
    let peak = child
        .process_id()
        .and_then(|pid| status_of(pid, "VmHWM:"))
        .unwrap_or(f64::NAN);
    keys.write_all(b"q")
        .and_then(|()| keys.flush())
        .expect("key sent");
    let _ = child.wait();
    (first_frame, after - before, peak)
}
