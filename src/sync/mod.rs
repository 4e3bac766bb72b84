//! The desktop side of a shared municipality (sharing.md §1–5): a replica per server,
//! `servers/<name>/replica.db` under the app's data folder, kept in step with the server.
//!
//! - `connect` logs in, makes a new replica and fills it with a first pull;
//! - `sync` pushes the outbox (every local write since the last push, one operation per
//!   cell, resent unchanged until answered) and then pulls every change after the
//!   replica's watermark, applied in one local transaction;
//! - `status` says, without the network, when the replica last reached its server;
//! - `publish` moves a single-user database onto an empty server, after which that file is
//!   a replica of it.
//!
//! The session token is kept in `servers/<name>/replica.db.token`, readable only by the user (mode
//! 0600); the password is never stored (docs/security.md).

mod http;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::storage::{ReplicaInfo, Store};
use serde::Serialize;
use ts_rs::TS;

pub use http::{Client, Me};

/// Why a sync did not happen; every message a Norwegian sentence.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The server could not be reached or its answer was cut off: the replica is as it was.
    #[error("Frakoblet: {0}")]
    Offline(String),
    /// The session is gone (expired, revoked, or never made on this machine).
    #[error("Innloggingen gjelder ikke lenger ({0}); logg inn på nytt med «Koble til server» eller «malkart connect»")]
    Unauthenticated(String),
    #[error("{message}")]
    Refused {
        status: u16,
        kind: String,
        message: String,
    },
    #[error("{0}")]
    Protocol(String),
    #[error("{0}")]
    NotReplica(String),
    #[error(transparent)]
    Core(#[from] crate::Error),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Error {
    /// The server could not be reached: the app shows «Frakoblet» and tries again later.
    pub fn is_offline(&self) -> bool {
        matches!(self, Error::Offline(_))
    }

    fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// For the command line: a refusal exits with 2 (nothing changed), a server that could not
/// be reached with 1.
impl From<Error> for crate::Error {
    fn from(e: Error) -> crate::Error {
        match e {
            Error::Core(core) => core,
            Error::Offline(_) | Error::Io { .. } => crate::Error::Remote(e.to_string()),
            other => crate::Error::Invalid(other.to_string()),
        }
    }
}

/// A server this desktop is connected to.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ServerEntry {
    /// The folder name: the host, and the port when one is given (`kommune.no_8443`).
    pub name: String,
    pub url: String,
    pub user: String,
    #[ts(type = "string")]
    pub replica: PathBuf,
}

/// Where the replica stands, read from the file alone (no network).
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SyncStatus {
    pub server_url: String,
    pub user: String,
    pub role: String,
    /// The last time a pull reached the server (RFC 3339).
    pub last_sync_at: Option<String>,
    /// The last attempt failed: the app shows «Frakoblet — viser data fra …».
    pub offline: bool,
    pub last_error: Option<String>,
    /// Local changes not yet answered by the server.
    pub pending: u64,
    /// Changes the server answered with a conflict or a refusal (issue 14 shows them).
    pub conflicts: u64,
}

/// What one sync did.
#[derive(Clone, Debug, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SyncReport {
    pub pushed: u64,
    pub applied: u64,
    pub conflicts: u64,
    pub refused: u64,
    /// Conflicts resolved with «Bruk deres» reported to the server's audit log.
    pub resolutions: u64,
    pub pulled_rows: u64,
    pub at: String,
    /// Pulled before pushing: edits waited and the last pull was long ago (`PULL_FIRST_AFTER_MINUTES`).
    pub pulled_first: bool,
    /// Then: the cells of the waiting edits the server changed meanwhile, in words
    /// («sykefravær 2100 2026-03 egenmeldt»); each is answered as a conflict by the push.
    pub changed_underneath: Vec<String>,
}

/// A desktop whose last pull is older than this, with edits waiting, pulls before it
/// pushes and says what changed underneath them (docs/decisions.md "Pull before push").
/// The app pulls every minute while online, so ten minutes without one means it was
/// offline.
pub const PULL_FIRST_AFTER_MINUTES: i64 = 10;

