//! A [`Figure`] as SVG, written by hand: labels as `<text>` in an explicit CJK font
//! stack (a reader's viewer finds a Chinese font by name, and the text stays
//! searchable and editable), everything escaped, at a physical size readable when
//! printed 8 cm wide.
//!
//! Scale: a user unit is 0.2 mm, so the 400 units of every figure's width are 8 cm and
//! the smallest text, 11 units, is 6.2 pt there, above the 6 pt journals ask for.
//! Colours: bars in one dark blue with their values printed; lines in the Okabe–Ito
//! colours (safe for the common colour blindnesses) and darker variants, each with its
//! own dash pattern and marker, so that up to [`STYLES`] lines stay apart in greyscale
//! too; heat-map cells on viridis, whose lightness rises monotonically, with a legend.

use std::fmt::Write as _;

use super::{one_line, Body, Figure, LineSeries, Number};

/// The font stack of every text: the common CJK sans-serif faces of Linux, macOS and
/// Windows, then the viewer's sans-serif.
pub const FONT_STACK: &str =
    "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

/// The width of every figure, in user units.
const WIDTH: f64 = 400.0;
/// Millimetres a user unit stands for: [`WIDTH`] is 8 cm.
const MM_PER_UNIT: f64 = 0.2;
/// The smallest text (ticks, values, legend): 6.2 pt at 8 cm.
const SMALL: f64 = 11.0;
/// Labels of categories, rows and columns.
const LABEL: f64 = 12.0;
/// The title.
const TITLE: f64 = 13.0;
const MARGIN: f64 = 10.0;
const INK: &str = "#222222";
const GRID: &str = "#d9d9d9";
/// The bars of a single series, and the after of a before and after.
const BAR: &str = "#0072B2";

/// A line's colour, dash pattern and marker.
struct Style {
    colour: &'static str,
    dash: &'static str,
    marker: Marker,
}

#[derive(Clone, Copy)]
enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
    Down,
    Cross,
    Plus,
}

/// The line styles, in order: the Okabe–Ito colours (black, orange, sky blue, bluish
/// green, blue, vermillion, reddish purple; yellow left out, it vanishes on white) then
/// darker variants, each line with a dash pattern and marker of its own.
pub const STYLES: usize = 13;
const LINE_STYLES: [Style; STYLES] = [
    style("#000000", "", Marker::Circle),
    style("#E69F00", "6 3", Marker::Square),
    style("#56B4E9", "2 2", Marker::Triangle),
    style("#009E73", "8 3 2 3", Marker::Diamond),
    style("#0072B2", "1 3", Marker::Down),
    style("#D55E00", "10 4", Marker::Cross),
    style("#CC79A7", "4 2 1 2", Marker::Plus),
    style("#7A5000", "", Marker::Square),
    style("#2B6F94", "6 3", Marker::Circle),
    style("#005C45", "2 2", Marker::Cross),
    style("#8A3A00", "8 3 2 3", Marker::Triangle),
    style("#7D3F66", "1 3", Marker::Diamond),
    style("#666666", "10 4", Marker::Down),
];

const fn style(colour: &'static str, dash: &'static str, marker: Marker) -> Style {
    Style {
        colour,
        dash,
        marker,
    }
}

/// Before and after: a light and a dark blue, told apart in greyscale by lightness.
const PAIR: [&str; 2] = ["#9ECAE9", BAR];

/// Viridis at eleven evenly spaced stops (from matplotlib's table): dark purple to
/// yellow, lightness rising all the way.
const VIRIDIS: [(u8, u8, u8); 11] = [
    (68, 1, 84),
    (72, 40, 120),
    (62, 74, 137),
    (49, 104, 142),
    (38, 130, 142),
    (31, 158, 137),
    (53, 183, 121),
    (109, 205, 89),
    (180, 222, 44),
    (223, 227, 24),
    (253, 231, 37),
];

