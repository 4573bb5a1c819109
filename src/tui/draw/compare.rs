//! View 2: a heat map of districts × themes for one year or all years, and the pinned
//! districts' theme bars side by side.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::{bars, block, fit, pooled_size, scroll_for, Bar};
use crate::aggregate::{District, Group, GroupLevel};
use crate::text::{terminal_safe, truncate_to_width, width};
use crate::tui::app::{sorted_by_value, App};
use crate::tui::style::Palette;

/// Width of the district column (at county level; above, the units and meetings pooled
/// follow the name).
const NAME_W: usize = 12;

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, palette: Palette) {
    let pinned = app.pinned.len();
    let (map, side) = if pinned > 0 && area.height >= 20 {
        let [map, side] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
        (map, Some(side))
    } else {
        (area, None)
    };
    heat_map(frame, map, app, palette);
    if let Some(side) = side {
        pinned_bars(frame, side, app, palette);
    }
}

fn heat_map(frame: &mut Frame<'_>, area: Rect, app: &App, palette: Palette) {
    let dot = palette.dot();
    let Some(analysis) = app.analysis.as_deref() else {
        return;
    };
    let themes = &analysis.measurer.taxonomy.themes;
    let rows = app.compare_rows();
    let inner_w = usize::from(area.width.saturating_sub(2));
    let inner_h = usize::from(area.height.saturating_sub(2));
    let pooled = app.level != GroupLevel::County;
    // `units/meetings` of each row above county level, right-aligned after the name.
    let count = |g: &Group| format!("{}/{}", g.units, g.meetings.len());
    let count_w = if pooled {
        rows.iter().map(|g| width(&count(g))).max().unwrap_or(0) + 1
    } else {
        0
    };
    let name_w = NAME_W + count_w;

    // Each column shaded by where its value falls between the column's min and max:
    // found in one pass over the rows, as there are thousands.
    let mut ranges = vec![(f64::MAX, f64::MIN); themes.len()];
    for g in &rows {
        for (t, (lo, hi)) in ranges.iter_mut().enumerate() {
            let v = g.value(t, app.measure);
            (*lo, *hi) = (lo.min(v), hi.max(v));
        }
    }

    // Full theme names where they fit, else their first two characters.
    // The widest value is that of the largest one: one formatting, not one per cell of
    // thousands of rows.
    let largest = ranges.iter().map(|&(_, hi)| hi).fold(0.0, f64::max);
    let value_w = app.measure.widest(largest).max(4);
    let full_w = themes
        .iter()
        .map(|t| width(&t.name))
        .max()
        .unwrap_or(8)
        .max(value_w);
    let short = name_w + themes.len() * (full_w + 1) > inner_w;
    let col_w = if short { value_w.max(4) } else { full_w };
    let fitting = ((inner_w.saturating_sub(name_w)) / (col_w + 1)).max(1);
    // Scroll the columns so the selected theme is always on screen.
    let first_col = app.compare_col.saturating_sub(fitting - 1);
    let cols: Vec<usize> = (first_col..themes.len()).take(fitting).collect();

    let mut lines = Vec::new();
    let mut header = vec![Span::raw(format!(
        "{}{:>count_w$}",
        " ".repeat(NAME_W),
        if pooled { "u/m" } else { "" }
    ))];
    for &t in &cols {
        let name = if short {
            themes[t].name.chars().take(2).collect::<String>()
        } else {
            themes[t].name.clone()
        };
        let name = truncate_to_width(&terminal_safe(&name), col_w, palette.ellipsis()).into_owned();
        let sorted = if app.compare_sort == Some(t) {
            palette.title()
        } else {
            Style::default()
        };
        let pad = " ".repeat((col_w + 1).saturating_sub(width(&name)));
        let style = if t == app.compare_col {
            palette.selected()
        } else {
            sorted
        };
        header.push(Span::styled(format!("{pad}{name}"), style));
    }
    lines.push(Line::from(header));

    let body_h = inner_h.saturating_sub(1);
    let selected = app.compare_row_in(&rows);
    for (r, g) in rows
        .iter()
        .enumerate()
        .skip(scroll_for(selected, body_h))
        .take(body_h)
    {
        let pin = if app.pinned.contains(&g.district) {
            "*"
        } else {
            ""
        };
        let name = format!("{}{pin}", g.district);
        let name =
            truncate_to_width(&terminal_safe(&name), NAME_W - 1, palette.ellipsis()).into_owned();
        let name_style = if r == selected {
            palette.selected()
        } else {
            Style::default()
        };
        let counts = if pooled { count(g) } else { String::new() };
        let mut spans = vec![Span::styled(
            format!(
                "{name}{}{counts:>count_w$}",
                " ".repeat(NAME_W.saturating_sub(width(&name)))
            ),
            name_style,
        )];
        for &t in &cols {
            let v = g.value(t, app.measure);
            let (lo, hi) = ranges[t];
            let level = if hi > lo && v > 0.0 {
                1 + ((v - lo) / (hi - lo) * 3.0).round() as usize
            } else if v > 0.0 {
                2
            } else {
                0
            };
            let mut style = palette.heat(level);
            if r == selected && t == app.compare_col {
                style = palette.selected();
            }
            spans.push(Span::raw(" "));
            spans.push(Span::styled(
                format!("{:>col_w$}", app.measure.format(v)),
                style,
            ));
        }
        lines.push(fit(
            Line::from(spans),
            area.width.saturating_sub(2),
            palette,
        ));
    }
    if rows.is_empty() {
        lines.push(Line::styled(
            "no district has meetings in this year",
            palette.dim(),
        ));
    }
    let sort = app.compare_sort.map_or_else(String::new, |t| {
        format!("{dot}sorted by {}", themes[t].name)
    });
    // Last, as what a narrow title can best lose.
    let level = if pooled {
        format!("{dot}{} (L), u/m: units/meetings", app.level.rows())
    } else {
        String::new()
    };
    let title = format!(
        "Heat map{dot}{} (y){sort}{dot}{}{level}",
        app.compare_year_key(),
        app.measure.short()
    );
    frame.render_widget(
        Paragraph::new(lines).block(block(&title, true, palette)),
        area,
    );
}

