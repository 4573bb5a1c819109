//! The one table of key bindings: dispatch reads it, and so do the help overlay and the
//! footer, so what the screen says is what the keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::view::View;

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Leave the dashboard.
    Quit,
    /// Open the help overlay.
    Help,
    /// Close what is open over the view, else go back one view.
    Back,
    /// Switch to a view.
    ShowView(View),
    /// Focus the Districts view's next pane.
    FocusNext,
    /// Focus the Districts view's previous pane.
    FocusPrevious,
    /// One row up, or the reader one line up.
    Up,
    /// One row down, or the reader one line down.
    Down,
    /// The previous year or column.
    Left,
    /// The next year or column.
    Right,
    /// The first row.
    Top,
    /// The last row.
    Bottom,
    /// Half a screen down.
    HalfPageDown,
    /// Half a screen up.
    HalfPageUp,
    /// The sentences behind the selected number; on a sentence or a meeting, its text.
    Drill,
    /// Open the prompt: the district filter in the Districts view, a search elsewhere.
    Filter,
    /// The next row matching the search.
    NextMatch,
    /// The previous row matching the search.
    PreviousMatch,
    /// The next measure: per 10k chars, share of tokens, hits.
    CycleMeasure,
    /// The next level: county, prefecture, province.
    CycleLevel,
    /// Switch the word bars between frequent and distinctive words.
    ToggleWords,
    /// Show people's names in the word bars too, or leave them out again.
    ToggleNames,
    /// The next theme, of the Districts view's year chart or of the Timeline.
    CycleTheme,
    /// The Compare view's next year, `all years` first.
    CycleYear,
    /// Sort the heat map by the selected theme, or by district again.
    SortByTheme,
    /// Pin or unpin the selected district.
    Pin,
    /// The before and after of the selected leader's change.
    BeforeAfter,
    /// How themes moved on average over every change of the selected office.
    AcrossUnits,
    /// Why the selected sentence counts: its words, keywords and exclusions.
    Explain,
    /// Candidate keywords for the selected theme, in the keywords pane.
    Candidates,
    /// A term typed to try as a keyword of the selected theme: what it would add and
    /// where something else takes it, before the theme file is edited.
    TryKeyword,
    /// The Trends view's smoothing: none, then ±1, ±2, ±3 years.
    CycleSmoothing,
    /// Whose lines the Trends view draws: the corpus, the pinned units, the provinces.
    CycleTrendScope,
    /// Write the chart in view as an SVG figure, its data as CSV beside it.
    Export,
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// In every view.
    Everywhere,
    /// In these views only.
    Only(&'static [View]),
}

impl Scope {
    fn includes(self, view: View) -> bool {
        match self {
            Scope::Everywhere => true,
            Scope::Only(views) => views.contains(&view),
        }
    }
}

/// A key: its code and whether Ctrl is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    code: KeyCode,
    ctrl: bool,
}

const fn key(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

impl Key {
    /// The key's name, as the help and the footer print it.
    pub fn label(self) -> String {
        self.label_for(false)
    }

    /// The key's name, the arrows spelled out for a terminal without them (`--ascii`).
    pub fn label_for(self, ascii: bool) -> String {
        let arrow = |glyph: &str, word: &str| if ascii { word } else { glyph }.to_owned();
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => arrow("↑", "Up"),
            KeyCode::Down => arrow("↓", "Down"),
            KeyCode::Left => arrow("←", "Left"),
            KeyCode::Right => arrow("→", "Right"),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("Ctrl-{base}")
        } else {
            base
        }
    }
}

/// A row of the key table: keys, what they do and where, and how help and footer say it.
pub struct Binding {
    /// The keys bound, the first one named in the footer.
    pub keys: &'static [Key],
    /// What they ask for.
    pub action: Action,
    /// The views where they do it.
    pub scope: Scope,
    /// What they do, in the help overlay (and the README's table of keys).
    pub help: &'static str,
    /// The word shown for it in the footer of the views it applies to, if any.
    pub footer: Option<&'static str>,
}

use View::*;

