//! `zhongdian keywords`: which keywords carry a theme, with a sentence each; and
//! `zhongdian try`: what a candidate keyword would add, sentence by sentence.

use serde::Serialize;

use super::export::{push_csv_row, to_json};
use super::report::{header_line, round};
use super::table::Table;
use crate::analysis::Analysis;
use crate::ingest::Options;
use crate::keywords::{keyword_uses, samples, KeywordUse, Trial, TrialOutcome};

/// A keyword as exported, with the sentence that shows it.
#[derive(Serialize)]
struct KeywordRow<'a> {
    keyword: &'a str,
    weight: f64,
    count: u64,
    hits: f64,
    share: f64,
    meetings: usize,
    units: usize,
    sample_file: Option<&'a str>,
    sample: Option<String>,
}

/// The keywords of `theme` with their samples, and a note for each meeting whose text
/// could not be read for one.
fn rows<'a>(
    analysis: &'a Analysis,
    theme: usize,
    uses: &'a [KeywordUse],
    options: &Options,
) -> (Vec<KeywordRow<'a>>, Vec<String>) {
    let (found, unreadable) = samples(
        analysis,
        theme,
        uses,
        options,
        &std::sync::atomic::AtomicBool::new(false),
    );
    let notes = unreadable.iter().map(ToString::to_string).collect();
    let rows = uses
        .iter()
        .zip(found)
        .map(|(u, found)| {
            let (file, sentence) = match found {
                Some((m, passage)) => (
                    Some(analysis.meetings[m].meeting.file.as_str()),
                    Some(passage.sentence),
                ),
                None => (None, None),
            };
            KeywordRow {
                keyword: &u.word,
                weight: u.weight,
                count: u.count,
                hits: round(u.hits),
                share: round(u.share),
                meetings: u.meetings.len(),
                units: u.units,
                sample_file: file,
                sample: sentence,
            }
        })
        .collect();
    (rows, notes)
}

/// What `keywords` writes: the output, and notes for stderr.
pub struct Written {
    /// The table, CSV or JSON.
    pub out: String,
    /// The meetings whose text could not be read for a sample, and why.
    pub notes: Vec<String>,
}

/// Every keyword of `theme`, those that carry most first, as `format` asks.
pub fn keywords(
    analysis: &Analysis,
    theme: usize,
    format: super::Format,
    options: &Options,
) -> Written {
    let uses = keyword_uses(analysis, theme);
    let (rows, notes) = rows(analysis, theme, &uses, options);
    let out = match format {
        super::Format::Json => to_json(&rows),
        super::Format::Csv => {
            let mut out =
                "keyword,weight,count,hits,share,meetings,units,sample_file,sample\n".to_owned();
            for r in &rows {
                push_csv_row(
                    &mut out,
                    &[
                        r.keyword.to_owned(),
                        r.weight.to_string(),
                        r.count.to_string(),
                        r.hits.to_string(),
                        r.share.to_string(),
                        r.meetings.to_string(),
                        r.units.to_string(),
                        r.sample_file.unwrap_or_default().to_owned(),
                        r.sample.clone().unwrap_or_default(),
                    ],
                );
            }
            out
        }
        super::Format::Table => {
            let mut table = Table::new([
                "keyword", "weight", "hits", "share", "meetings", "units", "sample",
            ])
            .right_align(&[1, 2, 3, 4, 5]);
            for r in &rows {
                let sample = match (r.sample_file, &r.sample) {
                    (Some(file), Some(sentence)) => format!("{file}: {sentence}"),
                    _ => "—".to_owned(),
                };
                table.push(vec![
                    r.keyword.to_owned(),
                    r.weight.to_string(),
                    r.hits.to_string(),
                    format!("{:.1}%", r.share * 100.0),
                    r.meetings.to_string(),
                    r.units.to_string(),
                    sample,
                ]);
            }
            let name = &analysis.measurer.taxonomy.themes[theme].name;
            format!(
                "{}# {name}: hits = weight × times matched; share = of the theme's hits over the corpus\n{}",
                header_line(analysis),
                table.render()
            )
        }
    };
    Written { out, notes }
}

/// A sentence of a trial, as exported.
#[derive(Serialize)]
struct TrialRow<'a> {
    term: &'a str,
    theme: &'a str,
    file: &'a str,
    outcome: &'static str,
    detail: String,
    sentence: &'a str,
}

/// A trial's outcome as a word and its detail: `counted`, `taken-by` 城市建设 共同富裕示范区.
fn outcome_cells(outcome: &TrialOutcome) -> (&'static str, String) {
    match outcome {
        TrialOutcome::Counted => ("counted", String::new()),
        TrialOutcome::TakenBy(theme, keyword) => ("taken-by", format!("{theme} {keyword}")),
        TrialOutcome::Excluded(theme, phrase) => ("excluded", format!("{theme} {phrase}")),
        TrialOutcome::NotAWord(words) => ("not-a-word", words.clone()),
    }
}

