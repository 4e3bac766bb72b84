//! Storage: the SQLite database (WAL, foreign keys, `synchronous=FULL`, busy timeout,
//! `IMMEDIATE` write transactions, cached statements), its embedded forward-only
//! migrations, and every read and write the app and the CLI make. All writes go through
//! here, each in one transaction, each change written to the audit log.
//!
//! - `db` opening, pragmas, the write transaction (which bumps the revision);
//!   `migrate` the embedded migrations and the newer-schema refusal;
//! - `apply` change sets with all their checks; `audit` the log (one batch per
//!   transaction, one entry per row); `locks`, `comments`; `actions` tiltak and their
//!   status comments;
//! - `dataset` what the engine needs for a period; `rows` reading the model back;
//! - `backup` backup, restore and the integrity check; `tempfiles` the temporary files
//!   written before a rename, and removing those a killed process left.

mod actions;
mod apply;
mod audit;
mod backup;
mod batch;
mod comments;
mod dataset;
mod db;
mod economy;
mod indicators;
mod locks;
mod measurements;
mod migrate;
mod pull_answer;
mod replica;
mod rows;
mod settings;
mod sickleave;
mod surveys;
mod targets;
mod tempfiles;
mod units;

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::engine::plan::DatasetPlan;
use crate::engine::Dataset;
use crate::error::{Error, Result};
use crate::model::{
    Action, ActionComment, AuditEntry, Comment, EconomyChange, EconomyMonth, Indicator,
    LockedMonth, Perspective, SickLeave, SickLeaveChange, Target, Unit,
};
use crate::period::{Month, Period};

/// Where the database lives: `--db FILE`, else `MALKART_DB`, else the OS data directory
/// (`$XDG_DATA_HOME/no.malkart.app/malkart.db` on Linux).
pub fn resolve_path(explicit: Option<&Path>) -> Result<PathBuf> {
    db::resolve_path(explicit)
}

pub use db::{app_data_dir, ENV_DB};

pub use dataset::window as dataset_window;

/// A new stable id for a row without a natural key: a UUID v7 (time-ordered, random
/// within the millisecond), as text (docs/decisions.md, "Stable ids").
pub fn new_uid() -> String {
    uuid::Uuid::now_v7().to_string()
}
pub use migrate::SUPPORTED_VERSION;
pub use pull_answer::{
    read_pull, Changes, Deletion, Pull, PullHead, PullPart, PulledRow, CHUNK_ROWS,
};
pub use replica::{
    cell_words, mine_refused, replicated_cells, Choice, OutboxCell, OutboxConflict, OutboxCounts,
    OutboxOp, PullSummary, PushAnswer, PushTally, ReplicaInfo, ResolvedTheirs, Theirs,
    CONFLICT_ENTITY,
};
pub use surveys::LocalOnly;

/// An open database.
pub struct Store {
    conn: Connection,
    user: String,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.conn.path().unwrap_or(":memory:"))
            .field("user", &self.user)
            .finish()
    }
}

pub use crate::changes::{ApplySummary, Catalog, ChangeSet};

/// Import (and any other producer of change sets) reaches the database through this trait,
/// so it does not depend on storage.
impl crate::changes::ChangeStore for Store {
    fn catalog(&self) -> Result<Catalog> {
        Store::catalog(self)
    }
    fn apply(&mut self, changes: &ChangeSet, source: &str, dry_run: bool) -> Result<ApplySummary> {
        Store::apply(self, changes, source, dry_run)
    }
    fn apply_lines(
        &mut self,
        changes: &ChangeSet,
        lines: &[u64],
        source: &str,
        dry_run: bool,
    ) -> Result<ApplySummary> {
        Store::apply_lines(self, changes, lines, source, dry_run)
    }
}

/// The result of `check`: SQLite's integrity check and the schema version.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CheckReport {
    pub ok: bool,
    /// `ok`, or what `PRAGMA integrity_check` and `foreign_key_check` reported.
    pub integrity: Vec<String>,
    pub schema_version: i64,
    pub supported_version: i64,
}

/// A filter on the audit log; every field optional (the UI sends it as typed).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(default)]
pub struct AuditFilter {
    pub unit: Option<String>,
    pub indicator: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: Option<u32>,
}

