//! Stage 1: which reports make up a corpus, and their bytes.
//!
//! A corpus is a folder searched recursively for `.txt`, `.md` and `.html`/`.htm` reports,
//! one meeting each, and for tables of reports (`.jsonl`/`.ndjson`, `.csv`/`.tsv`), one
//! meeting a row (see [`crate::table`]): a row is listed as a report of its own, named
//! `news.jsonl:17`, so every later stage takes it as it takes a file. Hidden files and
//! folders are skipped. Nothing here ever writes.

use std::cmp::Ordering;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use crate::clean::Format;
use crate::error::Error;
use crate::table::{self, Row, Table, TableKind};

/// Reports larger than this are not meeting reports (a dump, a log, a mistake); reading
/// them whole would let one file take the memory of the whole run.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// A report found in the corpus: a file, or a row of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFile {
    /// The path relative to the corpus root, with '/' separators, and for a row `:` and
    /// its number (`news.jsonl:17`): the report's identity in every output and in
    /// `meetings.toml`.
    pub rel: String,
    /// The path to open it by, under the corpus root: a row's table.
    pub path: PathBuf,
    /// What it is: a file in a format, or a row of a table.
    pub kind: ReportKind,
    /// Its size in bytes when listed (a row's own bytes).
    pub size: u64,
    /// Its modification time when listed, if the file system gives one (a row's table's).
    pub modified: Option<SystemTime>,
}

/// What a report of the corpus is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportKind {
    /// A file of its own, its text marked up as its extension says.
    File(Format),
    /// A row of a table.
    Row(Row),
}

/// The report name of row `number` of the table named `table` (relative to the root).
pub fn row_name(table: &str, number: usize) -> String {
    format!("{table}:{number}")
}

/// The table and row number a report's name `rel` gives, if it names a row of a table.
pub fn row_of(rel: &str) -> Option<(&str, usize)> {
    let (table, number) = rel.rsplit_once(':')?;
    let number = number.parse().ok().filter(|&n| n > 0)?;
    TableKind::of(Path::new(table)).map(|_| (table, number))
}

/// The order of a corpus's reports by their names: by path, a table's rows in the
/// table's order (`news.jsonl:2` before `news.jsonl:10`). Every listing is sorted so,
/// and looked up so.
pub fn in_order(a: &str, b: &str) -> Ordering {
    let key = |rel| row_of(rel).unwrap_or((rel, 0));
    key(a).cmp(&key(b))
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
    listing.files.sort_by(|a, b| in_order(&a.rel, &b.rel));
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
                Ok(_) => reports.extend(listed_as(&path).map(|f| (path, f))),
                Err(e) => skip(&mut listing, &path, e.to_string()),
            }
        } else if kind.is_dir() {
            folders.push(path);
        } else if let Some(listed) = listed_as(&path) {
            reports.push((path, listed));
        }
    }
    let looked_at: Vec<Result<Vec<ReportFile>, Skipped>> = reports
        .into_par_iter()
        .map(|(path, listed)| {
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
            let modified = meta.modified().ok();
            match listed {
                Listed::File(format) => Ok(vec![ReportFile {
                    rel,
                    path,
                    kind: ReportKind::File(format),
                    size: meta.len(),
                    modified,
                }]),
                Listed::Table(kind) => rows_of(rel, path, kind, modified),
            }
        })
        .collect();
    for result in looked_at {
        match result {
            Ok(files) => listing.files.extend(files),
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

/// How a file is listed: as a report, or as a table of them.
enum Listed {
    File(Format),
    Table(TableKind),
}

fn listed_as(path: &Path) -> Option<Listed> {
    format_of(path)
        .map(Listed::File)
        .or_else(|| TableKind::of(path).map(Listed::Table))
}

/// The rows of the table at `path` (named `rel`), each a report: the table is scanned
/// once, for where its rows are. A table that cannot be scanned is skipped whole.
fn rows_of(
    rel: String,
    path: PathBuf,
    kind: TableKind,
    modified: Option<SystemTime>,
) -> Result<Vec<ReportFile>, Skipped> {
    let (table, spans) = Table::scan(&path, kind).map_err(|reason| Skipped {
        file: rel.clone(),
        reason,
    })?;
    let table = Arc::new(table);
    Ok(spans
        .into_iter()
        .enumerate()
        .map(|(i, span)| ReportFile {
            rel: row_name(&rel, i + 1),
            path: path.clone(),
            kind: ReportKind::Row(Row {
                table: Arc::clone(&table),
                number: i + 1,
                offset: span.offset,
            }),
            size: span.length,
            modified,
        })
        .collect())
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
    if let ReportKind::Row(row) = &file.kind {
        return table::read_span(row.table.path(), row.offset, file.size, max_bytes);
    }
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
