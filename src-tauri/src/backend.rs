//! Everything the app's commands do, without Tauri: the open database, a cached `Engine`
//! over a window of months (rebuilt when `Store::revision` changes or a question needs
//! months outside the window — this is what makes switching unit or period fast), and the
//! view types the UI receives. Every method blocks; the commands run them off the main
//! thread.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use malkart::clock;
use malkart::demo::{self, DemoSize};
use malkart::engine::sickleave::{MaskReason, Privacy};
use malkart::engine::{Engine, IndicatorResult, PeriodValue, Scorecard, UnitNode, UnitRef};
use malkart::error::IpcError;
use malkart::import::{ImportFailure, ImportKind, ImportReport};
use malkart::model::{AuditEntry, Comment, Indicator, LockedMonth, Target};
use malkart::period::{Month, Period, PeriodKind};
use malkart::storage::{AuditFilter, Store};
use malkart::{Error, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
    /// «Vis umaskerte tall» is on: sick-leave figures of small groups are shown. Off at
    /// every start; kept in memory only.
    pub sick_leave_unmasked: bool,
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
    /// Set when the point is a masked sick-leave figure (`value` is then `None`).
    pub masked: Option<MaskReason>,
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

/// What an import or its dry run did, or — when the file was refused and nothing was
/// stored — every wrong line. Exactly one of the two is set.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ImportOutcome {
    pub report: Option<ImportReport>,
    pub failure: Option<ImportFailure>,
}

/// A filter on the audit log from the UI; every field optional.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[ts(export)]
pub struct AuditQuery {
    pub unit: Option<String>,
    pub indicator: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: Option<u32>,
}

/// A target as typed in the indicator detail: numbers as text, read by the core's number
/// rules (`7,5`, `1 234 567`, `−2`); an empty red limit is none.
#[derive(Clone, Debug, Deserialize, TS)]
#[ts(export)]
pub struct TargetInput {
    pub indicator: String,
    /// `None`: the default target for all units.
    pub unit: Option<String>,
    pub year: i32,
    pub target: String,
    pub red_limit: String,
}

pub(crate) struct CachedEngine {
    revision: i64,
    window: Window,
    pub(crate) engine: Engine,
}

pub struct Backend {
    db_path: PathBuf,
    /// The open store, or why it could not be opened. Behind one mutex so that a restore
    /// can close the file, replace it and open it again.
    store: Mutex<std::result::Result<Store, IpcError>>,
    cache: Mutex<Option<Arc<CachedEngine>>>,
    /// How many times an engine was built (the cache's misses), for tests and measurements.
    builds: AtomicU64,
    /// «Vis umaskerte tall»: in memory only, so off again when the app restarts.
    unmasked: AtomicBool,
}

/// A mutex whose holder panicked still guards consistent data here: SQLite rolled back the
/// transaction, and the cache is only ever replaced whole.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn parse_period(text: &str) -> Result<Period> {
    Ok(Period::parse(text)?)
}

/// The last full calendar month by the computer's clock (or `MALKART_TODAY`).
pub fn last_full_month() -> Month {
    clock::last_full_month(clock::today())
}

fn current_month() -> Month {
    clock::current_month(clock::today())
}

impl Backend {
    /// Opens (creating and migrating when missing) the database at `db_path`. A failure is
    /// kept and reported by `info`, so that the window can say what is wrong.
    pub fn open(db_path: PathBuf) -> Backend {
        let store = Self::open_store(&db_path).map_err(|e| e.to_ipc());
        Backend {
            db_path,
            store: Mutex::new(store),
            cache: Mutex::new(None),
            builds: AtomicU64::new(0),
            unmasked: AtomicBool::new(false),
        }
    }

