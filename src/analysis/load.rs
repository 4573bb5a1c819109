//! The one way into an analysis.

use std::path::Path;
use std::sync::Arc;

use super::build::Build;
use super::reuse::{known_of, stated_of, untouched};
use super::{Analysis, Progress};
use crate::cache::{Cache, Cached};
use crate::error::Error;
use crate::ingest::{Options, Plan};
use crate::measure::Measurer;

/// The one way into an analysis, for both front ends: a corpus folder read with a
/// taxonomy and options, through its cache when there is one.
///
/// [`Loader::load`] gives the corpus as it is now (the commands). [`Loader::load_showing`]
/// also hands over what can be shown before that (the dashboard): the cache's analysis at
/// once, stale while the corpus is listed and checked against it, and the meetings read
/// so far during a long read.
pub struct Loader<'a> {
    root: &'a Path,
    options: &'a Options,
    cache: Option<&'a Cache>,
    progress: Option<&'a Progress>,
}

/// What [`Loader::load_showing`] hands over before it is done.
pub enum Shown {
    /// The cache's analysis, as it was when written; the corpus is being checked.
    FromCache(Arc<Analysis>),
    /// The meetings read so far, while the rest are read.
    Partial(Arc<Analysis>),
}

/// How [`Loader::load_showing`] ended.
pub enum Finished {
    /// The corpus is as the cache knew it: the analysis shown from the cache stands.
    CacheStands,
    /// The analysis of the corpus as it is now.
    Current(Box<Analysis>),
}

impl<'a> Loader<'a> {
    /// A load of the corpus at `root`, without a cache and with no one watching its
    /// progress.
    pub fn new(root: &'a Path, options: &'a Options) -> Loader<'a> {
        Loader {
            root,
            options,
            cache: None,
            progress: None,
        }
    }

    /// Reuses what `cache` holds for unchanged files, and writes it anew when anything
    /// changed.
    pub fn with_cache(self, cache: Option<&'a Cache>) -> Loader<'a> {
        Loader { cache, ..self }
    }

    /// Counts the files and bytes read into `progress`, and stops early when its cancel
    /// switch is set.
    pub fn with_progress(self, progress: &'a Progress) -> Loader<'a> {
        Loader {
            progress: Some(progress),
            ..self
        }
    }

    /// The analysis of the corpus as it is now. The corpus is listed and the cache
    /// loaded at the same time — on a large corpus each takes a good part of a second,
    /// one waiting on the file system and the other on the processor. Fails only if the
    /// folder cannot be read.
    pub fn load(&self, measurer: Measurer) -> Result<Analysis, Error> {
        self.open(measurer, None)
    }

    /// [`Loader::load`], handing `show` what can be shown meanwhile: with a cache, its
    /// analysis at once, before the corpus is listed; during a long read, the meetings
    /// read so far.
    pub fn load_showing(
        &self,
        measurer: Measurer,
        show: &dyn Fn(Shown),
    ) -> Result<Finished, Error> {
        let partial = |analysis: Analysis| show(Shown::Partial(Arc::new(analysis)));
        let Some(cache) = self.cache else {
            return self
                .open(measurer, Some(&partial))
                .map(|analysis| Finished::Current(Box::new(analysis)));
        };
        // Stale while checked: what the cache holds is on screen at once, and the corpus
        // is listed meanwhile to see whether it still holds.
        let shown = self.cached(Measurer::new(measurer.taxonomy.clone()));
        let shown = shown.map(|shown| {
            let shown = Arc::new(shown);
            show(Shown::FromCache(Arc::clone(&shown)));
            shown
        });
        let plan = Plan::new(self.root)?;
        if shown.is_some_and(|shown| shown.is_current(&plan, self.options)) {
            return Ok(Finished::CacheStands);
        }
        // Loaded again rather than kept: the analysis shown took the first load's parts.
        let cached = cache.load(&measurer.taxonomy);
        let current = self.build(plan, measurer, cached, Some(&partial));
        Ok(Finished::Current(Box::new(current)))
    }

    fn open(&self, measurer: Measurer, show: Option<&dyn Fn(Analysis)>) -> Result<Analysis, Error> {
        let (plan, cached) = rayon::join(
            || Plan::new(self.root),
            || {
                self.cache
                    .map_or_else(Cached::default, |c| c.load(&measurer.taxonomy))
            },
        );
        Ok(self.build(plan?, measurer, cached, show))
    }

    fn build(
        &self,
        plan: Plan,
        measurer: Measurer,
        cached: Cached,
        show: Option<&dyn Fn(Analysis)>,
    ) -> Analysis {
        let unwatched = Progress::default();
        let build = Build {
            options: self.options,
            progress: self.progress.unwrap_or(&unwatched),
            cache: self.cache,
            show,
        };
        build.run(plan, measurer, cached)
    }

    /// The analysis the cache holds for the corpus, as it was when written, without
    /// looking at the corpus: what [`Loader::load_showing`] shows first, until
    /// [`Analysis::is_current`] says whether it stands. None without a cache, or when it
    /// holds nothing for this taxonomy.
    pub fn cached(&self, measurer: Measurer) -> Option<Analysis> {
        let cached = self.cache?.load(&measurer.taxonomy);
        // Counted under other words, it would show other numbers.
        if cached.notice.is_some() || cached.earlier.is_some() {
            return None;
        }
        // The files as the cache knows them, with what the manifest states of them now:
        // an edited manifest is a change as an edited report is.
        let plan = Plan::from_listing(self.root, cached.listing(self.root));
        let stated = stated_of(&plan, self.options);
        let known = known_of(&cached, &plan.files, &stated, self.options.max_file_bytes);
        let failed = untouched(&cached, &plan.files, &known, self.options.max_file_bytes)?;
        Some(Analysis::from_cache(
            plan,
            Arc::new(measurer),
            cached,
            &failed,
            &Progress::default(),
        ))
    }
}
