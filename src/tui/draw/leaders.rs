//! View 6: who held the selected unit's offices when — a band per tenure on a time axis,
//! the unknown time between holders left as a gap — over the unit's selected theme by
//! year; below, the bands as a list (Enter: their meetings), or a change's before and
//! after, or the average change across units.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::{block, counted, fit, padded, scroll_for};
use crate::aggregate::YearKey;
use crate::analysis::Analysis;
use crate::meeting::{Date, Office};
use crate::shift::{AverageShift, Shift, WordShifts, MIN_CHARS, MIN_MEETINGS};
use crate::tenure::{Flag, Tenure};
use crate::text::{terminal_safe, width};
use crate::tui::app::{shift_order, App, LeaderPanel};
use crate::tui::style::Palette;

/// The label column of the axis rows.
const LABEL_W: usize = 10;

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, palette: Palette) {
    let dot = palette.dot();
    let Some(analysis) = app.analysis.as_deref() else {
        return;
    };
    let Some(unit) = app.leaders_unit() else {
        let text = if app.level == crate::aggregate::GroupLevel::County {
            "Select a unit in Districts (1): its leaders are shown here.".to_owned()
        } else {
            format!(
                "Leaders belong to units: at {} level, press L until counties, then choose one.",
                app.level.as_str()
            )
        };
        frame.render_widget(
            Paragraph::new(text).block(block("Leaders", true, palette)),
            area,
        );
        return;
    };
    let tenures = &analysis.tenures()[app.unit_tenures()];
    let theme = app
        .theme
        .min(analysis.measurer.taxonomy.themes.len().saturating_sub(1));
    let theme_name = &analysis.measurer.taxonomy.themes[theme].name;
    let title = format!(
        "Leaders{dot}{}{dot}{}{dot}{theme_name} ({}, t: next theme)",
        unit.label(),
        counted(tenures.len(), "tenure"),
        app.measure.short()
    );
    let [bands_area, below] =
        Layout::vertical([Constraint::Length(7), Constraint::Min(3)]).areas(area);
    let inner = usize::from(bands_area.width.saturating_sub(2));
    let lines = axis_rows(app, tenures, theme, inner, palette);
    frame.render_widget(
        Paragraph::new(lines).block(block(&title, app.leader_panel.is_none(), palette)),
        bands_area,
    );
    match &app.leader_panel {
        Some(LeaderPanel::Shift { shift, words }) => {
            shift_panel(
                frame,
                below,
                app,
                analysis,
                shift,
                words.as_deref(),
                palette,
            );
        }
        Some(LeaderPanel::Average {
            office,
            average,
            filtered,
        }) => average_panel(frame, below, analysis, *office, average, *filtered, palette),
        None => match app.tenure_meeting {
            Some(row) => meeting_list(frame, below, app, analysis, row, palette),
            None => band_list(frame, below, app, analysis, tenures, palette),
        },
    }
}

/// The years the axis spans: those of the unit's tenures and of its meetings.
fn year_span(app: &App, tenures: &[Tenure]) -> Option<(i32, i32)> {
    let dated = tenures
        .iter()
        .flat_map(|t| [t.first_seen, t.last_seen])
        .flatten()
        .map(Date::year);
    let grouped = app.years().into_iter().filter_map(YearKey::year);
    let years: Vec<i32> = dated.chain(grouped).collect();
    Some((*years.iter().min()?, *years.iter().max()?))
}

/// The column of `date` on an axis of `cols` cells over the years `first..=last`.
fn column(date: Date, (first, last): (i32, i32), cols: usize) -> usize {
    let new_year = Date::new(date.year(), 1, 1).expect("January 1st is a day");
    let years = f64::from(date.year() - first) + date.days_after(new_year) as f64 / 366.0;
    let span = f64::from(last - first + 1);
    ((years / span) * cols as f64).floor() as usize
}

