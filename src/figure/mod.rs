//! Figures for papers: the charts of the dashboard as SVG (and PNG) files, each with the
//! exact numbers it draws in a CSV file beside it.
//!
//! A [`Figure`] is what is drawn, typed: its kind, title, the axis that carries the
//! values (naming their denominator), the bars, cells or lines, where its numbers come
//! from (taxonomy name and hash, corpus) and its long-form data rows. [`build`] makes one
//! from an analysis and a [`Spec`] — the same groups, lines and pools the commands and
//! the dashboard show, never counted a second way; [`svg`] writes it by hand, Chinese
//! labels kept as text; [`png`] rasterises that SVG with a system font checked to have
//! every glyph of the labels.

pub mod build;
pub mod png;
pub mod svg;

pub use build::{build, Spec, TrendLine};

use std::path::{Path, PathBuf};

use crate::error::Error;

/// What a figure draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The themes of one unit-year, a bar each.
    Bars,
    /// Units × themes, a cell each, shaded by value.
    Heatmap,
    /// One theme for several units over the years.
    Timeline,
    /// Term series over the years, as `trend` computes them.
    Trend,
    /// The cumulative adoption curve of a term, as `adoption --curve`.
    Adoption,
    /// A leader's before and after, as `shift`.
    Shift,
}

impl Kind {
    /// Every kind, in the order help lists them.
    pub const ALL: [Kind; 6] = [
        Kind::Bars,
        Kind::Heatmap,
        Kind::Timeline,
        Kind::Trend,
        Kind::Adoption,
        Kind::Shift,
    ];

    /// The kind as the command line and file names write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Bars => "bars",
            Kind::Heatmap => "heatmap",
            Kind::Timeline => "timeline",
            Kind::Trend => "trend",
            Kind::Adoption => "adoption",
            Kind::Shift => "shift",
        }
    }

    /// The kind named `name`, if any.
    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Whether the kind follows terms given after it (`plot trend 河长制`).
    pub fn takes_terms(self) -> bool {
        matches!(self, Kind::Trend | Kind::Adoption)
    }
}

/// How a value is printed on a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Number {
    /// With this many decimals.
    Decimals(usize),
    /// A share of 0–1, as a percentage without decimals.
    Percent,
}

impl Number {
    /// `value` as the figure prints it.
    pub fn format(self, value: f64) -> String {
        match self {
            Number::Decimals(d) => format!("{value:.d$}"),
            Number::Percent => format!("{:.0}%", value * 100.0),
        }
    }
}

/// A series of bars: its name (for the legend) and a value per category.
#[derive(Debug, Clone, PartialEq)]
pub struct BarSeries {
    /// The legend entry; empty for the only series of a chart.
    pub name: String,
    /// A value per category, in the categories' order.
    pub values: Vec<f64>,
}

/// A line over the years: its name and its (year, value) points, each with an optional
/// label printed beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct LineSeries {
    /// The legend entry.
    pub name: String,
    /// The dated points, in year order. A year missing between two is a gap in the line.
    pub points: Vec<(i32, f64)>,
    /// A label per point (`3/5` units), or none.
    pub labels: Vec<String>,
}

/// What a figure draws.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// Horizontal bars: a row a category, a bar a series in each, the value printed at
    /// its end.
    Bars {
        /// The categories, top to bottom.
        categories: Vec<String>,
        /// One or more series (two for a before and after).
        series: Vec<BarSeries>,
    },
    /// A grid of cells shaded by value on a sequential scale, the value printed in each.
    Heatmap {
        /// The rows, top to bottom.
        rows: Vec<String>,
        /// The columns, left to right.
        columns: Vec<String>,
        /// A value per row and column.
        cells: Vec<Vec<f64>>,
    },
    /// Lines over the years.
    Lines {
        /// The lines, in legend order.
        series: Vec<LineSeries>,
    },
}

