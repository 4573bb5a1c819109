//! The dashboard's update step and views, without a terminal: key presses in, state and
//! drawn screens out.

use std::path::Path;
use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::style::Modifier;
use ratatui::Terminal;
use zhongdian::aggregate::{District, Group, GroupLevel, YearKey};
use zhongdian::analysis::{Analysis, Subject};
use zhongdian::ingest::Options;
use zhongdian::measure::Measure;
use zhongdian::tui::app::{App, DistrictPane, LeaderPanel, View};
use zhongdian::tui::draw;
use zhongdian::tui::keymap;
use zhongdian::tui::style::Palette;

use crate::support::analysis as support_analysis;
use crate::support::dashboard;
use dashboard::{key, load, progress, resize};
use support_analysis::analysis_of;

fn data_analysis() -> Arc<Analysis> {
    Arc::new(analysis_of(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("data"),
    ))
}

/// The dashboard on a corpus of `(file name, district, year, text)` reports.
fn app_on(reports: &[(&str, &str, i32, &str)], width: u16, height: u16) -> App {
    let dir = tempfile::tempdir().unwrap();
    for (name, district, year, text) in reports {
        let report = format!("+++\ndistrict = \"{district}\"\nyear = {year}\n+++\n{text}");
        std::fs::write(dir.path().join(name), report).unwrap();
    }
    let analysis = analysis_of(dir.path());
    let mut app = App::new(Options::default());
    resize(&mut app, width, height);
    load(&mut app, Arc::new(analysis));
    app
}

/// The text of a seed report in data/.
fn seed(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data")
            .join(name),
    )
    .unwrap()
}

fn app(width: u16, height: u16) -> App {
    let mut app = App::new(Options::default());
    resize(&mut app, width, height);
    load(&mut app, data_analysis());
    app
}

pub fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        key(app, key_of(c));
    }
}

