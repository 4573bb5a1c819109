//! Drawing: functions of the state alone. They read [`App`] and write to a frame; no draw
//! function changes anything, so a frame is a pure picture of the state.

mod chart;
mod compare;
mod districts;
mod evidence;
mod leaders;
mod meetings;
mod timeline;
mod trends;

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::app::{App, CorpusLoad, PromptFor, View};
use super::keymap;
use super::layout::{MIN_HEIGHT, MIN_WIDTH};
use super::style::Palette;
use crate::aggregate::Group;
use crate::text::{terminal_safe, truncate_to_width, width};

/// Draws the whole screen for the current state.
pub fn draw(frame: &mut Frame<'_>, app: &App, palette: Palette) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area);
        return;
    }
    let [tabs, main, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_tabs(frame, tabs, app, palette);
    match app.analysis.as_deref() {
        None => loading(frame, main, app, palette),
        Some(_) if app.reader.is_some() => evidence::reader(frame, main, app, palette),
        Some(_) => match app.view {
            View::Districts => districts::draw(frame, main, app, palette),
            View::Compare => compare::draw(frame, main, app, palette),
            View::Timeline => timeline::draw(frame, main, app, palette),
            View::Evidence => evidence::draw(frame, main, app, palette),
            View::Meetings => meetings::draw(frame, main, app, palette),
            View::Leaders => leaders::draw(frame, main, app, palette),
            View::Trends => trends::draw(frame, main, app, palette),
        },
    }
    draw_status(frame, status, app, palette);
    draw_footer(frame, footer, app, palette);
    if app.help {
        help(frame, main, app, palette);
    }
}

fn too_small(frame: &mut Frame<'_>, area: Rect) {
    let message = format!(
        "needs at least {MIN_WIDTH}×{MIN_HEIGHT} (now {}×{})",
        area.width, area.height
    );
    let line = truncate_to_width(&message, usize::from(area.width), "~").into_owned();
    centered_line(frame, area, line);
}

/// One line of text across the middle row of `area`.
fn centered_line(frame: &mut Frame<'_>, area: Rect, text: String) {
    if area.height == 0 {
        return;
    }
    let row = Rect {
        y: area.y + area.height / 2,
        height: 1,
        ..area
    };
    frame.render_widget(Paragraph::new(text), row);
}

fn loading(frame: &mut Frame<'_>, area: Rect, app: &App, palette: Palette) {
    let l = app.loading;
    let mb = l.bytes_done as f64 / 1_048_576.0;
    let rate = if l.seconds > 0.0 {
        l.files_done as f64 / l.seconds
    } else {
        0.0
    };
    let text = format!(
        "Reading the corpus: {} of {} files, {mb:.1} MB, {rate:.0} files/s{}q quits",
        l.files_done,
        l.files_total,
        palette.aside()
    );
    centered_line(frame, area, text);
}

