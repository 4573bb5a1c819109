//! The real binary in a pseudo-terminal, read through a terminal emulator: keys in, the
//! emulated screen out. Nothing else is needed on the machine (no tmux).

use crate::support::mkfifo;
use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize};

/// What the program asked the terminal to do beyond drawing: what a hostile file must
/// never get it to do.
#[derive(Default)]
struct Recorder {
    titles: Vec<Vec<u8>>,
    clipboard: Vec<Vec<u8>>,
}

impl vt100::Callbacks for Recorder {
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles.push(title.to_vec());
    }
    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.titles.push(name.to_vec());
    }
    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _: &[u8], data: &[u8]) {
        self.clipboard.push(data.to_vec());
    }
}

/// A running dashboard and the emulator that reads its output.
struct Session {
    parser: Arc<Mutex<vt100::Parser<Recorder>>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    master: Box<dyn MasterPty + Send>,
    child: Box<dyn Child + Send + Sync>,
    /// The session's own cache directory: tests touch nothing outside the repository.
    _cache: tempfile::TempDir,
}

fn nonzero(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n.max(1)).unwrap_or(std::num::NonZeroU16::MIN)
}

const WAIT: Duration = Duration::from_secs(30);

/// How often [`Session::wait_until`] looks at the screen: fine enough to time a key.
const POLL: Duration = Duration::from_millis(2);

impl Session {
    fn start(args: &[&str], cols: u16, rows: u16) -> Session {
        Session::start_with_env(args, cols, rows, &[])
    }

    fn start_with_env(args: &[&str], cols: u16, rows: u16, env: &[(&str, &str)]) -> Session {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_zhongdian"));
        cmd.args(args);
        cmd.cwd(env!("CARGO_MANIFEST_DIR"));
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        let cache = tempfile::tempdir().expect("cache dir");
        cmd.env("XDG_CACHE_HOME", cache.path());
        for (key, value) in env {
            cmd.env(key, value);
        }
        let child = pty.slave.spawn_command(cmd).expect("the binary starts");
        drop(pty.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new_with_callbacks(
            nonzero(rows),
            nonzero(cols),
            0,
            Recorder::default(),
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let mut reader = pty.master.try_clone_reader().expect("pty reader");
        {
            let parser = Arc::clone(&parser);
            let raw = Arc::clone(&raw);
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                while let Ok(n) = reader.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    parser.lock().unwrap().process(&buf[..n]);
                    raw.lock().unwrap().extend_from_slice(&buf[..n]);
                }
            });
        }
        let writer = pty.master.take_writer().expect("pty writer");
        Session {
            parser,
            raw,
            writer,
            master: pty.master,
            child,
            _cache: cache,
        }
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < WAIT,
                "never saw {text:?}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Resizes the terminal. The emulator takes the new size first: the dashboard may
    /// answer the resize before this thread runs again (on a loaded machine), and a frame
    /// for the new size parsed at the old one would garble the screen for good, since
    /// later frames only redraw what changed.
    fn resize(&mut self, cols: u16, rows: u16) {
        self.parser
            .lock()
            .unwrap()
            .set_size(nonzero(rows), nonzero(cols));
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
    }

    /// The dashboard's process id.
    fn pid(&self) -> u32 {
        self.child.process_id().expect("the dashboard's pid")
    }

