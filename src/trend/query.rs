//! What a trend query asks for: series of terms, each term any string of Chinese.
//!
//! A query is one or more series separated by commas (`,` or `，`); a series is one
//! term or several joined by `+`, whose hits add up; a term is a literal string, found
//! in the cleaned text wherever it stands (across the segmenter's words too), in which
//! `*` stands for one to four Han characters. Terms are put in the form the cleaned
//! texts are in — simplified, punctuation and width normalised — so a simplified query
//! finds a traditional report, and the other way round.

use std::ops::Range;

use regex::bytes::Regex;

use crate::error::Error;

/// A term longer than this many characters is no slogan or policy word but a pasted
/// sentence; it is refused rather than searched for.
pub const MAX_TERM_CHARS: usize = 64;

/// How many Han characters a `*` stands for at most. Enough for the variable part of a
/// slogan (`一件事*办` → 一件事一次办), few enough that a wildcard stays inside a phrase.
pub const WILDCARD_CHARS: usize = 4;

/// A parsed query: the series it asks for, in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The series, each drawn as one line.
    pub series: Vec<Series>,
}

/// One line of a trend: the hits of its terms added up.
#[derive(Debug, Clone)]
pub struct Series {
    /// The series as it is named on screen and in tables: its terms in their normal
    /// form, joined by `+`.
    pub label: String,
    /// Its terms, in their normal form, in the order given.
    pub terms: Vec<String>,
    /// The terms as one pattern, the longest first: where two of them start at the same
    /// place (河长 and 河长制), the longer counts, once.
    pattern: Regex,
}

/// Two series are the same when they are named the same: the pattern is made from the
/// label's terms.
impl PartialEq for Series {
    fn eq(&self, other: &Series) -> bool {
        self.label == other.label
    }
}

impl Eq for Series {}

impl Query {
    /// The query `text` (series separated by commas), or why it cannot mean anything.
    pub fn parse(text: &str) -> Result<Query, Error> {
        Query::parse_all([text])
    }

    /// The series of every argument in turn, each argument a query of its own (as a
    /// command line gives them).
    pub fn parse_all<'a>(texts: impl IntoIterator<Item = &'a str>) -> Result<Query, Error> {
        let mut series: Vec<Series> = Vec::new();
        for text in texts {
            for part in text.split([',', '，']) {
                let one = Series::parse(part, text)?;
                // The same series asked twice is drawn once.
                if !series.contains(&one) {
                    series.push(one);
                }
            }
        }
        if series.is_empty() {
            return Err(refused("", "an empty query: give a term to look for"));
        }
        Ok(Query { series })
    }
}

impl Series {
    /// The series `text` (terms joined by `+`), part of the query `whole`.
    fn parse(text: &str, whole: &str) -> Result<Series, Error> {
        let text = text.trim();
        if text.is_empty() {
            let reason = if whole.trim().is_empty() {
                "an empty query: give a term to look for"
            } else {
                "an empty term between commas"
            };
            return Err(refused(whole, reason));
        }
        let mut terms: Vec<String> = Vec::new();
        for term in text.split('+') {
            let term = normal_term(term)?;
            if !terms.contains(&term) {
                terms.push(term);
            }
        }
        let mut longest_first: Vec<&String> = terms.iter().collect();
        longest_first.sort_by_key(|t| std::cmp::Reverse(t.chars().count()));
        let alternatives: Vec<String> = longest_first.iter().map(|t| pattern_of(t)).collect();
        let pattern = Regex::new(&alternatives.join("|"))
            .map_err(|e| refused(text, &format!("cannot be searched for: {e}")))?;
        Ok(Series {
            label: terms.join("+"),
            terms,
            pattern,
        })
    }

    /// Where the series' terms stand in `text`, in order, none overlapping.
    pub fn find_iter<'t>(&'t self, text: &'t [u8]) -> impl Iterator<Item = Range<usize>> + 't {
        self.pattern.find_iter(text).map(|m| m.range())
    }