fn draw_tabs(frame: &mut Frame<'_>, area: Rect, app: &App, palette: Palette) {
    let tab_style = |view: View| {
        if view == app.view {
            palette.selected()
        } else {
            Style::default()
        }
    };
    let roomy: Vec<Span<'static>> = View::ALL
        .iter()
        .enumerate()
        .map(|(i, &view)| Span::styled(format!(" {} {} ", i + 1, view.title()), tab_style(view)))
        .collect();
    // On a narrow terminal the tabs close up, one space between them, so that the
    // measure's name still fits: it says what every number on screen is.
    let measure_name = match app.view {
        View::Trends => app.trends.value.short(),
        _ => app.measure.short(),
    };
    let short_measure = format!(" {measure_name} ");
    let tabs_w = |tabs: &[Span<'static>]| tabs.iter().map(|s| width(&s.content)).sum::<usize>();
    // Narrower still, only the view shown keeps its name; the others are their keys.
    let close = |named: &dyn Fn(View) -> bool| {
        let mut close = vec![Span::raw(" ")];
        for (i, &view) in View::ALL.iter().enumerate() {
            if i > 0 {
                close.push(Span::raw(" "));
            }
            let tab = if named(view) {
                format!("{} {}", i + 1, view.title())
            } else {
                (i + 1).to_string()
            };
            close.push(Span::styled(tab, tab_style(view)));
        }
        close
    };
    let fits =
        |tabs: &[Span<'static>]| tabs_w(tabs) + width(&short_measure) <= usize::from(area.width);
    let tabs = if fits(&roomy) {
        roomy
    } else {
        let all_named = close(&|_| true);
        if fits(&all_named) {
            all_named
        } else {
            close(&|view| view == app.view)
        }
    };
    let room = usize::from(area.width).saturating_sub(tabs_w(&tabs));
    // The name and the measure's key hint go first when room is short; the measure's
    // name stays.
    let long = format!(" measure: {measure_name} (m) ");
    let (name, measure) = if room >= width(" zhongdian ") + width(&long) {
        (Some(" zhongdian "), long)
    } else {
        (None, short_measure)
    };
    let mut spans: Vec<Span<'static>> = name
        .map(|n| Span::styled(n, palette.title()))
        .into_iter()
        .collect();
    spans.extend(tabs);
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    let gap = usize::from(area.width).saturating_sub(used + width(&measure));
    spans.push(Span::raw(" ".repeat(gap)));
    spans.push(Span::styled(measure, palette.title()));
    frame.render_widget(
        Paragraph::new(fit(Line::from(spans), area.width, palette)),
        area,
    );
}

fn draw_status(frame: &mut Frame<'_>, area: Rect, app: &App, palette: Palette) {
    let line = if let Some(prompt) = &app.prompt {
        let asks = match prompt.purpose {
            PromptFor::View => "/".to_owned(),
            PromptFor::Try(theme) => format!("try a keyword for {}: ", theme_name(app, theme)),
        };
        Line::from(vec![
            Span::styled(terminal_safe(&asks).into_owned(), palette.title()),
            Span::raw(terminal_safe(&prompt.text).into_owned()),
            Span::styled("▏", Style::default().add_modifier(Modifier::SLOW_BLINK)),
        ])
    } else if let Some(broken) = &app.themes_error {
        // Until the file is fixed: the numbers on screen are the last good taxonomy's.
        Line::styled(
            terminal_safe(&format!(
                "themes not used: {broken} — the last good themes stay"
            ))
            .into_owned(),
            palette.warning(),
        )
    } else if let Some(status) = &app.status {
        Line::styled(terminal_safe(status).into_owned(), palette.warning())
    } else if let Some(pending) = pending_work(app) {
        Line::styled(terminal_safe(&pending).into_owned(), palette.warning())
    } else {
        let denominator = match app.view {
            View::Trends => app.trends.value.denominator(),
            _ => app.measure.describe(),
        };
        Line::styled(format!("denominator: {denominator}"), palette.dim())
    };
    frame.render_widget(Paragraph::new(fit(line, area.width, palette)), area);
}

/// What the dashboard is waiting for, if anything: a meeting's text, sentences being
/// read, the rest of the corpus.
fn pending_work(app: &App) -> Option<String> {
    let analysis = app.analysis.as_deref()?;
    if let Some(load) = &app.text_load {
        let file = analysis
            .meetings
            .get(load.meeting)
            .map_or("the meeting", |m| m.meeting.file.as_str());
        return Some(format!("opening {file}…"));
    }
    if let Some((_, theme, term)) = &app.try_load {
        return Some(format!(
            "trying “{term}” as a keyword of {} on every meeting… (Esc stops)",
            theme_name(app, *theme)
        ));
    }
    if app.recounting() {
        return Some("re-counting with the edited themes…".into());
    }
    if app.panel_load.is_some() && app.view == View::Leaders && app.leader_panel.is_none() {
        return Some("comparing the meetings before and after…".into());
    }
    if let Some(load) = &app.level_load {
        return Some(format!("pooling the meetings into {}…", load.level.rows()));
    }
    if let Some(load) = app
        .evidence_load
        .as_ref()
        .filter(|_| app.view == View::Evidence)
    {
        return Some(format!(
            "reading the meetings for evidence: {} of {}…",
            load.read, load.total
        ));
    }
    match app.load {
        CorpusLoad::Partial { read, total } => Some(format!(
            "partial: {read} of {total} reports read so far; the figures will change"
        )),
        CorpusLoad::Checking => Some("from the cache; checking the corpus for changes…".into()),
        CorpusLoad::Reading | CorpusLoad::Current => None,
    }
}

fn draw_footer(frame: &mut Frame<'_>, area: Rect, app: &App, palette: Palette) {
    let mut spans = Vec::new();
    // ←/→ only where the keymap gives them something to do.
    let sideways = keymap::bindings_for(app.view).any(|b| b.action == keymap::Action::Left);
    let nav = match (palette.ascii, sideways) {
        (false, true) => "↑↓ ←→",
        (false, false) => "↑↓",
        (true, true) => "arrows/hjkl",
        (true, false) => "arrows/jk",
    };
    spans.push(Span::styled(nav, palette.title()));
    spans.push(Span::raw(" move  "));
    for (key, word) in keymap::footer_for(app.view) {
        spans.push(Span::styled(key, palette.title()));
        spans.push(Span::raw(format!(" {word}  ")));
    }
    frame.render_widget(
        Paragraph::new(fit(Line::from(spans), area.width, palette)),
        area,
    );
}

/// The name of the theme at index `theme`, or nothing before an analysis has arrived
/// (or once a re-count has dropped it).
fn theme_name(app: &App, theme: usize) -> &str {
    (app.analysis.as_deref())
        .and_then(|a| a.measurer.taxonomy.themes.get(theme))
        .map_or("", |t| t.name.as_str())
}

/// A line cut to `width` cells, span by span, with a marker where it was cut.
pub(crate) fn fit(line: Line<'static>, max: u16, palette: Palette) -> Line<'static> {
    let max = usize::from(max);
    let total: usize = line.spans.iter().map(|s| width(&s.content)).sum();
    if total <= max {
        return line;
    }
    let mut used = 0;
    let mut spans = Vec::new();
    for span in line.spans {
        let w = width(&span.content);
        if used + w < max {
            used += w;
            spans.push(span);
        } else {
            let room = max.saturating_sub(used);
            let cut = truncate_to_width(&span.content, room, palette.ellipsis()).into_owned();
            spans.push(Span::styled(cut, span.style));
            break;
        }
    }
    Line::from(spans)
}

/// `text` made terminal-safe and cut or padded to exactly `w` cells. Padding counts
/// display width, not characters: a Chinese character takes two cells, and a column
/// padded by characters runs out of line.
pub(crate) fn padded(text: &str, w: usize, palette: Palette) -> String {
    let text = truncate_to_width(&terminal_safe(text), w, palette.ellipsis()).into_owned();
    let pad = " ".repeat(w.saturating_sub(width(&text)));
    format!("{text}{pad}")
}

/// `1 meeting`, `3,214 meetings`: a count of meetings as the status line says it.
pub(crate) fn counted_meetings(n: usize) -> String {
    counted(n, "meeting")
}

pub(crate) use crate::text::counted;

/// What a pooled group holds, for the views above county level: `2 units, 3 meetings`.
pub(crate) fn pooled_size(group: &Group) -> String {
    format!(
        "{}, {}",
        counted(group.units, "unit"),
        counted(group.meetings.len(), "meeting")
    )
}

/// A bordered block with a title.
pub(crate) fn block(title: &str, focused: bool, palette: Palette) -> Block<'static> {
    let style = if focused {
        palette.title()
    } else {
        Style::default()
    };
    Block::default()
        .borders(Borders::ALL)
        .border_set(palette.border())
        .border_style(style)
        .title(Span::styled(format!(" {} ", terminal_safe(title)), style))
}

/// One horizontal bar: a label, the bar, the value printed (bars never rely on colour).
pub(crate) struct Bar {
    pub label: String,
    pub value: f64,
    pub text: String,
    pub style: Style,
    pub selected: bool,
}

/// Bars scaled to the largest value, laid out in `width` cells.
pub(crate) fn bars(items: &[Bar], width_cells: u16, palette: Palette) -> Vec<Line<'static>> {
    let total = usize::from(width_cells);
    let label_w = items
        .iter()
        .map(|b| width(&b.label))
        .max()
        .unwrap_or(0)
        .min(total / 3)
        .min(16);
    let value_w = items.iter().map(|b| width(&b.text)).max().unwrap_or(0);
    let bar_w = total.saturating_sub(label_w + value_w + 2);
    let max = items.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    items
        .iter()
        .map(|b| {
            let label = truncate_to_width(&terminal_safe(&b.label), label_w, palette.ellipsis())
                .into_owned();
            let pad = " ".repeat(label_w.saturating_sub(width(&label)));
            let eighths = if max > 0.0 {
                ((b.value / max) * (bar_w * 8) as f64).round() as usize
            } else {
                0
            };
            let mut bar: String = std::iter::repeat_n(palette.bar(), eighths / 8).collect();
            if let Some(part) = palette.bar_eighth(eighths % 8) {
                bar.push(part);
            }
            let bar_pad = " ".repeat(bar_w.saturating_sub(width(&bar)));
            let label_style = if b.selected {
                palette.selected()
            } else {
                Style::default()
            };
            Line::from(vec![
                Span::styled(format!("{label}{pad}"), label_style),
                Span::raw(" "),
                Span::styled(bar, b.style),
                Span::raw(format!("{bar_pad} ")),
                Span::raw(format!("{:>value_w$}", b.text)),
            ])
        })
        .collect()
}

/// Clears `area` for an overlay. A double-width character that starts just left of the
/// area would hang into it and leave half a glyph on the border; it is blanked too.
pub(crate) fn clear(frame: &mut Frame<'_>, area: Rect) {
    frame.render_widget(Clear, area);
    if area.x == 0 {
        return;
    }
    let buffer = frame.buffer_mut();
    for y in area.top()..area.bottom() {
        if let Some(cell) = buffer.cell_mut((area.x - 1, y)) {
            if width(cell.symbol()) > 1 {
                cell.set_symbol(" ");
            }
        }
    }
}

/// The first row to show so that `selected` is visible in `height` rows.
pub(crate) fn scroll_for(selected: usize, height: usize) -> usize {
    if height == 0 {
        return selected;
    }
    selected.saturating_sub(height - 1)
}

fn help(frame: &mut Frame<'_>, area: Rect, app: &App, palette: Palette) {
    let lines: Vec<Line<'static>> = keymap::bindings_for(app.view)
        .map(|b| {
            let keys: Vec<String> = b.keys.iter().map(|k| k.label_for(palette.ascii)).collect();
            Line::from(vec![
                Span::styled(format!("{:<16}", keys.join(" / ")), palette.title()),
                Span::raw(b.help),
            ])
        })
        .collect();
    let w = (lines.iter().map(|l| l.width()).max().unwrap_or(20) as u16 + 4).min(area.width);
    let h = (lines.len() as u16 + 2).min(area.height);
    // More bindings than rows: ↑↓ scroll them (kept in range here, where the room is
    // known), and the title says so.
    let room = usize::from(h.saturating_sub(2));
    let first = app.help_scroll.min(lines.len().saturating_sub(room));
    let scrolls = lines.len() > room;
    let lines: Vec<Line<'static>> = lines.into_iter().skip(first).collect();
    let popup = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    clear(frame, popup);
    let title = format!(
        "keys in {}{}{}Esc or ? closes",
        app.view.title(),
        palette.aside(),
        if scrolls {
            format!("{} more · ", palette.up_down())
        } else {
            String::new()
        }
    );
    frame.render_widget(
        Paragraph::new(lines).block(block(&title, true, palette)),
        popup,
    );
}
