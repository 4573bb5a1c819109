use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;
use color_eyre::eyre::{bail, eyre, Result, WrapErr};
use zhongdian::aggregate::{District, GroupLevel, YearKey};
use zhongdian::analysis::{Analysis, Loader, Progress, Subject};
use zhongdian::cache::{self, Cache};
use zhongdian::cli::output::{Destination, Output};
use zhongdian::cli::report::{self, ThemeFilter};
use zhongdian::cli::{
    check, exit, keywords, leaders, plot, reading_notes_for_stderr, stderr_lines, trend, By, Cli,
    Command, ExportFormat, Format, TaxonomyArgs, TrendByArg,
};
use zhongdian::error::Error;
use zhongdian::ingest::{self, Options};
use zhongdian::measure::Measurer;
use zhongdian::meeting::Office;
use zhongdian::shift;
use zhongdian::taxonomy::Taxonomy;
use zhongdian::text::terminal_safe;
use zhongdian::trend::{Found, Query, Searching};
use zhongdian::tui::style::Palette;

fn main() -> ExitCode {
    let reporter = color_eyre::config::HookBuilder::default()
        .display_env_section(false)
        .panic_section(
            "This is a bug in zhongdian, not in your corpus. Please report it to the \
             project's issue tracker with the command you ran and this message.",
        );
    if let Err(e) = reporter.install() {
        eprintln!("zhongdian: cannot install the error reporter: {e}");
    }
    let cli = Cli::parse();
    if cli.bom && cli.command.as_ref().and_then(Command::format) != Some(ExportFormat::Csv) {
        // One line, as every other refusal of the command line after clap's own.
        eprintln!("zhongdian: --bom marks CSV output for Excel: give it with --format csv");
        return ExitCode::from(exit::USAGE as u8);
    }
    match run(cli) {
        Ok(()) => ExitCode::from(exit::OK as u8),
        Err(e) => {
            // One line, the outermost context first: what a script's log should hold.
            let chain: Vec<String> = e.chain().map(|c| c.to_string()).collect();
            eprintln!("zhongdian: {}", terminal_safe(&chain.join(": ")));
            // A term that cannot be one, or an output that cannot be written as asked,
            // is the command line's fault, as clap's are.
            let usage = e.downcast_ref::<Error>().is_some_and(Error::is_usage);
            ExitCode::from(if usage { exit::USAGE } else { exit::FAILURE } as u8)
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    // Only with --format csv (checked at the start): the mark goes before the data.
    let bom = if cli.bom { "\u{feff}" } else { "" };
    // Settled before any work, so a wrong output path costs no wait for the corpus.
    let destination = match &cli.command {
        None if cli.output.is_some() => bail!(Error::OutputUnused {
            what: "the dashboard"
        }),
        Some(command) if !command.writes_data() && cli.output.is_some() => {
            bail!(Error::OutputUnused { what: "index" })
        }
        Some(Command::Plot { .. }) if cli.output.is_none() => bail!(Error::PlotNeedsFile),
        None => Destination::Stdout,
        Some(command) => Destination::choose(
            cli.output.as_deref(),
            command.format(),
            &command.read_folders(),
        )?,
    };
    let emit = |out: Output| destination.write(bom, &out);
    let options = Options {
        max_file_bytes: cli.read.max_file_mib.saturating_mul(1024 * 1024),
        columns: cli.read.columns(),
    };
    let cache_for = |corpus: &Path, taxonomy: &TaxonomyArgs| -> Option<Cache> {
        if cli.read.no_cache {
            return None;
        }
        let dir = cli.read.cache_dir.clone().or_else(cache::default_dir)?;
        let kept: Vec<&Path> = taxonomy.themes.iter().map(|p| p.as_path()).collect();
        Cache::outside(&dir, corpus, &kept)
            .inspect_err(|why| warn(&stderr_lines([why.to_string()])))
            .ok()
    };
    // What every command that answers from the measures starts with: the analysis,
    // cached where it can be, and what it could not read said on stderr.
    let analysed = |corpus: &Path, taxonomy: &TaxonomyArgs| -> Result<Analysis> {
        let cache = cache_for(corpus, taxonomy);
        let analysis = analyse(corpus, taxonomy, &options, cache.as_ref())?;
        warn_about_reading(&analysis);
        Ok(analysis)
    };
    match cli.command {
        None => {
            let taxonomy = load_taxonomy(&cli.taxonomy)?;
            let palette = Palette::from_env(cli.ascii);
            let cache = cache_for(&cli.corpus, &cli.taxonomy);
            let themes = cli.taxonomy.themes.clone();
            zhongdian::tui::run(&cli.corpus, (taxonomy, themes), options, cache, palette)?;
        }
        Some(Command::Check { corpus, format }) => {
            let plan = ingest::Plan::new(&corpus)?;
            // The meetings of unchanged files are the cache's, whichever themes it was
            // measured with: a record does not depend on them.
            let cached = cache_for(&corpus, &TaxonomyArgs::default()).and_then(|c| c.entries());
            let checked = destination.stream(bom, |out| {
                check::write(&plan, &options, cached, format, out)
            })?;
            // The table lists them itself.
            if let Some(checked) = checked.filter(|_| format != Format::Table) {
                warn(&reading_notes_for_stderr(
                    &plan.notices,
                    &checked.skipped,
                    None,
                ));
            }
        }
        Some(Command::Report {
            corpus,
            by,
            level,
            format,
            theme,
            taxonomy,
        }) => {
            let analysis = analysed(&corpus, &taxonomy)?;
            let filter = match theme {
                Some(name) => ThemeFilter::One(theme_index(&analysis, &name)?),
                None => ThemeFilter::All,
            };
            let level = level.into();
            let out: Output = match (by, format) {
                (By::Meeting, ExportFormat::Table) => {
                    report::meetings_table(&analysis, filter).into()
                }
                (By::Meeting, ExportFormat::Csv) => report::meetings_csv(&analysis, filter).into(),
                (By::Meeting, ExportFormat::Json) => {
                    report::meetings_json(&analysis, filter).into()
                }
                (By::Meeting, ExportFormat::Parquet) => {
                    report::meetings_parquet(&analysis, filter, &corpus)?
                }
                (By::DistrictYear, ExportFormat::Table) => {
                    report::groups_table(&analysis, filter, level).into()
                }
                (By::DistrictYear, ExportFormat::Csv) => {
                    report::groups_csv(&analysis, filter, level).into()
                }
                (By::DistrictYear, ExportFormat::Json) => {
                    report::groups_json(&analysis, filter, level).into()
                }
                (By::DistrictYear, ExportFormat::Parquet) => {
                    report::groups_parquet(&analysis, filter, level, &corpus)?
                }
                (By::Tenure, ExportFormat::Table) => {
                    report::tenures_table(&analysis, filter).into()
                }
                (By::Tenure, ExportFormat::Csv) => report::tenures_csv(&analysis, filter).into(),
                (By::Tenure, ExportFormat::Json) => report::tenures_json(&analysis, filter).into(),
                (By::Tenure, ExportFormat::Parquet) => {
                    report::tenures_parquet(&analysis, filter, &corpus)?
                }
            };
            leave(analysis);
            emit(out)?;
        }
        Some(Command::Leaders {
            corpus,
            format,
            taxonomy,
        }) => {
            let analysis = analysed(&corpus, &taxonomy)?;
            let out = match format {
                Format::Table => leaders::table(&analysis),
                Format::Csv => leaders::csv(&analysis),
                Format::Json => leaders::json(&analysis),
            };
            leave(analysis);
            emit(out.into())?;
        }
        Some(Command::Shift {
            corpus,
            unit,
            office,
            format,
            taxonomy,
        }) => {
            let analysis = analysed(&corpus, &taxonomy)?;
            let office = office.map(Office::from);
            let out = match unit {
                Some(wanted) => {
                    let district = one_district(&analysis, &wanted)?;
                    let unit = district.unit().map(|u| u.id.clone()).unwrap_or_default();
                    let shifts = shift::shifts_of(&analysis, &unit, office);
                    match format {
                        Format::Table => leaders::shifts_table(&analysis, &shifts),
                        Format::Csv => leaders::shifts_csv(&analysis, &shifts),
                        Format::Json => leaders::shifts_json(&analysis, &shifts),
                    }
                }
                None => {
                    leaders::average_shift(&analysis, office.unwrap_or(Office::Secretary), format)
                }
            };
            leave(analysis);
            emit(out.into())?;
        }
        Some(Command::Keywords {
            corpus,
            theme,
            suggest,
            format,
            taxonomy,
        }) => {
            let analysis = analysed(&corpus, &taxonomy)?;
            let theme = theme_index(&analysis, &theme)?;
            let written = if suggest {
                keywords::suggested(&analysis, theme, format, &options)
            } else {
                keywords::keywords(&analysis, theme, format, &options)
            };
            warn(&stderr_lines(written.notes));
            leave(analysis);
            emit(written.out.into())?;
        }
        Some(Command::Try {
            corpus,
            terms,
            theme,
            format,
            taxonomy,
        }) => {
            let analysis = analysed(&corpus, &taxonomy)?;
            let theme = theme_index(&analysis, &theme)?;
            let mut trials = Vec::new();
            for term in &terms {
                let trial = zhongdian::keywords::try_term(&analysis, theme, term, &options)?;
                warn(&stderr_lines(
                    trial.unreadable.iter().map(ToString::to_string),
                ));
                trials.push(trial);
            }
            let out = keywords::trials(&analysis, &trials, format);
            leave(analysis);
            emit(out.into())?;
        }
        Some(Command::Trend {
            args,
            by,
            level,
            smooth,
            format,
            taxonomy,
        }) => {
            let (corpus, terms) = trend::corpus_and_terms(&args)?;
            let query = Query::parse_all(terms.iter().map(String::as_str))?;
            let analysis = analysed(&corpus, &taxonomy)?;
            let found = searched(&analysis, &query, &options)?;
            let by = match by {
                TrendByArg::Year => trend::TrendBy::Year,
                TrendByArg::DistrictYear => trend::TrendBy::DistrictYear(level.into()),
            };
            let out = trend::trend(&analysis, &corpus, &found, by, smooth, format)?;
            leave(analysis);
            emit(out)?;
        }
        Some(Command::Adoption {
            args,
            curve,
            format,
            taxonomy,
        }) => {
            let (corpus, terms) = trend::corpus_and_terms(&args)?;
            let query = Query::parse_all(terms.iter().map(String::as_str))?;
            if query.series.len() > 1 {
                bail!(zhongdian::error::Error::Term {
                    term: terms.join(" "),
                    reason: "adoption follows one term (or terms added up with +)".to_owned(),
                });
            }
            let analysis = analysed(&corpus, &taxonomy)?;
            let found = searched(&analysis, &query, &options)?;
            let written = trend::adoption_of(&analysis, &corpus, &found, curve, format, &options)?;
            warn(&stderr_lines(written.notes));
            leave(analysis);
            emit(written.out)?;
        }
        Some(Command::Plot {
            args,
            figure,
            taxonomy,
        }) => {
            let (corpus, kind, terms) = plot::corpus_kind_terms(&args)?;
            figure.check(kind)?;
            let Destination::File(file) = &destination else {
                bail!(Error::PlotNeedsFile);
            };
            let format = zhongdian::figure::Format::of(file)?;
            // The terms are checked before the corpus is read, as trend checks them.
            let query = if kind.takes_terms() {
                Some(Query::parse_all(terms.iter().map(String::as_str))?)
            } else {
                None
            };
            let analysis = analysed(&corpus, &taxonomy)?;
            let found = query
                .map(|q| searched(&analysis, &q, &options))
                .transpose()?;
            let spec = plot::spec(&analysis, kind, &figure, found.as_ref())?;
            let drawn = zhongdian::figure::build(&analysis, &spec, &corpus)?;
            let written = zhongdian::figure::write(&drawn, file, format)?;
            leave(analysis);
            if let zhongdian::figure::Written::Svg { why, file, data } = written {
                warn(&stderr_lines([why.to_string()]));
                bail!(
                    "no PNG: the figure is written as SVG to {} instead, its data to {}",
                    file.display(),
                    data.display()
                );
            }
        }
        Some(Command::Completions { shell }) => {
            use clap::CommandFactory;
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "zhongdian", &mut script);
            emit(String::from_utf8_lossy(&script).into_owned().into())?;
        }
        Some(Command::Man) => {
            use clap::CommandFactory;
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut page)
                .wrap_err("cannot write the manual page")?;
            emit(String::from_utf8_lossy(&page).into_owned().into())?;
        }
        Some(Command::Index { corpus, taxonomy }) => {
            let cache = cache_for(&corpus, &taxonomy);
            index(&corpus, &taxonomy, &options, cache.as_ref())?;
        }
        Some(Command::Evidence {
            corpus,
            theme,
            district,
            year,
            taxonomy,
        }) => {
            let analysis = analysed(&corpus, &taxonomy)?;
            let theme = theme_index(&analysis, &theme)?;
            let year = year.map(|y| YearKey::parse(&y)).transpose()?;
            // The groups the dashboard's Enter opens, looked up the same way.
            let groups = analysis.at(GroupLevel::County);
            let districts: Vec<District> = match district.as_deref() {
                None => groups.districts().into_iter().map(|d| d.district).collect(),
                Some(wanted) => vec![one_district(&analysis, wanted)?],
            };
            let year = year.unwrap_or(YearKey::AllYears);
            let mut meetings: Vec<usize> = districts
                .iter()
                .filter_map(|d| groups.group(d.key(), year))
                .flat_map(|g| g.meetings.iter().copied())
                .collect();
            meetings.sort_unstable();
            let found = analysis.evidence(&Subject::Theme(theme), &meetings, &options);
            warn(&stderr_lines(found.unreadable));
            emit(report::evidence_lines(&analysis, &found.sentences).into())?;
            leave(analysis);
        }
    }
    Ok(())
}

