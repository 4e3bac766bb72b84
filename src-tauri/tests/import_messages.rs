//! What the app says when an import cannot even start: Norwegian that names the file and
//! what to do, never the operating system's English (`No such file or directory (os error
//! 2)`); a file that is not CSV or XLSX is a problem of the whole file (line 0, which the UI
//! shows without a line number).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use malkart::import::ImportKind;
use malkart::service::imports::ImportOutcome;
use malkart::storage::Store;
use malkart_app::backend::Backend;

fn backend() -> Backend {
    Backend::over_store(
        "minne".into(),
        Store::open_in_memory().expect("in-memory database"),
    )
}

fn no_english(message: &str) {
    for english in [
        "os error",
        "No such file",
        "Is a directory",
        "Permission denied",
    ] {
        assert!(!message.contains(english), "«{english}» in: {message}");
    }
}

#[test]
fn a_missing_file_is_named_in_norwegian() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("finnes-ikke.csv");
    let err = backend()
        .import(ImportKind::Units, &path.display().to_string(), true)
        .expect_err("no file");
    assert!(
        err.message
            .starts_with(&format!("finner ikke filen {}", path.display())),
        "{}",
        err.message
    );
    no_english(&err.message);
}

#[test]
fn a_folder_is_not_a_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let err = backend()
        .import(ImportKind::Units, &dir.path().display().to_string(), true)
        .expect_err("a folder");
    assert!(
        err.message.contains("er en mappe, ikke en fil"),
        "{}",
        err.message
    );
    no_english(&err.message);
}

#[test]
fn a_file_that_is_not_a_table_is_a_problem_of_the_whole_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bilde.png");
    std::fs::write(&path, [0x89u8, b'P', b'N', b'G', 0, 1, 2, 3, 0, 0]).expect("binary");
    let outcome = backend()
        .import(ImportKind::Units, &path.display().to_string(), true)
        .expect("an outcome");
    let ImportOutcome::Refused { failure } = outcome else {
        panic!("refused: {outcome:?}");
    };
    assert_eq!(failure.errors.len(), 1);
    assert_eq!(failure.errors[0].line, 0, "the whole file, no line");
    assert_eq!(
        failure.errors[0].message,
        "filen «bilde.png» er verken CSV eller XLSX"
    );
}
