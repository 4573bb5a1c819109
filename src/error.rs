//! The library's errors: what failed, on which file or name, and what was expected, in
//! words a user can act on. A bad report is no error of a run (it is a [`Skipped`]
//! entry, and the rest loads); these are the failures of a whole step, or of one request
//! a caller made.
//!
//! [`Skipped`]: crate::corpus::Skipped

use std::fmt;
use std::path::PathBuf;

/// A failure of a library call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The corpus folder cannot be read (missing, no permission): the system's reason.
    CorpusUnreadable { root: PathBuf, reason: String },
    /// The corpus path is a file or something else, not a folder.
    CorpusNotAFolder { root: PathBuf },
    /// One report could not be read: its path in the corpus, and why.
    Report { file: String, reason: String },
    /// A meeting's file is no longer among the corpus's files.
    ReportGone { file: String },
    /// A meeting number that is no meeting of the analysis.
    NoMeeting(usize),
    /// The cache's words could not be read back: the cache is rebuilt.
    CacheDamaged { path: PathBuf },
    /// The cache could not be written: where, and the system's reason.
    CacheUnwritable { path: PathBuf, reason: String },
    /// A cache folder inside a folder zhongdian never writes into.
    CacheInside { dir: PathBuf, inside: PathBuf },
    /// A stated district (front matter, `meetings.toml`) that names no unit; the closest
    /// units, as warnings name them.
    DistrictUnknown {
        stated: String,
        closest: Vec<String>,
    },
    /// A stated district whose name fits several units, as warnings name them.
    DistrictAmbiguous { stated: String, units: Vec<String> },
    /// A file of a labelled set that cannot be read or parsed: the reason names the line.
    Labels { file: PathBuf, reason: String },
    /// A labelled report the set's folder does not hold.
    LabelledNotRead { file: String },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::CorpusUnreadable { root, reason } => {
                write!(f, "cannot read corpus folder {}: {reason}", root.display())
            }
            Error::CorpusNotAFolder { root } => write!(f, "{} is not a folder", root.display()),
            Error::Report { file, reason } => write!(f, "{file}: {reason}"),
            Error::ReportGone { file } => write!(f, "{file} is no longer in the corpus"),
            Error::NoMeeting(n) => write!(f, "no meeting #{n}"),
            Error::CacheDamaged { path } => {
                write!(f, "cache {} is damaged; rebuilding", path.display())
            }
            Error::CacheUnwritable { path, reason } => {
                write!(f, "cannot write the cache {}: {reason}", path.display())
            }
            Error::CacheInside { dir, inside } => write!(
                f,
                "the cache directory {} is inside {}, which zhongdian never writes into; nothing is cached (choose another with --cache-dir)",
                dir.display(),
                inside.display()
            ),
            Error::DistrictUnknown { stated, closest } => write!(
                f,
                "stated district {stated:?} is no unit of the gazetteer (closest: {}); ignored",
                closest.join(", ")
            ),
            Error::DistrictAmbiguous { stated, units } => write!(
                f,
                "stated district {stated:?} fits several units ({}); state its code instead",
                units.join(", ")
            ),
            Error::Labels { file, reason } => write!(f, "{}: {reason}", file.display()),
            Error::LabelledNotRead { file } => write!(f, "{file}: labelled, but not read as a report"),
        }
    }
}

impl std::error::Error for Error {}