impl Store {
    /// Opens (creating it and its folders, and migrating, when missing) the database at
    /// `path`: for `malkart init` and the app's first start. A database of a newer schema is
    /// refused and left unchanged; a file this process may not write is opened read-only.
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_with(path, true)
    }

    /// Opens the existing database at `path` (migrating it when older); refuses, creating
    /// nothing, when there is none. For every command but `init`.
    pub fn open_existing(path: &Path) -> Result<Store> {
        Self::open_with(path, false)
    }

    fn open_with(path: &Path, create: bool) -> Result<Store> {
        if path.is_dir() {
            return Err(Error::Invalid(format!(
                "{} er en mappe, ikke en databasefil; oppgi filen, for eksempel {}",
                path.display(),
                path.join(db::DB_FILE).display()
            )));
        }
        let exists = path.is_file();
        if !exists && !create {
            return Err(Error::NoDatabase {
                path: path.to_path_buf(),
            });
        }
        if exists {
            tempfiles::remove_stale(&tempfiles::folder_of(path), Some(path));
            // A newer file must stay byte for byte as it was: look at its version through a
            // read-only connection (which never checkpoints a WAL into the file, and leaves
            // no -wal or -shm behind) before opening it for writing.
            let probe = db::open_read_only(path)?;
            migrate::refuse_newer(&probe, path).map_err(|e| not_a_database(e, path))?;
            if !db::writable(path) {
                return Self::read_only(probe, path);
            }
            drop(probe);
        }
        let mut conn = db::connect(path)?;
        migrate::refuse_newer(&conn, path).map_err(|e| e.at(path))?;
        // Switching a new file to WAL takes an exclusive lock that SQLite may refuse at once
        // (instead of waiting) when another process is switching it at the same moment; the
        // steps are idempotent, so they are tried again until the busy timeout has passed.
        let deadline = std::time::Instant::now() + db::busy_timeout();
        loop {
            match db::configure(&conn).and_then(|()| migrate::to_latest(&mut conn, path)) {
                Err(e) if e.is_busy() && std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                other => break other.map_err(|e| e.at(path))?,
            }
        }
        Ok(Store {
            conn,
            user: db::default_user(),
        })
    }

    /// A database this process may not write: read through the probe's connection, so
    /// reading works and every write is refused as read-only. Nothing is migrated (that
    /// would write), so an older schema is refused.
    fn read_only(conn: Connection, path: &Path) -> Result<Store> {
        if migrate::schema_version(&conn)? < SUPPORTED_VERSION {
            return Err(Error::ReadOnly {
                path: path.to_path_buf(),
            });
        }
        db::configure_read_only(&conn)?;
        Ok(Store {
            conn,
            user: db::default_user(),
        })
    }
    /// A fresh, migrated in-memory database, for tests.
    pub fn open_in_memory() -> Result<Store> {
        let mut conn = Connection::open_in_memory()?;
        db::configure(&conn)?;
        migrate::to_latest(&mut conn, Path::new(":memory:"))?;
        Ok(Store {
            conn,
            user: db::default_user(),
        })
    }
    /// The name written into the audit log and comments (default: the OS user name).
    pub fn set_user(&mut self, user: &str) {
        let user = user.trim();
        self.user = if user.is_empty() {
            "ukjent".to_string()
        } else {
            user.to_string()
        };
    }
    pub fn user(&self) -> &str {
        &self.user
    }
    /// The latest month, up to `through` (the last full month), in which a registered figure
    /// ends: a measurement's span ending in it, a sick-leave row (or, in a leser's replica, a
    /// row of the masked sick-leave summary), or an economy row with an
    /// account (`actual`; budgets and forecasts are entered ahead and do not count). A span
    /// still running after `through` (a yearly figure typed in early) does not count.
    /// `None` when nothing was registered by then. Each table is read through its key, so
    /// this stays quick on a large database (one seek per indicator).
    pub fn last_month_with_figures(&self, through: Month) -> Result<Option<Month>> {
        let t = through.index();
        let mut best: Option<i32> = None;
        let mut keep = |m: Option<i32>| {
            if let Some(m) = m.filter(|&m| m <= t) {
                best = Some(best.map_or(m, |b| b.max(m)));
            }
        };
        // Per indicator: the latest span starting by `through`, then back one span while
        // it has not ended by then (spans of one indicator are aligned and do not overlap).
        let codes: Vec<String> = self
            .conn
            .prepare_cached("SELECT code FROM indicators WHERE builtin = 0")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut latest = self.conn.prepare_cached(
            "SELECT span_first, span_last FROM measurements
             WHERE indicator = ?1 AND span_first <= ?2
             ORDER BY span_first DESC LIMIT 1",
        )?;
        for code in &codes {
            let mut start = t;
            while let Some((first, last)) = latest
                .query_row(params![code, start], |r| {
                    Ok((r.get::<_, i32>(0)?, r.get::<_, i32>(1)?))
                })
                .optional()?
            {
                if last <= t {
                    keep(Some(last));
                    break;
                }
                start = first - 1;
            }
        }
        keep(
            self.conn
                .prepare_cached("SELECT max(month) FROM sick_leave WHERE month <= ?1")?
                .query_row([t], |r| r.get(0))?,
        );
        // A leser's replica holds the masked summary instead of raw sick-leave rows.
        keep(
            self.conn
                .prepare_cached("SELECT max(month) FROM sick_leave_summary WHERE month <= ?1")?
                .query_row([t], |r| r.get(0))?,
        );
        keep(
            self.conn
                .prepare_cached(
                    "SELECT month FROM economy WHERE month <= ?1 AND actual IS NOT NULL
                     ORDER BY month DESC LIMIT 1",
                )?
                .query_row([t], |r| r.get(0))
                .optional()?,
        );
        Ok(best.map(Month::from_index))
    }
    /// No units, indicators (but the built-in ones) or measurements yet.
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT NOT EXISTS (SELECT 1 FROM units)
                AND NOT EXISTS (SELECT 1 FROM indicators WHERE builtin = 0)
                AND NOT EXISTS (SELECT 1 FROM measurements)",
            )?
            .query_row([], |r| r.get(0))?)
    }
    pub fn units(&self) -> Result<Vec<Unit>> {
        rows::units(&self.conn)
    }
    pub fn indicators(&self) -> Result<Vec<Indicator>> {
        rows::indicators(&self.conn)
    }
    /// The display names of the four perspectives, in their fixed order.
    pub fn perspective_names(&self) -> Result<Vec<(Perspective, String)>> {
        rows::perspective_names(&self.conn)
    }
    /// Renames a perspective for display (the key stays), audited; `false` when the name was
    /// already that.
    pub fn set_perspective_name(&mut self, perspective: Perspective, name: &str) -> Result<bool> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::invalid_field(
                "navn",
                format!(
                    "perspektivet «{}» må ha et navn",
                    perspective.default_name()
                ),
            ));
        }
        self.write(|tx, log| {
            let old: String = tx
                .prepare_cached("SELECT name FROM perspectives WHERE key = ?1")?
                .query_row([perspective.key()], |r| r.get(0))?;
            if old == name {
                return Ok(false);
            }
            tx.prepare_cached("UPDATE perspectives SET name = ?2 WHERE key = ?1")?
                .execute([perspective.key(), name])?;
            let (old, new) = (audit::json(&old), audit::json(&name));
            log.write_one(
                tx,
                &audit::Change {
                    entity: "perspektiv",
                    key: perspective.key(),
                    old: Some(&old),
                    new: Some(&new),
                    ..audit::Change::default()
                },
            )?;
            Ok(true)
        })
    }
    pub fn catalog(&self) -> Result<Catalog> {
        Ok(Catalog {
            units: self.units()?,
            indicators: self.indicators()?,
            locked: rows::locked_set(&self.conn)?,
            actions: self.actions()?,
        })
    }
    /// Everything the engine needs to answer questions about `period`: all units,
    /// indicators, perspective names and targets, and the measurements of the months from
    /// January of the year before the earliest of `period`, its previous period and its
    /// last-year period, through December of `period`'s last year (`dataset_window`). A
    /// measurement whose span overlaps that window is included whole.
    pub fn dataset_for(&self, period: &Period) -> Result<Dataset> {
        dataset::load(&self.conn, period)
    }
    /// What the målkart of a root unit (one without a parent) for `period` reads, and no
    /// more: a part of `dataset_for`'s months (`DatasetPlan::status`). The målkart of a root
    /// is the same from either; use `dataset_for` for anything else (history, units below,
    /// series).
    /// For a door that reads once and exits (`malkart status`): SQLite then reads each page
    /// once, so a page cache of 2 MiB instead of 64 only saves memory (about 10 MiB of the
    /// peak on `large`: docs/benchmarks.md §14).
    pub fn read_once(&self) -> Result<()> {
        Ok(self.conn.pragma_update(None, "cache_size", -2_048)?)
    }
    /// Is `code` a root of the unit tree (no parent, or a parent that is not a unit)? An
    /// unknown code is not.
    pub fn unit_is_root(&self, code: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT parent IS NULL OR parent NOT IN (SELECT code FROM units)
                 FROM units WHERE code = ?1",
            )?
            .query_row([code], |r| r.get(0))
            .optional()?
            .unwrap_or(false))
    }
    pub fn dataset_for_root_status(&self, period: &Period) -> Result<Dataset> {
        dataset::load_for_root_status(&self.conn, period)
    }
    /// `dataset_planned` on a read-only connection of its own to the database at `path`,
    /// beside whatever the door's connection does (the app's wide engine is built so);
    /// `None` when the file is not in WAL mode, where a second connection would wait for
    /// the first.
    pub fn dataset_planned_beside(
        path: &Path,
        plan: impl FnOnce(&[Indicator]) -> DatasetPlan,
    ) -> Result<Option<(i64, Dataset)>> {
        match dataset::second_reader(&path.to_string_lossy()) {
            Some(conn) => Ok(Some(dataset::load_planned(&conn, plan)?)),
            None => Ok(None),
        }
    }
    /// The dataset `plan` asks for (given the indicators), with the revision it was read
    /// at: both from one read transaction.
    pub fn dataset_planned(
        &self,
        plan: impl FnOnce(&[Indicator]) -> DatasetPlan,
    ) -> Result<(i64, Dataset)> {
        dataset::load_planned(&self.conn, plan)
    }
    /// Applies a change set in one IMMEDIATE transaction: creates or replaces the rows it
    /// names, leaves all others alone, writes an audit entry per created or changed row
    /// (none for an identical value), refuses figures in locked months and unit cycles.
    /// With `dry_run` it counts and rolls back.
    pub fn apply(
        &mut self,
        changes: &ChangeSet,
        source: &str,
        dry_run: bool,
    ) -> Result<ApplySummary> {
        self.apply_lines(changes, &[], source, dry_run)
    }
    /// As `apply`, for a file: `lines[i]` is the line the change set's `i`-th row came
    /// from (empty: unknown). In a replica each outbox operation keeps its row's line, so a
    /// conflict from an import names it.
    pub fn apply_lines(
        &mut self,
        changes: &ChangeSet,
        lines: &[u64],
        source: &str,
        dry_run: bool,
    ) -> Result<ApplySummary> {
        let tx = db::begin_write(&mut self.conn)?;
        replica::note_lines(&tx, changes, lines)?;
        let log = audit::Writer::new(&self.user, source);
        let summary = apply::change_set(&tx, changes, Some(&log))?;
        db::finish_write(tx, dry_run)?;
        Ok(summary)
    }
    pub fn locked_months(&self) -> Result<Vec<LockedMonth>> {
        rows::locked_months(&self.conn)
    }
    /// Locks a month; `false` when it was locked already.
    pub fn lock_month(&mut self, month: Month) -> Result<bool> {
        self.write(|tx, log| locks::lock(tx, month, log))
    }
    /// Unlocks a month; the reason is required and audited. `false` when it was not locked.
    pub fn unlock_month(&mut self, month: Month, reason: &str) -> Result<bool> {
        locks::check_reason(month, reason)?;
        self.write(|tx, log| locks::unlock(tx, month, reason, log))
    }
    /// The comments on (indicator, unit, period), oldest first.
    pub fn comments(&self, indicator: &str, unit: &str, period: &Period) -> Result<Vec<Comment>> {
        comments::list(&self.conn, indicator, unit, period)
    }
    pub fn add_comment(
        &mut self,
        indicator: &str,
        unit: &str,
        period: &Period,
        text: &str,
    ) -> Result<Comment> {
        self.write(|tx, log| comments::add(tx, indicator, unit, period, text, log))
    }
    pub fn update_comment(&mut self, id: i64, text: &str) -> Result<Comment> {
        self.write(|tx, log| comments::update(tx, id, text, log))
    }
    pub fn delete_comment(&mut self, id: i64) -> Result<()> {
        self.write(|tx, log| comments::delete(tx, id, log))
    }
    /// Every tiltak, by code.
    pub fn actions(&self) -> Result<Vec<Action>> {
        actions::load(&self.conn)
    }
    /// One tiltak; `UnknownAction` when there is none with `code`.
    pub fn action(&self, code: &str) -> Result<Action> {
        actions::get(&self.conn, code)?.ok_or_else(|| Error::UnknownAction(code.to_string()))
    }
    /// The goals of the indicator catalogue, as spelled there (what a tiltak may serve).
    pub fn goals(&self) -> Result<std::collections::HashSet<String>> {
        actions::goals(&self.conn)
    }
    /// The status comments of one tiltak, in period order.
    pub fn action_comments(&self, code: &str) -> Result<Vec<ActionComment>> {
        actions::comments(&self.conn, code)
    }
    /// Every status comment of every tiltak.
    pub fn all_action_comments(&self) -> Result<Vec<ActionComment>> {
        actions::all_comments(&self.conn)
    }
    /// A status comment on a tiltak for a period; refused when the period's last month is
    /// locked.
    pub fn add_action_comment(
        &mut self,
        code: &str,
        period: &Period,
        text: &str,
    ) -> Result<ActionComment> {
        self.write(|tx, log| actions::add_comment(tx, code, period, text, log))
    }
    pub fn update_action_comment(&mut self, id: i64, text: &str) -> Result<ActionComment> {
        self.write(|tx, log| actions::update_comment(tx, id, text, log))
    }
    pub fn delete_action_comment(&mut self, id: i64) -> Result<()> {
        self.write(|tx, log| actions::delete_comment(tx, id, log))
    }
    /// Sets one target (created or replaced), validated like `apply` and audited.
    pub fn set_target(&mut self, target: &Target) -> Result<()> {
        self.write(|tx, log| {
            apply::change_set(tx, &ChangeSet::Targets(vec![target.clone()]), Some(log)).map(|_| ())
        })
    }
    /// Removes one target (`unit` `None`: the indicator's default), audited; `false` when
    /// there was none.
    pub fn remove_target(
        &mut self,
        indicator: &str,
        unit: Option<&str>,
        year: i32,
    ) -> Result<bool> {
        self.write(|tx, log| targets::remove(tx, indicator, unit, year, log))
    }
    /// The targets of one indicator, by year, the default (no unit) first.
    pub fn targets(&self, indicator: &str) -> Result<Vec<Target>> {
        targets::of(&self.conn, indicator)
    }
    /// The audit log, newest first.
    pub fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        audit::query(&self.conn, filter)
    }
    /// A consistent, verified copy of the open database at `dest` (SQLite's online backup
    /// API into a temporary file beside it, checked, then renamed). An existing `dest` is
    /// refused unless `overwrite`; then it is kept beside the copy and its new path returned.
    /// A damaged database is refused and no file is left.
    pub fn backup_to(&self, dest: &Path, overwrite: bool) -> Result<Option<PathBuf>> {
        backup::backup_to(&self.conn, dest, overwrite)
    }
    /// Sets how long a write waits for another process's write (default 5 s).
    pub fn set_busy_timeout(&self, timeout: std::time::Duration) -> Result<()> {
        Ok(self.conn.busy_timeout(timeout)?)
    }
    pub fn check(&self) -> Result<CheckReport> {
        backup::check(&self.conn)
    }
    /// Fills an *empty* database with the demo municipality in one transaction. Writes one
    /// audit entry per kind of row (not one per row: the `large` demo has millions).
    ///
    /// Written as a bulk write (`bulk_write`): the foreign keys are checked once, whole, at the
    /// end rather than per row, with a page cache that holds the whole `large` demo.
    pub fn load_demo(&mut self, data: &crate::demo::DemoData) -> Result<()> {
        self.load_demo_in_parts(data, crate::demo::DemoData::default)
            .map(drop)
    }

    /// As `load_demo`, in two parts written in the one transaction: `first`, which names
    /// every unit and indicator, then what `rest` gives, called once `first` is written so
    /// that the caller can make the rest meanwhile on another thread. Returns the rest.
    ///
    /// A database that is not a replica records no row changes, so the replica's triggers
    /// are set aside while the rows go in (each is a lookup per row that finds nothing
    /// to do: a third of the time of the `large` demo's measurements) and made again before
    /// the transaction ends.
    pub fn load_demo_in_parts(
        &mut self,
        first: &crate::demo::DemoData,
        rest: impl FnOnce() -> crate::demo::DemoData,
    ) -> Result<crate::demo::DemoData> {
        let user = self.user.clone();
        self.bulk_write(Some(Self::demo_references), |tx| {
            let empty: bool = tx.query_row(
                "SELECT NOT EXISTS (SELECT 1 FROM units)
                    AND NOT EXISTS (SELECT 1 FROM indicators WHERE builtin = 0)
                    AND NOT EXISTS (SELECT 1 FROM measurements)",
                [],
                |r| r.get(0),
            )?;
            if !empty {
                return Err(Error::NotEmpty);
            }
            let triggers = match replica::info(tx)? {
                None => replica::set_aside_triggers(tx)?,
                Some(_) => Vec::new(),
            };
            let mut counts = Self::write_demo(tx, first)?;
            let rest = rest();
            for (count, more) in counts.iter_mut().zip(Self::write_demo(tx, &rest)?) {
                count.1 += more.1;
            }
            for sql in &triggers {
                tx.execute_batch(sql)?;
            }
            let log = audit::Writer::new(&user, "demo");
            for (name, count) in counts {
                let key = format!("{name}: {count} rader");
                log.write_one(
                    tx,
                    &audit::Change {
                        entity: "demo",
                        key: &key,
                        ..audit::Change::default()
                    },
                )?;
            }
            Ok(rest)
        })
    }

    /// The demo's rows name only the units and indicators it made: checked once, whole,
    /// except the measurements, whose unit and indicator `measurements::apply` looks up for
    /// every row (an unknown one is refused) — checking their 1,2 million rows again took
    /// 0,3 s of `init --demo --size large`.
    fn demo_references(conn: &Connection) -> Result<()> {
        match replica::first_broken_reference(conn, &["measurements"])? {
            None => Ok(()),
            Some((table, parent)) => Err(Error::Invalid(format!(
                "demoen har en rad i «{table}» som viser til noe i «{parent}» som ikke finnes; \
                 ingenting er lagret"
            ))),
        }
    }

    /// Writes the rows of `data`; how many of each kind were new, in the order of the
    /// demo's audit entries.
    fn write_demo(
        tx: &Connection,
        data: &crate::demo::DemoData,
    ) -> Result<[(&'static str, u64); 9]> {
        let mut counts = [
            ("enheter", 0),
            ("indikatorer", 0),
            ("mål", 0),
            ("målinger", 0),
            ("kommentarer", 0),
            ("sykefravær", 0),
            ("økonomi", 0),
            ("undersøkelsesresultater", 0),
            ("referanseverdier", 0),
        ];
        let kinds = [
            ChangeSet::Units(data.units.clone()),
            ChangeSet::Indicators(data.indicators.clone()),
            ChangeSet::Targets(data.targets.clone()),
        ];
        for (i, changes) in kinds.iter().enumerate() {
            counts[i].1 = apply::change_set(tx, changes, None)?.created;
        }
        counts[3].1 = measurements::apply(tx, &data.measurements, None)?.created;
        for comment in &data.comments {
            comments::insert(tx, comment)?;
        }
        counts[4].1 = data.comments.len() as u64;
        let sick_leave: Vec<SickLeaveChange> = data
            .sick_leave
            .iter()
            .cloned()
            .map(SickLeaveChange::Set)
            .collect();
        counts[5].1 = sickleave::apply(tx, &sick_leave, None)?.created;
        let economy: Vec<EconomyChange> = data
            .economy
            .iter()
            .map(|e| {
                let set = |v: Option<i64>| {
                    v.map_or(
                        crate::model::FieldChange::Keep,
                        crate::model::FieldChange::Set,
                    )
                };
                EconomyChange {
                    unit: e.unit.clone(),
                    month: e.month,
                    budget: set(e.budget),
                    actual: set(e.actual),
                    forecast: set(e.forecast),
                }
            })
            .collect();
        counts[6].1 = economy::apply(tx, &economy, None)?.created;
        counts[7].1 = surveys::apply_results(tx, &data.survey_results, None)?.created;
        counts[8].1 = surveys::apply_references(tx, &data.references, None)?.created;
        Ok(counts)
    }
    /// The demo's tiltak and their status comments, in one transaction, with one audit entry
    /// (as `load_demo`'s other rows).
    pub fn load_demo_actions(
        &mut self,
        actions: &[Action],
        comments: &[ActionComment],
    ) -> Result<()> {
        let tx = db::begin_write(&mut self.conn)?;
        let log = audit::Writer::new(&self.user, "demo");
        let summary = actions::apply(&tx, actions, None)?;
        for c in comments {
            actions::insert_comment(&tx, c)?;
        }
        let key = format!(
            "tiltak: {} rader, {} statuskommentarer",
            summary.created,
            comments.len()
        );
        log.write_one(
            &tx,
            &audit::Change {
                entity: "demo",
                key: &key,
                ..audit::Change::default()
            },
        )?;
        db::finish_write(tx, false)
    }
    /// The sick-leave rows of the months `first..=last`, by (month, unit).
    pub fn sick_leave(&self, first: Month, last: Month) -> Result<Vec<SickLeave>> {
        sickleave::load(&self.conn, first, last)
    }
    /// The economy rows of the months `first..=last`, by (month, unit).
    pub fn economy(&self, first: Month, last: Month) -> Result<Vec<EconomyMonth>> {
        economy::load(&self.conn, first, last)
    }
    /// The sick-leave masking minimum (sick-leave.md; default 5, 0 turns masking off).
    pub fn min_employees(&self) -> Result<u32> {
        settings::min_employees(&self.conn)
    }
    /// Sets the masking minimum, audited; `false` when it was that already.
    pub fn set_min_employees(&mut self, n: u32) -> Result<bool> {
        self.write(|tx, log| settings::set_min_employees(tx, n, log))
    }
    /// Every survey with its settings (surveys.md).
    pub fn surveys(&self) -> Result<Vec<crate::model::Survey>> {
        surveys::surveys(&self.conn)
    }
    /// What this database holds that sharing does not carry yet.
    pub fn local_only(&self) -> Result<surveys::LocalOnly> {
        surveys::local_only(&self.conn)
    }
    /// Sets a survey's minimum respondents, audited; `false` when it was that already.
    pub fn set_survey_minimum(&mut self, name: &str, min: u32) -> Result<bool> {
        self.write(|tx, log| surveys::set_minimum(tx, name, min, log))
    }
    /// Writes in the audit log that sick-leave figures of `unit` for `period` were shown
    /// unmasked (`malkart status --umaskert`); `door` names where (`cli`).
    pub fn audit_unmasked_view(&mut self, unit: &str, period: &str, door: &str) -> Result<()> {
        let key = format!("{door}: {unit} / {period}");
        let new = audit::json(&"vist umaskert");
        self.write(|tx, log| {
            log.write_one(
                tx,
                &audit::Change {
                    entity: UNMASKED,
                    key: &key,
                    new: Some(&new),
                    ..audit::Change::default()
                },
            )
        })
    }

    /// Writes in the audit log that «Vis umaskerte tall» was turned on or off in the app.
    pub fn audit_unmasked_switch(&mut self, on: bool) -> Result<()> {
        let word = |b: bool| audit::json(&if b { "på" } else { "av" });
        let (old, new) = (word(!on), word(on));
        self.write(|tx, log| {
            log.write_one(
                tx,
                &audit::Change {
                    entity: UNMASKED,
                    key: "app: Vis umaskerte tall",
                    old: Some(&old),
                    new: Some(&new),
                    ..audit::Change::default()
                },
            )
        })
    }

    /// The server this database is a replica of; `None` for a single-user file.
    pub fn replica(&self) -> Result<Option<ReplicaInfo>> {
        replica::info(&self.conn)
    }

    /// Makes this (new, empty) database a replica of `info.server_url`.
    pub fn make_replica(&mut self, info: &ReplicaInfo) -> Result<()> {
        replica::make(&self.conn, info)
    }

    /// Records the replica's user as the server last described her.
    pub fn set_replica_user(&mut self, role: &str, units: &[String]) -> Result<()> {
        replica::set_user(&self.conn, role, units)
    }

    /// Records a failed attempt to reach the server, at `at` (RFC 3339).
    pub fn note_sync_failure(&mut self, at: &str, error: &str) -> Result<()> {
        replica::note_failure(&self.conn, at, error)
    }

    /// Applies a pull answer in one transaction (sharing.md §3): a replica is always a
    /// consistent state of the server at some moment.
    pub fn apply_pull(&mut self, pull: &Pull, at: &str) -> Result<PullSummary> {
        self.writing_pull(pull.reset, |conn| replica::apply_pull(conn, pull, at))
    }

    /// Applies a pull answer as it arrives (`read_pull`'s parts), in one transaction: the
    /// rows are written while the rest of the answer is still on its way, and an answer
    /// cut off before `PullPart::End` is rolled back whole.
    pub fn apply_pull_parts(
        &mut self,
        parts: impl IntoIterator<Item = PullPart>,
        at: &str,
    ) -> Result<PullSummary> {
        // The head comes first (design §6): whether this is a reset is known before the
        // transaction begins.
        let mut parts = parts.into_iter().peekable();
        let reset = matches!(parts.peek(), Some(PullPart::Head(head)) if head.reset);
        self.writing_pull(reset, |conn| replica::apply_pull_parts(conn, parts, at))
    }

    /// One pull's write transaction. While it is applied the page cache is 256 MiB, so a
    /// first pull of a million rows is written once at its commit rather than spilled to
    /// the WAL page by page before it, and its commit does not wait for the disk
    /// (`synchronous = NORMAL`: the WAL stays whole; a pull lost to a power cut is pulled
    /// again, its watermark is lost with it, and the next local write's commit, at `FULL`,
    /// makes the pull durable too).
    ///
    /// A reset pull (every row anew into emptied tables) is written with the foreign keys
    /// off and checked once, whole, before it commits (`PRAGMA foreign_key_check`): the
    /// per-row checks were 1,4 of the 2,2 s SQLite took to insert `large`'s measurements,
    /// the check at the end 0,4 s for every table (docs/benchmarks.md §11). An answer with a
    /// row that names a missing unit or indicator is refused whole, as before.
    fn writing_pull(
        &mut self,
        reset: bool,
        apply: impl FnOnce(&Connection) -> Result<PullSummary>,
    ) -> Result<PullSummary> {
        let check: Option<fn(&Connection) -> Result<()>> = if reset {
            Some(replica::check_references)
        } else {
            None
        };
        self.bulk_write(check, apply)
    }

    /// A large write in one transaction (a pull, the demo): `synchronous=NORMAL` and a
    /// 256 MiB page cache while it runs, so SQLite does not spill pages to the WAL and write
    /// them again. With `check_once`, the foreign keys are off during the write and `check_once`
    /// checks them, whole, before it commits; a broken reference refuses the whole write.
    fn bulk_write<T>(
        &mut self,
        check_once: Option<fn(&Connection) -> Result<()>>,
        apply: impl FnOnce(&Connection) -> Result<T>,
    ) -> Result<T> {
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        self.conn.pragma_update(None, "cache_size", -262_144)?;
        self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        // Outside a transaction, or SQLite ignores it.
        if check_once.is_some() {
            self.conn.pragma_update(None, "foreign_keys", false)?;
        }
        let applied = db::begin_write(&mut self.conn).and_then(|tx| {
            let summary = apply(&tx)?;
            if let Some(check) = check_once {
                check(&tx)?;
            }
            db::finish_write(tx, false)?;
            Ok(summary)
        });
        let restored = self
            .conn
            .pragma_update(None, "synchronous", "FULL")
            .and_then(|()| self.conn.pragma_update(None, "cache_size", -65_536))
            .and_then(|()| self.conn.pragma_update(None, "foreign_keys", true));
        let summary = applied?;
        restored?;
        Ok(summary)
    }

    /// The outbox's next operations to push (oldest first), marked as sent.
    pub fn outbox_to_send(&mut self, limit: usize) -> Result<Vec<OutboxOp>> {
        let tx = db::begin_write(&mut self.conn)?;
        let ops = replica::to_send(&tx, limit)?;
        tx.commit()?;
        Ok(ops)
    }

    /// Records the server's answers to pushed operations.
    pub fn record_push(&mut self, answers: &[PushAnswer]) -> Result<PushTally> {
        let tx = db::begin_write(&mut self.conn)?;
        let tally = replica::record_push(&tx, answers)?;
        tx.commit()?;
        Ok(tally)
    }

    pub fn outbox_counts(&self) -> Result<OutboxCounts> {
        replica::counts(&self.conn)
    }

    /// The whole database as `malkart publish` sends it to an empty server.
    pub fn publish_snapshot(&self) -> Result<serde_json::Value> {
        replica::snapshot(&self.conn)
    }

    /// Every cell with an operation waiting to be sent or kept in conflict.
    pub fn outbox_cells(&self) -> Result<Vec<OutboxCell>> {
        replica::cells(&self.conn)
    }

    /// The operations the server answered with a conflict or a refusal.
    pub fn outbox_conflicts(&self) -> Result<Vec<OutboxConflict>> {
        replica::conflicts(&self.conn)
    }

    /// The waiting edits whose cell the server changed since they were made, in words
    /// (after a pull; `replica::changed_underneath`).
    pub fn changed_underneath(&self) -> Result<Vec<String>> {
        replica::changed_underneath(&self.conn)
    }

    /// Resolves the kept conflicts `ids` as `choice` in one transaction, all or none, each
    /// audited (sharing.md §4; `replica::resolve`). Answers the conflicts resolved.
    pub fn resolve_conflicts(
        &mut self,
        ids: &[String],
        choice: Choice,
    ) -> Result<Vec<OutboxConflict>> {
        // Logged under the name the server knows the user by: the resolution is hers as
        // the server's log has it («Behold min» arrives there as her operation).
        let user = replica::info(&self.conn)?.map_or_else(|| self.user.clone(), |i| i.user_name);
        let tx = db::begin_write(&mut self.conn)?;
        let log = audit::Writer::new(&user, "konflikt");
        let resolved = replica::resolve(&tx, ids, choice, &log)?;
        db::finish_write(tx, false)?;
        Ok(resolved)
    }

    /// «Bruk deres» resolutions the server's audit log does not have yet (at most `limit`).
    pub fn resolutions_to_report(&self, limit: usize) -> Result<Vec<ResolvedTheirs>> {
        replica::to_report(&self.conn, limit)
    }

    /// Forgets resolutions the server has answered.
    pub fn resolutions_reported(&mut self, ids: &[String]) -> Result<()> {
        let tx = db::begin_write(&mut self.conn)?;
        replica::reported(&tx, ids)?;
        tx.commit()?;
        Ok(())
    }

    /// A number that changes whenever anything in the database changes; caches compare it.
    /// Every write transaction bumps it as it commits, from any connection.
    pub fn revision(&self) -> Result<i64> {
        db::revision(&self.conn)
    }

    /// Runs `f` in one IMMEDIATE write transaction with an audit writer for a manual change.
    fn write<T>(
        &mut self,
        f: impl FnOnce(&Connection, &audit::Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        let tx = db::begin_write(&mut self.conn)?;
        let log = audit::Writer::new(&self.user, "manuell");
        let value = f(&tx, &log)?;
        db::finish_write(tx, false)?;
        Ok(value)
    }
}

/// The audit log's entity for sick-leave figures shown unmasked.
pub const UNMASKED: &str = "sykefravær umaskert";

/// SQLite's "file is not a database", said so that a person knows which file and that it
/// was left alone.
fn not_a_database(e: Error, path: &Path) -> Error {
    match &e {
        Error::Database(db) | Error::DatabaseAt { source: db, .. }
            if db.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) =>
        {
            Error::Invalid(format!(
                "{} er ikke en Målkart-database (SQLite kjenner ikke igjen filen); den er ikke endret",
                path.display()
            ))
        }
        _ => e,
    }
}

