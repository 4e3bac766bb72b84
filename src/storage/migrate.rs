//! The schema's forward-only migrations (`migrations/NNNN_*.sql`, embedded at build time)
//! and the check that refuses a database written by a newer version. The version is
//! SQLite's `PRAGMA user_version`. Pending migrations run in one IMMEDIATE transaction that
//! reads the version again once it holds the write lock, so two processes opening a new
//! database at the same moment both succeed: the second waits (up to the busy timeout) and
//! then finds nothing left to do.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};
#[cfg(test)]
use rusqlite_migration::{Migrations, M};

use crate::error::{Error, Result};

/// Every migration, in order; migration *n* (1-based) brings the schema to version *n*.
/// A new migration is a new file in `migrations/` and a new line here (a test checks that
/// the two agree).
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_initial.sql"),
    include_str!("../../migrations/0002_sick_leave_economy.sql"),
];

/// The schema version this build writes and reads.
pub const SUPPORTED_VERSION: i64 = MIGRATIONS.len() as i64;

#[cfg(test)]
fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect())
}

pub fn schema_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Refuses a newer schema before anything is written to it.
pub fn refuse_newer(conn: &Connection, path: &Path) -> Result<()> {
    let found = schema_version(conn)?;
    if found > SUPPORTED_VERSION {
        return Err(Error::NewerSchema {
            path: path.display().to_string(),
            found,
            supported: SUPPORTED_VERSION,
        });
    }
    Ok(())
}

/// Brings the schema to `SUPPORTED_VERSION`, all pending migrations in one transaction; a
/// newer schema found under the lock is refused untouched.
pub fn to_latest(conn: &mut Connection, path: &Path) -> Result<()> {
    to_version(conn, SUPPORTED_VERSION, path)
}

/// Brings the schema to `target` (tests use an older one, to migrate from it).
pub(crate) fn to_version(conn: &mut Connection, target: i64, path: &Path) -> Result<()> {
    // Most opens find the schema current and need no lock at all.
    if schema_version(conn)? == target {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Again under the write lock: another process may have migrated meanwhile.
    let found = schema_version(&tx)?;
    refuse_newer(&tx, path)?;
    for version in found.max(0)..target {
        let sql = MIGRATIONS
            .get(usize::try_from(version).unwrap_or(usize::MAX))
            .copied()
            .unwrap_or_default();
        tx.execute_batch(sql).map_err(|source| Error::Migration {
            version: version + 1,
            source,
        })?;
    }
    if found < target {
        tx.pragma_update(None, "user_version", target)
            .map_err(|source| Error::Migration {
                version: target,
                source,
            })?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::Store;

    #[test]
    fn migrations_are_valid_and_every_file_is_embedded() {
        assert!(migrations().validate().is_ok());
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|name| name.ends_with(".sql"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        assert_eq!(
            files.len(),
            MIGRATIONS.len(),
            "files in migrations/: {files:?}"
        );
        for (i, name) in files.iter().enumerate() {
            // Numbered from 0001 without gaps, in the order they are embedded.
            assert!(name.starts_with(&format!("{:04}_", i + 1)), "{name}");
            let text = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
            assert_eq!(
                text,
                MIGRATIONS[i],
                "{name} is not embedded at position {}",
                i + 1
            );
        }
    }

    #[test]
    fn a_database_of_every_earlier_version_migrates_to_the_latest() {
        for version in 0..SUPPORTED_VERSION as usize {
            let dir = tempfile::tempdir().map_err(|e| e.to_string()).unwrap();
            let path = dir.path().join("gammel.db");
            {
                let mut conn = Connection::open(&path).unwrap();
                to_version(&mut conn, version as i64, &path).unwrap();
                assert_eq!(schema_version(&conn).unwrap(), version as i64);
            }
            let store = Store::open(&path).unwrap();
            let report = store.check().unwrap();
            assert_eq!(
                report.schema_version, SUPPORTED_VERSION,
                "from version {version}"
            );
            assert!(report.ok, "from version {version}: {:?}", report.integrity);
            assert!(store.is_empty().unwrap());
        }
    }
}