    /// Polls the screen every [`POLL`] until `ready` holds for it, and returns its text;
    /// fails the test after [`WAIT`], naming `what` it waited for.
    fn wait_until(&self, what: &str, ready: impl Fn(&vt100::Screen) -> bool) -> String {
        let start = Instant::now();
        loop {
            {
                let parser = self.parser.lock().unwrap();
                if ready(parser.screen()) {
                    return parser.screen().contents();
                }
            }
            assert!(
                start.elapsed() < WAIT,
                "never saw {what}; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(POLL);
        }
    }

    /// Waits until the corpus is loaded: `shown` on screen (a district, a count of
    /// meetings only the whole corpus has), nothing of the progress screen, and the
    /// status line at rest (no partial analysis, no check of the cache). A frame can be
    /// caught half drawn, its top new and its status line old, so the screen must say so
    /// twice, a moment apart.
    fn wait_loaded(&self, shown: &[&str]) -> Duration {
        let start = Instant::now();
        let loaded = |screen: &vt100::Screen| {
            let text = screen.contents();
            shown.iter().all(|s| text.contains(s))
                && text.contains("denominator:")
                && !text.contains("Reading the corpus")
                && !text.contains("partial")
                && !text.contains("checking")
        };
        loop {
            self.wait_until("the corpus loaded", loaded);
            std::thread::sleep(Duration::from_millis(300));
            if loaded(self.parser.lock().unwrap().screen()) {
                return start.elapsed();
            }
            assert!(start.elapsed() < WAIT, "the corpus never loaded");
        }
    }

    /// Sends `key` and measures how long the screen takes to satisfy `shown`.
    fn latency(
        &mut self,
        key: &str,
        what: &str,
        shown: impl Fn(&vt100::Screen) -> bool,
    ) -> Duration {
        // The clock starts before the write: the test's thread may be held up after it.
        let sent = Instant::now();
        self.send(key);
        self.wait_until(what, shown);
        let took = sent.elapsed();
        eprintln!(
            "latency of {key:?} ({what}): {:.1} ms",
            took.as_secs_f64() * 1e3
        );
        took
    }

    fn raw_len(&self) -> usize {
        self.raw.lock().unwrap().len()
    }

    /// Waits for the process to end and returns its exit status.
    fn finish(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                start.elapsed() < WAIT,
                "the dashboard did not exit; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn assert_restored(&self) {
        // Give the reader thread a moment to take in the last bytes.
        std::thread::sleep(Duration::from_millis(200));
        let parser = self.parser.lock().unwrap();
        let screen = parser.screen();
        assert!(!screen.alternate_screen(), "still on the alternate screen");
        assert!(!screen.hide_cursor(), "the cursor is still hidden");
    }
}

fn data() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .display()
        .to_string()
}

#[test]
fn a_session_moves_filters_drills_resizes_and_quits_cleanly() {
    let mut s = Session::start(&[&data()], 100, 30);
    s.wait_for("红谷滩区");
    s.wait_for("Themes");

    // Move in the list, switch views.
    s.send("j");
    s.send("2");
    s.wait_for("Heat map");
    s.send("5");
    s.wait_for("Meetings ·");
    s.send("1");
    s.wait_for("Frequent words");

    // Filter the district list.
    s.send("/丰泽\r");
    s.wait_for("Districts /丰泽");

    // Drill from a theme bar into its evidence, then open the meeting.
    s.send("\tg\r");
    s.wait_for("Evidence ·");
    // The sentences are read on a worker: Enter opens the selected one once it is there.
    s.wait_for("003_0c41b430a93a6d9e.txt ·");
    s.send("\r");
    s.wait_for("Esc: back");
    let screen = s.screen();
    assert!(screen.contains("丰泽区"), "{screen}");
    s.send("\x1b");
    std::thread::sleep(Duration::from_millis(300));

    // Resize: the view follows, and too small says so.
    s.resize(50, 10);
    s.wait_for("needs at least");
    s.resize(120, 40);
    s.wait_for("Evidence ·");

    s.send("q");
    let status = s.finish();
    assert!(status.success(), "exit status {status:?}");
    s.assert_restored();
}

#[test]
fn the_leaders_view_walks_from_a_band_to_a_meetings_text() {
    let corpus = crate::support::planted::planted();
    let mut s = Session::start(&[corpus.path().to_str().unwrap()], 120, 36);
    s.wait_for("Themes");
    s.send("/安远\r");
    s.wait_for("Districts /安远");
    s.send("6");
    s.wait_for("Tenures");
    // The third band, 刘强; its meetings; the second one's text.
    s.send("jj\r");
    s.wait_for("secretary 刘强 · 3 meetings");
    s.send("j\r");
    let text = s.wait_for("县委书记刘强主持会议并讲话");
    assert!(
        text.contains("06.txt") || text.contains("重点工作推进会"),
        "{text}"
    );
    s.send("\x1b");
    s.wait_for("secretary 刘强 · 3 meetings");
    s.send("q");
    let status = s.finish();
    assert!(status.success(), "exit status {status:?}");
    s.assert_restored();
}