    /// How many times the series' terms stand in `text`, and where the first begins.
    pub fn count(&self, text: &[u8]) -> (u32, Option<usize>) {
        let mut found = self.find_iter(text);
        let Some(first) = found.next() else {
            return (0, None);
        };
        let hits = 1 + found.count();
        (u32::try_from(hits).unwrap_or(u32::MAX), Some(first.start))
    }
}

fn refused(term: &str, reason: &str) -> Error {
    Error::Term {
        term: term.trim().to_owned(),
        reason: reason.to_owned(),
    }
}

/// `term` in the form the cleaned texts are in, or why it cannot be searched for.
fn normal_term(term: &str) -> Result<String, Error> {
    let term = term.trim();
    if term.is_empty() {
        return Err(refused(term, "an empty term beside `+`"));
    }
    let length = term.chars().count();
    if length > MAX_TERM_CHARS {
        return Err(refused(
            term,
            &format!("{length} characters; a term has at most {MAX_TERM_CHARS}"),
        ));
    }
    let normal = crate::clean::normal_form(term);
    if !normal.chars().any(|c| c != '*' && c.is_alphanumeric()) {
        let reason = if normal.contains('*') {
            "a wildcard with nothing around it: `*` stands for up to four characters inside a term, as in 河长*"
        } else {
            "only punctuation or spaces: nothing to look for"
        };
        return Err(refused(term, reason));
    }
    Ok(normal)
}

/// The pattern of one term: its text literally, each `*` one to four Han characters
/// (as few as make a match, so that a trailing wildcard takes the word, not the clause).
fn pattern_of(term: &str) -> String {
    let wildcard = format!(r"\p{{Han}}{{1,{WILDCARD_CHARS}}}?");
    term.split('*')
        .map(regex::escape)
        .collect::<Vec<_>>()
        .join(&wildcard)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(query: &str, text: &str) -> Vec<u32> {
        Query::parse(query)
            .unwrap()
            .series
            .iter()
            .map(|s| s.count(text.as_bytes()).0)
            .collect()
    }

    fn refusal(query: &str) -> String {
        match Query::parse(query) {
            Err(Error::Term { reason, .. }) => reason,
            other => panic!("{query:?} was not refused: {other:?}"),
        }
    }

    #[test]
    fn series_terms_and_wildcards_count_what_they_say() {
        let text = "落实河长制和湖长制，河长巡河，河长办督办。一件事一次办，一件事马上办。";
        assert_eq!(hits("河长制, 湖长制", text), vec![1, 1]);
        assert_eq!(hits("河长制+湖长制", text), vec![2]);
        // A wildcard takes one to four Han characters, as few as match.
        assert_eq!(hits("河长*", text), vec![3]);
        assert_eq!(hits("一件事*办", text), vec![2]);
        // Overlapping terms of one series count each place once, the longer first.
        assert_eq!(hits("河长+河长制", text), vec![3]);
        let series = &Query::parse("河长*").unwrap().series[0];
        let found: Vec<&str> = series
            .find_iter(text.as_bytes())
            .map(|r| &text[r])
            .collect();
        assert_eq!(found, ["河长制", "河长巡", "河长办"]);
    }

    #[test]
    fn traditional_and_full_width_queries_are_put_in_the_texts_form() {
        let query = Query::parse("新質生產力，ＰＰＰ模式").unwrap();
        let labels: Vec<&str> = query.series.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["新质生产力", "PPP模式"]);
        // The same series twice is one.
        assert_eq!(Query::parse("放管服,放管服").unwrap().series.len(), 1);
    }

    #[test]
    fn a_query_that_cannot_mean_anything_says_why() {
        assert!(refusal("").contains("empty query"));
        assert!(refusal("  ").contains("empty query"));
        assert!(refusal("放管服,,河长制").contains("between commas"));
        assert!(refusal("河长制+").contains("beside `+`"));
        assert!(refusal("。！、").contains("only punctuation"));
        assert!(refusal("*").contains("wildcard with nothing around it"));
        assert!(refusal(&"长".repeat(65)).contains("at most 64"));
        assert!(Query::parse(&"长".repeat(64)).is_ok());
    }
}
