//! The update step's part for the Trends view: queries asked and answered, the keys of
//! the view, and Enter on a point or a first mention.

use std::sync::Arc;

use super::{App, EvidenceQuery, Within};
use crate::aggregate::{District, GroupLevel, YearKey};
use crate::analysis::Subject;
use crate::trend::{Found, Query, Series};
use crate::tui::keymap::Action;
use crate::tui::message::Job;
use crate::tui::trends::{
    TrendAnswer, TrendFocus, TrendLoad, TrendScope, TrendValue, Trends, MAX_SMOOTHING,
};

/// The key of a query in the answers: its series' labels, as the query line shows them.
fn key_of(query: &Query) -> String {
    let labels: Vec<&str> = query.series.iter().map(|s| s.label.as_str()).collect();
    labels.join(", ")
}

impl App {
    /// A query typed in the Trends view: shown at once if answered before, else asked
    /// of a worker; a query that cannot mean anything says why and changes nothing.
    pub(super) fn ask_trend(&mut self, text: &str) {
        let query = match Query::parse(text) {
            Ok(query) => query,
            Err(why) => {
                let why = why.to_string();
                self.status = Some(why.clone());
                self.trends.error = Some(why);
                return;
            }
        };
        self.trends.error = None;
        let key = key_of(&query);
        self.trends.history.retain(|q| *q != key);
        self.trends.history.push(key.clone());
        self.show_trend(query, key, None);
    }

    /// Shows the query's answer, asking a worker for it unless it is at hand for the
    /// analysis and level shown. `found` is what a search of this analysis found, if
    /// only the pooling is to be done again.
    fn show_trend(&mut self, query: Query, key: String, found: Option<Found>) {
        if let Some(old) = self.trends.load.take() {
            old.ticket.cancel();
        }
        let Some(analysis) = self.analysis.clone() else {
            return;
        };
        if self.trends.shown.as_ref() != Some(&key) {
            self.trends.line = 0;
            self.trends.year = usize::MAX;
            self.trends.first_mention = 0;
        }
        self.trends.shown = Some(key.clone());
        if self
            .trends
            .answers
            .get(&key)
            .is_some_and(|a| a.level == self.level)
        {
            self.clamp_trend_selection();
            return;
        }
        let ticket = self.ticket();
        self.trends.load = Some(TrendLoad {
            ticket: ticket.clone(),
            key,
            done: 0,
            total: analysis.meetings.len(),
        });
        self.jobs.push(Job::Trend {
            ticket,
            analysis,
            query,
            found,
            level: self.level,
            options: self.options.clone(),
        });
    }

    /// The Trends view shown: the analysis's texts are made ready for a search on a
    /// worker while the first query is typed, once per analysis.
    pub(super) fn prepare_trends(&mut self) {
        let Some(analysis) = self.analysis.clone() else {
            return;
        };
        let prepared = self.trends.prepared.as_ref();
        if !prepared.is_some_and(|p| std::ptr::eq(p.as_ptr(), Arc::as_ptr(&analysis))) {
            self.trends.prepared = Some(Arc::downgrade(&analysis));
            self.jobs.push(Job::PrepareSearch { analysis });
        }
    }

    /// A worker's news of the search under way.
    pub(super) fn trend_progress(&mut self, ticket: u64, done: usize, total: usize) -> bool {
        match self.trends.load.as_mut().filter(|l| l.ticket.id == ticket) {
            Some(load) => {
                (load.done, load.total) = (done, total);
                true
            }
            None => false,
        }
    }

    /// A query answered: kept for the session, and shown if it is the one awaited.
    pub(super) fn trend_arrived(&mut self, ticket: u64, answer: Arc<TrendAnswer>) -> bool {
        let Some(load) = self.trends.load.take_if(|l| l.ticket.id == ticket) else {
            return false;
        };
        if !answer.found.unread.is_empty() {
            self.status = Some(format!(
                "{} could not be read: their mentions are not counted ({})",
                crate::tui::draw::counted_meetings(answer.found.unread.len()),
                answer.found.unread[0]
            ));
        }
        self.trends.answers.insert(load.key, answer);
        self.clamp_trend_selection();
        true
    }

