//! Writes a synthetic corpus (see `tests/support/synthetic.rs`).
//!
//! `cargo run --release --example generate -- OUT_DIR MEETINGS [DISTRICTS] [YEARS]`

use std::path::Path;

#[path = "../tests/it/support/synthetic.rs"]
mod synthetic;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(out), Some(Ok(meetings))) = (args.first(), args.get(1).map(|n| n.parse::<usize>()))
    else {
        eprintln!("usage: generate OUT_DIR MEETINGS [DISTRICTS] [YEARS]");
        std::process::exit(2);
    };
    let districts = args
        .get(2)
        .and_then(|n| n.parse().ok())
        .unwrap_or(meetings.div_ceil(30).max(1));
    let years = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(10);
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let sentences = synthetic::seed_sentences(&data);
    if sentences.is_empty() {
        eprintln!("no sentences found in {}", data.display());
        std::process::exit(1);
    }
    match synthetic::generate(Path::new(out), meetings, districts, years, &sentences) {
        Ok(bytes) => println!(
            "{meetings} meetings, {districts} districts, {years} years, {:.1} MB in {out}",
            bytes as f64 / 1_048_576.0
        ),
        Err(e) => {
            eprintln!("cannot write {out}: {e}");
            std::process::exit(1);
        }
    }
}
