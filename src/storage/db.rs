//! Opening a database: where it lives, the connection settings every connection gets
//! (WAL, foreign keys, `synchronous=FULL`, busy timeout, a statement cache), read-only
//! connections that leave no `-wal`/`-shm` behind, the write transaction every change goes
//! through, and the clock and user name written beside it.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::error::{Error, Result};

/// The folder under the OS data directory, shared by the CLI and the desktop app.
pub const APP_DIR: &str = "no.malkart.app";
pub const DB_FILE: &str = "malkart.db";
pub const ENV_DB: &str = "MALKART_DB";
/// How long to wait for another writer, in milliseconds (default 5 000); for batch jobs
/// that would rather wait longer, and for tests that hold the write lock on purpose.
pub const ENV_BUSY_TIMEOUT: &str = "MALKART_BUSY_TIMEOUT_MS";

const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The busy timeout: `MALKART_BUSY_TIMEOUT_MS` when it is a number, else 5 s.
pub fn busy_timeout() -> Duration {
    std::env::var(ENV_BUSY_TIMEOUT)
        .ok()
        .and_then(|ms| ms.trim().parse::<u64>().ok())
        .map_or(BUSY_TIMEOUT, Duration::from_millis)
}

pub fn resolve_path(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(path) = explicit {
        return Ok(path.to_path_buf());
    }
    if let Some(path) = std::env::var_os(ENV_DB).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    let base = app_data_dir().ok_or_else(|| {
        Error::Invalid(format!(
            "fant ikke datamappen til operativsystemet; oppgi databasen med --db FIL eller \
             miljøvariabelen {ENV_DB}"
        ))
    })?;
    Ok(base.join(DB_FILE))
}

/// Målkart's folder in the OS data directory (`$XDG_DATA_HOME/no.malkart.app` on Linux),
/// where the database lives unless `--db` or `MALKART_DB` say otherwise.
pub fn app_data_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|base| base.join(APP_DIR))
}

/// Opens (creating, with its folders) the file without changing it: no pragma that writes
/// is run here, so a database that turns out to be too new is left exactly as it was.
pub fn connect(path: &Path) -> Result<Connection> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(|e| Error::io_write(parent, e))?;
    }
    let conn = Connection::open(path).map_err(|e| Error::from(e).at(path))?;
    conn.busy_timeout(busy_timeout())?;
    Ok(conn)
}

/// Whether this process may write the existing file at `path` (opening it for writing
/// changes nothing). A read-only file, folder-less mount or disk answers `false`.
pub fn writable(path: &Path) -> bool {
    match fs::OpenOptions::new().read(true).write(true).open(path) {
        Ok(_) => true,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
        ),
    }
}

