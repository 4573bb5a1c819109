//! The command-line front end: argument parsing and the text outputs.

pub mod check;
pub(crate) mod export;
pub mod keywords;
pub mod leaders;
pub mod output;
mod parquet_file;
pub mod plot;
pub mod report;
pub(crate) mod table;
pub mod trend;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::corpus::Skipped;
use crate::text::terminal_safe;

/// Exit statuses scripts can rely on.
pub mod exit {
    /// The corpus was read (warnings about single files included).
    pub const OK: i32 = 0;
    /// The corpus, the taxonomy or an output could not be used at all.
    pub const FAILURE: i32 = 1;
    /// The command line was wrong.
    pub const USAGE: i32 = 2;
}

const AFTER_HELP: &str = "\
Exit status:
  0  the corpus was read (files skipped with a warning included)
  1  the corpus folder, the taxonomy or the terminal could not be used
  2  the command line was wrong";

/// The command line: a corpus for the dashboard, or a command.
#[derive(Debug, Parser)]
#[command(
    name = "zhongdian",
    version,
    about = "What Chinese districts and counties make their priorities, year by year",
    after_help = AFTER_HELP,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// The corpus folder: meeting reports (.txt, .md, .html) and tables of them (.jsonl,
    /// .csv, .tsv, a report a row), searched recursively.
    /// Without a command, the dashboard opens on it.
    #[arg(default_value = "data")]
    pub corpus: PathBuf,

    /// How the reports are read and cached.
    #[command(flatten)]
    pub read: ReadArgs,

    /// The themes to measure.
    #[command(flatten)]
    pub taxonomy: TaxonomyArgs,

    /// Draw with plain ASCII, for terminals without good Unicode fonts.
    #[arg(long)]
    pub ascii: bool,

    /// With `--format csv`: start the output with a UTF-8 byte order mark, without which
    /// Excel opens Chinese CSV garbled.
    #[arg(long, global = true)]
    pub bom: bool,

    /// Write the command's data to this file (replaced whole, never inside the corpus or
    /// the taxonomy folder) instead of standard output; needed by `--format parquet`.
    #[arg(short = 'o', long = "output", value_name = "FILE", global = true)]
    pub output: Option<PathBuf>,

    /// The command; the dashboard if none.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// How the reports are read and cached, for every command.
#[derive(Debug, clap::Args, Clone)]
pub struct ReadArgs {
    /// Reports larger than this many MiB are skipped with a warning.
    #[arg(long, value_name = "MIB", default_value_t = 16, global = true)]
    pub max_file_mib: u64,

    /// Where to keep the cache of measured meetings [default: $XDG_CACHE_HOME/zhongdian
    /// or ~/.cache/zhongdian]. Never inside the corpus.
    #[arg(long, value_name = "DIR", global = true)]
    pub cache_dir: Option<PathBuf>,

    /// Measure every report again and write no cache.
    #[arg(long, global = true, conflicts_with = "cache_dir")]
    pub no_cache: bool,

    /// The column of a table (.jsonl, .csv, .tsv) that holds a report's text [default:
    /// text, content, body, 正文 or 内容].
    #[arg(long, value_name = "NAME", global = true)]
    pub text_column: Option<String>,

    /// A table's column of headlines [default: title or 标题].
    #[arg(long, value_name = "NAME", global = true)]
    pub title_column: Option<String>,

    /// A table's column of publication days, read as a page header's date [default:
    /// date, time, 发布时间 or 日期].
    #[arg(long, value_name = "NAME", global = true)]
    pub date_column: Option<String>,

    /// A table's column of where each report was found [default: url, link or 链接].
    #[arg(long, value_name = "NAME", global = true)]
    pub url_column: Option<String>,

    /// A table's column of the publishing site, read as a page's 来源 line [default:
    /// source or 来源].
    #[arg(long, value_name = "NAME", global = true)]
    pub source_column: Option<String>,

    /// A table's column that states the holding district [default: district].
    #[arg(long, value_name = "NAME", global = true)]
    pub district_column: Option<String>,

