//! View 1: the district list beside the selected district-year's theme bars, keyword bars
//! and the selected theme's timeline.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::evidence::marked;
use super::{bars, block, counted, fit, scroll_for, Bar};
use crate::aggregate::{GroupLevel, YearKey};
use crate::measure::Passage;
use crate::text::{clause_start, terminal_safe, truncate_to_width, width};
use crate::tui::app::{App, DistrictPane, WordMode};
use crate::tui::style::Palette;

/// Cells the keyword bars keep when a sample sentence stands beside them: a label of
/// five characters, a short bar and `12 · 40% · 3/2` (hits, share, meetings/units).
const SAMPLE_BARS: u16 = 34;

/// The fewest cells a sample sentence is given, or it is left out: a dozen characters,
/// the keyword and the clause around it. Narrower, it would show little more than the
/// keyword the label names already. With [`SAMPLE_BARS`] and a space between, the pane
/// needs 59 cells inside: a terminal 160 wide has it, one 120 wide does not.
const SAMPLE_MIN: u16 = 24;

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, palette: Palette) {
    let list_w = (area.width / 4).clamp(20, 34);
    let [list, detail] =
        Layout::horizontal([Constraint::Length(list_w), Constraint::Min(20)]).areas(area);
    district_list(frame, list, app, palette);

    let [header, themes, lower] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(app.theme_count() as u16 + 2),
        Constraint::Min(3),
    ])
    .areas(detail);
    group_header(frame, header, app, palette);
    theme_bars(frame, themes, app, palette);
    let [words, timeline] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(lower);
    word_bars(frame, words, app, palette);
    theme_timeline(frame, timeline, app, palette);
}

fn district_list(frame: &mut Frame<'_>, area: Rect, app: &App, palette: Palette) {
    let dot = palette.dot();
    // Above county level each row counts the units it pools, then their meetings.
    let pooled = app.level != GroupLevel::County;
    let name = match app.level {
        GroupLevel::County => "Districts",
        GroupLevel::Prefecture => "Prefectures",
        GroupLevel::Province => "Provinces",
    };
    let inner_w = area.width.saturating_sub(2);
    let title = match (app.district_filter.is_empty(), pooled) {
        (true, false) => name.to_owned(),
        // What the counts are, as fully as the title has room for (the block pads it).
        (true, true) => [format!("{name}{dot}units/meetings"), format!("{name} u/m")]
            .into_iter()
            .find(|t| width(t) + 2 <= usize::from(inner_w))
            .unwrap_or_else(|| name.to_owned()),
        (false, _) => format!("{name} /{}", app.district_filter),
    };
    let focused = app.pane == DistrictPane::List;
    let inner_h = usize::from(area.height.saturating_sub(2));
    let visible = app.visible_districts();
    let selected = app.district.min(visible.len().saturating_sub(1));
    let first = scroll_for(selected, inner_h);
    let lines: Vec<Line<'static>> = visible
        .iter()
        .enumerate()
        .skip(first)
        .take(inner_h)
        .map(|(row, &i)| {
            let d = &app.districts[i];
            let years = match (d.years.first(), d.years.last()) {
                (Some(a), Some(b)) if a != b => format!("{a}{}{b}", palette.to()),
                (Some(a), _) => a.to_string(),
                _ => "undated".into(),
            };
            let counts = if pooled {
                format!(" {}/{}", d.units, d.meetings)
            } else {
                format!(" {}", d.meetings)
            };
            let label = terminal_safe(&d.district.to_string()).into_owned();
            // The name keeps three characters at least: where the row is too narrow for
            // that, the years go (a prefecture's span of years is long).
            let with_years = format!("{counts}{dot}{years}");
            let keep = width(&label).min(6);
            let right = if usize::from(inner_w).saturating_sub(width(&with_years)) >= keep {
                with_years
            } else {
                counts
            };
            let room = usize::from(inner_w).saturating_sub(width(&right));
            let name = truncate_to_width(&label, room, palette.ellipsis()).into_owned();
            let pad = " ".repeat(room.saturating_sub(width(&name)));
            let pin = if app.pinned.contains(&d.district) {
                "*"
            } else {
                ""
            };
            let style = if row == selected {
                palette.selected()
            } else {
                Style::default()
            };
            fit(
                Line::styled(format!("{name}{pad}{right}{pin}"), style),
                inner_w,
                palette,
            )
        })
        .collect();
    let lines = if lines.is_empty() {
        vec![Line::styled("no district matches", palette.dim())]
    } else {
        lines
    };
    frame.render_widget(
        Paragraph::new(lines).block(block(&title, focused, palette)),
        area,
    );
}