/// The query's mentions in every meeting, what could not be read said on stderr.
fn searched(analysis: &Analysis, query: &Query, options: &Options) -> Result<Found> {
    let Some(found) = zhongdian::trend::search(analysis, query, options, &Searching::default())
    else {
        bail!("the search was stopped");
    };
    warn(&stderr_lines(found.unread.iter().cloned()));
    Ok(found)
}

/// The one district of the corpus that `wanted` (a name, former name or code) names.
fn one_district(analysis: &Analysis, wanted: &str) -> Result<District> {
    Ok(analysis.at(GroupLevel::County).one_named(wanted)?)
}

fn load_taxonomy(args: &TaxonomyArgs) -> Result<Taxonomy> {
    match &args.themes {
        Some(dir) => Taxonomy::load(dir)
            .map_err(|e| eyre!(e))
            .wrap_err("the taxonomy is broken"),
        None => Taxonomy::built_in()
            .map_err(|e| eyre!(e))
            .wrap_err("the built-in taxonomy is broken"),
    }
}

fn analyse(
    corpus: &Path,
    taxonomy: &TaxonomyArgs,
    options: &Options,
    cache: Option<&Cache>,
) -> Result<Analysis> {
    let taxonomy = load_taxonomy(taxonomy)?;
    Loader::new(corpus, options)
        .with_cache(cache)
        .load(Measurer::new(taxonomy))
        .map_err(Into::into)
}