    /// Another analysis or level is shown: the answers were of the old one. The query
    /// shown is asked again — a new analysis searched anew, at another level only its
    /// lines pooled again — except of a partial analysis: the query waits for the
    /// corpus to be read (each part would be searched in turn, its files read again).
    pub(super) fn trends_outdated(&mut self, new_analysis: bool) {
        let found = match new_analysis {
            false => self.trends.answer().map(|a| a.found.clone()),
            true => None,
        };
        if new_analysis {
            self.trends.answers.clear();
        }
        if let Some(load) = self.trends.load.take() {
            load.ticket.cancel();
        }
        let Some(key) = self.trends.shown.clone() else {
            return;
        };
        if matches!(self.load, super::CorpusLoad::Partial { .. }) {
            return;
        }
        // The key is the query's labels, which parse back to the same query.
        if let Ok(query) = Query::parse(&key) {
            self.show_trend(query, key, found);
        }
    }

    /// Esc in the Trends view: stops a search under way. Returns whether it did.
    pub(super) fn stop_trend(&mut self) -> bool {
        let Some(load) = self.trends.load.take() else {
            return false;
        };
        load.ticket.cancel();
        self.status = Some(format!("search for {} stopped", load.key));
        // What was shown before the query stays, if anything was.
        if self.trends.shown.as_ref() == Some(&load.key) {
            self.trends.shown = None;
        }
        true
    }

    /// The Trends view's own keys: the value, the smoothing, whose lines, the focus.
    pub(super) fn trend_key(&mut self, action: Action) {
        let trends = &mut self.trends;
        match action {
            Action::CycleMeasure => {
                trends.value = match trends.value {
                    TrendValue::Per10k => TrendValue::Share,
                    TrendValue::Share => TrendValue::Per10k,
                }
            }
            Action::CycleSmoothing => {
                trends.smoothing = (trends.smoothing + 1) % (MAX_SMOOTHING + 1)
            }
            Action::CycleTrendScope => {
                trends.scope = trends.scope.next();
                trends.line = 0;
            }
            Action::FocusNext | Action::FocusPrevious => {
                trends.focus = match trends.focus {
                    TrendFocus::Chart => TrendFocus::Adoption,
                    TrendFocus::Adoption => TrendFocus::Chart,
                }
            }
            _ => {}
        }
        self.clamp_trend_selection();
    }

    /// The arrows in the Trends view: a line and a year of the chart, or a first mention.
    pub(super) fn move_in_trends(&mut self, action: Action) {
        let (lines, years, mentions) = self.trend_sizes();
        let trends = &mut self.trends;
        let (index, len) = match (trends.focus, action) {
            (TrendFocus::Adoption, _) => (&mut trends.first_mention, mentions),
            (TrendFocus::Chart, Action::Left | Action::Right) => (&mut trends.year, years),
            (TrendFocus::Chart, _) => (&mut trends.line, lines),
        };
        let last = len.saturating_sub(1);
        *index = match action {
            Action::Up | Action::Left => index.saturating_sub(1),
            Action::Down | Action::Right => (*index + 1).min(last),
            Action::Top => 0,
            Action::Bottom => last,
            Action::HalfPageDown => (*index + 10).min(last),
            Action::HalfPageUp => index.saturating_sub(10),
            _ => *index,
        };
    }

    /// Lines drawn, years on the axis, first mentions listed.
    fn trend_sizes(&self) -> (usize, usize, usize) {
        let Some(answer) = self.trends.answer() else {
            return (0, 0, 0);
        };
        let lines = self.trends.lines(answer, &self.pinned);
        let years = Trends::years(&lines).len();
        let series = lines.get(self.trends.line).map_or(0, |l| l.series);
        let mentions = answer.adoption.get(series).map_or(0, |a| a.first.len());
        (lines.len(), years, mentions)
    }

