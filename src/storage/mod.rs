//! Storage: the SQLite database (WAL, foreign keys, `synchronous=FULL`, busy timeout,
//! `IMMEDIATE` write transactions, cached statements), its embedded forward-only
//! migrations, and every read and write the app and the CLI make. All writes go through
//! here, each in one transaction, each change written to the audit log.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Serialize;
use ts_rs::TS;

use crate::engine::Dataset;
use crate::error::Result;
use crate::model::{AuditEntry, Comment, Indicator, LockedMonth, Measurement, Target, Unit};
use crate::period::{Month, Period};

/// Where the database lives: `--db FILE`, else `MALKART_DB`, else the OS data directory
/// (`$XDG_DATA_HOME/no.malkart.app/malkart.db` on Linux).
pub fn resolve_path(_explicit: Option<&Path>) -> Result<PathBuf> {
    todo!("storage")
}

/// An open database.
pub struct Store {
    _private: (),
}

/// What a batch of rows does to the database; one import file or one save in a grid.
#[derive(Clone, Debug, PartialEq)]
pub enum ChangeSet {
    Units(Vec<Unit>),
    Indicators(Vec<Indicator>),
    Targets(Vec<Target>),
    Measurements(Vec<Measurement>),
}

/// How many rows a `ChangeSet` created, changed or left as they were.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ApplySummary {
    pub created: u64,
    pub changed: u64,
    pub unchanged: u64,
}

/// What import validation needs to know of the database.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    pub units: Vec<Unit>,
    pub indicators: Vec<Indicator>,
    pub locked: BTreeSet<Month>,
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

/// A filter on the audit log; every field optional.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AuditFilter {
    pub unit: Option<String>,
    pub indicator: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: Option<u32>,
}

impl Store {
    /// Opens (creating and migrating when missing) the database at `path`. A database of a
    /// newer schema is refused and left unchanged.
    pub fn open(_path: &Path) -> Result<Store> {
        todo!("storage")
    }
    /// A fresh, migrated in-memory database, for tests.
    pub fn open_in_memory() -> Result<Store> {
        todo!("storage")
    }
    /// The name written into the audit log and comments (default: the OS user name).
    pub fn set_user(&mut self, _user: &str) {
        todo!("storage")
    }
    pub fn user(&self) -> &str {
        todo!("storage")
    }
    /// No units, indicators or measurements yet.
    pub fn is_empty(&self) -> Result<bool> {
        todo!("storage")
    }
    pub fn units(&self) -> Result<Vec<Unit>> {
        todo!("storage")
    }
    pub fn indicators(&self) -> Result<Vec<Indicator>> {
        todo!("storage")
    }
    pub fn catalog(&self) -> Result<Catalog> {
        todo!("storage")
    }
    /// Everything the engine needs to answer questions about `period`: all units,
    /// indicators, perspective names and targets, and the measurements of the months from
    /// January of the year before the earliest of `period`, its previous period and its
    /// last-year period, through `period`'s last month.
    pub fn dataset_for(&self, _period: &Period) -> Result<Dataset> {
        todo!("storage")
    }
    /// Applies a change set in one IMMEDIATE transaction: creates or replaces the rows it
    /// names, leaves all others alone, writes an audit entry per created or changed row
    /// (none for an identical value), refuses figures in locked months and unit cycles.
    /// With `dry_run` it counts and rolls back.
    pub fn apply(&mut self, _changes: &ChangeSet, _source: &str, _dry_run: bool) -> Result<ApplySummary> {
        todo!("storage")
    }
    pub fn locked_months(&self) -> Result<Vec<LockedMonth>> {
        todo!("storage")
    }
    /// Locks a month; `false` when it was locked already.
    pub fn lock_month(&mut self, _month: Month) -> Result<bool> {
        todo!("storage")
    }
    /// Unlocks a month; the reason is required and audited. `false` when it was not locked.
    pub fn unlock_month(&mut self, _month: Month, _reason: &str) -> Result<bool> {
        todo!("storage")
    }
    pub fn comments(&self, _indicator: &str, _unit: &str, _period: &Period) -> Result<Vec<Comment>> {
        todo!("storage")
    }
    pub fn add_comment(&mut self, _indicator: &str, _unit: &str, _period: &Period, _text: &str) -> Result<Comment> {
        todo!("storage")
    }
    pub fn update_comment(&mut self, _id: i64, _text: &str) -> Result<Comment> {
        todo!("storage")
    }
    pub fn delete_comment(&mut self, _id: i64) -> Result<()> {
        todo!("storage")
    }
    /// Sets or removes (`None`) one target, audited.
    pub fn set_target(&mut self, _target: &Target) -> Result<()> {
        todo!("storage")
    }
    pub fn targets(&self, _indicator: &str) -> Result<Vec<Target>> {
        todo!("storage")
    }
    pub fn audit(&self, _filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        todo!("storage")
    }
    /// A consistent copy of the open database (SQLite's online backup API).
    pub fn backup_to(&self, _dest: &Path) -> Result<()> {
        todo!("storage")
    }
    pub fn check(&self) -> Result<CheckReport> {
        todo!("storage")
    }
    /// Fills an *empty* database with the demo municipality in one transaction. Writes one
    /// audit entry per kind of row (not one per row: the `large` demo has millions).
    pub fn load_demo(&mut self, _data: &crate::demo::DemoData) -> Result<()> {
        todo!("storage")
    }
    /// A number that changes whenever anything in the database changes; caches compare it.
    pub fn revision(&self) -> Result<i64> {
        todo!("storage")
    }
}

/// Replaces the database at `db_path` with the copy at `backup`, after verifying the copy's
/// integrity and schema. The old file is kept beside it (`malkart.db.før-gjenoppretting-…`);
/// its path is returned. Nothing is replaced if the copy is refused.
pub fn restore(_db_path: &Path, _backup: &Path) -> Result<Option<PathBuf>> {
    todo!("storage")
}