/// The viridis colour at `t` in 0–1, interpolated between the stops.
fn viridis(t: f64) -> (u8, u8, u8) {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let at = t * (VIRIDIS.len() - 1) as f64;
    let i = (at.floor() as usize).min(VIRIDIS.len() - 2);
    let f = at - i as f64;
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * f).round() as u8;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// `text` escaped for XML character data and attribute values, on one line.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Every character the document draws, a line per `<text>` element, unescaped: what a
/// font must have glyphs for.
pub fn drawn_text(svg: &str) -> String {
    let mut out = String::new();
    let mut rest = svg;
    while let Some(start) = rest.find("<text ") {
        rest = &rest[start..];
        let (Some(open), Some(close)) = (rest.find('>'), rest.find("</text>")) else {
            break;
        };
        let content = rest[open + 1..close]
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&");
        out.push_str(&content);
        out.push('\n');
        rest = &rest[close..];
    }
    out
}

/// About how wide `text` is at `size`: a CJK character an em, others six tenths. Errs
/// wide, so that labels laid out by it do not overlap.
fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| match unicode_width::UnicodeWidthChar::width(c) {
            Some(2) => 1.0,
            _ => 0.6,
        })
        .sum::<f64>()
        * size
}

/// `text` in lines no wider than `width` at `size`: broken at spaces, or inside a word
/// (a run of CJK characters has no spaces) only when one word is wider than a line.
fn wrap(text: &str, size: f64, width: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let joined = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if text_width(&joined, size) <= width {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            if !line.is_empty() && text_width(&format!("{line}{c}"), size) > width {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    lines.push(line);
    lines
}

/// Writes `text` wrapped to the figure's width from `y` (its first baseline) at `x`,
/// anchored as `anchor` says. Returns the last baseline.
fn wrapped(out: &mut String, (x, y): (f64, f64), anchor: &str, content: &str) -> f64 {
    let mut baseline = y;
    for (i, line) in wrap(content, SMALL, WIDTH - 2.0 * MARGIN)
        .iter()
        .enumerate()
    {
        baseline = y + i as f64 * (SMALL + 3.0);
        text(out, x, baseline, SMALL, anchor, line, "");
    }
    baseline
}

/// Ticks for an axis from 0 to at least `max`: a round step (1, 2, 2.5 or 5 times a
/// power of ten) giving four to six of them; the last tick is the axis's end.
fn ticks(max: f64) -> Vec<f64> {
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        1.0
    };
    let rough = max / 4.0;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * power);
    let n = (max / step).ceil() as usize;
    (0..=n.max(1)).map(|i| i as f64 * step).collect()
}

/// A tick's label: as few decimals as the step needs (0.25 two, 2.5 one, 50 none).
fn tick_label(value: f64, step: f64, number: Number) -> String {
    if number == Number::Percent {
        return Number::Percent.format(value);
    }
    let step = format!("{step:.4}");
    let decimals = step
        .trim_end_matches('0')
        .split_once('.')
        .map_or(0, |(_, d)| d.len());
    format!("{value:.decimals$}")
}

/// The figure as an SVG document.
pub fn render(figure: &Figure) -> String {
    let mut body = String::new();
    let mut y = MARGIN;
    y += TITLE;
    text(
        &mut body,
        MARGIN,
        y,
        TITLE,
        "start",
        &figure.title,
        " font-weight=\"bold\"",
    );
    if !figure.subtitle.is_empty() {
        y += SMALL + 4.0;
        text(
            &mut body,
            MARGIN,
            y,
            SMALL,
            "start",
            &figure.subtitle,
            " fill=\"#555555\"",
        );
    }
    y += 10.0;
    let height = match &figure.body {
        Body::Bars { categories, series } => bars(&mut body, y, figure, categories, series),
        Body::Heatmap {
            rows,
            columns,
            cells,
        } => heatmap(&mut body, y, figure, rows, columns, cells),
        Body::Lines { series } => lines(&mut body, y, figure, series),
    } + MARGIN;

    let mut out = String::new();
    let _ = writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.1}cm\" height=\"{:.2}cm\" viewBox=\"0 0 {WIDTH} {height:.1}\" font-family=\"{FONT_STACK}\" fill=\"{INK}\">",
        WIDTH * MM_PER_UNIT / 10.0,
        height * MM_PER_UNIT / 10.0,
    );
    let _ = writeln!(out, "<title>{}</title>", escape(&figure.title));
    let provenance: Vec<String> = figure
        .stamp
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    let _ = writeln!(
        out,
        "<desc>zhongdian {} figure; {}; the numbers drawn are in the CSV file of the same name</desc>",
        figure.kind.as_str(),
        escape(&provenance.join("; "))
    );
    let attributes: String = figure
        .stamp
        .iter()
        .map(|(k, v)| format!(" {k}=\"{}\"", escape(v)))
        .collect();
    let _ = writeln!(
        out,
        "<metadata><zd:figure xmlns:zd=\"urn:zhongdian:figure\" kind=\"{}\"{attributes}/></metadata>",
        figure.kind.as_str()
    );
    let _ = writeln!(
        out,
        "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
    );
    out.push_str(&body);
    out.push_str("</svg>\n");
    out
}

