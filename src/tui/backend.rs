//! A crossterm backend that writes the same screen as ratatui's `CrosstermBackend` in
//! fewer bytes. The dashboard is used over SSH, where a frame's bytes are its cost.
//!
//! ratatui already sends only the cells that changed; what this changes is how they are
//! encoded:
//! - The cursor is followed across double-width characters. ratatui's backend assumes
//!   every cell moves it one column, so after each Chinese character it sends a fresh
//!   cursor position (`ESC[row;colH`, 6–8 bytes for a 3-byte character). Here a
//!   character known to be wide in every terminal (CJK, not emoji, whose widths changed
//!   between Unicode versions) moves the cursor two; any other multi-column or unknown
//!   symbol is followed by an absolute move, as before.
//! - A jump right on the same row is `ESC[nC` when that is shorter than `ESC[r;cH`.
//! - Style changes are one SGR sequence with only what changed, in the 16-colour codes
//!   (`33`, `94`) rather than `38;5;n`, or a reset and the new style when that is shorter.
//!   The 16-colour codes are also what a 16-colour terminal understands best.
//! - Colours are left out when crossterm would leave them out (NO_COLOR), as ratatui's
//!   backend does.
//!
//! Everything else (cursor, clearing, sizes) is what `CrosstermBackend` does.

use std::io::{self, Write};

use crossterm::cursor::{Hide, MoveTo, Show};
use crossterm::style::Colored;
use crossterm::terminal::{self, Clear};
use crossterm::{execute, queue};
use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

/// A backend over `writer` (stdout, or a `Vec<u8>` in tests).
pub struct LeanBackend<W: Write> {
    writer: W,
}

impl<W: Write> LeanBackend<W> {
    /// A backend that draws by writing to `writer`.
    pub fn new(writer: W) -> LeanBackend<W> {
        LeanBackend { writer }
    }
}

/// The terminal's current drawing style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pen {
    fg: Color,
    bg: Color,
    underline: Color,
    modifier: Modifier,
}

const PLAIN: Pen = Pen {
    fg: Color::Reset,
    bg: Color::Reset,
    underline: Color::Reset,
    modifier: Modifier::empty(),
};

impl Pen {
    fn of(cell: &Cell) -> Pen {
        Pen {
            fg: cell.fg,
            bg: cell.bg,
            underline: cell.underline_color,
            modifier: cell.modifier,
        }
    }
}

/// SGR codes that set each modifier, and the code that clears it.
const MODIFIERS: [(Modifier, u8, u8); 9] = [
    (Modifier::BOLD, 1, 22),
    (Modifier::DIM, 2, 22),
    (Modifier::ITALIC, 3, 23),
    (Modifier::UNDERLINED, 4, 24),
    (Modifier::SLOW_BLINK, 5, 25),
    (Modifier::RAPID_BLINK, 6, 25),
    (Modifier::REVERSED, 7, 27),
    (Modifier::HIDDEN, 8, 28),
    (Modifier::CROSSED_OUT, 9, 29),
];

/// The SGR parameter for `color` as foreground (`base` 30), background (40) or
/// underline (50, which has no 16-colour short form).
fn color_param(out: &mut String, base: u8, color: Color) {
    use std::fmt::Write as _;
    let index = match color {
        Color::Reset => {
            let _ = write!(out, "{}", base + 9);
            return;
        }
        Color::Black => 0,
        Color::Red => 1,
        Color::Green => 2,
        Color::Yellow => 3,
        Color::Blue => 4,
        Color::Magenta => 5,
        Color::Cyan => 6,
        Color::Gray => 7,
        Color::DarkGray => 8,
        Color::LightRed => 9,
        Color::LightGreen => 10,
        Color::LightYellow => 11,
        Color::LightBlue => 12,
        Color::LightMagenta => 13,
        Color::LightCyan => 14,
        Color::White => 15,
        Color::Indexed(i) => {
            let _ = write!(out, "{};5;{i}", base + 8);
            return;
        }
        Color::Rgb(r, g, b) => {
            let _ = write!(out, "{};2;{r};{g};{b}", base + 8);
            return;
        }
    };
    let _ = match (base, index) {
        (50, i) => write!(out, "58;5;{i}"),
        (b, i @ 0..8) => write!(out, "{}", b + i),
        (b, i) => write!(out, "{}", b + 60 + i - 8),
    };
}

