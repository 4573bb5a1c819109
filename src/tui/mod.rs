//! The dashboard: ratatui on crossterm over the measures of [`crate::analysis`].
//!
//! One [`app::App`] holds the state; [`app::App::on_key`] is the update step; the
//! functions of [`draw`] only read the state. This module owns the terminal: it sets it
//! up, redraws only when something changed, and restores it however the program ends
//! (quit, error, panic, SIGTERM, SIGHUP).

pub mod app;
pub mod backend;
pub mod draw;
pub mod keymap;
pub mod layout;
pub mod style;

use std::io::{self, BufWriter, IsTerminal, Stdout};
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use color_eyre::eyre::{eyre, Result, WrapErr};
use crossterm::event::{self, Event, KeyEventKind};
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use ratatui::Terminal;

use crate::analysis::{Analysis, Progress};
use crate::cache::Cache;
use crate::ingest::{Options, Plan};
use crate::measure::Analyzer;
use crate::taxonomy::Taxonomy;
use app::App;
use backend::LeanBackend;
use style::Palette;

/// How often the loop wakes without input: to see a finished load, a signal, progress.
/// Waking writes nothing unless something changed.
const TICK: Duration = Duration::from_millis(200);
/// How long input is waited for while the corpus loads: the loading thread's results
/// cannot wake the wait, so it is short, and what arrives is drawn within it.
const LOADING_TICK: Duration = Duration::from_millis(15);

/// Puts the terminal back as it was. Safe to call more than once.
fn restore_terminal() {
    let _ = terminal::disable_raw_mode();
    let _ = execute!(io::stdout(), LeaveAlternateScreen, cursor::Show);
}

/// Restores the terminal when dropped: on return and on error alike.
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// What the dashboard draws on: stdout through [`LeanBackend`], buffered so that a frame
/// leaves in one write (ratatui flushes after each frame) rather than in pieces.
type Screen = Terminal<LeanBackend<BufWriter<Stdout>>>;

fn setup_terminal() -> Result<(TerminalGuard, Screen)> {
    // The panic hook restores first, so the report is readable on a sane terminal.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous(info);
    }));
    terminal::enable_raw_mode().wrap_err("cannot put the terminal in raw mode")?;
    let guard = TerminalGuard;
    execute!(io::stdout(), EnterAlternateScreen, cursor::Hide)
        .wrap_err("cannot switch to the alternate screen")?;
    let terminal = Terminal::new(LeanBackend::new(BufWriter::with_capacity(
        1 << 16,
        io::stdout(),
    )))
    .wrap_err("cannot start drawing on the terminal")?;
    Ok((guard, terminal))
}

/// How often the watcher looks for a termination signal or a vanished terminal.
const WATCH: Duration = Duration::from_millis(250);

/// Ends the program, terminal restored, on SIGTERM, on SIGHUP, or when the terminal
/// hangs up without a signal reaching us (an SSH link gone). This runs on its own
/// thread because the main one cannot be relied on then: crossterm's reader loops
/// forever on a terminal that reads as endless end-of-file.
fn watch_for_hangup() -> Result<()> {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP])
        .wrap_err("cannot watch for termination signals")?;
    std::thread::spawn(move || loop {
        // The conventional status of a death by signal: 128 + its number.
        let by_signal = signals.pending().next().map(|signal| 128 + signal);
        // isatty fails on a terminal that hung up.
        let hung_up = !io::stdout().is_terminal();
        if let Some(status) = by_signal.or(hung_up.then_some(128 + SIGHUP)) {
            restore_terminal();
            std::process::exit(status);
        }
        std::thread::sleep(WATCH);
    });
    Ok(())
}

/// What the loading thread sends the event loop.
enum Loaded {
    /// The meetings read so far, while the rest are read.
    Partial(Box<Analysis>),
    /// The cache's analysis, before the corpus was checked against it.
    FromCache(Arc<Analysis>),
    /// The corpus is as the cache knew it: what is shown stands.
    Confirmed,
    /// The analysis of the corpus as it is now (or why there is none).
    Current(Result<Box<Analysis>, String>),
}

/// The status line while a cached analysis is checked against the corpus.
const CHECKING: &str = "from the cache; checking the corpus for changes…";

