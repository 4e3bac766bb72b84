//! What a batch of changes is, independent of where it comes from and where it goes: a
//! `ChangeSet` (made by import and the grids, applied by storage), the `Catalog` they are
//! checked against, the `ApplySummary` storage returns, and an import file's refusal
//! (`ImportFailure`, every wrong line as a `LineError`). A leaf module: import depends on
//! it and not on storage; storage depends on it and not on import.

use std::collections::BTreeSet;
use std::fmt;

use serde::Serialize;
use ts_rs::TS;

use crate::error::Result;
use crate::model::{
    Action, EconomyChange, Indicator, Measurement, ReferenceValue, SickLeaveChange, SurveyResult,
    Target, Unit,
};
use crate::period::Month;

/// What a batch of rows does to the database; one import file or one save in a grid.
#[derive(Clone, Debug, PartialEq)]
pub enum ChangeSet {
    Units(Vec<Unit>),
    Indicators(Vec<Indicator>),
    Targets(Vec<Target>),
    Measurements(Vec<Measurement>),
    /// Sick-leave rows per (unit, month), set whole or removed (sick-leave.md).
    SickLeave(Vec<SickLeaveChange>),
    /// Economy figures per (unit, month), figure by figure (economy.md).
    Economy(Vec<EconomyChange>),
    /// Tiltak, each set whole (tiltak.md).
    Actions(Vec<Action>),
    /// Survey results, each set whole (surveys.md).
    SurveyResults(Vec<SurveyResult>),
    /// Values of reference series, each set whole (surveys.md §2).
    References(Vec<ReferenceValue>),
    /// A KOSTRA file: the municipality's own figures and the other regions' as reference
    /// series, in one transaction (surveys.md §3).
    Kostra {
        measurements: Vec<Measurement>,
        references: Vec<ReferenceValue>,
    },
}

impl ChangeSet {
    /// How many rows it names.
    pub fn len(&self) -> usize {
        match self {
            ChangeSet::Units(v) => v.len(),
            ChangeSet::Indicators(v) => v.len(),
            ChangeSet::Targets(v) => v.len(),
            ChangeSet::Measurements(v) => v.len(),
            ChangeSet::SickLeave(v) => v.len(),
            ChangeSet::Economy(v) => v.len(),
            ChangeSet::Actions(v) => v.len(),
            ChangeSet::SurveyResults(v) => v.len(),
            ChangeSet::References(v) => v.len(),
            ChangeSet::Kostra {
                measurements,
                references,
            } => measurements.len() + references.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
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
    /// The stored tiltak (a tiltak file's absent columns keep their values).
    pub actions: Vec<Action>,
}

/// Where a `ChangeSet` goes: what it is checked against and what applies it, in one
/// transaction with an audit entry per row (`storage::Store`).
pub trait ChangeStore {
    /// What import validation needs to know of the database.
    fn catalog(&self) -> Result<Catalog>;
    /// Checks and writes `changes` (or, for a dry run, only checks them); `source` names the
    /// file or the screen in the audit log.
    fn apply(&mut self, changes: &ChangeSet, source: &str, dry_run: bool) -> Result<ApplySummary>;
    /// As `apply`, for a file: `lines` gives the line each change came from (in the change
    /// set's order; empty when unknown). A store that queues its writes for a server keeps
    /// them, so a conflict names its line; others ignore them.
    fn apply_lines(
        &mut self,
        changes: &ChangeSet,
        lines: &[u64],
        source: &str,
        dry_run: bool,
    ) -> Result<ApplySummary> {
        let _ = lines;
        self.apply(changes, source, dry_run)
    }
}

/// One wrong line: `linje 14, kolonne «verdi»: «7,3,1» er ikke et tall`.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct LineError {
    /// 1-based line in the file (the header is line 1); for XLSX the row number; 0 for
    /// the file as a whole (not CSV or XLSX, empty).
    pub line: u64,
    pub column: Option<String>,
    pub message: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            _ if self.line == 0 => write!(f, "{}", self.message),
            Some(c) => write!(f, "linje {}, kolonne «{}»: {}", self.line, c, self.message),
            None => write!(f, "linje {}: {}", self.line, self.message),
        }
    }
}

/// A file refused: nothing was stored. Up to 100 errors are listed; `total` counts all.
#[derive(Clone, Debug, PartialEq, Serialize, TS, thiserror::Error)]
#[ts(export)]
pub struct ImportFailure {
    pub file: String,
    pub errors: Vec<LineError>,
    pub total: u64,
}

impl fmt::Display for ImportFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "«{}» ble ikke importert, ingenting er endret ({} feil):",
            self.file, self.total
        )?;
        for e in &self.errors {
            write!(f, "\n  {e}")?;
        }
        if self.total > self.errors.len() as u64 {
            write!(
                f,
                "\n  … og {} feil til",
                self.total - self.errors.len() as u64
            )?;
        }
        Ok(())
    }
}