/// The parameters (without `ESC[` and `m`) that take the terminal from `from` to `to`.
fn sgr_params(from: Pen, to: Pen, colors: bool) -> String {
    let push = |out: &mut String, code: &dyn Fn(&mut String)| {
        if !out.is_empty() {
            out.push(';');
        }
        code(out);
    };
    // Step by step: clear what goes, set what comes, change the colours that changed.
    let mut step = String::new();
    let gone = from.modifier - to.modifier;
    let mut set = to.modifier - from.modifier;
    let mut cleared = Vec::new();
    for (m, _, off) in MODIFIERS {
        if gone.contains(m) && !cleared.contains(&off) {
            cleared.push(off);
            push(&mut step, &|o| o.push_str(&off.to_string()));
            // A shared off code (22 bold and dim, 25 both blinks) clears the partner too.
            for (partner, _, partner_off) in MODIFIERS {
                if partner_off == off && to.modifier.contains(partner) {
                    set |= partner;
                }
            }
        }
    }
    for (m, on, _) in MODIFIERS {
        if set.contains(m) {
            push(&mut step, &|o| o.push_str(&on.to_string()));
        }
    }
    if colors {
        for (base, a, b) in [
            (30, from.fg, to.fg),
            (40, from.bg, to.bg),
            (50, from.underline, to.underline),
        ] {
            if a != b {
                push(&mut step, &|o| color_param(o, base, b));
            }
        }
    }
    // From scratch: reset, then everything `to` has.
    let mut fresh = String::from("0");
    for (m, on, _) in MODIFIERS {
        if to.modifier.contains(m) {
            push(&mut fresh, &|o| o.push_str(&on.to_string()));
        }
    }
    if colors {
        for (base, c) in [(30, to.fg), (40, to.bg), (50, to.underline)] {
            if c != Color::Reset {
                push(&mut fresh, &|o| color_param(o, base, c));
            }
        }
    }
    if fresh.len() < step.len() {
        fresh
    } else {
        step
    }
}

/// Where the cursor is after `symbol` is printed at `x`, if every terminal agrees.
fn after(x: u16, symbol: &str) -> Option<u16> {
    let mut chars = symbol.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        // Empty, or a cluster of several characters: widths terminals disagree on.
        return None;
    };
    match symbol.width() {
        // As ratatui's own backend assumes of every cell.
        1 => Some(x + 1),
        2 if settled_wide(c) => Some(x + 2),
        _ => None,
    }
}

/// CJK blocks: double width in every terminal for as long as there have been any.
fn settled_wide(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{115F}'
        | '\u{2E80}'..='\u{303E}'
        | '\u{3041}'..='\u{33FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{A000}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}'
        | '\u{20000}'..='\u{3FFFD}')
}

fn digits(n: u16) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