/// The screen's row that shows a theme bar, e.g. `生态环保 ██▌ 18.6`.
fn bar_of(screen: &str, theme: &str) -> Option<String> {
    screen
        .lines()
        .find(|l| l.contains(theme) && l.contains('█'))
        .map(|l| l.split(theme).nth(1).unwrap_or("").trim().to_owned())
}

#[test]
fn a_saved_theme_edit_shows_without_a_restart_and_a_broken_one_says_where() {
    let themes = tempfile::tempdir().unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
    for entry in std::fs::read_dir(source).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, themes.path().join(path.file_name().unwrap())).unwrap();
    }
    let dir = themes.path().to_str().unwrap().to_owned();
    let mut s = Session::start(&[&data(), "--themes", &dir], 100, 30);
    s.wait_loaded(&["生态环保"]);
    let before = bar_of(&s.screen(), "生态环保").expect("a bar");
    let file = themes.path().join("11-ecology.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen("keywords = [\n", "keywords = [\n  \"工作\",\n", 1),
    )
    .unwrap();
    // Waited for, not timed: how fast is the benches' to say (the machines are shared).
    let after = s.wait_until("the bar to move", |screen| {
        bar_of(&screen.contents(), "生态环保").is_some_and(|b| b != before)
    });
    assert!(after.contains("1 keyword added"), "{after}");
    // Broken: the status line names the file and line; the numbers stay.
    let moved = bar_of(&after, "生态环保").unwrap();
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, good.replacen("name = ", "name = \"x\"\nname = ", 1)).unwrap();
    let broken = s.wait_for("themes not used: ");
    assert!(broken.contains("11-ecology.toml:"), "{broken}");
    assert_eq!(bar_of(&broken, "生态环保").as_deref(), Some(moved.as_str()));
    std::fs::write(&file, good).unwrap();
    s.wait_until("the banner to go", |screen| {
        !screen.contents().contains("themes not used")
    });
    s.send("q");
    assert!(s.finish().success());
    s.assert_restored();
}

#[test]
fn an_idle_dashboard_writes_nothing() {
    let mut s = Session::start(&[&data()], 100, 30);
    s.wait_for("Frequent words");
    std::thread::sleep(Duration::from_millis(500));
    let before = s.raw_len();
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(s.raw_len(), before, "bytes written while idle");
    s.send("q");
    assert!(s.finish().success());
}

