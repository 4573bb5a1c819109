//! The analysis tests and benches start from: a folder read with the built-in taxonomy,
//! the default options and no cache.

use std::path::Path;

use zhongdian::analysis::{Analysis, Progress};
use zhongdian::ingest::{Options, Plan};
use zhongdian::measure::Analyzer;
use zhongdian::taxonomy::Taxonomy;

pub fn analysis_of(corpus: &Path) -> Analysis {
    Analysis::build(
        Plan::new(corpus).expect("a readable corpus"),
        Analyzer::new(Taxonomy::built_in().expect("the built-in taxonomy")),
        &Options::default(),
        &Progress::default(),
    )
}
