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

use crate::changes::ImportFailure;
use crate::engine::EngineError;
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
    /// Input refused where no single field is to blame (a path, a file, an argument), with a
    /// message that says what and where.
    #[error("{0}")]
    Invalid(String),
    /// Input refused in one field, cell or column (`field`, as the import files name it:
    /// `kode`, `navn`, `år`, `rødgrense`, …); the message says what is accepted.
    #[error("{message}")]
    Validation { field: String, message: String },
    /// A row named more than once in one change set, e.g. `enhet «2000»`.
    #[error("{0} står mer enn én gang")]
    Duplicate(String),
    /// A built-in indicator (`SF…`, `OK-…`) cannot be redefined.
    #[error("«{0}» er en innebygd indikator og kan ikke endres")]
    BuiltIn(String),
    /// A built-in indicator is computed by Målkart; it gets no measurements.
    #[error("«{0}» er en innebygd indikator som beregnes av Målkart; den kan ikke få målinger")]
    BuiltInMeasured(String),
    /// A comment that is not there (deleted, or a wrong number).
    #[error("fant ingen kommentar med nummer {0}")]
    CommentNotFound(i64),
    /// A tiltak that is not there (a wrong code, or not pulled yet).
    #[error("fant ikke tiltaket «{0}»")]
    UnknownAction(String),
    /// The change contradicts what is stored; the message says what to change first.
    #[error("{0}")]
    Conflict(String),
    /// The demo municipality goes only into an empty database.
    #[error("databasen er ikke tom; demokommunen kan bare lastes inn i en tom database")]
    NotEmpty,
    /// A stored value this version cannot read back (`what`: the table and the value).
    #[error("databasen er skadet: {0}; kjør «malkart check»")]
    Corrupt(String),
    /// A report document (XLSX, PDF, JSON) could not be produced.
    #[error("{0}")]
    Render(String),
    /// The server of a shared municipality could not be reached (sharing.md).
    #[error("{0}")]
    Remote(String),
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
            Error::Invalid(_) | Error::Validation { .. } => "invalid",
            Error::Duplicate(_) => "duplicate",
            Error::BuiltIn(_) | Error::BuiltInMeasured(_) => "built_in",
            Error::CommentNotFound(_) | Error::UnknownAction(_) => "not_found",
            Error::Conflict(_) | Error::NotEmpty => "conflict",
            Error::Corrupt(_) => "damaged",
            Error::Render(_) => "io",
            Error::Remote(_) => "offline",
            Error::NewerSchema { .. } => "newer_schema",
            Error::Database(_) | Error::DatabaseAt { .. } => {
                match self.sqlite().and_then(rusqlite::Error::sqlite_error_code) {
                    Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => "busy",
                    Some(ErrorCode::ReadOnly) => "read_only",
                    Some(ErrorCode::DiskFull) => "disk_full",
                    Some(ErrorCode::DatabaseCorrupt) => "damaged",
                    Some(ErrorCode::PermissionDenied) => "access_denied",
                    _ => "database",
                }
            }
            Error::Migration { .. } => "migration",
            Error::NoDatabase { .. } => "no_database",
            Error::ReadOnly { .. } => "read_only",
            Error::TargetExists { .. } => "exists",
            Error::Damaged { .. } => "damaged",
            Error::Io { source, .. } if source.kind() == IoKind::PermissionDenied => {
                "access_denied"
            }
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
            | Error::Validation { .. }
            | Error::Duplicate(_)
            | Error::BuiltIn(_)
            | Error::BuiltInMeasured(_)
            | Error::CommentNotFound(_)
            | Error::UnknownAction(_)
            | Error::Conflict(_)
            | Error::NotEmpty
            | Error::Corrupt(_)
            | Error::Render(_)
            | Error::NoDatabase { .. }
            | Error::TargetExists { .. } => 2,
            Error::NewerSchema { .. }
            | Error::Database(_)
            | Error::DatabaseAt { .. }
            | Error::Migration { .. }
            | Error::ReadOnly { .. }
            | Error::Damaged { .. }
            | Error::Remote(_)
            | Error::Io { .. } => 1,
        }
    }

    /// The field, cell or column a refused input is in, when one is to blame.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Validation { field, .. } => Some(field),
            _ => None,
        }
    }

    /// A refusal of `field`: `Error::invalid_field("kode", format!(…))`.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Error {
        Error::Validation {
            field: field.to_string(),
            message: message.into(),
        }
    }

    /// The error as it crosses to the UI.
    pub fn to_ipc(&self) -> IpcError {
        IpcError {
            kind: self.kind().to_string(),
            message: self.to_string(),
            field: self.field().map(str::to_string),
        }
    }
}