/// A dropped SSH link (SIGHUP) or a `kill` (SIGTERM) still leaves a sane terminal.
#[test]
fn sigterm_and_sighup_restore_the_terminal() {
    for signal in ["-TERM", "-HUP"] {
        let mut s = Session::start(&[&data()], 100, 30);
        s.wait_for("Frequent words");
        let pid = s.child.process_id().expect("pid");
        let status = std::process::Command::new("kill")
            .args([signal, &pid.to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        s.finish();
        s.assert_restored();
    }
}

#[test]
fn a_missing_corpus_fails_before_taking_the_screen() {
    let mut s = Session::start(&["/nonexistent/zhongdian"], 100, 30);
    let status = s.finish();
    assert!(!status.success());
    s.wait_for("cannot read corpus folder");
    s.assert_restored();
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "the panic switch exists in debug builds only"
)]
fn a_panic_restores_the_terminal_and_says_where_to_report_it() {
    let mut s = Session::start_with_env(
        &[&data()],
        100,
        30,
        &[("ZHONGDIAN_TEST_PANIC", "1"), ("RUST_BACKTRACE", "0")],
    );
    let status = s.finish();
    assert!(!status.success());
    s.assert_restored();
    let screen = s.wait_for("This is a bug in zhongdian");
    assert!(screen.contains("ZHONGDIAN_TEST_PANIC is set"), "{screen}");
}

/// A report holding escape sequences and a bidi override: shown as text, obeyed never.
#[test]
fn a_hostile_meeting_cannot_drive_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = "3月21日，红旗区召开项目建设大会。\x1b]0;pwned\x07要狠抓招商引资\x1b[2J和项目建设\x1b]52;c;cHduZWQ=\x07，\x1b[?1049l确保\u{202E}开门红。";
    std::fs::write(dir.path().join("hostile.txt"), hostile).unwrap();
    let corpus = dir.path().display().to_string();
    let mut s = Session::start(&[&corpus], 120, 40);
    s.wait_for("红旗区");
    // The evidence behind the top theme, then the meeting's full text.
    s.send("\tg\r");
    s.wait_for("Evidence ·");
    s.wait_for("招商引资");
    s.send("\r");
    let screen = s.wait_for("Esc: back");
    assert!(screen.contains("红旗区召开项目建设大会"), "{screen}");
    {
        let parser = s.parser.lock().unwrap();
        assert!(
            parser.screen().alternate_screen(),
            "ESC[?1049l left the alternate screen"
        );
        assert!(
            parser.callbacks().titles.is_empty(),
            "the window title was set"
        );
        assert!(
            parser.callbacks().clipboard.is_empty(),
            "the clipboard was written"
        );
    }
    let raw = s.raw.lock().unwrap().clone();
    let raw = String::from_utf8_lossy(&raw);
    for sequence in ["\x1b]0;pwned", "\x1b]52;", "\x1b[?1049l", "pwned\x07"] {
        assert!(
            !raw.contains(sequence),
            "{sequence:?} from the file reached the terminal"
        );
    }
    assert!(
        !raw.contains('\u{202E}'),
        "the bidi override reached the terminal"
    );
    s.send("q");
    assert!(s.finish().success());
    s.assert_restored();
}

#[test]
fn a_second_start_shows_the_cached_analysis_then_confirms_it() {
    let cache = tempfile::tempdir().expect("cache dir");
    let dir = cache.path().display().to_string();
    let env = [("XDG_CACHE_HOME", dir.as_str())];
    // A copy of data/, one report of which is edited between the starts: the check then
    // measures it again, which takes the segmenter's building (a second or so here), so
    // the cached analysis is on screen while it runs however loaded the machine is. With
    // nothing changed, the check can end before the first frame is drawn.
    let corpus = tempfile::tempdir().expect("corpus dir");
    for entry in std::fs::read_dir(data()).expect("data/") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, corpus.path().join(path.file_name().expect("name"))).expect("copy");
    }
    let corpus_arg = corpus.path().display().to_string();

    let mut first = Session::start_with_env(&[&corpus_arg], 100, 30, &env);
    first.wait_for("红谷滩区");
    first.send("q");
    assert!(first.finish().success());
    assert!(
        !String::from_utf8_lossy(&first.raw.lock().unwrap()).contains("checking the corpus"),
        "with no cache there is nothing to show before the corpus is read"
    );
    // The cache file, and the tokens file of the reports' cuts beside it.
    let written = std::fs::read_dir(cache.path().join("zhongdian"))
        .expect("the first start wrote its cache")
        .count();
    assert_eq!(written, 2);
    let edited = corpus.path().join("000_b446202f4aa57d8a.txt");
    let mut text = std::fs::read_to_string(&edited).expect("report");
    text.push_str("\n会议要求，全力抓好招商引资工作。\n");
    std::fs::write(&edited, text).expect("edited report");

    let mut second = Session::start_with_env(&[&corpus_arg], 100, 30, &env);
    second.wait_for("红谷滩区");
    let start = Instant::now();
    while second.screen().contains("checking the corpus") {
        assert!(start.elapsed() < WAIT, "the check never finished");
        std::thread::sleep(Duration::from_millis(50));
    }
    let drawn = String::from_utf8_lossy(&second.raw.lock().unwrap()).into_owned();
    assert!(
        drawn.contains("checking the corpus"),
        "the cached analysis was shown while the corpus was checked"
    );
    second.send("j");
    second.wait_for("Themes");
    second.send("q");
    assert!(second.finish().success());
    second.assert_restored();
}

