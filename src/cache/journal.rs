//! The journal of a build in progress, so that an interrupted build (Ctrl-C, `kill -9`,
//! a dropped SSH link, a machine that died) keeps what it measured and the next build
//! goes on from there instead of starting again.
//!
//! `<digest>.journal`, beside the cache file. A build that caches appends a part to it
//! about once a second: the entries it measured since the last part — not those it took
//! unchanged from the cache, which the cache holds already — with their word counts, the
//! words those counts name that the vocabulary did not have yet, the reports that could
//! not be read, and how far the tokens file is written. The tokens file is on disk up to
//! there before the part that names it is written. Each part carries its length and a
//! checksum, so a part cut short or garbled by a crash ends the journal, and every part
//! before it stands. Once the build has stored the cache, the journal is removed.
//!
//! A journal is read only together with the cache it started from, its `base`: its word
//! ids go on from that cache's vocabulary, and its entries take the place of that cache's
//! entries of the same files. A cache read with a journal is never complete (see
//! [`Cached::resumed`]): its groups are made again, from all its entries.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{in_order, Cached, Entry, Failed, FORMAT};
use crate::taxonomy::Taxonomy;
use crate::tokens::{Appender, Tokens};
use crate::vocabulary::{Vocabulary, WordCounts};

const MAGIC: &str = "zhongdian journal";

/// The tokens file a journal's entries have their cuts in: its generation, and whether
/// it is a new file not yet put in place (see [`Tokens::partial`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct TokensAt {
    pub generation: u64,
    pub partial: bool,
}

/// What a journal is the journal of: it goes with a cache and a taxonomy only if they
/// are these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Head {
    magic: String,
    format: u32,
    version: String,
    /// The taxonomy's hash: another one's weights mean the entries are weighed again.
    taxonomy: String,
    /// The taxonomy's words hash: another one's words mean the entries do not count.
    words: String,
    /// The id of the cache the build started from, if it started from one.
    base: Option<u64>,
    /// Where the entries' cuts are, if they are kept.
    tokens: Option<TokensAt>,
}

/// One part, as read.
#[derive(Deserialize)]
struct Part {
    /// The words of the vocabulary from where the last part left it.
    words: Vec<String>,
    entries: Vec<Entry>,
    /// The entries' word counts, one list an entry.
    counts: Vec<WordCounts>,
    failed: Vec<Failed>,
    /// How far the tokens file is written: every span of these entries ends before.
    tokens_end: u64,
}

/// [`Part`] as written, borrowing.
#[derive(Serialize)]
struct PartRef<'a> {
    words: Vec<&'a str>,
    entries: Vec<&'a Entry>,
    counts: Vec<&'a WordCounts>,
    failed: &'a [Failed],
    tokens_end: u64,
}

/// A journal as read back: what an interrupted build had measured.
pub(crate) struct Journaled {
    head: Head,
    /// The words its counts name beyond the base cache's vocabulary, in id order.
    words: Vec<String>,
    entries: Vec<Entry>,
    counts: Vec<WordCounts>,
    failed: Vec<Failed>,
    tokens_end: u64,
}

/// The journal of the cache file `cache`.
pub(crate) fn path_of(cache: &Path) -> PathBuf {
    cache.with_extension("journal")
}

/// The first eight bytes of a part's SHA-256: what tells a whole part from a torn one.
fn checksum(bytes: &[u8]) -> [u8; 8] {
    let digest = Sha256::digest(bytes);
    let mut sum = [0; 8];
    sum.copy_from_slice(&digest[..8]);
    sum
}

/// Writes one frame: the length (u32, little-endian), the checksum, the bytes.
fn write_frame(out: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    let length = u32::try_from(bytes.len())
        .map_err(|_| std::io::Error::other("a journal part over 4 GiB"))?;
    out.write_all(&length.to_le_bytes())?;
    out.write_all(&checksum(bytes))?;
    out.write_all(bytes)
}

/// Reads one frame into `buffer`; none at the end of the journal or where a frame is
/// cut short or does not match its checksum: there the journal ends.
fn read_frame(input: &mut impl Read, buffer: &mut Vec<u8>) -> Option<()> {
    let mut length = [0u8; 4];
    let mut sum = [0u8; 8];
    input.read_exact(&mut length).ok()?;
    input.read_exact(&mut sum).ok()?;
    buffer.clear();
    let length = u64::from(u32::from_le_bytes(length));
    input.take(length).read_to_end(buffer).ok()?;
    (buffer.len() as u64 == length && checksum(buffer) == sum).then_some(())
}