/// The axis with its years and the changes, a row of bands per office, and the theme by
/// year as a sparkline on the same axis.
fn axis_rows(
    app: &App,
    tenures: &[Tenure],
    theme: usize,
    inner: usize,
    palette: Palette,
) -> Vec<Line<'static>> {
    let cols = inner.saturating_sub(LABEL_W + 1);
    let Some(span) = year_span(app, tenures).filter(|_| cols >= 8) else {
        return vec![Line::styled(
            "no dated tenure or meeting to draw on a time axis",
            palette.dim(),
        )];
    };
    let year_col = |y: i32| column(Date::new(y, 1, 1).expect("a real day"), span, cols);
    // Years along the axis, as many as fit.
    let mut axis = vec![' '; cols];
    let years = span.1 - span.0 + 1;
    let every = (1..=years)
        .find(|n| (years / n) * 5 <= cols as i32)
        .unwrap_or(years)
        .max(1);
    for y in (span.0..=span.1).step_by(every as usize) {
        let at = year_col(y);
        for (i, c) in y.to_string().chars().enumerate() {
            if let Some(cell) = axis.get_mut(at + i) {
                *cell = c;
            }
        }
    }
    // A change is marked where the new holder is first seen.
    let mut marks = vec![' '; cols];
    for change in crate::tenure::changes(tenures) {
        if let Some(first) = tenures[change.after].first_seen {
            if let Some(cell) = marks.get_mut(column(first, span, cols).min(cols - 1)) {
                *cell = palette.change().chars().next().unwrap_or('v');
            }
        }
    }
    let label = |text: &str| padded(text, LABEL_W, palette) + " ";
    let mut lines = vec![
        Line::styled(label("") + &axis.iter().collect::<String>(), palette.dim()),
        Line::styled(
            label("changes") + &marks.iter().collect::<String>(),
            palette.dim(),
        ),
    ];
    let selected = app.selected_tenure().map(|t| t - app.unit_tenures().start);
    for office in Office::ALL {
        lines.push(band_row(
            tenures, office, selected, span, cols, &label, palette,
        ));
    }
    lines.push(sparkline(app, theme, span, cols, &label, palette));
    lines
}

/// One office's tenures as bands: the name over the band, `┄` for the unknown time
/// between two holders, `!` for a contradicting sighting.
fn band_row(
    tenures: &[Tenure],
    office: Office,
    selected: Option<usize>,
    span: (i32, i32),
    cols: usize,
    label: &dyn Fn(&str) -> String,
    palette: Palette,
) -> Line<'static> {
    let mut cells: Vec<(String, Style)> = vec![(" ".to_owned(), Style::default()); cols];
    let mut previous_end: Option<usize> = None;
    for (i, t) in tenures
        .iter()
        .enumerate()
        .filter(|(_, t)| t.office == office)
    {
        let (Some(first), Some(last)) = (t.first_seen, t.last_seen) else {
            continue;
        };
        let (a, b) = (
            column(first, span, cols).min(cols - 1),
            column(last, span, cols).min(cols - 1),
        );
        let style = if selected == Some(i) {
            palette.selected()
        } else {
            Style::default()
        };
        if !t.in_line {
            cells[a] = (palette.conflict().to_owned(), palette.warning());
            continue;
        }
        if let Some(end) = previous_end {
            for cell in cells.iter_mut().take(a).skip(end + 1) {
                *cell = (palette.unknown().to_owned(), palette.dim());
            }
        }
        for cell in cells.iter_mut().take(b + 1).skip(a) {
            *cell = (palette.band().to_owned(), style);
        }
        // The name over the band's start, as far as it fits before the next band.
        let mut at = a;
        for c in terminal_safe(&t.name).chars() {
            let w = width(&c.to_string());
            if w == 0 {
                continue;
            }
            if at + w > cols {
                break;
            }
            cells[at] = (c.to_string(), style);
            for blank in cells.iter_mut().skip(at + 1).take(w - 1) {
                *blank = (String::new(), style);
            }
            at += w;
        }
        previous_end = Some(b.max(at.saturating_sub(1)));
    }
    let mut spans = vec![Span::raw(label(office.as_str()))];
    spans.extend(cells.into_iter().map(|(c, s)| Span::styled(c, s)));
    Line::from(spans)
}

/// The unit's selected theme per year, one cell per year on the axis.
fn sparkline(
    app: &App,
    theme: usize,
    span: (i32, i32),
    cols: usize,
    label: &dyn Fn(&str) -> String,
    palette: Palette,
) -> Line<'static> {
    let mut cells = vec![' '; cols];
    let name = app
        .analysis
        .as_deref()
        .map_or("theme", |a| a.measurer.taxonomy.themes[theme].name.as_str());
    let (Some(groups), Some(district)) = (app.groups(), app.selected_district()) else {
        return Line::raw(label(name));
    };
    let values: Vec<(i32, f64)> = (span.0..=span.1)
        .filter_map(|y| {
            let g = groups.group(district.district.key(), YearKey::Year(y))?;
            Some((y, g.value(theme, app.measure)))
        })
        .collect();
    let max = values.iter().map(|(_, v)| *v).fold(0.0_f64, f64::max);
    for (y, v) in values {
        let at = column(Date::new(y, 1, 1).expect("a real day"), span, cols);
        let next = column(Date::new(y, 12, 31).expect("a real day"), span, cols);
        let level = if max > 0.0 {
            ((v / max) * 8.0).round() as usize
        } else {
            0
        };
        // An empty year still shows it has meetings.
        let glyph = palette.spark(level.max(1));
        for cell in cells.iter_mut().take(next.min(cols - 1) + 1).skip(at) {
            *cell = glyph;
        }
    }
    Line::from(vec![
        Span::raw(label(name)),
        Span::styled(cells.into_iter().collect::<String>(), palette.title()),
    ])
}

