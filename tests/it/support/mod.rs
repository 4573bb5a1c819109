//! What the integration tests share: building analyses, running the binary, driving the
//! dashboard's update step, generating corpora.

pub mod analysis;
pub mod binary;
pub mod dashboard;
pub mod planted;
pub mod synthetic;
pub mod themes;

use std::path::Path;
use std::process::Command;

/// Makes a FIFO at `path`: a file that blocks whoever opens it to read until someone
/// writes, which in these tests no one does.
pub fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}