/// What `try` writes for the trials of its terms, as `format` asks.
pub fn trials(analysis: &Analysis, trials: &[Trial], format: super::Format) -> String {
    let themes = &analysis.measurer.taxonomy.themes;
    let file = |m: usize| analysis.meetings[m].meeting.file.as_str();
    let rows = || {
        trials.iter().flat_map(move |t| {
            t.sentences.iter().map(move |s| {
                let (outcome, detail) = outcome_cells(&s.outcome);
                TrialRow {
                    term: &t.term,
                    theme: &themes[t.theme].name,
                    file: file(s.meeting),
                    outcome,
                    detail,
                    sentence: &s.passage.sentence,
                }
            })
        })
    };
    match format {
        super::Format::Json => to_json(&rows().collect::<Vec<_>>()),
        super::Format::Csv => {
            let mut out = "term,theme,file,outcome,detail,sentence\n".to_owned();
            for r in rows() {
                push_csv_row(
                    &mut out,
                    &[
                        r.term.to_owned(),
                        r.theme.to_owned(),
                        r.file.to_owned(),
                        r.outcome.to_owned(),
                        r.detail,
                        r.sentence.to_owned(),
                    ],
                );
            }
            out
        }
        super::Format::Table => {
            let mut out = header_line(analysis);
            for t in trials {
                out.push_str(&crate::text::terminal_safe(&format!(
                    "\n# {} as a keyword of {} (weight 1): {} hits in {} meetings; {} sentences hold its characters\n",
                    t.term,
                    themes[t.theme].name,
                    t.hits,
                    t.meetings,
                    t.sentences.len()
                )));
                if !t.units.is_empty() {
                    let units: Vec<String> = t
                        .units
                        .iter()
                        .take(10)
                        .map(|(u, n)| format!("{u} {n}"))
                        .collect();
                    out.push_str(&crate::text::terminal_safe(&format!(
                        "# units using it most: {}\n",
                        units.join(", ")
                    )));
                }
                let mut table = Table::new(["outcome", "file", "sentence"]);
                for s in &t.sentences {
                    let (outcome, detail) = outcome_cells(&s.outcome);
                    let outcome = if detail.is_empty() {
                        outcome.to_owned()
                    } else {
                        format!("{outcome}: {detail}")
                    };
                    let marked =
                        crate::evidence::split_marked(&s.passage.sentence, &s.passage.marks)
                            .into_iter()
                            .map(|(piece, term)| {
                                if term {
                                    format!("«{piece}»")
                                } else {
                                    piece.to_owned()
                                }
                            })
                            .collect::<String>();
                    table.push(vec![outcome, file(s.meeting).to_owned(), marked]);
                }
                out.push_str(&table.render());
            }
            out
        }
    }
}

/// How many suggestions `keywords --suggest` lists.
const SUGGESTED: usize = 20;

/// A suggestion as exported.
#[derive(Serialize)]
struct SuggestionRow<'a> {
    word: &'a str,
    with_theme: u32,
    elsewhere: u32,
    g2: f64,
    sample_file: &'a str,
    sample: &'a str,
}

/// Words that go with `theme` but are in no theme: candidates, never added.
pub fn suggested(
    analysis: &Analysis,
    theme: usize,
    format: super::Format,
    options: &Options,
) -> Written {
    let (found, unreadable) = crate::keywords::suggestions(analysis, theme, SUGGESTED, options);
    let rows: Vec<SuggestionRow> = found
        .iter()
        .map(|s| SuggestionRow {
            word: &s.word,
            with_theme: s.with_theme,
            elsewhere: s.elsewhere,
            g2: round(s.g2),
            sample_file: &analysis.meetings[s.sample.0].meeting.file,
            sample: &s.sample.1,
        })
        .collect();
    let out = match format {
        super::Format::Json => to_json(&rows),
        super::Format::Csv => {
            let mut out = "word,with_theme,elsewhere,g2,sample_file,sample\n".to_owned();
            for r in &rows {
                push_csv_row(
                    &mut out,
                    &[
                        r.word.to_owned(),
                        r.with_theme.to_string(),
                        r.elsewhere.to_string(),
                        r.g2.to_string(),
                        r.sample_file.to_owned(),
                        r.sample.to_owned(),
                    ],
                );
            }
            out
        }
        super::Format::Table => {
            let mut table = Table::new(["word", "with theme", "elsewhere", "G2", "sample"])
                .right_align(&[1, 2, 3]);
            for r in &rows {
                table.push(vec![
                    r.word.to_owned(),
                    r.with_theme.to_string(),
                    r.elsewhere.to_string(),
                    format!("{:.1}", r.g2),
                    format!("{}: {}", r.sample_file, r.sample),
                ]);
            }
            let name = &analysis.measurer.taxonomy.themes[theme].name;
            format!(
                "{}# candidates for {name}: words in no theme, in the sentences where it matched more than in its meetings' other sentences (sentences holding them; G2); none is added\n{}",
                header_line(analysis),
                table.render()
            )
        }
    };
    Written {
        out,
        notes: unreadable.iter().map(ToString::to_string).collect(),
    }
}