/// The journal at `path`, if there is one of this version measured with `taxonomy`'s
/// words, with the parts that are whole.
fn read(path: &Path, taxonomy: &Taxonomy) -> Option<Journaled> {
    let mut input = BufReader::new(File::open(path).ok()?);
    let mut buffer = Vec::new();
    read_frame(&mut input, &mut buffer)?;
    let head: Head = postcard::from_bytes(&buffer).ok()?;
    if head.magic != MAGIC
        || head.format != FORMAT
        || head.version != env!("CARGO_PKG_VERSION")
        || head.words != taxonomy.words_hash
    {
        return None;
    }
    let mut journaled = Journaled {
        head,
        words: Vec::new(),
        entries: Vec::new(),
        counts: Vec::new(),
        failed: Vec::new(),
        tokens_end: 0,
    };
    while read_frame(&mut input, &mut buffer).is_some() {
        let Ok(part) = postcard::from_bytes::<Part>(&buffer) else {
            break;
        };
        if part.counts.len() != part.entries.len() {
            break;
        }
        journaled.words.extend(part.words);
        journaled.entries.extend(part.entries);
        journaled.counts.extend(part.counts);
        journaled.failed.extend(part.failed);
        journaled.tokens_end = part.tokens_end;
    }
    Some(journaled)
}

impl Cached {
    /// Takes in the journal of an interrupted build that started from this cache, if
    /// there is one for `taxonomy`: its entries replace those of the same files, its
    /// failures those of the same files, and the cache is marked [`Cached::resumed`].
    /// Not when the cache's entries must be counted again under other words: the
    /// journal's are counted under the new ones, and one cache holds one counting.
    pub(super) fn absorb_journal(&mut self, cache: &Path, taxonomy: &Taxonomy) {
        if self.earlier.is_some() {
            return;
        }
        let Some(journal) = read(&path_of(cache), taxonomy) else {
            return;
        };
        if journal.head.base != self.id || (journal.entries.is_empty() && journal.failed.is_empty())
        {
            return;
        }
        let Journaled {
            head,
            words,
            mut entries,
            counts,
            failed,
            tokens_end,
        } = journal;
        let files: FxHashSet<&str> = entries
            .iter()
            .map(|e| e.meeting.file.as_str())
            .chain(failed.iter().map(|f| f.file.as_str()))
            .collect();
        for entry in &mut self.entries {
            if entry
                .as_ref()
                .is_some_and(|e| files.contains(e.meeting.file.as_str()))
            {
                *entry = None;
            }
        }
        self.failed.retain(|f| !files.contains(f.file.as_str()));
        drop(files);
        self.failed.extend(failed);
        self.failed.sort_by(|a, b| in_order(&a.file, &b.file));
        // Whose spans stand: the journal's cuts are in the file it names; the cache's
        // only if that is the cache's own file, appended to.
        match head.tokens {
            Some(at) if at.partial => {
                self.entries
                    .iter_mut()
                    .flatten()
                    .for_each(|e| e.tokens = None);
                self.tokens = Some((Tokens::partial(cache, at.generation), tokens_end));
            }
            Some(at)
                if self
                    .tokens
                    .as_ref()
                    .is_some_and(|(t, _)| t.generation() == at.generation) =>
            {
                if let Some((_, length)) = &mut self.tokens {
                    *length = (*length).max(tokens_end);
                }
            }
            _ => entries.iter_mut().for_each(|e| e.tokens = None),
        }
        let measured = entries.len();
        self.base_entries = self.entries.len();
        self.entries.extend(entries.into_iter().map(Some));
        self.journal_words = words.len();
        self.journaled = Some((words, counts));
        self.reweigh |= head.taxonomy != taxonomy.hash;
        self.resumed = true;
        self.notice = Some(format!(
            "going on from an interrupted build: {measured} reports were measured before"
        ));
    }
}

/// A journal being written by a build: the entries it measured, to be written about
/// once a second.
pub(crate) struct Journal {
    out: BufWriter<File>,
    path: PathBuf,
    /// How many words of the build's vocabulary the journal (with its base) holds.
    words: usize,
    /// Whether it goes on with the journal the build's cache took in.
    continues: bool,
    /// How many of the cache's entries are the cache file's (the rest, the journal's).
    base_entries: usize,
    /// The build's entries to write in the next part, by their place.
    pending: Vec<usize>,
    /// The build's failures from here on are to be written.
    failed_from: usize,
    /// How far the tokens file was on disk at the last part.
    tokens_end: u64,
    written_at: Instant,
}

/// How often a part is written: what an interrupted build loses at most, and few enough
/// syncs of the tokens file not to slow a build.
const EVERY: Duration = Duration::from_secs(1);

