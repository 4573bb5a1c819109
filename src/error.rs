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
    CorpusUnreadable {
        /// The corpus folder as given.
        root: PathBuf,
        /// The system's reason.
        reason: String,
    },
    /// The corpus path is a file or something else, not a folder.
    CorpusNotAFolder {
        /// The corpus path as given.
        root: PathBuf,
    },
    /// One report could not be read: its path in the corpus, and why.
    Report {
        /// The report's path relative to the corpus root.
        file: String,
        /// Why it could not be read.
        reason: String,
    },
    /// A meeting's file is no longer among the corpus's files.
    ReportGone {
        /// The meeting's path relative to the corpus root.
        file: String,
    },
    /// A meeting number that is no meeting of the analysis.
    NoMeeting(usize),
    /// The cache's words could not be read back: the cache is rebuilt.
    CacheDamaged {
        /// The cache file.
        path: PathBuf,
    },
    /// The cache could not be written: where, and the system's reason.
    CacheUnwritable {
        /// The cache file.
        path: PathBuf,
        /// The system's reason.
        reason: String,
    },
    /// A cache folder inside a folder zhongdian never writes into.
    CacheInside {
        /// The cache folder asked for.
        dir: PathBuf,
        /// The folder it lies in: the corpus's or the taxonomy's.
        inside: PathBuf,
    },
    /// A stated district (front matter, `meetings.toml`) that names no unit; the closest
    /// units, as warnings name them.
    DistrictUnknown {
        /// The district as stated.
        stated: String,
        /// The units whose names come closest.
        closest: Vec<String>,
    },
    /// A stated district whose name fits several units, as warnings name them.
    DistrictAmbiguous {
        /// The district as stated.
        stated: String,
        /// The units the name fits.
        units: Vec<String>,
    },
    /// A file of a labelled set that cannot be read or parsed: the reason names the line.
    Labels {
        /// The labels file (or the set's folder, when that cannot be listed).
        file: PathBuf,
        /// What went wrong, naming the line for a parse error.
        reason: String,
    },
    /// A labelled report the set's folder does not hold.
    LabelledNotRead {
        /// The `file` of the label.
        file: String,
    },
    /// A term asked for that cannot be one (empty, spaced, already a keyword).
    Term {
        /// The term as given.
        term: String,
        /// Why it cannot be tried.
        reason: String,
    },
    /// `--format parquet` without `-o FILE`: binary data never goes to standard output.
    ParquetNeedsFile,
    /// `-o FILE` for what writes no data: the dashboard, `index`.
    OutputUnused {
        /// What was asked to write it.
        what: &'static str,
    },
    /// An output file inside a folder zhongdian never writes into.
    OutputInside {
        /// The output file asked for.
        file: PathBuf,
        /// The folder it lies in: the corpus's or the taxonomy's.
        inside: PathBuf,
    },
    /// The output could not be written: where (none: standard output), and the
    /// system's reason.
    OutputUnwritable {
        /// The output file; none for standard output.
        file: Option<PathBuf>,
        /// The system's reason.
        reason: String,
    },
    /// The Parquet encoder failed: its reason.
    Parquet {
        /// The encoder's reason.
        reason: String,
    },
    /// No theme of the taxonomy has this name or label.
    NoTheme {
        /// The name asked for.
        name: String,
        /// The taxonomy's name.
        taxonomy: String,
        /// Its themes' names.
        themes: Vec<String>,
    },
    /// No unit of the corpus at a level has this name, former name or code.
    UnitNotFound {
        /// The name asked for.
        wanted: String,
        /// What the level's units are called: district, prefecture, province.
        noun: &'static str,
        /// The corpus's units whose names come closest, as warnings name units.
        closest: Vec<String>,
    },
    /// A name that fits several units of the corpus.
    UnitAmbiguous {
        /// The name asked for.
        wanted: String,
        /// The units it fits, as warnings name units.
        units: Vec<String>,
    },
    /// `--year` that is no year.
    Year {
        /// The value given.
        given: String,
    },
    /// `plot` without `-o FILE`: a figure goes to a file.
    PlotNeedsFile,
    /// A figure file that is neither `.svg` nor `.png`.
    FigureFile {
        /// The file asked for.
        file: PathBuf,
    },
    /// A `plot` command line that cannot be drawn as asked: what is wrong with it.
    Plot {
        /// What is wrong, and what would do.
        reason: String,
    },
    /// A figure asked for that has nothing to draw: why.
    NothingToPlot {
        /// What is missing, and what there is instead.
        reason: String,
    },
    /// No system font has every glyph of a figure's labels, so no PNG can show them.
    NoFont {
        /// The font families looked at: the CJK ones of the SVG's font stack, then the
        /// system's.
        tried: Vec<String>,
    },
    /// The PNG could not be made: why.
    Png {
        /// The rasteriser's or the encoder's reason.
        reason: String,
    },
}

