//! The server's one error type. Messages are Norwegian and say what to do; `kind()` is the
//! `kind` of an HTTP error body (`{ kind, message }`), `exit_code()` the CLI's (2: the
//! input was refused and nothing changed; 1: anything else), as the core's `malkart::Error`.

/// A `Result` with the server's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The config file is missing, unreadable or wrong (path, line and field in the text).
    #[error("{0}")]
    Config(String),
    /// Refused input from the command line or a request; nothing was changed.
    #[error("{0}")]
    Invalid(String),
    #[error("fant ikke brukeren «{0}»")]
    UnknownUser(String),
    /// Something asked for that does not exist (an address of the API).
    #[error("{0}")]
    NotFound(String),
    #[error(
        "databasen er laget av en nyere versjon av Målkart-serveren (skjema {found}, denne \
         versjonen kjenner til {supported}); den er ikke endret"
    )]
    NewerSchema { found: i64, supported: i64 },
    #[error(
        "databasen har skjema {found}, men denne versjonen av serveren trenger {supported}; \
         kjør «malkart-server init --config FIL» først"
    )]
    OlderSchema { found: i64, supported: i64 },
    #[error("migrering {version} av databasen feilet, ingenting er endret: {message}")]
    Migration { version: i64, message: String },
    /// Wrong user name or password (the same words for both: a name is not revealed).
    #[error("feil brukernavn eller passord")]
    BadLogin,
    #[error("for mange feil passord for «{user}» på rad; prøv igjen om {seconds} sekunder")]
    Throttled { user: String, seconds: i64 },
    /// The caller's role may not do this (the text says what and who may).
    #[error("{0}")]
    Forbidden(String),
    /// The server holds data already, and the request needs an empty one (publish).
    #[error("{0}")]
    NotEmpty(String),
    #[error("brukeren «{0}» er deaktivert; kontakt en administrator")]
    Disabled(String),
    /// No token, an unknown, expired or revoked one; the text says which.
    #[error("{0}")]
    Unauthenticated(String),
    /// The database could not be reached (the text says which and why).
    #[error("{0}")]
    Unavailable(String),
    #[error("databasefeil: {}", database_words(.0))]
    Database(#[from] tokio_postgres::Error),
    #[error("{0}")]
    Io(String),
    #[error("intern feil: {0}")]
    Internal(String),
}

impl Error {
    /// The `kind` of an HTTP error body, for a client to act on.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Config(_) => "config",
            Error::Invalid(_) => "invalid",
            Error::UnknownUser(_) | Error::NotFound(_) => "not_found",
            Error::NewerSchema { .. } => "newer_schema",
            Error::OlderSchema { .. } => "older_schema",
            Error::Migration { .. } => "migration",
            Error::BadLogin => "bad_login",
            Error::Throttled { .. } => "throttled",
            Error::Disabled(_) => "disabled",
            Error::Forbidden(_) => "forbidden",
            Error::NotEmpty(_) => "not_empty",
            Error::Unauthenticated(_) => "unauthenticated",
            Error::Unavailable(_) => "unavailable",
            Error::Database(_) => "database",
            Error::Io(_) => "io",
            Error::Internal(_) => "internal",
        }
    }

    /// The command line's exit code: 2 when the input was refused (nothing changed).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Config(_) | Error::Invalid(_) | Error::UnknownUser(_) => 2,
            _ => 1,
        }
    }

    /// A pool error in words (the pool's own are English and name no database).
    pub fn pool(e: deadpool_postgres::PoolError) -> Error {
        match e {
            deadpool_postgres::PoolError::Backend(e) => unavailable(&e),
            other => Error::Unavailable(format!("fikk ingen forbindelse til databasen: {other}")),
        }
    }
}

/// A connection that failed, in words: where, and PostgreSQL's own reason.
pub fn unavailable(e: &tokio_postgres::Error) -> Error {
    let reason = match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => e.to_string(),
    };
    Error::Unavailable(format!(
        "kunne ikke koble til PostgreSQL ({reason}); sjekk [database] i konfigurasjonsfilen \
         og at databasen kjører"
    ))
}

/// PostgreSQL's own message (with its detail), without the driver's wrapping.
fn database_words(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{} ({detail})", db.message()),
            None => db.message().to_string(),
        },
        None if e.is_closed() => "forbindelsen til PostgreSQL ble brutt".to_string(),
        None => e.to_string(),
    }
}
