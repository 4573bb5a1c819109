//! An edited taxonomy counted from the kept cuts — in memory (the dashboard's first
//! answer) and through the cache (its last, and the commands') — gives what a cold build
//! with the edited taxonomy gives, for every kind of edit.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use zhongdian::analysis::{Analysis, Loader};
use zhongdian::cache::Cache;
use zhongdian::ingest::Options;
use zhongdian::measure::{Measurer, MeetingMeasures};
use zhongdian::taxonomy::Taxonomy;

use crate::support::synthetic;
use crate::support::themes::{copy_of_themes, edit};

const MEETINGS: usize = 240;

fn build(corpus: &Path, cache: Option<&Cache>, themes: &Path) -> Analysis {
    Loader::new(corpus, &Options::default())
        .with_cache(cache)
        .load(Measurer::new(Taxonomy::load(themes).unwrap()))
        .expect("corpus")
}

fn measures(analysis: &Analysis) -> Vec<(String, MeetingMeasures)> {
    analysis
        .meetings
        .iter()
        .map(|m| (m.meeting.file.clone(), m.measures.clone()))
        .collect()
}

/// A synthetic corpus of `meetings` reports from `districts` units over `years` years.
fn corpus_of(meetings: usize, districts: usize, years: usize) -> tempfile::TempDir {
    let corpus = tempfile::tempdir().unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let sentences = synthetic::seed_sentences(&data);
    synthetic::generate(corpus.path(), meetings, districts, years, &sentences).unwrap();
    corpus
}

/// A group as shown: its key, meetings, denominators and hits.
type Numbers = (String, Vec<usize>, usize, usize, usize, Vec<f64>, f64);

fn numbers(analysis: &Analysis) -> Vec<Numbers> {
    analysis
        .groups
        .iter()
        .map(|g| {
            (
                format!("{} {}", g.district, g.year),
                g.meetings.clone(),
                g.units,
                g.chars,
                g.tokens,
                g.hits.clone(),
                g.entropy,
            )
        })
        .collect()
}

/// A group's frequent words (word, count) and distinctive ones (word, count, score's
/// bits), spelled.
type Words = (Vec<(String, u32)>, Vec<(String, u32, u64)>);

fn words(analysis: &Analysis) -> Vec<Words> {
    analysis
        .groups
        .iter()
        .map(|g| {
            let top = g
                .top_words
                .iter()
                .map(|&(id, n)| (analysis.word(id).to_owned(), n));
            let distinctive = g
                .distinctive
                .iter()
                .map(|k| (analysis.word(k.word).to_owned(), k.count, k.score.to_bits()));
            (top.collect(), distinctive.collect())
        })
        .collect()
}

/// What an edit should make of the corpus's meetings when counted again.
struct Expected {
    /// Some meeting is cut again (the edit changed the segmenter's dictionary); None
    /// where either may be right.
    cut_again: Option<bool>,
    /// Some meeting's matches are found again, or it is cut again.
    counted_again: bool,
}

#[test]
fn every_kind_of_edit_counts_as_a_cold_build_with_the_edited_themes() {
    let (corpus, cache_dir, themes) = (
        corpus_of(MEETINGS, 12, 4),
        tempfile::tempdir().unwrap(),
        copy_of_themes(),
    );
    let cache = Cache::for_corpus(cache_dir.path(), corpus.path());
    let mut shown = build(corpus.path(), Some(&cache), themes.path());
    assert_eq!(shown.cache.measured, MEETINGS);

    let ecology = "11-ecology.toml";
    let edits: [(&str, &str, &str, &str, Expected); 6] = [
        (
            "a keyword that is one word of the texts as they are cut",
            "keywords = [\n",
            "keywords = [\n  \"工作\",\n",
            ecology,
            Expected {
                cut_again: Some(false),
                counted_again: true,
            },
        ),
        (
            "a keyword that spans two of their words, so the segmenter learns it",
            "keywords = [\n",
            "keywords = [\n  \"招商引资工作\",\n",
            ecology,
            Expected {
                cut_again: Some(true),
                counted_again: true,
            },
        ),
        (
            "an exclusion",
            "keywords = [\n",
            "exclude = [\"各项工作\"]\nkeywords = [\n",
            ecology,
            Expected {
                cut_again: None,
                counted_again: true,
            },
        ),
        (
            "a weight",
            "{ word = \"生态\", weight = 0.5 }",
            "{ word = \"生态\", weight = 1.0 }",
            ecology,
            Expected {
                cut_again: Some(false),
                counted_again: false,
            },
        ),
        (
            "a keyword taken out",
            "  \"工作\",\n",
            "",
            ecology,
            Expected {
                cut_again: Some(false),
                counted_again: true,
            },
        ),
        (
            "a keyword moved to another theme",
            "  \"招商引资\",\n",
            "",
            "01-investment.toml",
            Expected {
                cut_again: Some(false),
                counted_again: true,
            },
        ),
    ];
    for (what, from, to, file, expected) in edits {
        edit(themes.path(), file, from, to);
        if what.ends_with("another theme") {
            edit(
                themes.path(),
                ecology,
                "keywords = [\n",
                "keywords = [\n  \"招商引资\",\n",
            );
        }
        let cold = build(corpus.path(), None, themes.path());

        // In memory, as the dashboard answers first.
        let recount = shown
            .recount(
                Measurer::new(Taxonomy::load(themes.path()).unwrap()),
                &AtomicBool::new(false),
            )
            .unwrap_or_else(|| panic!("{what}: counted in memory"));
        assert_eq!(
            measures(&recount.analysis),
            measures(&cold),
            "{what}: meetings"
        );
        assert_eq!(numbers(&recount.analysis), numbers(&cold), "{what}: groups");
        if let Some(cut_again) = expected.cut_again {
            assert_eq!(recount.cut_again > 0, cut_again, "{what}: cut again");
        }
        assert_eq!(
            recount.matched_again + recount.cut_again > 0,
            expected.counted_again,
            "{what}: counted again"
        );
        if recount.cut_again == 0 {
            assert_eq!(words(&recount.analysis), words(&cold), "{what}: words");
        }

        // Through the cache: no report read, and the words too are the cold build's.
        let warm = build(corpus.path(), Some(&cache), themes.path());
        assert_eq!(warm.cache.measured, 0, "{what}: no report read");
        assert_eq!(warm.cache.reused, MEETINGS);
        assert_eq!(measures(&warm), measures(&cold), "{what}: meetings");
        assert_eq!(numbers(&warm), numbers(&cold), "{what}: groups");
        assert_eq!(words(&warm), words(&cold), "{what}: words");
        assert_ne!(numbers(&warm), numbers(&shown), "{what}: the numbers moved");
        shown = warm;
    }

    // Another lexicon cuts every text otherwise: nothing is counted from the cuts.
    edit(themes.path(), "lexicon.txt", "", "新造词语 50\n");
    let measurer = Measurer::new(Taxonomy::load(themes.path()).unwrap());
    assert!(shown.recount(measurer, &AtomicBool::new(false)).is_none());
    let rebuilt = build(corpus.path(), Some(&cache), themes.path());
    assert_eq!(rebuilt.cache.measured, MEETINGS);
    let cold = build(corpus.path(), None, themes.path());
    assert_eq!(measures(&rebuilt), measures(&cold));
}