/// The key a character of [`press`] stands for.
pub fn key_of(c: char) -> KeyEvent {
    let code = match c {
        '⏎' => KeyCode::Enter,
        '⎋' => KeyCode::Esc,
        '⇥' => KeyCode::Tab,
        '→' => KeyCode::Right,
        '←' => KeyCode::Left,
        '↑' => KeyCode::Up,
        '↓' => KeyCode::Down,
        '⌫' => KeyCode::Backspace,
        c => KeyCode::Char(c),
    };
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn press_ctrl(app: &mut App, c: char) -> bool {
    key(app, KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// The screen as text, one line per row, wide characters once.
pub fn screen(app: &App, width: u16, height: u16, palette: Palette) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| draw::draw(f, app, palette)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..height {
        let mut skip = false;
        for x in 0..width {
            if skip {
                skip = false;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(symbol) > 1;
            out.push_str(symbol);
        }
        out.push('\n');
    }
    out
}

/// The text of the cells drawn in the keyword style (underlined even without colour).
fn highlighted(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| draw::draw(f, app, PLAIN)).unwrap();
    let buffer = terminal.backend().buffer();
    buffer
        .content()
        .iter()
        .filter(|cell| cell.modifier.contains(Modifier::UNDERLINED))
        .map(|cell| cell.symbol())
        .collect()
}

pub const PLAIN: Palette = Palette {
    color: false,
    ascii: false,
};

#[test]
fn number_keys_switch_views_and_esc_goes_back() {
    let mut app = app(100, 30);
    for (key, view) in [
        ('2', View::Compare),
        ('3', View::Timeline),
        ('4', View::Evidence),
        ('5', View::Meetings),
        ('1', View::Districts),
    ] {
        press(&mut app, &key.to_string());
        assert_eq!(app.view, view);
    }
    press(&mut app, "3⎋");
    assert_eq!(app.view, View::Districts);
}

#[test]
fn esc_goes_back_the_way_taken_and_stops_where_it_began() {
    let mut app = app(100, 30);
    press(&mut app, "3⎋");
    assert_eq!(app.view, View::Districts);
    press(&mut app, "⎋");
    assert_eq!(app.view, View::Districts, "no second Esc back to Timeline");

    // Compare, Enter into its evidence, Enter into the meeting; then back out.
    press(&mut app, "2⏎⏎");
    assert!(app.reader.is_some());
    press(&mut app, "⎋");
    assert!(app.reader.is_none(), "the reader closes first");
    assert_eq!(app.view, View::Evidence);
    press(&mut app, "⎋");
    assert_eq!(app.view, View::Compare);
    press(&mut app, "⎋");
    assert_eq!(app.view, View::Districts);
    press(&mut app, "⎋");
    assert_eq!(app.view, View::Districts);

    // A detour that comes back is not retraced.
    press(&mut app, "2323⎋");
    assert_eq!(app.view, View::Compare);
    press(&mut app, "⎋⎋");
    assert_eq!(app.view, View::Districts);
}

#[test]
fn help_is_generated_from_the_keymap_and_swallows_keys() {
    let mut app = app(120, 40);
    press(&mut app, "?");
    assert!(app.help);
    let shown = screen(&app, 120, 40, PLAIN);
    for binding in keymap::bindings_for(View::Districts) {
        assert!(
            shown.contains(binding.help),
            "help lacks {:?}",
            binding.help
        );
    }
    press(&mut app, "2");
    assert_eq!(
        app.view,
        View::Districts,
        "keys other than close and quit do nothing under help"
    );
    press(&mut app, "⎋");
    assert!(!app.help);
}

#[test]
fn a_help_list_longer_than_the_screen_scrolls() {
    let mut app = app(80, 24);
    press(&mut app, "?");
    let last = keymap::bindings_for(View::Districts).last().unwrap().help;
    let shown = screen(&app, 80, 24, PLAIN);
    assert!(!shown.contains(last) && shown.contains("more"), "{shown}");
    press(&mut app, "jjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjj");
    let shown = screen(&app, 80, 24, PLAIN);
    assert!(shown.contains(last), "scrolled to the end: {shown}");
    assert!(app.help, "scrolling keeps the overlay open");
}

#[test]
fn the_readme_key_table_lists_every_binding() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    for binding in keymap::BINDINGS {
        let label = binding.keys[0].label();
        // A key may do one thing in some views and another in others: a row each.
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{label}`")) && l.contains(binding.help))
            .unwrap_or_else(|| panic!("README has no row for {label}: {}", binding.help));
        let scope = match binding.scope {
            keymap::Scope::Everywhere => "everywhere".to_owned(),
            keymap::Scope::Only(views) => views
                .iter()
                .map(|v| v.title())
                .collect::<Vec<_>>()
                .join(", "),
        };
        let place = row.trim_end_matches('|').rsplit('|').next().unwrap_or("");
        assert_eq!(place.trim(), scope, "where the README says {label} works");
    }
}

#[test]
fn left_and_right_are_offered_only_where_they_do_something() {
    let left = KeyEvent::new(KeyCode::Left, KeyModifiers::NONE);
    for (keys, view) in [
        ("", View::Districts),
        ("2", View::Compare),
        ("3", View::Timeline),
        ("/红谷滩⏎⇥⏎", View::Evidence),
        ("5", View::Meetings),
    ] {
        let mut app = app(120, 40);
        press(&mut app, keys);
        assert_eq!(app.view, view);
        let footer = screen(&app, 120, 40, PLAIN)
            .lines()
            .last()
            .unwrap()
            .to_owned();
        press(&mut app, "?");
        let help = screen(&app, 120, 40, PLAIN);
        press(&mut app, "⎋");
        let before = (
            app.year,
            app.compare_col,
            app.timeline_point,
            app.evidence_row,
        );
        let bound = keymap::action_for(left, view).is_some();
        assert_eq!(help.contains("previous year / column"), bound, "{view:?}");
        assert_eq!(footer.contains("←→"), bound, "{view:?}: {footer}");
        if bound {
            // At the end of the row one way, the other way moves.
            press(&mut app, "→");
            let right = (
                app.year,
                app.compare_col,
                app.timeline_point,
                app.evidence_row,
            );
            press(&mut app, "←←");
            let left = (
                app.year,
                app.compare_col,
                app.timeline_point,
                app.evidence_row,
            );
            assert!(right != before || left != before, "←/→ move in {view:?}");
        }
    }
    assert!(keymap::action_for(left, View::Evidence).is_none());
    assert!(keymap::action_for(left, View::Meetings).is_none());
}

#[test]
fn filtering_the_district_list() {
    let mut app = app(100, 30);
    press(&mut app, "/红旗");
    assert!(app.prompt.is_some());
    assert_eq!(
        app.visible_districts().len(),
        1,
        "the list narrows as one types"
    );
    press(&mut app, "⏎");
    assert_eq!(
        app.selected_district()
            .unwrap()
            .district
            .unit()
            .map(|u| u.name.as_str()),
        Some("红旗区")
    );
    press(&mut app, "⎋");
    assert!(app.district_filter.is_empty());
    assert!(app.visible_districts().len() >= 4);
}

fn selected_name(app: &App) -> Option<String> {
    app.selected_district()
        .and_then(|d| d.district.unit().map(|u| u.name.clone()))
}

#[test]
fn changing_or_clearing_the_filter_keeps_the_selected_district() {
    let mut app = app(100, 30);
    press(&mut app, "/红旗⏎");
    assert_eq!(selected_name(&app).as_deref(), Some("红旗区"));
    press(&mut app, "⎋");
    assert!(app.district_filter.is_empty());
    assert_eq!(selected_name(&app).as_deref(), Some("红旗区"), "Esc clears");

    // Typing and deleting: the selection follows the district, not the row.
    press(&mut app, "k");
    let chosen = selected_name(&app);
    assert_eq!(chosen.as_deref(), Some("红谷滩区"));
    press(&mut app, "/区");
    assert_eq!(selected_name(&app), chosen, "still listed after typing");
    press(&mut app, "⌫");
    assert_eq!(selected_name(&app), chosen, "still listed after deleting");
    press(&mut app, "⏎");
    assert_eq!(selected_name(&app), chosen);

    // A district the filter hides gives way to the first one it shows.
    press(&mut app, "/丰泽⏎");
    assert_eq!(selected_name(&app).as_deref(), Some("丰泽区"));
}

#[test]
fn the_filter_keeps_the_year_where_the_new_district_has_it() {
    let mut app = app(100, 30);
    // 丰泽区 (2018) at all years; 红谷滩区 has all years too, at another index.
    press(&mut app, "/丰泽⏎→");
    assert_eq!(app.selected_year(), YearKey::AllYears);
    press(&mut app, "/⌫⌫红谷");
    assert_eq!(selected_name(&app).as_deref(), Some("红谷滩区"));
    assert_eq!(app.selected_year(), YearKey::AllYears);

    // 红旗区 undated; 丰泽区 has no undated meetings, so it opens on its latest year.
    press(&mut app, "⎋/红旗⏎");
    press(&mut app, "←");
    assert_eq!(app.selected_year(), YearKey::Undated);
    press(&mut app, "/⌫⌫丰泽");
    assert_eq!(app.selected_year(), YearKey::Year(2018));

    // The year wanted is the one selected before typing, not one a district matched on
    // the way had: 红 first shows 红旗区, which has only all years.
    let mut app = self::app(100, 30);
    assert_eq!(app.selected_year(), YearKey::Year(2018));
    press(&mut app, "/红谷滩");
    assert_eq!(app.selected_year(), YearKey::Year(2026));
}

#[test]
fn the_word_selection_stays_in_a_shorter_list_of_another_year() {
    let long = seed("000_b446202f4aa57d8a.txt");
    let mut app = app_on(
        &[
            ("a.txt", "安远县", 2019, &long),
            (
                "b.txt",
                "安远县",
                2020,
                "安远县召开会议，研究项目建设和招商引资。",
            ),
        ],
        100,
        30,
    );
    assert_eq!(app.selected_year(), YearKey::Year(2020));
    press(&mut app, "←⇥⇥G");
    assert_eq!(app.pane, DistrictPane::Words);
    let many = app.word_count();
    assert_eq!(app.word, many - 1, "the last word of 2019");
    let last = app.selected_word();
    assert!(last.is_some());
    press(&mut app, "→");
    let few = app.word_count();
    assert!(0 < few && few < many, "{few} words in 2020, {many} in 2019");
    assert_eq!(app.word, few - 1, "the last word of 2020");
    assert!(app.selected_word().is_some());
    press(&mut app, "k");
    assert_eq!(
        app.word,
        few - 2,
        "one up from the last, not from past the end"
    );
}

#[test]
fn years_step_through_undated_and_all_years() {
    let mut app = app(100, 30);
    press(&mut app, "/红旗⏎");
    // 红旗区's only report has no year: its groups are undated and all years.
    assert_eq!(app.years(), vec![YearKey::Undated, YearKey::AllYears]);
    press(&mut app, "→→→");
    assert_eq!(app.selected_year(), YearKey::AllYears);
    press(&mut app, "←");
    assert_eq!(app.selected_year(), YearKey::Undated);
}

#[test]
fn the_measure_toggles_everywhere_and_is_named_on_screen() {
    let mut app = app(100, 30);
    assert!(screen(&app, 100, 30, PLAIN).contains("hits per 10,000 Han characters"));
    press(&mut app, "m");
    assert_eq!(app.measure, Measure::TokenShare);
    assert!(screen(&app, 100, 30, PLAIN).contains("% of content words"));
    press(&mut app, "m");
    assert_eq!(app.measure, Measure::Hits);
    press(&mut app, "m");
    assert_eq!(app.measure, Measure::Per10k);
}

#[test]
fn enter_on_a_theme_bar_lands_on_its_evidence_and_enter_opens_the_meeting() {
    let mut app = app(120, 40);
    press(&mut app, "/红谷滩⏎⇥");
    assert_eq!(app.pane, DistrictPane::Themes);
    let top = app.sorted_themes()[0].0;
    press(&mut app, "g⏎");
    assert_eq!(app.view, View::Evidence);
    assert!(!app.evidence.is_empty());
    assert_eq!(
        app.evidence_query.as_ref().unwrap().subject,
        Subject::Theme(top)
    );
    let sentence = app.evidence[0].passage.sentence.clone();
    assert!(screen(&app, 120, 40, PLAIN).contains(&sentence.chars().take(8).collect::<String>()));
    press(&mut app, "⏎");
    let reader = app.reader.as_ref().expect("the meeting opens");
    assert!(reader.text.contains(&sentence));
    press(&mut app, "⎋");
    assert!(app.reader.is_none());
    assert_eq!(app.view, View::Evidence);
}

#[test]
fn the_reader_highlights_the_sentence_not_the_whole_lines_it_is_on() {
    let mut app = app(120, 40);
    press(&mut app, "/红谷滩⏎⇥g⏎");
    // Every sentence of the evidence, each one opened in the reader in turn.
    for row in 0..app.evidence.len() {
        let sentence = app.evidence[row].passage.sentence.clone();
        press(&mut app, "⏎");
        assert_eq!(highlighted(&app, 120, 40), sentence);
        press(&mut app, "⎋j");
    }
}

#[test]
fn switching_views_closes_the_reader() {
    let mut app = app(100, 30);
    press(&mut app, "5⏎");
    assert!(app.reader.is_some());
    press(&mut app, "2");
    assert_eq!(app.view, View::Compare);
    assert!(app.reader.is_none());
    assert!(screen(&app, 100, 30, PLAIN).contains("Heat map"));
}

/// The reader's last possible first line at the app's size: no blank page below the text.
fn reader_bottom(app: &App) -> usize {
    let height = usize::from(zhongdian::tui::layout::reader_height(app.size.1));
    app.reader_lines().len().saturating_sub(height)
}

#[test]
fn a_resize_keeps_the_reader_scrolled_within_its_text() {
    let mut app = app(80, 24);
    press(&mut app, "5⏎G");
    let bottom = app.reader.as_ref().unwrap().scroll;
    assert!(bottom > 0);
    assert_eq!(bottom, reader_bottom(&app));
    // Wider and taller: fewer lines, more of them shown.
    resize(&mut app, 120, 30);
    assert_eq!(app.reader.as_ref().unwrap().scroll, reader_bottom(&app));
    assert!(0 < reader_bottom(&app) && reader_bottom(&app) < bottom);
    press(&mut app, "k");
    assert_eq!(app.reader.as_ref().unwrap().scroll, reader_bottom(&app) - 1);
}

#[test]
fn the_reader_wraps_its_text_on_open_and_on_a_new_width_only() {
    use zhongdian::tui::layout::{reader_width, wrap};
    let mut app = app(80, 24);
    press(&mut app, "5⏎");
    let reader = app.reader.as_ref().unwrap();
    assert_eq!(reader.width, reader_width(80));
    assert_eq!(reader.lines, wrap(&reader.text, reader.width));
    let wrapped = reader.lines.as_ptr();

    // Scrolling and a resize that keeps the width use the lines wrapped on opening.
    press(&mut app, "jjjGkg");
    resize(&mut app, 80, 30);
    assert_eq!(app.reader.as_ref().unwrap().lines.as_ptr(), wrapped);

    // A new width wraps anew, and the line at the top stays on the top line.
    press(&mut app, "jjjj");
    let reader = app.reader.as_ref().unwrap();
    let top = reader.lines[reader.scroll].start;
    resize(&mut app, 100, 30);
    let reader = app.reader.as_ref().unwrap();
    assert_eq!(reader.width, reader_width(100));
    assert_eq!(reader.lines, wrap(&reader.text, reader.width));
    let first = &reader.lines[reader.scroll];
    assert!(first.start <= top && top <= first.start + first.text.len());

    // The view draws the wrapped lines it is given.
    app.reader.as_mut().unwrap().lines = wrap("cached lines", 20);
    app.reader.as_mut().unwrap().scroll = 0;
    assert!(screen(&app, 100, 30, PLAIN).contains("cached lines"));
}

#[test]
fn enter_on_a_keyword_bar_shows_the_sentences_with_that_word() {
    let mut app = app(120, 40);
    press(&mut app, "/红谷滩⏎⇥⇥");
    assert_eq!(app.pane, DistrictPane::Words);
    let word = app.selected_word().expect("the group has words");
    press(&mut app, "⏎");
    assert_eq!(app.view, View::Evidence);
    assert_eq!(
        app.evidence_query.as_ref().unwrap().subject,
        Subject::Word(word.clone())
    );
    assert!(!app.evidence.is_empty());
    assert!(app
        .evidence
        .iter()
        .all(|e| e.passage.sentence.contains(&word)));
}

#[test]
fn compare_sorts_pins_and_drills() {
    let mut app = app(160, 48);
    press(&mut app, "2");
    let rows = app.compare_rows().len();
    assert!(rows >= 4, "one row per district in all years");
    press(&mut app, "→s");
    let theme = app.compare_col;
    let values: Vec<f64> = app
        .compare_rows()
        .iter()
        .map(|g| g.value(theme, app.measure))
        .collect();
    assert!(
        values.windows(2).all(|w| w[0] >= w[1]),
        "sorted by the theme: {values:?}"
    );
    press(&mut app, "p");
    assert_eq!(app.pinned.len(), 1);
    press(&mut app, "jp");
    assert_eq!(app.pinned.len(), 2);
    assert!(screen(&app, 160, 48, PLAIN).contains("· all years"));
    press(&mut app, "3");
    assert_eq!(
        app.timeline_districts().len(),
        2,
        "the timeline follows the pinned districts"
    );
    press(&mut app, "2⏎");
    assert_eq!(app.view, View::Evidence);
}

#[test]
fn unpinning_keeps_the_timeline_selection_on_a_drawn_district() {
    let mut app = app(100, 30);
    press(&mut app, "2pjpjp3");
    assert_eq!(app.timeline_districts().len(), 3);
    press(&mut app, "jj");
    assert_eq!(app.timeline_series, 2, "the last pinned district");
    press(&mut app, "2pkp3");
    assert_eq!(app.timeline_districts().len(), 1);
    assert_eq!(app.timeline_series, 0);
    assert!(!screen(&app, 100, 30, PLAIN).contains("no series"));
    press(&mut app, "⏎");
    assert_eq!(
        app.view,
        View::Evidence,
        "Enter drills into the point shown"
    );
}

/// The district of the selected heat-map row.
fn compare_selection(app: &App) -> Option<String> {
    app.compare_rows()[app.compare_row()]
        .district
        .unit()
        .map(|u| u.name.clone())
}

#[test]
fn the_compare_selection_stays_on_its_district_when_the_rows_re_sort() {
    let mut app = app(100, 30);
    press(&mut app, "2j");
    assert_eq!(
        compare_selection(&app).as_deref(),
        Some("南昌经济技术开发区")
    );
    let before = app.compare_row();
    press(&mut app, "s");
    assert_ne!(
        app.compare_row(),
        before,
        "sorting by 招商引资 moves the row"
    );
    assert_eq!(
        compare_selection(&app).as_deref(),
        Some("南昌经济技术开发区")
    );

    // By 招商引资, 丰泽区 is second per 10k characters and fourth by raw hits.
    press(&mut app, "j");
    assert_eq!(compare_selection(&app).as_deref(), Some("丰泽区"));
    press(&mut app, "mm");
    assert_eq!(app.measure, Measure::Hits);
    assert_eq!(app.compare_row(), 3);
    assert_eq!(compare_selection(&app).as_deref(), Some("丰泽区"));
    press(&mut app, "⏎");
    let query = app.evidence_query.clone().unwrap();
    assert_eq!(
        query.district.unit().map(|u| u.name.as_str()),
        Some("丰泽区"),
        "Enter drills there"
    );

    // A year without the district shows the top row selected, and acts on it.
    press(&mut app, "2yyy");
    assert_eq!(app.compare_year_key(), YearKey::Year(2026));
    assert_eq!(app.compare_row(), 0);
    press(&mut app, "p");
    let row = app.compare_rows()[app.compare_row()].district.clone();
    assert!(app.pinned.contains(&row));
}

#[test]
fn while_loading_a_progress_line_shows_and_q_quits() {
    let mut app = App::new(Options::default());
    resize(&mut app, 80, 24);
    app.loading = zhongdian::tui::app::Loading {
        files_done: 1200,
        files_total: 5000,
        bytes_done: 12 * 1_048_576,
        seconds: 2.0,
    };
    let shown = screen(&app, 80, 24, PLAIN);
    assert!(
        shown.contains("1200 of 5000 files, 12.0 MB, 600 files/s"),
        "{shown}"
    );
    press(&mut app, "2j⏎");
    assert!(!app.quit, "keys work while loading and nothing breaks");
    press(&mut app, "q");
    assert!(app.quit);
}

#[test]
fn loading_progress_asks_for_a_redraw_only_when_its_numbers_move() {
    use zhongdian::tui::app::Loading;
    let at = |files_done, files_total, bytes_done, seconds| Loading {
        files_done,
        files_total,
        bytes_done,
        seconds,
    };
    let mut app = App::new(Options::default());
    // The reader thread has not counted the files yet: the clock alone draws nothing.
    assert!(!progress(&mut app, at(0, 0, 0, 0.2)));
    assert!(!progress(&mut app, at(0, 0, 0, 0.4)));
    assert!(
        progress(&mut app, at(0, 5000, 0, 0.6)),
        "the total is known"
    );
    assert!(!progress(&mut app, at(0, 5000, 0, 0.8)));
    assert!(progress(&mut app, at(10, 5000, 40_960, 1.0)));
    assert_eq!(app.loading, at(10, 5000, 40_960, 1.0));
    assert!(
        progress(&mut app, at(10, 5000, 81_920, 1.2)),
        "bytes count too"
    );
}

#[test]
fn quitting() {
    let mut app = app(80, 24);
    press(&mut app, "q");
    assert!(app.quit);
    let mut app2 = self::app(80, 24);
    key(
        &mut app2,
        KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
    );
    assert!(app2.quit);
}

#[test]
fn ctrl_c_quits_from_the_prompt_and_no_ctrl_chord_is_typed_into_it() {
    let mut app = app(80, 24);
    press(&mut app, "/红");
    for c in ['u', 'd', 'w', 'a', 'h'] {
        press_ctrl(&mut app, c);
    }
    assert_eq!(app.prompt.as_ref().unwrap().text, "红");
    assert_eq!(app.district_filter, "红");
    assert!(!app.quit);
    press_ctrl(&mut app, 'c');
    assert!(app.quit, "Ctrl-c quits even with the prompt open");
    assert_eq!(app.prompt.as_ref().map(|p| p.text.as_str()), Some("红"));
}

#[test]
fn tiny_and_zero_sized_terminals_do_not_panic() {
    let app = app(80, 24);
    for (w, h) in [(0, 0), (1, 1), (10, 3), (59, 30), (200, 14), (60, 15)] {
        let shown = screen(&app, w, h, PLAIN);
        if w < 60 || h < 15 {
            assert!(
                w < 10 || h == 0 || shown.contains("needs") || shown.contains("nee"),
                "{w}×{h}: {shown}"
            );
        }
    }
}

#[test]
fn ascii_mode_draws_nothing_outside_ascii_but_the_text() {
    let mut app = app(100, 30);
    // Every view, its titles and hints included: Districts, Compare, Timeline, the
    // evidence behind the top theme, its meeting in the reader, Meetings.
    let visits = [
        ("1", View::Districts),
        ("2", View::Compare),
        ("3", View::Timeline),
        ("1⇥g⏎", View::Evidence),
        ("⏎", View::Evidence),
        ("5", View::Meetings),
        ("?", View::Meetings),
    ];
    for (keys, view) in visits {
        press(&mut app, keys);
        assert_eq!(app.view, view, "after {keys:?}");
        assert_eq!(
            app.reader.is_some(),
            keys == "⏎",
            "the reader after {keys:?}"
        );
        assert_eq!(app.help, keys == "?");
        let shown = screen(
            &app,
            100,
            30,
            Palette {
                color: false,
                ascii: true,
            },
        );
        for c in shown.chars() {
            let drawing = ('\u{2500}'..='\u{25FF}').contains(&c)
                || matches!(c, '…' | '←' | '→' | '↑' | '↓' | '·' | '—' | '–');
            assert!(
                !drawing,
                "non-ASCII drawing character {c:?} in ascii mode after {keys:?}:\n{shown}"
            );
        }
    }
}

#[test]
fn the_ascii_timeline_table_pads_chinese_names_by_display_width() {
    let ascii = Palette {
        color: false,
        ascii: true,
    };
    let mut app = app(100, 30);
    press(&mut app, "3");
    let shown = screen(&app, 100, 30, ascii);
    // The table: the header row and the rows under it, inside the block's borders.
    let table: Vec<&str> = shown
        .lines()
        .skip_while(|l| !l.starts_with("|district"))
        .map_while(|l| l.strip_prefix('|')?.strip_suffix('|'))
        .map(str::trim_end)
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(table.len() > 2, "{shown}");
    assert!(table.iter().any(|row| row.contains('区')), "{shown}");
    // Every value is right-aligned to its year, so every row ends where the header does.
    let header = unicode_width::UnicodeWidthStr::width(table[0]);
    for row in &table {
        assert_eq!(
            unicode_width::UnicodeWidthStr::width(*row),
            header,
            "{row:?}\n{shown}"
        );
    }
}

/// Every view on data/ at 80×24 and 160×48 (the group views above county level too),
/// and the too-small message: a change to a screen shows up as a reviewed diff of its
/// snapshot.
#[test]
fn snapshots_of_every_view() {
    for (width, height) in [(80, 24), (160, 48)] {
        for (keys, name) in [
            ("", "districts"),
            ("2", "compare"),
            ("3", "timeline"),
            ("/红谷滩⏎⇥⏎", "evidence"),
            ("5", "meetings"),
            ("5⏎", "reader"),
            ("?", "help"),
            ("L", "districts_prefecture"),
            ("L2", "compare_prefecture"),
            ("LL3", "timeline_province"),
            ("/红谷滩⏎⇥⏎x", "evidence_why"),
        ] {
            let mut app = app(width, height);
            press(&mut app, keys);
            let shown = screen(&app, width, height, PLAIN);
            insta::assert_snapshot!(format!("{name}_{width}x{height}"), shown);
        }
    }
    let app = app(40, 10);
    insta::assert_snapshot!("too_small_40x10", screen(&app, 40, 10, PLAIN));
}

#[test]
fn a_newer_analysis_keeps_the_selected_district_year_and_evidence() {
    let mut app = app(120, 40);
    press(&mut app, "jj←");
    let district = app.selected_district().map(|d| d.district.clone());
    let year = app.selected_year();
    assert_ne!(
        app.district, 0,
        "the selection moved off the first district"
    );
    // Evidence of the top theme there.
    press(&mut app, "⇥⏎");
    assert_eq!(app.view, View::Evidence);
    let sentences = app.evidence.len();
    assert!(sentences > 0);

    // The rest of the corpus, or its changes, arrive: the user stays where they were.
    load(&mut app, data_analysis());
    assert_eq!(
        app.selected_district().map(|d| d.district.clone()),
        district
    );
    assert_eq!(app.selected_year(), year);
    assert_eq!(app.view, View::Evidence);
    assert_eq!(
        app.evidence.len(),
        sentences,
        "the evidence is looked up again"
    );
}

#[test]
fn the_timeline_selection_stays_on_its_district_when_the_series_re_sort() {
    let mut app = app(120, 40);
    press(&mut app, "3");
    assert_eq!(app.view, View::Timeline);
    let selected = |app: &App| app.timeline_districts().get(app.timeline_series).cloned();
    let mut moved = false;
    for row in 0..app.timeline_districts().len() {
        press(&mut app, "g");
        for _ in 0..row {
            press(&mut app, "j");
        }
        let district = selected(&app);
        // Through every measure and back: the series re-sort, the selection does not
        // change district.
        for _ in 0..3 {
            press(&mut app, "m");
            moved |= app.timeline_series != row;
            assert_eq!(selected(&app), district, "after m, from row {row}");
        }
    }
    assert!(moved, "some measure orders the districts differently");
}

/// The districts the list shows, as (label, units, meetings).
fn listed(app: &App) -> Vec<(String, usize, usize)> {
    app.districts
        .iter()
        .map(|d| (d.district.to_string(), d.units, d.meetings))
        .collect()
}

fn rows(list: &[(&str, usize, usize)]) -> Vec<(String, usize, usize)> {
    list.iter().map(|&(n, u, m)| (n.to_owned(), u, m)).collect()
}

#[test]
fn the_level_key_cycles_county_prefecture_province_and_back_in_every_view_of_groups() {
    for view in ["1", "2", "3"] {
        let mut app = app(100, 30);
        press(&mut app, view);
        assert_eq!(app.level, GroupLevel::County);
        for level in [
            GroupLevel::Prefecture,
            GroupLevel::Province,
            GroupLevel::County,
        ] {
            press(&mut app, "L");
            assert_eq!(app.level, level, "in view {view}");
            let groups = app.groups().unwrap();
            assert_eq!(groups.level, level);
            assert_eq!(app.districts, groups.districts());
        }
    }
    let mut app = app(100, 30);
    press(&mut app, "?");
    assert!(screen(&app, 100, 30, PLAIN).contains("level: county / prefecture / province"));
}

#[test]
fn at_prefecture_level_the_seeds_pool_into_their_prefectures() {
    let mut app = app(120, 40);
    press(&mut app, "L");
    // By unit id: 泉州市 350500, 南昌市 360100, 新乡市 410700; the unknown row last.
    assert_eq!(
        listed(&app),
        rows(&[
            ("泉州市", 1, 1),
            ("南昌市", 2, 2),
            ("新乡市", 1, 1),
            ("(unknown district)", 0, 1),
        ])
    );
    let analysis = app.analysis.clone().unwrap();
    let nanchang = &app.districts[1].district.clone();
    let of_nanchang = |g: &&Group| {
        let unit = g.district.unit().unwrap();
        unit.prefecture.as_deref() == Some("南昌市")
    };
    // 南昌经济技术开发区 (a zone without a code, known by its parent's id) and 红谷滩区.
    let members: Vec<&Group> = analysis
        .groups
        .iter()
        .filter(|g| g.year == YearKey::AllYears && g.district.unit().is_some())
        .filter(of_nanchang)
        .collect();
    let names: Vec<&str> = members
        .iter()
        .map(|g| g.district.unit().unwrap().name.as_str())
        .collect();
    assert_eq!(
        names,
        ["南昌经济技术开发区", "红谷滩区"],
        "by id: 360100:… first"
    );

    // The pooled density is the members' hits over their characters, every theme.
    let pooled = app
        .groups()
        .unwrap()
        .group(nanchang.key(), YearKey::AllYears)
        .unwrap();
    assert_eq!(pooled.units, 2);
    assert_eq!(pooled.meetings.len(), 2);
    let chars: usize = members.iter().map(|g| g.chars).sum();
    assert_eq!(pooled.chars, chars);
    for theme in 0..app.theme_count() {
        let hits: f64 = members.iter().map(|g| g.hits[theme]).sum();
        let expected = hits * 10_000.0 / chars as f64;
        let got = pooled.value(theme, Measure::Per10k);
        assert!(
            (got - expected).abs() < 1e-9,
            "theme {theme}: {got} ≠ {expected}"
        );
    }
    // Each year is its own members' years: 2020 the zone's, 2026 红谷滩区's.
    for (year, member) in [(2020, 0), (2026, 1)] {
        let county = analysis
            .group(members[member].district.key(), YearKey::Year(year))
            .unwrap();
        let pooled = app
            .groups()
            .unwrap()
            .group(nanchang.key(), YearKey::Year(year))
            .unwrap();
        assert_eq!(
            (pooled.meetings.clone(), pooled.chars),
            (county.meetings.clone(), county.chars)
        );
        assert_eq!(pooled.hits, county.hits);
    }

    // The views say what is pooled: the list, the header (南昌市, all years), the heat
    // map, the timeline.
    press(&mut app, "j→");
    assert_eq!(app.selected_year(), YearKey::AllYears);
    let shown = screen(&app, 120, 40, PLAIN);
    assert!(shown.contains("Prefectures"), "{shown}");
    assert!(shown.contains("2 units, 2 meetings"), "{shown}");
    assert!(
        shown.contains("words are counted at county level only"),
        "{shown}"
    );
    press(&mut app, "2");
    let shown = screen(&app, 120, 40, PLAIN);
    assert!(shown.contains("prefectures (L)"), "{shown}");
    assert!(shown.contains("南昌市") && shown.contains("2/2"), "{shown}");
    press(&mut app, "3");
    assert!(screen(&app, 120, 40, PLAIN).contains("top 5 prefectures"));

    // Enter on a pooled bar shows the sentences of both members.
    press(&mut app, "1⇥⏎");
    assert_eq!(app.view, View::Evidence);
    let query = app.evidence_query.clone().unwrap();
    assert_eq!(
        (&query.district, query.level),
        (nanchang, GroupLevel::Prefecture)
    );
    let files: std::collections::BTreeSet<usize> = app.evidence.iter().map(|e| e.meeting).collect();
    assert_eq!(files.len(), 2, "sentences from both meetings");
}

#[test]
fn the_selection_follows_its_district_up_and_down_the_levels() {
    let mut app = app(120, 40);
    press(&mut app, "/红谷滩⏎⎋");
    assert_eq!(selected_name(&app).as_deref(), Some("红谷滩区"));
    let year = app.selected_year();
    press(&mut app, "L");
    assert_eq!(selected_name(&app).as_deref(), Some("南昌市"));
    assert_eq!(app.selected_year(), year, "南昌市 has 红谷滩区's year");
    press(&mut app, "L");
    assert_eq!(selected_name(&app).as_deref(), Some("江西省"));
    press(&mut app, "L");
    assert_eq!(
        selected_name(&app).as_deref(),
        Some("红谷滩区"),
        "the province's first meeting is 红谷滩区's"
    );

    // Pins belong to their level.
    press(&mut app, "p");
    assert_eq!(app.pinned.len(), 1);
    press(&mut app, "L");
    assert!(app.pinned.is_empty());
    press(&mut app, "LL");
    assert_eq!(app.pinned.len(), 1);
}

#[test]
fn at_province_level_jiangxi_holds_two_meetings() {
    let mut app = app(120, 40);
    press(&mut app, "LL");
    assert_eq!(app.level, GroupLevel::Province);
    let names: Vec<String> = listed(&app).into_iter().map(|(n, _, _)| n).collect();
    // 福建省 350000, 江西省 360000, 河南省 410000.
    assert_eq!(names, ["福建省", "江西省", "河南省", "(unknown district)"]);
    let jiangxi = &app.districts[1];
    assert_eq!((jiangxi.units, jiangxi.meetings), (2, 2));
    assert_eq!(jiangxi.years, [2020, 2026]);
    let pooled = app
        .groups()
        .unwrap()
        .group(jiangxi.district.key(), YearKey::AllYears)
        .unwrap();
    let analysis = app.analysis.clone().unwrap();
    let prefecture = analysis.at(GroupLevel::Prefecture);
    let nanchang = prefecture
        .all
        .iter()
        .find(|g| g.year == YearKey::AllYears && g.district.to_string() == "南昌市")
        .unwrap();
    assert_eq!(pooled.meetings, nanchang.meetings);
    assert_eq!(pooled.hits, nanchang.hits);
}

/// A corpus of `(file name, text)` reports with no front matter: the holder is read.
fn app_on_texts(reports: &[(&str, &str)]) -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in reports {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let mut app = App::new(Options::default());
    resize(&mut app, 120, 40);
    load(&mut app, Arc::new(analysis_of(dir.path())));
    (app, dir)
}

#[test]
fn an_ambiguous_holder_has_a_row_of_its_own() {
    let (mut app, _dir) = app_on_texts(&[
        // 鼓楼区 is in 南京市, 徐州市, 福州市 and 开封市; nothing here decides.
        ("a.txt", "3月5日，鼓楼区召开区委常委会会议。"),
        ("b.txt", &seed("003_0c41b430a93a6d9e.txt")),
        ("c.txt", "3月5日，召开全体会议，研究项目建设。"),
    ]);
    let analysis = app.analysis.clone().unwrap();
    assert_eq!(analysis.meetings[0].meeting.candidates.len(), 4);
    assert_eq!(
        listed(&app),
        rows(&[
            ("丰泽区 泉州市", 1, 1),
            ("(ambiguous)", 0, 1),
            ("(unknown district)", 0, 1),
        ])
    );
    let ambiguous = analysis
        .group(District::Ambiguous.key(), YearKey::AllYears)
        .unwrap();
    assert_eq!(ambiguous.meetings, [0]);
    assert_eq!(
        analysis
            .group(District::Unknown.key(), YearKey::AllYears)
            .unwrap()
            .meetings,
        [2],
        "not merged into the unknown district"
    );
    assert!(screen(&app, 120, 40, PLAIN).contains("(ambiguous)"));
    press(&mut app, "2");
    assert!(app
        .compare_rows()
        .iter()
        .any(|g| g.district == District::Ambiguous));
    assert!(screen(&app, 120, 40, PLAIN).contains("(ambiguous)"));

    // Four prefectures in three provinces: ambiguous at every level.
    for _ in 0..2 {
        press(&mut app, "L");
        let ambiguous = app
            .groups()
            .unwrap()
            .group(District::Ambiguous.key(), YearKey::AllYears)
            .unwrap();
        assert_eq!(ambiguous.meetings, [0], "{:?}", app.level);
    }

    // The exports name it, without a code.
    use zhongdian::cli::report::{groups_csv, groups_json, groups_table, ThemeFilter};
    let csv = groups_csv(&analysis, ThemeFilter::All, GroupLevel::County);
    assert!(
        csv.lines().any(|l| l.starts_with("(ambiguous),,,,,,1,")),
        "{csv}"
    );
    let json: serde_json::Value = serde_json::from_str(&groups_json(
        &analysis,
        ThemeFilter::All,
        GroupLevel::County,
    ))
    .unwrap();
    let row = json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["district"] == "(ambiguous)")
        .expect("an (ambiguous) group");
    assert_eq!(row["district_code"], serde_json::Value::Null);
    assert_eq!(row["meetings"], 1);
    assert!(groups_table(&analysis, ThemeFilter::All, GroupLevel::County).contains("(ambiguous)"));

    // The Meetings view lists the units the name fits.
    press(&mut app, "5");
    let shown = screen(&app, 160, 48, PLAIN);
    assert!(shown.contains("(ambiguous: 4)"), "{shown}");
    assert!(
        shown.contains(
            "district: ambiguous, one of 鼓楼区 (320106, 南京市), 鼓楼区 (320302, 徐州市)"
        ),
        "{shown}"
    );
}

#[test]
fn above_county_level_an_ambiguous_name_is_placed_where_all_its_units_are() {
    // 桥西区 is in 石家庄市 and 张家口市, both of 河北省.
    let (mut app, _dir) = app_on_texts(&[("a.txt", "3月5日，桥西区召开区委常委会会议。")]);
    assert_eq!(listed(&app), rows(&[("(ambiguous)", 0, 1)]));
    press(&mut app, "L");
    assert_eq!(listed(&app), rows(&[("(ambiguous)", 0, 1)]));
    press(&mut app, "L");
    assert_eq!(listed(&app), rows(&[("河北省", 0, 1)]));
}

#[test]
fn the_district_filter_matches_name_prefecture_province_and_code() {
    let names = |app: &App| -> Vec<String> {
        app.visible_districts()
            .into_iter()
            .map(|i| app.districts[i].district.to_string())
            .collect()
    };
    for (filter, expected) in [
        (
            "/南昌⏎",
            vec!["南昌经济技术开发区 南昌市", "红谷滩区 南昌市"],
        ),
        (
            "/江西⏎",
            vec!["南昌经济技术开发区 南昌市", "红谷滩区 南昌市"],
        ),
        ("/410702⏎", vec!["红旗区 新乡市"]),
    ] {
        let mut app = app(100, 30);
        press(&mut app, filter);
        assert_eq!(names(&app), expected, "{filter}");
    }
}

#[test]
fn the_state_changes_only_through_update_so_a_recorded_session_replays_to_the_same_frames() {
    use zhongdian::tui::message::{Loaded, Message};
    // A session: the corpus arrives, evidence is opened (a job reads the disk), a
    // meeting is opened in the reader (another job), then back out and elsewhere.
    let mut live = App::new(Options::default());
    let mut applied = Vec::new();
    let mut frames = Vec::new();
    let mut inputs = vec![
        Message::Resize(100, 30),
        Message::Loaded(Loaded::Current(Ok(data_analysis()))),
    ];
    inputs.extend("j⇥⏎j⏎⎋⎋2j⏎3".chars().map(|c| Message::Key(key_of(c))));
    for input in inputs {
        dashboard::deliver_recording(&mut live, input, &mut applied);
        frames.push((applied.len(), screen(&live, 100, 30, PLAIN)));
    }
    let answers = applied
        .iter()
        .filter(|m| matches!(m, Message::Evidence { .. } | Message::Text { .. }))
        .count();
    assert!(answers >= 3, "the jobs answered: {answers} messages");
    assert!(frames.iter().any(|(_, f)| f.contains("Evidence · ")));

    // Replayed from the recording alone: no job runs, no file is read.
    let mut replayed = App::new(Options::default());
    let mut at = 0;
    for (count, frame) in &frames {
        for message in &applied[at..*count] {
            let changes = replayed.update(message.clone());
            drop(changes.jobs);
        }
        at = *count;
        assert_eq!(
            &screen(&replayed, 100, 30, PLAIN),
            frame,
            "after {count} messages"
        );
    }
    assert_eq!(replayed.view, live.view);
    assert_eq!(replayed.evidence, live.evidence);
    assert_eq!(replayed.district, live.district);
}

#[test]
fn evidence_names_the_meetings_it_could_not_read_for_as_long_as_it_is_shown() {
    let report = |year: i32| {
        format!("+++\ndistrict = \"360113\"\nyear = {year}\n+++\n会议强调，要狠抓招商引资，招商引资是生命线。\n")
    };
    let (mut app, dir) = app_on_texts(&[("a.txt", &report(2025)), ("b.txt", &report(2025))]);
    std::fs::remove_file(dir.path().join("b.txt")).unwrap();
    press(&mut app, "⇥⏎");
    assert_eq!(app.view, View::Evidence);
    assert_eq!(
        app.evidence_unreadable.len(),
        1,
        "{:?}",
        app.evidence_unreadable
    );
    let shown = screen(&app, 120, 40, PLAIN);
    assert!(shown.contains("left out: b.txt: cannot open"), "{shown}");
    assert!(
        shown.contains("a.txt"),
        "the other meeting's sentences show:\n{shown}"
    );
    // A key clears a passing status, not the note of what the sentences leave out.
    press(&mut app, "j");
    assert!(screen(&app, 120, 40, PLAIN).contains("left out: b.txt"));
}

#[test]
fn a_level_whose_groups_are_not_pooled_is_pooled_by_a_worker_then_shown() {
    use zhongdian::tui::message::{Job, Loaded, Message};
    let mut app = app(120, 40);
    // L asks a worker; the views stay at county level until the groups are there.
    let changes = app.update(Message::Key(key_of('L')));
    assert_eq!(app.level, GroupLevel::County);
    assert!(app.level_load.is_some());
    assert!(matches!(changes.jobs[..], [Job::Pool { .. }]));
    assert!(screen(&app, 120, 40, PLAIN).contains("pooling the meetings into prefectures"));
    for answer in dashboard::answers_of(changes.jobs) {
        let _ = app.update(answer);
    }
    assert_eq!(app.level, GroupLevel::Prefecture);
    assert!(app.level_load.is_none());

    // A newer analysis is shown once it is pooled at the level on screen: until then
    // the one shown stays.
    let shown = Arc::clone(app.analysis.as_ref().unwrap());
    let newer = data_analysis();
    let changes = app.update(Message::Loaded(Loaded::Current(Ok(Arc::clone(&newer)))));
    assert!(Arc::ptr_eq(app.analysis.as_ref().unwrap(), &shown));
    for answer in dashboard::answers_of(changes.jobs) {
        let _ = app.update(answer);
    }
    assert!(Arc::ptr_eq(app.analysis.as_ref().unwrap(), &newer));
    assert_eq!(app.level, GroupLevel::Prefecture);
}

#[test]
fn esc_while_evidence_is_read_cancels_it_and_a_late_answer_is_dropped() {
    use zhongdian::analysis::FoundEvidence;
    use zhongdian::tui::message::{Job, Message};
    let mut app = app(120, 40);
    // Enter asks a worker; the jobs are held back here, as a slow disk would.
    let _ = app.update(Message::Key(key_of('⇥')));
    let changes = app.update(Message::Key(key_of('⏎')));
    assert_eq!(app.view, View::Evidence);
    assert!(app.evidence_load.is_some());
    let [Job::Evidence { .. }] = &changes.jobs[..] else {
        panic!("one evidence job");
    };
    let _ = app.update(Message::Key(key_of('⎋')));
    assert!(app.evidence_load.is_none());
    assert!(
        app.evidence_query.is_none(),
        "no half-read answer is left to come back to"
    );
    // The job, run after all, stops at once and its answers change nothing.
    let answers = dashboard::answers_of(changes.jobs);
    assert!(answers.is_empty(), "a cancelled job reads nothing");
    let late = Message::Evidence {
        ticket: 1,
        found: FoundEvidence::default(),
        read: 1,
        total: 1,
        done: true,
    };
    assert!(!app.update(late).redraw);
    assert!(app.evidence.is_empty());
}

/// The dashboard on the planted leaders corpus, with 安远县 selected.
pub fn planted_app(width: u16, height: u16) -> (App, tempfile::TempDir) {
    let dir = crate::support::planted::planted();
    let mut app = App::new(Options::default());
    resize(&mut app, width, height);
    load(&mut app, Arc::new(analysis_of(dir.path())));
    press(&mut app, "/安远⏎");
    (app, dir)
}

#[test]
fn peoples_names_are_left_out_of_the_word_bars_until_asked_for() {
    let text = "2024年3月1日，安远县召开县委常委会会议。县委书记王建国主持会议并讲话。王建国强调，要抓好项目建设。王建国指出，要抓好招商引资。王建国要求，项目建设要快。";
    let mut app = app_on(&[("a.txt", "安远县", 2024, text)], 100, 30);
    press(&mut app, "⇥⇥");
    let words =
        |app: &App| -> Vec<String> { app.word_rows().into_iter().map(|r| r.label).collect() };
    assert!(
        !words(&app).contains(&"王建国".to_owned()),
        "{:?}",
        words(&app)
    );
    assert!(!screen(&app, 100, 30, PLAIN).contains("+ names (P)"));
    press(&mut app, "P");
    assert!(screen(&app, 100, 30, PLAIN).contains("+ names (P)"));
    assert_eq!(
        words(&app).first().map(String::as_str),
        Some("王建国"),
        "the name tops them"
    );
    assert_eq!(app.selected_word().as_deref(), Some("王建国"));
    press(&mut app, "P");
    assert_ne!(app.selected_word().as_deref(), Some("王建国"));
}

/// The dashboard on one report, `theme` selected; the corpus is kept for as long as the
/// folder is, for what reads the meeting again (evidence, the reader).
fn on_one_report(text: &str, theme: &str, width: u16, height: u16) -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), text).unwrap();
    let mut app = App::new(Options::default());
    resize(&mut app, width, height);
    load(&mut app, Arc::new(analysis_of(dir.path())));
    let analysis = app.analysis.clone().unwrap();
    let theme = analysis.measurer.taxonomy.theme_index(theme).unwrap();
    while app.theme != theme {
        press(&mut app, "t");
    }
    (app, dir)
}

#[test]
fn the_word_pane_shows_what_each_keyword_of_the_theme_adds_and_enter_its_sentences() {
    let text =
        "2024年3月1日，安远县召开会议。要抓好招商引资。招商引资是今年的重点。全员招商要落实。";
    let (mut app, _dir) = on_one_report(text, "招商引资", 100, 30);
    // The word pane in its keywords mode (w twice).
    press(&mut app, "⇥⇥ww");
    let rows = app.word_rows();
    assert_eq!(rows[0].label, "招商引资");
    assert_eq!(rows[0].value, 2.0);
    let total: f64 = rows.iter().map(|r| r.value).sum();
    // Its hits, share of the theme's hits, and the meetings and units that use it.
    assert_eq!(
        rows[0].text,
        format!("2 · {:.0}% · 1/1", 200.0 / total),
        "{:?}",
        rows[0]
    );
    let shown = screen(&app, 100, 30, PLAIN);
    assert!(
        shown.contains("招商引资 hits·%·meetings/units (w)"),
        "{shown}"
    );
    press(&mut app, "⏎");
    assert_eq!(app.view, View::Evidence);
    let sentences: Vec<&str> = app
        .evidence
        .iter()
        .map(|e| e.passage.sentence.as_str())
        .collect();
    assert_eq!(sentences, ["要抓好招商引资。", "招商引资是今年的重点。"]);
}

#[test]
fn c_offers_words_in_no_theme_that_go_with_the_themes_sentences_and_enter_shows_them() {
    let text = "2024年3月1日，安远县召开会议。要抓好招商引资，用好飞地园区。\
                招商引资要靠飞地园区。飞地园区承接招商引资。全员招商落实到飞地园区。\
                天气晴朗。";
    let (mut app, _dir) = on_one_report(text, "招商引资", 100, 30);
    press(&mut app, "⇥⇥c");
    let rows = app.word_rows();
    let candidate = rows
        .iter()
        .find(|r| r.text.starts_with("candidate"))
        .unwrap_or_else(|| panic!("a candidate is offered: {rows:?}"));
    assert_eq!(candidate.label, "飞地");
    // In four of the theme's sentences, in none of the meeting's others; no bar, as it
    // adds nothing to the theme.
    assert_eq!(
        (candidate.text.as_str(), candidate.value),
        ("candidate 4/0", 0.0)
    );
    assert!(rows[0].keyword.is_some(), "the keywords come first");
    let status = app.status.clone().unwrap_or_default();
    assert!(status.contains("nothing is added to a theme"), "{status}");
    // Nothing was added: the theme's numbers are as they were.
    let analysis = app.analysis.clone().unwrap();
    assert!(analysis.measurer.taxonomy.themes[0]
        .keywords
        .iter()
        .all(|k| k.word != "飞地"));
    // Enter: the sentences where it stands.
    let at = rows.iter().position(|r| r.label == "飞地").unwrap();
    for _ in 0..at {
        press(&mut app, "j");
    }
    press(&mut app, "⏎");
    assert_eq!(app.view, View::Evidence);
    assert_eq!(app.evidence.len(), 4);
}

#[test]
fn x_on_a_sentence_shows_its_words_its_keywords_and_what_was_excluded() {
    let text = "2024年3月1日，安远县召开会议。要抓好招商引资，支持招商银行发展。";
    let (mut app, _dir) = on_one_report(text, "招商引资", 120, 30);
    press(&mut app, "⇥⏎");
    assert_eq!(app.view, View::Evidence);
    assert_eq!(app.evidence.len(), 1);
    press(&mut app, "x");
    let (row, explained) = app.explained.clone().expect("explained");
    assert_eq!(row, 0);
    let run = |meaning: &dyn Fn(&zhongdian::matching::Meaning) -> bool| -> Vec<String> {
        explained
            .spans
            .iter()
            .filter(|s| meaning(&s.meaning))
            .map(|s| explained.words[s.first..s.first + s.words].concat())
            .collect()
    };
    use zhongdian::matching::Meaning;
    assert_eq!(run(&|m| matches!(m, Meaning::Keyword { .. })), ["招商引资"]);
    assert_eq!(
        run(&|m| matches!(m, Meaning::Excluded { .. })),
        ["招商银行"]
    );
    let shown = screen(&app, 120, 30, PLAIN);
    assert!(shown.contains("«招商引资»招商引资"), "{shown}");
    assert!(shown.contains("~招商银行~not 招商引资"), "{shown}");
    assert!(shown.contains("│"), "words are shown apart");
    press(&mut app, "x");
    assert!(app.explained.is_none(), "x again closes it");
}

#[test]
fn the_leaders_view_walks_from_a_band_to_its_meetings_and_a_meetings_text() {
    let (mut app, _dir) = planted_app(120, 40);
    press(&mut app, "6");
    assert_eq!(app.view, View::Leaders);
    let analysis = app.analysis.clone().unwrap();
    let name = |app: &App| {
        analysis.tenures()[app.selected_tenure().unwrap()]
            .name
            .clone()
    };
    assert_eq!(name(&app), "陈明远");
    press(&mut app, "jj");
    assert_eq!(name(&app), "刘强");
    // Enter: the band's meetings; Enter again: the first one's text.
    press(&mut app, "⏎");
    let shown = screen(&app, 120, 40, PLAIN);
    assert!(shown.contains("secretary 刘强 · 3 meetings"), "{shown}");
    assert!(
        shown.contains("05.txt") && shown.contains("08.txt"),
        "{shown}"
    );
    press(&mut app, "j⏎");
    let reader = app.reader.as_ref().expect("the meeting's text is open");
    assert_eq!(analysis.meetings[reader.meeting].meeting.file, "06.txt");
    assert!(reader.text.contains("县委书记刘强"));
    // Esc closes the text, then the list; the band stays selected.
    press(&mut app, "⎋⎋");
    assert!(app.reader.is_none() && app.tenure_meeting.is_none());
    assert_eq!((app.view, name(&app)), (View::Leaders, "刘强".to_owned()));
}

#[test]
fn before_and_after_a_change_with_its_sentences_on_both_sides() {
    let (mut app, _dir) = planted_app(120, 40);
    press(&mut app, "6jjb");
    let analysis = app.analysis.clone().unwrap();
    let Some(LeaderPanel::Shift { shift, words }) = &app.leader_panel else {
        panic!("no before/after panel");
    };
    let (old, new) = (
        &analysis.tenures()[shift.change.before],
        &analysis.tenures()[shift.change.after],
    );
    assert_eq!((old.name.as_str(), new.name.as_str()), ("陈明远", "刘强"));
    assert_eq!(
        (shift.before.meetings.len(), shift.after.meetings.len()),
        (4, 2)
    );
    assert!(shift.thin());
    let words = words.as_ref().expect("the words arrive after the themes");
    for w in words.more.iter().chain(&words.less) {
        assert!(
            !["陈明远", "刘强", "李华", "赵敏"].contains(&w.word.as_str()),
            "{}: a name",
            w.word
        );
    }
    // The first row is the theme that rose most: 生态环保 (none before, twice after).
    let first = zhongdian::tui::app::shift_order(shift)[0];
    assert_eq!(analysis.measurer.taxonomy.themes[first].name, "生态环保");
    press(&mut app, "⏎");
    assert_eq!(app.view, View::Evidence);
    let files: Vec<&str> = app
        .evidence
        .iter()
        .map(|e| analysis.meetings[e.meeting].meeting.file.as_str())
        .collect();
    assert_eq!(files, ["05.txt", "06.txt"], "生态环保 is said after only");
    let shown = screen(&app, 120, 40, PLAIN);
    assert!(shown.contains("陈明远 → 刘强, before and after"), "{shown}");
    assert!(
        shown.contains("after: 刘强 · 05.txt"),
        "each sentence says its side: {shown}"
    );
    // Back to the panel, and Esc closes it.
    press(&mut app, "⎋");
    assert!(app.leader_panel.is_some());
    press(&mut app, "⎋");
    assert!(app.leader_panel.is_none());
    // A unit's first holder compares with the one after; a lone holder says so.
    press(&mut app, "ggb");
    assert!(matches!(app.leader_panel, Some(LeaderPanel::Shift { .. })));
}

#[test]
fn across_units_averages_the_changes_of_the_selected_office() {
    let (mut app, _dir) = planted_app(120, 40);
    press(&mut app, "6a");
    let Some(LeaderPanel::Average {
        average, office, ..
    }) = &app.leader_panel
    else {
        panic!("no average panel");
    };
    assert_eq!(*office, zhongdian::meeting::Office::Secretary);
    // One secretary changed: 安远县's; 丰泽区 kept 黄志明.
    assert_eq!((average.changes, average.left_out), (1, 0));
}

/// The Leaders view, a before/after and the average across units, on the planted
/// corpus at 80×24 and 160×48; the Timeline with its changes of leader.
#[test]
fn snapshots_of_the_leaders_view() {
    for (width, height) in [(80, 24), (160, 48)] {
        for (keys, name) in [
            ("6", "leaders"),
            ("6jjb", "leaders_before_after"),
            ("6a", "leaders_across_units"),
            ("3", "timeline_leader_changes"),
        ] {
            let (mut app, _dir) = planted_app(width, height);
            press(&mut app, keys);
            let shown = screen(&app, width, height, PLAIN);
            insta::assert_snapshot!(format!("{name}_{width}x{height}"), shown);
        }
    }
}

/// `T` on data/: 改革 tried for the selected theme counts in some sentences, is taken by
/// longer keywords and cut across in others.
const TRIED: &str = "改革";

#[test]
fn t_tries_a_keyword_on_a_worker_and_its_sentences_show_what_becomes_of_it() {
    use zhongdian::keywords::{try_term, TrialOutcome};
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    for (width, height) in [(80, 24), (160, 48)] {
        let mut app = app(width, height);
        let analysis = app.analysis.clone().unwrap();
        let theme = app.theme;
        let name = analysis.measurer.taxonomy.themes[theme].name.clone();
        press(&mut app, "T");
        let shown = screen(&app, width, height, PLAIN);
        assert!(
            shown.contains(&format!("try a keyword for {name}:")),
            "{shown}"
        );
        press(&mut app, &format!("{TRIED}⏎"));
        assert_eq!(app.view, View::Evidence);
        let expected = try_term(&analysis, theme, TRIED, &Options::default()).unwrap();
        let trial = app.trial.clone().expect("the trial is shown");
        assert_eq!(*trial, expected);
        let outcomes: Vec<&TrialOutcome> = trial.sentences.iter().map(|s| &s.outcome).collect();
        assert!(outcomes.contains(&&TrialOutcome::Counted), "{outcomes:?}");
        assert!(
            outcomes
                .iter()
                .any(|o| matches!(o, TrialOutcome::TakenBy(..)))
                && outcomes
                    .iter()
                    .any(|o| matches!(o, TrialOutcome::NotAWord(..))),
            "{outcomes:?}"
        );
        // The rows are the trial's sentences, as evidence rows are.
        let rows: Vec<usize> = app.evidence.iter().map(|e| e.meeting).collect();
        let meetings: Vec<usize> = trial.sentences.iter().map(|s| s.meeting).collect();
        assert_eq!(rows, meetings);
        let shown = screen(&app, width, height, PLAIN);
        let header = format!(
            "try {TRIED} for {name}: {} hits in {} meetings",
            expected.hits, expected.meetings
        );
        assert!(shown.contains(&header), "{shown}");
        assert!(shown.contains("counts · "), "{shown}");
        if width >= 160 {
            let (unit, n) = &expected.units[0];
            assert!(shown.contains(&format!("{unit} {n}")), "{shown}");
            assert!(shown.contains("— not saved"), "{shown}");
            assert!(shown.contains("taken by "), "{shown}");
        }
        insta::assert_snapshot!(format!("try_{width}x{height}"), shown);
        // Enter opens the meeting at the selected sentence, Esc closes it, then goes back.
        press(&mut app, "j⏎");
        let reader = app.reader.as_ref().expect("the reader opens");
        assert_eq!(reader.meeting, expected.sentences[1].meeting);
        let offset = expected.sentences[1].passage.offset;
        assert_eq!(reader.highlight.as_ref().map(|h| h.start), Some(offset));
        press(&mut app, "⎋⎋");
        assert_eq!(app.view, View::Districts);
    }
    // The command line's `try` says the same numbers.
    let app = app(80, 24);
    let analysis = app.analysis.clone().unwrap();
    let (theme, theme_name) = (
        app.theme,
        &analysis.measurer.taxonomy.themes[app.theme].name,
    );
    let expected = try_term(&analysis, theme, TRIED, &Options::default()).unwrap();
    let out = crate::support::binary::run(crate::support::binary::zhongdian().args([
        "try",
        data.to_str().unwrap(),
        TRIED,
        "--theme",
        theme_name,
        "--no-cache",
    ]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let said = format!(
        "# {TRIED} as a keyword of {theme_name} (weight 1): {} hits in {} meetings",
        expected.hits, expected.meetings
    );
    assert!(out.stdout.contains(&said), "{}", out.stdout);
}

#[test]
fn a_term_that_cannot_be_a_keyword_is_said_on_the_status_line_and_esc_leaves_the_filter() {
    let mut app = app(100, 30);
    let analysis = app.analysis.clone().unwrap();
    let theme = &analysis.measurer.taxonomy.themes[app.theme];
    press(&mut app, "/红⏎");
    let filtered = app.visible_districts();
    // A keyword already, and nothing at all: refused, the view stays.
    press(&mut app, &format!("T{}⏎", theme.keywords[0].word));
    assert_eq!(app.view, View::Districts);
    let status = app.status.clone().unwrap_or_default();
    assert!(
        status.contains(&format!("already a keyword of {}", theme.name)),
        "{status}"
    );
    assert!(screen(&app, 100, 30, PLAIN).contains(&status));
    press(&mut app, "T⏎");
    let status = app.status.clone().unwrap_or_default();
    assert!(status.contains("empty"), "{status}");
    assert!(app.trial.is_none());
    // Typing a term does not filter the districts, and Esc closes only the prompt.
    press(&mut app, "T改⎋");
    assert!(app.prompt.is_none());
    assert_eq!(app.district_filter, "红");
    assert_eq!(app.visible_districts(), filtered);
}

#[test]
fn a_newer_trial_wins_over_an_older_one_whatever_order_they_answer_in() {
    use zhongdian::tui::message::{Job, Message};
    let mut app = app(120, 40);
    let ask = |app: &mut App, term: &str| -> Vec<Job> {
        let mut jobs = Vec::new();
        for c in format!("T{term}⏎").chars() {
            jobs.extend(app.update(Message::Key(key_of(c))).jobs);
        }
        jobs
    };
    // The first trial is answered, but its answer is still on its way when the second
    // is asked.
    let older = dashboard::answers_of(ask(&mut app, "改革"));
    assert_eq!(older.len(), 1);
    let newer = ask(&mut app, "落实");
    let shown = screen(&app, 120, 40, PLAIN);
    assert!(shown.contains("trying “落实”"), "{shown}");
    for answer in older.clone() {
        assert!(!app.update(answer).redraw, "the older answer is dropped");
    }
    assert!(app.trial.is_none());
    assert_eq!(app.view, View::Districts);
    for answer in dashboard::answers_of(newer) {
        let _ = app.update(answer);
    }
    assert_eq!(app.trial.as_ref().map(|t| t.term.as_str()), Some("落实"));
    // Arriving after the newer one, the older answer changes nothing either.
    for answer in older {
        assert!(!app.update(answer).redraw);
    }
    assert_eq!(app.trial.as_ref().map(|t| t.term.as_str()), Some("落实"));
    // Esc stops a trial under way: its worker reads no further and answers nothing.
    press(&mut app, "1");
    let stopped = ask(&mut app, "改革");
    let _ = app.update(Message::Key(key_of('⎋')));
    assert_eq!(app.view, View::Districts);
    let status = app.status.clone().unwrap_or_default();
    assert!(status.contains("stopped"), "{status}");
    assert!(dashboard::answers_of(stopped).is_empty());
    assert_eq!(app.trial.as_ref().map(|t| t.term.as_str()), Some("落实"));
}

#[test]
fn the_keywords_pane_shows_a_sample_sentence_per_keyword_where_it_is_wide_enough() {
    use zhongdian::keywords::keyword_uses_in;
    use zhongdian::tui::message::Message;
    let mut app = app(160, 48);
    press(&mut app, "⇥⇥ww");
    let analysis = app.analysis.clone().unwrap();
    let district = app.selected_district().unwrap().district.clone();
    let groups = app.groups().unwrap();
    let group = groups.group(district.key(), app.selected_year()).unwrap();
    let uses = keyword_uses_in(&analysis, app.theme, group.meetings.iter().copied());
    let samples = app.keyword_samples().expect("the samples are read");
    assert!(samples.iter().any(Option::is_some));
    // Each keyword's sample found alone, its meetings read for it only: the pane's,
    // read once for all the group's keywords, are the same.
    let stop = std::sync::atomic::AtomicBool::new(false);
    for used in &uses {
        let one = std::slice::from_ref(used);
        let (mut found, _) =
            zhongdian::keywords::samples(&analysis, app.theme, one, &Options::default(), &stop);
        let found = found.pop().expect("one sample each");
        assert_eq!(
            samples[used.keyword].as_ref(),
            found.as_ref().map(|(_, p)| p),
            "{}",
            used.word
        );
    }
    let top = &uses[0].word;
    let row = |shown: &str| -> String {
        shown
            .lines()
            .find(|l| l.contains(&format!("│{top} ")))
            .unwrap_or_else(|| panic!("{shown}"))
            .to_owned()
    };
    // While the samples are read, the column says so.
    let mut waiting = crate::tui_app::app(160, 48);
    let mut held = Vec::new();
    for c in "⇥⇥ww".chars() {
        held.extend(waiting.update(Message::Key(key_of(c))).jobs);
    }
    assert!(!held.is_empty() && waiting.keyword_samples().is_none());
    let shown = screen(&waiting, 160, 48, PLAIN);
    assert!(row(&shown).contains(" …  "), "{shown}");
    let shown = screen(&app, 160, 48, PLAIN);
    // The keyword's label, then the keyword again in its sentence, marked.
    assert!(row(&shown).matches(top.as_str()).count() >= 2, "{shown}");
    assert!(highlighted(&app, 160, 48).contains(top.as_str()));
    insta::assert_snapshot!("keywords_samples_160x48", shown);
    // Too narrow for a sentence beside the bars: the column is left out.
    resize(&mut app, 120, 40);
    let shown = screen(&app, 120, 40, PLAIN);
    assert_eq!(row(&shown).matches(top.as_str()).count(), 1, "{shown}");
    assert!(!highlighted(&app, 120, 40).contains(top.as_str()));
}

#[test]
fn a_newer_analysis_drops_the_trial_shown_and_asks_an_awaited_one_of_itself() {
    use zhongdian::tui::message::{Loaded, Message};
    let mut app = app(100, 30);
    press(&mut app, &format!("T{TRIED}⏎"));
    assert!(app.trial.is_some());
    // Its meetings are numbered in the analysis it was tried on.
    load(&mut app, data_analysis());
    assert!(app.trial.is_none() && app.evidence.is_empty());
    let status = app.status.clone().unwrap_or_default();
    assert!(status.contains("the corpus changed"), "{status}");

    press(&mut app, "1");
    let mut held = Vec::new();
    for c in format!("T{TRIED}⏎").chars() {
        held.extend(app.update(Message::Key(key_of(c))).jobs);
    }
    let newer = data_analysis();
    let changes = app.update(Message::Loaded(Loaded::Current(Ok(Arc::clone(&newer)))));
    for job in held {
        job.run(&mut |_| panic!("the trial of the older analysis was stopped"));
    }
    let answers = dashboard::answers_of(changes.jobs);
    for answer in answers {
        let _ = app.update(answer);
    }
    assert!(Arc::ptr_eq(app.analysis.as_ref().unwrap(), &newer));
    assert_eq!(app.trial.as_ref().map(|t| t.term.as_str()), Some(TRIED));
    assert_eq!(app.view, View::Evidence);
}

#[test]
fn candidates_found_for_an_older_analysis_are_dropped_with_it() {
    use zhongdian::tui::message::{Loaded, Message};
    // 河道 goes with 生态环保's 生态环境 in three sentences and is in no theme.
    let text = "安远县召开会议。要加强河道保洁，保护生态环境。要求河道清淤常态化，守护生态环境。河道发现问题及时整改，改善生态环境。";
    let dir = tempfile::tempdir().unwrap();
    let report = format!("+++\ndistrict = \"安远县\"\nyear = 2024\n+++\n{text}");
    std::fs::write(dir.path().join("a.txt"), report).unwrap();
    // The corpus read again, as after a re-count: another analysis of the same files.
    let again = || Arc::new(analysis_of(dir.path()));
    let mut app = App::new(Options::default());
    resize(&mut app, 120, 40);
    load(&mut app, again());
    let analysis = app.analysis.clone().expect("loaded");
    app.theme = analysis.measurer.taxonomy.theme_index("生态环保").unwrap();
    press(&mut app, "c");
    let found = app
        .candidates
        .clone()
        .expect("candidates for the selected group");
    let first = found.2.first().expect("at least one candidate");
    // A candidate's row says so, with its sentences with the theme and elsewhere.
    let row = format!("candidate {}/{}", first.with_theme, first.elsewhere);
    let offered = |app: &App| screen(app, 120, 40, PLAIN).contains(&row);
    assert!(offered(&app), "the candidates are offered");
    // A newer analysis (a re-count under edited themes): what was found in the old one
    // may be a keyword now, so it goes until asked for again.
    load(&mut app, again());
    assert!(app.candidates.is_none());
    assert!(!offered(&app), "they are no longer offered");
    // Asked, then overtaken by a newer analysis before the answer: the answer is dropped.
    let asked = app.update(Message::Key(key_of('c')));
    let late = dashboard::answers_of(asked.jobs);
    let _ = app.update(Message::Loaded(Loaded::Current(Ok(again()))));
    for answer in late {
        let _ = app.update(answer);
    }
    assert!(
        app.candidates.is_none(),
        "the older analysis's answer is not shown"
    );
    press(&mut app, "c");
    assert!(
        app.candidates.is_some(),
        "asked again, they are found in the new one"
    );
}
