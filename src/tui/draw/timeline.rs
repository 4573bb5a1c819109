//! View 3: one theme, several districts (the pinned ones, or the top five) over the years,
//! on one chart with a legend.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::Line;
use ratatui::widgets::{Dataset, GraphType, LegendPosition, Paragraph};
use ratatui::Frame;

use super::chart::{self, Series};
use super::{block, fit, pooled_size};
use crate::aggregate::{District, GroupLevel, YearKey};
use crate::meeting::Date;
use crate::tenure;
use crate::text::terminal_safe;
use crate::tui::app::App;
use crate::tui::style::Palette;

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, palette: Palette) {
    let dot = palette.dot();
    let (Some(analysis), Some(groups)) = (app.analysis.as_deref(), app.groups()) else {
        return;
    };
    let taxonomy = &analysis.measurer.taxonomy;
    let theme = &taxonomy.themes[app
        .timeline_theme
        .min(taxonomy.themes.len().saturating_sub(1))];
    let districts = app.timeline_districts();
    let years = app.timeline_years_of(&districts);
    let [chart_area, detail] =
        Layout::vertical([Constraint::Min(5), Constraint::Length(5)]).areas(area);
    let changes = districts
        .get(app.timeline_series)
        .map_or_else(Vec::new, |d| leadership_changes(app, d));

    // (district, [(year, value)]) for every district that has the year.
    let series: Vec<Series> = districts
        .iter()
        .map(|d| {
            let points = years
                .iter()
                .filter_map(|&y| {
                    let g = groups.group(d.key(), YearKey::Year(y))?;
                    Some((f64::from(y), g.value(app.timeline_theme, app.measure)))
                })
                .collect();
            (d.to_string(), points)
        })
        .collect();
    let source = if app.pinned.is_empty() {
        "top 5"
    } else {
        "pinned"
    };
    let title = format!(
        "{} over the years{dot}{source} {}{dot}t: next theme{dot}{}",
        theme.name,
        app.level.rows(),
        app.measure.short()
    );

    if palette.ascii || years.is_empty() {
        table(frame, chart_area, app, (&series, &years), &title, palette);
    } else {
        let (max, (x0, x1)) = chart::bounds(&series, &years);
        // A change of leader after the last year's New Year widens the axis to show it.
        let x1 = changes
            .iter()
            .map(|c| fractional_year(c.date))
            .fold(x1, f64::max);
        // A change of leader on the selected line: a vertical rule where the new holder
        // is first seen.
        let rules: Vec<[(f64, f64); 2]> = changes
            .iter()
            .map(|c| {
                let x = fractional_year(c.date);
                [(x, 0.0), (x, max * 1.1)]
            })
            .collect();
        let mut datasets: Vec<Dataset<'_>> = rules
            .iter()
            .enumerate()
            .map(|(i, rule)| {
                let dataset = Dataset::default()
                    .marker(Marker::Dot)
                    .graph_type(GraphType::Line)
                    .style(palette.dim())
                    .data(rule);
                if i == 0 {
                    dataset.name("change of leader")
                } else {
                    dataset
                }
            })
            .collect();
        datasets.extend(chart::datasets(&series, app.timeline_series, 12, palette));
        let chart = chart::over_years(
            datasets,
            (x0, x1),
            (max, app.measure.format(max)),
            block(&title, true, palette),
            LegendPosition::BottomLeft,
        );
        frame.render_widget(chart, chart_area);
    }
    let drawn = Drawn {
        districts: &districts,
        series: &series,
        years: &years,
        changes: &changes,
    };
    selected_point(frame, detail, app, &drawn, palette);
}

/// What the chart drew, for the line under it.
struct Drawn<'a> {
    districts: &'a [District],
    series: &'a [Series],
    years: &'a [i32],
    changes: &'a [LeadershipChange],
}

/// A change of leader of the selected unit: when the new holder is first seen, and who.
struct LeadershipChange {
    date: Date,
    text: String,
}

