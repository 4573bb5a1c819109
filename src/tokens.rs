//! The words each meeting's cleaned text was cut into, kept on disk beside the cache.
//!
//! Cutting is nine tenths of measuring a report. With its cut kept, an edited theme is
//! counted again from the words the text already has — and a report is cut again only
//! when its text contains a phrase the edit added to the segmenter's dictionary or took
//! out of it (see [`crate::segment::Dictionary`]). A record is the cleaned text, then
//! the byte length of each word as a LEB128 varint: the text stays whole, so a phrase
//! is found in it with one substring search, across word boundaries.
//!
//! One file per corpus, `<digest>.tokens` next to its `<digest>.cache`, appended to by
//! each build: a record, once written, is never changed, so a cache that names it reads
//! it as written, and an interrupted append leaves only unnamed bytes at the end. The
//! file starts with a generation number that the cache names too; a new file (a build
//! that keeps none of the old records) is written as `<digest>.tokens.partial` and
//! renamed over the old one when the build is done, which a reader that has the old one
//! open keeps reading. An interrupted build leaves its partial file, which its journal
//! names (see `cache::journal`), and the next build goes on appending to it.
//! Never inside the corpus: it lives where the cache does.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::segment::Word;

const MAGIC: &[u8; 16] = b"zhongdian tokens";
/// The magic, then the generation.
const HEADER: u64 = 24;

/// Where a meeting's record is in the tokens file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    offset: u64,
    /// Bytes of the text.
    text: u32,
    /// Bytes of the word lengths that follow it.
    cut: u32,
}

/// A cleaned text and the words it was cut into.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cut {
    /// The cleaned text.
    pub text: String,
    /// The byte length of each word, in order; they add up to the text's length.
    lengths: Vec<u32>,
}

impl Cut {
    /// `text` and the byte lengths of the words it was cut into.
    pub fn new(text: String, lengths: Vec<u32>) -> Cut {
        Cut { text, lengths }
    }

    /// The byte length of each word, in order.
    pub fn lengths(&self) -> &[u32] {
        &self.lengths
    }

    /// The text's words with their byte ranges, as [`crate::segment::Segmenter::cut`]
    /// gave them.
    pub fn words(&self) -> Vec<Word<'_>> {
        let mut start = 0;
        self.lengths
            .iter()
            .map_while(|&length| {
                let end = start + length as usize;
                let word = Word {
                    text: self.text.get(start..end)?,
                    start,
                    end,
                };
                start = end;
                Some(word)
            })
            .collect()
    }
}

/// A tokens file, by path and the generation a cache expects in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tokens {
    path: PathBuf,
    generation: u64,
}

