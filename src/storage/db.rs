//! Opening a database: where it lives, the connection settings every connection gets
//! (WAL, foreign keys, `synchronous=FULL`, busy timeout, a statement cache), the write
//! transaction every change goes through, and the clock and user name written beside it.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::error::{Error, Result};

/// The folder under the OS data directory, shared by the CLI and the desktop app.
pub const APP_DIR: &str = "no.malkart.app";
pub const DB_FILE: &str = "malkart.db";
pub const ENV_DB: &str = "MALKART_DB";

const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

pub fn resolve_path(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(path) = explicit {
        return Ok(path.to_path_buf());
    }
    if let Some(path) = std::env::var_os(ENV_DB).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    let base = dirs::data_dir().ok_or_else(|| {
        Error::Invalid(format!(
            "fant ikke datamappen til operativsystemet; oppgi databasen med --db FIL eller \
             miljøvariabelen {ENV_DB}"
        ))
    })?;
    Ok(base.join(APP_DIR).join(DB_FILE))
}

/// Opens (creating) the file without changing it: no pragma that writes is run here, so a
/// database that turns out to be too new is left exactly as it was.
pub fn connect(path: &Path) -> Result<Connection> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    Ok(conn)
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
    conn.busy_timeout(BUSY_TIMEOUT)?;
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
