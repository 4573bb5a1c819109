//! `zhongdian keywords`: which keywords carry a theme, with a sentence each.

use serde::Serialize;

use super::export::{push_csv_row, to_json};
use super::report::{header_line, round};
use super::table::Table;
use crate::analysis::Analysis;
use crate::ingest::Options;
use crate::keywords::{keyword_uses, sample, KeywordUse};

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
    let mut notes = Vec::new();
    let rows = uses
        .iter()
        .map(|u| {
            let (found, unreadable) = sample(analysis, theme, u, options);
            notes.extend(unreadable.iter().map(ToString::to_string));
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
