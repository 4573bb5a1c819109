//! Indexing at scale against the segmenter's limit, on a synthetic corpus.
//!
//! Run: `cargo bench --bench scale -- [MEETINGS]` (default 2000; the sizes are
//! 1000, 10000 and 100000). Writes the corpus and its cache into a temporary folder and
//! prints, measured in one process (medians of 3 runs where it repeats):
//! - bare jieba-rs `cut` (HMM on) over the same cleaned text, one thread: the limit;
//! - cold indexing (read, decode, clean, convert, infer, segment, match, aggregate) with
//!   one thread and with two, in MB/s of report bytes, and their ratios;
//! - a warm start from the cache, and `report --by district-year` rendering on it;
//! - the peak resident memory of the process.

use std::path::Path;
use std::time::Instant;

use jieba_rs::Jieba;
use zhongdian::analysis::{Analysis, Progress};
use zhongdian::cache::Cache;
use zhongdian::clean::{clean, Format};
use zhongdian::cli::report::{self, ThemeFilter};
use zhongdian::ingest::{Options, Plan};
use zhongdian::measure::Analyzer;
use zhongdian::taxonomy::Taxonomy;

#[path = "../tests/support/synthetic.rs"]
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

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn build(corpus: &Path, threads: usize, cache: Option<&Cache>) -> Analysis {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("pool");
    pool.install(|| {
        let plan = Plan::new(corpus).expect("corpus");
        let analyzer = Analyzer::new(Taxonomy::built_in().expect("taxonomy"));
        Analysis::build_cached(
            plan,
            analyzer,
            &Options::default(),
            &Progress::default(),
            cache,
        )
    })
}

fn main() {
    let meetings: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(2000);
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
    let jieba = Jieba::new();
    let bare = median(
        (0..3)
            .map(|_| {
                mb / seconds(|| {
                    let n: usize = texts.iter().map(|t| jieba.cut(t, true).len()).sum();
                    assert!(n > 0);
                })
            })
            .collect(),
    );
    println!("bare jieba-rs cut, 1 thread:        {bare:7.1} MB/s");

    let one = median(
        (0..3)
            .map(|_| mb / seconds(|| drop(build(&corpus, 1, None))))
            .collect(),
    );
    let two = median(
        (0..3)
            .map(|_| mb / seconds(|| drop(build(&corpus, 2, None))))
            .collect(),
    );
    println!(
        "cold index, 1 thread:               {one:7.1} MB/s  ratio to bare cut {:.2}",
        one / bare
    );
    println!(
        "cold index, 2 threads:              {two:7.1} MB/s  ratio to 1 thread {:.2}",
        two / one
    );

    let cache = Cache::for_corpus(&work.path().join("cache"), &corpus);
    drop(build(&corpus, 2, Some(&cache)));
    let cache_mb = std::fs::metadata(&cache.path).map_or(0.0, |m| m.len() as f64 / 1_048_576.0);
    let mut warm = None;
    let warm_s = median(
        (0..3)
            .map(|_| seconds(|| warm = Some(build(&corpus, 2, Some(&cache)))))
            .collect(),
    );
    let warm = warm.expect("warm analysis");
    assert_eq!(warm.cache.measured, 0, "the warm start measured nothing");
    let report_s = median(
        (0..3)
            .map(|_| seconds(|| assert!(!report::groups_json(&warm, ThemeFilter::All).is_empty())))
            .collect(),
    );
    println!(
        "warm start from the cache:          {:7.3} s   (cache file {cache_mb:.1} MB)",
        warm_s
    );
    println!(
        "report --by district-year, JSON:    {:7.3} s   on the warm analysis",
        report_s
    );
    println!(
        "peak resident memory:               {:7.1} MB",
        peak_rss_mb()
    );
}
