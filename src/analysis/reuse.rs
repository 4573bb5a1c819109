//! What the cache may reuse: one place decides, for a build and for the dashboard's check
//! of a cached analysis alike.

use rayon::prelude::*;

use super::Analysis;
use crate::cache::{self, Cached, Failed};
use crate::corpus::ReportFile;
use crate::ingest::{Options, Plan};

impl Analysis {
    /// Whether the corpus, listed now as `plan`, is still the one this analysis was made
    /// from: the same files with the same sizes and times, the same manifest, nothing
    /// over this run's size limit.
    pub fn is_current(&self, plan: &Plan, options: &Options) -> bool {
        // The files include those that could not be read: the same files, unchanged,
        // fail the same way.
        let unread: std::collections::HashSet<&str> =
            self.skipped.iter().map(|s| s.file.as_str()).collect();
        self.plan.files == plan.files
            && self.plan.skipped == plan.skipped
            && self.plan.notices == plan.notices
            && plan.files.iter().all(|file| {
                (file.size <= options.max_file_bytes || unread.contains(file.rel.as_str()))
                    && self.plan.stated(file) == plan.stated(file)
            })
    }
}

/// What the manifest states of each file of `plan`, as the cache fingerprints it.
pub(super) fn stated_of(plan: &Plan) -> Vec<[u8; 32]> {
    plan.files
        .par_iter()
        .map(|file| cache::stated_hash(&plan.stated(file)))
        .collect()
}

/// For each of `files` (the manifest stating `stated` of them), the position of its
/// cache entry if the file and what is stated of it are as cached. A file above the
/// size limit `limit` has none: it is skipped now, whatever was cached of it when the
/// limit was higher.
pub(super) fn known_of(
    cached: &Cached,
    files: &[ReportFile],
    stated: &[[u8; 32]],
    limit: u64,
) -> Vec<Option<usize>> {
    files
        .iter()
        .zip(stated)
        .map(|(file, stated)| {
            cached
                .unchanged(file, stated)
                .filter(|_| file.size <= limit)
        })
        .collect()
}

/// Whether `files` (whose cache positions are `known`) are untouched: each is the
/// cache's next entry, or a report that failed before and would fail again under
/// `limit`, and no entry is left over. If so, the failures that stand.
pub(super) fn untouched(
    cached: &Cached,
    files: &[ReportFile],
    known: &[Option<usize>],
    limit: u64,
) -> Option<Vec<Failed>> {
    if cached.is_empty() || cached.reweigh {
        return None;
    }
    let mut next = 0;
    let mut failed_again = Vec::new();
    for (file, &k) in files.iter().zip(known) {
        if k == Some(next) {
            next += 1;
        } else if let (None, Some(failed)) = (k, cached.failed(file, limit)) {
            failed_again.push(failed.clone());
        } else {
            return None;
        }
    }
    (next == cached.len()).then_some(failed_again)
}
