//! An interrupted build keeps what it measured: stopped (the dashboard's quit during a
//! load) or killed (`kill -9` of `index`), the next build goes on from its journal and
//! gives the analysis an uninterrupted build gives.

use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use zhongdian::analysis::{Analysis, Loader, Progress};
use zhongdian::cache::Cache;
use zhongdian::ingest::Options;
use zhongdian::measure::Measurer;
use zhongdian::taxonomy::Taxonomy;

use crate::support::binary::{run, zhongdian};
use crate::support::synthetic;

fn corpus(meetings: usize) -> tempfile::TempDir {
    let corpus = tempfile::tempdir().unwrap();
    let sentences = synthetic::seed_sentences(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data"));
    // Short reports: what is tested is how many there are, and the debug build of the
    // tests measures a full-length report slowly.
    synthetic::generate_short(
        corpus.path(),
        meetings,
        meetings.div_ceil(30),
        10,
        &sentences,
    )
    .unwrap();
    corpus
}

fn build(corpus: &Path, cache: &Cache, progress: &Progress) -> Analysis {
    Loader::new(corpus, &Options::default())
        .with_cache(Some(cache))
        .with_progress(progress)
        .load(Measurer::new(Taxonomy::built_in().unwrap()))
        .expect("corpus")
}

/// The journal beside `cache`'s file.
fn journal(cache: &Cache) -> std::path::PathBuf {
    cache.path.with_extension("journal")
}

/// The analysis's meetings and groups, but for where their cuts are kept: a resumed
/// build appends to a tokens file where an uninterrupted one wrote it at once.
fn measured(analysis: &Analysis) -> (Vec<String>, Vec<String>) {
    let meetings = analysis
        .meetings
        .iter()
        .map(|m| format!("{:?} {:?}", m.meeting, m.measures))
        .collect();
    let groups = analysis.groups.iter().map(|g| format!("{g:?}")).collect();
    (meetings, groups)
}

#[test]
fn a_build_stopped_partway_goes_on_from_its_journal_and_equals_an_uninterrupted_one() {
    // Six of the build's chunks of 1,024: a journal part is written between two, and
    // the build is stopped with chunks to go.
    const MEETINGS: usize = 6000;
    let corpus = corpus(MEETINGS);
    let whole_dir = tempfile::tempdir().unwrap();
    let whole = build(
        corpus.path(),
        &Cache::for_corpus(whole_dir.path(), corpus.path()),
        &Progress::default(),
    );
    assert_eq!(whole.cache.measured, MEETINGS);

    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::for_corpus(dir.path(), corpus.path());
    // Stopped as the dashboard stops a load when its user quits: once a good part is
    // read, and after a journal part (written about once a second) names it.
    let progress = Progress::default();
    let built = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            while std::fs::metadata(journal(&cache)).map_or(0, |m| m.len()) < 10_000 {
                if built.load(Ordering::Relaxed) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            progress.cancel.store(true, Ordering::Relaxed);
        });
        build(corpus.path(), &cache, &progress);
        built.store(true, Ordering::Relaxed);
    });
    assert!(
        progress.cancel.load(Ordering::Relaxed),
        "stopped before the build was done"
    );
    assert!(!cache.path.exists(), "a stopped build stores no cache");
    assert!(journal(&cache).exists(), "its journal is kept");

    let resumed = build(corpus.path(), &cache, &Progress::default());
    assert!(
        resumed.cache.reused > 0 && resumed.cache.measured < MEETINGS,
        "the second build goes on from the first: {:?}",
        resumed.cache
    );
    assert_eq!(resumed.cache.reused + resumed.cache.measured, MEETINGS);
    assert!(resumed
        .cache
        .notice
        .as_deref()
        .is_some_and(|n| n.contains("interrupted build")));
    assert_eq!(measured(&resumed), measured(&whole));
    assert!(
        !journal(&cache).exists(),
        "the journal goes once the cache is stored"
    );
    assert!(
        !cache.path.with_extension("tokens.partial").exists(),
        "the partial tokens file is put in place"
    );

    // The kept cuts are the texts: a search through them finds what an uninterrupted
    // build's finds, and a third start is warm.
    let warm = build(corpus.path(), &cache, &Progress::default());
    assert_eq!((warm.cache.reused, warm.cache.measured), (MEETINGS, 0));
    let options = Options::default();
    let (warm_texts, whole_texts) = (warm.texts(&options), whole.texts(&options));
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for i in 0..MEETINGS {
        assert!(warm.is_cut_kept(i), "meeting {i}'s cut is kept");
        assert_eq!(
            warm_texts.bytes(i, &mut a).unwrap(),
            whole_texts.bytes(i, &mut b).unwrap(),
            "meeting {i}'s kept text"
        );
    }
}

/// `zhongdian index` of `corpus` with its cache in `dir`.
fn index(corpus: &Path, dir: &Path) -> std::process::Command {
    let mut cmd = zhongdian();
    cmd.arg("index")
        .arg(corpus)
        .arg("--cache-dir")
        .arg(dir)
        .env("TERM", "dumb");
    cmd
}

/// What a researcher takes from an index: the groups' numbers, a term's trend (searched
/// in the kept texts) and every meeting's record. (Every meeting's measures are compared
/// in the test above; the debug build writes them slowly.)
fn outputs(corpus: &Path, dir: &Path) -> Vec<String> {
    let commands: [&[&str]; 3] = [
        &["report", "--by", "district-year", "--format", "csv"],
        &["trend", "--format", "csv"],
        &["check", "--format", "json"],
    ];
    commands
        .iter()
        .map(|args| {
            let mut cmd = zhongdian();
            cmd.arg(args[0]);
            if args[0] == "trend" {
                cmd.arg(corpus).arg("招商引资");
            } else {
                cmd.arg(corpus);
            }
            let out = run(cmd.args(&args[1..]).arg("--cache-dir").arg(dir));
            assert_eq!(out.code, Some(0), "{args:?}: {}", out.stderr);
            out.stdout
        })
        .collect()
}

