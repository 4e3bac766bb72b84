//! Backups: a consistent copy of the open database (SQLite's online backup API), the
//! integrity check, and restoring a verified copy in place of the database — the old file
//! is moved aside, never deleted, and nothing is replaced unless the copy passes.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};

use super::migrate::{self, SUPPORTED_VERSION};
use super::CheckReport;

/// Copies `src` into a new database file at `dest`, page by page, while others may write.
pub fn copy_database(src: &Connection, dest: &Path) -> Result<()> {
    let mut dst = Connection::open(dest)?;
    dst.busy_timeout(Duration::from_secs(5))?;
    Backup::new(src, &mut dst)?.run_to_completion(4096, Duration::from_millis(5), None)?;
    // The copy carries the source's WAL flag; a rollback journal makes it one self-contained
    // file that opens read-only without leaving -wal and -shm files beside it.
    let _mode: String = dst.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    drop(dst);
    File::open(dest)
        .and_then(|f| f.sync_all())
        .map_err(|e| Error::io(dest, e))?;
    Ok(())
}

pub fn backup_to(conn: &Connection, dest: &Path) -> Result<()> {
    if let Some(own) = conn.path().filter(|p| !p.is_empty()) {
        let same = match (fs::canonicalize(own), fs::canonicalize(dest)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        };
        if same {
            return Err(Error::Invalid(format!(
                "sikkerhetskopien kan ikke skrives over selve databasen ({})",
                dest.display()
            )));
        }
    }
    copy_database(conn, dest)
}

fn integrity(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

fn foreign_key_problems(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = stmt.query_map([], |r| {
        let table: String = r.get(0)?;
        let rowid: Option<i64> = r.get(1)?;
        let parent: String = r.get(2)?;
        Ok(match rowid {
            Some(rowid) => {
                format!("tabellen {table}, rad {rowid}: viser til noe som mangler i {parent}")
            }
            None => format!("tabellen {table}: en rad viser til noe som mangler i {parent}"),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn check(conn: &Connection) -> Result<CheckReport> {
    let mut report = integrity(conn)?;
    let fk = foreign_key_problems(conn)?;
    let schema_version = migrate::schema_version(conn)?;
    let ok = report == ["ok"] && fk.is_empty() && schema_version == SUPPORTED_VERSION;
    report.extend(fk);
    Ok(CheckReport {
        ok,
        integrity: report,
        schema_version,
        supported_version: SUPPORTED_VERSION,
    })
}

fn refused(backup: &Path, why: &str) -> Error {
    Error::Invalid(format!(
        "«{}» kan ikke gjenopprettes: {why}; databasen er ikke endret",
        backup.display()
    ))
}

/// The tables a Målkart database of any version has.
const REQUIRED_TABLES: [&str; 4] = ["units", "indicators", "measurements", "audit"];

/// Opens the copy read-only and checks it: a SQLite file, intact, of a schema we know, with
/// our tables.
fn verify(backup: &Path) -> Result<Connection> {
    if !backup.is_file() {
        return Err(refused(backup, "filen finnes ikke"));
    }
    let conn = Connection::open_with_flags(backup, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| refused(backup, &format!("filen kan ikke åpnes ({e})")))?;
    let not_ours =
        |e: rusqlite::Error| refused(backup, &format!("filen er ikke en Målkart-database ({e})"));
    let problems = integrity(&conn).map_err(|e| match e {
        Error::Database(e) => not_ours(e),
        other => other,
    })?;
    if problems != ["ok"] {
        return Err(refused(
            backup,
            &format!("filen er skadet ({})", problems.join("; ")),
        ));
    }
    let version = migrate::schema_version(&conn)?;
    if version > SUPPORTED_VERSION {
        return Err(refused(
            backup,
            &format!(
                "den er laget av en nyere versjon av Målkart (skjema {version}, denne versjonen \
                 kjenner til {SUPPORTED_VERSION})"
            ),
        ));
    }
    if version < 1 {
        return Err(refused(
            backup,
            "filen er ikke en Målkart-database (skjemaversjon 0)",
        ));
    }
    for table in REQUIRED_TABLES {
        let found: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
            [table],
            |r| r.get(0),
        )?;
        if !found {
            return Err(refused(
                backup,
                &format!("filen er ikke en Målkart-database (mangler tabellen {table})"),
            ));
        }
    }
    Ok(conn)
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

fn rename(from: &Path, to: &Path) -> Result<()> {
    fs::rename(from, to).map_err(|e| Error::io(from, e))
}

pub fn restore(db_path: &Path, backup: &Path) -> Result<Option<PathBuf>> {
    let src = verify(backup)?;
    let dir = match db_path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) => dir.to_path_buf(),
        None => PathBuf::from("."),
    };
    fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;

    // The copy goes to a temporary file beside the database first, so that the final step is
    // one rename on the same file system.
    let tmp = sibling(db_path, &format!(".gjenoppretting-{}", std::process::id()));
    let _ = fs::remove_file(&tmp);
    if let Err(e) = copy_database(&src, &tmp) {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    drop(src);

    let kept = if db_path.exists() {
        // Fold the WAL into the main file, so that the kept file is whole on its own.
        if let Ok(conn) = Connection::open(db_path) {
            let _ = conn.busy_timeout(Duration::from_secs(5));
            let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        }
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S").to_string();
        let mut kept = sibling(db_path, &format!(".før-gjenoppretting-{stamp}"));
        let mut n = 2;
        while kept.exists() {
            kept = sibling(db_path, &format!(".før-gjenoppretting-{stamp}-{n}"));
            n += 1;
        }
        if let Err(e) = rename(db_path, &kept) {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
        for suffix in ["-wal", "-shm"] {
            let side = sibling(db_path, suffix);
            if side.exists() {
                rename(&side, &sibling(&kept, suffix))?;
            }
        }
        Some(kept)
    } else {
        None
    };
    rename(&tmp, db_path)?;
    // Make the renames durable; not every platform can open a directory, which is harmless.
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(kept)
}
