//! View 4: the sentences behind a number, and the reader that opens a meeting's full text
//! at one of them.

use std::ops::Range;

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::{block, counted, fit, scroll_for};
use crate::analysis::{Analysis, Subject};
use crate::evidence::split_marked;
use crate::keywords::{Trial, TrialOutcome};
use crate::matching::Meaning;
use crate::measure::Explained;
use crate::text::{terminal_safe, width};
use crate::tui::app::{App, EvidenceQuery};
use crate::tui::style::Palette;

/// What the rows of the Evidence view are the sentences of.
#[derive(Clone, Copy)]
enum Shown<'a> {
    /// A number's evidence.
    Query(&'a EvidenceQuery),
    /// A term tried as a keyword (`T`).
    Trial(&'a Trial),
}

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, palette: Palette) {
    let dot = palette.dot();
    let Some(analysis) = app.analysis.as_deref() else {
        return;
    };
    let shown = match (app.trial.as_deref(), &app.evidence_query) {
        (Some(trial), _) => Shown::Trial(trial),
        (None, Some(query)) => Shown::Query(query),
        (None, None) => {
            let hint = "Enter on a theme bar, a heat-map cell or a timeline point shows the sentences behind it here.";
            frame.render_widget(
                Paragraph::new(hint).block(block("Evidence", true, palette)),
                area,
            );
            return;
        }
    };
    let (what, header) = match shown {
        Shown::Query(query) => (about(analysis, query, palette), None),
        Shown::Trial(trial) => {
            let theme = &analysis.measurer.taxonomy.themes[trial.theme].name;
            let header = trial_header(trial, theme, area.width.saturating_sub(2), palette);
            (format!("try “{}” for {theme}", trial.term), Some(header))
        }
    };
    let title = format!(
        "Evidence{dot}{what}{dot}{} sentences{dot}Enter: open the meeting",
        app.evidence.len()
    );
    let explained = app
        .explained
        .as_ref()
        .filter(|(row, _)| *row == app.evidence_row.min(app.evidence.len().saturating_sub(1)))
        .map(|(_, e)| e);
    let area = match explained {
        Some(explained) => {
            let [list, why_area] =
                Layout::vertical([Constraint::Min(4), Constraint::Length(6)]).areas(area);
            why(frame, why_area, analysis, explained, palette);
            list
        }
        None => area,
    };
    let inner_w = area.width.saturating_sub(2);
    let mut lines: Vec<Line<'static>> = header.into_iter().collect();
    // Two lines an item: where it is from, then the sentence.
    let per_page = usize::from(area.height.saturating_sub(2)).saturating_sub(lines.len()) / 2;
    let selected = app.evidence_row.min(app.evidence.len().saturating_sub(1));
    for (i, e) in app
        .evidence
        .iter()
        .enumerate()
        .skip(scroll_for(selected, per_page))
        .take(per_page)
    {
        let m = &analysis.meetings[e.meeting].meeting;
        let date = m
            .date
            .as_ref()
            .map_or("date unknown".to_owned(), |d| d.value.to_string());
        // A trial's row leads with what becomes of the term there, the conflict to see
        // before saving; a number's says its part (before, after) and its keywords.
        let (lead, tail) = match shown {
            Shown::Query(query) => (
                (query.within.as_ref())
                    .and_then(|w| w.part_of(e.meeting))
                    .map_or_else(String::new, |p| format!("{p}{dot}")),
                format!("{dot}{}", e.passage.keywords.join("、")),
            ),
            Shown::Trial(trial) => (
                (trial.sentences.get(i))
                    .map_or_else(String::new, |s| format!("{}{dot}", outcome(&s.outcome))),
                String::new(),
            ),
        };
        let head = format!("{lead}{}{dot}{}{dot}{date}{tail}", m.file, m.unit_cited());
        let style = if i == selected {
            palette.selected()
        } else {
            palette.dim()
        };
        lines.push(fit(
            Line::styled(terminal_safe(&head).into_owned(), style),
            inner_w,
            palette,
        ));
        lines.push(fit(
            marked(&e.passage.sentence, &e.passage.marks, palette),
            inner_w,
            palette,
        ));
    }
    if app.evidence.is_empty() {
        let empty = if app.evidence_load.is_some() {
            "reading the meetings…"
        } else {
            "no sentence matches"
        };
        lines.push(Line::styled(empty, palette.dim()));
    }
    let mut frame_block = block(&title, true, palette);
    // The meetings left out stay named on the frame while their sentences are shown.
    if let Some(first) = app.evidence_unreadable.first() {
        let more = app.evidence_unreadable.len() - 1;
        let note = if more > 0 {
            format!(" left out: {first}; and {more} more ")
        } else {
            format!(" left out: {first} ")
        };
        let note = fit(
            Line::styled(terminal_safe(&note).into_owned(), palette.warning()),
            inner_w,
            palette,
        );
        frame_block = frame_block.title_bottom(note);
    }
    frame.render_widget(Paragraph::new(lines).block(frame_block), area);
}