/// Replaces the database at `db_path` with the copy at `backup`, after verifying the copy's
/// integrity and schema. The old file is kept beside it (`malkart.db.før-gjenoppretting-…`);
/// its path is returned. Nothing is replaced if the copy is refused. Close every `Store` on
/// `db_path` first.
pub fn restore(db_path: &Path, backup: &Path) -> Result<Option<PathBuf>> {
    backup::restore(db_path, backup)
}

/// Moves the database file at `db_path` (and its `-wal`/`-shm`) aside to
/// `<name>.<what>-<tid>` beside it and returns that path; `None` when there is no file.
/// Close every `Store` on `db_path` first.
pub fn set_aside(db_path: &Path, what: &str) -> Result<Option<PathBuf>> {
    backup::set_aside(db_path, what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_connection_has_wal_foreign_keys_full_sync_and_a_busy_timeout() {
        let dir = tempfile::tempdir().map_err(|e| e.to_string()).unwrap();
        let store = Store::open(&dir.path().join("malkart.db")).unwrap();
        let pragma = |name: &str| -> String {
            store
                .conn
                .pragma_query_value(None, name, |r| r.get::<_, rusqlite::types::Value>(0))
                .map(|v| match v {
                    rusqlite::types::Value::Integer(i) => i.to_string(),
                    rusqlite::types::Value::Text(t) => t,
                    other => format!("{other:?}"),
                })
                .unwrap()
        };
        assert_eq!(pragma("journal_mode"), "wal");
        assert_eq!(pragma("foreign_keys"), "1");
        // FULL = 2.
        assert_eq!(pragma("synchronous"), "2");
        assert_eq!(pragma("busy_timeout"), "5000");
    }

    #[test]
    fn the_user_defaults_to_the_os_user_and_can_be_set() {
        let mut store = Store::open_in_memory().unwrap();
        assert!(!store.user().is_empty());
        store.set_user("  kari ");
        assert_eq!(store.user(), "kari");
        store.set_user("");
        assert_eq!(store.user(), "ukjent");
    }

    #[test]
    fn the_window_query_walks_the_key_instead_of_scanning() {
        let store = Store::open_in_memory().unwrap();
        let plan: Vec<String> = store
            .conn
            .prepare(
                "EXPLAIN QUERY PLAN SELECT * FROM measurements
                 WHERE indicator IN (SELECT code FROM indicators)
                   AND span_first BETWEEN 1 AND 2 AND span_last >= 1",
            )
            .unwrap()
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let text = plan.join(" | ");
        assert!(text.contains("SEARCH measurements USING PRIMARY KEY (indicator=? AND span_first>? AND span_first<?)"), "{text}");
    }
}