/// Whether a desktop last synced at `last` (RFC 3339; `None`: never) has been away so long,
/// at `now`, that it pulls before it pushes.
pub fn pulls_first(last: Option<&str>, now: chrono::DateTime<chrono::FixedOffset>) -> bool {
    match last.and_then(|l| chrono::DateTime::parse_from_rfc3339(l).ok()) {
        Some(last) => now - last > chrono::Duration::minutes(PULL_FIRST_AFTER_MINUTES),
        None => true,
    }
}

/// Operations per push request.
const PUSH_BATCH: usize = 5_000;

/// The folder of every server's replica: `<app data>/servers`.
pub fn servers_dir() -> Result<PathBuf> {
    crate::storage::app_data_dir()
        .map(|d| d.join("servers"))
        .ok_or_else(|| {
            Error::NotReplica("fant ingen datamappe for brukeren (HOME er ikke satt)".into())
        })
}

/// The folder name of a server: host, and port when given (`127.0.0.1_8443`).
pub fn server_name(url: &str) -> Result<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| {
            Error::Protocol(format!(
                "«{url}» er ikke en serveradresse; skriv den som https://malkart.kommune.no"
            ))
        })?;
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() {
        return Err(Error::Protocol(format!("«{url}» mangler et vertsnavn")));
    }
    Ok(host
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect())
}

/// The replica of the server named `name` (its folder under `servers_dir`).
pub fn replica_of(name: &str) -> Result<PathBuf> {
    let path = servers_dir()?.join(name).join("replica.db");
    if !path.is_file() {
        return Err(Error::NotReplica(format!(
            "denne maskinen er ikke koblet til serveren «{name}»; koble til med «malkart connect URL --user NAVN»"
        )));
    }
    Ok(path)
}