    /// A table's column that states the work year [default: year].
    #[arg(long, value_name = "NAME", global = true)]
    pub year_column: Option<String>,
}

impl ReadArgs {
    /// The table columns named on the command line.
    pub fn columns(&self) -> crate::table::Columns {
        crate::table::Columns {
            text: self.text_column.clone(),
            title: self.title_column.clone(),
            date: self.date_column.clone(),
            url: self.url_column.clone(),
            source: self.source_column.clone(),
            district: self.district_column.clone(),
            year: self.year_column.clone(),
        }
    }
}

/// The commands, instead of the dashboard: text output for scripts and pasting.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List what was read from each report, where each fact came from, and the warnings.
    #[command(after_help = AFTER_HELP)]
    Check {
        /// The corpus folder.
        #[arg(default_value = "data")]
        corpus: PathBuf,
        /// How the output is written.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Theme measures per meeting or per district and year.
    #[command(after_help = AFTER_HELP)]
    Report {
        /// The corpus folder.
        #[arg(default_value = "data")]
        corpus: PathBuf,
        /// Rows per meeting, or pooled per district and year.
        #[arg(long, value_enum, default_value_t = By::DistrictYear)]
        by: By,
        /// With `--by district-year`: each holder its own row, or pooled into its
        /// prefecture or province (sum of hits over sum of characters).
        #[arg(long, value_enum, default_value_t = LevelArg::County)]
        level: LevelArg,
        /// How the output is written (parquet: to a file, with -o FILE).
        #[arg(long, value_enum, default_value_t = ExportFormat::Table)]
        format: ExportFormat,
        /// Only this theme (its Chinese name or English label).
        #[arg(long, value_name = "NAME")]
        theme: Option<String>,
        /// The themes to measure.
        #[command(flatten)]
        taxonomy: TaxonomyArgs,
    },
    /// Who held each unit's party secretary and government head offices when, as the
    /// meetings name them: one row per tenure.
    #[command(after_help = AFTER_HELP)]
    Leaders {
        /// The corpus folder.
        #[arg(default_value = "data")]
        corpus: PathBuf,
        /// How the output is written.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// The themes to measure.
        #[command(flatten)]
        taxonomy: TaxonomyArgs,
    },
    /// Each theme before and after every change of leader in a unit; without --unit, how
    /// themes moved on average over every change of the office in the corpus.
    #[command(after_help = AFTER_HELP)]
    Shift {
        /// The corpus folder.
        #[arg(default_value = "data")]
        corpus: PathBuf,
        /// The unit, by name, former name or code.
        #[arg(long, value_name = "CODE|NAME")]
        unit: Option<String>,
        /// Only changes of this office [default: both with --unit, else secretary].
        #[arg(long, value_enum)]
        office: Option<OfficeArg>,
        /// How the output is written.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// The themes to measure.
        #[command(flatten)]
        taxonomy: TaxonomyArgs,
    },
    /// Which keywords carry a theme: each one's weighted hits, share of the theme, the
    /// meetings and units that use it, and a sentence.
    #[command(after_help = AFTER_HELP)]
    Keywords {
        /// The corpus folder.
        #[arg(default_value = "data")]
        corpus: PathBuf,
        /// The theme (its Chinese name or English label).
        #[arg(long, value_name = "NAME")]
        theme: String,
        /// Instead, the words that go with the theme but are in no theme: candidates.
        #[arg(long)]
        suggest: bool,
        /// How the output is written.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// The themes to measure.
        #[command(flatten)]
        taxonomy: TaxonomyArgs,
    },
    /// What candidate keywords would add to a theme before the theme file is edited: the
    /// hits and meetings, the units using them most, and every sentence holding their
    /// characters, saying where a longer keyword or an exclusion would take them.
    #[command(after_help = AFTER_HELP)]
    Try {
        /// The corpus folder.
        corpus: PathBuf,
        /// The candidate terms (simplified or traditional).
        #[arg(required = true, value_name = "TERM")]
        terms: Vec<String>,
        /// The theme they would join (its Chinese name or English label).
        #[arg(long, value_name = "NAME")]
        theme: String,
        /// How the output is written.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// The themes to measure.
        #[command(flatten)]
        taxonomy: TaxonomyArgs,
    },
    /// Any term over the years: per year (or district and year) the meetings that
    /// mention it and its hits per 10,000 characters. A term is any string (simplified
    /// or traditional), `*` standing for one to four Han characters; `A+B` adds two
    /// terms up; each argument may hold several terms separated by commas.
    #[command(after_help = AFTER_HELP)]
    Trend {
        /// `[CORPUS] TERM...`: the first is the corpus if it is a folder, else every
        /// argument is a term and the corpus is `data`.
        #[arg(required = true, value_name = "CORPUS|TERM")]
        args: Vec<String>,
        /// Rows per year for the whole corpus, or per district and year.
        #[arg(long, value_enum, default_value_t = TrendByArg::Year)]
        by: TrendByArg,
        /// With `--by district-year`: each holder its own row, or pooled into its
        /// prefecture or province.
        #[arg(long, value_enum, default_value_t = LevelArg::County)]
        level: LevelArg,
        /// Also a moving average over ±N years (0: the values themselves).
        #[arg(long, value_name = "N", default_value_t = 0)]
        smooth: u32,
        /// How the output is written (parquet: to a file, with -o FILE).
        #[arg(long, value_enum, default_value_t = ExportFormat::Table)]
        format: ExportFormat,
        /// The themes to measure (the cache is the one kept for them).
        #[command(flatten)]
        taxonomy: TaxonomyArgs,
    },
    /// When each unit first mentioned a term (date, meeting, sentence), the units that
    /// never do, or with --curve the share of reporting units that had mentioned it,
    /// year by year.
    #[command(after_help = AFTER_HELP)]
    Adoption {
        /// `[CORPUS] TERM`: the first is the corpus if it is a folder, else the corpus is
        /// `data`.
        #[arg(required = true, num_args = 1..=2, value_name = "CORPUS|TERM")]
        args: Vec<String>,
        /// The cumulative adoption curve instead of the units.
        #[arg(long)]
        curve: bool,
        /// How the output is written (parquet: to a file, with -o FILE).
        #[arg(long, value_enum, default_value_t = ExportFormat::Table)]
        format: ExportFormat,
        /// The themes to measure (the cache is the one kept for them).
        #[command(flatten)]
        taxonomy: TaxonomyArgs,
    },
    /// A figure for a paper, to -o FILE.svg or FILE.png, and the numbers it draws to
    /// FILE.csv beside it: `bars` (the themes of a unit-year), `heatmap` (units ×
    /// themes), `timeline` (a theme's units over the years), `trend` (terms over the
    /// years), `adoption` (the share of units that have said a term), `shift` (a
    /// leader's before and after). Chinese labels stay text in the SVG; a PNG is drawn
    /// with a system font checked to have every glyph, and without one the SVG is
    /// written instead.
    #[command(after_help = AFTER_HELP)]
    Plot {
        /// `[CORPUS] KIND [TERM...]`: the corpus if the first is a folder (else `data`),
        /// the kind of figure, and for trend and adoption the terms.
        #[arg(required = true, value_name = "CORPUS|KIND|TERM")]
        args: Vec<String>,
        /// What to draw.
        #[command(flatten)]
        figure: plot::PlotArgs,
        /// The themes to measure.
        #[command(flatten)]
        taxonomy: TaxonomyArgs,
    },
    /// A completion script for a shell, on stdout (e.g. `zhongdian completions bash >
    /// ~/.local/share/bash-completion/completions/zhongdian`).
    #[command(after_help = AFTER_HELP)]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// The manual page, in roff, on stdout (`zhongdian man > zhongdian.1; man
    /// ./zhongdian.1`).
    #[command(after_help = AFTER_HELP)]
    Man,
    /// Read and measure the corpus ahead of time, filling the cache, with a progress bar.
    #[command(after_help = AFTER_HELP)]
    Index {
        /// The corpus folder.
        #[arg(default_value = "data")]
        corpus: PathBuf,
        /// The themes to measure.
        #[command(flatten)]
        taxonomy: TaxonomyArgs,
    },
    /// The sentences behind a theme's numbers, keyword marked «like this».
    #[command(after_help = AFTER_HELP)]
    Evidence {
        /// The corpus folder.
        #[arg(default_value = "data")]
        corpus: PathBuf,
        /// The theme (its Chinese name or English label).
        #[arg(long, value_name = "NAME")]
        theme: String,
        /// Only meetings of this district.
        #[arg(long, value_name = "D")]
        district: Option<String>,
        /// Only meetings of this year (or `undated`).
        #[arg(long, value_name = "Y")]
        year: Option<String>,
        /// The themes to measure.
        #[command(flatten)]
        taxonomy: TaxonomyArgs,
    },
}