/// The word lengths of `words`, as [`Cut`] keeps them.
pub fn lengths(words: &[Word<'_>]) -> Vec<u32> {
    // A report is capped far below 4 GiB, and so is each of its words.
    words
        .iter()
        .map(|w| u32::try_from(w.end - w.start).unwrap_or(u32::MAX))
        .collect()
}

fn io_error(path: &Path, e: impl std::fmt::Display) -> String {
    format!("{}: {e}", path.display())
}

impl Tokens {
    /// The tokens file that goes with the cache file `cache`, of `generation`.
    pub fn beside(cache: &Path, generation: u64) -> Tokens {
        Tokens {
            path: cache.with_extension("tokens"),
            generation,
        }
    }

    /// The new tokens file of `generation` that a build writes beside the cache file
    /// `cache`, not yet put in place.
    pub fn partial(cache: &Path, generation: u64) -> Tokens {
        Tokens {
            path: cache.with_extension("tokens.partial"),
            generation,
        }
    }

    /// Where it is put once its build is done, if it is a partial file.
    fn final_path(&self) -> Option<PathBuf> {
        (self.path.extension()? == "partial").then(|| self.path.with_extension(""))
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Its generation.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The file opened for reading, if it is of this generation and at least
    /// `length` bytes long (what the cache that names it saw written).
    pub fn open(&self, length: u64) -> Result<Reader, String> {
        let mut file = File::open(&self.path).map_err(|e| io_error(&self.path, e))?;
        let mut header = [0u8; HEADER as usize];
        file.read_exact(&mut header)
            .map_err(|e| io_error(&self.path, e))?;
        let generation = u64::from_le_bytes(header[16..].try_into().unwrap_or_default());
        if &header[..16] != MAGIC || generation != self.generation {
            return Err(io_error(&self.path, "written by another build"));
        }
        let size = file.metadata().map_err(|e| io_error(&self.path, e))?.len();
        if size < length {
            return Err(io_error(&self.path, "shorter than its cache says"));
        }
        // SAFETY: the mapping is only read. A tokens file is never changed in place:
        // builds append to it (records past `size`, which are never read through this
        // mapping) or write a new file and rename it over this one, which leaves this
        // one's pages as they were. Only another program cutting the file short could
        // make a read fault, the risk every reader of a mapped file takes. Without a
        // mapping, records are read with `pread`.
        let map = unsafe { memmap2::Mmap::map(&file) }.ok();
        Ok(Reader { file, size, map })
    }
}

/// A tokens file open for reading: mapped into memory where it can be, so that a search
/// of every text reads the page cache in place rather than copying each record out.
#[derive(Debug)]
pub struct Reader {
    file: File,
    size: u64,
    /// The file's first `size` bytes, mapped.
    map: Option<memmap2::Mmap>,
}

impl Reader {
    /// The bytes of the text at `span`: in the mapping, or read into `buffer` (kept from
    /// call to call: most texts are only searched, and a fresh allocation each would
    /// cost more than the search). Not checked to be UTF-8: [`Reader::read`] checks
    /// what is used as text.
    pub fn text_bytes<'b>(
        &'b self,
        span: Span,
        buffer: &'b mut Vec<u8>,
    ) -> Result<&'b [u8], String> {
        let end = span.offset + u64::from(span.text);
        if end > self.size {
            return Err("a damaged record".to_owned());
        }
        if let Some(map) = &self.map {
            // Within `size`, which the mapping holds.
            return map
                .get(span.offset as usize..end as usize)
                .ok_or_else(|| "a damaged record".to_owned());
        }
        buffer.resize(span.text as usize, 0);
        read_at(&self.file, buffer, span.offset).map_err(|e| e.to_string())?;
        Ok(buffer)
    }

    /// Touches every page of the mapping, on every core: the first search of every text
    /// then finds them mapped, rather than waiting for each page in turn (a quarter of a
    /// second for the 100k-report corpus's texts).
    pub fn touch(&self) {
        use rayon::prelude::*;
        const PAGE: usize = 4096;
        if let Some(map) = &self.map {
            let touched = map
                .par_chunks(256 * PAGE)
                .map(|chunk| chunk.iter().step_by(PAGE).fold(0u8, |x, &b| x ^ b))
                .reduce(|| 0, |a, b| a ^ b);
            std::hint::black_box(touched);
        }
    }

    /// The record at `span`; an error if it is not all there or not a cut of its text.
    pub fn read(&self, span: Span) -> Result<Cut, String> {
        let bad = || "a damaged record".to_owned();
        let end = span.offset + u64::from(span.text) + u64::from(span.cut);
        if end > self.size {
            return Err(bad());
        }
        let mut bytes = vec![0u8; span.text as usize + span.cut as usize];
        read_at(&self.file, &mut bytes, span.offset).map_err(|e| e.to_string())?;
        let cut = bytes.split_off(span.text as usize);
        let text = String::from_utf8(bytes).map_err(|_| bad())?;
        let mut lengths = Vec::with_capacity(cut.len());
        let (mut value, mut shift) = (0u32, 0);
        for byte in cut {
            value |= u32::from(byte & 0x7f).checked_shl(shift).ok_or_else(bad)?;
            if byte & 0x80 == 0 {
                lengths.push(value);
                (value, shift) = (0, 0);
            } else {
                shift += 7;
            }
        }
        let total: u64 = lengths.iter().map(|&n| u64::from(n)).sum();
        if shift != 0 || total != text.len() as u64 {
            return Err(bad());
        }
        Ok(Cut { text, lengths })
    }
}

/// Appends records to a tokens file during one build.
pub struct Appender {
    out: BufWriter<File>,
    tokens: Tokens,
    /// Where the next record goes.
    end: u64,
    /// The file as it will be named once finished, when it is a partial one.
    rename_to: Option<PathBuf>,
    /// Whether this build started the file, keeping none of the old records.
    fresh: bool,
}

