//! A file imported (or tried with `dry_run`) as an outcome: what was stored, or — when the
//! file was refused and nothing was stored — every wrong line, for the UI to list.

use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::import::{self, ImportFailure, ImportKind, ImportReport};
use crate::storage::Store;

/// What an import or its dry run did, or every wrong line of a refused file.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ImportOutcome {
    Imported { report: ImportReport },
    Refused { failure: ImportFailure },
}

/// Imports the file at `path` as `kind`; with `dry_run` nothing is stored. A refused file is
/// an outcome, not an error; a file that cannot be read is an error.
pub fn import_file(
    store: &mut Store,
    kind: ImportKind,
    path: &Path,
    dry_run: bool,
) -> Result<ImportOutcome> {
    match import::import_file(store, kind, path, dry_run) {
        Ok(report) => Ok(ImportOutcome::Imported { report }),
        Err(Error::Import(failure)) => Ok(ImportOutcome::Refused { failure }),
        Err(e) => Err(e),
    }
}
