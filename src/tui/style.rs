//! How the dashboard looks on the terminal it has: colour or not (NO_COLOR), Unicode or
//! plain ASCII (`--ascii`). Every glyph and colour a view uses comes from here.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

/// What the terminal can show, which every draw function is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// Whether to colour (off under NO_COLOR).
    pub color: bool,
    /// Whether to draw in plain ASCII only (`--ascii`).
    pub ascii: bool,
}

const ASCII_BORDER: border::Set = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

impl Palette {
    /// Colour unless NO_COLOR is set (to anything non-empty), as no-color.org asks.
    pub fn from_env(ascii: bool) -> Palette {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Palette {
            color: !no_color,
            ascii,
        }
    }

    pub(crate) fn border(self) -> border::Set<'static> {
        if self.ascii {
            ASCII_BORDER
        } else {
            border::ROUNDED
        }
    }

    pub(crate) fn bar(self) -> char {
        if self.ascii {
            '#'
        } else {
            '█'
        }
    }

    /// Partial blocks for the last cell of a bar, eighths 1–7.
    pub(crate) fn bar_eighth(self, eighths: usize) -> Option<char> {
        if self.ascii || eighths == 0 {
            return None;
        }
        ['▏', '▎', '▍', '▌', '▋', '▊', '▉']
            .get(eighths - 1)
            .copied()
    }

    /// `unicode`, or `ascii` for a terminal without the glyph (`--ascii`).
    fn glyph(self, unicode: &'static str, ascii: &'static str) -> &'static str {
        if self.ascii {
            ascii
        } else {
            unicode
        }
    }

    /// A tenure's band on the Leaders view's time axis.
    pub(crate) fn band(self) -> &'static str {
        self.glyph("━", "=")
    }

    /// The unknown time between two holders of an office.
    pub(crate) fn unknown(self) -> &'static str {
        self.glyph("┄", ".")
    }

    /// From one value to the next (4→2).
    pub(crate) fn arrow(self) -> &'static str {
        self.glyph("→", "->")
    }

    /// A change of holder, on a time axis.
    pub(crate) fn change(self) -> &'static str {
        self.glyph("▼", "v")
    }

    /// A contradicting sighting, on a time axis.
    pub(crate) fn conflict(self) -> &'static str {
        "!"
    }

    /// A value from 0 (none) to 8 (the largest) as one cell of a sparkline.
    pub(crate) fn spark(self, level: usize) -> char {
        let levels: [char; 9] = if self.ascii {
            [' ', '_', '.', '-', '~', '=', '+', '*', '#']
        } else {
            [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█']
        };
        levels[level.min(8)]
    }

    pub(crate) fn ellipsis(self) -> &'static str {
        self.glyph("…", "~")
    }

    /// What stands between the parts of a title or a line.
    pub(crate) fn dot(self) -> &'static str {
        self.glyph(" · ", " - ")
    }

    /// Before an aside (`— q quits`).
    pub(crate) fn aside(self) -> &'static str {
        self.glyph(" — ", " - ")
    }

    /// Between the first and last of a range of years.
    pub(crate) fn to(self) -> &'static str {
        self.glyph("–", "-")
    }

    pub(crate) fn up_down(self) -> &'static str {
        self.glyph("↑↓", "up/down")
    }

    pub(crate) fn left_right(self) -> &'static str {
        self.glyph("← →", "<- ->")
    }

    pub(crate) fn fg(self, color: Color) -> Style {
        if self.color {
            Style::default().fg(color)
        } else {
            Style::default()
        }
    }

    /// The selected row or cell: reversed video needs no colour.
    pub(crate) fn selected(self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    pub(crate) fn title(self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    pub(crate) fn dim(self) -> Style {
        if self.color {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default()
        }
    }

    pub(crate) fn warning(self) -> Style {
        if self.color {
            Style::default().fg(Color::Yellow)
        } else {
            Style::default().add_modifier(Modifier::BOLD)
        }
    }

    /// A keyword inside a sentence: bold and underlined, so it stands out without colour.
    pub(crate) fn keyword(self) -> Style {
        self.fg(Color::Yellow)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    /// A theme's colour from its taxonomy name (`lightblue`, `#3366cc` …).
    pub(crate) fn theme(self, name: &str) -> Style {
        self.fg(name.parse::<Color>().unwrap_or(Color::Gray))
    }

    /// A heat-map cell for a value at `level` (0–4) of the column's range: background
    /// shades of the 16-colour palette, values printed on top in any case.
    pub(crate) fn heat(self, level: usize) -> Style {
        if !self.color {
            return if level >= 3 {
                Style::default().add_modifier(Modifier::BOLD)
            } else {
                Style::default()
            };
        }
        let background = [
            Color::Reset,
            Color::Blue,
            Color::Cyan,
            Color::Yellow,
            Color::Red,
        ];
        let bg = background[level.min(4)];
        if level == 0 {
            Style::default()
        } else {
            Style::default().bg(bg).fg(Color::Black)
        }
    }
}