/// What a number's evidence is of, for the view's title: `招商引资 · 红旗区 · 2024`.
fn about(analysis: &Analysis, query: &EvidenceQuery, palette: Palette) -> String {
    let dot = palette.dot();
    let subject = match &query.subject {
        Subject::Theme(theme) => analysis.measurer.taxonomy.themes[*theme].name.clone(),
        Subject::Word(word) => format!("“{word}”"),
        Subject::Term(series) => format!("“{}”", series.label),
        Subject::Keyword { theme, keyword } => {
            let theme = &analysis.measurer.taxonomy.themes[*theme];
            format!("{} “{}”", theme.name, theme.keywords[*keyword].word)
        }
    };
    let place = match (&query.subject, &query.within) {
        // A trend's point names its own place and year: the whole corpus is no district.
        (Subject::Term(_), Some(within)) => within.label.clone(),
        (_, Some(within)) => format!("{}{dot}{}", query.district, within.label),
        (_, None) => format!("{}{dot}{}", query.district, query.year),
    };
    format!("{subject}{dot}{place}")
}

/// A trial's header line, `inner` cells wide: the term, its theme, what it would add, as
/// many of the units using it most as fit whole, and that nothing is saved.
fn trial_header(trial: &Trial, theme: &str, inner: u16, palette: Palette) -> Line<'static> {
    let dot = palette.dot();
    let mut head = format!(
        "try {} for {theme}: {} in {}",
        trial.term,
        counted(usize::try_from(trial.hits).unwrap_or(usize::MAX), "hit"),
        counted(trial.meetings, "meeting")
    );
    if !trial.unreadable.is_empty() {
        let left_out = counted(trial.unreadable.len(), "meeting");
        head.push_str(&format!("{dot}{left_out} left out"));
    }
    let tail = format!("{}not saved", palette.aside());
    // A unit cut in the middle could read as another unit: each fits whole, or a mark
    // says there are more.
    let room = usize::from(inner).saturating_sub(width(&head) + width(&tail));
    let mut units = String::new();
    for (i, (unit, n)) in trial.units.iter().enumerate() {
        let gap = if i == 0 { dot } else { ", " };
        let unit = format!("{gap}{unit} {n}");
        let more = if i + 1 < trial.units.len() {
            width(", ") + width(palette.ellipsis())
        } else {
            0
        };
        if width(&units) + width(&unit) + more > room {
            units.push_str(gap);
            units.push_str(palette.ellipsis());
            break;
        }
        units.push_str(&unit);
    }
    let line = Line::styled(
        terminal_safe(&format!("{head}{units}{tail}")).into_owned(),
        palette.title(),
    );
    fit(line, inner, palette)
}

/// What becomes of a tried term in a sentence, as its row says it.
fn outcome(outcome: &TrialOutcome) -> String {
    match outcome {
        TrialOutcome::Counted => "counts".to_owned(),
        TrialOutcome::TakenBy(theme, keyword) => format!("taken by {theme}: {keyword}"),
        TrialOutcome::Excluded(theme, phrase) => format!("excluded ({theme}: {phrase})"),
        TrialOutcome::NotAWord(words) => format!("not a word: {words}"),
    }
}

