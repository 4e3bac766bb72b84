//! The cached `Engine`: built over a window of months that covers the asked period and every
//! indicator's history for it, and rebuilt when `Store::revision` changes or a question needs
//! months outside the window (what makes switching unit or period fast in the app). A door
//! that asks once (the CLI) uses a fresh cache; the app keeps one.

use std::ops::Deref;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::engine::Engine;
use crate::error::Result;
use crate::period::{Month, Period};
use crate::storage::Store;

use super::window::{self, Window};

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
    window: Window,
    pub engine: Engine,
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
    /// How many times an engine was built (the cache's misses), for tests and measurements.
    builds: AtomicU64,
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

    /// The engine over a window that covers `period` and every indicator's history for it.
    /// `now` is the current month (by the door's clock): the window reaches it when it can,
    /// so that stepping forward to the present reuses the engine. The caller holds `store`
    /// while the engine is built, so no write slips in between the revision and the data.
    pub fn engine_for(
        &self,
        store: &Store,
        period: &Period,
        now: Month,
    ) -> Result<Arc<CachedEngine>> {
        let need = window::needed_for(period);
        let revision = store.revision()?;
        if let Some(cached) = lock(&self.cached).as_ref() {
            if cached.revision == revision && cached.window.covers(&need) {
                return Ok(Arc::clone(cached));
            }
        }
        let load = window::load_period(&need, period, now);
        let data = store.dataset_for(&load)?;
        let built = Arc::new(CachedEngine {
            revision,
            window: window::loaded_by(&load),
            engine: Engine::new(data)?,
        });
        *lock(&self.cached) = Some(Arc::clone(&built));
        self.builds.fetch_add(1, Ordering::Relaxed);
        Ok(built)
    }

    /// Forgets the engine (after the database file was replaced).
    pub fn clear(&self) {
        *lock(&self.cached) = None;
    }

    /// How many engines were built so far: each one is a cache miss.
    pub fn builds(&self) -> u64 {
        self.builds.load(Ordering::Relaxed)
    }
}
