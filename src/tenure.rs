//! Who held each unit's top offices when, as the meetings themselves say: the
//! secretary and head each report names ([`Meeting::leaders`]) become tenures — a name in
//! an office of a unit, from its first to its last dated sighting.
//!
//! Nothing is filled in. The time between one holder's last sighting and the next one's
//! first is unknown, and stays so; a sighting without a date gives no span; one name in
//! two units is two tenures. A sighting that contradicts the others (a second secretary
//! seen between two sightings of the first, two secretaries on one day) is kept as its own
//! tenure and flagged on both sides, with the meetings, for the user to judge.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::gazetteer::UnitRef;
use crate::meeting::{Date, Meeting, Office};

/// A name seen over less than this many days (first to last sighting) between two
/// sightings of another holder of the office contradicts them rather than interrupting
/// their tenure: an office does not change hands and back within a quarter…
pub const CONTRADICTION_DAYS: i64 = 92;
/// … provided the other holder is seen on both sides within this many days; across a
/// longer silence the name is a tenure of its own, if briefly seen.
pub const CONTRADICTION_SPAN_DAYS: i64 = 730;

/// One name in one office of one unit, over the meetings that show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tenure {
    /// The unit whose office it is.
    pub unit: UnitRef,
    /// Which office.
    pub office: Office,
    /// The holder's name as the reports print it.
    pub name: String,
    /// The last dated sighting in which the holder was acting (代区长), if any: a head
    /// seen acting and then confirmed keeps one tenure.
    pub acting_until: Option<Date>,
    /// Whether every sighting shows the holder acting.
    pub acting: bool,
    /// The first and last dated sightings; None when every sighting is undated.
    pub first_seen: Option<Date>,
    /// See `first_seen`.
    pub last_seen: Option<Date>,
    /// The meetings that show the holder in the office (indices in the corpus order),
    /// dated ones by date, then the undated.
    pub meetings: Vec<usize>,
    /// Whether the tenure is in the office's line of holders: dated, and not a short run
    /// of sightings set aside as contradicting another holder's tenure around it.
    pub in_line: bool,
    /// What a user should judge before trusting it.
    pub flags: Vec<Flag>,
}

/// Why a tenure needs a look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "flag", rename_all = "kebab-case")]
pub enum Flag {
    /// Another name is seen in the office inside this tenure, or this tenure inside
    /// another's, or both on one day: the other name and the meetings of the conflict.
    Conflict {
        /// The other name.
        other: String,
        /// The meetings that show the other name in the conflict, and the meetings of
        /// this tenure around them.
        meetings: Vec<usize>,
    },
    /// No sighting has a date: the tenure has no span.
    Undated,
}

impl Flag {
    /// The flag as a table cell names it: `conflict with 李四 (a.txt, b.txt)`, `undated`.
    pub fn describe(&self, file_of: impl Fn(usize) -> String) -> String {
        match self {
            Flag::Conflict { other, meetings } => {
                let files: Vec<String> = meetings.iter().map(|&m| file_of(m)).collect();
                format!("conflict with {other} ({})", files.join(", "))
            }
            Flag::Undated => "undated".to_owned(),
        }
    }
}

/// One sighting: a meeting that names `name` in the office.
#[derive(Debug, Clone)]
struct Sighting<'m> {
    meeting: usize,
    name: &'m str,
    date: Option<Date>,
    acting: bool,
}

/// A run of consecutive dated sightings of one name, before it becomes a tenure.
#[derive(Debug)]
struct Run<'m> {
    name: &'m str,
    sightings: Vec<Sighting<'m>>,
    /// The other names and meetings it conflicts with.
    conflicts: Vec<(String, Vec<usize>)>,
    /// Set aside as contradicting the run around it.
    aside: bool,
}

impl Run<'_> {
    fn first(&self) -> Date {
        self.sightings[0].date.expect("runs hold dated sightings")
    }
    fn last(&self) -> Date {
        self.sightings[self.sightings.len() - 1]
            .date
            .expect("runs hold dated sightings")
    }
}

/// The tenures the meetings show, by unit id, office, then first sighting.
pub fn tenures<'m>(meetings: impl IntoIterator<Item = &'m Meeting>) -> Vec<Tenure> {
    // Hashed while collecting, sorted once at the end: a corpus has thousands of offices
    // and hundreds of thousands of sightings.
    let mut offices: FxHashMap<(&str, Office), (&UnitRef, Vec<Sighting>)> = FxHashMap::default();
    for (index, meeting) in meetings.into_iter().enumerate() {
        let Some(holder) = &meeting.district else {
            continue;
        };
        let unit = &holder.value.unit;
        for leader in &meeting.leaders {
            offices
                .entry((unit.id.as_str(), leader.office))
                .or_insert_with(|| (unit, Vec::new()))
                .1
                .push(Sighting {
                    meeting: index,
                    name: &leader.name,
                    date: meeting.date.as_ref().map(|d| d.value),
                    acting: leader.acting,
                });
        }
    }
    let mut offices: Vec<_> = offices.into_iter().collect();
    offices.sort_unstable_by_key(|(key, _)| *key);
    let mut out = Vec::new();
    for ((_, office), (unit, sightings)) in offices {
        out.extend(office_tenures(unit, office, sightings));
    }
    out
}

