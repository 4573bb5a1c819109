//! View 5: the parsed meetings with their metadata, where each fact came from, and the
//! warnings: where a user sees what was inferred and what could not be.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::{block, fit, padded, scroll_for};
use crate::meeting::sourced;
use crate::text::terminal_safe;
use crate::tui::app::App;
use crate::tui::style::Palette;

fn cell(text: &str, w: usize, palette: Palette) -> String {
    format!("{} ", padded(text, w, palette))
}

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, palette: Palette) {
    let dot = palette.dot();
    let Some(analysis) = app.analysis.as_deref() else {
        return;
    };
    let [list, detail] = Layout::vertical([Constraint::Min(4), Constraint::Length(8)]).areas(area);
    let inner_w = list.width.saturating_sub(2);
    let height = usize::from(list.height.saturating_sub(3));
    let selected = app
        .meeting_row
        .min(analysis.meetings.len().saturating_sub(1));
    let mut lines = vec![Line::styled(
        format!(
            "{}{}{}{}{}",
            cell("file", 22, palette),
            cell("district", 18, palette),
            cell("year", 16, palette),
            cell("kind", 14, palette),
            "warnings"
        ),
        palette.title(),
    )];
    for (i, m) in analysis
        .meetings
        .iter()
        .enumerate()
        .skip(scroll_for(selected, height))
        .take(height)
    {
        let m = &m.meeting;
        let row = format!(
            "{}{}{}{}{}",
            cell(&m.file, 22, palette),
            cell(&m.district_shown("?"), 18, palette),
            cell(&sourced(m.year.as_ref(), "?"), 16, palette),
            cell(m.kind.as_str(), 14, palette),
            m.warnings.len()
        );
        let style = if i == selected {
            palette.selected()
        } else {
            Style::default()
        };
        lines.push(fit(Line::styled(row, style), inner_w, palette));
    }
    let title = format!(
        "Meetings{dot}{} read, {} skipped{dot}Enter: read the text",
        analysis.meetings.len(),
        analysis.skipped.len()
    );
    frame.render_widget(
        Paragraph::new(lines).block(block(&title, true, palette)),
        list,
    );

    let mut facts = Vec::new();
    if let Some(m) = analysis.meetings.get(selected) {
        let m = &m.meeting;
        let speakers: Vec<String> = m
            .speakers
            .iter()
            .map(|s| format!("{} {}", s.role, s.name))
            .collect();
        facts.push(format!("title: {}", m.title.as_deref().unwrap_or("?")));
        facts.push(district_fact(m, dot));
        facts.push(format!(
            "date: {}{dot}kind: {}{dot}{} chars{dot}{}{}",
            sourced(m.date.as_ref(), "?"),
            m.kind,
            m.chars,
            m.encoding,
            if m.was_traditional {
                ", converted from traditional"
            } else {
                ""
            }
        ));
        facts.push(format!(
            "speakers: {}",
            if speakers.is_empty() {
                "?".into()
            } else {
                speakers.join("、")
            }
        ));
        if let Some(source) = &m.source {
            facts.push(format!("stated by: {source}"));
        }
        facts.extend(m.warnings.iter().map(|w| format!("warning: {w}")));
    }
    for skip in &analysis.skipped {
        facts.push(format!("skipped {}: {}", skip.file, skip.reason));
    }
    let facts: Vec<Line<'static>> = facts
        .into_iter()
        .map(|f| {
            fit(
                Line::raw(terminal_safe(&f).into_owned()),
                detail.width.saturating_sub(2),
                palette,
            )
        })
        .collect();
    frame.render_widget(
        Paragraph::new(facts).block(block("Details", false, palette)),
        detail,
    );
}

/// The holder in full — unit, code, parents, the name as printed — or, when its name fits
/// several units, each of them.
fn district_fact(m: &crate::meeting::Meeting, dot: &str) -> String {
    if let Some(d) = &m.district {
        let unit = &d.value.unit;
        let mut parts = vec![format!(
            "{} {}",
            unit.name,
            unit.code.as_deref().unwrap_or(&unit.id)
        )];
        parts.extend(unit.prefecture.iter().filter(|p| **p != unit.name).cloned());
        parts.extend(unit.province.iter().cloned());
        parts.push(format!("printed {} ({})", d.value.as_printed, d.provenance));
        return format!("district: {}", parts.join(dot));
    }
    if m.candidates.is_empty() {
        return "district: ?".to_owned();
    }
    let candidates: Vec<String> = m.candidates.iter().map(|c| c.with_parent()).collect();
    format!("district: ambiguous, one of {}", candidates.join(", "))
}
