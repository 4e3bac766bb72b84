//! The app's state around the core's service layer (`malkart::service`): the open database,
//! the cached engine, and «Vis umaskerte tall». Each method locks what it needs, calls one
//! service function and converts its error once (`?` into `IpcError`); the rules and the
//! answers are built in the service, the same for every door. Every method blocks; the
//! commands run them off the main thread.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use malkart::clock;
use malkart::demo::DemoSize;
use malkart::engine::sickleave::Privacy;
use malkart::engine::{Scorecard, UnitNode};
use malkart::error::IpcError;
use malkart::import::ImportKind;
use malkart::model::{Comment, LockedMonth, Target};
use malkart::period::{Month, Period};
use malkart::service::admin::{self, TargetInput};
use malkart::service::audit::AuditRow;
use malkart::service::detail::{self, IndicatorDetail, Sparkline};
use malkart::service::imports::{self, ImportOutcome};
use malkart::service::overview::{self, Overview, UnitStatus};
use malkart::service::{self, CachedEngine, EngineCache};
use malkart::storage::{AuditFilter, Store};
use malkart::{Error, Result};
use serde::Serialize;
use ts_rs::TS;

use crate::answers::{Answers, Asked, Page};
use crate::sync::Syncing;

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
    /// The last full calendar month (`2026-10`): what a period is judged complete against.
    pub last_full_month: String,
    /// The latest month, up to the last full month, with a registered figure: the app opens
    /// on it (no period after it is offered by default). `None` when nothing is registered.
    pub last_month_with_data: Option<String>,
    /// «Vis umaskerte tall» is on: sick-leave figures of small groups are shown. Off at
    /// every start; kept in memory only.
    pub sick_leave_unmasked: bool,
}

/// The database file in use and its open store, or why it could not be opened.
pub(crate) struct Open {
    pub(crate) path: PathBuf,
    pub(crate) store: std::result::Result<Store, IpcError>,
}

pub struct Backend {
    /// Behind one mutex so that a restore can close the file, replace it and open it again,
    /// and the broken-database screen can open another file or a new one.
    pub(crate) open: Mutex<Open>,
    pub(crate) engines: Arc<EngineCache>,
    /// The målkart's answers kept for the cached engine, and answered ahead (`answers.rs`).
    pub(crate) answers: Arc<Answers>,
    /// The thread building the wide engine in the background (`widen_in_background`).
    widening: Mutex<Option<std::thread::JoinHandle<()>>>,
    /// «Vis umaskerte tall»: in memory only, so off again when the app restarts.
    unmasked: AtomicBool,
    /// Where «Velg en annen fil» writes the choice for the next start; none when the
    /// database was given by `--db` or `MALKART_DB` (then that rules every start).
    choice_file: Option<PathBuf>,
    /// The local file the app opens without a server (`--db`, `MALKART_DB` or the data
    /// folder's): «Bruk lokal fil» goes back to it. `None` when not even that is known.
    pub(crate) home: Option<PathBuf>,
    /// The sync with a server when the open database is a replica (`sync.rs`).
    pub(crate) syncing: Syncing,
}

type IpcResult<T> = std::result::Result<T, IpcError>;

/// A mutex whose holder panicked still guards consistent data here: SQLite rolled back the
/// transaction.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The last full calendar month by the computer's clock (or `MALKART_TODAY`).
pub fn last_full_month() -> Month {
    clock::last_full_month(clock::today())
}

fn current_month() -> Month {
    clock::current_month(clock::today())
}

impl Backend {
    fn with(db_path: PathBuf, store: std::result::Result<Store, IpcError>) -> Backend {
        Backend {
            open: Mutex::new(Open {
                path: db_path,
                store,
            }),
            engines: Arc::new(EngineCache::new()),
            answers: Arc::default(),
            widening: Mutex::new(None),
            unmasked: AtomicBool::new(false),
            choice_file: None,
            home: None,
            syncing: Syncing::default(),
        }
    }

    /// The local database to go back to from a server's replica (`use_local_database`).
    pub fn with_home(mut self, home: PathBuf) -> Backend {
        self.home = Some(home);
        self
    }

