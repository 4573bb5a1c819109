//! The cache on a 1,000-meeting synthetic corpus: a warm start equals a cold one, an
//! edited file is measured again alone, and a broken cache is rebuilt, never trusted.

use std::fs;
use std::path::Path;

use zhongdian::analysis::{Analysis, Finished, Loader, Shown};
use zhongdian::cache::Cache;
use zhongdian::ingest::{Options, Plan};
use zhongdian::measure::Measurer;
use zhongdian::taxonomy::Taxonomy;

use crate::support::synthetic;

const MEETINGS: usize = 1000;

fn build(corpus: &Path, cache: Option<&Cache>, taxonomy: Taxonomy) -> Analysis {
    Loader::new(corpus, &Options::default())
        .with_cache(cache)
        .load(Measurer::new(taxonomy))
        .expect("corpus")
}

/// What the dashboard shows before it lists the corpus: the cache's analysis.
fn shown_from(corpus: &Path, cache: &Cache, taxonomy: &Taxonomy) -> Analysis {
    Loader::new(corpus, &Options::default())
        .with_cache(Some(cache))
        .cached(Measurer::new(taxonomy.clone()))
        .expect("the cache holds an analysis")
}

fn listing(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walk(dir)
        .into_iter()
        .map(|p| p.strip_prefix(dir).unwrap().display().to_string())
        .collect();
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        }
        out.push(path);
    }
    out
}

