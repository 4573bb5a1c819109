//! View 7: any term over the years — the query line, its lines on one chart with a
//! legend, and beside it how the selected series spread over the units.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::Line;
use ratatui::widgets::{Dataset, GraphType, LegendPosition, Paragraph};
use ratatui::Frame;

use super::chart::{self, Series, SERIES};
use super::{bars, block, counted, fit, Bar};
use crate::text::terminal_safe;
use crate::trend::adoption::Adoption;
use crate::tui::app::App;
use crate::tui::style::Palette;
use crate::tui::trends::{ShownLine, TrendAnswer, TrendFocus, Trends};

/// What a query may look like, for the empty view.
const HINT: &str = "/ or : then terms, comma-separated: 新质生产力, 河长制+湖长制, 一件事*办 (* is one to four characters). Simplified or traditional. ↑↓ in the query line: earlier queries.";

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, palette: Palette) {
    let [query_area, rest] =
        Layout::vertical([Constraint::Length(3), Constraint::Min(9)]).areas(area);
    query_line(frame, query_area, app, palette);
    let Some(answer) = app.trends.answer() else {
        let waiting = app.trends.shown.is_some() && app.trends.load.is_none();
        let text = match waiting {
            true => "the query is searched for once the whole corpus is read",
            false => HINT,
        };
        frame.render_widget(
            Paragraph::new(text)
                .wrap(ratatui::widgets::Wrap { trim: true })
                .block(block("Trends", false, palette)),
            rest,
        );
        return;
    };
    let [body, point_area] =
        Layout::vertical([Constraint::Min(6), Constraint::Length(3)]).areas(rest);
    let lines = app.trends.lines(answer, &app.pinned);
    let years = Trends::years(&lines);
    let panel_w = (body.width * 2 / 5).clamp(28, 56);
    let [chart_area, panel_area] =
        Layout::horizontal([Constraint::Min(20), Constraint::Length(panel_w)]).areas(body);
    chart(frame, chart_area, app, (answer, &lines, &years), palette);
    let series = lines.get(app.trends.line).map_or(0, |l| l.series);
    if let Some(spread) = answer.adoption.get(series) {
        let label = &answer.found.query.series[series].label;
        adoption_panel(frame, panel_area, app, (label, spread), palette);
    }
    selected_point(frame, point_area, app, (answer, &lines, &years), palette);
}

/// The query shown, the search under way, or why the query typed means nothing.
fn query_line(frame: &mut Frame<'_>, area: Rect, app: &App, palette: Palette) {
    let trends = &app.trends;
    let line = if let Some(error) = &trends.error {
        Line::styled(terminal_safe(error).into_owned(), palette.warning())
    } else if let Some(load) = &trends.load {
        let percent = load.done * 100 / load.total.max(1);
        Line::from(format!(
            "searching for {}: {percent}% ({} of {} meetings){}Esc stops",
            terminal_safe(&load.key),
            load.done,
            load.total,
            palette.aside()
        ))
    } else if let Some(shown) = &trends.shown {
        let remembered = trends.answers.len();
        Line::from(format!(
            "{}{}{} remembered this session",
            terminal_safe(shown),
            palette.aside(),
            counted(remembered, "query")
        ))
    } else {
        Line::styled("no query yet: / or : to type one", palette.dim())
    };
    frame.render_widget(
        Paragraph::new(fit(line, area.width.saturating_sub(2), palette)).block(block(
            "Query (/ or :)",
            false,
            palette,
        )),
        area,
    );
}

/// The lines of the answer, what they are drawn against, and their years.
type Drawn<'a> = (&'a TrendAnswer, &'a [ShownLine<'a>], &'a [i32]);

/// How a line is named in the legend and the point line.
fn line_name(answer: &TrendAnswer, line: &ShownLine<'_>) -> String {
    let label = &answer.found.query.series[line.series].label;
    match line.district {
        None => label.clone(),
        Some(district) => format!("{label} {district}"),
    }
}