/// A figure: what it shows, its labels, its marks, its provenance and its data.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// What it draws.
    pub kind: Kind,
    /// The title: what, of whom, when.
    pub title: String,
    /// A line under the title: the pool behind the numbers (meetings, characters).
    pub subtitle: String,
    /// The label of the axis that carries the values, naming what they are divided by.
    pub value_label: String,
    /// How values are printed.
    pub number: Number,
    /// The marks.
    pub body: Body,
    /// Where the numbers come from, as (key, value): taxonomy, its SHA-256, the corpus,
    /// zhongdian's version. In the SVG's metadata and the CSV's header comment.
    pub stamp: Vec<(&'static str, String)>,
    /// The numbers drawn, as a long-form CSV (header line first): the rows of the
    /// command that computes them (`report`, `trend`, `adoption --curve`, `shift`).
    pub data: String,
}

impl Figure {
    /// Every label drawn as text: title, subtitle, axis label, categories, rows,
    /// columns, legend entries and point labels (not the numbers of the ticks and bars,
    /// which are digits).
    pub fn labels(&self) -> Vec<&str> {
        let mut labels = vec![
            self.title.as_str(),
            self.subtitle.as_str(),
            self.value_label.as_str(),
        ];
        match &self.body {
            Body::Bars { categories, series } => {
                labels.extend(categories.iter().map(String::as_str));
                labels.extend(series.iter().map(|s| s.name.as_str()));
            }
            Body::Heatmap { rows, columns, .. } => {
                labels.extend(rows.iter().map(String::as_str));
                labels.extend(columns.iter().map(String::as_str));
            }
            Body::Lines { series } => {
                for s in series {
                    labels.push(&s.name);
                    labels.extend(s.labels.iter().map(String::as_str));
                }
            }
        }
        labels.retain(|l| !l.is_empty());
        labels
    }

    /// The CSV written beside the figure: `# key: value` lines of its stamp, then its
    /// data.
    pub fn csv(&self) -> String {
        let mut out: String = self
            .stamp
            .iter()
            .map(|(key, value)| format!("# {key}: {}\n", one_line(value)))
            .collect();
        out.push_str(&format!("# figure: {}\n", one_line(&self.title)));
        out.push_str(&self.data);
        out
    }
}

/// Text for one line of a figure or its comments: control characters (line breaks
/// included) become spaces, and what XML cannot hold (other controls, U+FFFE, U+FFFF)
/// and what could reorder the text (bidirectional overrides) is left out.
pub fn one_line(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            '\u{FFFE}' | '\u{FFFF}' => None,
            c if crate::text::is_unsafe_for_terminal(c) => None,
            c => Some(c),
        })
        .collect()
}

/// The file format a figure is asked for, by its file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `FILE.svg`.
    Svg,
    /// `FILE.png`.
    Png,
}

impl Format {
    /// The format of `file`, by its extension (`.svg`, `.png`, in any case).
    pub fn of(file: &Path) -> Result<Format, Error> {
        let extension = file
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("svg") => Ok(Format::Svg),
            Some("png") => Ok(Format::Png),
            _ => Err(Error::FigureFile {
                file: file.to_path_buf(),
            }),
        }
    }
}

/// The data file beside figure `file`: the same name with `.csv`.
pub fn data_file(file: &Path) -> PathBuf {
    file.with_extension("csv")
}

/// A file for a figure exported from the dashboard: `zhongdian-KIND-LABEL-N.svg` in
/// `dir`, N the first number from 1 for which neither that file nor its data file is
/// there yet. `label` (a unit, a theme, a term) is kept to letters and digits of any
/// script, the rest made `_`, so that it is one safe file name.
pub fn free_file(dir: &Path, kind: Kind, label: &str) -> PathBuf {
    let mut safe: String = label
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    while safe.contains("__") {
        safe = safe.replace("__", "_");
    }
    let safe = safe.trim_matches('_');
    let stem = if safe.is_empty() {
        format!("zhongdian-{}", kind.as_str())
    } else {
        format!("zhongdian-{}-{safe}", kind.as_str())
    };
    (1..)
        .map(|n| dir.join(format!("{stem}-{n}.svg")))
        .find(|file| !file.exists() && !data_file(file).exists())
        .unwrap_or_else(|| dir.join(format!("{stem}.svg")))
}