impl Journal {
    /// The journal of a build that starts from `cached` (the cache of the file `cache`),
    /// measures with `taxonomy` and keeps its cuts in `tokens`, whose vocabulary holds
    /// `words` words so far. It goes on with the journal on disk when the build was
    /// given that journal's entries and it is of the same base, taxonomy and tokens
    /// file; otherwise a new one replaces it. None when the cache's entries are counted
    /// again under other words (no later build would take such a journal in); an error
    /// when another build is writing it, or it cannot be written.
    pub fn start(
        cache: &Path,
        taxonomy: &Taxonomy,
        cached: &Cached,
        tokens: Option<TokensAt>,
        words: usize,
    ) -> Result<Option<Journal>, String> {
        if cached.earlier.is_some() {
            return Ok(None);
        }
        let path = path_of(cache);
        let head = Head {
            magic: MAGIC.to_owned(),
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION").to_owned(),
            taxonomy: taxonomy.hash.clone(),
            words: taxonomy.words_hash.clone(),
            base: cached.id,
            tokens,
        };
        let io = |e: std::io::Error| format!("{}: {e}", path.display());
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        file.try_lock()
            .map_err(|_| format!("{}: in use by another build", path.display()))?;
        let same_head = || {
            let mut buffer = Vec::new();
            read_frame(&mut BufReader::new(&file), &mut buffer)?;
            (postcard::from_bytes::<Head>(&buffer).ok()? == head).then_some(())
        };
        let continues = cached.resumed && same_head().is_some();
        if continues {
            // What follows the last whole part is torn: cut off, so that what is
            // appended follows a whole part.
            let whole = whole_length(&path).map_err(io)?;
            file.set_len(whole).map_err(io)?;
            file.seek(SeekFrom::End(0)).map_err(io)?;
        } else {
            file.set_len(0).map_err(io)?;
            file.seek(SeekFrom::Start(0)).map_err(io)?;
            let bytes = postcard::to_stdvec(&head).map_err(|e| e.to_string())?;
            write_frame(&mut file, &bytes).map_err(io)?;
        }
        Ok(Some(Journal {
            out: BufWriter::new(file),
            path,
            // A new journal names again the words of the one taken in.
            words: if continues {
                words
            } else {
                words.saturating_sub(cached.journal_words)
            },
            continues,
            base_entries: cached.base_entries,
            pending: Vec::new(),
            failed_from: 0,
            tokens_end: 0,
            written_at: Instant::now(),
        }))
    }

    /// Whether the cache's entry at `position`, reused as it is, is to be written all
    /// the same: it came from the journal taken in, and this journal is a new one.
    pub fn needs(&self, position: usize) -> bool {
        !self.continues && position >= self.base_entries
    }

    /// The build's entry at `index` is to be written: measured, or changed from the
    /// cache's.
    pub fn add(&mut self, index: usize) {
        self.pending.push(index);
    }

    /// Writes a part if one is due, or if `now`: the pending entries of `entries` (with
    /// their counts in `words`, their ids in `vocabulary`) and the failures of `failed`
    /// since the last part — none if the build was `cancelled`, when a failure may only
    /// say it was not read. The tokens file is synced first, so that every span the
    /// part names is on disk.
    #[allow(clippy::too_many_arguments)]
    pub fn write(
        &mut self,
        now: bool,
        appender: Option<&mut Appender>,
        entries: &[Entry],
        words: &[WordCounts],
        vocabulary: &Vocabulary,
        failed: &[Failed],
        cancelled: bool,
    ) -> Result<(), String> {
        if !now && self.written_at.elapsed() < EVERY {
            return Ok(());
        }
        let failed = if cancelled {
            &[]
        } else {
            failed.get(self.failed_from..).unwrap_or_default()
        };
        if self.pending.is_empty() && failed.is_empty() {
            return Ok(());
        }
        if let Some(appender) = appender {
            self.tokens_end = appender.sync()?;
        }
        let (entries, counts): (Vec<&Entry>, Vec<&WordCounts>) = self
            .pending
            .iter()
            .filter_map(|&i| Some((entries.get(i)?, words.get(i)?)))
            .unzip();
        let part = PartRef {
            words: vocabulary.words().skip(self.words).collect(),
            entries,
            counts,
            failed,
            tokens_end: self.tokens_end,
        };
        let bytes = postcard::to_stdvec(&part).map_err(|e| e.to_string())?;
        let words = self.words + part.words.len();
        write_frame(&mut self.out, &bytes)
            .and_then(|()| self.out.flush())
            .map_err(|e| format!("{}: {e}", self.path.display()))?;
        self.words = words;
        self.failed_from += failed.len();
        self.pending.clear();
        self.written_at = Instant::now();
        Ok(())
    }

    /// Removes the journal: the cache it led to is stored.
    pub fn remove(self) {
        drop(self.out);
        // A journal left behind names a base that is no longer the cache's, so it is
        // never taken in: nothing to say if it cannot be removed.
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The length of the head and the whole parts of the journal at `path`.
fn whole_length(path: &Path) -> std::io::Result<u64> {
    let mut input = BufReader::new(File::open(path)?);
    let mut buffer = Vec::new();
    let mut whole = 0;
    while read_frame(&mut input, &mut buffer).is_some() {
        whole += 12 + buffer.len() as u64;
    }
    Ok(whole)
}