/// Every server this desktop is connected to.
pub fn servers() -> Result<Vec<ServerEntry>> {
    let dir = servers_dir()?;
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(&dir) else {
        return Ok(out);
    };
    for entry in entries.flatten() {
        let replica = entry.path().join("replica.db");
        if !replica.is_file() {
            continue;
        }
        let Ok(store) = Store::open_existing(&replica) else {
            continue;
        };
        if let Ok(Some(info)) = store.replica() {
            out.push(ServerEntry {
                name: entry.file_name().to_string_lossy().into_owned(),
                url: info.server_url,
                user: info.user_name,
                replica,
            });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

fn now() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// This desktop's name in the server's audit log: the host name.
pub fn device() -> String {
    fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_else(|| "ukjent maskin".into())
}

/// `replica.db.token` beside the replica (a published file keeps its own beside it).
fn token_path(replica: &Path) -> PathBuf {
    let mut name = replica.file_name().unwrap_or_default().to_os_string();
    name.push(".token");
    replica.with_file_name(name)
}

fn save_token(replica: &Path, token: &str) -> Result<()> {
    let path = token_path(replica);
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&path).map_err(|e| Error::io(&path, e))?;
    file.write_all(token.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::io(&path, e))
}

fn read_token(replica: &Path) -> Option<String> {
    fs::read_to_string(token_path(replica))
        .ok()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

/// Logs in to `url` and makes (or, when this desktop was connected before, logs in again
/// to) the replica `servers/<name>/replica.db`, then syncs it.
pub fn connect(url: &str, user: &str, password: &str) -> Result<(ServerEntry, SyncReport)> {
    let name = server_name(url)?;
    let replica = servers_dir()?.join(&name).join("replica.db");
    connect_at(url, user, password, &replica).map(|report| {
        (
            ServerEntry {
                name,
                url: url.to_string(),
                user: user.to_string(),
                replica: replica.clone(),
            },
            report,
        )
    })
}

/// `connect` with the replica at a chosen path (tests, `malkart connect --replica FILE`).
pub fn connect_at(url: &str, user: &str, password: &str, replica: &Path) -> Result<SyncReport> {
    let mut client = Client::new(url, None);
    let me = client.login(user, password, &device())?;
    if let Some(dir) = replica.parent() {
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let mut store = Store::open(replica)?;
    match store.replica()? {
        Some(info) if info.server_url == url.trim_end_matches('/') && info.user_name == me.name => {
            store.set_replica_user(&me.role, &me.units)?;
        }
        Some(info) => {
            return Err(Error::NotReplica(format!(
                "{} er allerede en kopi for {} på {}; koble fra den først",
                replica.display(),
                info.user_name,
                info.server_url
            )))
        }
        None if !store.is_empty()? => {
            return Err(Error::NotReplica(format!(
                "{} har allerede data; en kopi av en server lages i en ny fil (bruk «malkart publish» for å flytte data til serveren)",
                replica.display()
            )))
        }
        None => store.make_replica(&ReplicaInfo {
            server_url: url.trim_end_matches('/').to_string(),
            user_name: me.name.clone(),
            role: me.role.clone(),
            units: me.units.clone(),
            ..ReplicaInfo::default()
        })?,
    }
    save_token(replica, client.token().unwrap_or_default())?;
    sync_with(&mut store, &client)
}

/// Pushes the replica's outbox and pulls what changed, with the token saved at connect.
pub fn sync(replica: &Path) -> Result<SyncReport> {
    let mut store = Store::open_existing(replica)?;
    let info = store.replica()?.ok_or_else(|| {
        Error::NotReplica(format!(
            "{} er en lokal database, ikke en kopi av en server",
            replica.display()
        ))
    })?;
    let token = read_token(replica).ok_or_else(|| {
        Error::Unauthenticated(format!(
            "ingen innlogging på {} fra denne maskinen",
            info.server_url
        ))
    })?;
    let client = Client::new(&info.server_url, Some(token));
    sync_with(&mut store, &client)
}

fn sync_with(store: &mut Store, client: &Client) -> Result<SyncReport> {
    match push_and_pull(store, client) {
        Ok(report) => Ok(report),
        Err(e) => {
            // Remember why, so the app can say «Frakoblet — viser data fra 14:32».
            let _ = store.note_sync_failure(&now(), &e.to_string());
            Err(e)
        }
    }
}

fn push_and_pull(store: &mut Store, client: &Client) -> Result<SyncReport> {
    let device = device();
    let mut report = SyncReport::default();
    // Back after a long time away with edits waiting: pull first, so the replica shows
    // the server's figures around them and the user is told which of her edits the server
    // changed meanwhile (they come back as conflicts from the push below).
    let info = store.replica()?.unwrap_or_default();
    if store.outbox_counts()?.pending > 0
        && pulls_first(
            info.last_sync_at.as_deref(),
            chrono::Local::now().fixed_offset(),
        )
    {
        let body = client.pull(info.watermark.as_deref(), info.scope.as_deref())?;
        let summary = pull_into(store, client, body, &now())?;
        report.pulled_first = true;
        report.pulled_rows += summary.rows;
        report.changed_underneath = store.changed_underneath()?;
    }
    // Push: oldest first, until nothing unanswered is left (answered conflicts stay).
    let mut sent_before = std::collections::HashSet::new();
    loop {
        let ops = store.outbox_to_send(PUSH_BATCH)?;
        // An operation the server left unanswered twice is not sent a third time now.
        if ops.is_empty() || ops.iter().all(|o| sent_before.contains(&o.op_id)) {
            break;
        }
        sent_before.extend(ops.iter().map(|o| o.op_id.clone()));
        let answers = client.push(&device, &ops)?;
        let tally = store.record_push(&answers)?;
        report.pushed += ops.len() as u64;
        report.applied += tally.applied;
        report.conflicts += tally.conflicts;
        report.refused += tally.refused;
    }
    // «Bruk deres» changed nothing on the server; its audit log learns of it here.
    loop {
        let resolved = store.resolutions_to_report(PUSH_BATCH)?;
        if resolved.is_empty() {
            break;
        }
        let answers = match client.resolve(&device, &resolved) {
            Ok(answers) => answers,
            // A server from before the route: the resolutions wait for one that has it;
            // the pull still runs.
            Err(Error::Refused { status: 404, .. }) => break,
            Err(e) => return Err(e),
        };
        let ids: Vec<String> = answers.into_iter().map(|a| a.resolves).collect();
        if ids.is_empty() {
            break;
        }
        store.resolutions_reported(&ids)?;
        report.resolutions += ids.len() as u64;
    }
    let info = store.replica()?.unwrap_or_default();
    let body = client.pull(info.watermark.as_deref(), info.scope.as_deref())?;
    let at = now();
    let summary = pull_into(store, client, body, &at)?;
    report.pulled_rows += summary.rows;
    report.at = at;
    Ok(report)
}

/// Reads a pull answer on a thread of its own and writes its parts into the replica as
/// they come (one transaction): the server's sending, the parsing and SQLite's writing
/// overlap. A few chunks wait between the two at most, so a first pull of a large
/// municipality is never held in memory whole. If the answer is cut off, or cannot be
/// read, nothing of it is kept and the reading error is what the user is told; if the
/// replica cannot be written, the reading stops.
fn pull_into(
    store: &mut Store,
    client: &Client,
    body: impl std::io::Read + Send + 'static,
    at: &str,
) -> Result<crate::storage::PullSummary> {
    let (parts, received) = std::sync::mpsc::sync_channel(PULL_PARTS_WAITING);
    let reader = std::thread::spawn(move || {
        // Whether the writer stopped taking parts (then its error is the cause).
        let mut refused = false;
        let read = crate::storage::read_pull(body, &mut |part| {
            let taken = parts.send(part).is_ok();
            refused |= !taken;
            taken
        });
        (read, refused)
    });
    let written = store.apply_pull_parts(received, at);
    match (written, reader.join()) {
        (Ok(summary), _) => Ok(summary),
        // The answer was cut off or could not be read: that is what the user is told.
        (Err(_), Ok((Err(e), false))) => Err(client.unreadable(&e)),
        (Err(e), _) => Err(e.into()),
    }
}

/// Parts of a pull answer read ahead of the writer (each `storage::CHUNK_ROWS` rows).
const PULL_PARTS_WAITING: usize = 8;

/// The replica's state, from the file alone.
pub fn status(replica: &Path) -> Result<SyncStatus> {
    let store = Store::open_existing(replica)?;
    let info = store.replica()?.ok_or_else(|| {
        Error::NotReplica(format!(
            "{} er en lokal database, ikke en kopi av en server",
            replica.display()
        ))
    })?;
    let counts = store.outbox_counts()?;
    Ok(SyncStatus {
        server_url: info.server_url,
        user: info.user_name,
        role: info.role,
        last_sync_at: info.last_sync_at,
        offline: info.last_error.is_some(),
        last_error: info.last_error,
        pending: counts.pending,
        conflicts: counts.conflicts,
    })
}

/// Moves the single-user database `db` onto the empty server at `url` (sharing.md §5):
/// definitions, figures, targets, comments, locks and the audit history. Afterwards `db`
/// is a replica of the server, with the administrator's session. Answers the sync and
/// what stays in this file only: survey results and reference values, which sharing does
/// not carry yet (docs/decisions.md, surveys). A target relative to a reference series is
/// refused before anything is sent: the server would hold it as a number.
pub fn publish(
    url: &str,
    user: &str,
    password: &str,
    db: &Path,
) -> Result<(SyncReport, crate::storage::LocalOnly)> {
    let mut store = Store::open_existing(db)?;
    if let Some(info) = store.replica()? {
        return Err(Error::NotReplica(format!(
            "{} er allerede en kopi av {}; bare en lokal database kan publiseres",
            db.display(),
            info.server_url
        )));
    }
    let local = store.local_only()?;
    if local.relative_targets > 0 {
        return Err(Error::Core(crate::Error::Invalid(format!(
            "{} mål følger en referanseserie (≥ landet), og det kan ennå ikke deles med \
             Målkart-serveren; sett et tall som mål før du publiserer",
            local.relative_targets
        ))));
    }
    let mut client = Client::new(url, None);
    let me = client.login(user, password, &device())?;
    if me.role != "administrator" {
        return Err(Error::Refused {
            status: 403,
            kind: "forbidden".into(),
            message: format!(
                "bare en administrator kan publisere en database; {} er {}",
                me.name, me.role
            ),
        });
    }
    let mut body = store.publish_snapshot()?;
    body["device"] = serde_json::Value::String(device());
    client.publish(&body)?;
    store.make_replica(&ReplicaInfo {
        server_url: url.trim_end_matches('/').to_string(),
        user_name: me.name,
        role: me.role,
        units: me.units,
        ..ReplicaInfo::default()
    })?;
    save_token(db, client.token().unwrap_or_default())?;
    Ok((sync_with(&mut store, &client)?, local))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_desktop_away_more_than_ten_minutes_pulls_first() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-15T14:32:00+01:00").unwrap();
        // 14:22:00 is exactly ten minutes before: not yet; 14:21:59 is more.
        assert!(!pulls_first(Some("2026-11-15T14:22:00+01:00"), now));
        assert!(pulls_first(Some("2026-11-15T14:21:59+01:00"), now));
        // The same moment in another offset: 13:25 UTC is 14:25 here, seven minutes ago.
        assert!(!pulls_first(Some("2026-11-15T13:25:00+00:00"), now));
        // Weeks away, never synced, or a time that cannot be read: pull first.
        assert!(pulls_first(Some("2026-10-20T09:00:00+02:00"), now));
        assert!(pulls_first(None, now));
        assert!(pulls_first(Some("i går"), now));
    }

    #[test]
    fn a_server_is_named_by_host_and_port() {
        assert_eq!(
            server_name("https://malkart.sjovik.kommune.no").unwrap(),
            "malkart.sjovik.kommune.no"
        );
        assert_eq!(
            server_name("http://127.0.0.1:8443/").unwrap(),
            "127.0.0.1_8443"
        );
        let e = server_name("malkart.no").unwrap_err().to_string();
        assert!(e.contains("https://"), "{e}");
    }

    #[test]
    fn a_relative_target_is_refused_before_anything_is_sent() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("lokal.db");
        let mut store = Store::open(&db).unwrap();
        let through = crate::period::Month::new(2026, 10).unwrap();
        crate::service::admin::load_demo(&mut store, crate::demo::DemoSize::Small, through)
            .unwrap();
        let input = crate::service::admin::TargetInput {
            indicator: "TF-1".into(),
            unit: None,
            year: 2026,
            target: "≥ Landet".into(),
            red_limit: String::new(),
        };
        crate::service::admin::set_target(&mut store, &input).unwrap();
        let counts = store.local_only().unwrap();
        assert_eq!(counts.relative_targets, 1);
        assert!(counts.survey_results > 0 && counts.reference_values > 0);
        drop(store);
        // No server listens on port 9: the refusal comes before any connection.
        let e = publish("http://127.0.0.1:9", "ada", "pw", &db).unwrap_err();
        assert!(matches!(e, Error::Core(crate::Error::Invalid(_))), "{e:?}");
        assert!(
            e.to_string().contains("1 mål følger en referanseserie"),
            "{e}"
        );
        assert!(Store::open_existing(&db)
            .unwrap()
            .replica()
            .unwrap()
            .is_none());
    }

    #[test]
    fn the_token_file_is_readable_only_by_the_user() {
        let dir = tempfile::tempdir().unwrap();
        let replica = dir.path().join("replica.db");
        save_token(&replica, "abc").unwrap();
        assert_eq!(read_token(&replica).as_deref(), Some("abc"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(token_path(&replica))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
