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
    include_str!("../../migrations/0003_stable_ids.sql"),
    include_str!("../../migrations/0004_replica.sql"),
    include_str!("../../migrations/0005_reset_versions.sql"),
    include_str!("../../migrations/0006_actions.sql"),
    include_str!("../../migrations/0007_surveys.sql"),
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

    /// Version 2 had comments and audit entries numbered only locally; migration 3 gives
    /// each comment and each audit batch a UUID (v4 form: 8-4-4-4-12 hex digits, version 4,
    /// variant 8–b) and each entry its position in its batch.
    #[test]
    fn migration_3_gives_existing_comments_and_audit_entries_stable_ids() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v2.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            to_version(&mut conn, 2, &path).unwrap();
            conn.execute_batch(
                "INSERT INTO units (code, name, parent, level, sort) VALUES ('2000', 'Oppvekst', NULL, NULL, 1);
                 INSERT INTO comments (indicator, unit, period, author, text, created_at)
                     VALUES ('SF', '2000', '2026-01', 'ola', 'a', '2026-02-01T10:00:00+01:00'),
                            ('SF', '2000', '2026-02', 'ola', 'b', '2026-03-01T10:00:00+01:00');
                 INSERT INTO audit_batches (id, at, user, source) VALUES
                     (1, '2026-02-01T10:00:00+01:00', 'ola', 'enheter.csv'),
                     (2, '2026-03-01T10:00:00+01:00', 'ola', 'manuell');
                 INSERT INTO audit (id, batch, entity, key) VALUES
                     (1, 1, 'enhet', '2000'), (2, 1, 'enhet', '2100'), (3, 1, 'enhet', '2200'),
                     (4, 2, 'kommentar', 'SF / 2000 / 2026-01');",
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let v4 = |uid: &str| {
            let b = uid.as_bytes();
            uid.len() == 36
                && [8, 13, 18, 23].iter().all(|&i| b[i] == b'-')
                && b[14] == b'4'
                && b"89ab".contains(&b[19])
                && uid
                    .chars()
                    .filter(|c| *c != '-')
                    .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        };
        let month = |m: &str| crate::period::Period::parse(m).unwrap();
        let a = store.comments("SF", "2000", &month("2026-01")).unwrap();
        let b = store.comments("SF", "2000", &month("2026-02")).unwrap();
        assert!(v4(&a[0].uid) && v4(&b[0].uid), "{} {}", a[0].uid, b[0].uid);
        assert_ne!(a[0].uid, b[0].uid);
        // Newest first: entry 4 is the first of batch 2; entries 1–3 are 1–3 of batch 1.
        let log = store
            .audit(&crate::storage::AuditFilter::default())
            .unwrap();
        let uids: Vec<(&str, &str)> = log
            .iter()
            .map(|e| e.uid.rsplit_once('/').unwrap_or_default())
            .collect();
        assert_eq!(
            uids.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
            ["1", "3", "2", "1"]
        );
        assert!(v4(uids[0].0) && v4(uids[1].0), "{uids:?}");
        assert_ne!(uids[0].0, uids[1].0);
        assert!(uids[1..].iter().all(|(b, _)| *b == uids[1].0));
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
