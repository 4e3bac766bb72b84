//! Everything the app's commands do, without Tauri: the open database, a cached `Engine`
//! over a window of months (rebuilt when `Store::revision` changes or a question needs
//! months outside the window — this is what makes switching unit or period fast), and the
//! view types the UI receives. Every method blocks; the commands run them off the main
//! thread.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use malkart::demo::{self, DemoSize};
use malkart::engine::{Engine, IndicatorResult, PeriodValue, Scorecard, UnitRef};
use malkart::error::IpcError;
use malkart::model::{Comment, Indicator, Target};
use malkart::period::{Month, Period};
use malkart::storage::Store;
use malkart::{Error, Result};
use serde::Serialize;
use ts_rs::TS;

use crate::tree::{tree_order, UnitNode};
use crate::window::{self, Window};

/// What the UI needs to know at start.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct AppInfo {
    /// The database file in use.
    pub db_path: String,
    /// Why the database could not be opened; then nothing else works.
    pub open_error: Option<IpcError>,
    /// No units, indicators or measurements yet: the UI offers the demo municipality.
    pub empty: bool,
    /// The name written on comments and in the audit log.
    pub user: String,
    /// The last full calendar month (`2026-10`): the period the app opens on.
    pub last_full_month: String,
}

/// The last periods of one indicator in a målkart, oldest first.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct Sparkline {
    pub code: String,
    pub points: Vec<PeriodValue>,
}

/// One period of the detail chart: the value and the target and red limit that applied.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct HistoryPoint {
    pub period: String,
    pub value: Option<f64>,
    pub display_value: Option<f64>,
    pub target: Option<f64>,
    pub red_limit: Option<f64>,
}

/// A child unit's result, for the drill-down table.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ChildResult {
    pub unit: UnitRef,
    pub has_children: bool,
    pub result: IndicatorResult,
}

/// Everything the indicator detail shows.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct IndicatorDetail {
    pub unit: UnitRef,
    pub definition: Indicator,
    pub result: IndicatorResult,
    pub history: Vec<HistoryPoint>,
    pub children: Vec<ChildResult>,
    pub targets: Vec<Target>,
}

struct CachedEngine {
    revision: i64,
    window: Window,
    engine: Engine,
    units: Vec<UnitNode>,
    indicators: Vec<Indicator>,
}

pub struct Backend {
    db_path: PathBuf,
    store: std::result::Result<Mutex<Store>, IpcError>,
    cache: Mutex<Option<Arc<CachedEngine>>>,
}

/// A mutex whose holder panicked still guards consistent data here: SQLite rolled back the
/// transaction, and the cache is only ever replaced whole.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn parse_period(text: &str) -> Result<Period> {
    Ok(Period::parse(text)?)
}

/// The last full calendar month by the computer's clock.
pub fn last_full_month() -> Month {
    use chrono::Datelike;
    let today = chrono::Local::now().date_naive();
    Month::new(today.year(), today.month()).map(|m| m.plus(-1)).unwrap_or_else(|| Month::from_index(0))
}

fn current_month() -> Month {
    last_full_month().plus(1)
}

impl Backend {
    /// Opens (creating and migrating when missing) the database at `db_path`. A failure is
    /// kept and reported by `info`, so that the window can say what is wrong.
    pub fn open(db_path: PathBuf) -> Backend {
        let store = Self::open_store(&db_path).map(Mutex::new).map_err(|e| e.to_ipc());
        Backend { db_path, store, cache: Mutex::new(None) }
    }

    fn open_store(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        Store::open(path)
    }

    /// When not even the database's path could be found: every command reports `error`.
    pub fn unopened(error: IpcError) -> Backend {
        Backend { db_path: PathBuf::new(), store: Err(error), cache: Mutex::new(None) }
    }

    /// Over an already open store (tests).
    pub fn with_store(db_path: PathBuf, store: Store) -> Backend {
        Backend { db_path, store: Ok(Mutex::new(store)), cache: Mutex::new(None) }
    }