impl Command {
    /// How the command writes its output, if it writes data in a format.
    pub fn format(&self) -> Option<ExportFormat> {
        match self {
            Command::Check { format, .. }
            | Command::Leaders { format, .. }
            | Command::Shift { format, .. }
            | Command::Keywords { format, .. }
            | Command::Try { format, .. } => Some((*format).into()),
            Command::Report { format, .. }
            | Command::Trend { format, .. }
            | Command::Adoption { format, .. } => Some(*format),
            Command::Index { .. }
            | Command::Evidence { .. }
            | Command::Plot { .. }
            | Command::Completions { .. }
            | Command::Man => None,
        }
    }

    /// Whether the command writes data to standard output (`index` writes a summary of
    /// what it cached, which `-o FILE` is not for).
    pub fn writes_data(&self) -> bool {
        !matches!(self, Command::Index { .. })
    }

    /// The folders the command reads, which its output is never written into: its
    /// corpus and its taxonomy folder.
    pub fn read_folders(&self) -> Vec<PathBuf> {
        let (corpus, taxonomy) = match self {
            Command::Check { corpus, .. } => (Some(corpus.clone()), None),
            Command::Report {
                corpus, taxonomy, ..
            }
            | Command::Leaders {
                corpus, taxonomy, ..
            }
            | Command::Shift {
                corpus, taxonomy, ..
            }
            | Command::Keywords {
                corpus, taxonomy, ..
            }
            | Command::Try {
                corpus, taxonomy, ..
            }
            | Command::Index { corpus, taxonomy }
            | Command::Evidence {
                corpus, taxonomy, ..
            } => (Some(corpus.clone()), Some(taxonomy)),
            Command::Trend { args, taxonomy, .. }
            | Command::Adoption { args, taxonomy, .. }
            | Command::Plot { args, taxonomy, .. } => {
                (Some(trend::corpus_and_rest(args).0), Some(taxonomy))
            }
            Command::Completions { .. } | Command::Man => (None, None),
        };
        let themes = taxonomy.and_then(|t| t.themes.clone());
        corpus.into_iter().chain(themes).collect()
    }
}

