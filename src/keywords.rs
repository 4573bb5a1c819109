//! Which keywords carry a theme: each keyword's weighted hits over the corpus, the
//! meetings and units that use it and its share of the theme's hits, so that the few
//! words that make a theme's numbers — and the ones that make them wrongly — are seen at
//! once. From the per-meeting keyword counts the analysis keeps; no text is read but for
//! a sample sentence.

use rustc_hash::FxHashSet;

use crate::analysis::Analysis;
use crate::error::Error;
use crate::ingest::Options;
use crate::measure::Passage;

/// One keyword of a theme over the corpus.
#[derive(Debug, Clone, PartialEq)]
pub struct KeywordUse {
    /// The keyword's index in its theme.
    pub keyword: usize,
    /// The keyword, as the theme file spells it.
    pub word: String,
    /// Its weight in the theme.
    pub weight: f64,
    /// Times it matched, unweighted.
    pub count: u64,
    /// Times it matched, weighted: what it adds to the theme's hits.
    pub hits: f64,
    /// Its share of the theme's weighted hits over the corpus, 0–1.
    pub share: f64,
    /// Meetings it matched in, by index in the corpus order.
    pub meetings: Vec<usize>,
    /// Units (holders) whose meetings it matched in; meetings without a holder add none.
    pub units: usize,
}

/// Every keyword of `theme` over the corpus, those that carry most first (ties by the
/// theme file's order); keywords that never matched come last, with zero hits.
pub fn keyword_uses(analysis: &Analysis, theme: usize) -> Vec<KeywordUse> {
    keyword_uses_in(analysis, theme, 0..analysis.meetings.len())
}

/// [`keyword_uses`] over the meetings `meetings` only (a district-year's): shares are of
/// the theme's hits in them.
pub fn keyword_uses_in(
    analysis: &Analysis,
    theme: usize,
    meetings: impl IntoIterator<Item = usize>,
) -> Vec<KeywordUse> {
    let Some(spec) = analysis.measurer.taxonomy.themes.get(theme) else {
        return Vec::new();
    };
    let mut uses: Vec<KeywordUse> = spec
        .keywords
        .iter()
        .enumerate()
        .map(|(keyword, k)| KeywordUse {
            keyword,
            word: k.word.clone(),
            weight: k.weight,
            count: 0,
            hits: 0.0,
            share: 0.0,
            meetings: Vec::new(),
            units: 0,
        })
        .collect();
    let mut units: Vec<FxHashSet<&str>> = vec![FxHashSet::default(); uses.len()];
    for m in meetings {
        let Some(measured) = analysis.meetings.get(m) else {
            continue;
        };
        for k in &measured.measures.keywords {
            if k.theme as usize != theme {
                continue;
            }
            let Some(u) = uses.get_mut(k.keyword as usize) else {
                continue;
            };
            u.count += u64::from(k.count());
            u.meetings.push(m);
            if let Some(holder) = &measured.meeting.district {
                units[u.keyword].insert(holder.value.unit.id.as_str());
            }
        }
    }
    let total: f64 = uses
        .iter_mut()
        .map(|u| {
            u.hits = u.weight * u.count as f64;
            u.hits
        })
        .sum();
    for u in &mut uses {
        u.units = units[u.keyword].len();
        u.share = if total > 0.0 { u.hits / total } else { 0.0 };
    }
    uses.sort_by(|a, b| b.hits.total_cmp(&a.hits).then(a.keyword.cmp(&b.keyword)));
    uses
}

/// A sentence where the keyword matched, from the first of its meetings whose text can
/// still be read; None when it never matched. The meetings that could not be read are
/// returned too, so that a missing sample is explained.
pub fn sample(
    analysis: &Analysis,
    theme: usize,
    keyword: &KeywordUse,
    options: &Options,
) -> (Option<(usize, Passage)>, Vec<Error>) {
    let mut unreadable = Vec::new();
    for &m in &keyword.meetings {
        match analysis.text(m, options) {
            Ok(text) => {
                let found = analysis
                    .measurer
                    .passages(&text, theme)
                    .into_iter()
                    .find(|p| p.keywords.contains(&keyword.word));
                if let Some(passage) = found {
                    return (Some((m, passage)), unreadable);
                }
            }
            Err(why) => unreadable.push(why),
        }
    }
    (None, unreadable)
}
