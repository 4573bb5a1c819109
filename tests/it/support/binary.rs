//! The binary run as a user runs it, for the tests of its command line: colour and
//! backtraces as the tests' own environment has them would change what it prints.

use std::process::Command;

/// What a run of the binary printed, and how it ended.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// The binary, not yet started.
pub fn zhongdian() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zhongdian"));
    cmd.env_remove("NO_COLOR").env_remove("RUST_BACKTRACE");
    cmd
}

/// Runs `cmd` to its end.
pub fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("the binary runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