/// The themes to measure: a taxonomy folder, or the built-in one.
#[derive(Debug, clap::Args, Clone, Default)]
pub struct TaxonomyArgs {
    /// A taxonomy folder (theme *.toml files, lexicon.txt, stopwords.txt); the built-in
    /// copy of themes/ by default.
    #[arg(long, value_name = "DIR")]
    pub themes: Option<PathBuf>,
}

// The values' docs here, in `By` and in `LevelArg` are kept out of `--help` (`help =
// None`): given them, clap would list the values one a line and lay out every option
// of the command over several lines.

/// How a command's output is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns, for reading.
    #[value(help = None::<&str>)]
    Table,
    /// Comma-separated values, for spreadsheets.
    #[value(help = None::<&str>)]
    Csv,
    /// JSON, for scripts.
    #[value(help = None::<&str>)]
    Json,
}

/// How a long-form export (`report`, `trend`, `adoption`) is written: as the other
/// commands' [`Format`]s, or as a Parquet file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Aligned columns, for reading.
    #[value(help = None::<&str>)]
    Table,
    /// Comma-separated values, for spreadsheets.
    #[value(help = None::<&str>)]
    Csv,
    /// JSON, for scripts.
    #[value(help = None::<&str>)]
    Json,
    /// A Parquet file (with -o FILE), for DuckDB, Polars, pandas or Spark.
    #[value(help = None::<&str>)]
    Parquet,
}

