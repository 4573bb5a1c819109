//! Time to draw each dashboard view at 200×60 on ratatui's TestBackend.
//!
//! Run: `cargo bench --bench draw` (data/), or `cargo bench --bench draw -- DIR` for
//! another corpus, e.g. one written by `cargo run --release --example generate`.
//! Prints the time to pool the groups at prefecture and at province level (a worker's job
//! on the first `L`), then the median and the worst of 200 frames per view at county
//! level, and of the Districts and Compare views at prefecture level.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use zhongdian::aggregate::{self, GroupLevel};
use zhongdian::ingest::Options;
use zhongdian::tui::app::App;
use zhongdian::tui::draw;
use zhongdian::tui::style::Palette;

#[path = "../tests/it/support/dashboard.rs"]
mod dashboard;
#[path = "../tests/it/support/analysis.rs"]
mod support_analysis;
use dashboard::{key, load, resize};
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
    // What `Analysis::at` does on its first call for a level, five times over.
    let pairs: Vec<_> = analysis
        .meetings
        .iter()
        .map(|m| (&m.meeting, &m.measures))
        .collect();
    let themes = analysis.measurer.taxonomy.themes.len();
    for level in [GroupLevel::Prefecture, GroupLevel::Province] {
        let mut groups = 0;
        let mut times: Vec<f64> = (0..5)
            .map(|_| {
                let start = Instant::now();
                groups = aggregate::pool_at(&pairs, level, themes).len();
                start.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!(
            "pooling at {} level: median {:.2} ms, worst {:.2} ms of 5 ({groups} groups)",
            level.as_str(),
            times[2],
            times[4],
        );
    }
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
        ("6", "leaders"),
        ("6b", "leaders, before/after"),
        ("L1", "districts at prefecture level"),
        ("L2", "compare at prefecture level"),
    ] {
        let mut app = App::new(Options::default());
        resize(&mut app, SIZE.0, SIZE.1);
        load(&mut app, Arc::clone(&analysis));
        for c in keys.chars() {
            let code = match c {
                '\r' => KeyCode::Enter,
                '\t' => KeyCode::Tab,
                c => KeyCode::Char(c),
            };
            key(&mut app, KeyEvent::new(code, KeyModifiers::NONE));
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
            "{view:<30} median {:.3} ms   worst {:.3} ms",
            times[FRAMES / 2],
            times[FRAMES - 1]
        );
    }
}
