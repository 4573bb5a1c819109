//! The on-disk cache of per-meeting results, so a second start reads no report twice.
//!
//! One file per corpus in the user's cache directory (`$XDG_CACHE_HOME/zhongdian`, else
//! `~/.cache/zhongdian`; `--cache-dir` and `--no-cache` change that) — never inside the
//! corpus. An entry is reused when its file's path, size and modification time are
//! unchanged, or, when they changed, if the content hash is the same (a `touch`, a copy).
//! The manifest entry of the file and the taxonomy's hash are part of the key too: a
//! changed taxonomy means every report is measured again.
//!
//! The file is written whole to a temporary name and renamed over the old one, so a
//! crash leaves the old cache or the new one, never half of one. A cache that cannot be
//! read — corrupt, truncated, written by another version — is ignored and rebuilt.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::corpus::ReportFile;
use crate::ingest::Meeting;
use crate::measure::MeetingMeasures;
use crate::metadata::StatedFields;

/// Bumped whenever the meaning or layout of an entry changes.
const FORMAT: u32 = 1;
const MAGIC: &str = "zhongdian cache";

/// A cached meeting and what it was computed from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub file: String,
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub modified: Option<u128>,
    /// SHA-256 of the file's bytes.
    pub content: [u8; 32],
    /// Fingerprint of what `meetings.toml` states about the file.
    pub stated: [u8; 32],
    pub meeting: Meeting,
    pub measures: MeetingMeasures,
}

#[derive(Deserialize)]
struct CacheFile {
    magic: String,
    format: u32,
    /// The crate version that wrote it: another version's rules may read differently.
    version: String,
    taxonomy: String,
    entries: Vec<Entry>,
}

/// [`CacheFile`] as written, borrowing its entries: the same layout on disk.
#[derive(Serialize)]
struct CacheFileRef<'a> {
    magic: &'a str,
    format: u32,
    version: &'a str,
    taxonomy: &'a str,
    entries: &'a [Entry],
}

/// Where a corpus's cache lives.
#[derive(Debug, Clone)]
pub struct Cache {
    pub path: PathBuf,
}

/// What a loaded cache offers: entries by file, for one taxonomy.
#[derive(Debug, Default)]
pub struct Cached {
    entries: HashMap<String, Entry>,
    /// Why the cache on disk was not used, if it was not.
    pub notice: Option<String>,
}

impl Cached {
    /// The entry for `file` if its size and modification time are unchanged.
    pub fn unchanged(&self, file: &ReportFile, stated: &[u8; 32]) -> Option<&Entry> {
        self.entries.get(&file.rel).filter(|e| {
            e.size == file.size && e.modified == modified_ns(file.modified) && &e.stated == stated
        })
    }

    /// The entry for `file` if its bytes are the same as when it was cached.
    pub fn same_content(
        &self,
        file: &ReportFile,
        content: &[u8; 32],
        stated: &[u8; 32],
    ) -> Option<&Entry> {
        self.entries
            .get(&file.rel)
            .filter(|e| &e.content == content && &e.stated == stated)
    }
}

/// The user's cache directory for zhongdian.
pub fn default_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    Some(base.join("zhongdian"))
}

impl Cache {
    /// The cache file for `corpus` in `dir`: named after the corpus's absolute path, so
    /// two corpora never share one.
    pub fn for_corpus(dir: &Path, corpus: &Path) -> Cache {
        let absolute = std::fs::canonicalize(corpus).unwrap_or_else(|_| corpus.to_path_buf());
        let digest = Sha256::digest(absolute.to_string_lossy().as_bytes());
        let name: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
        Cache {
            path: dir.join(format!("{name}.cache")),
        }
    }

    /// The entries cached for `taxonomy`; an empty set, with a notice saying why, if the
    /// file is missing, unreadable, of another version or another taxonomy.
    pub fn load(&self, taxonomy: &str) -> Cached {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Cached::default(),
            Err(e) => {
                return notice(format!(
                    "cache {} unreadable ({e}); rebuilding",
                    self.path.display()
                ))
            }
        };
        let file: CacheFile = match postcard::from_bytes(&bytes) {
            Ok(file) => file,
            Err(_) => {
                return notice(format!(
                    "cache {} is damaged; rebuilding",
                    self.path.display()
                ))
            }
        };
        if file.magic != MAGIC || file.format != FORMAT || file.version != env!("CARGO_PKG_VERSION")
        {
            return notice(format!(
                "cache {} is from another version; rebuilding",
                self.path.display()
            ));
        }
        if file.taxonomy != taxonomy {
            return notice(
                "the taxonomy changed since the cache was written; measuring again".into(),
            );
        }
        Cached {
            entries: file
                .entries
                .into_iter()
                .map(|e| (e.file.clone(), e))
                .collect(),
            notice: None,
        }
    }

    /// Writes the entries for `taxonomy`, atomically.
    pub fn store(&self, taxonomy: &str, entries: &[Entry]) -> Result<(), String> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let file = CacheFileRef {
            magic: MAGIC,
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION"),
            taxonomy,
            entries,
        };
        let bytes =
            postcard::to_stdvec(&file).map_err(|e| format!("cannot encode the cache: {e}"))?;
        let temporary = self
            .path
            .with_extension(format!("tmp{}", std::process::id()));
        let written = std::fs::File::create(&temporary)
            .and_then(|mut f| f.write_all(&bytes).and_then(|()| f.sync_all()))
            .and_then(|()| std::fs::rename(&temporary, &self.path));
        written.map_err(|e| {
            let _ = std::fs::remove_file(&temporary);
            format!("cannot write the cache {}: {e}", self.path.display())
        })
    }
}

fn notice(text: String) -> Cached {
    Cached {
        entries: HashMap::new(),
        notice: Some(text),
    }
}

pub fn modified_ns(time: Option<SystemTime>) -> Option<u128> {
    time.and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
}

pub fn content_hash(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// A fingerprint of stated fields: a change in `meetings.toml` for a file invalidates
/// its entry.
pub fn stated_hash(fields: &StatedFields) -> [u8; 32] {
    Sha256::digest(format!("{fields:?}").as_bytes()).into()
}