/// What writing a figure did.
#[derive(Debug)]
pub enum Written {
    /// The figure went to its file, its data beside it.
    Figure {
        /// The figure's file.
        file: PathBuf,
        /// Its data's.
        data: PathBuf,
    },
    /// No font could draw the PNG's labels: the SVG went to the file of the same name
    /// with `.svg`, its data beside it.
    Svg {
        /// Why there is no PNG.
        why: Error,
        /// The SVG's file.
        file: PathBuf,
        /// Its data's.
        data: PathBuf,
    },
}

/// Writes `figure` to `file` as `format` asks and its data to [`data_file`], each file
/// whole or not at all (see [`crate::cli::output::Destination::write`]). A PNG that no
/// system font can label is written as SVG instead.
pub fn write(figure: &Figure, file: &Path, format: Format) -> Result<Written, Error> {
    use crate::cli::output::{Destination, Output};
    let put =
        |path: &Path, output: Output| Destination::File(path.to_path_buf()).write("", &output);
    let drawn = svg::render(figure);
    let data = data_file(file);
    let written = match format {
        Format::Svg => {
            put(file, drawn.into())?;
            Written::Figure {
                file: file.to_path_buf(),
                data: data.clone(),
            }
        }
        Format::Png => match png::find_font(&svg::drawn_text(&drawn)) {
            Ok(font) => {
                let image = png::render(&drawn, font, &figure.title, &figure.stamp)?;
                put(file, Output::Binary(image))?;
                Written::Figure {
                    file: file.to_path_buf(),
                    data: data.clone(),
                }
            }
            Err(why) => {
                let svg_file = file.with_extension("svg");
                put(&svg_file, drawn.into())?;
                Written::Svg {
                    why,
                    file: svg_file,
                    data: data.clone(),
                }
            }
        },
    };
    put(&data, figure.csv().into())?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_drops_controls_and_overrides_and_keeps_chinese() {
        assert_eq!(
            one_line("红旗区\n2023\t\u{1b}[31m\u{202E}x"),
            "红旗区 2023 [31mx"
        );
        assert_eq!(one_line("a\u{FFFF}b"), "ab");
    }

    #[test]
    fn a_figure_file_is_svg_or_png_and_nothing_else() {
        assert_eq!(Format::of(Path::new("a/b.SVG")), Ok(Format::Svg));
        assert_eq!(Format::of(Path::new("b.png")), Ok(Format::Png));
        assert!(Format::of(Path::new("b.pdf")).is_err());
        assert!(Format::of(Path::new("b")).is_err());
        assert_eq!(data_file(Path::new("out/f.png")), Path::new("out/f.csv"));
    }

    #[test]
    fn an_exported_file_is_named_safely_and_never_replaces_one() {
        let dir = tempfile::tempdir().unwrap();
        let first = free_file(dir.path(), Kind::Bars, "丰泽区 泉州市/../x");
        assert_eq!(
            first,
            dir.path().join("zhongdian-bars-丰泽区_泉州市_x-1.svg")
        );
        std::fs::write(data_file(&first), "").unwrap();
        assert_eq!(
            free_file(dir.path(), Kind::Bars, "丰泽区 泉州市/../x"),
            dir.path().join("zhongdian-bars-丰泽区_泉州市_x-2.svg"),
            "a data file of the name takes it too"
        );
        assert_eq!(
            free_file(dir.path(), Kind::Heatmap, "\u{1b}"),
            dir.path().join("zhongdian-heatmap-1.svg")
        );
    }

    #[test]
    fn numbers_print_as_asked() {
        assert_eq!(Number::Decimals(1).format(126.66), "126.7");
        assert_eq!(Number::Percent.format(0.5), "50%");
    }
}