/// Every key binding of the dashboard, in the order help lists them.
pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: &[ch('q'), ctrl('c')],
        action: Action::Quit,
        scope: Scope::Everywhere,
        help: "quit",
        footer: Some("quit"),
    },
    Binding {
        keys: &[ch('?')],
        action: Action::Help,
        scope: Scope::Everywhere,
        help: "help (this list)",
        footer: Some("help"),
    },
    Binding {
        keys: &[key(KeyCode::Esc)],
        action: Action::Back,
        scope: Scope::Everywhere,
        help: "back / close",
        footer: None,
    },
    Binding {
        keys: &[ch('1')],
        action: Action::ShowView(Districts),
        scope: Scope::Everywhere,
        help: "Districts view",
        footer: None,
    },
    Binding {
        keys: &[ch('2')],
        action: Action::ShowView(Compare),
        scope: Scope::Everywhere,
        help: "Compare view (heat map)",
        footer: None,
    },
    Binding {
        keys: &[ch('3')],
        action: Action::ShowView(Timeline),
        scope: Scope::Everywhere,
        help: "Timeline view",
        footer: None,
    },
    Binding {
        keys: &[ch('4')],
        action: Action::ShowView(Evidence),
        scope: Scope::Everywhere,
        help: "Evidence view",
        footer: None,
    },
    Binding {
        keys: &[ch('5')],
        action: Action::ShowView(Meetings),
        scope: Scope::Everywhere,
        help: "Meetings view",
        footer: None,
    },
    Binding {
        keys: &[ch('6')],
        action: Action::ShowView(Leaders),
        scope: Scope::Everywhere,
        help: "Leaders view",
        footer: None,
    },
    Binding {
        keys: &[ch('7')],
        action: Action::ShowView(Trends),
        scope: Scope::Everywhere,
        help: "Trends view (any term over the years)",
        footer: None,
    },
    Binding {
        keys: &[key(KeyCode::Tab)],
        action: Action::FocusNext,
        scope: Scope::Only(&[Districts, Trends]),
        help: "next pane",
        footer: None,
    },
    Binding {
        keys: &[key(KeyCode::BackTab)],
        action: Action::FocusPrevious,
        scope: Scope::Only(&[Districts, Trends]),
        help: "previous pane",
        footer: None,
    },
    Binding {
        keys: &[key(KeyCode::Up), ch('k')],
        action: Action::Up,
        scope: Scope::Everywhere,
        help: "move up",
        footer: None,
    },
    Binding {
        keys: &[key(KeyCode::Down), ch('j')],
        action: Action::Down,
        scope: Scope::Everywhere,
        help: "move down",
        footer: None,
    },
    Binding {
        keys: &[key(KeyCode::Left), ch('h')],
        action: Action::Left,
        scope: Scope::Only(&[Districts, Compare, Timeline, Trends]),
        help: "previous year / column",
        footer: None,
    },
    Binding {
        keys: &[key(KeyCode::Right), ch('l')],
        action: Action::Right,
        scope: Scope::Only(&[Districts, Compare, Timeline, Trends]),
        help: "next year / column",
        footer: None,
    },
    Binding {
        keys: &[ch('g')],
        action: Action::Top,
        scope: Scope::Everywhere,
        help: "top",
        footer: None,
    },
    Binding {
        keys: &[ch('G')],
        action: Action::Bottom,
        scope: Scope::Everywhere,
        help: "bottom",
        footer: None,
    },
    Binding {
        keys: &[ctrl('d')],
        action: Action::HalfPageDown,
        scope: Scope::Everywhere,
        help: "half a page down",
        footer: None,
    },
    Binding {
        keys: &[ctrl('u')],
        action: Action::HalfPageUp,
        scope: Scope::Everywhere,
        help: "half a page up",
        footer: None,
    },
    Binding {
        keys: &[key(KeyCode::Enter)],
        action: Action::Drill,
        scope: Scope::Everywhere,
        help: "evidence behind the number / open",
        footer: Some("drill"),
    },
    Binding {
        keys: &[ch('/')],
        action: Action::Filter,
        scope: Scope::Only(&[Districts, Compare, Evidence, Meetings]),
        help: "filter (Districts) / search",
        footer: Some("filter"),
    },
    Binding {
        keys: &[ch('/'), ch(':')],
        action: Action::Filter,
        scope: Scope::Only(&[Trends]),
        help: "query: terms, comma-separated; A+B adds up; * is 1-4 characters",
        footer: Some("query"),
    },
    Binding {
        keys: &[ch('n')],
        action: Action::NextMatch,
        scope: Scope::Only(&[Compare, Evidence, Meetings]),
        help: "next match",
        footer: None,
    },
    Binding {
        keys: &[ch('N')],
        action: Action::PreviousMatch,
        scope: Scope::Only(&[Compare, Evidence, Meetings]),
        help: "previous match",
        footer: None,
    },
    Binding {
        keys: &[ch('m')],
        action: Action::CycleMeasure,
        scope: Scope::Only(&[Districts, Compare, Timeline, Evidence, Meetings, Leaders]),
        help: "measure: per 10k chars / % tokens / hits",
        footer: Some("measure"),
    },
    Binding {
        keys: &[ch('m')],
        action: Action::CycleMeasure,
        scope: Scope::Only(&[Trends]),
        help: "value: hits per 10k chars / share of meetings mentioning",
        footer: Some("value"),
    },
    Binding {
        keys: &[ch('s')],
        action: Action::CycleSmoothing,
        scope: Scope::Only(&[Trends]),
        help: "smoothing: none / moving average over ±1, ±2, ±3 years",
        footer: Some("smooth"),
    },
    Binding {
        keys: &[ch('u')],
        action: Action::CycleTrendScope,
        scope: Scope::Only(&[Trends]),
        help: "lines: whole corpus / pinned units / per province",
        footer: Some("lines"),
    },
    Binding {
        keys: &[ch('L')],
        action: Action::CycleLevel,
        scope: Scope::Only(&[Districts, Compare, Timeline]),
        help: "level: county / prefecture / province",
        footer: Some("level"),
    },
    Binding {
        keys: &[ch('w')],
        action: Action::ToggleWords,
        scope: Scope::Only(&[Districts]),
        help: "words: frequent → distinctive → the theme's keywords",
        footer: Some("words"),
    },
    Binding {
        keys: &[ch('P')],
        action: Action::ToggleNames,
        scope: Scope::Only(&[Districts]),
        help: "people's names in the word bars: hidden ↔ shown",
        footer: Some("names"),
    },
    Binding {
        keys: &[ch('t')],
        action: Action::CycleTheme,
        scope: Scope::Only(&[Districts, Timeline, Leaders]),
        help: "next theme",
        footer: Some("theme"),
    },
    Binding {
        keys: &[ch('y')],
        action: Action::CycleYear,
        scope: Scope::Only(&[Compare]),
        help: "next year (all years first)",
        footer: Some("year"),
    },
    Binding {
        keys: &[ch('s')],
        action: Action::SortByTheme,
        scope: Scope::Only(&[Compare]),
        help: "sort by the selected theme",
        footer: Some("sort"),
    },
    Binding {
        keys: &[ch('p')],
        action: Action::Pin,
        scope: Scope::Only(&[Compare, Districts]),
        help: "pin / unpin the district",
        footer: Some("pin"),
    },
    Binding {
        keys: &[ch('x')],
        action: Action::Explain,
        scope: Scope::Only(&[Evidence]),
        help: "why the sentence counts: its words, keywords, exclusions",
        footer: Some("why"),
    },
    Binding {
        keys: &[ch('c')],
        action: Action::Candidates,
        scope: Scope::Only(&[Districts]),
        help: "candidate keywords: words in no theme that go with it",
        footer: None,
    },
    Binding {
        keys: &[ch('T')],
        action: Action::TryKeyword,
        scope: Scope::Only(&[Districts]),
        help: "try a keyword for the theme, before saving it",
        footer: None,
    },
    Binding {
        keys: &[ch('b')],
        action: Action::BeforeAfter,
        scope: Scope::Only(&[Leaders]),
        help: "before / after the selected leader's change",
        footer: Some("before/after"),
    },
    Binding {
        keys: &[ch('a')],
        action: Action::AcrossUnits,
        scope: Scope::Only(&[Leaders]),
        help: "average change across units (the filtered ones, if filtered)",
        footer: Some("across units"),
    },
    Binding {
        keys: &[ch('e')],
        action: Action::Export,
        scope: Scope::Only(&[Districts, Compare, Timeline, Trends, Leaders]),
        help: "chart as a figure: SVG + CSV in the current directory",
        footer: None,
    },
];

/// The action a key press means in `view`, if any.
pub fn action_for(event: KeyEvent, view: View) -> Option<Action> {
    let pressed = Key {
        code: event.code,
        ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
    };
    BINDINGS
        .iter()
        .find(|b| b.scope.includes(view) && b.keys.contains(&pressed))
        .map(|b| b.action)
}

/// The bindings that apply in `view`, for the help overlay.
pub fn bindings_for(view: View) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |b| b.scope.includes(view))
}

/// `key label: help` pairs for the footer of `view`.
pub fn footer_for(view: View) -> Vec<(String, &'static str)> {
    bindings_for(view)
        .filter_map(|b| b.footer.map(|word| (b.keys[0].label(), word)))
        .collect()
}
