//! The on-disk cache of per-meeting results, so a second start reads no report twice.
//!
//! One file per corpus in the user's cache directory (`$XDG_CACHE_HOME/zhongdian`, else
//! `~/.cache/zhongdian`; `--cache-dir` and `--no-cache` change that) — never inside the
//! corpus. An entry is reused when its file's path, size and modification time are
//! unchanged, or, when they changed, if the content hash is the same (a `touch`, a copy).
//! The manifest entry of the file and the taxonomy are part of the key too: a taxonomy
//! with other words (keywords, exclusions, lexicon, stopwords) means every report is
//! measured again; one with only other names, colours or weights is re-weighed from the
//! keyword counts kept here, without reading a report.
//!
//! The file is written whole to a temporary name and renamed over the old one, so a
//! crash leaves the old cache or the new one, never half of one. A cache that cannot be
//! read — corrupt, truncated, written by another version — is ignored and rebuilt. What
//! a build measures before it stores the cache is kept in a journal beside it (see
//! [`journal`]): an interrupted build loses at most its last second.
//!
//! It has two parts. The head — the entries' keys, meetings, measures and the groups
//! made of them — is all a start needs when nothing changed, and is small. The word
//! frequencies of every meeting, several times larger, follow it and are read only when
//! something changed and the groups must be made again.

pub(crate) mod journal;

use crate::error::Error;
use crate::meeting::Meeting;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::{Arc, OnceLock};

use rustc_hash::{FxHashSet, FxHasher};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::aggregate::Group;
use crate::analysis::{Counting, Grouped};
use crate::corpus::{in_order, row_of, Listing, ReportFile, ReportKind, Skipped};
use crate::measure::MeetingMeasures;
use crate::metadata::StatedFields;
use crate::table::{Columns, Row, Table, TableKind};
use crate::taxonomy::Taxonomy;
use crate::tokens::{Span, Tokens};
use crate::vocabulary::{Vocabulary, WordCounts};

/// Bumped whenever the meaning or layout of an entry changes.
const FORMAT: u32 = 16;
const MAGIC: &str = "zhongdian cache";

/// A cached meeting and what it was computed from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The file is `meeting.file`.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub modified: Option<u64>,
    /// Where the report starts in its table, if it is a row of one.
    pub offset: Option<u64>,
    /// SHA-256 of the file's bytes.
    pub content: [u8; 32],
    /// Fingerprint of what `meetings.toml` states about the file.
    pub stated: [u8; 32],
    pub(crate) meeting: Meeting,
    pub(crate) measures: MeetingMeasures,
    /// Where its cut is in the tokens file, if it was kept.
    pub(crate) tokens: Option<Span>,
}

/// A report that could not be read (binary, over the size limit …), and the file as it
/// was then: unchanged, and under the same limit, it fails again, so it is not tried
/// again at every start, nor does it keep a corpus from its fast start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failed {
    file: String,
    size: u64,
    modified: Option<u64>,
    offset: Option<u64>,
    /// The size limit it was read under.
    pub limit: u64,
    reason: String,
}

impl Failed {
    pub(crate) fn of(file: &ReportFile, limit: u64, reason: String) -> Failed {
        Failed {
            file: file.rel.clone(),
            size: file.size,
            modified: modified_ns(file.modified),
            offset: offset_of(file),
            limit,
            reason,
        }
    }

    pub(crate) fn skipped(&self) -> Skipped {
        Skipped {
            file: self.file.clone(),
            reason: self.reason.clone(),
        }
    }
}

/// The start of every head, whatever its version: what wrote it.
#[derive(Deserialize)]
struct Written {
    magic: String,
    format: u32,
    /// The crate version that wrote it: another version's rules may read differently.
    version: String,
}

impl Written {
    fn is_current(&self) -> bool {
        self.magic == MAGIC && self.format == FORMAT && self.version == env!("CARGO_PKG_VERSION")
    }
}

