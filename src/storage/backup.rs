//! Backups: a consistent copy of the open database (SQLite's online backup API), the
//! integrity check, and restoring a verified copy in place of the database — the old file
//! is moved aside, never deleted, and nothing is replaced unless the copy passes.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};

use super::db::{self, sibling};
use super::migrate::{self, SUPPORTED_VERSION};
use super::tempfiles::{self, Purpose};
use super::CheckReport;

/// Copies `src` into a new database file at `dest`, page by page, while others may write.
/// A SQLite error names no file: the caller names the one the user knows.
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
        .map_err(|e| Error::io_write(dest, e))?;
    Ok(())
}

/// Backs the open database up to `dest`: refused when `dest` exists unless `overwrite`
/// (then the old file is kept beside it, and its path returned), written to a temporary
/// file in `dest`'s folder, checked for integrity, and only then renamed into place.
/// Whatever fails, no partial copy is left.
pub fn backup_to(conn: &Connection, dest: &Path, overwrite: bool) -> Result<Option<PathBuf>> {
    let own = conn.path().filter(|p| !p.is_empty()).map(PathBuf::from);
    if let Some(own) = &own {
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
    if dest.file_name().is_none() || dest.is_dir() {
        return Err(Error::io_write(
            dest,
            std::io::Error::from(std::io::ErrorKind::IsADirectory),
        ));
    }
    let exists = fs::symlink_metadata(dest).is_ok();
    if exists && !overwrite {
        return Err(Error::TargetExists {
            path: dest.to_path_buf(),
        });
    }
    let dir = tempfiles::folder_of(dest);
    if !dir.is_dir() {
        return Err(Error::io_write(
            dest,
            std::io::Error::from(std::io::ErrorKind::NotFound),
        ));
    }
    tempfiles::remove_stale(&dir, None);
    let temp = tempfiles::path_for(dest, Purpose::Backup);
    tempfiles::remove(&temp);
    let source = own.unwrap_or_else(|| PathBuf::from(":memory:"));
    let written = copy_database(conn, &temp)
        .map_err(|e| damaged_source(e, &source).at(dest))
        .and_then(|()| verify_copy(&temp, &source).map_err(|e| e.at(dest)));
    if let Err(e) = written {
        tempfiles::remove(&temp);
        return Err(e);
    }
    let kept = if exists {
        let kept = free_name(dest, "før-overskriving");
        if let Err(e) = rename(dest, &kept) {
            tempfiles::remove(&temp);
            return Err(e);
        }
        Some(kept)
    } else {
        None
    };
    if let Err(e) = rename(&temp, dest) {
        if let Some(kept) = &kept {
            let _ = fs::rename(kept, dest);
        }
        tempfiles::remove(&temp);
        return Err(e);
    }
    sync_dir(&dir);
    Ok(kept)
}

/// A copy that failed because the source could not be read is a damaged source.
fn damaged_source(e: Error, source: &Path) -> Error {
    let corrupt = matches!(
        &e,
        Error::Database(db) | Error::DatabaseAt { source: db, .. }
            if matches!(
                db.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
            )
    );
    if corrupt {
        Error::Damaged {
            path: source.to_path_buf(),
            problems: 1,
        }
    } else {
        e
    }
}

/// The integrity check of a fresh copy: the pages were copied as they are, so a damaged
/// source shows here.
fn verify_copy(copy: &Path, source: &Path) -> Result<()> {
    let conn = Connection::open_with_flags(copy, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let damaged = |problems: usize| Error::Damaged {
        path: source.to_path_buf(),
        problems,
    };
    match integrity(&conn) {
        Ok(lines) if lines == ["ok"] => Ok(()),
        Ok(lines) => Err(damaged(lines.len())),
        Err(Error::Database(e))
            if matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
            ) =>
        {
            Err(damaged(1))
        }
        Err(e) => Err(e),
    }
}

/// `path.<what>-<time>`, numbered when that exists already.
fn free_name(path: &Path, what: &str) -> PathBuf {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S").to_string();
    let mut name = sibling(path, &format!(".{what}-{stamp}"));
    let mut n = 2;
    while fs::symlink_metadata(&name).is_ok() {
        name = sibling(path, &format!(".{what}-{stamp}-{n}"));
        n += 1;
    }
    name
}

/// Makes renames in `dir` durable; not every platform can open a directory, which is
/// harmless.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
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
    let conn = db::open_read_only(backup)
        .map_err(|e| refused(backup, &format!("filen kan ikke åpnes ({e})")))?;
    let not_ours = |e: rusqlite::Error| {
        refused(
            backup,
            &format!("filen er ikke en Målkart-database ({})", Error::from(e)),
        )
    };
    let problems = integrity(&conn).map_err(|e| match e {
        Error::Database(e) => not_ours(e),
        other => other,
    })?;
    if problems != ["ok"] {
        return Err(refused(
            backup,
            &format!(
                "filen er skadet (integritetskontrollen fant {} feil)",
                problems.len()
            ),
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

fn rename(from: &Path, to: &Path) -> Result<()> {
    fs::rename(from, to).map_err(|e| Error::io_write(to, e))
}

/// Moves the database at `db_path` (with its `-wal` and `-shm`) aside to a free name beside
/// it, `<name>.<what>-<tid>`, and returns that name; `None` when there is no file. The WAL
/// is folded into the main file first when SQLite can, so the kept file is whole on its own.
pub fn set_aside(db_path: &Path, what: &str) -> Result<Option<PathBuf>> {
    if !db_path.exists() {
        return Ok(None);
    }
    if let Ok(conn) = Connection::open(db_path) {
        let _ = conn.busy_timeout(db::busy_timeout());
        let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
    }
    let kept = free_name(db_path, what);
    rename(db_path, &kept)?;
    for suffix in ["-wal", "-shm"] {
        let side = sibling(db_path, suffix);
        if side.exists() {
            rename(&side, &sibling(&kept, suffix))?;
        }
    }
    Ok(Some(kept))
}

pub fn restore(db_path: &Path, backup: &Path) -> Result<Option<PathBuf>> {
    let src = verify(backup)?;
    let dir = tempfiles::folder_of(db_path);
    fs::create_dir_all(&dir).map_err(|e| Error::io_write(&dir, e))?;
    tempfiles::remove_stale(&dir, Some(db_path));

    // The copy goes to a temporary file beside the database first, so that the final step is
    // one rename on the same file system.
    let tmp = tempfiles::path_for(db_path, Purpose::Restore);
    tempfiles::remove(&tmp);
    if let Err(e) = copy_database(&src, &tmp) {
        tempfiles::remove(&tmp);
        return Err(e.at(db_path));
    }
    drop(src);

    let kept = match set_aside(db_path, "før-gjenoppretting") {
        Ok(kept) => kept,
        Err(e) => {
            tempfiles::remove(&tmp);
            return Err(e);
        }
    };
    if let Err(e) = rename(&tmp, db_path) {
        tempfiles::remove(&tmp);
        return Err(e);
    }
    sync_dir(&dir);
    Ok(kept)
}