    /// Keeps the selections within what the answer shows; a year not chosen yet is the
    /// last.
    fn clamp_trend_selection(&mut self) {
        let (lines, years, mentions) = self.trend_sizes();
        let trends = &mut self.trends;
        trends.line = trends.line.min(lines.saturating_sub(1));
        trends.year = trends.year.min(years.saturating_sub(1));
        trends.first_mention = trends.first_mention.min(mentions.saturating_sub(1));
    }

    /// Enter in the Trends view: the sentences behind the selected point, or the first
    /// mention selected.
    pub(super) fn drill_trends(&mut self) {
        let (Some(analysis), Some(answer)) = (self.analysis.clone(), self.trends.answer().cloned())
        else {
            return;
        };
        let lines = self.trends.lines(&answer, &self.pinned);
        let Some(shown) = lines.get(self.trends.line) else {
            return;
        };
        let series = &answer.found.query.series[shown.series];
        let mentions = &answer.found.series[shown.series];
        if self.trends.focus == TrendFocus::Adoption {
            let Some(first) = answer.adoption[shown.series]
                .first
                .get(self.trends.first_mention)
            else {
                return;
            };
            let district = District::Unit(first.unit.clone());
            let label = format!("{}, first mention", first.unit.label());
            self.open_trend_evidence(
                series.clone(),
                district,
                GroupLevel::County,
                label,
                vec![first.meeting],
            );
            return;
        }
        let years = Trends::years(&lines);
        let Some(&year) = years.get(self.trends.year) else {
            return;
        };
        let (district, level, meetings, place) = match shown.district {
            None => {
                let meetings: Vec<usize> = analysis
                    .at(GroupLevel::County)
                    .all
                    .iter()
                    .filter(|g| g.year == YearKey::Year(year))
                    .flat_map(|g| mentions.among(&g.meetings))
                    .collect();
                (
                    District::Unknown,
                    GroupLevel::County,
                    meetings,
                    "whole corpus".to_owned(),
                )
            }
            Some(district) => {
                let level = if self.trends.scope == TrendScope::Provinces {
                    GroupLevel::Province
                } else {
                    answer.level
                };
                let meetings = analysis
                    .at(level)
                    .group(district.key(), YearKey::Year(year))
                    .map_or_else(Vec::new, |g| mentions.among(&g.meetings));
                (district.clone(), level, meetings, district.to_string())
            }
        };
        if meetings.is_empty() {
            self.status = Some(format!(
                "{} · {place} · {year}: no meeting mentions it",
                series.label
            ));
            return;
        }
        let mut sorted = meetings;
        sorted.sort_unstable();
        let label = format!("{place} · {year}");
        self.open_trend_evidence(series.clone(), district, level, label, sorted);
    }

    fn open_trend_evidence(
        &mut self,
        series: Series,
        district: District,
        level: GroupLevel,
        label: String,
        meetings: Vec<usize>,
    ) {
        self.open_evidence(EvidenceQuery {
            subject: Subject::Term(series),
            district,
            level,
            year: YearKey::AllYears,
            within: Some(Within {
                label,
                meetings,
                parts: Vec::new(),
            }),
        });
    }

    /// ↑/↓ in the query line: the queries typed before, latest first.
    pub(super) fn query_history(&mut self, older: bool) -> Option<String> {
        let trends = &mut self.trends;
        let n = trends.history.len();
        if n == 0 {
            return None;
        }
        let at = match (trends.history_at, older) {
            (None, true) => n - 1,
            (None, false) => return None,
            (Some(at), true) => at.saturating_sub(1),
            (Some(at), false) if at + 1 >= n => {
                trends.history_at = None;
                return Some(String::new());
            }
            (Some(at), false) => at + 1,
        };
        trends.history_at = Some(at);
        Some(trends.history[at].clone())
    }
}