impl Appender {
    /// Appends to `tokens` if `keep` and the file is of its generation (a partial file
    /// too, left by an interrupted build); otherwise starts a partial file of a new
    /// generation. A partial file is renamed into place by [`Appender::finish`]. Fails
    /// when the file is being appended to by another build, or cannot be written.
    pub fn open(tokens: &Tokens, length: u64, keep: bool) -> Result<Appender, String> {
        if keep && tokens.open(length).is_ok() {
            let file = std::fs::OpenOptions::new()
                .append(true)
                .open(&tokens.path)
                .map_err(|e| io_error(&tokens.path, e))?;
            file.try_lock()
                .map_err(|_| io_error(&tokens.path, "in use by another build"))?;
            let end = file
                .metadata()
                .map_err(|e| io_error(&tokens.path, e))?
                .len();
            return Ok(Appender {
                out: BufWriter::new(file),
                tokens: tokens.clone(),
                end,
                rename_to: tokens.final_path(),
                fresh: false,
            });
        }
        let generation = new_generation();
        let final_path = tokens.final_path().unwrap_or_else(|| tokens.path.clone());
        let partial = final_path.with_extension("tokens.partial");
        if let Some(dir) = partial.parent() {
            std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
        }
        // An older partial file is replaced only when no build is appending to it (its
        // lock is free), and unlinked rather than cut short: a reader that has it
        // mapped keeps its pages.
        if let Ok(older) = File::open(&partial) {
            older
                .try_lock()
                .map_err(|_| io_error(&partial, "in use by another build"))?;
            std::fs::remove_file(&partial).map_err(|e| io_error(&partial, e))?;
        }
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&partial)
            .map_err(|e| io_error(&partial, e))?;
        file.try_lock()
            .map_err(|_| io_error(&partial, "in use by another build"))?;
        let mut out = BufWriter::new(file);
        out.write_all(MAGIC)
            .and_then(|()| out.write_all(&generation.to_le_bytes()))
            .map_err(|e| io_error(&partial, e))?;
        Ok(Appender {
            out,
            tokens: Tokens {
                path: partial,
                generation,
            },
            end: HEADER,
            rename_to: Some(final_path),
            fresh: true,
        })
    }

    /// Whether this build started the file, so that no record of the old one is in it.
    pub fn is_fresh(&self) -> bool {
        self.fresh
    }

    /// The file's generation, and whether it is a partial one: what a journal names.
    pub(crate) fn at(&self) -> crate::cache::journal::TokensAt {
        crate::cache::journal::TokensAt {
            generation: self.tokens.generation,
            partial: self.rename_to.is_some(),
        }
    }

    /// Writes one record: `text` and the lengths of its words.
    pub fn append(&mut self, text: &str, lengths: &[u32]) -> Result<Span, String> {
        let mut cut = Vec::with_capacity(lengths.len() + lengths.len() / 8);
        for &length in lengths {
            let mut n = length;
            while n >= 0x80 {
                cut.push((n as u8 & 0x7f) | 0x80);
                n >>= 7;
            }
            cut.push(n as u8);
        }
        let span = Span {
            offset: self.end,
            text: u32::try_from(text.len()).map_err(|_| "a text over 4 GiB".to_owned())?,
            cut: u32::try_from(cut.len()).map_err(|_| "a cut over 4 GiB".to_owned())?,
        };
        self.out
            .write_all(text.as_bytes())
            .and_then(|()| self.out.write_all(&cut))
            .map_err(|e| io_error(&self.tokens.path, e))?;
        self.end += text.len() as u64 + cut.len() as u64;
        Ok(span)
    }

    /// Puts every record written so far on disk, and says how far they go: a journal
    /// may then name them.
    pub fn sync(&mut self) -> Result<u64, String> {
        self.out
            .flush()
            .and_then(|()| self.out.get_ref().sync_data())
            .map_err(|e| io_error(&self.tokens.path, e))?;
        Ok(self.end)
    }

    /// Flushes the records to disk (and a partial file into place): the tokens file and
    /// the length the cache is to name.
    pub fn finish(self) -> Result<(Tokens, u64), String> {
        let path = self.tokens.path.clone();
        let file = self.out.into_inner().map_err(|e| io_error(&path, e))?;
        file.sync_all().map_err(|e| io_error(&path, e))?;
        let mut tokens = self.tokens;
        if let Some(to) = self.rename_to {
            std::fs::rename(&tokens.path, &to).map_err(|e| io_error(&to, e))?;
            tokens.path = to;
        }
        Ok((tokens, self.end))
    }

    /// Leaves the file as it is, its records on disk, for the next build to go on with:
    /// the build was interrupted, and its journal names them.
    pub fn suspend(mut self) {
        // Nothing to say if they cannot be flushed: the journal names only records
        // already synced.
        let _ = self.sync();
    }

    /// Gives up a partial file: nothing of it is kept.
    pub fn abandon(self) {
        if self.rename_to.is_some() {
            let _ = std::fs::remove_file(&self.tokens.path);
        }
    }
}

/// A generation no other tokens file of this corpus has had: the time, in nanoseconds,
/// mixed with the process id.
pub(crate) fn new_generation() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    nanos ^ (u64::from(std::process::id()) << 48)
}

/// Fills `buffer` from `offset` of `file`, without moving a shared cursor: the records
/// of one file are read by several threads at once.
#[cfg(unix)]
fn read_at(file: &File, buffer: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buffer, offset)
}

#[cfg(windows)]
fn read_at(file: &File, mut buffer: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buffer.is_empty() {
        match file.seek_read(buffer, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buffer = &mut buffer[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}