fn group_header(frame: &mut Frame<'_>, area: Rect, app: &App, palette: Palette) {
    let Some(d) = app.selected_district() else {
        frame.render_widget(Paragraph::new("no districts"), area);
        return;
    };
    let years = app.years();
    let chosen = app.selected_year();
    // The selected unit's province too: the list has room for the prefecture only.
    let province = d.district.unit().and_then(|u| {
        u.province
            .as_deref()
            .filter(|p| *p != u.name && Some(*p) != u.prefecture.as_deref())
    });
    let label = match province {
        Some(p) => format!("{} {p}", d.district),
        None => d.district.to_string(),
    };
    let mut spans = vec![
        Span::styled(terminal_safe(&label).into_owned(), palette.title()),
        Span::raw(format!("  {}  ", palette.left_right())),
    ];
    for y in years {
        let style = if y == chosen {
            palette.selected()
        } else {
            palette.dim()
        };
        spans.push(Span::styled(format!(" {y} "), style));
    }
    if let Some(g) = app.selected_group() {
        let units = match app.level {
            GroupLevel::County => String::new(),
            _ => format!("{}, ", counted(g.units, "unit")),
        };
        spans.push(Span::raw(format!(
            "  {units}{}, {} chars, breadth {:.2} bits",
            counted(g.meetings.len(), "meeting"),
            g.chars,
            g.entropy
        )));
    }
    frame.render_widget(
        Paragraph::new(fit(Line::from(spans), area.width, palette)),
        area,
    );
}

fn theme_bars(frame: &mut Frame<'_>, area: Rect, app: &App, palette: Palette) {
    let dot = palette.dot();
    let Some(analysis) = app.analysis.as_deref() else {
        return;
    };
    let focused = app.pane == DistrictPane::Themes;
    let items: Vec<Bar> = app
        .sorted_themes()
        .into_iter()
        .map(|(t, value)| {
            let theme = &analysis.measurer.taxonomy.themes[t];
            Bar {
                label: theme.name.clone(),
                value,
                text: app.measure.format(value),
                style: palette.theme(&theme.color),
                selected: focused && t == app.theme,
            }
        })
        .collect();
    let title = format!("Themes{dot}{}{dot}Enter: evidence", app.measure.short());
    let lines = bars(&items, area.width.saturating_sub(2), palette);
    frame.render_widget(
        Paragraph::new(lines).block(block(&title, focused, palette)),
        area,
    );
}