#[derive(Deserialize)]
struct Head {
    /// Laid out as [`HeadRef`] writes its first three fields.
    written: Written,
    /// This cache's own: a journal names the cache its build started from by it.
    id: u64,
    taxonomy: String,
    /// The taxonomy's [`Taxonomy::words_hash`].
    words: String,
    /// How many entries follow the head, in parts of at most [`ENTRIES_PER_PART`].
    entries: usize,
    groups: Vec<Group>,
    /// The words the groups show, by the ids they use.
    shown_words: Vec<String>,
    /// Of those, the ids of people's names.
    people: Vec<u32>,
    /// What the listing could not take in, when the cache was written.
    unlisted: Vec<Skipped>,
    /// Reports that could not be read, when the cache was written.
    failed: Vec<Failed>,
    /// The tokens file the entries' cuts are in: its generation, and its length when
    /// the cache was written.
    tokens: Option<(u64, u64)>,
    /// What the taxonomy counted with, to count the entries again under another.
    counting: Option<Counting>,
}

/// [`Head`] as written, borrowing: the same layout on disk.
#[derive(Serialize)]
struct HeadRef<'a> {
    magic: &'a str,
    format: u32,
    version: &'a str,
    id: u64,
    taxonomy: &'a str,
    words: &'a str,
    entries: usize,
    groups: &'a [Group],
    shown_words: Vec<&'a str>,
    people: Vec<u32>,
    unlisted: &'a [Skipped],
    failed: &'a [Failed],
    tokens: Option<(u64, u64)>,
    counting: Option<&'a Counting>,
}

/// Entries are written in parts of this many, each decoded from a small buffer: one
/// buffer for a hundred thousand entries would add tens of megabytes to a start's peak.
const ENTRIES_PER_PART: usize = 4096;

/// Reads one part's bytes into `buffer`: its length (u32, little-endian), then that many
/// bytes of postcard.
fn read_part_bytes(input: &mut impl Read, buffer: &mut Vec<u8>) -> Option<()> {
    let mut length = [0u8; 4];
    input.read_exact(&mut length).ok()?;
    buffer.clear();
    let length = u64::from(u32::from_le_bytes(length));
    // A damaged length cannot ask for more than what is left of the file.
    input.take(length).read_to_end(buffer).ok()?;
    (buffer.len() as u64 == length).then_some(())
}

/// Reads `count` entries, written in parts of [`ENTRIES_PER_PART`]. Decoding them is
/// most of a warm start, so a few parts are decoded at a time, one per core: a few
/// small buffers keep the memory flat.
fn read_entries(input: &mut impl Read, count: usize) -> Option<Vec<Option<Entry>>> {
    use rayon::prelude::*;
    let mut buffers: Vec<Vec<u8>> = vec![Vec::new(); rayon::current_num_threads().max(1)];
    let mut entries: Vec<Option<Entry>> = Vec::with_capacity(count);
    while entries.len() < count {
        let parts = (count - entries.len())
            .div_ceil(ENTRIES_PER_PART)
            .min(buffers.len());
        for buffer in &mut buffers[..parts] {
            read_part_bytes(input, buffer)?;
        }
        let decoded: Vec<Option<Vec<Entry>>> = buffers[..parts]
            .par_iter()
            .map(|bytes| postcard::from_bytes(bytes).ok())
            .collect();
        for part in decoded {
            match part {
                Some(part) if !part.is_empty() => entries.extend(part.into_iter().map(Some)),
                _ => return None,
            }
        }
    }
    Some(entries)
}

fn write_part(out: &mut impl Write, part: &impl Serialize) -> Result<(), String> {
    let bytes = postcard::to_stdvec(part).map_err(|e| format!("cannot encode the cache: {e}"))?;
    let length = u32::try_from(bytes.len())
        .map_err(|_| "cannot encode the cache: a part over 4 GiB".to_owned())?;
    out.write_all(&length.to_le_bytes())
        .and_then(|()| out.write_all(&bytes))
        .map_err(|e| e.to_string())
}

/// The second part: every entry's word frequencies, in entry order.
#[derive(Deserialize)]
struct Words {
    vocabulary: Vec<String>,
    counts: Vec<WordCounts>,
}

/// [`Words`] as written, borrowing.
#[derive(Serialize)]
struct WordsRef<'a> {
    vocabulary: Vec<&'a str>,
    counts: &'a [WordCounts],
}

