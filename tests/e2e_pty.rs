//! The real binary in a pseudo-terminal, read through a terminal emulator: keys in, the
//! emulated screen out. Nothing else is needed on the machine (no tmux).

use std::io::{Read, Write};
use std::path::Path;
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

    fn resize(&mut self, cols: u16, rows: u16) {
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        self.parser
            .lock()
            .unwrap()
            .set_size(nonzero(rows), nonzero(cols));
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

    let mut first = Session::start_with_env(&[&data()], 100, 30, &env);
    first.wait_for("红谷滩区");
    first.send("q");
    assert!(first.finish().success());
    assert!(
        !String::from_utf8_lossy(&first.raw.lock().unwrap()).contains("checking the corpus"),
        "with no cache there is nothing to show before the corpus is read"
    );
    let written = std::fs::read_dir(cache.path().join("zhongdian"))
        .expect("the first start wrote its cache")
        .count();
    assert_eq!(written, 1);

    let mut second = Session::start_with_env(&[&data()], 100, 30, &env);
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