/// A read-only connection to an existing file that leaves nothing beside it. A reader of a
/// WAL database creates `-wal` and `-shm` files and, unable to write, never removes them;
/// so a WAL database that no one has open (no `-wal` beside it: the last connection
/// removes it) is opened `immutable`, reading the main file alone, which then holds every
/// committed change.
pub fn open_read_only(path: &Path) -> Result<Connection> {
    let at = |e: rusqlite::Error| Error::from(e).at(path);
    let wal_header = fs::File::open(path)
        .and_then(|mut f| {
            use std::io::Read;
            let mut header = [0u8; 20];
            f.read_exact(&mut header).map(|()| header)
        })
        // Bytes 18 and 19 of the header are 2 for a WAL database.
        .is_ok_and(|h| h.starts_with(b"SQLite format 3\0") && h[18] == 2 && h[19] == 2);
    let nobody_has_it_open = !sibling(path, "-wal").exists();
    let conn = if wal_header && nobody_has_it_open {
        Connection::open_with_flags(
            format!("file:{}?immutable=1", uri_path(path)),
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(at)?
    } else {
        Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(at)?
    };
    conn.busy_timeout(busy_timeout())?;
    Ok(conn)
}

/// `path` with `suffix` added to its file name (`malkart.db` + `-wal`).
pub fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

/// A path as the path part of a SQLite URI: every byte but the unreserved ones and `/`
/// percent-encoded (`?`, `#`, `%` and spaces would otherwise end or change it).
fn uri_path(path: &Path) -> String {
    #[cfg(unix)]
    let bytes: Vec<u8> = {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes().to_vec()
    };
    #[cfg(not(unix))]
    let bytes: Vec<u8> = {
        let text = path.to_string_lossy().replace('\\', "/");
        // `C:/x` becomes `/C:/x`, as SQLite expects of a drive letter.
        if text.as_bytes().get(1) == Some(&b':') {
            format!("/{text}").into_bytes()
        } else {
            text.into_bytes()
        }
    };
    let mut out = String::with_capacity(bytes.len());
    for b in bytes {
        if b.is_ascii_alphanumeric() || b"-._~/:".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The settings of every connection we use for work.
pub fn configure(conn: &Connection) -> Result<()> {
    // Only a new, still empty file takes a page size (WAL fixes it afterwards). 16 KiB pages
    // make bulk imports of a million rows measurably cheaper than the default 4 KiB.
    conn.pragma_update(None, "page_size", 16_384)?;
    // An in-memory database answers `memory`; a file answers `wal`.
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    // 64 MiB of page cache, so that a bulk import of a million rows does not spill
    // half-written pages to the WAL before it commits.
    conn.pragma_update(None, "cache_size", -65_536)?;
    conn.busy_timeout(busy_timeout())?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

/// The settings of a read-only connection: no journal mode is changed (that would write).
pub fn configure_read_only(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "cache_size", -65_536)?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

/// Begins the write transaction every change goes through: IMMEDIATE, so that two writers
/// wait for each other (up to the busy timeout) instead of failing halfway.
pub fn begin_write(conn: &mut Connection) -> Result<Transaction<'_>> {
    Ok(conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
}

/// Commits a write transaction, bumping the revision that caches compare; with `dry_run`
/// rolls it back instead.
pub fn finish_write(tx: Transaction<'_>, dry_run: bool) -> Result<()> {
    if dry_run {
        tx.rollback()?;
    } else {
        // In a replica, the rows this transaction changed become outbox operations in it.
        super::replica::collect(&tx)?;
        tx.prepare_cached("UPDATE meta SET revision = revision + 1 WHERE id = 1")?
            .execute([])?;
        tx.commit()?;
    }
    Ok(())
}

pub fn revision(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT revision FROM meta WHERE id = 1")?
        .query_row([], |r| r.get(0))?)
}

/// Now, RFC 3339 in local time with its offset: `2026-03-14T09:30:00+01:00`.
pub fn now() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// The OS user name (`USER`, `LOGNAME`, `USERNAME`, else the process's own user in
/// `/etc/passwd`), else `ukjent`.
pub fn default_user() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .map(|name| name.trim().to_string())
        .find(|name| !name.is_empty())
        .or_else(passwd_name)
        .unwrap_or_else(|| "ukjent".to_string())
}

/// The login name of the process's real user, for a process started without `USER` in its
/// environment (a desktop launcher, a test driver): the `Uid:` of `/proc/self/status`
/// looked up in `/etc/passwd`.
#[cfg(target_os = "linux")]
fn passwd_name() -> Option<String> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let uid = status
        .lines()
        .find_map(|line| line.strip_prefix("Uid:"))?
        .split_whitespace()
        .next()?
        .to_string();
    let passwd = fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        let _password = fields.next()?;
        (fields.next()? == uid && !name.is_empty()).then(|| name.to_string())
    })
}

#[cfg(not(target_os = "linux"))]
fn passwd_name() -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    #[cfg(target_os = "linux")]
    #[test]
    fn the_process_user_is_found_without_user_in_the_environment() {
        // Whoever runs the tests has an entry in /etc/passwd (root in CI).
        let name = super::passwd_name();
        assert!(name.as_deref().is_some_and(|n| !n.is_empty()), "{name:?}");
    }
}