/// What is written: the entries (in corpus order), the groups made of them, and the
/// entries' word frequencies.
pub struct Contents<'a> {
    pub(crate) entries: &'a [Entry],
    pub(crate) groups: &'a [Group],
    /// The words the groups show, by the ids they use.
    pub shown_words: &'a Vocabulary,
    /// Of those, the ids of people's names.
    pub(crate) people: &'a FxHashSet<u32>,
    /// What the listing could not take in.
    pub unlisted: &'a [Skipped],
    /// Reports that could not be read.
    pub failed: &'a [Failed],
    /// The vocabulary of `words`.
    pub vocabulary: &'a Vocabulary,
    pub(crate) words: &'a [WordCounts],
    /// The tokens file the entries' cuts are in, and its length.
    pub(crate) tokens: Option<(&'a Tokens, u64)>,
    /// What the taxonomy counts with.
    pub(crate) counting: Option<&'a Counting>,
}

/// Where a corpus's cache lives.
#[derive(Debug, Clone)]
pub struct Cache {
    /// The cache file, `<digest of the corpus's path>.cache`.
    pub path: PathBuf,
}

/// What a loaded cache offers: its entries by file, for one taxonomy.
#[derive(Debug, Default)]
pub struct Cached {
    /// In the order they were written; taken out as they are reused.
    entries: Vec<Option<Entry>>,
    /// Positions by a hash of the file's path: a second copy of every path would cost a
    /// hundred thousand allocations at every start. A hash collision is caught by
    /// comparing the entry's own path. Made on the first lookup: a start that shows the
    /// cache before listing the corpus looks nothing up.
    by_file: OnceLock<HashMap<u64, usize, BuildHasherDefault<FxHasher>>>,
    /// The groups made of all the entries, in their order.
    pub groups: Vec<Group>,
    /// The words the groups show, by the ids they use.
    pub shown_words: Vocabulary,
    /// Of those, the ids of people's names.
    people: FxHashSet<u32>,
    /// What the listing could not take in when the cache was written.
    pub unlisted: Vec<Skipped>,
    /// Reports that could not be read when the cache was written.
    failed: Vec<Failed>,
    /// Where the word frequencies start, to read them only when needed.
    words: Option<(PathBuf, u64)>,
    /// Why the cache on disk was not used, if it was not.
    pub notice: Option<String>,
    /// The taxonomy's words are those of the cache but its weights or names are not:
    /// the entries stand, their hits must be weighed again and the groups made again.
    pub reweigh: bool,
    /// The taxonomy's words are not those of the cache: what the cache's were counted
    /// with, to count the entries again (see `analysis::recount`).
    pub(crate) earlier: Option<Counting>,
    /// The tokens file the entries' cuts are in, and its length when the cache was
    /// written.
    pub(crate) tokens: Option<(Tokens, u64)>,
    /// The cache file's id, if one was read.
    pub(crate) id: Option<u64>,
    /// The entries of an interrupted build's journal were taken in (after the first
    /// `base_entries`, the cache file's): the cache is not one build's whole result, so
    /// its groups do not stand.
    pub(crate) resumed: bool,
    /// How many of `entries` come from the cache file.
    base_entries: usize,
    /// How many words of the vocabulary come from the journal taken in.
    journal_words: usize,
    /// The journal's words beyond the cache file's vocabulary, and its entries' counts.
    journaled: Option<(Vec<String>, Vec<WordCounts>)>,
}

impl Cached {
    /// No entries, and why.
    pub fn unusable(notice: String) -> Cached {
        Cached {
            notice: Some(notice),
            ..Cached::default()
        }
    }