/// How many reports the big district has: enough that the debug binary takes seconds to
/// read them all again for evidence, so keys can be sent while it does.
const BIG_DISTRICT_REPORTS: usize = 4000;

/// A report body whose every sentence with a keyword is 招商引资's and no other theme's,
/// so that theme's bar is the first (the only one) of the district.
const INVESTMENT: &str = "会议要求狠抓招商引资，推动签约项目落地。要创新招商方式，精准招商，以商招商。\
会议强调，要坚持问题导向，扎实推进各项工作，确保取得实效。要加强组织领导，压紧压实责任，形成工作合力。\
要强化督查考核，推动各项任务落到实处。会议还研究了其他事项。";

/// The number before " sentences" in the Evidence title.
fn evidence_count(screen: &str) -> Option<usize> {
    let line = screen.lines().find(|l| l.contains("Evidence ·"))?;
    let before = &line[..line.find(" sentences")?];
    let digits = before.len()
        - before
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .count();
    before[digits..].parse().ok()
}

/// Which evidence item (0 for the first) is drawn selected (reversed) in the Evidence
/// view: the items' head lines are those that start with the report's file name.
fn selected_evidence(screen: &vt100::Screen) -> Option<usize> {
    let shown = screen.contents();
    if !shown.contains("Evidence · ") || shown.contains("Meetings · ") {
        return None;
    }
    let (rows, cols) = screen.size();
    let (rows, cols) = (rows.get(), cols.get());
    let heads = (0..rows).filter(|&row| {
        let text: String = (0..cols)
            .filter_map(|col| screen.cell(row, col))
            .map(|cell| cell.contents().to_owned())
            .collect();
        text.starts_with("│r") && text.contains(".txt · ")
    });
    heads
        .enumerate()
        .find(|&(_, row)| screen.cell(row, 1).is_some_and(|cell| cell.inverse()))
        .map(|(i, _)| i)
}

/// Whether the status line says the evidence is still being read.
fn reading_evidence(screen: &vt100::Screen) -> bool {
    screen
        .contents()
        .contains("reading the meetings for evidence")
}

