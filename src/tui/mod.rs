//! The dashboard: ratatui on crossterm over the measures of [`crate::analysis`].
//!
//! One [`app::App`] holds the state; [`app::App::update`] is the one step that changes
//! it, one [`message::Message`] at a time; the functions of [`draw`] only read the state.
//! This module owns the terminal and the threads: input, loading, its progress, and the
//! jobs the update step asks for, all feeding one channel that the loop blocks on. It
//! redraws only when something changed, and restores the terminal however the program
//! ends (quit, error, panic, SIGTERM, SIGHUP).

pub mod app;
pub mod backend;
pub mod draw;
pub mod keymap;
pub mod layout;
pub mod message;
pub mod style;
pub mod trends;
pub mod view;

use std::io::{self, BufWriter, IsTerminal, Stdout};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use color_eyre::eyre::{eyre, Result, WrapErr};
use crossterm::event::{self, Event, KeyEventKind};
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use ratatui::Terminal;

use crate::analysis::{Analysis, Finished, Loader, Progress, Shown};
use crate::cache::Cache;
use crate::ingest::Options;
use crate::measure::Measurer;
use crate::taxonomy::Taxonomy;
use app::App;
use backend::LeanBackend;
use message::{Job, Loaded, Message, Source};
use style::Palette;

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

/// Runs the dashboard on `corpus` until the user quits or a signal ends it. With a
/// `themes` folder (the taxonomy loaded from it), a saved edit of its files is counted
/// and shown without a restart.
pub fn run(
    corpus: &Path,
    (taxonomy, themes): (Taxonomy, Option<PathBuf>),
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
    crate::corpus::check_root(corpus)?;

    watch_for_hangup()?;

    // The one channel every change of state arrives through.
    let (tx, rx) = mpsc::channel::<Message>();
    let progress = Arc::new(watched_progress(&tx));
    let source = Source {
        corpus: corpus.to_path_buf(),
        options: options.clone(),
        cache: cache.clone(),
        themes: themes.clone(),
    };
    spawn_loading(corpus, taxonomy, &options, cache, &progress, &tx);
    spawn_input(&tx);
    // Kept for as long as the dashboard runs: dropping it stops the watching.
    let _watcher = match &themes {
        Some(dir) => Some(watch_themes(dir, &tx)?),
        None => None,
    };

    let (_guard, mut terminal) = setup_terminal()?;
    let mut app = App::new(options).with_source(source);
    let size = terminal.size().wrap_err("cannot read the terminal size")?;
    let mut dirty = app.update(Message::Resize(size.width, size.height)).redraw;
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
        // Blocks until something happens; then takes whatever else has arrived, so a
        // burst (a key held down, evidence batches) is drawn once. A new analysis is
        // drawn before anything after it: the cache's is on screen while it is checked.
        let Ok(first) = rx.recv() else { break };
        let mut next = Some(first);
        while let Some(message) = next {
            let analysis_arrived = matches!(message, Message::Loaded(_));
            let changes = app.update(message);
            dirty |= changes.redraw;
            for job in changes.jobs {
                spawn_job(job, &tx);
            }
            next = if analysis_arrived {
                None
            } else {
                rx.try_recv().ok()
            };
        }
    }
    terminal.show_cursor().ok();
    if let Some(why) = app.failure.take() {
        // The folder was there a moment ago; if it went, say so and leave.
        return Err(why.into());
    }
    // Quitting is at once: the process ends next, and freeing a large corpus's
    // analysis piece by piece would hold the user for a noticeable moment.
    std::mem::forget(app);
    Ok(())
}

