//! The cached `Engine`: built over, per frequency of indicator, a window of months that covers
//! the asked period and every indicator's history for it, and rebuilt when `Store::revision`
//! changes or a question needs months outside the windows (what makes switching unit or
//! period fast in the app). A door that asks once (the CLI) uses a fresh cache; the app keeps
//! one.

use std::ops::Deref;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::engine::Engine;
use crate::error::Result;
use crate::period::{Month, Period};
use crate::storage::Store;

use super::window::{self, Windows};

/// An engine for one målkart: `unit`'s for `period`, as `malkart status` and `export
/// scorecard` ask once. At a root unit it reads only what that målkart needs
/// (`Store::dataset_for_root_status`), else the whole window (`Store::dataset_for`): below
/// the root, whether an indicator is relevant depends on two years back. It answers the
/// målkart of `unit` for `period`, and nothing else is asked of it.
pub fn status_engine(store: &Store, unit: &str, period: &Period) -> Result<Engine> {
    let data = if store.unit_is_root(unit)? {
        store.dataset_for_root_status(period)?
    } else {
        store.dataset_for(period)?
    };
    Ok(Engine::new(data)?)
}

/// An engine and what it was built from.
pub struct CachedEngine {
    revision: i64,
    /// `EngineCache`'s count of `clear`s when it was asked for: another database file may
    /// start its revisions over.
    generation: u64,
    windows: Windows,
    /// Built over `window::wide` (in the foreground after a miss, or beside).
    wide: bool,
    pub engine: Engine,
}

impl CachedEngine {
    /// The months it holds, per frequency of indicator.
    pub fn windows(&self) -> Windows {
        self.windows
    }

    /// What its answers hold for: the database (by `EngineCache::clear`s) and its revision.
    /// Engines of one stamp answer alike where both cover the question (one may hold more
    /// months); a write or another database file gives a new stamp.
    pub fn stamp(&self) -> (u64, i64) {
        (self.generation, self.revision)
    }
}

impl Deref for CachedEngine {
    type Target = Engine;
    fn deref(&self) -> &Engine {
        &self.engine
    }
}

/// The last engine built, shared by the threads of one door.
#[derive(Default)]
pub struct EngineCache {
    cached: Mutex<Option<Arc<CachedEngine>>>,
    /// Set once a question fell outside the engine's windows (the person moves about in
    /// time): from then on an engine is built over `window::wide`, so that one build
    /// answers the next changes of kind and steps back. Until then each build reads what
    /// its period needs and no more, which keeps the first målkart quick.
    wide: AtomicBool,
    /// How many times an engine was built (the cache's misses), for tests and measurements.
    builds: AtomicU64,
    /// Counts `clear`s: a wide engine read before one is not kept.
    generation: AtomicU64,
}

/// The wide engine to build beside the door (`EngineCache::widening`).
pub struct Widening {
    generation: u64,
    windows: Windows,
}

impl Widening {
    /// Reads and builds it on a connection of its own to the database at `path`; `None`
    /// when the file is not in WAL mode (no second connection then).
    pub fn build(&self, path: &Path) -> Result<Option<CachedEngine>> {
        let windows = self.windows;
        let read = Store::dataset_planned_beside(path, |indicators| windows.plan(indicators))?;
        let Some((revision, data)) = read else {
            return Ok(None);
        };
        Ok(Some(CachedEngine {
            revision,
            generation: self.generation,
            windows,
            wide: true,
            engine: Engine::new(data)?,
        }))
    }
}

/// A mutex whose holder panicked still guards consistent data here: the cache is only ever
/// replaced whole.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl EngineCache {
    pub fn new() -> EngineCache {
        EngineCache::default()
    }

    /// An engine that holds, for each frequency of indicator, the months `period` and its
    /// history need (`window::needed_for`). `now` is the current month (by the door's
    /// clock): the windows reach it, so that stepping forward to the present reuses the
    /// engine. The caller holds `store` while the engine is built, so no write slips in
    /// between the revision and the data.
    pub fn engine_for(
        &self,
        store: &Store,
        period: &Period,
        now: Month,
    ) -> Result<Arc<CachedEngine>> {
        let need = window::needed_for(period);
        let revision = store.revision()?;
        if let Some(cached) = lock(&self.cached).as_ref() {
            if !cached.windows.covers(&need) {
                self.wide.store(true, Ordering::Relaxed);
            } else if cached.revision == revision {
                return Ok(Arc::clone(cached));
            }
        }
        let wide = self.wide.load(Ordering::Relaxed);
        let load = if wide {
            window::wide(period, now)
        } else {
            window::to_load(&need, now)
        };
        let (read_at, data) = store.dataset_planned(|indicators| load.plan(indicators))?;
        let built = Arc::new(CachedEngine {
            revision: read_at,
            generation: self.generation.load(Ordering::Relaxed),
            windows: load,
            wide,
            engine: Engine::new(data)?,
        });
        *lock(&self.cached) = Some(Arc::clone(&built));
        self.builds.fetch_add(1, Ordering::Relaxed);
        Ok(built)
    }

    /// The cached engine when it holds what `period` needs at the store's revision now;
    /// `None` otherwise, and nothing is built (for answers asked ahead, which wait for no
    /// build).
    pub fn built_for(&self, store: &Store, period: &Period) -> Result<Option<Arc<CachedEngine>>> {
        let need = window::needed_for(period);
        let revision = store.revision()?;
        Ok(lock(&self.cached)
            .as_ref()
            .filter(|c| c.revision == revision && c.windows.covers(&need))
            .cloned())
    }

    /// What building the wide engine for `period` beside the door takes (the app does it
    /// in the background after a narrow engine was built, so that the first change of kind
    /// of period finds it built); `None` when the cached engine is wide already or holds
    /// as much, or when nothing was asked yet. Once per narrow engine: a wide one that a
    /// later step falls outside of is widened in the foreground, as any miss is.
    pub fn widening(&self, period: &Period, now: Month) -> Option<Widening> {
        let windows = window::wide(period, now);
        let cached = lock(&self.cached);
        match cached.as_ref() {
            Some(c) if !c.wide && !c.windows.covers(&windows) => Some(Widening {
                generation: self.generation.load(Ordering::Relaxed),
                windows,
            }),
            _ => None,
        }
    }

    /// Keeps `built` when it holds more than the cached engine of the same revision, or
    /// comes from a later revision; never after a `clear` since `widening` (the database
    /// may have been replaced). Whether it was kept.
    pub fn install(&self, widening: &Widening, built: CachedEngine) -> bool {
        let mut cached = lock(&self.cached);
        if self.generation.load(Ordering::Relaxed) != widening.generation {
            return false;
        }
        let better = cached.as_ref().is_some_and(|c| {
            built.revision > c.revision
                || (built.revision == c.revision && !c.windows.covers(&built.windows))
        });
        if better {
            *cached = Some(Arc::new(built));
        }
        better
    }

    /// Forgets the engine (after the database file was replaced); the next build reads
    /// only what its period needs again, and a wide engine being built is not kept.
    pub fn clear(&self) {
        let mut cached = lock(&self.cached);
        *cached = None;
        self.generation.fetch_add(1, Ordering::Relaxed);
        self.wide.store(false, Ordering::Relaxed);
    }

    /// How many engines were built so far: each one is a cache miss.
    pub fn builds(&self) -> u64 {
        self.builds.load(Ordering::Relaxed)
    }
}