    /// How many entries the cache holds.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn entry(&self, file: &ReportFile) -> Option<(usize, &Entry)> {
        let by_file = self.by_file.get_or_init(|| {
            self.entries
                .iter()
                .enumerate()
                .filter_map(|(i, e)| Some((path_hash(&e.as_ref()?.meeting.file), i)))
                .collect()
        });
        let &i = by_file.get(&path_hash(&file.rel))?;
        let entry = self.entries.get(i)?.as_ref()?;
        (entry.meeting.file == file.rel).then_some((i, entry))
    }

    /// The position of the entry for `file`, with the size, modification time and
    /// manifest statements it was measured with: what the reuse rule
    /// (analysis::reuse) weighs.
    pub(crate) fn measured_as(
        &self,
        file: &ReportFile,
    ) -> Option<(usize, u64, Option<u64>, &[u8; 32])> {
        self.entry(file)
            .map(|(i, e)| (i, e.size, e.modified, &e.stated))
    }

    /// The position of the entry for `file` if its bytes are the same as when it was
    /// cached.
    pub fn same_content(
        &self,
        file: &ReportFile,
        content: &[u8; 32],
        stated: &[u8; 32],
    ) -> Option<usize> {
        self.entry(file)
            .filter(|(_, e)| &e.content == content && &e.stated == stated)
            .map(|(i, _)| i)
    }

    /// Why `file` could not be read before, if it is as it was then and the size limit
    /// is the same.
    pub fn failed(&self, file: &ReportFile, limit: u64) -> Option<&Failed> {
        let at = self
            .failed
            .binary_search_by(|f| in_order(&f.file, &file.rel))
            .ok()?;
        let failed = &self.failed[at];
        (failed.size == file.size
            && failed.modified == modified_ns(file.modified)
            && failed.limit == limit)
            .then_some(failed)
    }

    /// The reports that could not be read when the cache was written.
    pub fn failures(&self) -> &[Failed] {
        &self.failed
    }

    /// The listing the cache was made from: its files as they were then (read or not).
    /// The rows of one table share it, its header read again when first needed.
    pub fn listing(&self, root: &Path) -> Listing {
        let mut tables: HashMap<String, Arc<Table>> = HashMap::new();
        let mut file = |(rel, size, modified, offset): (&str, u64, Option<u64>, Option<u64>)| {
            let kind = match (row_of(rel), offset) {
                (Some((name, number)), Some(offset)) => {
                    let table = match tables.get(name) {
                        Some(table) => Arc::clone(table),
                        None => {
                            let kind = TableKind::of(Path::new(name))?;
                            let table = Arc::new(Table::new(root.join(name), kind));
                            tables.insert(name.to_owned(), Arc::clone(&table));
                            table
                        }
                    };
                    ReportKind::Row(Row {
                        table,
                        number,
                        offset,
                    })
                }
                _ => ReportKind::File(crate::corpus::format_of(Path::new(rel))?),
            };
            let path = match &kind {
                ReportKind::Row(row) => row.table.path().to_path_buf(),
                ReportKind::File(_) => root.join(rel),
            };
            Some(ReportFile {
                kind,
                path,
                rel: rel.to_owned(),
                size,
                modified: modified.map(system_time),
            })
        };
        let mut files: Vec<ReportFile> = self
            .entries
            .iter()
            .flatten()
            .map(|e| (e.meeting.file.as_str(), e.size, e.modified, e.offset))
            .chain(
                self.failed
                    .iter()
                    .map(|f| (f.file.as_str(), f.size, f.modified, f.offset)),
            )
            .filter_map(&mut file)
            .collect();
        // In the listing's order, as Plan::new gives it.
        files.sort_by(|a, b| in_order(&a.rel, &b.rel));
        Listing {
            files,
            skipped: self.unlisted.clone(),
        }
    }

    /// The entries (those not taken out, in order), the cache's groups, their words and
    /// the names among those: what a start that changes nothing needs, handed over
    /// without copying.
    pub(crate) fn into_parts(self) -> (Vec<Option<Entry>>, Grouped) {
        let grouped = Grouped {
            groups: self.groups,
            words: self.shown_words,
            people: self.people,
        };
        (self.entries, grouped)
    }

    /// The entry at `position`, unless taken out.
    pub(crate) fn entry_at(&self, position: usize) -> Option<&Entry> {
        self.entries.get(position)?.as_ref()
    }

    /// Takes the entry at `position` out (each is reused once).
    pub fn take(&mut self, position: usize) -> Option<Entry> {
        self.entries.get_mut(position)?.take()
    }

    /// The cached word frequencies, one list per entry in entry order, and their
    /// vocabulary: read from disk now (the journal's, taken in, are handed over).
    pub fn words(&mut self) -> Result<(Vocabulary, Vec<WordCounts>), Error> {
        let mut words = match &self.words {
            None => Words {
                vocabulary: Vec::new(),
                counts: Vec::new(),
            },
            Some((path, offset)) => {
                let damaged = || Error::CacheDamaged { path: path.clone() };
                let mut bytes = Vec::new();
                std::fs::File::open(path)
                    .and_then(|mut f| {
                        f.seek(SeekFrom::Start(*offset))?;
                        f.read_to_end(&mut bytes)
                    })
                    .map_err(|_| damaged())?;
                let words: Words = postcard::from_bytes(&bytes).map_err(|_| damaged())?;
                if words.counts.len() != self.base_entries {
                    return Err(damaged());
                }
                words
            }
        };
        if let Some((vocabulary, counts)) = self.journaled.take() {
            words.vocabulary.extend(vocabulary);
            words.counts.extend(counts);
        }
        Ok((Vocabulary::from_words(words.vocabulary), words.counts))
    }
}

