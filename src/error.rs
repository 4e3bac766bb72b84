//! The core's error type. Messages are Norwegian: they are read by the people who typed the
//! input. `kind()` names the error for the UI (`{ kind, message }` at the IPC boundary) and
//! `exit_code()` maps it to the CLI's exit codes (2: input refused, nothing changed; 1: other).

use std::path::PathBuf;

use serde::Serialize;
use ts_rs::TS;

use crate::engine::EngineError;
use crate::import::ImportFailure;
use crate::period::PeriodError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Period(#[from] PeriodError),
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// A file that could not be imported: every wrong line is listed.
    #[error(transparent)]
    Import(#[from] ImportFailure),
    #[error("ukjent enhet «{0}»")]
    UnknownUnit(String),
    #[error("ukjent indikator «{0}»")]
    UnknownIndicator(String),
    #[error("måneden {0} er låst; lås den opp før du endrer tall i den")]
    LockedMonth(String),
    /// Any other input that is refused, with a message that says what and where.
    #[error("{0}")]
    Invalid(String),
    #[error(
        "databasen {path} er laget av en nyere versjon av Målkart (skjema {found}, denne \
         versjonen kjenner til {supported}); den er ikke endret"
    )]
    NewerSchema {
        path: String,
        found: i64,
        supported: i64,
    },
    #[error("databasefeil: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("migrering av databasen feilet: {0}")]
    Migration(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// A stable name for the UI to react to.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Period(_) => "period",
            Error::Engine(EngineError::UnknownUnit(_)) | Error::UnknownUnit(_) => "unknown_unit",
            Error::Engine(EngineError::UnknownIndicator(_)) | Error::UnknownIndicator(_) => {
                "unknown_indicator"
            }
            Error::Engine(EngineError::Cycle(_)) => "invalid",
            Error::Import(_) => "import",
            Error::LockedMonth(_) => "locked_month",
            Error::Invalid(_) => "invalid",
            Error::NewerSchema { .. } => "newer_schema",
            Error::Database(_) => "database",
            Error::Migration(_) => "migration",
            Error::Io { .. } => "io",
        }
    }

    /// 2 when the input was refused (nothing changed), 1 for anything else.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Period(_)
            | Error::Engine(_)
            | Error::Import(_)
            | Error::UnknownUnit(_)
            | Error::UnknownIndicator(_)
            | Error::LockedMonth(_)
            | Error::Invalid(_) => 2,
            Error::NewerSchema { .. }
            | Error::Database(_)
            | Error::Migration(_)
            | Error::Io { .. } => 1,
        }
    }

    /// The error as it crosses to the UI.
    pub fn to_ipc(&self) -> IpcError {
        IpcError {
            kind: self.kind().to_string(),
            message: self.to_string(),
        }
    }
}

/// `{ kind, message }`: how an error crosses the IPC boundary to the UI.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct IpcError {
    pub kind: String,
    pub message: String,
}