    fn open_store(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::io_write(dir, e))?;
        }
        Store::open(path)
    }

    /// When not even the database's path could be found: every command reports `error`.
    pub fn unopened(error: IpcError) -> Backend {
        Backend {
            db_path: PathBuf::new(),
            store: Mutex::new(Err(error)),
            cache: Mutex::new(None),
            builds: AtomicU64::new(0),
            unmasked: AtomicBool::new(false),
        }
    }

    /// Over an already open store (tests).
    pub fn over_store(db_path: PathBuf, store: Store) -> Backend {
        Backend {
            db_path,
            store: Mutex::new(Ok(store)),
            cache: Mutex::new(None),
            builds: AtomicU64::new(0),
            unmasked: AtomicBool::new(false),
        }
    }

    /// How many engines were built so far: each one is a cache miss.
    pub fn engine_builds(&self) -> u64 {
        self.builds.load(Ordering::Relaxed)
    }

    /// Runs `job` on the open store; the open error when there is none.
    pub(crate) fn with_store<T>(
        &self,
        job: impl FnOnce(&mut Store) -> Result<T>,
    ) -> std::result::Result<T, IpcError> {
        let mut guard = lock(&self.store);
        match guard.as_mut() {
            Ok(store) => job(store).map_err(|e| e.at(&self.db_path).to_ipc()),
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
            sick_leave_unmasked: self.unmasked.load(Ordering::Relaxed),
        };
        let guard = lock(&self.store);
        match guard.as_ref() {
            Err(e) => Ok(AppInfo {
                open_error: Some(e.clone()),
                ..base
            }),
            Ok(store) => {
                let empty = store.is_empty().map_err(|e| e.to_ipc())?;
                Ok(AppInfo {
                    empty,
                    user: store.user().to_string(),
                    ..base
                })
            }
        }
    }

    /// Fills the empty database with the small demo municipality, through the last full month.
    pub fn load_demo(&self) -> std::result::Result<(), IpcError> {
        self.with_store(|store| {
            if !store.is_empty()? {
                return Err(Error::Invalid(
                    "databasen har allerede data; demokommunen kan bare lastes inn i en tom database"
                        .into(),
                ));
            }
            store.load_demo(&demo::generate(DemoSize::Small, last_full_month()))
        })
    }

    /// The engine over a window that covers `period` and every indicator's history for it.
    pub(crate) fn engine_for(
        &self,
        period: &Period,
    ) -> std::result::Result<Arc<CachedEngine>, IpcError> {
        let need = window::needed_for(period);
        // The store stays locked while the engine is built, so that a write cannot slip in
        // between reading the revision and loading the data.
        self.with_store(|store| {
            let revision = store.revision()?;
            if let Some(cached) = lock(&self.cache).as_ref() {
                if cached.revision == revision && cached.window.covers(&need) {
                    return Ok(Arc::clone(cached));
                }
            }
            let load = window::load_period(&need, period, current_month());
            let data = store.dataset_for(&load)?;
            let built = Arc::new(CachedEngine {
                revision,
                window: window::loaded_by(&load),
                engine: Engine::new(data)?,
            });
            *lock(&self.cache) = Some(Arc::clone(&built));
            self.builds.fetch_add(1, Ordering::Relaxed);
            Ok(built)
        })
    }

    /// Every unit in tree order with its depth. Asked for the period the app opens on, so
    /// that the engine for the first målkart is built while the tree is drawn.
    pub fn units(&self) -> std::result::Result<Vec<UnitNode>, IpcError> {
        let cached = self.engine_for(&Period::month(last_full_month()))?;
        Ok(cached.engine.unit_tree())
    }

    /// Turns «Vis umaskerte tall» on or off, audited; `false` when it was so already.
    pub fn set_sick_leave_unmasked(&self, on: bool) -> std::result::Result<bool, IpcError> {
        if self.unmasked.load(Ordering::Relaxed) == on {
            return Ok(false);
        }
        // Audited first: when the log cannot be written, the figures stay masked.
        self.with_store(|store| store.audit_unmasked_switch(on))?;
        self.unmasked.store(on, Ordering::Relaxed);
        Ok(true)
    }

    /// Whether «Vis umaskerte tall» is on.
    pub fn sick_leave_unmasked(&self) -> bool {
        self.unmasked.load(Ordering::Relaxed)
    }

    /// How sick-leave figures are shown now: masked by the stored minimum unless «Vis
    /// umaskerte tall» is on. Asked before the engine, so the store is locked only briefly.
    fn privacy(&self) -> std::result::Result<Privacy, IpcError> {
        if self.sick_leave_unmasked() {
            return Ok(Privacy::unmasked());
        }
        self.with_store(|store| store.min_employees())
            .map(Privacy::masked)
    }

    pub fn scorecard(&self, unit: &str, period: &str) -> std::result::Result<Scorecard, IpcError> {
        let period = parse_period(period).map_err(|e| e.to_ipc())?;
        let privacy = self.privacy()?;
        let cached = self.engine_for(&period)?;
        cached
            .engine
            .scorecard_with(unit, &period, privacy)
            .map_err(|e| Error::from(e).to_ipc())
    }

    /// The sparkline of every indicator for `unit` and `period`, in the indicators' order.
    pub fn sparklines(
        &self,
        unit: &str,
        period: &str,
    ) -> std::result::Result<Vec<Sparkline>, IpcError> {
        let period = parse_period(period).map_err(|e| e.to_ipc())?;
        let privacy = self.privacy()?;
        let cached = self.engine_for(&period)?;
        let mut out = Vec::with_capacity(cached.engine.indicators().len());
        for ind in cached.engine.indicators() {
            let anchor = window::history_anchor(&period, ind.frequency);
            let points = cached
                .engine
                .series_with(
                    &ind.code,
                    unit,
                    &anchor,
                    window::history_len(&anchor),
                    privacy,
                )
                .map_err(|e| Error::from(e).to_ipc())?;
            out.push(Sparkline {
                code: ind.code.clone(),
                points,
            });
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
        let privacy = self.privacy()?;
        let cached = self.engine_for(&period)?;
        let engine = &cached.engine;
        let ipc = |e: malkart::engine::EngineError| Error::from(e).to_ipc();
        let definition = engine
            .indicator(indicator)
            .cloned()
            .ok_or_else(|| Error::UnknownIndicator(indicator.to_string()).to_ipc())?;
        let node = engine
            .unit(unit)
            .ok_or_else(|| Error::UnknownUnit(unit.to_string()).to_ipc())?;
        let result = engine
            .evaluate_with(indicator, unit, &period, privacy)
            .map_err(ipc)?;
        let anchor = window::history_anchor(&period, definition.frequency);
        let mut history = Vec::new();
        for p in window::history_periods(&anchor) {
            let r = engine
                .evaluate_with(indicator, unit, &p, privacy)
                .map_err(ipc)?;
            history.push(HistoryPoint {
                period: r.period,
                value: r.value,
                display_value: r.display_value,
                target: r.target,
                red_limit: r.red_limit,
                masked: r.masked,
            });
        }
        let tree = engine.unit_tree();
        let with_children: BTreeSet<&str> =
            tree.iter().filter_map(|u| u.parent.as_deref()).collect();
        let children = engine
            .children_with(indicator, unit, &period, privacy)
            .map_err(ipc)?
            .into_iter()
            .map(|(unit, result)| ChildResult {
                has_children: with_children.contains(unit.code.as_str()),
                unit,
                result,
            })
            .collect();
        let targets = self.with_store(|store| store.targets(indicator))?;
        Ok(IndicatorDetail {
            unit: UnitRef {
                code: node.code.clone(),
                name: node.name.clone(),
            },
            definition,
            result,
            history,
            children,
            targets,
        })
    }

    pub fn comments(
        &self,
        indicator: &str,
        unit: &str,
        period: &str,
    ) -> std::result::Result<Vec<Comment>, IpcError> {
        let period = parse_period(period).map_err(|e| e.to_ipc())?;
        self.with_store(|store| store.comments(indicator, unit, &period))
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
        self.with_store(|store| store.add_comment(indicator, unit, &period, text))
    }

    pub fn update_comment(&self, id: i64, text: &str) -> std::result::Result<Comment, IpcError> {
        let text = non_empty_comment(text)?;
        self.with_store(|store| store.update_comment(id, text))
    }

    pub fn delete_comment(&self, id: i64) -> std::result::Result<(), IpcError> {
        self.with_store(|store| store.delete_comment(id))
    }

    /// Imports a file of `kind` (`units`, `indicators`, `targets`, `measurements`, or the
    /// Norwegian names); with `dry_run` nothing is stored. A refused file is an outcome with
    /// its wrong lines, not an error: the UI lists them.
    pub fn import(
        &self,
        kind: &str,
        path: &str,
        dry_run: bool,
    ) -> std::result::Result<ImportOutcome, IpcError> {
        let kind = ImportKind::parse(kind)
            .ok_or_else(|| Error::Invalid(format!("ukjent importtype «{kind}»")).to_ipc())?;
        let mut guard = lock(&self.store);
        let store = guard.as_mut().map_err(|e| e.clone())?;
        match malkart::import::import_file(store, kind, Path::new(path), dry_run) {
            Ok(report) => Ok(ImportOutcome {
                report: Some(report),
                failure: None,
            }),
            Err(Error::Import(failure)) => Ok(ImportOutcome {
                report: None,
                failure: Some(failure),
            }),
            Err(e) => Err(e.to_ipc()),
        }
    }

    /// Sets one target (the indicator's default when `unit` is `None`), audited. A red
    /// limit on the wrong side of the target is refused with the rule in words.
    pub fn set_target(&self, input: &TargetInput) -> std::result::Result<Target, IpcError> {
        let number = |what: &str, text: &str| {
            malkart::number::parse_number(text)
                .map_err(|e| Error::Invalid(format!("{what}: {e}")).to_ipc())
        };
        let target = number("målverdien", &input.target)?;
        let red_limit = match input.red_limit.trim() {
            "" => None,
            text => Some(number("den røde grensen", text)?),
        };
        let target = Target {
            indicator: input.indicator.clone(),
            unit: input.unit.clone().filter(|u| !u.trim().is_empty()),
            year: input.year,
            target,
            red_limit,
        };
        self.with_store(|store| {
            let direction = store
                .indicators()?
                .into_iter()
                .find(|i| i.code == target.indicator)
                .map(|i| i.direction)
                .ok_or_else(|| Error::UnknownIndicator(target.indicator.clone()))?;
            if target.red_limit_on_wrong_side(direction) {
                let rule = match direction {
                    malkart::model::Direction::Hoy => {
                        "når høyere er bedre, må den røde grensen være lavere enn målet"
                    }
                    malkart::model::Direction::Lav => {
                        "når lavere er bedre, må den røde grensen være høyere enn målet"
                    }
                };
                return Err(Error::Invalid(format!(
                    "{rule} (indikator {})",
                    target.indicator
                )));
            }
            store.set_target(&target)?;
            Ok(target.clone())
        })
    }

    pub fn locked_months(&self) -> std::result::Result<Vec<LockedMonth>, IpcError> {
        self.with_store(|store| store.locked_months())
    }

    /// `false` when the month was locked already.
    pub fn lock_month(&self, month: &str) -> std::result::Result<bool, IpcError> {
        let month = parse_month(month)?;
        self.with_store(|store| store.lock_month(month))
    }

    /// `false` when the month was not locked. The reason is required and audited.
    pub fn unlock_month(&self, month: &str, reason: &str) -> std::result::Result<bool, IpcError> {
        let month = parse_month(month)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::Invalid("oppgi en grunn for å låse opp måneden".into()).to_ipc());
        }
        self.with_store(|store| store.unlock_month(month, reason))
    }

    pub fn audit(&self, query: AuditQuery) -> std::result::Result<Vec<AuditEntry>, IpcError> {
        let blank = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let filter = AuditFilter {
            unit: blank(query.unit),
            indicator: blank(query.indicator),
            from: blank(query.from),
            to: blank(query.to),
            limit: query.limit,
        };
        self.with_store(|store| store.audit(&filter))
    }

    /// A consistent, verified copy of the open database at `dest`. An existing `dest` is
    /// refused (`kind: "exists"`) unless `overwrite`; then the old file is kept beside it
    /// and its path returned.
    pub fn backup(
        &self,
        dest: &str,
        overwrite: bool,
    ) -> std::result::Result<Option<String>, IpcError> {
        self.with_store(|store| {
            store
                .backup_to(Path::new(dest), overwrite)
                .map(|kept| kept.map(|p| p.display().to_string()))
        })
    }

    /// Replaces the database with the verified copy at `source`; the old file is kept beside
    /// it and its path returned. The open database is closed first and opened again after,
    /// whether or not the copy was accepted.
    pub fn restore(&self, source: &str) -> std::result::Result<Option<String>, IpcError> {
        let mut guard = lock(&self.store);
        *guard = Err(IpcError {
            kind: "restoring".into(),
            message: "gjenoppretting pågår".into(),
        });
        let result = malkart::storage::restore(&self.db_path, Path::new(source));
        *guard = Self::open_store(&self.db_path).map_err(|e| e.to_ipc());
        *lock(&self.cache) = None;
        result
            .map(|kept| kept.map(|p| p.display().to_string()))
            .map_err(|e| e.to_ipc())
    }
}

fn parse_month(text: &str) -> std::result::Result<Month, IpcError> {
    match Period::parse(text) {
        Ok(p) if p.kind() == PeriodKind::Month => Ok(p.first()),
        _ => Err(Error::Invalid(format!(
            "«{text}» er ikke en måned; skriv for eksempel 2026-03"
        ))
        .to_ipc()),
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