/// The loading thread: the cache's analysis at once if there is one, then the corpus
/// checked against it (or read, partial analyses shown meanwhile).
fn spawn_loading(
    corpus: &Path,
    taxonomy: Taxonomy,
    options: &Options,
    cache: Option<Cache>,
    progress: &Arc<Progress>,
    tx: &mpsc::Sender<Message>,
) {
    let (progress, tx) = (Arc::clone(progress), tx.clone());
    let (corpus, options) = (corpus.to_path_buf(), options.clone());
    // The receiver is gone only if the user quit first: sends may fail unheard.
    std::thread::spawn(move || {
        let send = |loaded: Loaded| {
            let _ = tx.send(Message::Loaded(loaded));
        };
        // The tenures are made on first use; here, once an analysis is on screen, so
        // that the Leaders view and the Timeline find them made. Not for a partial one,
        // which the next replaces within the second.
        let ready = |analysis: &Arc<Analysis>| {
            analysis.tenures();
        };
        let show = |shown: Shown| match shown {
            Shown::FromCache(analysis) => {
                send(Loaded::FromCache(Arc::clone(&analysis)));
                ready(&analysis);
            }
            Shown::Partial(analysis) => send(Loaded::Partial(analysis)),
        };
        let outcome = Loader::new(&corpus, &options)
            .with_cache(cache.as_ref())
            .with_progress(&progress)
            .load_showing(Measurer::new(taxonomy), &show);
        match outcome {
            Ok(Finished::CacheStands) => send(Loaded::Confirmed),
            Ok(Finished::Current(analysis)) => {
                let analysis = Arc::from(analysis);
                send(Loaded::Current(Ok(Arc::clone(&analysis))));
                ready(&analysis);
            }
            Err(why) => send(Loaded::Current(Err(why))),
        }
    });
}

/// How long the themes folder must be quiet before an edit is read: an editor's save is
/// several events (a temporary file, a rename, a write), and the file is read once,
/// whole.
const THEMES_QUIET: Duration = Duration::from_millis(150);

/// Watches the themes folder: after each burst of changes, one
/// [`Message::ThemesEdited`]. The operating system's notifications (inotify, kqueue, …)
/// where there are, polling where not.
fn watch_themes(dir: &Path, tx: &mpsc::Sender<Message>) -> Result<Box<dyn notify::Watcher + Send>> {
    use notify::RecursiveMode;
    let (raw_tx, raw_rx) = mpsc::channel::<()>();
    // Only what changes a file: reading the folder (as the re-count does) is an event
    // too, and heeding it would read the folder again, for ever.
    let notice = move |event: notify::Result<notify::Event>| {
        if event.is_ok_and(|e| !matches!(e.kind, notify::EventKind::Access(_))) {
            let _ = raw_tx.send(());
        }
    };
    let mut watcher: Box<dyn notify::Watcher + Send> =
        match notify::recommended_watcher(notice.clone()) {
            Ok(watcher) => Box::new(watcher),
            Err(_) => Box::new(
                notify::PollWatcher::new(
                    notice,
                    notify::Config::default().with_poll_interval(Duration::from_millis(500)),
                )
                .wrap_err("cannot watch the themes folder")?,
            ),
        };
    watcher
        .watch(dir, RecursiveMode::NonRecursive)
        .wrap_err_with(|| format!("cannot watch the themes folder {}", dir.display()))?;
    let tx = tx.clone();
    std::thread::spawn(move || {
        while raw_rx.recv().is_ok() {
            // The rest of the burst.
            while raw_rx.recv_timeout(THEMES_QUIET).is_ok() {}
            if tx.send(Message::ThemesEdited).is_err() {
                return;
            }
        }
    });
    Ok(watcher)
}

/// Loading counters that send a progress message when they move (at most every
/// [`Progress::TELL_EVERY`]): the loop hears of progress without a timer of its own.
fn watched_progress(tx: &mpsc::Sender<Message>) -> Progress {
    let tx = tx.clone();
    let started = Instant::now();
    Progress::watched(move |p| {
        let _ = tx.send(Message::Progress(app::Loading {
            files_done: p.files_done.load(Ordering::Relaxed),
            files_total: p.files_total.load(Ordering::Relaxed),
            bytes_done: p.bytes_done.load(Ordering::Relaxed),
            seconds: started.elapsed().as_secs_f64(),
        }));
    })
}

/// The input thread: keys and resizes, as messages. It blocks in the terminal's read, so
/// it wakes only for input.
fn spawn_input(tx: &mpsc::Sender<Message>) {
    let tx = tx.clone();
    std::thread::spawn(move || loop {
        let message = match event::read() {
            Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => Message::Key(key),
            Ok(Event::Resize(width, height)) => Message::Resize(width, height),
            Ok(_) => continue,
            // A terminal that cannot be read any more is the hang-up watcher's to end.
            Err(_) => return,
        };
        if tx.send(message).is_err() {
            return;
        }
    });
}

/// A job on a thread of its own: a read that hangs (a network disk) holds only it, and
/// a later request does not queue behind it.
fn spawn_job(job: Job, tx: &mpsc::Sender<Message>) {
    let tx = tx.clone();
    std::thread::spawn(move || job.run(&mut |message| tx.send(message).is_ok()));
}