/// The changes of holder of the unit of `district`'s offices, by date; none above
/// county level, where no one office leads the pooled units.
fn leadership_changes(app: &App, district: &District) -> Vec<LeadershipChange> {
    let (Some(analysis), Some(unit)) = (app.analysis.as_deref(), district.unit()) else {
        return Vec::new();
    };
    if app.level != GroupLevel::County {
        return Vec::new();
    }
    let tenures = &analysis.tenures()[analysis.tenures_of(&unit.id)];
    let mut changes: Vec<LeadershipChange> = tenure::changes(tenures)
        .into_iter()
        .filter_map(|c| {
            let (old, new) = (&tenures[c.before], &tenures[c.after]);
            Some(LeadershipChange {
                date: new.first_seen?,
                text: format!(
                    "{} {} {}→{}",
                    new.first_seen?, new.office, old.name, new.name
                ),
            })
        })
        .collect();
    changes.sort_by_key(|c| c.date);
    changes
}

/// `date` on the chart's x axis of years.
fn fractional_year(date: Date) -> f64 {
    let new_year = Date::new(date.year(), 1, 1).expect("January 1st is a day");
    f64::from(date.year()) + date.days_after(new_year) as f64 / 366.0
}

/// ASCII terminals, and corpora without years, get the numbers as a table.
fn table(
    frame: &mut Frame<'_>,
    area: Rect,
    app: &App,
    (series, years): (&[Series], &[i32]),
    title: &str,
    palette: Palette,
) {
    let format = |v: f64| app.measure.format(v);
    let layout = chart::TableLayout {
        heading: "district",
        name_width: 13,
        cell_width: 8,
        format: &format,
    };
    let width = area.width.saturating_sub(2);
    let mut lines = chart::years_table(
        (series, app.timeline_series, years),
        &layout,
        width,
        palette,
    );
    if years.is_empty() {
        lines.push(Line::styled(
            "no meeting has a year: see the undated groups in Districts",
            palette.dim(),
        ));
    }
    frame.render_widget(
        Paragraph::new(lines).block(block(title, true, palette)),
        area,
    );
}

/// What the selected series has at the selected year. Above county level it says how
/// many units and meetings the point pools.
fn selected_point(frame: &mut Frame<'_>, area: Rect, app: &App, drawn: &Drawn, palette: Palette) {
    let Drawn {
        districts,
        series,
        years,
        changes,
    } = *drawn;
    let dot = palette.dot();
    let size = |year: i32| {
        let district = districts.get(app.timeline_series)?;
        let group = app.groups()?.group(district.key(), YearKey::Year(year))?;
        (app.level != GroupLevel::County).then(|| format!(" ({})", pooled_size(group)))
    };
    let text = match (
        series.get(app.timeline_series),
        years.get(app.timeline_point.min(years.len().saturating_sub(1))),
    ) {
        (Some((name, points)), Some(&year)) => {
            let value = points
                .iter()
                .find(|(x, _)| *x == f64::from(year))
                .map(|(_, v)| *v);
            match value {
                Some(v) => format!(
                    "{name}{dot}{year}: {} {}{}{}Enter: the sentences behind it",
                    app.measure.format(v),
                    app.measure.short(),
                    size(year).unwrap_or_default(),
                    palette.aside()
                ),
                None => format!("{name}{dot}{year}: no meetings"),
            }
        }
        _ => "no series".to_owned(),
    };
    let hint = format!(
        "{} district  {} year",
        palette.up_down(),
        palette.left_right()
    );
    let leaders = if changes.is_empty() {
        "no change of leader seen on this line".to_owned()
    } else {
        let listed: Vec<&str> = changes.iter().map(|c| c.text.as_str()).collect();
        format!("changes of leader: {}", listed.join("; "))
    };
    let lines = vec![
        fit(
            Line::raw(terminal_safe(&text).into_owned()),
            area.width.saturating_sub(2),
            palette,
        ),
        fit(
            Line::raw(terminal_safe(&leaders).into_owned()),
            area.width.saturating_sub(2),
            palette,
        ),
        Line::styled(hint, palette.dim()),
    ];
    frame.render_widget(
        Paragraph::new(lines).block(block("Selected point", false, palette)),
        area,
    );
}