/// The tenures of one office of one unit.
fn office_tenures(unit: &UnitRef, office: Office, sightings: Vec<Sighting>) -> Vec<Tenure> {
    let (mut dated, undated): (Vec<Sighting>, Vec<Sighting>) =
        sightings.into_iter().partition(|s| s.date.is_some());
    dated.sort_by_key(|s| (s.date, s.meeting));
    let runs = line_of_holders(dated);
    let mut tenures: Vec<Tenure> = runs
        .into_iter()
        .map(|run| {
            let acting_until = run
                .sightings
                .iter()
                .filter(|s| s.acting)
                .filter_map(|s| s.date)
                .max();
            Tenure {
                unit: unit.clone(),
                office,
                name: run.name.to_owned(),
                acting_until,
                acting: run.sightings.iter().all(|s| s.acting),
                first_seen: Some(run.first()),
                last_seen: Some(run.last()),
                meetings: run.sightings.iter().map(|s| s.meeting).collect(),
                in_line: !run.aside,
                flags: conflict_flags(run.conflicts),
            }
        })
        .collect();
    // An undated sighting joins the one dated tenure of its name; with none (or
    // several: which one would be a guess) it is a tenure of its own, without a span.
    for sighting in undated {
        let mut same_name = tenures
            .iter_mut()
            .filter(|t| t.name == sighting.name && t.first_seen.is_some());
        match (same_name.next(), same_name.next()) {
            (Some(tenure), None) => {
                tenure.meetings.push(sighting.meeting);
                tenure.acting &= sighting.acting;
            }
            _ => match tenures
                .iter_mut()
                .find(|t| t.name == sighting.name && t.first_seen.is_none())
            {
                Some(tenure) => {
                    tenure.meetings.push(sighting.meeting);
                    tenure.acting &= sighting.acting;
                }
                None => tenures.push(Tenure {
                    unit: unit.clone(),
                    office,
                    name: sighting.name.to_owned(),
                    acting_until: None,
                    acting: sighting.acting,
                    first_seen: None,
                    last_seen: None,
                    meetings: vec![sighting.meeting],
                    in_line: false,
                    flags: vec![Flag::Undated],
                }),
            },
        }
    }
    tenures
}

/// One flag per other name, with all the meetings of the conflicts with it: a meeting
/// that names two holders on one day and also falls inside the other's tenure is one
/// conflict, not two.
fn conflict_flags(conflicts: Vec<(String, Vec<usize>)>) -> Vec<Flag> {
    let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for (other, meetings) in conflicts {
        if !by_name.contains_key(&other) {
            order.push(other.clone());
        }
        by_name.entry(other).or_default().extend(meetings);
    }
    order
        .into_iter()
        .map(|other| {
            let mut meetings = by_name.remove(&other).unwrap_or_default();
            meetings.sort_unstable();
            meetings.dedup();
            Flag::Conflict { other, meetings }
        })
        .collect()
}

/// Dated sightings, in date order, as runs of one name each: consecutive sightings of a
/// name are one run; a short run between two runs of one other name contradicts it and
/// is set aside (flagged on both) while the other's run goes on across it; two names seen
/// on one day are flagged on both.
fn line_of_holders(dated: Vec<Sighting>) -> Vec<Run> {
    let mut line: Vec<Run> = Vec::new();
    let mut aside: Vec<Run> = Vec::new();
    for sighting in dated {
        match line.last_mut() {
            Some(run) if run.name == sighting.name => {
                run.sightings.push(sighting);
                continue;
            }
            _ => {}
        }
        // The run before the last is this name's, and the last is short: the last
        // contradicts it.
        let n = line.len();
        if n >= 2 && line[n - 2].name == sighting.name {
            let short = &line[n - 1];
            let silence = sighting.date.expect("dated").days_after(line[n - 2].last());
            if short.last().days_after(short.first()) < CONTRADICTION_DAYS
                && silence <= CONTRADICTION_SPAN_DAYS
            {
                let mut short = line.pop().expect("two runs");
                let holder = line.last_mut().expect("one run");
                let around = vec![
                    holder.sightings[holder.sightings.len() - 1].meeting,
                    sighting.meeting,
                ];
                let inside: Vec<usize> = short.sightings.iter().map(|s| s.meeting).collect();
                short.conflicts.push((holder.name.to_owned(), around));
                short.aside = true;
                holder.conflicts.push((short.name.to_owned(), inside));
                holder.sightings.push(sighting);
                aside.push(short);
                continue;
            }
        }
        let mut conflicts = Vec::new();
        if let Some(run) = line.last_mut() {
            if run.last() == sighting.date.expect("dated") {
                let theirs = run.sightings.iter().rev().find(|s| s.date == sighting.date);
                let theirs = theirs.expect("the last sighting is of that day").meeting;
                run.conflicts
                    .push((sighting.name.to_owned(), vec![sighting.meeting]));
                conflicts.push((run.name.to_owned(), vec![theirs]));
            }
        }
        line.push(Run {
            name: sighting.name,
            sightings: vec![sighting],
            conflicts,
            aside: false,
        });
    }
    line.extend(aside);
    line.sort_by_key(|run| (run.first(), run.sightings[0].meeting));
    line
}

/// A change of holder in an office: one tenure in the line of holders and the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    /// The outgoing tenure's index in the list [`tenures`] gave.
    pub before: usize,
    /// The incoming tenure's index.
    pub after: usize,
}

/// Every change of holder: for each unit and office, consecutive tenures of the line of
/// holders (dated, not a contradicting sighting) with different names.
pub fn changes(tenures: &[Tenure]) -> Vec<Change> {
    let line: Vec<usize> = (0..tenures.len()).filter(|&i| tenures[i].in_line).collect();
    line.windows(2)
        .filter(|w| {
            let (a, b) = (&tenures[w[0]], &tenures[w[1]]);
            a.unit.id == b.unit.id && a.office == b.office && a.name != b.name
        })
        .map(|w| Change {
            before: w[0],
            after: w[1],
        })
        .collect()
}