fn chart(frame: &mut Frame<'_>, area: Rect, app: &App, drawn: Drawn<'_>, palette: Palette) {
    let (answer, lines, years) = drawn;
    let trends = &app.trends;
    let dot = palette.dot();
    let smoothing = match trends.smoothing {
        0 => "unsmoothed".to_owned(),
        n => format!("mean over ±{n} years"),
    };
    let title = format!(
        "{}{dot}{}{dot}{smoothing}",
        trends.value.short(),
        trends.scope.describe()
    );
    let focused = trends.focus == TrendFocus::Chart;
    if lines.is_empty() || years.is_empty() {
        let why = match trends.scope {
            crate::tui::trends::TrendScope::Pinned => {
                "no pinned unit: pin units with p in Districts or Compare, or u for other lines"
            }
            _ => "no meeting with a year mentions it, or none has a year",
        };
        frame.render_widget(
            Paragraph::new(Line::styled(why, palette.dim())).block(block(&title, focused, palette)),
            area,
        );
        return;
    }
    let series: Vec<Series> = lines
        .iter()
        .map(|l| {
            let points = trends
                .values(l.line)
                .into_iter()
                .map(|(y, v)| (f64::from(y), v))
                .collect();
            (line_name(answer, l), points)
        })
        .collect();
    if palette.ascii {
        table(frame, area, app, (&series, years), &title, palette);
        return;
    }
    let (max, x) = chart::bounds(&series, years);
    let selected_year = years.get(trends.year).map(|&y| f64::from(y));
    let marker: Vec<(f64, f64)> = selected_year
        .and_then(|x| {
            let (_, points) = series.get(trends.line)?;
            points.iter().find(|(px, _)| *px == x).copied()
        })
        .into_iter()
        .collect();
    let mut datasets = chart::datasets(&series, trends.line, 16, palette);
    // The selected point, over its line.
    datasets.push(
        Dataset::default()
            .marker(Marker::Block)
            .graph_type(GraphType::Scatter)
            .style(palette.selected())
            .data(&marker),
    );
    let chart = chart::over_years(
        datasets,
        x,
        (max, trends.value.format(max)),
        block(&title, focused, palette),
        LegendPosition::TopLeft,
    );
    frame.render_widget(chart, area);
}

/// ASCII terminals get the lines as a table of years.
fn table(
    frame: &mut Frame<'_>,
    area: Rect,
    app: &App,
    (series, years): (&[Series], &[i32]),
    title: &str,
    palette: Palette,
) {
    let format = |v: f64| app.trends.value.format(v);
    let layout = chart::TableLayout {
        heading: "line",
        name_width: 16,
        cell_width: 7,
        format: &format,
    };
    let width = area.width.saturating_sub(2);
    let lines = chart::years_table((series, app.trends.line, years), &layout, width, palette);
    let focused = app.trends.focus == TrendFocus::Chart;
    frame.render_widget(
        Paragraph::new(lines).block(block(title, focused, palette)),
        area,
    );
}