/// The must-show of the worker redesign: a district of thousands of meetings, one of
/// them a FIFO that never answers. Enter on the district's theme bar opens Evidence at
/// once; while its sentences are read the dashboard still moves, switches views and
/// quits promptly; the FIFO is named as unreadable and the other meetings' sentences
/// are shown.
#[test]
fn evidence_of_a_big_district_loads_on_a_worker_and_names_a_fifo() {
    let began = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    for i in 0..BIG_DISTRICT_REPORTS {
        let report = format!(
            "+++\ndistrict = \"红谷滩区\"\nyear = 2024\n+++\n3月{}日，红谷滩区召开招商引资大会。{INVESTMENT}{INVESTMENT}第{i}次会议。\n",
            i % 28 + 1
        );
        std::fs::write(dir.path().join(format!("r{i:04}.txt")), report).unwrap();
    }
    // The last meeting in the corpus's order, so that its note comes with the last
    // batch of sentences and the progress line shows until then.
    let fifo_name = format!("r{:04}.txt", BIG_DISTRICT_REPORTS - 1);
    let corpus = dir.path().display().to_string();

    let mut s = Session::start(&[&corpus], 120, 40);
    let indexed = s.wait_loaded(&["红谷滩区", &format!("{BIG_DISTRICT_REPORTS} meetings")]);
    eprintln!(
        "{BIG_DISTRICT_REPORTS} reports indexed in {:.2} s",
        indexed.as_secs_f64()
    );

    // The listing skips FIFOs, so the swap comes once the meeting is in the analysis.
    let fifo = dir.path().join(&fifo_name);
    std::fs::remove_file(&fifo).unwrap();
    mkfifo(&fifo);

    // Themes pane, its first bar, Enter: the Evidence view opens while it reads.
    s.send("\tg");
    let enter = s.latency("\r", "Evidence open", |screen| {
        screen.contents().contains("Evidence · 招商引资 · 红谷滩区")
    });
    let opened = Instant::now();
    // If the debug binary ever reads them all before this, raise BIG_DISTRICT_REPORTS.
    s.wait_until(
        "the first sentences while the rest are still read",
        |screen| selected_evidence(screen) == Some(0) && reading_evidence(screen),
    );

    let mut latencies = vec![enter];
    latencies.push(s.latency("j", "the second sentence selected", |screen| {
        selected_evidence(screen) == Some(1)
    }));
    latencies.push(s.latency("1", "the Districts view", |screen| {
        let text = screen.contents();
        text.contains("Frequent words") && !text.contains("Evidence ·")
    }));
    latencies.push(s.latency("5", "the Meetings view", |screen| {
        let text = screen.contents();
        text.contains("Meetings ·") && !text.contains("Frequent words")
    }));
    latencies.push(s.latency("4", "the Evidence view again", |screen| {
        let text = screen.contents();
        text.contains("Evidence · 招商引资") && !text.contains("Meetings ·")
    }));
    // The selection came back with the view: the move back starts from it.
    s.wait_until("the second sentence still selected", |screen| {
        selected_evidence(screen) == Some(1)
    });
    latencies.push(
        s.latency("k", "the first sentence selected again", |screen| {
            selected_evidence(screen) == Some(0)
        }),
    );
    // Still reading after the last key: every key above was answered during the load.
    let screen = s.screen();
    assert!(
        screen.contains("reading the meetings for evidence"),
        "the evidence finished before the keys were all sent; raise BIG_DISTRICT_REPORTS\n{screen}"
    );

    // The rest is read; the FIFO is named, the other meetings' sentences shown.
    let screen = s.wait_until("the evidence read to its end", |screen| {
        !reading_evidence(screen)
    });
    eprintln!(
        "evidence of {BIG_DISTRICT_REPORTS} meetings read in {:.2} s",
        opened.elapsed().as_secs_f64()
    );
    let status = format!("{fifo_name}: not a regular file (a FIFO); not read");
    assert!(screen.contains(&status), "the FIFO is not named:\n{screen}");
    let shown = evidence_count(&screen).expect("the Evidence title counts its sentences");
    eprintln!("{shown} sentences shown");
    assert!(
        shown >= BIG_DISTRICT_REPORTS - 1,
        "{shown} sentences for {} readable meetings:\n{screen}",
        BIG_DISTRICT_REPORTS - 1
    );

    // Quitting while evidence is read: drill again, then q at once.
    s.send("1");
    s.wait_until("the Districts view", |screen| {
        screen.contents().contains("Frequent words")
    });
    s.send("\r");
    s.wait_until("evidence read again", reading_evidence);
    let asked = Instant::now();
    s.send("q");
    let status = loop {
        if let Some(status) = s.child.try_wait().unwrap() {
            break status;
        }
        assert!(asked.elapsed() < WAIT, "q did not end the dashboard");
        std::thread::sleep(POLL);
    };
    let quit = asked.elapsed();
    eprintln!(
        "latency of \"q\" (process ended, evidence still reading): {:.1} ms",
        quit.as_secs_f64() * 1e3
    );
    assert!(status.success(), "exit status {status:?}");
    latencies.push(quit);
    s.assert_restored();

    for took in &latencies {
        assert!(
            *took < Duration::from_secs(1),
            "a key took {took:?} while evidence was read: {latencies:?}"
        );
    }
    eprintln!("test took {:.2} s", began.elapsed().as_secs_f64());
}

/// CPU time (user + system) of process `pid` so far, from /proc/<pid>/stat, in ms.
fn cpu_ms(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc/<pid>/stat");
    // The command name, field 2, is in parentheses and may hold spaces: fields are
    // counted after its closing one, which is followed by field 3.
    let rest = &stat[stat.rfind(')').expect("a command name") + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 =
        fields[14 - 3].parse::<u64>().unwrap() + fields[15 - 3].parse::<u64>().unwrap();
    ticks as f64 * 1000.0 / clock_ticks_per_second()
}

fn clock_ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.trim().parse::<f64>().ok())
        .filter(|&hz| hz > 0.0)
        .unwrap_or(100.0)
}