impl<W: Write> Backend for LeanBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let colors = !Colored::ansi_color_disabled_memoized();
        let mut pen = PLAIN;
        let mut cursor: Option<Position> = None;
        for (x, y, cell) in content {
            match cursor {
                Some(p) if p.y == y && p.x == x => {}
                Some(p)
                    if p.y == y && p.x < x && {
                        let n = x - p.x;
                        let right = if n == 1 { 3 } else { 3 + digits(n) };
                        right < 4 + digits(y + 1) + digits(x + 1)
                    } =>
                {
                    match x - p.x {
                        1 => self.writer.write_all(b"\x1b[C")?,
                        n => write!(self.writer, "\x1b[{n}C")?,
                    }
                }
                _ => queue!(self.writer, MoveTo(x, y))?,
            }
            let next = Pen::of(cell);
            if next != pen {
                write!(self.writer, "\x1b[{}m", sgr_params(pen, next, colors))?;
                pen = next;
            }
            self.writer.write_all(cell.symbol().as_bytes())?;
            cursor = after(x, cell.symbol()).map(|x| Position { x, y });
        }
        if pen != PLAIN {
            self.writer.write_all(b"\x1b[0m")?;
        }
        Ok(())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        execute!(self.writer, Hide)
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        execute!(self.writer, Show)
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        crossterm::cursor::position().map(|(x, y)| Position { x, y })
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let Position { x, y } = position.into();
        execute!(self.writer, MoveTo(x, y))
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        use crossterm::terminal::ClearType as C;
        let kind = match clear_type {
            ClearType::All => C::All,
            ClearType::AfterCursor => C::FromCursorDown,
            ClearType::BeforeCursor => C::FromCursorUp,
            ClearType::CurrentLine => C::CurrentLine,
            ClearType::UntilNewLine => C::UntilNewLine,
        };
        execute!(self.writer, Clear(kind))
    }

    fn size(&self) -> io::Result<Size> {
        let (width, height) = terminal::size()?;
        Ok(Size { width, height })
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        let size = terminal::window_size()?;
        Ok(WindowSize {
            columns_rows: Size {
                width: size.columns,
                height: size.rows,
            },
            pixels: Size {
                width: size.width,
                height: size.height,
            },
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pen(fg: Color, bg: Color, modifier: Modifier) -> Pen {
        Pen {
            fg,
            bg,
            underline: Color::Reset,
            modifier,
        }
    }

    #[test]
    fn sgr_sends_only_what_changed_in_the_short_codes() {
        let yellow = pen(Color::Yellow, Color::Reset, Modifier::empty());
        assert_eq!(sgr_params(PLAIN, yellow, true), "33");
        let light = pen(Color::LightBlue, Color::Reset, Modifier::empty());
        assert_eq!(sgr_params(yellow, light, true), "94");
        let light_bold = pen(Color::LightBlue, Color::Reset, Modifier::BOLD);
        assert_eq!(sgr_params(light_bold, light, true), "22");
        let heat = pen(Color::Black, Color::Red, Modifier::empty());
        assert_eq!(sgr_params(PLAIN, heat, true), "30;41");
        let grey = pen(Color::Indexed(244), Color::Rgb(1, 2, 3), Modifier::empty());
        assert_eq!(sgr_params(PLAIN, grey, true), "38;5;244;48;2;1;2;3");
    }

    #[test]
    fn sgr_clears_modifiers_and_restores_a_partner_sharing_the_off_code() {
        let bold_dim = pen(Color::Yellow, Color::Reset, Modifier::BOLD | Modifier::DIM);
        let dim = pen(Color::Yellow, Color::Reset, Modifier::DIM);
        // 22 ends bold and dim alike: dim is set again.
        assert_eq!(sgr_params(bold_dim, dim, true), "22;2");
        let reversed = pen(Color::Reset, Color::Reset, Modifier::REVERSED);
        assert_eq!(sgr_params(PLAIN, reversed, true), "7");
        let bold = pen(Color::Reset, Color::Reset, Modifier::BOLD);
        let bold_reversed = pen(
            Color::Reset,
            Color::Reset,
            Modifier::BOLD | Modifier::REVERSED,
        );
        assert_eq!(sgr_params(bold_reversed, bold, true), "27");
    }

    #[test]
    fn sgr_starts_over_when_that_is_shorter() {
        let busy = pen(
            Color::Yellow,
            Color::Blue,
            Modifier::BOLD | Modifier::UNDERLINED | Modifier::REVERSED,
        );
        assert_eq!(sgr_params(busy, PLAIN, true), "0");
        let yellow = pen(Color::Yellow, Color::Reset, Modifier::empty());
        assert_eq!(sgr_params(yellow, PLAIN, true), "0", "shorter than 39");
    }

    #[test]
    fn without_colour_no_colour_is_sent() {
        let yellow = pen(Color::Yellow, Color::Reset, Modifier::BOLD);
        assert_eq!(sgr_params(PLAIN, yellow, false), "1");
    }

    #[test]
    fn the_cursor_is_followed_only_across_widths_every_terminal_agrees_on() {
        assert_eq!(after(3, "a"), Some(4));
        assert_eq!(after(3, "█"), Some(4));
        assert_eq!(after(3, "区"), Some(5));
        assert_eq!(after(3, "，"), Some(5));
        // Emoji widths changed between Unicode versions; a cluster is not one char.
        assert_eq!(after(3, "😀"), None);
        assert_eq!(after(3, "e\u{301}"), None);
        assert_eq!(after(3, ""), None);
    }
}
