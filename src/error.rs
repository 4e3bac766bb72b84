//! The core's error type, and the one place where every message a user can see is worded.
//! Messages are Norwegian: they are read by the people who typed the input. SQLite's errors
//! (busy, read-only, disk full, damaged, cannot open), the operating system's (a missing
//! folder, a directory where a file was meant) and the command line's argument errors are
//! turned into Norwegian here, each saying what to do; no message carries SQL or English.
//! `kind()` names the error for the UI (`{ kind, message }` at the IPC boundary) and
//! `exit_code()` maps it to the CLI's exit codes (2: input refused, nothing changed; 1: other).

use std::io::ErrorKind as IoKind;
use std::path::{Path, PathBuf};

use rusqlite::ErrorCode;

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
    /// A SQLite error; `at` names the database file it happened on.
    #[error("{}", database_message(.0, None))]
    Database(#[from] rusqlite::Error),
    /// A SQLite error on a named database file.
    #[error("{}", database_message(.source, Some(.path.as_path())))]
    DatabaseAt {
        path: PathBuf,
        source: rusqlite::Error,
    },
    /// A migration failed; it ran in one transaction, so nothing of it was kept.
    #[error(
        "databasen kunne ikke oppgraderes til skjemaversjon {version}: {}; den er ikke endret",
        database_message(.source, None)
    )]
    Migration {
        version: i64,
        source: rusqlite::Error,
    },
    /// Any command but `init` (and the app's first start) on a database that is not there.
    #[error(
        "databasen {} finnes ikke; opprett den med «malkart init» (eller oppgi en annen fil med \
         --db)",
        .path.display()
    )]
    NoDatabase { path: PathBuf },
    /// A database that cannot be written: the file, its folder or its disk is read-only.
    #[error("{}", read_only_message(Some(.path.as_path())))]
    ReadOnly { path: PathBuf },
    /// A backup's target exists and the user did not ask to replace it.
    #[error(
        "{} finnes allerede; sikkerhetskopien skriver ikke over en fil. Velg et annet filnavn, \
         eller bruk --overwrite (den gamle filen tas da vare på ved siden av)",
        .path.display()
    )]
    TargetExists { path: PathBuf },
    /// The integrity check found the database damaged: a backup of it is not taken.
    #[error(
        "databasen {} er skadet (integritetskontrollen fant {problems} feil), så \
         sikkerhetskopien er ikke tatt og ingen fil er skrevet. Kjør «malkart check» for \
         detaljer, og gjenopprett fra en tidligere sikkerhetskopi med «malkart restore FIL»",
        .path.display()
    )]
    Damaged { path: PathBuf, problems: usize },
    #[error("{}", io_message(.path, .source, *.writing))]
    Io {
        path: PathBuf,
        source: std::io::Error,
        /// Whether the file was being written (a missing folder) or read (a missing file).
        writing: bool,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An OS error reading `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
            writing: false,
        }
    }

    /// An OS error writing `path`.
    pub fn io_write(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
            writing: true,
        }
    }

    /// Names the database file a SQLite error happened on (an error that names one already
    /// keeps it).
    pub fn at(self, path: &Path) -> Error {
        match self {
            Error::Database(source) => Error::DatabaseAt {
                path: path.to_path_buf(),
                source,
            },
            other => other,
        }
    }

    /// Another connection holds the lock this one needed.
    pub fn is_busy(&self) -> bool {
        matches!(
            self.sqlite().and_then(rusqlite::Error::sqlite_error_code),
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
        )
    }

    fn sqlite(&self) -> Option<&rusqlite::Error> {
        match self {
            Error::Database(e) | Error::DatabaseAt { source: e, .. } => Some(e),
            Error::Migration { source, .. } => Some(source),
            _ => None,
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
            Error::Database(_) | Error::DatabaseAt { .. } => {
                match self.sqlite().and_then(rusqlite::Error::sqlite_error_code) {
                    Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => "busy",
                    Some(ErrorCode::ReadOnly) => "read_only",
                    Some(ErrorCode::DiskFull) => "disk_full",
                    Some(ErrorCode::DatabaseCorrupt) => "damaged",
                    _ => "database",
                }
            }
            Error::Migration { .. } => "migration",
            Error::NoDatabase { .. } => "no_database",
            Error::ReadOnly { .. } => "read_only",
            Error::TargetExists { .. } => "exists",
            Error::Damaged { .. } => "damaged",
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
            | Error::Invalid(_)
            | Error::NoDatabase { .. }
            | Error::TargetExists { .. } => 2,
            Error::NewerSchema { .. }
            | Error::Database(_)
            | Error::DatabaseAt { .. }
            | Error::Migration { .. }
            | Error::ReadOnly { .. }
            | Error::Damaged { .. }
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

/// Every door that crosses to the UI converts once, with `?`.
impl From<Error> for IpcError {
    fn from(e: Error) -> IpcError {
        e.to_ipc()
    }
}

/// `databasen /sti/malkart.db` when the file is known, else `databasen`.
fn the_database(path: Option<&Path>) -> String {
    match path {
        Some(p) => format!("databasen {}", p.display()),
        None => "databasen".to_string(),
    }
}

fn read_only_message(path: Option<&Path>) -> String {
    format!(
        "{} er skrivebeskyttet, så ingenting er lagret; be om skrivetilgang til filen og \
         mappen den ligger i, eller arbeid på en kopi",
        the_database(path)
    )
}

/// A SQLite error in Norwegian, by its code, saying what to do. Never SQL, never SQLite's
/// English: an unexpected code is named by number for whoever supports the installation.
fn database_message(e: &rusqlite::Error, path: Option<&Path>) -> String {
    let db = the_database(path);
    let Some(code) = e.sqlite_error_code() else {
        // Not an error of SQLite itself but of reading a value back: data this version
        // cannot read.
        return format!(
            "{db} inneholder en verdi denne versjonen av Målkart ikke kan lese; kjør «malkart \
             check», og meld fra til den som drifter Målkart om feilen består"
        );
    };
    match code {
        ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => {
            format!("{db} er opptatt: en annen prosess skriver til databasen; prøv igjen om litt")
        }
        ErrorCode::ReadOnly => read_only_message(path),
        ErrorCode::DiskFull => format!(
            "disken er full, så ingenting er lagret i {db}; frigjør plass på disken og prøv igjen"
        ),
        ErrorCode::DatabaseCorrupt => format!(
            "{db} er skadet; kjør «malkart check» for detaljer, og gjenopprett fra en \
             sikkerhetskopi med «malkart restore FIL»"
        ),
        ErrorCode::NotADatabase => format!(
            "{} er ikke en Målkart-database (SQLite kjenner ikke igjen filen); den er ikke endret",
            path.map_or_else(|| "filen".to_string(), |p| p.display().to_string())
        ),
        ErrorCode::CannotOpen => format!(
            "{db} kan ikke åpnes; sjekk at mappen finnes, at det er en fil og ikke en mappe, og \
             at du har tilgang til den"
        ),
        ErrorCode::PermissionDenied => {
            format!("ingen tilgang til {db}; be om lese- og skrivetilgang til filen og mappen")
        }
        ErrorCode::SystemIoFailure => format!(
            "lese- eller skrivefeil på disken for {db} (disken kan være full, fjernet eller \
             skadet); ingenting er lagret. Sjekk disken og prøv igjen"
        ),
        ErrorCode::TooBig => {
            format!("{db}: en verdi er for stor til å lagres; ingenting er lagret")
        }
        ErrorCode::OutOfMemory => {
            format!("ikke nok minne til å arbeide med {db}; lukk andre programmer og prøv igjen")
        }
        _ => {
            let number = match e {
                rusqlite::Error::SqliteFailure(f, _) => f.extended_code,
                _ => 0,
            };
            format!(
                "uventet feil i {db} (SQLite-feilkode {number}); ingenting er lagret. Kjør \
                 «malkart check», og meld fra til den som drifter Målkart om feilen består"
            )
        }
    }
}

/// An OS error on a file in Norwegian: what is wrong with the path and what to do.
fn io_message(path: &Path, e: &std::io::Error, writing: bool) -> String {
    let shown = path.display();
    let folder = match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(p) => p.display().to_string(),
        None => ".".to_string(),
    };
    match e.kind() {
        IoKind::NotFound if writing => format!(
            "mappen {folder} finnes ikke, så {shown} kan ikke skrives; opprett mappen eller velg \
             en annen"
        ),
        IoKind::NotFound => format!("finner ikke filen {shown}; sjekk navnet og mappen"),
        IoKind::IsADirectory => format!(
            "{shown} er en mappe, ikke en fil; oppgi et filnavn (en fil i mappen, ikke mappen \
             selv)"
        ),
        IoKind::NotADirectory => {
            format!("{shown}: en del av stien er en fil, ikke en mappe; sjekk stien")
        }
        IoKind::PermissionDenied => {
            format!("ingen tilgang til {shown}; velg en annen plassering eller be om tilgang")
        }
        IoKind::ReadOnlyFilesystem => {
            format!("{shown} ligger på en skrivebeskyttet disk; velg en annen plassering")
        }
        IoKind::StorageFull | IoKind::QuotaExceeded => {
            format!("disken er full, så {shown} er ikke skrevet; frigjør plass og prøv igjen")
        }
        IoKind::AlreadyExists => format!("{shown} finnes allerede; velg et annet filnavn"),
        IoKind::FileTooLarge => format!("{shown} er for stor for disken eller filsystemet"),
        _ if writing => format!(
            "kunne ikke skrive {shown} (feilkode fra operativsystemet: {}); sjekk plassen og \
             tilgangen og prøv igjen",
            e.raw_os_error().unwrap_or(0)
        ),
        _ => format!(
            "kunne ikke lese {shown} (feilkode fra operativsystemet: {}); sjekk filen og \
             tilgangen og prøv igjen",
            e.raw_os_error().unwrap_or(0)
        ),
    }
}

/// A command-line argument error (clap) in Norwegian. The CLI prints it after `feil: ` with
/// the usage line, and exits with 2.
pub fn argument_message(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ErrorKind};
    let ctx = |kind: ContextKind| e.get(kind).map(ToString::to_string).unwrap_or_default();
    let arg = ctx(ContextKind::InvalidArg);
    let value = ctx(ContextKind::InvalidValue);
    match e.kind() {
        ErrorKind::MissingRequiredArgument => format!("mangler {arg}"),
        ErrorKind::InvalidValue if ctx(ContextKind::ValidValue).is_empty() => {
            format!("{arg} mangler en verdi")
        }
        ErrorKind::InvalidValue => format!(
            "«{value}» er ikke en gyldig verdi for {arg}; gyldige verdier er {}",
            ctx(ContextKind::ValidValue)
        ),
        ErrorKind::ValueValidation => {
            let number = std::error::Error::source(e)
                .and_then(|s| s.downcast_ref::<std::num::ParseIntError>());
            let why = match number.map(std::num::ParseIntError::kind) {
                Some(std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow) => {
                    "tallet er for stort"
                }
                Some(_) => "skriv et helt tall uten fortegn, for eksempel 5",
                None if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                    "tallet er for stort"
                }
                None => "se «malkart --help» for hva som godtas",
            };
            format!("«{value}» er ikke en gyldig verdi for {arg}; {why}")
        }
        ErrorKind::UnknownArgument => format!("ukjent valg eller argument «{arg}»"),
        ErrorKind::InvalidSubcommand if ctx(ContextKind::Usage).contains("malkart export") => {
            format!(
                "ukjent rapport «{}»; rapportene er sick-leave (sykefravær) og economy (økonomi)",
                ctx(ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::InvalidSubcommand => format!(
            "ukjent kommando «{}»; kommandoene er init, import, status, export, lock, unlock, \
             backup, restore og check",
            ctx(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            if ctx(ContextKind::Usage).contains("malkart export") =>
        {
            "mangler rapport; skriv export sick-leave eller export economy".to_string()
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "mangler kommando; kommandoene er init, import, status, export, lock, unlock, backup, \
             restore og check"
                .to_string()
        }
        ErrorKind::ArgumentConflict => format!(
            "{arg} kan ikke brukes sammen med {}",
            ctx(ContextKind::PriorArg)
        ),
        ErrorKind::NoEquals => format!("{arg} skal ha verdien etter et likhetstegn, {arg}=VERDI"),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("uventet verdi «{value}»")
        }
        ErrorKind::TooFewValues => format!("{arg} mangler en verdi"),
        ErrorKind::InvalidUtf8 => {
            "et argument er ikke gyldig tekst (UTF-8); skriv filnavn og verdier som vanlig tekst"
                .to_string()
        }
        _ => {
            "kommandolinjen kan ikke leses; se «malkart --help» for kommandoer og valg".to_string()
        }
    }
}