    /// A database opened with «Velg en annen fil» is written to `choice_file` and opened
    /// again at the next start (`dbpath::remembered_choice`).
    pub fn remembering_choice_in(mut self, choice_file: PathBuf) -> Backend {
        self.choice_file = Some(choice_file);
        self
    }

    /// Opens (creating and migrating when missing) the database at `db_path`. A failure is
    /// kept and reported by `info`, so that the window can say what is wrong.
    pub fn open(db_path: PathBuf) -> Backend {
        let store = Self::open_store(&db_path).map_err(IpcError::from);
        Self::with(db_path, store)
    }

    fn open_store(path: &Path) -> Result<Store> {
        Self::open_store_dir(path)?;
        Store::open(path)
    }

    /// Creates the folder of the database file when it is missing.
    fn open_store_dir(path: &Path) -> Result<()> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::io_write(dir, e))?;
        }
        Ok(())
    }

    /// When not even the database's path could be found: every command reports `error`.
    pub fn unopened(error: IpcError) -> Backend {
        Self::with(PathBuf::new(), Err(error))
    }

    /// Over an already open store (tests).
    pub fn over_store(db_path: PathBuf, store: Store) -> Backend {
        Self::with(db_path, Ok(store))
    }

    /// A backend over an in-memory database (named `minne`) holding the demo municipality
    /// of `size` through `through`: for tests, whose periods must not move with the clock.
    pub fn demo_in_memory(size: DemoSize, through: Month) -> Result<Backend> {
        let mut store = Store::open_in_memory()?;
        store.load_demo(&malkart::demo::generate(size, through))?;
        Ok(Self::over_store("minne".into(), store))
    }

    /// How many engines were built so far: each one is a cache miss.
    pub fn engine_builds(&self) -> u64 {
        self.engines.builds()
    }

    /// Runs `job` on the open store; the open error when there is none. A SQLite error
    /// names the database file.
    pub(crate) fn with_store<T>(&self, job: impl FnOnce(&mut Store) -> Result<T>) -> IpcResult<T> {
        let mut guard = lock(&self.open);
        let Open { path, store } = &mut *guard;
        match store.as_mut() {
            Ok(store) => Ok(job(store).map_err(|e| e.at(path))?),
            Err(e) => Err(e.clone()),
        }
    }

    /// `with_store` for a write (grids, imports, targets, comments, locks): once it is
    /// stored, the sync worker is kicked to push it at once when the database is a replica.
    pub(crate) fn write_store<T>(&self, job: impl FnOnce(&mut Store) -> Result<T>) -> IpcResult<T> {
        let value = self.with_store(job)?;
        self.wrote();
        Ok(value)
    }

    pub fn info(&self) -> IpcResult<AppInfo> {
        let guard = lock(&self.open);
        let base = AppInfo {
            db_path: guard.path.display().to_string(),
            open_error: None,
            empty: false,
            user: String::new(),
            last_full_month: last_full_month().id(),
            last_month_with_data: None,
            sick_leave_unmasked: self.sick_leave_unmasked(),
        };
        match guard.store.as_ref() {
            Err(e) => Ok(AppInfo {
                open_error: Some(e.clone()),
                ..base
            }),
            Ok(store) => Ok(AppInfo {
                empty: store.is_empty()?,
                user: store.user().to_string(),
                last_month_with_data: store
                    .last_month_with_figures(last_full_month())?
                    .map(Month::id),
                ..base
            }),
        }
    }

    /// Fills the empty database with the small demo municipality, through the last full month.
    pub fn load_demo(&self) -> IpcResult<()> {
        self.write_store(|store| {
            admin::load_demo(store, DemoSize::Small, last_full_month()).map(|_| ())
        })
    }

    /// Builds the engine for the målkart the window opens on — the last month with
    /// figures, never after the last full month (`openingMonth` in ui/src/lib/period.ts) —
    /// so that the window's first målkart finds it built. `run` calls it on a thread of its
    /// own as the app starts: the WebView takes longer to start than the engine to build.
    /// Nothing is built for an empty database; an error is the window's to report when it
    /// asks.
    pub fn build_opening_engine(&self) -> IpcResult<()> {
        let opening = self.with_store(|store| {
            if store.is_empty()? {
                return Ok(None);
            }
            let last_full = last_full_month();
            Ok(Some(
                store
                    .last_month_with_figures(last_full)?
                    .unwrap_or(last_full),
            ))
        })?;
        if let Some(month) = opening {
            self.engine_for(&Period::month(month))?;
        }
        Ok(())
    }

    /// The engine over a window that covers `period` and every indicator's history for it.
    /// The store stays locked while it is built, so that no write slips in.
    pub(crate) fn engine_for(&self, period: &Period) -> IpcResult<Arc<CachedEngine>> {
        let now = current_month();
        let engine = self.with_store(|store| self.engines.engine_for(store, period, now))?;
        self.widen_in_background(period, now);
        Ok(engine)
    }

    /// Builds the wide engine for `period` (`EngineCache::widening`: every kind of period
    /// and a year back) on a thread of its own, at the lowest priority so that it takes
    /// only time the window and the answers leave, on a read connection of its own; the
    /// first change of kind of period then finds it built. One at a time. It does nothing
    /// when the cached engine holds that already; a failure there is dropped (the next
    /// question builds what it needs itself and reports any error).
    fn widen_in_background(&self, period: &Period, now: Month) {
        let Some(widening) = self.engines.widening(period, now) else {
            return;
        };
        let mut running = lock(&self.widening);
        if running.as_ref().is_some_and(|h| !h.is_finished()) {
            return;
        }
        let path = lock(&self.open).path.clone();
        let engines = Arc::clone(&self.engines);
        let spawned = std::thread::Builder::new()
            .name("malkart-widen".into())
            .spawn(move || {
                // Not allowed (another platform, a sandbox): then it just takes its share.
                let _ = thread_priority::set_current_thread_priority(
                    thread_priority::ThreadPriority::Min,
                );
                if let Ok(Some(built)) = widening.build(&path) {
                    engines.install(&widening, built);
                }
            });
        // No thread to be had: the next change of kind builds in the foreground instead.
        *running = spawned.ok();
    }

    /// Waits for the wide engine being built in the background, if any (for tests).
    pub fn wait_widened(&self) {
        let running = lock(&self.widening).take();
        if let Some(handle) = running {
            let _ = handle.join();
        }
    }

    /// Every unit in tree order with its depth, read from the store without an engine: the
    /// tree is drawn at once while the first målkart's engine is built.
    pub fn units(&self) -> IpcResult<Vec<UnitNode>> {
        self.with_store(|store| Ok(malkart::engine::unit_nodes(store.units()?)?))
    }

    /// Turns «Vis umaskerte tall» on or off, audited; `false` when it was so already.
    pub fn set_sick_leave_unmasked(&self, on: bool) -> IpcResult<bool> {
        if self.sick_leave_unmasked() == on {
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

    /// How sick-leave figures are shown now. Asked before the engine, so the store is
    /// locked only briefly.
    pub(crate) fn privacy(&self) -> IpcResult<Privacy> {
        let unmasked = self.sick_leave_unmasked();
        self.with_store(|store| admin::privacy(store, unmasked))
    }

    /// `unit`'s målkart for `period` (kept per engine, `answers.rs`); then what the person
    /// opens next is answered ahead in the background.
    pub fn scorecard(&self, unit: &str, period: &str) -> IpcResult<Scorecard> {
        let card = self.scorecard_answer(unit, period)?;
        Ok(card.0)
    }

    /// `scorecard`, and the thread answering ahead (for tests to wait on).
    pub(crate) fn scorecard_answer(
        &self,
        unit: &str,
        period: &str,
    ) -> IpcResult<(Scorecard, Option<std::thread::JoinHandle<()>>)> {
        let (engine, asked) = self.asked(unit, period)?;
        let mut card = self.answers.scorecard(&engine, &asked)?;
        card.last_month_with_data = self.last_month_with_data(&engine, asked.last_full)?;
        let ahead = self.answers.answer_ahead(engine, &asked);
        Ok((card, ahead))
    }

    /// The sparkline of every indicator for `unit` and `period`, in the indicators' order.
    pub fn sparklines(&self, unit: &str, period: &str) -> IpcResult<Vec<Sparkline>> {
        let (engine, asked) = self.asked(unit, period)?;
        Ok(self.answers.sparklines(&engine, &asked)?)
    }

    /// The status grid of `unit`'s children × the perspectives for `period`.
    pub fn overview(&self, unit: &str, period: &str) -> IpcResult<Overview> {
        let (engine, asked) = self.asked(unit, period)?;
        Ok(self.answers.overview(&engine, &asked)?)
    }

    /// Everything `unit`'s målkart for `period` shows, asked by the page before the unit is
    /// opened (the pointer on a tree item, the periods beside the one shown, the first
    /// children): from the engine already built only, and without moving what is answered
    /// ahead (the person has not opened it); at the lowest priority unless `soon` (the
    /// pointer or focus on the unit, the period beside: `Answers::all_ahead`). `None` when
    /// the built engine does not hold the period.
    pub fn page_ahead(&self, unit: &str, period: &str, soon: bool) -> IpcResult<Option<Page>> {
        let Some((engine, asked)) = self.asked_of_built(unit, period)? else {
            return Ok(None);
        };
        let (mut scorecard, overview, sparklines) =
            self.answers.all_ahead(&engine, &asked, soon)?;
        scorecard.last_month_with_data = self.last_month_with_data(&engine, asked.last_full)?;
        Ok(Some(Page {
            scorecard,
            overview,
            sparklines,
            min_employees: self.min_employees()?,
        }))
    }

    /// The page showed `unit`'s målkart for `period` from what it asked ahead
    /// (`page_ahead`): what the person opens next from there is answered ahead, as after
    /// `scorecard`. Nothing when the built engine does not hold the period.
    pub fn opened(&self, unit: &str, period: &str) -> IpcResult<()> {
        self.opened_ahead(unit, period).map(drop)
    }

    /// `opened`, and the thread answering ahead (for tests to wait on).
    pub(crate) fn opened_ahead(
        &self,
        unit: &str,
        period: &str,
    ) -> IpcResult<Option<std::thread::JoinHandle<()>>> {
        Ok(self
            .asked_of_built(unit, period)?
            .and_then(|(engine, asked)| self.answers.answer_ahead(engine, &asked)))
    }

    /// `Store::last_month_with_figures` up to `last_full`, kept per engine.
    fn last_month_with_data(
        &self,
        engine: &CachedEngine,
        last_full: Month,
    ) -> IpcResult<Option<String>> {
        self.answers.last_month_with_data(engine, last_full, || {
            self.with_store(|store| Ok(store.last_month_with_figures(last_full)?.map(Month::id)))
        })
    }

    /// The engine and what a målkart question for `unit` and `period` is asked with (the
    /// masking now, the last full month by the clock).
    fn asked(&self, unit: &str, period: &str) -> IpcResult<(Arc<CachedEngine>, Asked)> {
        let period = service::period(period)?;
        let engine = self.engine_for(&period)?;
        Ok((engine, self.asked_at(unit, period)?))
    }

    /// `asked`, but only with the engine already built (`None` when it does not hold
    /// `period`).
    fn asked_of_built(
        &self,
        unit: &str,
        period: &str,
    ) -> IpcResult<Option<(Arc<CachedEngine>, Asked)>> {
        let period = service::period(period)?;
        let Some(engine) = self.with_store(|store| self.engines.built_for(store, &period))? else {
            return Ok(None);
        };
        Ok(Some((engine, self.asked_at(unit, period)?)))
    }

    fn asked_at(&self, unit: &str, period: Period) -> IpcResult<Asked> {
        Ok(Asked {
            unit: unit.to_string(),
            period,
            privacy: self.privacy()?,
            last_full: last_full_month(),
        })
    }

    /// The status of every unit's målkart for `period`: the marks in the tree.
    pub fn unit_statuses(&self, period: &str) -> IpcResult<Vec<UnitStatus>> {
        let period = service::period(period)?;
        let privacy = self.privacy()?;
        let engine = self.engine_for(&period)?;
        Ok(overview::unit_statuses(
            &engine,
            &period,
            privacy,
            last_full_month(),
        )?)
    }

    pub fn indicator_detail(
        &self,
        indicator: &str,
        unit: &str,
        period: &str,
    ) -> IpcResult<IndicatorDetail> {
        let period = service::period(period)?;
        let privacy = self.privacy()?;
        let engine = self.engine_for(&period)?;
        self.with_store(|store| {
            detail::indicator_detail(
                &engine,
                store,
                indicator,
                unit,
                &period,
                privacy,
                last_full_month(),
            )
        })
    }

    pub fn comments(&self, indicator: &str, unit: &str, period: &str) -> IpcResult<Vec<Comment>> {
        let period = service::period(period)?;
        self.with_store(|store| admin::comments(store, indicator, unit, &period))
    }

    pub fn add_comment(
        &self,
        indicator: &str,
        unit: &str,
        period: &str,
        text: &str,
    ) -> IpcResult<Comment> {
        let period = service::period(period)?;
        // Refused before the database is touched (an unopened one too).
        admin::comment_text(text)?;
        self.write_store(|store| admin::add_comment(store, indicator, unit, &period, text))
    }

    pub fn update_comment(&self, id: i64, text: &str) -> IpcResult<Comment> {
        admin::comment_text(text)?;
        self.write_store(|store| admin::update_comment(store, id, text))
    }

    pub fn delete_comment(&self, id: i64) -> IpcResult<()> {
        self.write_store(|store| store.delete_comment(id))
    }

    /// Imports a file of `kind`; with `dry_run` nothing is stored. A refused file is an
    /// outcome with its wrong lines, not an error: the UI lists them.
    pub fn import(&self, kind: ImportKind, path: &str, dry_run: bool) -> IpcResult<ImportOutcome> {
        let mut guard = lock(&self.open);
        let store = guard.store.as_mut().map_err(|e| e.clone())?;
        // Not `with_store`: an import's errors name the file, not the database.
        let outcome = imports::import_file(store, kind, Path::new(path), dry_run)?;
        drop(guard);
        if !dry_run {
            self.wrote();
        }
        Ok(outcome)
    }

    /// Sets one target (the indicator's default when `unit` is `None`), audited.
    pub fn set_target(&self, input: &TargetInput) -> IpcResult<Target> {
        self.write_store(|store| admin::set_target(store, input))
    }

    pub fn locked_months(&self) -> IpcResult<Vec<LockedMonth>> {
        self.with_store(|store| store.locked_months())
    }

    /// `false` when the month was locked already.
    pub fn lock_month(&self, month: &str) -> IpcResult<bool> {
        let month = service::month(month)?;
        self.write_store(|store| store.lock_month(month))
    }

    /// `false` when the month was not locked. The reason is required and audited.
    pub fn unlock_month(&self, month: &str, reason: &str) -> IpcResult<bool> {
        let month = service::month(month)?;
        self.write_store(|store| admin::unlock_month(store, month, reason))
    }

    /// The audit log in Norwegian words, times in this machine's local time.
    pub fn audit(&self, filter: AuditFilter) -> IpcResult<Vec<AuditRow>> {
        self.with_store(|store| service::audit::rows(store, &filter, &chrono::Local))
    }

    /// A consistent, verified copy of the open database at `dest`. An existing `dest` is
    /// refused (`kind: "exists"`) unless `overwrite`; then the old file is kept beside it
    /// and its path returned.
    pub fn backup(&self, dest: &str, overwrite: bool) -> IpcResult<Option<String>> {
        self.with_store(|store| {
            admin::backup(store, Path::new(dest), overwrite)
                .map(|kept| kept.map(|p| p.display().to_string()))
        })
    }

    /// Replaces the database with the verified copy at `source`; the old file is kept beside
    /// it and its path returned. The open database is closed first and opened again after,
    /// whether or not the copy was accepted.
    pub fn restore(&self, source: &str) -> IpcResult<Option<String>> {
        // Nothing reads the file while it is replaced.
        self.wait_widened();
        let mut guard = lock(&self.open);
        if guard.path.as_os_str().is_empty() {
            return Err(no_path());
        }
        guard.store = Err(busy("gjenoppretting pågår"));
        let result = admin::restore(&guard.path, Path::new(source));
        guard.store = Self::open_store(&guard.path).map_err(IpcError::from);
        self.engines.clear();
        self.syncing.forget();
        Ok(result?.map(|p| p.display().to_string()))
    }

    /// «Velg en annen fil»: opens the existing Målkart database at `path` instead, and (when
    /// the app was not started with `--db` or `MALKART_DB`) opens it again at the next
    /// start. A file that cannot be opened is refused and the database in use stays as it
    /// was.
    pub fn open_database(&self, path: &str) -> IpcResult<AppInfo> {
        self.open_path(PathBuf::from(path.trim()))
    }

    /// Opens the existing database at `path` instead of the one in use, remembered for the
    /// next start (when the app was not started with `--db` or `MALKART_DB`).
    pub(crate) fn open_path(&self, path: PathBuf) -> IpcResult<AppInfo> {
        let store = Store::open_existing(&path).map_err(|e| e.at(&path))?;
        self.switch_to(path, store)
    }

    /// Opens the database at `path`, made when missing (the local file), instead of the one
    /// in use, remembered for the next start like `open_path`.
    pub(crate) fn open_new_or_existing(&self, path: PathBuf) -> IpcResult<AppInfo> {
        let store = Self::open_store(&path).map_err(|e| e.at(&path))?;
        self.switch_to(path, store)
    }

    fn switch_to(&self, path: PathBuf, store: Store) -> IpcResult<AppInfo> {
        if let Some(file) = &self.choice_file {
            // Not remembered is not lost: the file is open now and the person can choose it
            // again; the next start opens the usual database.
            if let Err(e) = crate::dbpath::remember_choice(file, &path) {
                eprintln!("Målkart kunne ikke huske valget av database: {e}");
            }
        }
        {
            let mut guard = lock(&self.open);
            *guard = Open {
                path,
                store: Ok(store),
            };
        }
        self.engines.clear();
        self.syncing.forget();
        self.unmasked.store(false, Ordering::Relaxed);
        self.info()
    }

    /// «Lag ny database»: only when the database cannot be opened — the broken file is kept
    /// beside it (`….skadet-<tid>`, the path returned) and a new, empty one is made in its
    /// place. A database that is open is refused and left as it is.
    pub fn new_database(&self) -> IpcResult<Option<String>> {
        self.wait_widened();
        let mut guard = lock(&self.open);
        if guard.path.as_os_str().is_empty() {
            return Err(no_path());
        }
        if guard.store.is_ok() {
            return Err(Error::Conflict(format!(
                "databasen {} er åpen og i orden; Målkart lager ikke en ny database i stedet \
                 for den",
                guard.path.display()
            ))
            .into());
        }
        let previous = std::mem::replace(&mut guard.store, Err(busy("en ny database lages")));
        let result = Self::open_store_dir(&guard.path)
            .and_then(|()| admin::new_database_instead(&guard.path));
        guard.store = match &result {
            Ok(_) => Self::open_store(&guard.path).map_err(IpcError::from),
            Err(_) => previous,
        };
        self.engines.clear();
        Ok(result?.map(|p| p.display().to_string()))
    }
}

/// The database is being replaced: every other command waits for it, then gets this.
fn busy(what: &str) -> IpcError {
    IpcError {
        kind: "restoring".into(),
        message: what.into(),
        field: None,
    }
}

fn no_path() -> IpcError {
    Error::Invalid(
        "Målkart vet ikke hvor databasen skal ligge; velg en annen fil, eller start Målkart \
         med --db FIL"
            .to_string(),
    )
    .into()
}
