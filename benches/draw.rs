//! Time to draw each dashboard view at 200×60 on ratatui's TestBackend.
//!
//! Run: `cargo bench --bench draw` (data/), or `cargo bench --bench draw -- DIR` for
//! another corpus, e.g. one written by `cargo run --release --example generate`.
//! Prints the median and the worst of 200 frames per view.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use zhongdian::ingest::Options;
use zhongdian::tui::app::App;
use zhongdian::tui::draw;
use zhongdian::tui::style::Palette;

#[path = "../tests/support/analysis.rs"]
mod support_analysis;
use support_analysis::analysis_of;

const FRAMES: usize = 200;
const SIZE: (u16, u16) = (200, 60);

fn main() {
    let corpus = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map_or_else(
            || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data"),
            PathBuf::from,
        );
    let analysis = Arc::new(analysis_of(&corpus));
    println!(
        "{}: {} meetings, {} groups; {} frames per view at {}×{}",
        corpus.display(),
        analysis.meetings.len(),
        analysis.groups.len(),
        FRAMES,
        SIZE.0,
        SIZE.1
    );
    let palette = Palette {
        color: true,
        ascii: false,
    };
    for (keys, view) in [
        ("1", "districts"),
        ("2", "compare"),
        ("3", "timeline"),
        ("1\t\r", "evidence"),
        ("5", "meetings"),
        ("5\r", "reader"),
    ] {
        let mut app = App::new(Options::default());
        app.on_resize(SIZE.0, SIZE.1);
        app.loaded(Arc::clone(&analysis));
        for c in keys.chars() {
            let code = match c {
                '\r' => KeyCode::Enter,
                '\t' => KeyCode::Tab,
                c => KeyCode::Char(c),
            };
            app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
        }
        let mut terminal = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).expect("test terminal");
        let mut times = Vec::with_capacity(FRAMES);
        for _ in 0..FRAMES {
            let start = Instant::now();
            terminal
                .draw(|f| draw::draw(f, &app, palette))
                .expect("draw");
            times.push(start.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{view:<10} median {:.3} ms   worst {:.3} ms",
            times[FRAMES / 2],
            times[FRAMES - 1]
        );
    }
}
