//! What the cache may reuse: one place decides, for a build and for the dashboard's check
//! of a cached analysis alike.

use rayon::prelude::*;

use super::Analysis;
use crate::cache::{self, Cached, Failed};
use crate::corpus::ReportFile;
use crate::ingest::{Options, Plan};

/// The rule of reuse, the one both a build and the dashboard's check of a cached
/// analysis apply: what was measured of a file, `size` bytes modified at `modified` (ns),
/// stands for the file listed `now` when those are the same, so are the manifest's
/// statements of it (`stated_same`), and it is within this run's size limit `limit`.
pub(crate) fn stands(
    size: u64,
    modified: Option<u64>,
    stated_same: bool,
    now: &ReportFile,
    limit: u64,
) -> bool {
    size == now.size
        && modified == cache::modified_ns(now.modified)
        && stated_same
        && now.size <= limit
}

impl Analysis {
    /// Whether the corpus, listed now as `plan`, is still the one this analysis was made
    /// from: the same files, each standing by [`stands`] (or unread before and as it was
    /// then, so unread again), the same listing problems and manifest notices.
    pub fn is_current(&self, plan: &Plan, options: &Options) -> bool {
        let unread: std::collections::HashSet<&str> =
            self.skipped.iter().map(|s| s.file.as_str()).collect();
        let limit = options.max_file_bytes;
        self.plan.files.len() == plan.files.len()
            && self.plan.skipped == plan.skipped
            && self.plan.notices == plan.notices
            && self.plan.files.iter().zip(&plan.files).all(|(then, now)| {
                let stated_same = self.plan.stated(then) == plan.stated(now)
                    && self.plan.columns(then, options) == plan.columns(now, options);
                let modified = cache::modified_ns(then.modified);
                then.rel == now.rel
                    && (stands(then.size, modified, stated_same, now, limit)
                        || (unread.contains(now.rel.as_str())
                            && stands(then.size, modified, stated_same, now, u64::MAX)))
            })
    }
}

/// What the manifest states of each file of `plan`, and for a row which columns are
/// read under `options`, as the cache fingerprints it.
pub(super) fn stated_of(plan: &Plan, options: &Options) -> Vec<[u8; 32]> {
    plan.files
        .par_iter()
        .map(|file| {
            let columns = plan.columns(file, options);
            cache::stated_hash(&plan.stated(file), columns.as_ref())
        })
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
            let (position, size, modified, then) = cached.measured_as(file)?;
            stands(size, modified, then == stated, file, limit).then_some(position)
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
    if cached.is_empty() || cached.reweigh || cached.earlier.is_some() || cached.resumed {
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