/// `{ kind, message, field? }`: how an error crosses the IPC boundary to the UI. `field`
/// names the refused field (`kode`, `beløp`, `måned`, …) when one is to blame, so a form can
/// mark it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct IpcError {
    pub kind: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite(code: i32) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None)
    }

    /// Every kind the UI (and later the server) reacts to, with its exit code: 2 when the
    /// input was refused and nothing changed, 1 otherwise. A renamed kind fails here.
    #[test]
    fn each_error_has_its_kind_and_exit_code() {
        let io = |kind: IoKind| Error::io("/tmp/x.csv", std::io::Error::from(kind));
        let cases: Vec<(Error, &str, i32)> = vec![
            (
                Error::Invalid("«x» er ikke et filnavn".into()),
                "invalid",
                2,
            ),
            (
                Error::invalid_field("kode", "«» er ikke en gyldig enhetskode"),
                "invalid",
                2,
            ),
            (Error::Duplicate("enhet «2000»".into()), "duplicate", 2),
            (Error::BuiltIn("SF".into()), "built_in", 2),
            (Error::BuiltInMeasured("SF".into()), "built_in", 2),
            (Error::CommentNotFound(7), "not_found", 2),
            (Error::UnknownUnit("9999".into()), "unknown_unit", 2),
            (Error::UnknownIndicator("X".into()), "unknown_indicator", 2),
            (Error::LockedMonth("2026-03".into()), "locked_month", 2),
            (
                Error::Conflict("indikator «A»: kan ikke endre retning".into()),
                "conflict",
                2,
            ),
            (Error::NotEmpty, "conflict", 2),
            (Error::Corrupt("enhet «1»".into()), "damaged", 2),
            (Error::Render("kunne ikke lage PDF-filen".into()), "io", 2),
            (
                Error::NoDatabase {
                    path: "/x.db".into(),
                },
                "no_database",
                2,
            ),
            (
                Error::TargetExists {
                    path: "/x.db".into(),
                },
                "exists",
                2,
            ),
            (
                Error::Database(sqlite(rusqlite::ffi::SQLITE_BUSY)),
                "busy",
                1,
            ),
            (
                Error::Database(sqlite(rusqlite::ffi::SQLITE_READONLY)),
                "read_only",
                1,
            ),
            (
                Error::Database(sqlite(rusqlite::ffi::SQLITE_FULL)),
                "disk_full",
                1,
            ),
            (
                Error::Database(sqlite(rusqlite::ffi::SQLITE_CORRUPT)),
                "damaged",
                1,
            ),
            (
                Error::Database(sqlite(rusqlite::ffi::SQLITE_PERM)),
                "access_denied",
                1,
            ),
            (
                Error::Database(sqlite(rusqlite::ffi::SQLITE_IOERR)),
                "database",
                1,
            ),
            (
                Error::ReadOnly {
                    path: "/x.db".into(),
                },
                "read_only",
                1,
            ),
            (
                Error::Damaged {
                    path: "/x.db".into(),
                    problems: 2,
                },
                "damaged",
                1,
            ),
            (io(IoKind::NotFound), "io", 1),
            (io(IoKind::PermissionDenied), "access_denied", 1),
        ];
        for (error, kind, code) in cases {
            assert_eq!((error.kind(), error.exit_code()), (kind, code), "{error:?}");
            assert_eq!(error.to_ipc().kind, kind);
        }
    }

    #[test]
    fn the_fixed_messages_are_worded_here() {
        assert_eq!(
            Error::Duplicate("mål SF / 2000 / 2026".into()).to_string(),
            "mål SF / 2000 / 2026 står mer enn én gang"
        );
        assert_eq!(
            Error::BuiltIn("SF".into()).to_string(),
            "«SF» er en innebygd indikator og kan ikke endres"
        );
        assert_eq!(
            Error::CommentNotFound(12).to_string(),
            "fant ingen kommentar med nummer 12"
        );
        assert_eq!(
            Error::Corrupt("innstillingen min_employees er «x»".into()).to_string(),
            "databasen er skadet: innstillingen min_employees er «x»; kjør «malkart check»"
        );
    }

    #[test]
    fn a_refused_field_is_named() {
        let e = Error::invalid_field("rødgrense", "mål SF / 2000 / 2026: …");
        assert_eq!(e.field(), Some("rødgrense"));
        assert_eq!(e.to_string(), "mål SF / 2000 / 2026: …");
        assert_eq!(Error::Invalid("x".into()).field(), None);
    }
}