fn word_bars(frame: &mut Frame<'_>, area: Rect, app: &App, palette: Palette) {
    let focused = app.pane == DistrictPane::Words;
    let height = usize::from(area.height.saturating_sub(2));
    let inner = area.width.saturating_sub(2);
    let first = scroll_for(app.word, height);
    let rows: Vec<_> = app
        .word_rows()
        .into_iter()
        .skip(first)
        .take(height)
        .collect();
    let shown: Vec<Bar> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| Bar {
            label: row.label.clone(),
            value: row.value,
            text: row.text.clone(),
            style: palette.fg(ratatui::style::Color::Gray),
            selected: focused && first + i == app.word,
        })
        .collect();
    // The keywords' sample sentences where there is room for them: None while they are
    // read.
    let samples = (app.words == WordMode::Keywords && inner >= SAMPLE_BARS + 1 + SAMPLE_MIN)
        .then(|| app.keyword_samples());
    let bars_w = if samples.is_some() {
        SAMPLE_BARS
    } else {
        inner
    };
    let mut lines = bars(&shown, bars_w, palette);
    if let Some(samples) = samples {
        let sample_w = inner - SAMPLE_BARS - 1;
        for (line, row) in lines.iter_mut().zip(&rows) {
            // A candidate is in no theme yet: it has no sentence the theme counts.
            let Some(keyword) = row.keyword else {
                continue;
            };
            let cell = match samples.map(|s| s.get(keyword).and_then(Option::as_ref)) {
                None => Line::styled(palette.ellipsis(), palette.dim()),
                Some(Some(passage)) => sample(passage, &row.label, sample_w, palette),
                Some(None) => Line::styled("no sentence could be read", palette.dim()),
            };
            line.spans.push(Span::raw(" "));
            line.spans.extend(fit(cell, sample_w, palette).spans);
        }
    }
    let title = match app.words {
        WordMode::Frequent => "Frequent words (w)".to_owned(),
        WordMode::Distinctive => "Distinctive words, G² (w) ?=few".to_owned(),
        WordMode::Keywords => app.analysis.as_deref().map_or_else(String::new, |a| {
            format!(
                "{} hits·%·meetings/units (w)",
                a.measurer.taxonomy.themes[app.theme].name
            )
        }),
    };
    // Names are left out unless asked for (P); the title says when they are in.
    let title = if app.show_names && app.words != WordMode::Keywords {
        format!("{title} + names (P)")
    } else {
        title
    };
    // Keyword counts are kept per meeting, so they pool at every level.
    let words = if app.level == GroupLevel::County || app.words == WordMode::Keywords {
        Paragraph::new(lines)
    } else {
        // The meetings' words are not kept, so pooled groups have none (see
        // `aggregate::pool_at`).
        let note = Line::styled("words are counted at county level only (L)", palette.dim());
        Paragraph::new(note).wrap(Wrap { trim: true })
    };
    frame.render_widget(words.block(block(&title, focused, palette)), area);
}

/// A keyword's sample sentence for a column `w` cells wide, the theme's keywords marked.
/// Where the sentence's start would push the keyword out of the column, it starts at
/// the clause that holds the keyword, an ellipsis before it.
fn sample(passage: &Passage, keyword: &str, w: u16, palette: Palette) -> Line<'static> {
    let sentence = passage.sentence.as_str();
    let mark = (passage.keywords.iter().position(|k| k == keyword))
        .and_then(|i| passage.marks.get(i))
        .or(passage.marks.first());
    let from = mark
        .and_then(|m| {
            let reach = width(sentence.get(..m.start)?) + width(sentence.get(m.clone())?);
            Some((m.start, reach))
        })
        .filter(|&(_, reach)| reach > usize::from(w))
        .map_or(0, |(start, _)| clause_start(sentence, start));
    let marks: Vec<_> = (passage.marks.iter())
        .filter(|m| m.start >= from)
        .map(|m| m.start - from..m.end - from)
        .collect();
    let mut line = marked(&sentence[from..], &marks, palette);
    if from > 0 {
        line.spans.insert(0, Span::raw(palette.ellipsis()));
    }
    line
}

/// The selected theme over the district's years, one bar a year: a single year is one
/// honest bar, not an empty chart.
fn theme_timeline(frame: &mut Frame<'_>, area: Rect, app: &App, palette: Palette) {
    let (Some(analysis), Some(groups), Some(d)) = (
        app.analysis.as_deref(),
        app.groups(),
        app.selected_district(),
    ) else {
        return;
    };
    let theme = &analysis.measurer.taxonomy.themes[app
        .theme
        .min(analysis.measurer.taxonomy.themes.len().saturating_sub(1))];
    let items: Vec<Bar> = d
        .years
        .iter()
        .map(|&y| YearKey::Year(y))
        .chain((d.undated > 0).then_some(YearKey::Undated))
        .filter_map(|year| {
            let g = groups.group(d.district.key(), year)?;
            let value = g.value(app.theme, app.measure);
            Some(Bar {
                label: year.to_string(),
                value,
                text: app.measure.format(value),
                style: palette.theme(&theme.color),
                selected: year == app.selected_year(),
            })
        })
        .collect();
    let title = format!("{} by year (t)", theme.name);
    let lines = bars(&items, area.width.saturating_sub(2), palette);
    frame.render_widget(
        Paragraph::new(lines).block(block(&title, false, palette)),
        area,
    );
}