/// Appends a `<text>` element.
fn text(out: &mut String, x: f64, y: f64, size: f64, anchor: &str, content: &str, extra: &str) {
    let _ = writeln!(
        out,
        "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"{size}\" text-anchor=\"{anchor}\"{extra}>{}</text>",
        escape(content)
    );
}

fn line(out: &mut String, (x1, y1): (f64, f64), (x2, y2): (f64, f64), stroke: &str, extra: &str) {
    let _ = writeln!(
        out,
        "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"{stroke}\"{extra}/>"
    );
}

/// What a legend entry shows beside its name.
#[derive(Clone, Copy)]
enum Swatch {
    /// A bar's fill.
    Fill(&'static str),
    /// Line style number `n`: its stroke and marker.
    Line(usize),
}

/// The legend of bar series or lines: a swatch and a name each, flowing over rows from
/// `y`. Returns the y below it.
fn legend<'a>(
    out: &mut String,
    y: f64,
    entries: impl IntoIterator<Item = (&'a str, Swatch)>,
) -> f64 {
    let (mut x, mut y) = (MARGIN, y + SMALL);
    for (name, swatch) in entries {
        let w = 26.0 + text_width(name, SMALL) + 10.0;
        if x + w > WIDTH - MARGIN && x > MARGIN {
            x = MARGIN;
            y += SMALL + 5.0;
        }
        let middle = y - SMALL * 0.35;
        match swatch {
            Swatch::Fill(fill) => {
                let _ = writeln!(
                    out,
                    "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"20\" height=\"8\" fill=\"{fill}\" stroke=\"{INK}\" stroke-width=\"0.5\"/>",
                    middle - 4.0
                );
            }
            Swatch::Line(n) => {
                let style = &LINE_STYLES[n % STYLES];
                let _ = writeln!(
                    out,
                    "<polyline points=\"{x:.1},{middle:.1} {:.1},{middle:.1}\"{}/>",
                    x + 20.0,
                    stroke(style)
                );
                marker(out, style.marker, (x + 10.0, middle), style.colour);
            }
        }
        text(out, x + 26.0, y, SMALL, "start", name, "");
        x += w;
    }
    y + 6.0
}

/// A value axis along the bottom of a plot from `x0` to `x1` at `y`, from 0 to the
/// last tick, with vertical grid lines up to `top`. Returns the y below its label.
fn value_axis(
    out: &mut String,
    (x0, x1): (f64, f64),
    (top, y): (f64, f64),
    ticks: &[f64],
    figure: &Figure,
) -> f64 {
    let end = ticks.last().copied().unwrap_or(1.0);
    let step = ticks.get(1).copied().unwrap_or(end);
    for &t in ticks {
        let x = x0 + (x1 - x0) * t / end;
        line(out, (x, top), (x, y), GRID, " stroke-width=\"0.5\"");
        text(
            out,
            x,
            y + SMALL + 2.0,
            SMALL,
            "middle",
            &tick_label(t, step, figure.number),
            "",
        );
    }
    line(out, (x0, y), (x1, y), INK, " stroke-width=\"0.8\"");
    wrapped(
        out,
        (MARGIN, y + 2.0 * SMALL + 6.0),
        "start",
        &figure.value_label,
    ) + 4.0
}

fn bars(
    out: &mut String,
    top: f64,
    figure: &Figure,
    categories: &[String],
    series: &[super::BarSeries],
) -> f64 {
    let mut y = top;
    if series.len() > 1 {
        let entries = series
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.as_str(), Swatch::Fill(PAIR[i % PAIR.len()])));
        y = legend(out, y, entries) + 2.0;
    }
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(0.0_f64, f64::max);
    let ticks = ticks(max);
    let end = ticks.last().copied().unwrap_or(1.0);
    let label_w = categories
        .iter()
        .map(|c| text_width(c, LABEL))
        .fold(0.0, f64::max);
    let value_w = series
        .iter()
        .flat_map(|s| s.values.iter())
        .map(|v| text_width(&figure.number.format(*v), SMALL))
        .fold(0.0, f64::max);
    let x0 = MARGIN + label_w + 6.0;
    let x1 = WIDTH - MARGIN - value_w - 4.0;
    // The bars go over the axis's grid lines, drawn first.
    let mut marks = String::new();
    let bar_h = if series.len() > 1 { 12.0 } else { 11.0 };
    let row_h = bar_h * series.len() as f64 + 5.0;
    let plot_top = y;
    for (c, category) in categories.iter().enumerate() {
        let row_y = plot_top + c as f64 * row_h;
        let middle = row_y + (row_h - 5.0) / 2.0;
        text(
            &mut marks,
            x0 - 6.0,
            middle + LABEL * 0.35,
            LABEL,
            "end",
            category,
            "",
        );
        for (s, bars) in series.iter().enumerate() {
            let value = bars.values.get(c).copied().unwrap_or(0.0);
            let w = (x1 - x0) * value / end;
            let by = row_y + s as f64 * bar_h;
            let fill = if series.len() > 1 {
                PAIR[s % PAIR.len()]
            } else {
                BAR
            };
            let _ = writeln!(
                marks,
                "<rect x=\"{x0:.1}\" y=\"{by:.1}\" width=\"{w:.2}\" height=\"{:.1}\" fill=\"{fill}\"/>",
                bar_h - 1.0
            );
            text(
                &mut marks,
                x0 + w + 3.0,
                by + (bar_h - 1.0) / 2.0 + SMALL * 0.35,
                SMALL,
                "start",
                &figure.number.format(value),
                "",
            );
        }
    }
    let plot_bottom = plot_top + categories.len() as f64 * row_h;
    let below = value_axis(out, (x0, x1), (plot_top, plot_bottom), &ticks, figure);
    out.push_str(&marks);
    below
}

