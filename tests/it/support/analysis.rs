//! The analysis tests and benches start from: a folder read with the built-in taxonomy,
//! the default options and no cache.

use std::path::Path;

use zhongdian::analysis::{Analysis, Loader};
use zhongdian::ingest::Options;
use zhongdian::measure::Measurer;
use zhongdian::taxonomy::Taxonomy;

pub fn analysis_of(corpus: &Path) -> Analysis {
    Loader::new(corpus, &Options::default())
        .load(Measurer::new(
            Taxonomy::built_in().expect("the built-in taxonomy"),
        ))
        .expect("a readable corpus")
}
