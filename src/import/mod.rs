//! Imports (files.md): CSV (UTF-8 with or without BOM, else Windows-1252; `;`, `,` or tab)
//! and XLSX (first sheet) files of units, indicators, targets and measurements. A file is
//! read, every line validated against the database's catalog, and only a file without a
//! single wrong line is applied — in one transaction. Errors name line, column and text.

use std::fmt;
use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use crate::error::Result;
use crate::storage::Store;

/// The kinds of import file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    Units,
    Indicators,
    Targets,
    Measurements,
}

impl ImportKind {
    /// `enheter`/`units`, `indikatorer`/`indicators`, `mål`/`targets`, `målinger`/`measurements`.
    pub fn parse(_text: &str) -> Option<ImportKind> {
        todo!("import")
    }
}

/// One wrong line: `linje 14, kolonne «verdi»: «7,3,1» er ikke et tall`.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct LineError {
    /// 1-based line in the file (the header is line 1); for XLSX the row number.
    pub line: u64,
    pub column: Option<String>,
    pub message: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
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
        write!(f, "«{}» ble ikke importert, ingenting er endret ({} feil):", self.file, self.total)?;
        for e in &self.errors {
            write!(f, "\n  {e}")?;
        }
        if self.total > self.errors.len() as u64 {
            write!(f, "\n  … og {} feil til", self.total - self.errors.len() as u64)?;
        }
        Ok(())
    }
}

/// What an import did (or, for a dry run, would do).
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub file: String,
    pub kind: ImportKind,
    pub dry_run: bool,
    pub rows_read: u64,
    pub created: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub warnings: Vec<String>,
}

/// Imports a file (CSV or XLSX, by content) of `kind` into `store`, all or nothing.
pub fn import_file(_store: &mut Store, _kind: ImportKind, _path: &Path, _dry_run: bool) -> Result<ImportReport> {
    todo!("import")
}

/// Imports file content already in memory; `file_name` is used in messages and the audit log.
pub fn import_bytes(
    _store: &mut Store,
    _kind: ImportKind,
    _file_name: &str,
    _bytes: &[u8],
    _dry_run: bool,
) -> Result<ImportReport> {
    todo!("import")
}
