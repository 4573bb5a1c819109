//! Inference on the labelled set of real reports: the figures, then every miss.
//!
//!     cargo run --release --example accuracy [-- DIR]
//!
//! DIR defaults to `tests/fixtures/real`. Judge every change to inference on the whole
//! set with this, never on one report.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dir = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("tests/fixtures/real"), PathBuf::from);
    match zhongdian::evaluate::run(&dir) {
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
