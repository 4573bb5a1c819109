//! Stage 1: which files make up a corpus, and their bytes.
//!
//! A corpus is a folder searched recursively for `.txt`, `.md` and `.html`/`.htm` reports,
//! one meeting each. Hidden files and folders are skipped. Nothing here ever writes.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::clean::Format;
use crate::error::Error;

/// Reports larger than this are not meeting reports (a dump, a log, a mistake); reading
/// them whole would let one file take the memory of the whole run.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// A report file found in the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFile {
    /// The path relative to the corpus root, with '/' separators: the file's identity in
    /// every output and in `meetings.toml`.
    pub rel: String,
    /// The path to open it by, under the corpus root.
    pub path: PathBuf,
    /// How its text is marked up, from its extension.
    pub format: Format,
    /// Its size in bytes when listed.
    pub size: u64,
    /// Its modification time when listed, if the file system gives one.
    pub modified: Option<SystemTime>,
}

/// A file or folder that could not be taken in, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Skipped {
    /// Its path relative to the corpus root.
    pub file: String,
    /// Why it was not taken in, as a reader should see it.
    pub reason: String,
}

/// The reports of a corpus folder, sorted by relative path so every run lists them in the
/// same order, and what could not be listed.
#[derive(Debug, Default)]
pub struct Listing {
    /// The report files, in order.
    pub files: Vec<ReportFile>,
    /// What was found but not listed (a FIFO, an unreadable folder), and why.
    pub skipped: Vec<Skipped>,
}

/// Lists the reports under `root`. Fails only when `root` itself cannot be read; problems
/// below it (a symlink loop, an unreadable folder) are [`Skipped`] entries.
pub fn list(root: &Path) -> Result<Listing, Error> {
    check_root(root)?;

    let mut listing = Listing::default();
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let file = e
                    .path()
                    .map_or_else(|| root.display().to_string(), |p| relative(root, p));
                let reason = match e.loop_ancestor() {
                    Some(_) => "symbolic link loop; not followed".to_owned(),
                    None => e
                        .io_error()
                        .map_or_else(|| e.to_string(), |io| io.to_string()),
                };
                listing.skipped.push(Skipped { file, reason });
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let Some(format) = format_of(entry.path()) else {
            continue;
        };
        if !entry.file_type().is_file() {
            // A FIFO, socket or device with a report's name: opening a FIFO blocks until
            // someone writes to it, and a device may never end. Never opened.
            listing.skipped.push(Skipped {
                file: relative(root, entry.path()),
                reason: format!(
                    "not a regular file ({}); not read",
                    kind_of(entry.file_type())
                ),
            });
            continue;
        }
        let meta = entry.metadata().ok();
        listing.files.push(ReportFile {
            rel: relative(root, entry.path()),
            path: entry.path().to_path_buf(),
            format,
            size: meta.as_ref().map_or(0, |m| m.len()),
            modified: meta.and_then(|m| m.modified().ok()),
        });
    }
    listing.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(listing)
}

/// Whether `root` is a folder that can be read: the one failure that stops everything,
/// worth knowing before a long listing starts.
pub fn check_root(root: &Path) -> Result<(), Error> {
    let unreadable = |e: std::io::Error| Error::CorpusUnreadable {
        root: root.to_path_buf(),
        reason: e.to_string(),
    };
    let meta = std::fs::metadata(root).map_err(unreadable)?;
    if !meta.is_dir() {
        return Err(Error::CorpusNotAFolder {
            root: root.to_path_buf(),
        });
    }
    std::fs::read_dir(root).map_err(unreadable)?;
    Ok(())
}

/// A report's bytes, refusing files over `max_bytes` without reading them whole.
/// A file that became a FIFO or a device since it was listed is refused, not waited on.
pub fn read(file: &ReportFile, max_bytes: u64) -> Result<Vec<u8>, Skipped> {
    read_bytes(file, max_bytes).map_err(|reason| Skipped {
        file: file.rel.clone(),
        reason,
    })
}

fn read_bytes(file: &ReportFile, max_bytes: u64) -> Result<Vec<u8>, String> {
    let handle = open_without_waiting(&file.path).map_err(|e| format!("cannot open: {e}"))?;
    let kind = handle
        .metadata()
        .map_err(|e| format!("cannot open: {e}"))?
        .file_type();
    if !kind.is_file() {
        return Err(format!("not a regular file ({}); not read", kind_of(kind)));
    }
    // Sized from the listing, one byte over so that the read that finds the end has
    // room: read_to_end into an empty vector grows it by small probing reads instead.
    let expected = file.size.min(max_bytes).saturating_add(1);
    let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
    handle
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    // The listing's size may be stale: the file can have grown since.
    within_cap(bytes.len() as u64, max_bytes)?;
    Ok(bytes)
}

/// Opens for reading without blocking on a FIFO that has no writer: the open returns at
/// once and the caller sees what the file is. On a regular file the flag changes nothing.
#[cfg(unix)]
fn open_without_waiting(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_without_waiting(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

/// Refuses a report of `size` bytes over the cap.
pub(crate) fn within_cap(size: u64, max_bytes: u64) -> Result<(), String> {
    if size > max_bytes {
        return Err(format!(
            "larger than the {} MiB limit for one report (--max-file-mib)",
            max_bytes / (1024 * 1024)
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn kind_of(_: std::fs::FileType) -> &'static str {
    "not a file"
}

#[cfg(unix)]
fn kind_of(kind: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else {
        "not a file"
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

/// The format a report's name says it is in; None for files that are not reports.
pub fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" => Some(Format::PlainText),
        "md" | "markdown" => Some(Format::Markdown),
        "html" | "htm" => Some(Format::Html),
        _ => None,
    }
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