/// Ends a command's use of an analysis without freeing it: the process exits next, and
/// freeing a large corpus's hundreds of thousands of small allocations one by one takes
/// longer than the command's output did.
fn leave(analysis: Analysis) {
    std::mem::forget(analysis);
}

/// `zhongdian index`: the analysis with a progress bar on stderr, for its cache.
fn index(
    corpus: &Path,
    taxonomy: &TaxonomyArgs,
    options: &Options,
    cache: Option<&Cache>,
) -> Result<()> {
    use std::io::IsTerminal;
    use std::sync::atomic::Ordering;

    let Some(cache) = cache else {
        bail!("nothing to index into: the cache is disabled (--no-cache) or no cache directory is known (set --cache-dir)");
    };
    let taxonomy = load_taxonomy(taxonomy)?;
    let measurer = Measurer::new(taxonomy);
    let started = std::time::Instant::now();
    let interactive = io::stderr().is_terminal();
    // The bar is drawn when the loading threads say the counts moved: no timer polls.
    let progress = Progress::watched(move |p| {
        if !interactive {
            return;
        }
        let done = p.files_done.load(Ordering::Relaxed);
        let total = p.files_total.load(Ordering::Relaxed).max(1);
        let filled = (done * 30 / total).min(30);
        let mb = p.bytes_done.load(Ordering::Relaxed) as f64 / 1_048_576.0;
        let rate = done as f64 / started.elapsed().as_secs_f64().max(1e-3);
        eprint!(
            "\r[{}{}] {done}/{total} files, {mb:.1} MB, {rate:.0} files/s ",
            "#".repeat(filled),
            ".".repeat(30 - filled)
        );
        let _ = io::stderr().flush();
    });
    let analysis = Loader::new(corpus, options)
        .with_cache(Some(cache))
        .with_progress(&progress)
        .load(measurer)?;
    if interactive {
        eprintln!();
    }
    warn_about_reading(&analysis);
    let summary = format!(
        "{} meetings ({} from the cache, {} measured), {} skipped, in {:.1} s; cache {}\n",
        analysis.meetings.len(),
        analysis.cache.reused,
        analysis.cache.measured,
        analysis.skipped.len(),
        started.elapsed().as_secs_f64(),
        terminal_safe(&cache.path.display().to_string())
    );
    leave(analysis);
    // `index` writes no data, so never to a file (refused at the start).
    Destination::Stdout.write("", &summary.into())?;
    Ok(())
}

/// Says on stderr what the output does not: which files were skipped and why, the
/// manifest's problems, and why the cache was not used.
fn warn_about_reading(analysis: &Analysis) {
    warn(&reading_notes_for_stderr(
        &analysis.notices,
        &analysis.skipped,
        analysis.cache.notice.as_deref(),
    ));
}

/// Writes notes to stderr. If stderr itself is gone there is nowhere left to say so, and
/// the output on stdout is still worth finishing.
fn warn(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

fn theme_index(analysis: &Analysis, name: &str) -> Result<usize> {
    Ok(analysis.measurer.taxonomy.theme_named(name)?)
}
