//! When each unit first said a term, and how the share of units that had said it grew:
//! the cumulative adoption curve of policy-diffusion studies, from the corpus.
//!
//! Only units' meetings count: a meeting whose holder is not known (or is one of several
//! units) belongs to no unit. A unit whose only mentions are in meetings without a work
//! year has adopted, but not in a known year: it is listed, and the curve does not
//! count it. A unit counts in a year's denominator only if it has a report that year,
//! so a gap in the corpus is not read as a unit that had not adopted.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::Mentions;
use crate::aggregate::{District, Group, YearKey};
use crate::analysis::Analysis;
use crate::gazetteer::UnitRef;
use crate::meeting::Date;

/// A unit's first meeting that mentions the term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstMention {
    /// The unit.
    pub unit: UnitRef,
    /// The meeting, by index in [`Analysis::meetings`].
    pub meeting: usize,
    /// Its work year; None when none of the unit's mentions has one.
    pub year: Option<i32>,
    /// The day it met, if known.
    pub date: Option<Date>,
}

/// One year of the adoption curve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CurvePoint {
    /// The work year.
    pub year: i32,
    /// Units with at least one report this year.
    pub reporting: usize,
    /// Of those, the units that had mentioned the term this year or before.
    pub adopted: usize,
}

impl CurvePoint {
    /// The share of reporting units that had adopted, 0–1; None in a year no unit
    /// reports.
    pub fn share(&self) -> Option<f64> {
        (self.reporting > 0).then(|| self.adopted as f64 / self.reporting as f64)
    }
}

/// How a term spread over a corpus's units.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Adoption {
    /// Each adopting unit's first mention, the earliest first (by work year, then day,
    /// then unit), those of no known year last.
    pub first: Vec<FirstMention>,
    /// The units with reports that never mention the term, by name.
    pub not_yet: Vec<UnitRef>,
    /// Every year from the first to the last with a unit's dated report.
    pub curve: Vec<CurvePoint>,
    /// Meetings that mention the term but belong to no unit: counted in the trend, not
    /// here.
    pub outside: usize,
}

impl Adoption {
    /// The median year of first mention over the adopting units (the earlier of the two
    /// middle ones for an even count); None if no unit adopted.
    pub fn median_year(&self) -> Option<i32> {
        let mut years: Vec<i32> = self.first.iter().filter_map(|f| f.year).collect();
        years.sort_unstable();
        years.get(years.len().saturating_sub(1) / 2).copied()
    }
}

/// The adoption of the series whose mentions are `mentions`, over the units of the
/// county-level `groups` of `analysis`.
pub fn adoption(analysis: &Analysis, groups: &[Group], mentions: &Mentions) -> Adoption {
    let mut units: Vec<&UnitRef> = Vec::new();
    let mut unit_of: FxHashMap<&str, usize> = FxHashMap::default();
    let mut reporting: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    let mut first: FxHashMap<usize, FirstMention> = FxHashMap::default();
    let mut outside = 0;
    for group in groups.iter().filter(|g| g.year != YearKey::AllYears) {
        let District::Unit(unit) = &group.district else {
            outside += mentions.among(&group.meetings).len();
            continue;
        };
        let u = *unit_of.entry(&unit.id).or_insert_with(|| {
            units.push(unit);
            units.len() - 1
        });
        let year = group.year.year();
        if let Some(year) = year {
            reporting.entry(year).or_default().push(u);
        }
        for m in mentions.among(&group.meetings) {
            let date = analysis.meetings[m].meeting.date.as_ref().map(|d| d.value);
            // A unit's groups come in year order, undated last: a later group's
            // meeting is never earlier. Within a year, a known day before an unknown
            // one.
            let earlier = first.get(&u).is_none_or(|f| {
                f.year == year && (date.is_some() && (f.date.is_none() || date < f.date))
            });
            if earlier {
                first.insert(
                    u,
                    FirstMention {
                        unit: unit.clone(),
                        meeting: m,
                        year,
                        date,
                    },
                );
            }
        }
    }
    let curve = match (reporting.keys().next(), reporting.keys().next_back()) {
        (Some(&from), Some(&to)) => (from..=to)
            .map(|year| {
                let there = reporting.get(&year).map_or(&[][..], Vec::as_slice);
                CurvePoint {
                    year,
                    reporting: there.len(),
                    adopted: there
                        .iter()
                        .filter(|u| {
                            first
                                .get(u)
                                .is_some_and(|f| f.year.is_some_and(|y| y <= year))
                        })
                        .count(),
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut not_yet: Vec<UnitRef> = (0..units.len())
        .filter(|u| !first.contains_key(u))
        .map(|u| units[u].clone())
        .collect();
    not_yet.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    let mut first: Vec<FirstMention> = first.into_values().collect();
    first.sort_by(|a, b| {
        let order = |f: &FirstMention| (f.year.is_none(), f.year);
        (order(a), a.date.is_none(), a.date, &a.unit.name, &a.unit.id).cmp(&(
            order(b),
            b.date.is_none(),
            b.date,
            &b.unit.name,
            &b.unit.id,
        ))
    });
    Adoption {
        first,
        not_yet,
        curve,
        outside,
    }
}
