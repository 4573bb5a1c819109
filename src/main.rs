use std::path::Path;
use std::process::ExitCode;

use clap::Parser;
use color_eyre::eyre::{bail, eyre, Result, WrapErr};
use zhongdian::aggregate::YearKey;
use zhongdian::analysis::{Analysis, Progress, Subject};
use zhongdian::cli::report::{self, ThemeFilter};
use zhongdian::cli::{check, exit, By, Cli, Command, Format, TaxonomyArgs};
use zhongdian::ingest::{self, Options, Plan};
use zhongdian::measure::Analyzer;
use zhongdian::taxonomy::Taxonomy;
use zhongdian::text::terminal_safe;
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
    match run(cli) {
        Ok(()) => ExitCode::from(exit::OK as u8),
        Err(e) => {
            // One line, the outermost context first: what a script's log should hold.
            let chain: Vec<String> = e.chain().map(|c| c.to_string()).collect();
            eprintln!("zhongdian: {}", terminal_safe(&chain.join(": ")));
            ExitCode::from(exit::FAILURE as u8)
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    let options = Options {
        max_file_bytes: cli.read.max_file_mib.saturating_mul(1024 * 1024),
    };
    match cli.command {
        None => {
            let taxonomy = load_taxonomy(&cli.taxonomy)?;
            let palette = Palette::from_env(cli.ascii);
            zhongdian::tui::run(&cli.corpus, taxonomy, options, palette)?;
        }
        Some(Command::Check { corpus, format }) => {
            let corpus = ingest::load(&corpus, &options).map_err(|e| eyre!(e))?;
            match format {
                Format::Json => print!("{}", check::json(&corpus)),
                Format::Table | Format::Csv => print!("{}", check::table(&corpus)),
            }
        }
        Some(Command::Report {
            corpus,
            by,
            format,
            theme,
            taxonomy,
        }) => {
            let analysis = analyse(&corpus, &taxonomy, &options)?;
            let filter = match theme {
                Some(name) => ThemeFilter::One(theme_index(&analysis, &name)?),
                None => ThemeFilter::All,
            };
            let out = match (by, format) {
                (By::Meeting, Format::Table) => report::meetings_table(&analysis, filter),
                (By::Meeting, Format::Csv) => report::meetings_csv(&analysis, filter),
                (By::Meeting, Format::Json) => report::meetings_json(&analysis, filter),
                (By::DistrictYear, Format::Table) => report::groups_table(&analysis, filter),
                (By::DistrictYear, Format::Csv) => report::groups_csv(&analysis, filter),
                (By::DistrictYear, Format::Json) => report::groups_json(&analysis, filter),
            };
            print!("{out}");
        }
        Some(Command::Evidence {
            corpus,
            theme,
            district,
            year,
            taxonomy,
        }) => {
            let analysis = analyse(&corpus, &taxonomy, &options)?;
            let theme = theme_index(&analysis, &theme)?;
            let year = year.map(|y| parse_year(&y)).transpose()?;
            let meetings: Vec<usize> = analysis
                .meetings
                .iter()
                .enumerate()
                .filter(|(_, m)| {
                    let d = m.meeting.district.as_ref().map(|d| d.value.as_str());
                    let y = m
                        .meeting
                        .year
                        .as_ref()
                        .map_or(YearKey::Undated, |y| YearKey::Year(y.value));
                    district.as_deref().is_none_or(|want| d == Some(want))
                        && year.is_none_or(|want| y == want)
                })
                .map(|(i, _)| i)
                .collect();
            let evidence = analysis
                .evidence(&Subject::Theme(theme), &meetings, &options)
                .map_err(|e| eyre!(e))?;
            print!("{}", report::evidence_lines(&analysis, &evidence));
        }
    }
    Ok(())
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

fn analyse(corpus: &Path, taxonomy: &TaxonomyArgs, options: &Options) -> Result<Analysis> {
    let taxonomy = load_taxonomy(taxonomy)?;
    let plan = Plan::new(corpus).map_err(|e| eyre!(e))?;
    Ok(Analysis::build(
        plan,
        Analyzer::new(taxonomy),
        options,
        &Progress::default(),
    ))
}

fn theme_index(analysis: &Analysis, name: &str) -> Result<usize> {
    let taxonomy = &analysis.analyzer.taxonomy;
    taxonomy.theme_index(name).ok_or_else(|| {
        let names: Vec<&str> = taxonomy.themes.iter().map(|t| t.name.as_str()).collect();
        eyre!(
            "no theme `{name}` in {}; themes: {}",
            taxonomy.name,
            names.join(", ")
        )
    })
}

fn parse_year(text: &str) -> Result<YearKey> {
    if text == "undated" {
        return Ok(YearKey::Undated);
    }
    match text.parse::<i32>() {
        Ok(y) => Ok(YearKey::Year(y)),
        Err(_) => bail!("--year expects a year like 2026 or `undated`, found `{text}`"),
    }
}
