//! What the line charts of the Timeline and Trends views share: a line a series over
//! the years, each in its colour, the selected one drawn finer; and for ASCII terminals
//! the same numbers as a table of years.

use ratatui::style::Color;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Dataset, GraphType};

use super::{fit, padded};
use crate::text::{terminal_safe, truncate_to_width};
use crate::tui::style::Palette;

/// Series colours, chosen to differ on a 16-colour terminal.
pub(super) const SERIES: [Color; 6] = [
    Color::Yellow,
    Color::Cyan,
    Color::Magenta,
    Color::Green,
    Color::Red,
    Color::Blue,
];

/// A series of a chart: its name, and (year, value) of each year it has.
pub(super) type Series = (String, Vec<(f64, f64)>);

/// A dataset a series, named in at most `name_width` cells for the legend. A lone point
/// is a block (in Braille it would be one dot of a cell); the selected line is drawn in
/// Braille, the others in dots.
pub(super) fn datasets<'a>(
    series: &'a [Series],
    selected: usize,
    name_width: usize,
    palette: Palette,
) -> Vec<Dataset<'a>> {
    series
        .iter()
        .enumerate()
        .map(|(i, (name, points))| {
            Dataset::default()
                .name(truncate_to_width(&terminal_safe(name), name_width, "…").into_owned())
                .marker(match (points.len(), i == selected) {
                    (1, _) => Marker::Block,
                    (_, true) => Marker::Braille,
                    _ => Marker::Dot,
                })
                .graph_type(if points.len() > 1 {
                    GraphType::Line
                } else {
                    GraphType::Scatter
                })
                .style(palette.fg(SERIES[i % SERIES.len()]))
                .data(points)
        })
        .collect()
}

/// The largest value of the series (a hair above zero when all are zero, so that an
/// axis has a span), and the x axis's bounds over `years` (not empty): a single year
/// still gets an axis around it, so its points show.
pub(super) fn bounds(series: &[Series], years: &[i32]) -> (f64, (f64, f64)) {
    let max = series
        .iter()
        .flat_map(|(_, p)| p.iter().map(|(_, v)| *v))
        .fold(0.0_f64, f64::max)
        .max(1e-9);
    let (first, last) = (f64::from(years[0]), f64::from(years[years.len() - 1]));
    let x = if first == last {
        (first - 1.0, last + 1.0)
    } else {
        (first, last)
    };
    (max, x)
}

/// A chart of `datasets` over the years `x0..x1`, values from 0 to a tenth above `max`
/// (labelled `max_label`), the legend at `legend` unless the chart is too small for it.
pub(super) fn over_years<'a>(
    datasets: Vec<Dataset<'a>>,
    (x0, x1): (f64, f64),
    (max, max_label): (f64, String),
    frame: ratatui::widgets::Block<'a>,
    legend: ratatui::widgets::LegendPosition,
) -> ratatui::widgets::Chart<'a> {
    use ratatui::layout::Constraint;
    use ratatui::widgets::{Axis, Chart};
    Chart::new(datasets)
        .block(frame)
        .legend_position(Some(legend))
        .hidden_legend_constraints((Constraint::Percentage(60), Constraint::Percentage(60)))
        .x_axis(Axis::default().bounds([x0, x1]).labels(year_labels(x0, x1)))
        .y_axis(
            Axis::default()
                .bounds([0.0, max * 1.1])
                .labels(vec![Span::raw("0"), Span::raw(max_label)]),
        )
}

/// The x axis's labels: its ends and its middle, as years.
pub(super) fn year_labels(x0: f64, x1: f64) -> Vec<Span<'static>> {
    [x0, (x0 + x1) / 2.0, x1]
        .iter()
        .map(|x| Span::raw(format!("{x:.0}")))
        .collect()
}

/// How [`years_table`] lays out and fills its cells.
pub(super) struct TableLayout<'a> {
    /// The heading of the names' column.
    pub heading: &'a str,
    /// Cells of the names' column.
    pub name_width: usize,
    /// Cells of each year's column.
    pub cell_width: usize,
    /// A value as a cell shows it.
    pub format: &'a dyn Fn(f64) -> String,
}

/// The series as the lines of a table `width` cells wide, a column a year (`-` where a
/// series has no value), the selected series in the selected style.
pub(super) fn years_table(
    (series, selected, years): (&[Series], usize, &[i32]),
    layout: &TableLayout<'_>,
    width: u16,
    palette: Palette,
) -> Vec<Line<'static>> {
    let (name_w, cell_w) = (layout.name_width, layout.cell_width);
    let mut lines = vec![Line::from(
        std::iter::once(format!("{} ", padded(layout.heading, name_w, palette)))
            .chain(years.iter().map(|y| format!("{y:>cell_w$}")))
            .collect::<String>(),
    )];
    for (i, (name, points)) in series.iter().enumerate() {
        let mut row = format!("{} ", padded(name, name_w, palette));
        for &y in years {
            let cell = points
                .iter()
                .find(|(x, _)| *x == f64::from(y))
                .map_or("-".to_owned(), |(_, v)| (layout.format)(*v));
            row.push_str(&format!("{cell:>cell_w$}"));
        }
        let style = if i == selected {
            palette.selected()
        } else {
            palette.fg(SERIES[i % SERIES.len()])
        };
        lines.push(fit(Line::styled(row, style), width, palette));
    }
    lines
}
