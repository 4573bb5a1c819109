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
///
/// Folders are listed in parallel, each a task of its own, and the files of a folder are
/// looked at in parallel: a large corpus is tens of thousands of folders and a hundred
/// thousand files, each a system call or two that waits on the file system, and one
/// thread doing them in turn took most of a warm start. Symbolic links are followed; a
/// link back to a folder being listed is a loop, named and not followed.
pub fn list(root: &Path) -> Result<Listing, Error> {
    check_root(root)?;
    let ancestors: Vec<FolderId> = folder_id(root).into_iter().collect();
    let mut listing = list_folder(root, root, &ancestors);
    listing.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    listing.skipped.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(listing)
}

/// What identifies a folder however it is reached: its device and inode.
type FolderId = (u64, u64);

#[cfg(unix)]
fn folder_id(path: &Path) -> Option<FolderId> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn folder_id(_: &Path) -> Option<FolderId> {
    // Without inodes a loop cannot be told; the file system's own limits end it.
    None
}

/// The reports in `folder` and below; `ancestors` are the folders it lies in (itself
/// included), by id, so that a link back to one of them is a loop.
fn list_folder(root: &Path, folder: &Path, ancestors: &[FolderId]) -> Listing {
    use rayon::prelude::*;

    let mut listing = Listing::default();
    let skip = |listing: &mut Listing, path: &Path, reason: String| {
        listing.skipped.push(Skipped {
            file: relative(root, path),
            reason,
        });
    };
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) => {
            skip(&mut listing, folder, e.to_string());
            return listing;
        }
    };
    let mut folders = Vec::new();
    let mut reports = Vec::new();
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                skip(&mut listing, folder, e.to_string());
                continue;
            }
        };
        if is_hidden(&entry.file_name()) {
            continue;
        }
        let path = entry.path();
        let kind = match entry.file_type() {
            Ok(kind) => kind,
            Err(e) => {
                skip(&mut listing, &path, e.to_string());
                continue;
            }
        };
        if kind.is_symlink() {
            // Followed: a link is what it points to; a link to nothing is named.
            match std::fs::metadata(&path) {
                Ok(target) if target.is_dir() => folders.push(path),
                Ok(_) => reports.extend(format_of(&path).map(|f| (path, f))),
                Err(e) => skip(&mut listing, &path, e.to_string()),
            }
        } else if kind.is_dir() {
            folders.push(path);
        } else if let Some(format) = format_of(&path) {
            reports.push((path, format));
        }
    }
    let looked_at: Vec<Result<ReportFile, Skipped>> = reports
        .into_par_iter()
        .map(|(path, format)| {
            let rel = relative(root, &path);
            let meta = std::fs::metadata(&path).map_err(|e| Skipped {
                file: rel.clone(),
                reason: e.to_string(),
            })?;
            if !meta.is_file() {
                return Err(Skipped {
                    file: rel,
                    reason: format!(
                        "not a regular file ({}); not read",
                        kind_of(meta.file_type())
                    ),
                });
            }
            Ok(ReportFile {
                rel,
                path,
                format,
                size: meta.len(),
                modified: meta.modified().ok(),
            })
        })
        .collect();
    for result in looked_at {
        match result {
            Ok(file) => listing.files.push(file),
            Err(skipped) => listing.skipped.push(skipped),
        }
    }
    let below: Vec<Listing> = folders
        .into_par_iter()
        .map(|path| {
            let Some(id) = folder_id(&path) else {
                return list_folder(root, &path, ancestors);
            };
            if ancestors.contains(&id) {
                return Listing {
                    files: Vec::new(),
                    skipped: vec![Skipped {
                        file: relative(root, &path),
                        reason: "symbolic link loop; not followed".to_owned(),
                    }],
                };
            }
            let mut inner = ancestors.to_vec();
            inner.push(id);
            list_folder(root, &path, &inner)
        })
        .collect();
    for inner in below {
        listing.files.extend(inner.files);
        listing.skipped.extend(inner.skipped);
    }
    listing
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