/// The bands as a list: office, name, span, meetings, flags.
fn band_list(
    frame: &mut Frame<'_>,
    area: Rect,
    app: &App,
    analysis: &Analysis,
    tenures: &[Tenure],
    palette: Palette,
) {
    let dot = palette.dot();
    let inner_w = area.width.saturating_sub(2);
    let height = usize::from(area.height.saturating_sub(2));
    let selected = app.tenure_row.min(tenures.len().saturating_sub(1));
    let date = |d: Option<Date>| d.map_or("—".to_owned(), |d| d.to_string());
    let mut lines = Vec::new();
    if tenures.is_empty() {
        lines.push(Line::styled(
            "No meeting of this unit names its secretary or head.",
            palette.dim(),
        ));
    }
    for (i, t) in tenures
        .iter()
        .enumerate()
        .skip(scroll_for(selected, height))
        .take(height)
    {
        let flags: Vec<String> = t
            .flags
            .iter()
            .map(|f| f.describe(|m| analysis.meetings[m].meeting.file.clone()))
            .collect();
        let acting = match (t.acting, t.acting_until) {
            (true, _) => " (acting)".to_owned(),
            (false, Some(until)) => format!(" (acting until {until})"),
            (false, None) => String::new(),
        };
        let row = format!(
            "{} {}{} {}{}{}{dot}{}{}",
            padded(t.office.as_str(), 9, palette),
            padded(&t.name, 8, palette),
            acting,
            date(t.first_seen),
            palette.to(),
            date(t.last_seen),
            counted(t.meetings.len(), "meeting"),
            if flags.is_empty() {
                String::new()
            } else {
                format!("{dot}{}", flags.join("; "))
            }
        );
        let conflicted = t.flags.iter().any(|f| matches!(f, Flag::Conflict { .. }));
        let style = match (i == selected, conflicted) {
            (true, _) => palette.selected(),
            (false, true) => palette.warning(),
            (false, false) => Style::default(),
        };
        lines.push(fit(
            Line::styled(terminal_safe(&row).into_owned(), style),
            inner_w,
            palette,
        ));
    }
    let title = format!(
        "Tenures{dot}{} band{dot}Enter: its meetings{dot}b: before/after{dot}a: across units",
        palette.up_down()
    );
    frame.render_widget(
        Paragraph::new(lines).block(block(&title, true, palette)),
        area,
    );
}

/// The meetings behind the selected band.
fn meeting_list(
    frame: &mut Frame<'_>,
    area: Rect,
    app: &App,
    analysis: &Analysis,
    row: usize,
    palette: Palette,
) {
    let dot = palette.dot();
    let Some(tenure) = app.selected_tenure().map(|t| &analysis.tenures()[t]) else {
        return;
    };
    let inner_w = area.width.saturating_sub(2);
    let height = usize::from(area.height.saturating_sub(2));
    let selected = row.min(tenure.meetings.len().saturating_sub(1));
    let lines: Vec<Line<'static>> = tenure
        .meetings
        .iter()
        .enumerate()
        .skip(scroll_for(selected, height))
        .take(height)
        .map(|(i, &m)| {
            let m = &analysis.meetings[m].meeting;
            let date = m
                .date
                .as_ref()
                .map_or("date unknown".to_owned(), |d| d.value.to_string());
            let text = format!(
                "{date}{dot}{}{dot}{}",
                m.file,
                m.title.as_deref().unwrap_or(m.kind.as_str())
            );
            let style = if i == selected {
                palette.selected()
            } else {
                Style::default()
            };
            fit(
                Line::styled(terminal_safe(&text).into_owned(), style),
                inner_w,
                palette,
            )
        })
        .collect();
    let title = format!(
        "{} {}{dot}{}{dot}Enter: read{dot}Esc: back to the bands",
        tenure.office,
        tenure.name,
        counted(tenure.meetings.len(), "meeting")
    );
    frame.render_widget(
        Paragraph::new(lines).block(block(&title, true, palette)),
        area,
    );
}