#[test]
fn a_warm_start_equals_a_cold_one_and_an_edit_redoes_one_file() {
    let corpus = tempfile::tempdir().unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    let sentences = synthetic::seed_sentences(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data"));
    synthetic::generate(corpus.path(), MEETINGS, 40, 5, &sentences).unwrap();
    let before = listing(corpus.path());
    let cache = Cache::for_corpus(cache_dir.path(), corpus.path());
    let taxonomy = Taxonomy::built_in().unwrap();

    let cold = build(corpus.path(), Some(&cache), taxonomy.clone());
    assert_eq!((cold.cache.reused, cold.cache.measured), (0, MEETINGS));
    assert!(cache.path.exists());
    assert_eq!(
        listing(corpus.path()),
        before,
        "nothing is written into the corpus"
    );

    let warm = build(corpus.path(), Some(&cache), taxonomy.clone());
    assert_eq!((warm.cache.reused, warm.cache.measured), (MEETINGS, 0));
    assert_eq!(warm.meetings, cold.meetings);
    assert_eq!(warm.groups, cold.groups);

    // What the dashboard shows before it has listed the corpus: the same analysis, and
    // the listing confirms it.
    let shown = shown_from(corpus.path(), &cache, &taxonomy);
    assert_eq!(shown.meetings, cold.meetings);
    assert_eq!(shown.groups, cold.groups);
    assert_eq!(shown.plan.files, cold.plan.files);
    let listed = Plan::new(corpus.path()).unwrap();
    assert!(shown.is_current(&listed, &Options::default()));
    let smaller_cap = Options {
        max_file_bytes: 100,
        ..Options::default()
    };
    assert!(
        !shown.is_current(&listed, &smaller_cap),
        "files over this run's size limit are not current"
    );
    let text = shown.text(3, &Options::default()).unwrap();
    assert_eq!(text, cold.text(3, &Options::default()).unwrap());

    let uncached = build(corpus.path(), None, taxonomy.clone());
    assert_eq!(
        uncached.meetings, cold.meetings,
        "the cache changes nothing measured"
    );

    // Edit one report: it alone is measured again, and its numbers change.
    let edited = walk(corpus.path())
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "txt"))
        .unwrap();
    let rel = edited
        .strip_prefix(corpus.path())
        .unwrap()
        .display()
        .to_string();
    let mut text = fs::read_to_string(&edited).unwrap();
    text.push_str("\n要狠抓招商引资，招商引资是生命线。\n");
    fs::write(&edited, text).unwrap();
    let stale = shown_from(corpus.path(), &cache, &taxonomy);
    assert!(
        !stale.is_current(&Plan::new(corpus.path()).unwrap(), &Options::default()),
        "an edited file makes the cached analysis stale"
    );
    let after_edit = build(corpus.path(), Some(&cache), taxonomy.clone());
    assert_eq!(
        (after_edit.cache.reused, after_edit.cache.measured),
        (MEETINGS - 1, 1)
    );
    let find = |a: &Analysis| {
        a.meetings
            .iter()
            .find(|m| m.meeting.file == rel)
            .unwrap()
            .measures
            .clone()
    };
    assert!(find(&after_edit).themes[0].hits > find(&cold).themes[0].hits);
    // The groups are made again from the cached words of the other 999 meetings and the
    // new words of the edited one: the same as measuring everything afresh.
    let fresh = build(corpus.path(), None, taxonomy.clone());
    assert_eq!(after_edit.groups, fresh.groups);
    assert_ne!(after_edit.groups, cold.groups);

    // A report removed: no file is read, but the groups lose it.
    let removed = walk(corpus.path())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .nth(9)
        .unwrap();
    let kept = fs::read(&removed).unwrap();
    fs::remove_file(&removed).unwrap();
    let after_removal = build(corpus.path(), Some(&cache), taxonomy.clone());
    assert_eq!(
        (after_removal.cache.reused, after_removal.cache.measured),
        (MEETINGS - 1, 0)
    );
    assert_eq!(
        after_removal.groups,
        build(corpus.path(), None, taxonomy.clone()).groups
    );
    fs::write(&removed, kept).unwrap();
    assert_eq!(
        build(corpus.path(), Some(&cache), taxonomy.clone())
            .cache
            .measured,
        1
    );

    // Touched but unchanged: the content hash recognises it.
    let touched = walk(corpus.path())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .nth(5)
        .unwrap();
    let same = fs::read(&touched).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    fs::write(&touched, same).unwrap();
    let after_touch = build(corpus.path(), Some(&cache), taxonomy.clone());
    assert_eq!(after_touch.cache.measured, 0);

    // Other weights and another description: no report is read again, and the hits
    // are those a fresh build with the new weights gives.
    let reweighed = themes_with(&[
        (
            "  \"招商引资\",",
            "  { word = \"招商引资\", weight = 3.0 },",
        ),
        ("description = \"Attracting", "description = \"Drawing"),
    ]);
    let after_reweigh = build(corpus.path(), Some(&cache), reweighed.clone());
    assert_eq!(after_reweigh.cache.measured, 0, "nothing read again");
    let fresh = build(corpus.path(), None, reweighed);
    assert_eq!(after_reweigh.meetings, fresh.meetings);
    assert_eq!(after_reweigh.groups, fresh.groups);
    assert_ne!(
        after_reweigh.groups, after_touch.groups,
        "the weights count"
    );

    // Other keywords are counted again from the kept cuts, no report read, as a cold
    // build with them counts (every kind of edit: tests/it/recount.rs).
    let rewritten = themes_with(&[("  \"客商\",", "  \"外商\",")]);
    let retaxed = build(corpus.path(), Some(&cache), rewritten.clone());
    assert_eq!(retaxed.cache.measured, 0);
    assert!(retaxed.cache.counted_again > 0);
    let fresh = build(corpus.path(), None, rewritten);
    assert_eq!(retaxed.meetings, fresh.meetings);
    assert_eq!(retaxed.groups, fresh.groups);
}

/// The repository's themes with `(from, to)` replaced in the investment theme's file.
fn themes_with(edits: &[(&str, &str)]) -> Taxonomy {
    let dir = tempfile::tempdir().unwrap();
    let themes = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
    for entry in fs::read_dir(&themes).unwrap() {
        let path = entry.unwrap().path();
        let mut text = fs::read_to_string(&path).unwrap();
        if path.ends_with("01-investment.toml") {
            for (from, to) in edits {
                assert!(text.contains(from), "{from} is in the theme file");
                text = text.replacen(from, to, 1);
            }
        }
        fs::write(dir.path().join(path.file_name().unwrap()), text).unwrap();
    }
    Taxonomy::load(dir.path()).unwrap()
}

