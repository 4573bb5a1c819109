//! Segment + match throughput against bare jieba-rs, on text built from data/.
//!
//! Run: `cargo bench --bench throughput` (add `-- 20` for a 20 MB corpus; 8 MB by
//! default). Prints medians of several runs, in MB/s of cleaned UTF-8 text, measured in one
//! process so the ratios compare like with like on a shared, noisy machine.

use std::path::Path;
use std::time::Instant;

use jieba_rs::Jieba;
use zhongdian::clean::{clean, Format};
use zhongdian::measure::Measurer;
use zhongdian::taxonomy::Taxonomy;

const RUNS: usize = 5;

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// MB/s of `f` over `bytes` bytes, median of RUNS.
fn rate(bytes: usize, mut f: impl FnMut() -> usize) -> f64 {
    let mut rates = Vec::with_capacity(RUNS);
    let mut sink = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        sink += f();
        rates.push(bytes as f64 / 1_048_576.0 / start.elapsed().as_secs_f64());
    }
    assert!(sink > 0, "the work was optimised away");
    median(rates)
}

fn main() {
    let megabytes: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(8);
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut raw = Vec::new();
    for entry in std::fs::read_dir(&data).expect("data/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "txt") {
            raw.push(std::fs::read_to_string(&path).expect("seed"));
        }
    }
    raw.sort();
    // Paragraph-sized pieces of the cleaned seeds, as segmentation sees them.
    let cleaned: Vec<String> = raw
        .iter()
        .map(|t| clean(t, Format::PlainText).text)
        .collect();
    let mut docs = Vec::new();
    let mut total = 0;
    while total < megabytes * 1_048_576 {
        for text in &cleaned {
            total += text.len();
            docs.push(text.clone());
        }
    }

    let measurer = Measurer::new(Taxonomy::built_in().expect("built-in taxonomy"));
    let jieba = Jieba::new();

    let bare = rate(total, || {
        docs.iter().map(|d| jieba.cut(d, true).len()).sum()
    });
    let measured = rate(total, || {
        docs.iter()
            .map(|d| measurer.measure(d).measures.tokens)
            .sum()
    });
    let raw_total: usize = docs.len() / cleaned.len() * raw.iter().map(String::len).sum::<usize>();
    let pipeline = rate(raw_total, || {
        let mut n = 0;
        for _ in 0..docs.len() / cleaned.len() {
            for text in &raw {
                n += measurer
                    .measure(&clean(text, Format::PlainText).text)
                    .measures
                    .tokens;
            }
        }
        n
    });
    println!(
        "corpus: {} documents, {:.1} MB cleaned, {RUNS} runs, medians",
        docs.len(),
        total as f64 / 1_048_576.0
    );
    println!("bare jieba-rs cut (HMM on):          {bare:7.1} MB/s");
    println!(
        "segment + match (Measurer::measure): {measured:7.1} MB/s  ratio to bare cut {:.2}",
        measured / bare
    );
    println!(
        "clean + segment + match (raw text):  {pipeline:7.1} MB/s  ratio to bare cut {:.2}",
        pipeline / bare
    );
}