fn pinned_bars(frame: &mut Frame<'_>, area: Rect, app: &App, palette: Palette) {
    let dot = palette.dot();
    let (Some(analysis), Some(groups)) = (app.analysis.as_deref(), app.groups()) else {
        return;
    };
    let year = app.compare_year_key();
    let pinned: Vec<&District> = app.pinned.iter().collect();
    let constraints = vec![Constraint::Ratio(1, pinned.len() as u32); pinned.len()];
    let areas = Layout::horizontal(constraints).split(area);
    for (district, &rect) in pinned.iter().zip(areas.iter()) {
        let group = groups.group(district.key(), year);
        let size = match group {
            Some(g) if app.level != GroupLevel::County => format!("{dot}{}", pooled_size(g)),
            _ => String::new(),
        };
        let title = format!("{}{dot}{year}{size}", district);
        let lines = match group {
            Some(g) => {
                let items: Vec<Bar> = sorted_by_value(g, app.measure, app.theme_count())
                    .into_iter()
                    .map(|(t, v)| {
                        let theme = &analysis.measurer.taxonomy.themes[t];
                        Bar {
                            label: theme.name.clone(),
                            value: v,
                            text: app.measure.format(v),
                            style: palette.theme(&theme.color),
                            selected: false,
                        }
                    })
                    .collect();
                bars(&items, rect.width.saturating_sub(2), palette)
            }
            None => vec![Line::styled("no meetings in this year", palette.dim())],
        };
        frame.render_widget(
            Paragraph::new(lines).block(block(&title, false, palette)),
            rect,
        );
    }
}