impl Error {
    /// Whether the command line, not the corpus or the system, is at fault: a term that
    /// cannot be one, an output that cannot be written where or as it was asked.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            Error::Term { .. }
                | Error::ParquetNeedsFile
                | Error::OutputUnused { .. }
                | Error::OutputInside { .. }
                | Error::Year { .. }
                | Error::PlotNeedsFile
                | Error::FigureFile { .. }
                | Error::Plot { .. }
        )
    }
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
            Error::Term { term, reason } => write!(f, "term {term:?}: {reason}"),
            Error::ParquetNeedsFile => f.write_str(
                "--format parquet writes binary data, never to a terminal or standard output: give the file with -o FILE",
            ),
            Error::OutputUnused { what } => {
                write!(f, "-o FILE takes a command's data, and {what} writes none")
            }
            Error::OutputInside { file, inside } => write!(
                f,
                "the output file {} is inside {}, which zhongdian never writes into: give a file elsewhere",
                file.display(),
                inside.display()
            ),
            Error::OutputUnwritable { file: None, reason } => {
                write!(f, "cannot write to standard output: {reason}")
            }
            Error::OutputUnwritable {
                file: Some(file),
                reason,
            } => write!(f, "cannot write {}: {reason}", file.display()),
            Error::Parquet { reason } => write!(f, "cannot encode the Parquet file: {reason}"),
            Error::NoTheme {
                name,
                taxonomy,
                themes,
            } => write!(
                f,
                "no theme `{name}` in {taxonomy}; themes: {}",
                themes.join(", ")
            ),
            Error::UnitNotFound {
                wanted,
                noun,
                closest,
            } => {
                write!(f, "no meetings of a {noun} named {wanted:?} in this corpus")?;
                if !closest.is_empty() {
                    write!(f, " (closest: {})", closest.join(", "))?;
                }
                Ok(())
            }
            Error::UnitAmbiguous { wanted, units } => write!(
                f,
                "{wanted:?} fits several districts of this corpus ({}); give its code",
                units.join(", ")
            ),
            Error::Year { given } => write!(
                f,
                "--year expects a year like 2026, `undated` or `all`, found `{given}`"
            ),
            Error::PlotNeedsFile => f.write_str(
                "plot draws a figure into a file: give it with -o FILE.svg or -o FILE.png (its data goes to FILE.csv beside it)",
            ),
            Error::FigureFile { file } => write!(
                f,
                "a figure is written as SVG or PNG: -o {} should end in .svg or .png",
                file.display()
            ),
            Error::Plot { reason } => write!(f, "plot: {reason}"),
            Error::NothingToPlot { reason } => write!(f, "nothing to draw: {reason}"),
            Error::NoFont { tried } => write!(
                f,
                "no font with Chinese glyphs found (tried {}); install one, e.g. `apt install fonts-noto-cjk`",
                tried.join(", ")
            ),
            Error::Png { reason } => write!(f, "cannot make the PNG: {reason}"),
        }
    }
}

impl std::error::Error for Error {}
