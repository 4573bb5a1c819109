//! View 4: the sentences behind a number, and the reader that opens a meeting's full text
//! at one of them.

use std::ops::Range;

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::{block, fit, scroll_for};
use crate::analysis::Subject;
use crate::evidence::split_marked;
use crate::matching::Meaning;
use crate::measure::Explained;
use crate::text::terminal_safe;
use crate::tui::app::App;
use crate::tui::style::Palette;

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, palette: Palette) {
    let dot = palette.dot();
    let Some(analysis) = app.analysis.as_deref() else {
        return;
    };
    let Some(query) = &app.evidence_query else {
        let hint = "Enter on a theme bar, a heat-map cell or a timeline point shows the sentences behind it here.";
        frame.render_widget(
            Paragraph::new(hint).block(block("Evidence", true, palette)),
            area,
        );
        return;
    };
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
    let title = format!(
        "Evidence{dot}{subject}{dot}{place}{dot}{} sentences{dot}Enter: open the meeting",
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
    // Two lines an item: where it is from, then the sentence.
    let per_page = usize::from(area.height.saturating_sub(2)) / 2;
    let selected = app.evidence_row.min(app.evidence.len().saturating_sub(1));
    let mut lines = Vec::new();
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
        let part = query
            .within
            .as_ref()
            .and_then(|w| w.part_of(e.meeting))
            .map_or_else(String::new, |p| format!("{p}{dot}"));
        let head = format!(
            "{part}{}{dot}{}{dot}{date}{dot}{}",
            m.file,
            m.unit_cited(),
            e.passage.keywords.join("、")
        );
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

/// Why the selected sentence counts: its words with `│` between them, each keyword run
/// marked with its theme, each excluded phrase struck out and named.
fn why(
    frame: &mut Frame<'_>,
    area: Rect,
    analysis: &crate::analysis::Analysis,
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
fn marked(sentence: &str, marks: &[Range<usize>], palette: Palette) -> Line<'static> {
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
