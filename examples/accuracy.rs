//! Inference on the labelled set of real reports: the figures, then every miss.
//!
//!     cargo run --release --example accuracy [-- [--themes THEMES] [DIR]]
//!
//! DIR defaults to `tests/fixtures/real`. With `--themes THEMES` the themes are measured
//! with the taxonomy folder THEMES, read at run time, instead of the built-in one: an
//! edit of `themes/` is judged without recompiling. Judge every change to inference on
//! the whole set with this, never on one report.

use std::path::PathBuf;
use std::process::ExitCode;

use zhongdian::taxonomy::Taxonomy;

const USAGE: &str = "usage: accuracy [--themes THEMES] [DIR]";

fn main() -> ExitCode {
    let mut dir = None;
    let mut themes = None;
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--themes" {
            let Some(value) = args.next() else {
                eprintln!("accuracy: --themes needs a folder\n{USAGE}");
                return ExitCode::from(2);
            };
            themes = Some(PathBuf::from(value));
        } else if dir.is_none() && !arg.to_string_lossy().starts_with('-') {
            dir = Some(PathBuf::from(arg));
        } else {
            eprintln!("accuracy: unexpected argument {arg:?}\n{USAGE}");
            return ExitCode::from(2);
        }
    }
    let dir = dir.unwrap_or_else(|| PathBuf::from("tests/fixtures/real"));
    let result = match themes {
        None => zhongdian::evaluate::run(&dir),
        Some(themes) => match Taxonomy::load(&themes) {
            Ok(taxonomy) => zhongdian::evaluate::run_with(&dir, taxonomy),
            Err(why) => {
                eprintln!("accuracy: {why}");
                return ExitCode::from(2);
            }
        },
    };
    match result {
        Ok((figures, outcomes)) => {
            print!("{}", zhongdian::evaluate::render(&figures, &outcomes));
            ExitCode::SUCCESS
        }
        Err(why) => {
            eprintln!("accuracy: {why}");
            ExitCode::from(2)
        }
    }
}