/// Runs the dashboard on `corpus` until the user quits or a signal ends it.
pub fn run(
    corpus: &Path,
    taxonomy: Taxonomy,
    options: Options,
    cache: Option<Cache>,
    palette: Palette,
) -> Result<()> {
    if !io::stdout().is_terminal() {
        return Err(eyre!(
            "the dashboard needs a terminal; for text output use `zhongdian check` or `zhongdian report`"
        ));
    }
    // A missing folder is reported before the screen is taken over; the listing itself
    // happens in the background, with the cache's loading.
    crate::corpus::check_root(corpus).map_err(|e| eyre!(e))?;

    watch_for_hangup()?;

    let progress = Arc::new(Progress::default());
    let (done_tx, done_rx) = mpsc::channel();
    {
        let progress = Arc::clone(&progress);
        let options = options.clone();
        let corpus = corpus.to_path_buf();
        // The receiver is gone only if the user quit first: sends may fail unheard.
        std::thread::spawn(move || {
            let partial_tx = done_tx.clone();
            let show = move |partial: Analysis| {
                let _ = partial_tx.send(Loaded::Partial(Box::new(partial)));
            };
            let Some(cache) = cache else {
                let analyzer = Analyzer::new(taxonomy);
                let analysis = Analysis::open_showing(
                    &corpus,
                    analyzer,
                    &options,
                    &progress,
                    None,
                    Some(&show),
                );
                let _ = done_tx.send(Loaded::Current(analysis.map(Box::new)));
                return;
            };
            // Stale while checked: what the cache holds is on screen at once, and the
            // corpus is listed meanwhile to see whether it still holds.
            let shown =
                Analysis::cached(&corpus, Analyzer::new(taxonomy.clone()), &options, &cache).map(
                    |analysis| {
                        let shown = Arc::new(analysis);
                        let _ = done_tx.send(Loaded::FromCache(Arc::clone(&shown)));
                        shown
                    },
                );
            let plan = match Plan::new(&corpus) {
                Ok(plan) => plan,
                Err(e) => {
                    let _ = done_tx.send(Loaded::Current(Err(e)));
                    return;
                }
            };
            if shown.is_some_and(|shown| shown.is_current(&plan, &options)) {
                let _ = done_tx.send(Loaded::Confirmed);
                return;
            }
            let analysis = Analysis::build_showing(
                plan,
                Analyzer::new(taxonomy),
                &options,
                &progress,
                Some(&cache),
                Some(&show),
            );
            let _ = done_tx.send(Loaded::Current(Ok(Box::new(analysis))));
        });
    }

    let (_guard, mut terminal) = setup_terminal()?;
    let mut app = App::new(options);
    let size = terminal.size().wrap_err("cannot read the terminal size")?;
    app.on_resize(size.width, size.height);
    let started = Instant::now();
    let mut dirty = true;
    let mut loading = true;
    loop {
        if dirty {
            terminal
                .draw(|frame| draw::draw(frame, &app, palette))
                .wrap_err("cannot draw on the terminal")?;
            dirty = false;
            // Debug builds only: lets the end-to-end tests see a panic restore the
            // terminal. Release builds have no such switch.
            #[cfg(debug_assertions)]
            if std::env::var_os("ZHONGDIAN_TEST_PANIC").is_some() && app.analysis.is_some() {
                panic!("ZHONGDIAN_TEST_PANIC is set");
            }
        }
        if app.quit {
            progress.cancel.store(true, Ordering::Relaxed);
            break;
        }
        let tick = if loading { LOADING_TICK } else { TICK };
        let ready = event::poll(tick).wrap_err("cannot read terminal input")?;
        if ready {
            match event::read().wrap_err("cannot read terminal input")? {
                Event::Key(key) if key.kind != KeyEventKind::Release => dirty |= app.on_key(key),
                Event::Resize(width, height) => {
                    app.on_resize(width, height);
                    dirty = true;
                }
                _ => {}
            }
        }
        match done_rx.try_recv() {
            Ok(Loaded::Partial(analysis)) => {
                let status = format!(
                    "partial: {} of {} reports read so far; the figures will change",
                    analysis.meetings.len() + analysis.skipped.len(),
                    analysis.plan.files.len() + analysis.plan.skipped.len()
                );
                app.loaded(Arc::new(*analysis));
                app.status = Some(status);
                dirty = true;
            }
            Ok(Loaded::FromCache(analysis)) => {
                app.loaded(analysis);
                app.status = Some(CHECKING.into());
                dirty = true;
            }
            Ok(Loaded::Confirmed) => {
                loading = false;
                if app.status.as_deref() == Some(CHECKING) {
                    app.status = None;
                }
                dirty = true;
            }
            Ok(Loaded::Current(analysis)) => {
                loading = false;
                // The folder was there a moment ago; if it went, say so and leave.
                app.loaded(Arc::new(*analysis.map_err(|e| eyre!(e))?));
                // What was said about a partial or cached analysis no longer holds.
                app.status = None;
                dirty = true;
            }
            Err(_) => {}
        }
        if app.analysis.is_none() {
            dirty |= app.on_progress(app::Loading {
                files_done: progress.files_done.load(Ordering::Relaxed),
                files_total: progress.files_total.load(Ordering::Relaxed),
                bytes_done: progress.bytes_done.load(Ordering::Relaxed),
                seconds: started.elapsed().as_secs_f64(),
            });
        }
    }
    terminal.show_cursor().ok();
    // Quitting is at once: the process ends next, and freeing a large corpus's
    // analysis piece by piece would hold the user for a noticeable moment.
    std::mem::forget(app);
    Ok(())
}