fn heatmap(
    out: &mut String,
    top: f64,
    figure: &Figure,
    rows: &[String],
    columns: &[String],
    cells: &[Vec<f64>],
) -> f64 {
    let label_w = rows
        .iter()
        .map(|r| text_width(r, LABEL))
        .fold(0.0, f64::max);
    let x0 = MARGIN + label_w + 6.0;
    let cell_w = (WIDTH - MARGIN - x0) / columns.len().max(1) as f64;
    let cell_h = 16.0;
    // Column labels turned to read upwards above their columns: a label as long as
    // four characters, thirteen columns still fit the width.
    let column_h = columns
        .iter()
        .map(|c| text_width(c, SMALL))
        .fold(0.0, f64::max)
        + 6.0;
    let grid_top = top + column_h;
    for (j, column) in columns.iter().enumerate() {
        let x = x0 + (j as f64 + 0.5) * cell_w + SMALL * 0.35;
        let _ = writeln!(
            out,
            "<text transform=\"translate({x:.1},{:.1}) rotate(-90)\" font-size=\"{SMALL}\" text-anchor=\"start\">{}</text>",
            grid_top - 3.0,
            escape(column)
        );
    }
    let max = cells.iter().flatten().copied().fold(0.0_f64, f64::max);
    let scale = if max > 0.0 { max } else { 1.0 };
    for (i, row) in rows.iter().enumerate() {
        let y = grid_top + i as f64 * cell_h;
        text(
            out,
            x0 - 6.0,
            y + cell_h / 2.0 + LABEL * 0.35,
            LABEL,
            "end",
            row,
            "",
        );
        for (j, &value) in cells
            .get(i)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .enumerate()
        {
            let x = x0 + j as f64 * cell_w;
            let t = value / scale;
            let _ = writeln!(
                out,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{cell_w:.2}\" height=\"{cell_h}\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"0.5\"/>",
                hex(viridis(t))
            );
            // The value, in as many of the figure's decimals as fit the cell; light
            // text on the dark half of the scale.
            let shown = fitting(value, figure.number, cell_w - 2.0);
            if let Some(shown) = shown {
                let ink = if t < 0.55 { "#ffffff" } else { "#000000" };
                text(
                    out,
                    x + cell_w / 2.0,
                    y + cell_h / 2.0 + SMALL * 0.35,
                    SMALL,
                    "middle",
                    &shown,
                    &format!(" fill=\"{ink}\""),
                );
            }
        }
    }
    let mut y = grid_top + rows.len() as f64 * cell_h + 10.0;
    // The legend: the scale as a gradient, 0 to the largest value, with the measure.
    let (lx0, lx1) = (x0, x0 + 160.0_f64.min(WIDTH - MARGIN - x0));
    let stops: String = (0..=10)
        .map(|i| {
            let t = f64::from(i) / 10.0;
            format!(
                "<stop offset=\"{t:.1}\" stop-color=\"{}\"/>",
                hex(viridis(t))
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "<defs><linearGradient id=\"scale\" x1=\"0\" x2=\"1\" y1=\"0\" y2=\"0\">{stops}</linearGradient></defs>"
    );
    let _ = writeln!(
        out,
        "<rect x=\"{lx0:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"8\" fill=\"url(#scale)\" stroke=\"{INK}\" stroke-width=\"0.5\"/>",
        lx1 - lx0
    );
    y += 8.0 + SMALL + 2.0;
    text(out, lx0, y, SMALL, "start", &figure.number.format(0.0), "");
    text(out, lx1, y, SMALL, "end", &figure.number.format(max), "");
    y += SMALL + 4.0;
    wrapped(out, (MARGIN, y), "start", &figure.value_label) + 4.0
}

/// `value` printed in at most `width` units: in the figure's decimals, or fewer; None
/// if even a whole number does not fit.
fn fitting(value: f64, number: Number, width: f64) -> Option<String> {
    let tries = match number {
        Number::Decimals(d) => (0..=d).rev().map(Number::Decimals).collect(),
        Number::Percent => vec![Number::Percent],
    };
    tries
        .into_iter()
        .map(|n| n.format(value))
        .find(|s| text_width(s, SMALL) <= width)
}

/// Draws marker `marker` centred on (x, y).
fn marker(out: &mut String, marker: Marker, (x, y): (f64, f64), colour: &str) {
    let r = 3.2;
    let shape = match marker {
        Marker::Circle => format!("<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r}\" fill=\"{colour}\"/>"),
        Marker::Square => format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{colour}\"/>",
            x - r * 0.9,
            y - r * 0.9,
            r * 1.8,
            r * 1.8
        ),
        Marker::Triangle => polygon(&[(x, y - r * 1.1), (x + r, y + r * 0.8), (x - r, y + r * 0.8)], colour),
        Marker::Down => polygon(&[(x, y + r * 1.1), (x + r, y - r * 0.8), (x - r, y - r * 0.8)], colour),
        Marker::Diamond => polygon(&[(x, y - r * 1.2), (x + r, y), (x, y + r * 1.2), (x - r, y)], colour),
        Marker::Cross => format!(
            "<path d=\"M{:.1},{:.1}L{:.1},{:.1}M{:.1},{:.1}L{:.1},{:.1}\" stroke=\"{colour}\" stroke-width=\"1.6\"/>",
            x - r, y - r, x + r, y + r, x - r, y + r, x + r, y - r
        ),
        Marker::Plus => format!(
            "<path d=\"M{:.1},{y:.1}L{:.1},{y:.1}M{x:.1},{:.1}L{x:.1},{:.1}\" stroke=\"{colour}\" stroke-width=\"1.6\"/>",
            x - r * 1.2, x + r * 1.2, y - r * 1.2, y + r * 1.2
        ),
    };
    out.push_str(&shape);
    out.push('\n');
}

fn polygon(points: &[(f64, f64)], colour: &str) -> String {
    let points: Vec<String> = points
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect();
    format!(
        "<polygon points=\"{}\" fill=\"{colour}\"/>",
        points.join(" ")
    )
}

/// The stroke attributes of line style `style`.
fn stroke(style: &Style) -> String {
    let dash = if style.dash.is_empty() {
        String::new()
    } else {
        format!(" stroke-dasharray=\"{}\"", style.dash)
    };
    format!(
        " stroke=\"{}\" stroke-width=\"1.5\" fill=\"none\"{dash}",
        style.colour
    )
}

fn lines(out: &mut String, top: f64, figure: &Figure, series: &[LineSeries]) -> f64 {
    let years: Vec<i32> = {
        let mut years: Vec<i32> = series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.0))
            .collect();
        years.sort_unstable();
        years.dedup();
        years
    };
    let (first, last) = match (years.first(), years.last()) {
        (Some(&f), Some(&l)) => (f, l),
        _ => (0, 0),
    };
    // A single year still gets an axis around it, so that its points show.
    let (from, to) = if first == last {
        (f64::from(first) - 1.0, f64::from(last) + 1.0)
    } else {
        (f64::from(first), f64::from(last))
    };
    let max = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .fold(0.0_f64, f64::max);
    let ticks = ticks(max);
    let end = ticks.last().copied().unwrap_or(1.0);
    let step = ticks.get(1).copied().unwrap_or(end);
    let tick_w = ticks
        .iter()
        .map(|t| text_width(&tick_label(*t, step, figure.number), SMALL))
        .fold(0.0, f64::max);
    // The value axis's label above it, read without turning the page; then its ticks
    // and the plot.
    let label_bottom = wrapped(out, (MARGIN, top + SMALL), "start", &figure.value_label);
    let x0 = MARGIN + tick_w + 4.0;
    let x1 = WIDTH - MARGIN - 8.0;
    let plot_top = label_bottom + 10.0;
    let plot_bottom = plot_top + 180.0;
    let x_of = |year: f64| x0 + 6.0 + (x1 - x0 - 12.0) * (year - from) / (to - from);
    let y_of = |v: f64| plot_bottom - (plot_bottom - plot_top) * v / end;
    for &t in &ticks {
        let y = y_of(t);
        line(out, (x0, y), (x1, y), GRID, " stroke-width=\"0.5\"");
        text(
            out,
            x0 - 4.0,
            y + SMALL * 0.35,
            SMALL,
            "end",
            &tick_label(t, step, figure.number),
            "",
        );
    }
    line(
        out,
        (x0, plot_top),
        (x0, plot_bottom),
        INK,
        " stroke-width=\"0.8\"",
    );
    line(
        out,
        (x0, plot_bottom),
        (x1, plot_bottom),
        INK,
        " stroke-width=\"0.8\"",
    );
    // Year ticks: every year while they fit, else every second, fifth …
    let span = (last - first).max(0) as usize + 1;
    let every = [1usize, 2, 5, 10, 20, 50]
        .into_iter()
        .find(|e| span.div_ceil(*e) as f64 * 30.0 <= x1 - x0)
        .unwrap_or(100);
    for year in (first..=last).filter(|y| ((y - first) as usize).is_multiple_of(every)) {
        let x = x_of(f64::from(year));
        line(
            out,
            (x, plot_bottom),
            (x, plot_bottom + 3.0),
            INK,
            " stroke-width=\"0.8\"",
        );
        text(
            out,
            x,
            plot_bottom + SMALL + 4.0,
            SMALL,
            "middle",
            &year.to_string(),
            "",
        );
    }
    for (i, s) in series.iter().enumerate() {
        let style = &LINE_STYLES[i % STYLES];
        // A run of consecutive years is one polyline; a year without reports breaks it.
        let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
        let mut previous: Option<i32> = None;
        for &(year, value) in &s.points {
            let point = (x_of(f64::from(year)), y_of(value));
            match (runs.last_mut(), previous) {
                (Some(run), Some(p)) if year == p + 1 => run.push(point),
                _ => runs.push(vec![point]),
            }
            previous = Some(year);
        }
        for run in runs.iter().filter(|r| r.len() > 1) {
            let points: Vec<String> = run.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
            let _ = writeln!(
                out,
                "<polyline points=\"{}\"{}/>",
                points.join(" "),
                stroke(style)
            );
        }
        for (p, &(year, value)) in s.points.iter().enumerate() {
            let at = (x_of(f64::from(year)), y_of(value));
            marker(out, style.marker, at, style.colour);
            if let Some(label) = s.labels.get(p) {
                text(out, at.0, at.1 - 6.0, SMALL, "middle", label, "");
            }
        }
    }
    let y = plot_bottom + 2.0 * SMALL + 8.0;
    text(out, (x0 + x1) / 2.0, y, SMALL, "middle", "year", "");
    let entries = series
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.as_str(), Swatch::Line(i)));
    legend(out, y + 4.0, entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_largest_value() {
        assert_eq!(ticks(126.7), [0.0, 50.0, 100.0, 150.0]);
        assert_eq!(ticks(1.0), [0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(ticks(0.0), [0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(tick_label(0.25, 0.25, Number::Decimals(1)), "0.25");
        assert_eq!(tick_label(50.0, 50.0, Number::Decimals(1)), "50");
        assert_eq!(tick_label(0.5, 0.25, Number::Percent), "50%");
    }

    #[test]
    fn viridis_runs_from_dark_to_light() {
        let lightness = |(r, g, b): (u8, u8, u8)| {
            0.2126 * f64::from(r) + 0.7152 * f64::from(g) + 0.0722 * f64::from(b)
        };
        let steps: Vec<f64> = (0..=20)
            .map(|i| lightness(viridis(f64::from(i) / 20.0)))
            .collect();
        assert!(steps.windows(2).all(|w| w[0] < w[1]), "{steps:?}");
        assert_eq!(viridis(-1.0), viridis(0.0));
        assert_eq!(viridis(f64::NAN), viridis(0.0));
    }

    #[test]
    fn every_line_style_differs_in_colour_dash_or_marker() {
        for (i, a) in LINE_STYLES.iter().enumerate() {
            for b in &LINE_STYLES[i + 1..] {
                assert!(
                    a.colour != b.colour,
                    "{} twice: a colour is each line's own",
                    a.colour
                );
            }
        }
        // In greyscale the colours may meet: dash and marker together tell them apart.
        let pairs: std::collections::HashSet<(&str, u8)> = LINE_STYLES
            .iter()
            .map(|s| (s.dash, s.marker as u8))
            .collect();
        assert_eq!(pairs.len(), STYLES);
    }

    #[test]
    fn long_labels_wrap_at_spaces_and_inside_chinese() {
        let wide = "hits per 10,000 Han characters, the unit's meetings within each tenure";
        let lines = wrap(wide, SMALL, 200.0);
        assert_eq!(lines.join(" "), wide);
        assert!(lines.len() > 1 && lines.iter().all(|l| text_width(l, SMALL) <= 200.0));
        let chinese = "二".repeat(30);
        let lines = wrap(&chinese, SMALL, 110.0);
        assert_eq!(lines.concat(), chinese);
        assert_eq!(lines[0].chars().count(), 10);
    }

    #[test]
    fn text_is_escaped_and_kept_to_one_line() {
        assert_eq!(
            escape("<a & 'b'>\n\"c\"\u{7}"),
            "&lt;a &amp; &apos;b&apos;&gt; &quot;c&quot;"
        );
    }
}