/// A change's before and after: each theme on both sides, the test, the words.
fn shift_panel(
    frame: &mut Frame<'_>,
    area: Rect,
    app: &App,
    analysis: &Analysis,
    shift: &Shift,
    words: Option<&WordShifts>,
    palette: Palette,
) {
    let dot = palette.dot();
    let (old, new) = (
        &analysis.tenures()[shift.change.before],
        &analysis.tenures()[shift.change.after],
    );
    let inner_w = area.width.saturating_sub(2);
    let side = |t: &Tenure, pool: &crate::shift::Pool| {
        format!(
            "{} ({}, {} chars)",
            t.name,
            counted(pool.meetings.len(), "meeting"),
            pool.chars
        )
    };
    let sides = format!(
        "before: {}  after: {}  (per 10k characters)",
        side(old, &shift.before),
        side(new, &shift.after)
    );
    let mut lines = vec![fit(
        Line::raw(terminal_safe(&sides).into_owned()),
        inner_w,
        palette,
    )];
    if shift.thin() {
        lines.push(Line::styled(
            format!(
                "too small to mean much: a side has fewer than {MIN_MEETINGS} meetings or {MIN_CHARS} characters"
            ),
            palette.warning(),
        ));
    }
    let names = &analysis.measurer.taxonomy.themes;
    lines.push(Line::styled(
        format!(
            "{} {:>8} {:>8} {:>8} {:>7} {:>6}",
            padded("theme", 14, palette),
            "before",
            "after",
            "change",
            "G²",
            "p"
        ),
        palette.title(),
    ));
    let word_rows = 3;
    let room = usize::from(area.height.saturating_sub(2)).saturating_sub(lines.len() + word_rows);
    let order = shift_order(shift);
    let selected = app.panel_row.min(order.len().saturating_sub(1));
    for (i, &t) in order
        .iter()
        .enumerate()
        .skip(scroll_for(selected, room))
        .take(room)
    {
        let s = &shift.themes[t];
        let row = format!(
            "{} {:>8.1} {:>8.1} {:>+8.1} {:>+7.2} {:>6.3}{}",
            padded(&names[t].name, 14, palette),
            s.before,
            s.after,
            s.difference(),
            s.g2,
            s.p,
            if s.low_count { "  low count" } else { "" }
        );
        let style = if i == selected {
            palette.selected()
        } else {
            Style::default()
        };
        lines.push(fit(Line::styled(row, style), inner_w, palette));
    }
    let listed = |w: &[crate::shift::WordShift]| {
        w.iter()
            .map(|w| format!("{} {}{}{}", w.word, w.before, palette.arrow(), w.after))
            .collect::<Vec<_>>()
            .join("  ")
    };
    match words {
        Some(words) => {
            lines.push(fit(
                Line::raw(
                    terminal_safe(&format!(
                        "more after (times before{}after): {}",
                        palette.arrow(),
                        listed(&words.more)
                    ))
                    .into_owned(),
                ),
                inner_w,
                palette,
            ));
            lines.push(fit(
                Line::raw(
                    terminal_safe(&format!("less after: {}", listed(&words.less))).into_owned(),
                ),
                inner_w,
                palette,
            ));
            if !words.unreadable.is_empty() {
                lines.push(Line::styled(
                    format!(
                        "{} left out: their text could not be read",
                        counted(words.unreadable.len(), "meeting")
                    ),
                    palette.warning(),
                ));
            }
        }
        None => lines.push(Line::styled(
            "reading the meetings for the words that moved…",
            palette.dim(),
        )),
    }
    let title = format!(
        "Before{dot}after{dot}{} {}{dot}G² log-likelihood, χ² p{dot}Enter: the sentences{dot}Esc: close",
        new.office,
        terminal_safe(&new.name)
    );
    frame.render_widget(
        Paragraph::new(lines).block(block(&title, true, palette)),
        area,
    );
}

/// How themes moved on average over changes of an office.
fn average_panel(
    frame: &mut Frame<'_>,
    area: Rect,
    analysis: &Analysis,
    office: Office,
    average: &AverageShift,
    filtered: bool,
    palette: Palette,
) {
    let dot = palette.dot();
    let inner_w = area.width.saturating_sub(2);
    let names = &analysis.measurer.taxonomy.themes;
    let mut lines = vec![fit(
        Line::raw(format!(
            "{} of {office}{}: the year from the new holder's first sighting minus the year up to the old one's last; {} left out (no meeting on a side)",
            counted(average.changes, "change"),
            if filtered { " in the filtered units" } else { "" },
            average.left_out
        )),
        inner_w,
        palette,
    )];
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|&a, &b| {
        average.mean_difference[b]
            .total_cmp(&average.mean_difference[a])
            .then(a.cmp(&b))
    });
    for t in order {
        lines.push(Line::raw(format!(
            "{} {:>+8.2} per 10k{dot}rose in {} of {}",
            padded(&names[t].name, 14, palette),
            average.mean_difference[t],
            average.rose[t],
            average.changes
        )));
    }
    let title = format!("Across units{dot}{office} changes{dot}Esc: close");
    frame.render_widget(
        Paragraph::new(lines).block(block(&title, true, palette)),
        area,
    );
}