/// The entries of a cache file in their order, read a part at a time: what `check` takes
/// instead of reading the reports again, in the memory of one part however large the
/// corpus. Any taxonomy's cache will do: a meeting's record does not depend on the
/// themes.
pub struct Entries {
    input: std::io::BufReader<std::io::Take<std::fs::File>>,
    /// Entries not yet read from the file.
    left: usize,
    part: std::vec::IntoIter<Entry>,
    buffer: Vec<u8>,
}

impl Iterator for Entries {
    type Item = Entry;

    /// The next entry; none at the end, or where the file is damaged (what follows is
    /// read from the reports).
    fn next(&mut self) -> Option<Entry> {
        if let Some(entry) = self.part.next() {
            return Some(entry);
        }
        if self.left == 0 {
            return None;
        }
        read_part_bytes(&mut self.input, &mut self.buffer)?;
        let part: Vec<Entry> = postcard::from_bytes(&self.buffer).ok()?;
        self.left = self.left.saturating_sub(part.len().max(1));
        self.part = part.into_iter();
        self.part.next()
    }
}

/// `path` made absolute with its links resolved, as far as it exists: a cache directory
/// may not exist yet, so what exists of it is resolved and the rest appended.
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            return rest.iter().rev().fold(real, |p, part| p.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// The first of `folders` that `path` lies in (or is), links resolved: zhongdian writes
/// neither its cache nor an output there.
pub(crate) fn folder_holding<'a>(
    path: &Path,
    folders: impl IntoIterator<Item = &'a Path>,
) -> Option<&'a Path> {
    let at = resolved(path);
    folders
        .into_iter()
        .find(|folder| at.starts_with(resolved(folder)))
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
    /// The tokens file beside the cache file, of `generation`.
    pub fn tokens(&self, generation: u64) -> Tokens {
        Tokens::beside(&self.path, generation)
    }

    /// The cache file for `corpus` in `dir`, unless `dir` lies inside the corpus or one
    /// of the `kept` folders (the taxonomy's): zhongdian never writes into them, and a
    /// cache directory given there, or a default one there (a corpus that is the home
    /// folder), means no cache.
    pub fn outside(dir: &Path, corpus: &Path, kept: &[&Path]) -> Result<Cache, Error> {
        if let Some(inside) =
            folder_holding(dir, std::iter::once(corpus).chain(kept.iter().copied()))
        {
            return Err(Error::CacheInside {
                dir: dir.to_path_buf(),
                inside: inside.to_path_buf(),
            });
        }
        Ok(Cache::for_corpus(dir, corpus))
    }

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

    /// The entries cached for `taxonomy`, with those of the journal of an interrupted
    /// build that started from them; an empty set, with a notice saying why, if the file
    /// is missing, unreadable, of another version or another taxonomy (and no journal
    /// goes with it). Reads the heads only.
    pub fn load(&self, taxonomy: &Taxonomy) -> Cached {
        let mut cached = self.load_file(taxonomy);
        cached.absorb_journal(&self.path, taxonomy);
        cached
    }

    /// The entries of the cache file alone, as [`Cache::load`] says.
    fn load_file(&self, taxonomy: &Taxonomy) -> Cached {
        let damaged = || {
            Cached::unusable(format!(
                "cache {} is damaged; rebuilding",
                self.path.display()
            ))
        };
        let mut file = match std::fs::File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Cached::default(),
            Err(e) => {
                return Cached::unusable(format!(
                    "cache {} unreadable ({e}); rebuilding",
                    self.path.display()
                ))
            }
        };
        // The two parts' lengths come first. Checked against the file's size before
        // anything is allocated: a damaged prefix must not ask for terabytes, and a
        // truncated file must not pass for a whole one.
        let (mut length, mut words_length) = ([0u8; 8], [0u8; 8]);
        if file
            .read_exact(&mut length)
            .and_then(|()| file.read_exact(&mut words_length))
            .is_err()
        {
            return damaged();
        }
        let (length, words_length) = (u64::from_le_bytes(length), u64::from_le_bytes(words_length));
        let size = file.metadata().map_or(0, |m| m.len());
        if Some(size)
            != length
                .checked_add(words_length)
                .and_then(|n| n.checked_add(16))
        {
            return damaged();
        }
        let mut input = std::io::BufReader::new((&mut file).take(length));
        let mut buffer = Vec::new();
        if read_part_bytes(&mut input, &mut buffer).is_none() {
            return damaged();
        }
        // Another version's head may be laid out otherwise: what wrote it, at its start
        // in every version, tells such a cache from a damaged one.
        let from_another_version = || {
            Cached::unusable(format!(
                "cache {} is from another version; rebuilding",
                self.path.display()
            ))
        };
        let head = match postcard::from_bytes::<Head>(&buffer) {
            Ok(head) if head.written.is_current() => head,
            Ok(_) => return from_another_version(),
            // Laid out otherwise, but ours: another version's.
            Err(_) => match postcard::take_from_bytes::<Written>(&buffer) {
                Ok((written, _)) if written.magic == MAGIC => return from_another_version(),
                _ => return damaged(),
            },
        };
        let tokens = head
            .tokens
            .map(|(generation, length)| (Tokens::beside(&self.path, generation), length));
        let earlier = match head.counting {
            _ if head.words == taxonomy.words_hash => None,
            Some(counting) if tokens.is_some() => Some(counting),
            _ => {
                return Cached::unusable(
                    "the taxonomy's words changed since the cache was written; measuring again"
                        .into(),
                )
            }
        };
        drop(buffer);
        let Some(entries) = read_entries(&mut input, head.entries) else {
            return damaged();
        };
        Cached {
            by_file: OnceLock::new(),
            base_entries: entries.len(),
            entries,
            groups: head.groups,
            shown_words: Vocabulary::from_words(head.shown_words),
            people: head.people.into_iter().collect(),
            unlisted: head.unlisted,
            failed: head.failed,
            words: Some((self.path.clone(), 16 + length)),
            notice: None,
            reweigh: head.taxonomy != taxonomy.hash,
            earlier,
            tokens,
            id: Some(head.id),
            resumed: false,
            journal_words: 0,
            journaled: None,
        }
    }

    /// The entries of the cache file, in their order, read as they are asked for; none
    /// if there is no cache file of this version.
    pub fn entries(&self) -> Option<Entries> {
        /// The start of a head: what wrote it, and how many entries follow.
        #[derive(Deserialize)]
        struct Start {
            written: Written,
            _id: u64,
            _taxonomy: String,
            _words: String,
            entries: usize,
        }
        let mut file = std::fs::File::open(&self.path).ok()?;
        let mut length = [0u8; 8];
        file.read_exact(&mut length).ok()?;
        file.seek(SeekFrom::Start(16)).ok()?;
        let mut input = std::io::BufReader::new(file.take(u64::from_le_bytes(length)));
        let mut buffer = Vec::new();
        read_part_bytes(&mut input, &mut buffer)?;
        let (start, _) = postcard::take_from_bytes::<Start>(&buffer).ok()?;
        start.written.is_current().then(|| Entries {
            input,
            left: start.entries,
            part: Vec::new().into_iter(),
            buffer,
        })
    }

    /// Writes `contents` for `taxonomy`, atomically.
    pub fn store(&self, taxonomy: &Taxonomy, contents: &Contents<'_>) -> Result<(), Error> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| Error::CacheUnwritable {
            path: self.path.clone(),
            reason: format!("cannot create {}: {e}", dir.display()),
        })?;
        let temporary = self
            .path
            .with_extension(format!("tmp{}", std::process::id()));
        let written = std::fs::File::create(&temporary)
            .map_err(|e| e.to_string())
            .and_then(|file| write_contents(file, taxonomy, contents))
            .and_then(|()| std::fs::rename(&temporary, &self.path).map_err(|e| e.to_string()));
        written.map_err(|reason| {
            let _ = std::fs::remove_file(&temporary);
            Error::CacheUnwritable {
                path: self.path.clone(),
                reason,
            }
        })
    }
}