impl From<Format> for ExportFormat {
    fn from(format: Format) -> Self {
        match format {
            Format::Table => Self::Table,
            Format::Csv => Self::Csv,
            Format::Json => Self::Json,
        }
    }
}

/// What a report's rows are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    /// One row a meeting.
    #[value(help = None::<&str>)]
    Meeting,
    /// Meetings pooled per district and year.
    #[value(help = None::<&str>)]
    DistrictYear,
    /// A unit's meetings pooled over each leader's tenure.
    #[value(help = None::<&str>)]
    Tenure,
}

/// What a trend's rows are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TrendByArg {
    /// One row a year, the whole corpus.
    #[value(help = None::<&str>)]
    Year,
    /// One row a district and year.
    #[value(help = None::<&str>)]
    DistrictYear,
}

/// A unit's top office, for `shift --office`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OfficeArg {
    /// The party secretary.
    #[value(help = None::<&str>)]
    Secretary,
    /// The government head.
    #[value(help = None::<&str>)]
    Head,
}

impl From<OfficeArg> for crate::meeting::Office {
    fn from(office: OfficeArg) -> Self {
        match office {
            OfficeArg::Secretary => Self::Secretary,
            OfficeArg::Head => Self::Head,
        }
    }
}

/// The level `report --by district-year` pools at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LevelArg {
    /// Each holder of meetings its own row.
    #[value(help = None::<&str>)]
    County,
    /// Pooled into prefectures.
    #[value(help = None::<&str>)]
    Prefecture,
    /// Pooled into provinces.
    #[value(help = None::<&str>)]
    Province,
}

impl From<LevelArg> for crate::aggregate::GroupLevel {
    fn from(level: LevelArg) -> Self {
        match level {
            LevelArg::County => Self::County,
            LevelArg::Prefecture => Self::Prefecture,
            LevelArg::Province => Self::Province,
        }
    }
}

/// How the corpus was read, beyond its meetings: the corpus's own notices (the
/// manifest's problems) and the files skipped, as (what it concerns, what happened).
/// `check` lists them in its table; every other output leaves them to stderr.
pub fn reading_notes(notices: &[String], skipped: &[Skipped]) -> Vec<(String, String)> {
    let notices = notices.iter().map(|n| ("(corpus)".to_owned(), n.clone()));
    let skipped = skipped
        .iter()
        .map(|s| (s.file.clone(), format!("skipped: {}", s.reason)));
    notices.chain(skipped).collect()
}

/// [`reading_notes`] and the cache's notice, as lines for stderr.
pub fn reading_notes_for_stderr(
    notices: &[String],
    skipped: &[Skipped],
    cache_notice: Option<&str>,
) -> String {
    let notes = reading_notes(notices, skipped)
        .into_iter()
        .map(|(about, note)| format!("{about}: {note}"))
        .chain(cache_notice.map(str::to_owned));
    stderr_lines(notes)
}

/// One `zhongdian: ` line a note. File names and reasons come from the corpus, and stderr
/// is a terminal too, so they are made terminal-safe, and kept to one line each so a
/// script can tell the notes apart.
pub fn stderr_lines(notes: impl IntoIterator<Item = String>) -> String {
    notes
        .into_iter()
        .map(|note| {
            format!(
                "zhongdian: {}\n",
                terminal_safe(&note).replace(['\n', '\t'], " ")
            )
        })
        .collect()
}