    fn store(&self) -> std::result::Result<MutexGuard<'_, Store>, IpcError> {
        match &self.store {
            Ok(m) => Ok(lock(m)),
            Err(e) => Err(e.clone()),
        }
    }

    pub fn info(&self) -> std::result::Result<AppInfo, IpcError> {
        let base = AppInfo {
            db_path: self.db_path.display().to_string(),
            open_error: None,
            empty: false,
            user: String::new(),
            last_full_month: last_full_month().id(),
        };
        match self.store() {
            Err(e) => Ok(AppInfo { open_error: Some(e), ..base }),
            Ok(store) => {
                let empty = store.is_empty().map_err(|e| e.to_ipc())?;
                Ok(AppInfo { empty, user: store.user().to_string(), ..base })
            }
        }
    }

    /// Fills the empty database with the small demo municipality, through the last full month.
    pub fn load_demo(&self) -> std::result::Result<(), IpcError> {
        let mut store = self.store()?;
        let run = |store: &mut Store| -> Result<()> {
            if !store.is_empty()? {
                return Err(Error::Invalid(
                    "databasen har allerede data; demokommunen kan bare lastes inn i en tom database"
                        .into(),
                ));
            }
            store.load_demo(&demo::generate(DemoSize::Small, last_full_month()))
        };
        run(&mut store).map_err(|e| e.to_ipc())
    }

    /// The engine over a window that covers `period` and every indicator's history for it.
    fn engine_for(&self, period: &Period) -> std::result::Result<Arc<CachedEngine>, IpcError> {
        let need = window::needed_for(period);
        let store = self.store()?;
        let revision = store.revision().map_err(|e| e.to_ipc())?;
        if let Some(cached) = lock(&self.cache).as_ref() {
            if cached.revision == revision && cached.window.covers(&need) {
                return Ok(Arc::clone(cached));
            }
        }
        let load = window::load_period(&need, period, current_month());
        let built = (|| -> Result<CachedEngine> {
            let data = store.dataset_for(&load)?;
            let units = tree_order(&data.units);
            let indicators = data.indicators.clone();
            Ok(CachedEngine {
                revision,
                window: window::loaded_by(&load),
                engine: Engine::new(data)?,
                units,
                indicators,
            })
        })()
        .map_err(|e| e.to_ipc())?;
        drop(store);
        let built = Arc::new(built);
        *lock(&self.cache) = Some(Arc::clone(&built));
        Ok(built)
    }

    pub fn units(&self) -> std::result::Result<Vec<UnitNode>, IpcError> {
        let store = self.store()?;
        let units = store.units().map_err(|e| e.to_ipc())?;
        Ok(tree_order(&units))
    }

    pub fn scorecard(&self, unit: &str, period: &str) -> std::result::Result<Scorecard, IpcError> {
        let period = parse_period(period).map_err(|e| e.to_ipc())?;
        let cached = self.engine_for(&period)?;
        cached.engine.scorecard(unit, &period).map_err(|e| Error::from(e).to_ipc())
    }

    /// The sparkline of every indicator for `unit` and `period`, in the indicators' order.
    pub fn sparklines(&self, unit: &str, period: &str) -> std::result::Result<Vec<Sparkline>, IpcError> {
        let period = parse_period(period).map_err(|e| e.to_ipc())?;
        let cached = self.engine_for(&period)?;
        let mut out = Vec::with_capacity(cached.indicators.len());
        for ind in &cached.indicators {
            let anchor = window::history_anchor(&period, ind.frequency);
            let points = cached
                .engine
                .series(&ind.code, unit, &anchor, window::history_len(&anchor))
                .map_err(|e| Error::from(e).to_ipc())?;
            out.push(Sparkline { code: ind.code.clone(), points });
        }
        Ok(out)
    }

    pub fn indicator_detail(
        &self,
        indicator: &str,
        unit: &str,
        period: &str,
    ) -> std::result::Result<IndicatorDetail, IpcError> {
        let period = parse_period(period).map_err(|e| e.to_ipc())?;
        let cached = self.engine_for(&period)?;
        let engine = &cached.engine;
        let ipc = |e: malkart::engine::EngineError| Error::from(e).to_ipc();
        let definition = cached
            .indicators
            .iter()
            .find(|i| i.code == indicator)
            .cloned()
            .ok_or_else(|| Error::UnknownIndicator(indicator.to_string()).to_ipc())?;
        let node = cached
            .units
            .iter()
            .find(|u| u.code == unit)
            .ok_or_else(|| Error::UnknownUnit(unit.to_string()).to_ipc())?;
        let result = engine.evaluate(indicator, unit, &period).map_err(ipc)?;
        let anchor = window::history_anchor(&period, definition.frequency);
        let mut history = Vec::new();
        for p in window::history_periods(&anchor) {
            let r = engine.evaluate(indicator, unit, &p).map_err(ipc)?;
            history.push(HistoryPoint {
                period: r.period,
                value: r.value,
                display_value: r.display_value,
                target: r.target,
                red_limit: r.red_limit,
            });
        }
        let with_children: BTreeSet<&str> =
            cached.units.iter().filter(|u| u.has_children).map(|u| u.code.as_str()).collect();
        let children = engine
            .children(indicator, unit, &period)
            .map_err(ipc)?
            .into_iter()
            .map(|(unit, result)| ChildResult { has_children: with_children.contains(unit.code.as_str()), unit, result })
            .collect();
        let targets = self.store()?.targets(indicator).map_err(|e| e.to_ipc())?;
        Ok(IndicatorDetail {
            unit: UnitRef { code: node.code.clone(), name: node.name.clone() },
            definition,
            result,
            history,
            children,
            targets,
        })
    }

    pub fn comments(&self, indicator: &str, unit: &str, period: &str) -> std::result::Result<Vec<Comment>, IpcError> {
        let period = parse_period(period).map_err(|e| e.to_ipc())?;
        self.store()?.comments(indicator, unit, &period).map_err(|e| e.to_ipc())
    }

    pub fn add_comment(
        &self,
        indicator: &str,
        unit: &str,
        period: &str,
        text: &str,
    ) -> std::result::Result<Comment, IpcError> {
        let period = parse_period(period).map_err(|e| e.to_ipc())?;
        let text = non_empty_comment(text)?;
        self.store()?.add_comment(indicator, unit, &period, text).map_err(|e| e.to_ipc())
    }

    pub fn update_comment(&self, id: i64, text: &str) -> std::result::Result<Comment, IpcError> {
        let text = non_empty_comment(text)?;
        self.store()?.update_comment(id, text).map_err(|e| e.to_ipc())
    }

    pub fn delete_comment(&self, id: i64) -> std::result::Result<(), IpcError> {
        self.store()?.delete_comment(id).map_err(|e| e.to_ipc())
    }
}

fn non_empty_comment(text: &str) -> std::result::Result<&str, IpcError> {
    let text = text.trim();
    if text.is_empty() {
        Err(Error::Invalid("kommentaren er tom; skriv noe før du lagrer".into()).to_ipc())
    } else {
        Ok(text)
    }
}

