//! Hostile input end to end (issue 10): periods with multi-byte characters on the command
//! line and in files, invisible characters in unit codes through storage (the app's
//! path), amounts past the bound through storage, economy sums that must not wrap, and a
//! workbook that would have cost half a terabyte. Each refusal exits 2 with a Norwegian
//! message, and leaves the database as it was.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;
use malkart::engine::Engine;
use malkart::import::{import_bytes, ImportKind};
use malkart::model::{EconomyChange, FieldChange, Unit, MAX_AMOUNT_ORE};
use malkart::period::Period;
use malkart::storage::{ChangeSet, Store};
use malkart::Error;

fn tmp() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("malkart.db");
    (dir, path)
}

fn p(text: &str) -> Period {
    Period::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn unit(code: &str, name: &str, parent: Option<&str>) -> Unit {
    Unit {
        code: code.into(),
        name: name.into(),
        parent: parent.map(Into::into),
        level: None,
    }
}

/// 1000 ← 2000 ← 2100, 2200.
fn store(path: &Path) -> Store {
    let mut store = Store::open(path).unwrap_or_else(|e| panic!("{e}"));
    let units = ChangeSet::Units(vec![
        unit("1000", "Kommunen", None),
        unit("2000", "Oppvekst", Some("1000")),
        unit("2100", "Skole A", Some("2000")),
        unit("2200", "Skole B", Some("2000")),
    ]);
    store
        .apply(&units, "test", false)
        .unwrap_or_else(|e| panic!("{e}"));
    store
}

/// `malkart --db DB ARGS…`: exit code and standard error.
fn malkart(db: &Path, args: &[&str]) -> (i32, String) {
    let out = cargo_bin_cmd!("malkart")
        .env_remove("MALKART_DB")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn multibyte_periods_are_refused_by_status_lock_and_import_without_a_panic() {
    let (dir, db) = tmp();
    drop(store(&db));
    for period in ["aÅÅb", "202²5", "202½6"] {
        let (code, stderr) = malkart(&db, &["status", "--unit", "1000", "--period", period]);
        assert_eq!(code, 2, "{stderr}");
        assert!(
            stderr.contains(&format!("«{period}» er ikke en gyldig periode")),
            "{stderr}"
        );
        let (code, stderr) = malkart(&db, &["lock", period]);
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains("er ikke en gyldig periode"), "{stderr}");
        let file = dir.path().join("sykefravær.csv");
        std::fs::write(
            &file,
            format!("enhet;periode;avtalte_dagsverk;egenmeldt;legemeldt\n2100;{period};100;1;2\n"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let path = file.to_string_lossy().into_owned();
        for kind in ["sykefravær", "økonomi", "målinger"] {
            let (code, stderr) = malkart(&db, &["import", kind, &path]);
            assert_eq!(code, 2, "{kind}: {stderr}");
            assert!(!stderr.contains("panicked"), "{stderr}");
        }
    }
}

#[test]
fn a_workbook_with_a_cell_at_xfd1048576_imports_in_moments() {
    // The A1-to-farthest-cell rectangle of this sheet is 2^34 cells; read sparsely it is
    // one header and one line (whose unit is unknown: refused as a line, not as a crash).
    let (dir, db) = tmp();
    drop(store(&db));
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let written = [
        "enhet",
        "periode",
        "avtalte_dagsverk",
        "egenmeldt",
        "legemeldt",
    ]
    .iter()
    .enumerate()
    .try_for_each(|(i, h)| sheet.write_string(0, i as u16, *h).map(|_| ()))
    .and_then(|()| sheet.write_string(1_048_575, 16_383, "x").map(|_| ()));
    written.unwrap_or_else(|e| panic!("{e}"));
    let bytes = book.save_to_buffer().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("stor.xlsx");
    std::fs::write(&file, bytes).unwrap_or_else(|e| panic!("{e}"));
    let (code, stderr) = malkart(&db, &["import", "sykefravær", &file.to_string_lossy()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("linje 1048576"), "{stderr}");
}

#[test]
fn storage_refuses_unit_codes_with_invisible_characters_and_composes_names() {
    let (_dir, db) = tmp();
    let mut store = store(&db);
    for code in [
        "2100\u{200b}",
        "21\u{feff}00",
        "\u{202e}0012",
        "2100\u{2066}",
        "A\u{30a}",
    ] {
        let set = ChangeSet::Units(vec![unit(code, "Look-alike", Some("2000"))]);
        match store.apply(&set, "app", false) {
            Err(Error::Validation { field, message: m }) => {
                assert_eq!(field, "kode");
                assert!(m.contains("enhetskode"), "{m}");
            }
            other => panic!("{code:?}: expected Validation, got {other:?}"),
        }
    }
    // Å as A + combining ring in a name is stored as the one character Å (NFC).
    let set = ChangeSet::Units(vec![unit("2300", "A\u{30a}mot skole", Some("2000"))]);
    store
        .apply(&set, "app", false)
        .unwrap_or_else(|e| panic!("{e}"));
    let catalog = store.catalog().unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<&str> = catalog.units.iter().map(|u| u.name.as_str()).collect();
    assert!(names.contains(&"\u{c5}mot skole"), "{names:?}");
    assert_eq!(catalog.units.len(), 5);
}

#[test]
fn storage_refuses_amounts_past_the_bound_whatever_the_door() {
    let (_dir, db) = tmp();
    let mut store = store(&db);
    let month = p("2026-01").first();
    for ore in [MAX_AMOUNT_ORE + 1, -MAX_AMOUNT_ORE - 1, i64::MIN, i64::MAX] {
        let set = ChangeSet::Economy(vec![EconomyChange {
            unit: "2100".into(),
            month,
            budget: FieldChange::Keep,
            actual: FieldChange::Set(ore),
            forecast: FieldChange::Keep,
        }]);
        match store.apply(&set, "rutenett", false) {
            Err(Error::Validation { field, message: m }) => assert!(
                field == "regnskap"
                    && m.starts_with("økonomi for 2100 / 2026-01, regnskap ")
                    && m.contains("høyst 1 000 milliarder kr"),
                "{field}: {m}"
            ),
            other => panic!("{ore}: expected Validation, got {other:?}"),
        }
    }
    // The bound itself is accepted.
    let set = ChangeSet::Economy(vec![EconomyChange {
        unit: "2100".into(),
        month,
        budget: FieldChange::Set(-MAX_AMOUNT_ORE),
        actual: FieldChange::Set(MAX_AMOUNT_ORE),
        forecast: FieldChange::Keep,
    }]);
    store
        .apply(&set, "rutenett", false)
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn economy_sums_of_figures_stored_before_the_bound_do_not_wrap() {
    // Figures written before the bound existed (straight into the table): two schools with
    // accounts of i64::MAX − 1 øre each in January. Their sector's sum is
    // 2 × 9 223 372 036 854 775 806 øre = 18 446 744 073 709 551 612 øre, past i64; in
    // kroner 184 467 440 737 095 516,12 — positive, not wrapped to −2 øre.
    let (_dir, db) = tmp();
    drop(store(&db));
    let conn = rusqlite::Connection::open(&db).unwrap_or_else(|e| panic!("{e}"));
    let month = p("2026-01").first().index();
    for school in ["2100", "2200"] {
        conn.execute(
            "INSERT INTO economy (unit, month, budget, actual, forecast) VALUES (?1, ?2, ?3, ?4, NULL)",
            rusqlite::params![school, month, i64::MIN + 1, i64::MAX - 1],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    drop(conn);
    let store = Store::open(&db).unwrap_or_else(|e| panic!("{e}"));
    let data = store
        .dataset_for(&p("2026-01"))
        .unwrap_or_else(|e| panic!("{e}"));
    let engine = Engine::new(data).unwrap_or_else(|e| panic!("{e}"));
    let report = engine
        .economy_report("2000", &p("2026-01"))
        .unwrap_or_else(|e| panic!("{e}"));
    let sector = report
        .rows
        .iter()
        .find(|r| r.code == "2000")
        .unwrap_or_else(|| panic!("2000"));
    let expected = 2.0 * (i64::MAX - 1) as f64 / 100.0;
    assert_eq!(sector.actual_ytd, expected);
    assert!(sector.actual_ytd > 1.8e17);
    assert!(sector.budget_ytd < -1.8e17);
    // Avvik = budget − actual ≈ −2 × 2^63 øre: negative, as it is.
    assert!(sector.deviation < -3.6e17);
    let status = engine
        .evaluate("OK-AVVIK", "2000", &p("2026-01"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(status.value.is_some_and(f64::is_finite));
}

#[test]
fn an_import_past_the_bound_changes_nothing() {
    let (_dir, db) = tmp();
    let mut store = store(&db);
    let text = "ansvar;periode;regnskap\n2100;2026-01;100\n2100;2026-02;-92233720368547758\n";
    match import_bytes(
        &mut store,
        ImportKind::Economy,
        "ø.csv",
        text.as_bytes(),
        false,
    ) {
        Err(Error::Import(f)) => {
            assert_eq!(f.total, 1);
            assert_eq!(f.errors[0].line, 3);
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let data = store
        .dataset_for(&p("2026"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(data.economy.is_empty());
}
