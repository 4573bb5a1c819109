//! The Trends view through the update loop: a query typed, answered on a worker, drawn;
//! asked again, answered from memory; refused when it means nothing; stopped with Esc;
//! drilled to the sentences behind a point and to a unit's first mention.

use std::sync::Arc;

use zhongdian::analysis::Subject;
use zhongdian::ingest::Options;
use zhongdian::tui::app::{App, View};
use zhongdian::tui::message::{Job, Message};
use zhongdian::tui::trends::{TrendFocus, TrendScope};

use crate::support::analysis::analysis_of;
use crate::support::dashboard::{answers_of, key, load, resize};

use crate::tui_app::{key_of, PLAIN};

fn app(width: u16, height: u16) -> (App, tempfile::TempDir) {
    let dir = crate::trends::corpus();
    let mut app = App::new(Options::default());
    resize(&mut app, width, height);
    load(&mut app, Arc::new(analysis_of(dir.path())));
    (app, dir)
}

fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        key(app, key_of(c));
    }
}

/// The jobs the keys ask for, none of them run.
fn jobs_of(app: &mut App, keys: &str) -> Vec<Job> {
    keys.chars()
        .flat_map(|c| app.update(Message::Key(key_of(c))).jobs)
        .collect()
}

fn screen(app: &App, width: u16, height: u16) -> String {
    crate::tui_app::screen(app, width, height, PLAIN)
}

#[test]
fn snapshots_of_the_trends_view() {
    for (width, height) in [(80, 24), (160, 48)] {
        let (mut app, _dir) = app(width, height);
        press(&mut app, "7/河长制, 河长*⏎");
        insta::assert_snapshot!(
            format!("trends_{width}x{height}"),
            screen(&app, width, height)
        );
        press(&mut app, "⇥");
        insta::assert_snapshot!(
            format!("trends_adoption_{width}x{height}"),
            screen(&app, width, height)
        );
    }
    let (mut app, _dir) = app(80, 24);
    press(&mut app, "7");
    insta::assert_snapshot!("trends_empty_80x24", screen(&app, 80, 24));
}

#[test]
fn a_query_is_answered_drawn_and_remembered() {
    let (mut app, _dir) = app(120, 40);
    press(&mut app, "7/河长制, 湖长制⏎");
    let answer = app.trends.answer().expect("answered").clone();
    let labels: Vec<&str> = answer
        .found
        .query
        .series
        .iter()
        .map(|s| s.label.as_str())
        .collect();
    assert_eq!(labels, ["河长制", "湖长制"]);
    let shown = screen(&app, 120, 40);
    assert!(shown.contains("hits per 10k characters"), "{shown}");
    assert!(shown.contains("2/3 units said it"), "{shown}");
    // The last year is selected; its point line names what it rests on.
    assert!(shown.contains("河长制 · 2021: "), "{shown}");
    assert!(shown.contains("1 of 3 meetings mention it"), "{shown}");

    // Another query, then the first again: answered from memory, no search.
    press(&mut app, "/放管服⏎");
    assert!(jobs_of(&mut app, "/河长制, 湖长制⏎").is_empty());
    assert!(Arc::ptr_eq(app.trends.answer().unwrap(), &answer));
    // The query line remembers both, latest first.
    press(&mut app, "/↑");
    assert_eq!(app.prompt.as_ref().unwrap().text, "河长制, 湖长制");
    press(&mut app, "↑");
    assert_eq!(app.prompt.as_ref().unwrap().text, "放管服");
    press(&mut app, "⎋");

    // The value, the smoothing and the lines are named on the chart.
    press(&mut app, "ms");
    let shown = screen(&app, 120, 40);
    assert!(shown.contains("% meetings · whole corpus"), "{shown}");
    assert!(shown.contains("share of meetings mentioning it"), "{shown}");
    assert!(shown.contains("mean over ±1 years"), "{shown}");
    press(&mut app, "u");
    assert_eq!(app.trends.scope, TrendScope::Pinned);
    assert!(screen(&app, 120, 40).contains("no pinned unit"));
    press(&mut app, "u");
    assert_eq!(app.trends.scope, TrendScope::Provinces);
    assert!(screen(&app, 120, 40).contains("河长制 江西省"));
}

#[test]
fn a_query_that_means_nothing_says_why_and_starts_nothing() {
    let (mut app, _dir) = app(100, 30);
    press(&mut app, "7/河长制⏎");
    let before = app.trends.shown.clone();
    assert!(jobs_of(&mut app, "/*⏎").is_empty());
    assert_eq!(app.trends.shown, before, "the last answer stays");
    let shown = screen(&app, 100, 30);
    assert!(shown.contains("wildcard with nothing around it"), "{shown}");
    assert!(jobs_of(&mut app, "/ ， ⏎").is_empty());
    assert!(screen(&app, 100, 30).contains("empty"));
}

#[test]
fn esc_stops_a_search_under_way() {
    let (mut app, _dir) = app(100, 30);
    press(&mut app, "7");
    let jobs = jobs_of(&mut app, "/河长制⏎");
    assert_eq!(jobs.len(), 1);
    assert!(app.trends.load.is_some());
    assert!(screen(&app, 100, 30).contains("searching for 河长制: 0%"));
    press(&mut app, "⎋");
    assert!(app.trends.load.is_none());
    assert_eq!(
        app.view,
        View::Trends,
        "Esc stopped the search, not the view"
    );
    // The stopped job answers nothing.
    let answers = answers_of(jobs);
    assert!(answers.iter().all(|m| !matches!(m, Message::Trend { .. })));
    assert!(app.trends.answer().is_none());
}

#[test]
fn enter_shows_the_sentences_behind_a_point_and_a_first_mention() {
    let (mut app, _dir) = app(120, 40);
    press(&mut app, "7/河长*⏎");
    // 2020: one meeting, two hits of the wildcard.
    press(&mut app, "←⏎");
    assert_eq!(app.view, View::Evidence);
    let query = app.evidence_query.clone().unwrap();
    assert!(matches!(&query.subject, Subject::Term(s) if s.label == "河长*"));
    assert_eq!(app.evidence.len(), 1, "one sentence holds both");
    let marked: Vec<&str> = app.evidence[0]
        .passage
        .marks
        .iter()
        .map(|m| &app.evidence[0].passage.sentence[m.clone()])
        .collect();
    assert_eq!(marked, ["河长制", "河长巡"]);
    assert!(screen(&app, 120, 40).contains("whole corpus · 2020"));

    // The adoption list: 丰泽区's first mention is its traditional 2021 report.
    press(&mut app, "7⇥j⏎");
    assert_eq!(app.trends.focus, TrendFocus::Adoption);
    assert_eq!(app.view, View::Evidence);
    let analysis = app.analysis.clone().unwrap();
    let files: Vec<&str> = app
        .evidence
        .iter()
        .map(|e| analysis.meetings[e.meeting].meeting.file.as_str())
        .collect();
    assert_eq!(files, ["04.txt"]);
    assert!(app.evidence[0].passage.sentence.contains("全面推行河长制"));
}
