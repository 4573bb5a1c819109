//! What the dashboard writes to the terminal when the selection moves one row, counted
//! in bytes without a terminal: two frames drawn through ratatui's own diff into a
//! crossterm backend over a `Vec<u8>`, as the binary draws them on stdout. Users run
//! the dashboard over SSH; the Scale issue asks for at most 4 KB per move at 120×40.

use std::cell::RefCell;
use std::io::Write;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use zhongdian::analysis::Analysis;
use zhongdian::ingest::Options;
use zhongdian::tui::app::App;
use zhongdian::tui::backend::LeanBackend;
use zhongdian::tui::draw;
use zhongdian::tui::style::Palette;

use crate::support::analysis as support_analysis;
use crate::support::dashboard;
use dashboard::{load, resize};
use support_analysis::analysis_of;

use crate::support::synthetic;

const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;
const BUDGET: usize = 4096;

fn data() -> Arc<Analysis> {
    Arc::new(analysis_of(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("data"),
    ))
}

/// A synthetic corpus shaped like the scale bench's (a district per 30 meetings, ten
/// years), smaller.
fn synthetic() -> Arc<Analysis> {
    let dir = tempfile::tempdir().unwrap();
    let sentences = synthetic::seed_sentences(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data"));
    synthetic::generate(dir.path(), 300, 10, 10, &sentences).unwrap();
    Arc::new(analysis_of(dir.path()))
}

/// A writer the test can read while the terminal owns it.
#[derive(Clone, Default)]
struct Shared(Rc<RefCell<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn key(c: char) -> KeyEvent {
    let code = match c {
        '⎋' => KeyCode::Esc,
        c => KeyCode::Char(c),
    };
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// The bytes written for each of `keys` after the first frame, as the binary's loop
/// writes them: one `Terminal::draw` per key that changed the state. `lean` picks the
/// dashboard's backend; otherwise ratatui's `CrosstermBackend`, for comparison.
fn bytes_per_key(
    analysis: Arc<Analysis>,
    palette: Palette,
    keys: &str,
    lean: bool,
) -> Vec<Vec<u8>> {
    let written = Shared::default();
    if lean {
        frames(
            LeanBackend::new(written.clone()),
            &written,
            analysis,
            palette,
            keys,
        )
    } else {
        frames(
            CrosstermBackend::new(written.clone()),
            &written,
            analysis,
            palette,
            keys,
        )
    }
}

/// The first frame, then one per key, each as the bytes the backend wrote for it.
fn frames<B: Backend>(
    backend: B,
    written: &Shared,
    analysis: Arc<Analysis>,
    palette: Palette,
    keys: &str,
) -> Vec<Vec<u8>>
where
    B::Error: std::fmt::Debug,
{
    let mut app = App::new(Options::default());
    resize(&mut app, WIDTH, HEIGHT);
    load(&mut app, analysis);
    let mut terminal = Terminal::with_options(
        backend,
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, WIDTH, HEIGHT)),
        },
    )
    .unwrap();
    terminal.draw(|f| draw::draw(f, &app, palette)).unwrap();
    let mut out = vec![written.0.take()];
    for c in keys.chars() {
        if dashboard::key(&mut app, key(c)) {
            terminal.draw(|f| draw::draw(f, &app, palette)).unwrap();
        }
        out.push(written.0.take());
    }
    out
}

/// A count of what the bytes are: cursor moves, SGR sequences, other escapes, text.
#[derive(Debug, Default)]
struct Breakdown {
    moves: (usize, usize),
    sgr: (usize, usize),
    other: (usize, usize),
    text: usize,
}

fn breakdown(bytes: &[u8]) -> Breakdown {
    let mut b = Breakdown::default();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == 0x1b && bytes.get(i + 1) == Some(&b'[') {
            let mut j = i + 2;
            while j < bytes.len() && !(0x40..=0x7e).contains(&bytes[j]) {
                j += 1;
            }
            let n = j + 1 - i;
            let slot = match bytes.get(j) {
                Some(b'H') => &mut b.moves,
                Some(b'm') => &mut b.sgr,
                _ => &mut b.other,
            };
            slot.0 += 1;
            slot.1 += n;
            i = j + 1;
        } else {
            b.text += 1;
            i += 1;
        }
    }
    b
}