/// The 10k-report scale test of an `index` killed with SIGKILL: the next `index` goes on
/// from what was journaled, and every output equals an uninterrupted index's.
#[test]
fn an_index_killed_partway_goes_on_and_gives_what_an_uninterrupted_one_gives() {
    const MEETINGS: usize = 10_000;
    let corpus = corpus(MEETINGS);
    let whole_dir = tempfile::tempdir().unwrap();
    // The uninterrupted index, its journal watched: the largest it grows is what the
    // index had journaled by its last part.
    let whole_journal = journal(&Cache::for_corpus(whole_dir.path(), corpus.path()));
    let mut whole = index(corpus.path(), whole_dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut largest = 0;
    while whole.try_wait().unwrap().is_none() {
        largest = largest.max(std::fs::metadata(&whole_journal).map_or(0, |m| m.len()));
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(whole.wait().unwrap().success());
    assert!(largest > 0, "the index journals as it goes");
    assert!(!whole_journal.exists(), "and removes its journal once done");

    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::for_corpus(dir.path(), corpus.path());
    let mut child = index(corpus.path(), dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    // Killed when its journal is half that: about half way through.
    while std::fs::metadata(journal(&cache)).map_or(0, |m| m.len()) < largest / 2 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the index ended before it could be killed"
        );
        assert!(started.elapsed() < Duration::from_secs(300));
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!cache.path.exists(), "killed before it stored the cache");

    let again = run(&mut index(corpus.path(), dir.path()));
    assert_eq!(again.code, Some(0), "{}", again.stderr);
    let reused: usize = again
        .stdout
        .split(" from the cache")
        .next()
        .and_then(|s| s.rsplit('(').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a summary with what came from the cache: {}", again.stdout));
    assert!(
        reused > 0 && reused < MEETINGS,
        "the second index goes on from the first: {}",
        again.stdout
    );
    assert!(
        again.stderr.contains("interrupted build"),
        "{}",
        again.stderr
    );
    let resumed = outputs(corpus.path(), dir.path());
    assert_eq!(resumed, outputs(corpus.path(), whole_dir.path()));

    // `check` streams its records, those of unchanged files from the cache: byte for
    // byte what reading every report gives.
    let read =
        run(zhongdian()
            .arg("check")
            .arg(corpus.path())
            .args(["--format", "json", "--no-cache"]));
    assert_eq!(read.code, Some(0), "{}", read.stderr);
    assert!(read.stdout == resumed[2], "check: cached as read");

    // Reports added to the indexed corpus: measured alone, and what comes out is what
    // a cold build of the whole corpus gives.
    let sentences = synthetic::seed_sentences(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data"));
    synthetic::write_meetings(
        corpus.path(),
        MEETINGS..MEETINGS + 100,
        MEETINGS.div_ceil(30),
        10,
        &sentences,
        1..2,
    )
    .unwrap();
    let added = run(&mut index(corpus.path(), dir.path()));
    assert!(
        added
            .stdout
            .contains(&format!("({MEETINGS} from the cache, 100 measured)")),
        "{}",
        added.stdout
    );
    let cold_dir = tempfile::tempdir().unwrap();
    assert_eq!(
        outputs(corpus.path(), dir.path()),
        outputs(corpus.path(), cold_dir.path()),
        "an addition equals a cold build of the whole"
    );
}

/// What `check` reads of a corpus the cache knows: every unchanged file's meeting from
/// the cache, in order, the same as its report read again; an edited one read.
#[test]
fn check_takes_unchanged_meetings_from_the_cache_and_reads_the_rest() {
    const MEETINGS: usize = 1500;
    let corpus = corpus(MEETINGS);
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::for_corpus(dir.path(), corpus.path());
    let analysis = build(corpus.path(), &cache, &Progress::default());
    let options = Options::default();
    let plan = zhongdian::ingest::Plan::new(corpus.path()).unwrap();
    let each = |plan: &zhongdian::ingest::Plan, entries| {
        let mut meetings = Vec::new();
        let from_cache = zhongdian::ingest::each_meeting(plan, &options, entries, |m| {
            meetings.push(m.expect("readable"));
            Ok::<(), ()>(())
        })
        .unwrap();
        (meetings, from_cache)
    };
    let (cached, from_cache) = each(&plan, cache.entries());
    assert_eq!(from_cache, MEETINGS);
    let (read, none) = each(&plan, None);
    assert_eq!(none, 0);
    assert_eq!(cached, read);
    let built: Vec<_> = analysis
        .meetings
        .iter()
        .map(|m| m.meeting.clone())
        .collect();
    assert_eq!(cached, built);

    // An edited report is read again, the others still come from the cache.
    let edited = &plan.files[MEETINGS / 2];
    let mut text = std::fs::read_to_string(&edited.path).unwrap();
    text.push_str("\n要狠抓招商引资。\n");
    std::fs::write(&edited.path, text).unwrap();
    let plan = zhongdian::ingest::Plan::new(corpus.path()).unwrap();
    let (after, from_cache) = each(&plan, cache.entries());
    assert_eq!(from_cache, MEETINGS - 1);
    assert_eq!(after, each(&plan, None).0);
    assert_ne!(after[MEETINGS / 2], cached[MEETINGS / 2]);
}