/// Writes the cache file, streaming: on a large corpus, the whole file in memory first
/// would add as much again to the peak of a cold build. The two lengths at its start are
/// filled in last.
fn write_contents(
    file: std::fs::File,
    taxonomy: &Taxonomy,
    contents: &Contents<'_>,
) -> Result<(), String> {
    let io = |e: std::io::Error| e.to_string();
    let mut out = std::io::BufWriter::new(file);
    out.write_all(&[0; 16]).map_err(io)?;
    write_part(
        &mut out,
        &HeadRef {
            magic: MAGIC,
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION"),
            id: crate::tokens::new_generation(),
            taxonomy: &taxonomy.hash,
            words: &taxonomy.words_hash,
            entries: contents.entries.len(),
            groups: contents.groups,
            shown_words: contents.shown_words.words().collect(),
            people: {
                let mut people: Vec<u32> = contents.people.iter().copied().collect();
                people.sort_unstable();
                people
            },
            unlisted: contents.unlisted,
            failed: contents.failed,
            tokens: contents
                .tokens
                .map(|(tokens, length)| (tokens.generation(), length)),
            counting: contents.counting,
        },
    )?;
    for part in contents.entries.chunks(ENTRIES_PER_PART) {
        write_part(&mut out, &part)?;
    }
    let head_end = out.stream_position().map_err(io)?;
    let words = WordsRef {
        vocabulary: contents.vocabulary.words().collect(),
        counts: contents.words,
    };
    let mut out =
        postcard::to_io(&words, out).map_err(|e| format!("cannot encode the cache: {e}"))?;
    let end = out.stream_position().map_err(io)?;
    out.seek(SeekFrom::Start(0)).map_err(io)?;
    out.write_all(&(head_end - 16).to_le_bytes()).map_err(io)?;
    out.write_all(&(end - head_end).to_le_bytes()).map_err(io)?;
    out.into_inner()
        .map_err(|e| e.to_string())?
        .sync_all()
        .map_err(io)
}