const COLOUR: Palette = Palette {
    color: true,
    ascii: false,
};

/// Colour, NO_COLOR and `--ascii`.
const PALETTES: [Palette; 3] = [
    COLOUR,
    Palette {
        color: false,
        ascii: false,
    },
    Palette {
        color: true,
        ascii: true,
    },
];

/// The keys of the checks: the selection down, down, down, up the district list.
const MOVES: &str = "jjjk";

fn assert_moves_within_budget(name: &str, analysis: Arc<Analysis>) {
    for palette in PALETTES {
        let frames = bytes_per_key(Arc::clone(&analysis), palette, MOVES, true);
        for (key, frame) in MOVES.chars().zip(&frames[1..]) {
            // A move that wrote nothing would pass for the wrong reason.
            assert!(
                !frame.is_empty(),
                "{name} {palette:?}: `{key}` drew nothing"
            );
            assert!(
                frame.len() <= BUDGET,
                "{name} {palette:?}: `{key}` wrote {} bytes, over {BUDGET}: {:?}",
                frame.len(),
                breakdown(frame)
            );
        }
    }
}

#[test]
fn a_move_in_the_district_list_writes_at_most_4_kb_on_the_seeds() {
    assert_moves_within_budget("data/", data());
}

#[test]
fn a_move_in_the_district_list_writes_at_most_4_kb_on_a_synthetic_corpus() {
    assert_moves_within_budget("synthetic", synthetic());
}

/// The screen a terminal shows after `bytes`, cell by cell: text, colours, attributes.
fn emulated(bytes: &[u8]) -> Vec<String> {
    let mut parser = vt100::Parser::new(
        std::num::NonZeroU16::new(HEIGHT).unwrap(),
        std::num::NonZeroU16::new(WIDTH).unwrap(),
        0,
    );
    parser.process(bytes);
    let screen = parser.screen();
    (0..HEIGHT)
        .flat_map(|row| (0..WIDTH).map(move |col| (row, col)))
        .map(|(row, col)| {
            let cell = screen.cell(row, col).unwrap();
            format!(
                "{row},{col} {:?} fg {:?} bg {:?} bold {} italic {} underline {} inverse {}",
                cell.contents(),
                cell.fgcolor(),
                cell.bgcolor(),
                cell.bold(),
                cell.italic(),
                cell.underline(),
                cell.inverse()
            )
        })
        .collect()
}

#[test]
fn the_lean_backend_shows_what_ratatuis_backend_shows() {
    let analysis = data();
    // Through every view, with moves, word and measure switches, help, and back.
    let keys = "jjwjmk2jj3jtj4jj5jj?⎋1kkk";
    for palette in PALETTES {
        let lean = bytes_per_key(Arc::clone(&analysis), palette, keys, true);
        let reference = bytes_per_key(Arc::clone(&analysis), palette, keys, false);
        let (mut lean_so_far, mut reference_so_far) = (Vec::new(), Vec::new());
        for (i, (a, b)) in lean.iter().zip(&reference).enumerate() {
            lean_so_far.extend_from_slice(a);
            reference_so_far.extend_from_slice(b);
            let (shown, expected) = (emulated(&lean_so_far), emulated(&reference_so_far));
            let differ: Vec<_> = shown
                .iter()
                .zip(&expected)
                .filter(|(a, b)| a != b)
                .take(5)
                .collect();
            assert!(
                differ.is_empty(),
                "{palette:?}, after {:?}: {differ:#?}",
                &keys[..keys.char_indices().nth(i).map_or(keys.len(), |(k, _)| k)]
            );
            assert!(a.len() <= b.len(), "{palette:?}: frame {i} grew");
        }
    }
}