/// Why the selected sentence counts: its words with `│` between them, each keyword run
/// marked with its theme, each excluded phrase struck out and named.
fn why(
    frame: &mut Frame<'_>,
    area: Rect,
    analysis: &Analysis,
    explained: &Explained,
    palette: Palette,
) {
    let themes = &analysis.measurer.taxonomy.themes;
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut i = 0;
    let mut runs = explained.spans.iter().peekable();
    while i < explained.words.len() {
        if i > 0 {
            spans.push(Span::styled("│", palette.dim()));
        }
        match runs.peek().filter(|r| r.first == i).copied() {
            Some(run) => {
                runs.next();
                let words = explained.words[i..(i + run.words).min(explained.words.len())]
                    .iter()
                    .map(|w| terminal_safe(w).into_owned())
                    .collect::<Vec<_>>()
                    .join("│");
                match run.meaning {
                    Meaning::Keyword { theme, .. } => {
                        spans.push(Span::styled(format!("«{words}»"), palette.keyword()));
                        spans.push(Span::styled(
                            format!("{} ", themes[theme].name),
                            palette.theme(&themes[theme].name),
                        ));
                    }
                    Meaning::Excluded { theme } => {
                        spans.push(Span::styled(
                            format!("~{words}~"),
                            palette.dim().add_modifier(Modifier::CROSSED_OUT),
                        ));
                        spans.push(Span::styled(
                            format!("not {} ", themes[theme].name),
                            palette.dim(),
                        ));
                    }
                }
                i += run.words.max(1);
            }
            None => {
                spans.push(Span::raw(terminal_safe(&explained.words[i]).into_owned()));
                i += 1;
            }
        }
    }
    let dot = palette.dot();
    let title = format!(
        "Why it counts{dot}│ between words{dot}«keyword» theme{dot}~excluded~{dot}x: close"
    );
    frame.render_widget(
        Paragraph::new(Line::from(spans))
            .wrap(ratatui::widgets::Wrap { trim: false })
            .block(block(&title, false, palette)),
        area,
    );
}

/// A sentence with its keywords styled; made terminal-safe piece by piece so the byte
/// ranges of the marks stay valid.
pub(super) fn marked(sentence: &str, marks: &[Range<usize>], palette: Palette) -> Line<'static> {
    let spans: Vec<Span<'static>> = split_marked(sentence, marks)
        .into_iter()
        .map(|(piece, keyword)| {
            let piece = terminal_safe(piece).into_owned();
            if keyword {
                Span::styled(piece, palette.keyword())
            } else {
                Span::raw(piece)
            }
        })
        .collect();
    Line::from(spans)
}

/// The open meeting's cleaned text, wrapped between characters, the evidence sentence
/// highlighted: its own span, not the whole lines it shares with other sentences.
pub fn reader(frame: &mut Frame<'_>, area: Rect, app: &App, palette: Palette) {
    let dot = palette.dot();
    let (Some(analysis), Some(reader)) = (app.analysis.as_deref(), app.reader.as_ref()) else {
        return;
    };
    let m = &analysis.meetings[reader.meeting].meeting;
    let title = format!(
        "{}{dot}{}{dot}{}{dot}Esc: back",
        m.file,
        m.district
            .as_ref()
            .map_or("district unknown", |d| d.value.unit.name.as_str()),
        m.year
            .as_ref()
            .map_or("year unknown".to_owned(), |y| y.value.to_string())
    );
    let lines = &reader.lines;
    let height = usize::from(area.height.saturating_sub(2));
    let first = reader.scroll.min(lines.len().saturating_sub(height));
    let shown: Vec<Line<'static>> = lines
        .iter()
        .skip(first)
        .take(height)
        .map(|l| {
            // The part of the sentence on this line, in the line's own byte offsets.
            let lit = reader.highlight.as_ref().and_then(|h| {
                let start = h.start.max(l.start) - l.start;
                let end = h.end.min(l.start + l.text.len()).saturating_sub(l.start);
                (start < end).then_some(start..end)
            });
            marked(&l.text, lit.as_slice(), palette)
        })
        .collect();
    frame.render_widget(
        Paragraph::new(shown).block(block(&title, true, palette)),
        area,
    );
}