/// How the selected line's series spread: the share of reporting units that had said
/// it, year by year, and each unit's first mention.
fn adoption_panel(
    frame: &mut Frame<'_>,
    area: Rect,
    app: &App,
    (label, spread): (&str, &Adoption),
    palette: Palette,
) {
    let inner_w = area.width.saturating_sub(2);
    let inner_h = usize::from(area.height.saturating_sub(2));
    let units = spread.first.len() + spread.not_yet.len();
    let median = spread.median_year().map_or_else(
        || "no dated first mention".to_owned(),
        |y| format!("median {y}"),
    );
    let mut rows = vec![fit(
        Line::from(format!(
            "{}/{} units said it · {median}",
            spread.first.len(),
            units
        )),
        inner_w,
        palette,
    )];
    // The curve takes at most half the panel; its latest years if it must be cut.
    let curve_rows = (inner_h.saturating_sub(3) / 2).min(spread.curve.len());
    let curve = &spread.curve[spread.curve.len() - curve_rows..];
    let curve_bars: Vec<Bar> = curve
        .iter()
        .map(|p| Bar {
            label: p.year.to_string(),
            value: p.share().unwrap_or(0.0),
            text: match p.share() {
                Some(share) => format!("{:.0}% {}/{}", share * 100.0, p.adopted, p.reporting),
                None => "no reports".to_owned(),
            },
            style: palette.fg(SERIES[0]),
            selected: false,
        })
        .collect();
    rows.extend(bars(&curve_bars, inner_w, palette));
    rows.push(Line::styled(
        "first mentions (Enter: the sentence)",
        palette.dim(),
    ));
    let not_yet_row = usize::from(!spread.not_yet.is_empty());
    let room = inner_h.saturating_sub(rows.len() + not_yet_row);
    let focused = app.trends.focus == TrendFocus::Adoption;
    let first = super::scroll_for(app.trends.first_mention, room);
    for (i, mention) in spread.first.iter().enumerate().skip(first).take(room) {
        let when = match (mention.date, mention.year) {
            (Some(date), _) => date.to_string(),
            (None, Some(year)) => format!("{year}      "),
            (None, None) => "undated   ".to_owned(),
        };
        let text = format!("{when} {}", mention.unit.label());
        let style = if focused && i == app.trends.first_mention {
            palette.selected()
        } else {
            ratatui::style::Style::default()
        };
        rows.push(fit(
            Line::styled(terminal_safe(&text).into_owned(), style),
            inner_w,
            palette,
        ));
    }
    // The units that never say it, in what room is left.
    if !spread.not_yet.is_empty() && rows.len() < inner_h {
        let names: Vec<String> = spread.not_yet.iter().map(|u| u.label()).collect();
        let text = format!("not yet ({}): {}", spread.not_yet.len(), names.join(", "));
        rows.push(fit(
            Line::styled(terminal_safe(&text).into_owned(), palette.dim()),
            inner_w,
            palette,
        ));
    }
    let title = format!(
        "Adoption{}{label}{}Tab: list",
        palette.dot(),
        palette.aside()
    );
    frame.render_widget(
        Paragraph::new(rows).block(block(&title, focused, palette)),
        area,
    );
}

/// The selected line at the selected year: its value, and what it rests on.
fn selected_point(
    frame: &mut Frame<'_>,
    area: Rect,
    app: &App,
    drawn: Drawn<'_>,
    palette: Palette,
) {
    let (answer, lines, years) = drawn;
    let trends = &app.trends;
    let dot = palette.dot();
    let text = match (lines.get(trends.line), years.get(trends.year)) {
        (Some(line), Some(&year)) => {
            let name = line_name(answer, line);
            match Trends::point(line.line, year) {
                Some(point) => {
                    let shown = trends
                        .values(line.line)
                        .into_iter()
                        .find(|(y, _)| *y == year)
                        .map_or(0.0, |(_, v)| v);
                    let smoothed = if trends.smoothing > 0 {
                        format!(
                            " (smoothed; the year alone {})",
                            trends.value.format(trends.value.of(point))
                        )
                    } else {
                        String::new()
                    };
                    format!(
                        "{name}{dot}{year}: {} {}{smoothed}{dot}{} of {} mention it, {}{}Enter: the sentences",
                        trends.value.format(shown),
                        trends.value.describe(),
                        point.mentioning,
                        counted(point.meetings, "meeting"),
                        counted(point.hits as usize, "hit"),
                        palette.aside()
                    )
                }
                None => format!("{name}{dot}{year}: no reports that year"),
            }
        }
        _ => "no line".to_owned(),
    };
    frame.render_widget(
        Paragraph::new(fit(
            Line::raw(terminal_safe(&text).into_owned()),
            area.width.saturating_sub(2),
            palette,
        ))
        .block(block(
            &format!(
                "Selected point{dot}{} line  {} year",
                palette.up_down(),
                palette.left_right()
            ),
            false,
            palette,
        )),
        area,
    );
}