#[test]
fn a_damaged_cache_is_rebuilt_not_trusted() {
    let corpus = tempfile::tempdir().unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    for (i, name) in ["000_b446202f4aa57d8a.txt", "003_0c41b430a93a6d9e.txt"]
        .iter()
        .enumerate()
    {
        let seed = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data")
            .join(name);
        fs::copy(seed, corpus.path().join(format!("{i}.txt"))).unwrap();
    }
    let cache = Cache::for_corpus(cache_dir.path(), corpus.path());
    let taxonomy = Taxonomy::built_in().unwrap();
    let cold = build(corpus.path(), Some(&cache), taxonomy.clone());
    let full = fs::read(&cache.path).unwrap();
    for damage in [
        full[..full.len() / 2].to_vec(),
        b"not a cache".to_vec(),
        Vec::new(),
    ] {
        fs::write(&cache.path, &damage).unwrap();
        let rebuilt = build(corpus.path(), Some(&cache), taxonomy.clone());
        assert_eq!(rebuilt.cache.measured, 2, "a damaged cache is not used");
        assert_eq!(rebuilt.meetings, cold.meetings);
        assert_ne!(
            fs::read(&cache.path).unwrap(),
            damage,
            "and it is written anew"
        );
    }
    let leftovers: Vec<String> = listing(cache_dir.path())
        .into_iter()
        .filter(|f| f.contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn a_cache_of_another_format_is_said_to_be_from_another_version_not_damaged() {
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = Cache::for_corpus(cache_dir.path(), cache_dir.path());
    let taxonomy = Taxonomy::built_in().unwrap();
    // What wrote it, as every version's head starts, then a layout of another format.
    let mut part =
        postcard::to_allocvec(&("zhongdian cache", 12u32, env!("CARGO_PKG_VERSION"))).unwrap();
    part.extend_from_slice(b"fields of another layout");
    let mut head = u32::try_from(part.len()).unwrap().to_le_bytes().to_vec();
    head.extend(part);
    let mut file = (head.len() as u64).to_le_bytes().to_vec();
    file.extend(0u64.to_le_bytes());
    file.extend(head);
    fs::write(&cache.path, &file).unwrap();
    let notice = cache.load(&taxonomy).notice.unwrap_or_default();
    assert!(notice.contains("from another version"), "{notice}");
    // Not ours at all: damaged.
    file[24..39].copy_from_slice(b"something else!");
    fs::write(&cache.path, &file).unwrap();
    let notice = cache.load(&taxonomy).notice.unwrap_or_default();
    assert!(notice.contains("damaged"), "{notice}");
}

#[test]
fn the_size_cap_of_this_run_holds_for_cached_files_too() {
    let corpus = tempfile::tempdir().unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    // 6,809 and 5,116 bytes: a cap between them keeps only the smaller.
    for name in ["000_b446202f4aa57d8a.txt", "003_0c41b430a93a6d9e.txt"] {
        fs::copy(seeds.join(name), corpus.path().join(name)).unwrap();
    }
    let cache = Cache::for_corpus(cache_dir.path(), corpus.path());
    let taxonomy = Taxonomy::built_in().unwrap();
    let generous = build(corpus.path(), Some(&cache), taxonomy.clone());
    assert_eq!(generous.meetings.len(), 2);

    let capped = Loader::new(
        corpus.path(),
        &Options {
            max_file_bytes: 6000,
            ..Options::default()
        },
    )
    .with_cache(Some(&cache))
    .load(Measurer::new(taxonomy))
    .unwrap();
    let files: Vec<&str> = capped
        .meetings
        .iter()
        .map(|m| m.meeting.file.as_str())
        .collect();
    assert_eq!(files, ["003_0c41b430a93a6d9e.txt"]);
    assert_eq!(capped.skipped.len(), 1);
    assert_eq!(capped.skipped[0].file, "000_b446202f4aa57d8a.txt");
    assert!(
        capped.skipped[0].reason.contains("--max-file-mib"),
        "{:?}",
        capped.skipped
    );
}

#[test]
fn a_long_read_shows_the_meetings_read_so_far() {
    let corpus = tempfile::tempdir().unwrap();
    let sentences = synthetic::seed_sentences(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data"));
    // More than one chunk of reports, so there is a moment with some read and some not.
    synthetic::generate(corpus.path(), 1100, 40, 5, &sentences).unwrap();
    let shown = std::sync::Mutex::new(Vec::new());
    let show = |s: Shown| {
        if let Shown::Partial(partial) = s {
            shown.lock().unwrap().push(partial);
        }
    };
    let Ok(Finished::Current(whole)) = Loader::new(corpus.path(), &Options::default())
        .load_showing(Measurer::new(Taxonomy::built_in().unwrap()), &show)
    else {
        panic!("a corpus without a cache is read");
    };
    let shown = shown.into_inner().unwrap();
    assert_eq!(
        shown.len(),
        1,
        "one partial analysis, after the first chunk"
    );
    let partial = &shown[0];
    assert!(partial.meetings.len() < whole.meetings.len());
    assert_eq!(
        partial.meetings[..],
        whole.meetings[..partial.meetings.len()],
        "the first reports, measured as in the whole"
    );
    // Its groups are those of the meetings it has, no more.
    let grouped: usize = partial
        .groups
        .iter()
        .filter(|g| g.year == zhongdian::aggregate::YearKey::AllYears)
        .map(|g| g.meetings.len())
        .sum();
    assert_eq!(grouped, partial.meetings.len());
    let unshown = build(corpus.path(), None, Taxonomy::built_in().unwrap());
    assert_eq!(whole.groups, unshown.groups, "showing changes nothing");
}

#[test]
fn a_report_that_cannot_be_read_does_not_keep_a_corpus_from_its_fast_start() {
    let corpus = tempfile::tempdir().unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/000_b446202f4aa57d8a.txt");
    fs::copy(&seed, corpus.path().join("a.txt")).unwrap();
    fs::copy(&seed, corpus.path().join("c.txt")).unwrap();
    // Binary, with a report's name: skipped with a warning at every start.
    fs::write(
        corpus.path().join("b.txt"),
        [0u8, 159, 146, 150, 0, 255, 1, 2].repeat(64),
    )
    .unwrap();
    let cache = Cache::for_corpus(cache_dir.path(), corpus.path());
    let taxonomy = Taxonomy::built_in().unwrap();

    let cold = build(corpus.path(), Some(&cache), taxonomy.clone());
    let unread: Vec<&str> = cold.skipped.iter().map(|s| s.file.as_str()).collect();
    assert_eq!(unread, ["b.txt"]);
    let warm = build(corpus.path(), Some(&cache), taxonomy.clone());
    assert_eq!((warm.cache.reused, warm.cache.measured), (2, 0));
    assert_eq!(
        warm.skipped, cold.skipped,
        "the same warning, from the cache"
    );
    assert_eq!(warm.groups, cold.groups);

    // The dashboard's start: the cache's analysis, confirmed by the listing.
    let shown = shown_from(corpus.path(), &cache, &taxonomy);
    assert_eq!(shown.skipped, cold.skipped);
    assert!(shown.is_current(&Plan::new(corpus.path()).unwrap(), &Options::default()));

    // Made readable, it is read.
    fs::copy(&seed, corpus.path().join("b.txt")).unwrap();
    let mended = build(corpus.path(), Some(&cache), taxonomy);
    assert!(mended.skipped.is_empty());
    assert_eq!(mended.meetings.len(), 3);
}

#[test]
fn a_manifest_edit_is_seen_by_the_dashboard_start_too() {
    let corpus = tempfile::tempdir().unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/000_b446202f4aa57d8a.txt");
    fs::copy(&seed, corpus.path().join("a.txt")).unwrap();
    let manifest = corpus.path().join("meetings.toml");
    fs::write(&manifest, "[\"a.txt\"]\nyear = 2026\n").unwrap();
    let cache = Cache::for_corpus(cache_dir.path(), corpus.path());
    let taxonomy = Taxonomy::built_in().unwrap();
    build(corpus.path(), Some(&cache), taxonomy.clone());
    let year = |a: &Analysis| a.meetings[0].meeting.year.as_ref().map(|y| y.value);
    assert_eq!(
        year(&shown_from(corpus.path(), &cache, &taxonomy)),
        Some(2026)
    );

    // The reports are as cached, but the manifest now states another year: what the
    // cache holds is not shown as current, and a build reads the new year.
    fs::write(&manifest, "[\"a.txt\"]\nyear = 1999\n").unwrap();
    let stale = Loader::new(corpus.path(), &Options::default())
        .with_cache(Some(&cache))
        .cached(Measurer::new(taxonomy.clone()));
    let listed = Plan::new(corpus.path()).unwrap();
    assert!(!stale.is_some_and(|shown| shown.is_current(&listed, &Options::default())));
    assert_eq!(
        year(&build(corpus.path(), Some(&cache), taxonomy)),
        Some(1999)
    );
}
