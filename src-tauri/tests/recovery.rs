//! The broken-database screen's three ways out, on real files through the app's backend:
//! «Gjenopprett fra sikkerhetskopi», «Velg en annen fil» and «Lag ny database». Each leaves
//! the app on a database that opens; a refusal leaves everything as it was.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use std::path::{Path, PathBuf};

use malkart::storage::Store;
use malkart_app::backend::Backend;

const JUNK: &[u8] =
    b"ikke en database: bare tekst der malkart.db skulle ligge, lang nok til en side";

/// A folder with a broken `malkart.db` and a good database `annen.db` holding one unit.
fn broken() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("malkart.db");
    std::fs::write(&db, JUNK).expect("junk");
    let good = dir.path().join("annen.db");
    let mut store = Store::open(&good).expect("good database");
    store
        .apply(
            &malkart::storage::ChangeSet::Units(vec![malkart::model::Unit {
                code: "1000".into(),
                name: "Demo kommune".into(),
                parent: None,
                level: None,
            }]),
            "enheter.csv",
            false,
        )
        .expect("a unit");
    (dir, db, good)
}

fn files_named(dir: &Path, part: &str) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains(part))
        .collect()
}

#[test]
fn a_broken_database_is_reported() {
    let (_dir, db, _) = broken();
    let backend = Backend::open(db.clone());
    let info = backend.info().expect("info");
    assert!(info.open_error.is_some());
    assert_eq!(info.db_path, db.display().to_string());
}

#[test]
fn restore_from_a_backup_replaces_the_broken_file_and_opens_it() {
    let (dir, db, good) = broken();
    let backend = Backend::open(db.clone());
    let kept = backend
        .restore(&good.display().to_string())
        .expect("restored")
        .expect("the broken file kept");
    assert_eq!(std::fs::read(&kept).expect("kept"), JUNK);
    let info = backend.info().expect("info");
    assert!(info.open_error.is_none(), "{:?}", info.open_error);
    assert!(!info.empty);
    assert_eq!(info.db_path, db.display().to_string());
    assert_eq!(backend.units().expect("units")[0].code, "1000");
    drop(dir);
}

#[test]
fn another_file_is_opened_instead() {
    let (_dir, db, good) = broken();
    let backend = Backend::open(db.clone());
    let info = backend
        .open_database(&good.display().to_string())
        .expect("opened");
    assert!(info.open_error.is_none());
    assert_eq!(info.db_path, good.display().to_string());
    assert_eq!(backend.units().expect("units")[0].code, "1000");
    // The broken file is left as it was.
    assert_eq!(std::fs::read(&db).expect("junk"), JUNK);
}

#[test]
fn the_file_chosen_is_opened_again_at_the_next_start() {
    let (dir, db, good) = broken();
    let choice = dir.path().join("valg").join("valgt-database.txt");
    let backend = Backend::open(db.clone()).remembering_choice_in(choice.clone());
    // A refused file is not remembered.
    let other = dir.path().join("ogsaa-skadet.db");
    std::fs::write(&other, JUNK).expect("junk");
    backend
        .open_database(&other.display().to_string())
        .expect_err("refused");
    assert!(!choice.exists(), "a refused file was remembered");
    backend
        .open_database(&good.display().to_string())
        .expect("opened");
    let remembered = std::fs::read_to_string(&choice).expect("remembered");
    assert_eq!(std::path::Path::new(remembered.trim()), good.as_path());
    // Started with --db or MALKART_DB (no choice file given), nothing is written.
    let fixed = Backend::open(db.clone());
    std::fs::remove_file(&choice).expect("removed");
    fixed
        .open_database(&good.display().to_string())
        .expect("opened");
    assert!(!choice.exists());
}

#[test]
fn a_file_that_does_not_open_is_refused_and_nothing_changes() {
    let (dir, db, _) = broken();
    let backend = Backend::open(db.clone());
    let before = backend.info().expect("info");
    let other = dir.path().join("ogsaa-skadet.db");
    std::fs::write(&other, JUNK).expect("junk");
    let err = backend
        .open_database(&other.display().to_string())
        .expect_err("refused");
    assert!(!err.message.contains("os error"), "{}", err.message);
    let missing = backend
        .open_database(&dir.path().join("finnes-ikke.db").display().to_string())
        .expect_err("refused");
    assert_eq!(missing.kind, "no_database");
    let after = backend.info().expect("info");
    assert_eq!(after.db_path, before.db_path);
    assert!(after.open_error.is_some());
}

#[test]
fn a_new_database_keeps_the_broken_file_beside_it() {
    let (dir, db, _) = broken();
    let backend = Backend::open(db.clone());
    let kept = backend
        .new_database()
        .expect("made")
        .expect("the broken file kept");
    assert_eq!(std::fs::read(&kept).expect("kept"), JUNK);
    assert_eq!(files_named(dir.path(), "skadet").len(), 1);
    let info = backend.info().expect("info");
    assert!(info.open_error.is_none());
    assert!(
        info.empty,
        "a new database is empty (the app offers the demo)"
    );
    assert_eq!(info.db_path, db.display().to_string());
}

#[test]
fn a_new_database_is_refused_while_the_database_opens() {
    let (dir, _, good) = broken();
    let backend = Backend::open(good.clone());
    let err = backend.new_database().expect_err("refused");
    assert_eq!(err.kind, "conflict");
    assert!(files_named(dir.path(), "skadet").is_empty());
    assert_eq!(backend.units().expect("units")[0].code, "1000");
}