#[test]
fn a_tokens_file_lost_or_cut_short_is_measured_from_the_reports_never_guessed() {
    let (corpus, cache_dir, themes) = (
        corpus_of(60, 6, 2),
        tempfile::tempdir().unwrap(),
        copy_of_themes(),
    );
    let cache = Cache::for_corpus(cache_dir.path(), corpus.path());
    let shown = build(corpus.path(), Some(&cache), themes.path());
    let tokens = cache.path.with_extension("tokens");
    assert!(tokens.exists());

    let keyword = ("keywords = [\n", "keywords = [\n  \"工作\",\n");
    let another = ("keywords = [\n", "keywords = [\n  \"招商引资工作\",\n");
    for (what, damage, (from, to)) in [("cut short", true, keyword), ("lost", false, another)] {
        match damage {
            true => {
                let length = std::fs::metadata(&tokens).unwrap().len();
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&tokens)
                    .unwrap();
                file.set_len(length / 2).unwrap();
            }
            false => std::fs::remove_file(&tokens).unwrap(),
        }
        edit(themes.path(), "11-ecology.toml", from, to);
        let measurer = Measurer::new(Taxonomy::load(themes.path()).unwrap());
        assert!(
            shown.recount(measurer, &AtomicBool::new(false)).is_none(),
            "{what}: not counted in memory"
        );
        let warm = build(corpus.path(), Some(&cache), themes.path());
        assert_eq!(warm.cache.measured, 60, "{what}: every report read again");
        let cold = build(corpus.path(), None, themes.path());
        assert_eq!(measures(&warm), measures(&cold), "{what}");
        assert_eq!(words(&warm), words(&cold), "{what}");
    }
    // And the cuts are kept again, whole.
    assert!(tokens.exists());
}

#[test]
fn a_build_while_another_appends_to_the_cuts_keeps_the_cuts_it_has() {
    let (corpus, cache_dir, themes) = (
        corpus_of(40, 4, 2),
        tempfile::tempdir().unwrap(),
        copy_of_themes(),
    );
    let cache = Cache::for_corpus(cache_dir.path(), corpus.path());
    build(corpus.path(), Some(&cache), themes.path());

    // Another build holds the tokens file while one report is edited and read again.
    let held = std::fs::OpenOptions::new()
        .append(true)
        .open(cache.path.with_extension("tokens"))
        .unwrap();
    held.lock().unwrap();
    let report = build(corpus.path(), None, themes.path()).meetings[0]
        .meeting
        .file
        .clone();
    let path = corpus.path().join(&report);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}\n要抓好招商引资工作。\n")).unwrap();
    let during = build(corpus.path(), Some(&cache), themes.path());
    assert_eq!(during.cache.measured, 1);
    drop(held);

    // An edit of the themes: the 39 kept cuts count, the one report without is read.
    edit(
        themes.path(),
        "11-ecology.toml",
        "keywords = [\n",
        "keywords = [\n  \"工作\",\n",
    );
    let warm = build(corpus.path(), Some(&cache), themes.path());
    assert_eq!((warm.cache.measured, warm.cache.reused), (1, 39));
    let cold = build(corpus.path(), None, themes.path());
    assert_eq!(measures(&warm), measures(&cold));
    assert_eq!(words(&warm), words(&cold));
}
