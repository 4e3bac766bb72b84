//! What the broken-database screen offers, on real files: «Lag ny database» sets the broken
//! file aside (kept, byte for byte) and starts an empty one; a database that opens, or one
//! from a newer version, is refused and left as it is.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use malkart::service::admin::new_database_instead;
use malkart::storage::Store;
use malkart::Error;

const JUNK: &[u8] = b"dette er ikke en database, bare tekst som ligger der databasen skulle vaere";

#[test]
fn a_new_database_replaces_a_broken_file_which_is_kept_beside_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("malkart.db");
    std::fs::write(&db, JUNK).expect("junk");
    assert!(Store::open_existing(&db).is_err(), "the junk does not open");

    let kept = new_database_instead(&db)
        .expect("a new database")
        .expect("the broken file kept");
    assert_eq!(std::fs::read(&kept).expect("kept file"), JUNK);
    assert_eq!(kept.parent(), db.parent(), "kept beside it");
    let name = kept
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    assert!(name.starts_with("malkart.db.skadet-"), "{name}");

    let store = Store::open_existing(&db).expect("the new database opens");
    assert!(store.is_empty().expect("empty"));
}

#[test]
fn a_missing_file_just_gets_a_new_database() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("malkart.db");
    assert_eq!(new_database_instead(&db).expect("new"), None);
    assert!(Store::open_existing(&db).is_ok());
}

#[test]
fn a_database_that_opens_is_not_replaced() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("malkart.db");
    drop(Store::open(&db).expect("create"));
    let before = std::fs::read(&db).expect("bytes");
    let err = new_database_instead(&db).expect_err("refused");
    assert!(matches!(err, Error::Conflict(_)), "{err:?}");
    assert!(err.to_string().contains("kan åpnes"), "{err}");
    assert_eq!(std::fs::read(&db).expect("bytes"), before);
    let others: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("skadet"))
        .collect();
    assert!(others.is_empty(), "{others:?}");
}

#[test]
fn a_newer_versions_database_is_not_replaced() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("malkart.db");
    drop(Store::open(&db).expect("create"));
    {
        let conn = rusqlite::Connection::open(&db).expect("raw");
        conn.pragma_update(None, "user_version", 9999)
            .expect("newer schema");
    }
    let before = std::fs::read(&db).expect("bytes");
    let err = new_database_instead(&db).expect_err("refused");
    assert!(matches!(err, Error::NewerSchema { .. }), "{err:?}");
    assert_eq!(std::fs::read(&db).expect("bytes"), before);
}

#[test]
fn a_folder_where_the_file_should_be_is_not_moved() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("malkart.db");
    std::fs::create_dir(&db).expect("a folder");
    let err = new_database_instead(&db).expect_err("refused");
    assert!(err.to_string().contains("er en mappe"), "{err}");
    assert!(db.is_dir());
}

#[test]
fn without_a_path_nothing_is_made() {
    let err = new_database_instead(std::path::Path::new("")).expect_err("refused");
    assert!(err.to_string().contains("velg en annen fil"), "{err}");
}