/// Where `file` starts in its table, if it is a row of one.
pub(crate) fn offset_of(file: &ReportFile) -> Option<u64> {
    match &file.kind {
        ReportKind::Row(row) => Some(row.offset),
        ReportKind::File(_) => None,
    }
}

fn path_hash(path: &str) -> u64 {
    use std::hash::BuildHasher;
    BuildHasherDefault::<FxHasher>::default().hash_one(path)
}

/// The inverse of [`modified_ns`].
fn system_time(ns: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + std::time::Duration::from_nanos(ns)
}

/// Nanoseconds since the epoch, as the cache keeps a file's time: 64 bits, not the 128
/// of `as_nanos`, which would make every entry 16-byte aligned and keep a warm start
/// from reusing the entries' memory for its meetings. They last until the year 2554;
/// a time they cannot hold is no time, and the content hash decides.
pub fn modified_ns(time: Option<SystemTime>) -> Option<u64> {
    time.and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
        .and_then(|d| u64::try_from(d.as_nanos()).ok())
}

pub(crate) fn content_hash(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// A fingerprint of what decides how a report is read besides its bytes: the fields
/// stated of it and, for a row, which columns of its table are read. A change in
/// `meetings.toml` for a report, or in the columns named, invalidates its entry.
pub fn stated_hash(fields: &StatedFields, columns: Option<&Columns>) -> [u8; 32] {
    // Most reports have no manifest entry and are read by the common column names: their
    // fingerprint is worked out once, not once per report of a hundred-thousand-report
    // corpus at every start.
    static NOTHING_STATED: std::sync::OnceLock<[u8; 32]> = std::sync::OnceLock::new();
    static A_ROW_BY_COMMON_NAMES: std::sync::OnceLock<[u8; 32]> = std::sync::OnceLock::new();
    let hash = || Sha256::digest(format!("{fields:?}{columns:?}").as_bytes()).into();
    if *fields != StatedFields::default() {
        return hash();
    }
    match columns {
        None => *NOTHING_STATED.get_or_init(hash),
        Some(columns) if *columns == Columns::default() => *A_ROW_BY_COMMON_NAMES.get_or_init(hash),
        Some(_) => hash(),
    }
}