/// The time each thread of `pid` has run so far, in ns, by thread id, from the
/// scheduler's statistics: finer than the clock ticks of /proc/<pid>/stat. `None` where
/// the kernel keeps no such statistics.
fn run_times_ns(pid: u32) -> Option<std::collections::HashMap<String, u64>> {
    let mut times = std::collections::HashMap::new();
    for task in std::fs::read_dir(format!("/proc/{pid}/task")).ok()? {
        let task = task.ok()?;
        let stat = std::fs::read_to_string(task.path().join("schedstat")).ok()?;
        let ns = stat.split_whitespace().next()?.parse().ok()?;
        times.insert(task.file_name().to_string_lossy().into_owned(), ns);
    }
    Some(times)
}

/// How long the idle dashboard is watched, and the CPU it may use meanwhile.
const IDLE: Duration = Duration::from_secs(5);
const IDLE_CPU_MS: f64 = 10.0;

/// No polling timer once loading ends: idle, the process sleeps until input arrives.
#[test]
fn an_idle_dashboard_uses_no_cpu_once_loaded() {
    let mut s = Session::start(&[&data()], 100, 30);
    s.wait_loaded(&["红谷滩区"]);
    // The last frame written, the loading thread gone.
    std::thread::sleep(Duration::from_millis(500));
    let pid = s.pid();
    let (cpu_before, run_before) = (cpu_ms(pid), run_times_ns(pid));
    std::thread::sleep(IDLE);
    let (cpu_after, run_after) = (cpu_ms(pid), run_times_ns(pid));
    let used = cpu_after - cpu_before;
    eprintln!("CPU over {IDLE:?} idle: {used:.0} ms (utime+stime; {cpu_before:.0} ms before)");
    // utime and stime are whole clock ticks each, truncated apart: 10 ms run, half in
    // each, can read as two ticks. The scheduler's nanoseconds, where the kernel keeps
    // them, are held to the limit; the ticks are allowed that one tick of rounding.
    let tick = 1000.0 / clock_ticks_per_second();
    if let (Some(before), Some(after)) = (run_before, run_after) {
        let ns: u64 = after
            .iter()
            .map(|(tid, &ns)| ns.saturating_sub(before.get(tid).copied().unwrap_or(0)))
            .sum();
        let precise = ns as f64 / 1e6;
        eprintln!(
            "run time over {IDLE:?} idle, {} threads: {precise:.3} ms",
            after.len()
        );
        assert!(
            precise <= IDLE_CPU_MS,
            "{precise:.3} ms of CPU in {IDLE:?} without input"
        );
    }
    assert!(
        used <= IDLE_CPU_MS + tick,
        "{used} ms of CPU in {IDLE:?} without input"
    );
    s.send("q");
    assert!(s.finish().success());
    s.assert_restored();
}

#[test]
fn a_typed_query_draws_its_trend_and_drills_to_a_sentence() {
    let corpus = crate::trends::corpus();
    let mut s = Session::start(&[corpus.path().to_str().unwrap()], 120, 36);
    s.wait_loaded(&["安远县"]);
    s.send("7");
    s.wait_for("no query yet");
    s.send("/河长制, 河長*\r");
    // The chart's legend, the adoption panel and the point line.
    s.wait_for("2/3 units said it");
    let screen = s.wait_for("河长制 · 2021:");
    assert!(
        screen.contains("河长*"),
        "the traditional query is shown simplified: {screen}"
    );
    // 2019, on the whole corpus's 河长制 line: 安远县's sentence.
    s.send("\x1b[D\x1b[D\r");
    s.wait_for("Evidence ·");
    let screen = s.wait_for("要全面落实河长制");
    assert!(screen.contains("whole corpus · 2019"), "{screen}");
    s.send("q");
    let status = s.finish();
    assert!(status.success(), "exit status {status:?}");
    s.assert_restored();
}
