//! The economy end to end on real SQLite files: the example file and a Visma-like export
//! imported, re-imports that change nothing, a bad amount refused with its line and nothing
//! changed, locked months and unknown units refused by storage, figure-by-figure changes
//! audited, and the report computed from what was stored.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use std::path::{Path, PathBuf};

use malkart::engine::Engine;
use malkart::import::{import_bytes, ImportKind, ImportReport};
use malkart::model::{EconomyChange, FieldChange};
use malkart::period::{Month, Period};
use malkart::storage::{AuditFilter, ChangeSet, Store};
use malkart::Error;

/// A copy of `../shared/examples` (see its README).
const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/examples");

struct Db {
    _dir: tempfile::TempDir,
    path: PathBuf,
    store: Store,
}

fn open() -> Db {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("malkart.db");
    let mut store = Store::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let units = std::fs::read(format!("{EXAMPLES}/enheter.csv")).unwrap_or_else(|e| panic!("{e}"));
    import_bytes(&mut store, ImportKind::Units, "enheter.csv", &units, false)
        .unwrap_or_else(|e| panic!("{e}"));
    Db {
        _dir: dir,
        path,
        store,
    }
}

/// Every row of the economy and audit tables, as sorted text, over a second connection.
fn dump(path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    for table in ["economy", "audit", "audit_batches"] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table}"))
            .unwrap_or_else(|e| panic!("{e}"));
        let n = stmt.column_count();
        let rows: Vec<String> = stmt
            .query_map([], |r| {
                let cells: Vec<String> = (0..n)
                    .map(|i| r.get_ref(i).map(|v| format!("{v:?}")))
                    .collect::<Result<_, _>>()?;
                Ok(format!("{table}: {}", cells.join(" | ")))
            })
            .and_then(|rows| rows.collect())
            .unwrap_or_else(|e| panic!("{e}"));
        out.extend(rows);
    }
    out.sort();
    out
}

fn import(db: &mut Db, name: &str, bytes: &[u8]) -> ImportReport {
    import_bytes(&mut db.store, ImportKind::Economy, name, bytes, false)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn month(id: &str) -> Month {
    Period::parse(id)
        .map(|p| p.first())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn p(id: &str) -> Period {
    Period::parse(id).unwrap_or_else(|e| panic!("{e}"))
}

fn example() -> Vec<u8> {
    std::fs::read(format!("{EXAMPLES}/økonomi.csv")).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_example_imports_and_a_second_import_changes_nothing() {
    let mut db = open();
    let first = import(&mut db, "økonomi.csv", &example());
    // 2100: twelve months of the spread year budget (January with accounts); 3100: January.
    assert_eq!((first.created, first.changed, first.unchanged), (13, 0, 0));
    assert_eq!(first.rows_read, 8);
    let before = dump(&db.path);
    let again = import(&mut db, "økonomi.csv", &example());
    assert_eq!((again.created, again.changed, again.unchanged), (0, 0, 13));
    assert_eq!(dump(&db.path), before);

    let rows = db
        .store
        .economy(month("2026-01"), month("2026-12"))
        .unwrap_or_else(|e| panic!("{e}"));
    let jan = rows
        .iter()
        .find(|r| r.unit == "2100" && r.month == month("2026-01"))
        .unwrap_or_else(|| panic!("2100 januar"));
    // 48 000 000 / 12 = 4 000 000 kr; 3 612 450,00 + 85 310,50 − 42 000,00 = 3 655 760,50 kr.
    assert_eq!(jan.budget, Some(400_000_000));
    assert_eq!(jan.actual, Some(365_576_050));
    assert_eq!(jan.forecast, None);
}

#[test]
fn a_visma_like_export_with_extra_columns_and_real_minus_signs_imports() {
    let mut db = open();
    let text = "Firma;Ansvar;Art;Funksjon;Prosjekt;Periode;Tekst;Regnskap;Valuta\n\
                1;2200;10100;2010;;2026-02;Fastlønn;1 234 567,50;NOK\n\
                1;2200;16000;2010;;2026-02;Foreldrebetaling;−234 567,25;NOK\n\
                1;2200;17100;2010;P7;2026-02;Refusjon sykepenger;−1 000 kr;NOK\n";
    let r = import(&mut db, "visma.csv", text.as_bytes());
    assert_eq!(r.created, 1);
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("«Firma»") && w.contains("«Valuta»")),
        "{:?}",
        r.warnings
    );
    let rows = db
        .store
        .economy(month("2026-02"), month("2026-02"))
        .unwrap_or_else(|e| panic!("{e}"));
    // 1 234 567,50 − 234 567,25 − 1 000 = 999 000,25 kr.
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].actual, Some(99_900_025));
    assert_eq!(rows[0].budget, None);
}

#[test]
fn a_bad_amount_names_the_line_and_changes_nothing() {
    let mut db = open();
    import(&mut db, "økonomi.csv", &example());
    let before = dump(&db.path);
    let text = "ansvar;periode;regnskap\n2100;2026-02;100\n2100;2026-02;12 34,5\n";
    match import_bytes(
        &mut db.store,
        ImportKind::Economy,
        "feil.csv",
        text.as_bytes(),
        false,
    ) {
        Err(Error::Import(f)) => {
            assert_eq!(f.errors.len(), 1);
            assert_eq!(f.errors[0].line, 3);
            assert_eq!(f.errors[0].column.as_deref(), Some("regnskap"));
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(dump(&db.path), before);
}

#[test]
fn locked_months_and_unknown_units_are_refused_by_storage() {
    let mut db = open();
    db.store
        .lock_month(month("2026-01"))
        .unwrap_or_else(|e| panic!("{e}"));
    let before = dump(&db.path);
    let change = |unit: &str, m: &str| EconomyChange {
        unit: unit.into(),
        month: month(m),
        budget: FieldChange::Set(100),
        actual: FieldChange::Keep,
        forecast: FieldChange::Keep,
    };
    let set = ChangeSet::Economy(vec![change("2100", "2026-02"), change("2100", "2026-01")]);
    match db.store.apply(&set, "manuell", false) {
        Err(Error::LockedMonth(m)) => assert_eq!(m, "2026-01"),
        other => panic!("expected LockedMonth, got {other:?}"),
    }
    let set = ChangeSet::Economy(vec![change("9999", "2026-02")]);
    match db.store.apply(&set, "manuell", false) {
        Err(Error::UnknownUnit(u)) => assert_eq!(u, "9999"),
        other => panic!("expected UnknownUnit, got {other:?}"),
    }
    assert_eq!(dump(&db.path), before);
    // The importer refuses the locked month too, naming the line.
    match import_bytes(
        &mut db.store,
        ImportKind::Economy,
        "låst.csv",
        &example(),
        false,
    ) {
        Err(Error::Import(f)) => assert!(f.errors.iter().any(|e| e.line == 2), "{f}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn figures_change_one_by_one_a_cleared_row_is_deleted_and_every_change_is_audited() {
    let mut db = open();
    let set = |budget, actual, forecast| {
        ChangeSet::Economy(vec![EconomyChange {
            unit: "2100".into(),
            month: month("2026-03"),
            budget,
            actual,
            forecast,
        }])
    };
    let apply = |db: &mut Db, changes: ChangeSet| {
        db.store
            .apply(&changes, "manuell", false)
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let s = apply(
        &mut db,
        set(
            FieldChange::Set(150_000),
            FieldChange::Keep,
            FieldChange::Keep,
        ),
    );
    assert_eq!((s.created, s.changed), (1, 0));
    // Keep leaves the budget; Set adds accounts.
    let s = apply(
        &mut db,
        set(FieldChange::Keep, FieldChange::Set(-5), FieldChange::Keep),
    );
    assert_eq!((s.created, s.changed), (0, 1));
    let rows = db
        .store
        .economy(month("2026-03"), month("2026-03"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((rows[0].budget, rows[0].actual), (Some(150_000), Some(-5)));
    // The same again: unchanged, not audited.
    let audited = db
        .store
        .audit(&AuditFilter::default())
        .map(|a| a.len())
        .unwrap_or(0);
    let s = apply(
        &mut db,
        set(FieldChange::Keep, FieldChange::Set(-5), FieldChange::Keep),
    );
    assert_eq!((s.created, s.changed, s.unchanged), (0, 0, 1));
    assert_eq!(
        db.store
            .audit(&AuditFilter::default())
            .map(|a| a.len())
            .unwrap_or(0),
        audited
    );
    // Clearing both figures leaves nothing: the row is deleted.
    let s = apply(
        &mut db,
        set(FieldChange::Clear, FieldChange::Clear, FieldChange::Keep),
    );
    assert_eq!(s.changed, 1);
    assert!(db
        .store
        .economy(month("2026-03"), month("2026-03"))
        .unwrap_or_else(|e| panic!("{e}"))
        .is_empty());

    let log = db
        .store
        .audit(&AuditFilter::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let economy: Vec<_> = log.iter().filter(|e| e.entity == "økonomi").collect();
    assert_eq!(economy.len(), 3);
    // Newest first: the deletion, the accounts, the creation.
    assert_eq!(economy[0].key, "2100 / 2026-03");
    assert_eq!(economy[0].unit.as_deref(), Some("2100"));
    assert_eq!(economy[0].period.as_deref(), Some("2026-03"));
    assert_eq!(economy[0].new, None);
    assert_eq!(
        economy[1].new.as_deref(),
        Some(r#"{"budsjett":"1500,00","prognose":null,"regnskap":"−0,05"}"#)
    );
    assert_eq!(
        economy[2].new.as_deref(),
        Some(r#"{"budsjett":"1500,00","prognose":null,"regnskap":null}"#)
    );
    assert_eq!(economy[2].old, None);
}

#[test]
fn the_report_reads_what_was_imported() {
    let mut db = open();
    import(&mut db, "økonomi.csv", &example());
    let data = db
        .store
        .dataset_for(&p("2026-01"))
        .unwrap_or_else(|e| panic!("{e}"));
    let engine = Engine::new(data).unwrap_or_else(|e| panic!("{e}"));
    let report = engine
        .economy_report("2000", &p("2026-01"))
        .unwrap_or_else(|e| panic!("{e}"));
    let row = |code: &str| {
        report
            .rows
            .iter()
            .find(|r| r.code == code)
            .unwrap_or_else(|| panic!("{code}"))
    };
    // 2100: årsbudsjett 48 000 000; January budget 4 000 000, accounts 3 655 760,50;
    // avvik 344 239,50; no forecast → prognose = årsbudsjett.
    let school = row("2100");
    assert_eq!(school.annual_budget, 48_000_000.0);
    assert_eq!(school.budget_ytd, 4_000_000.0);
    assert_eq!(school.actual_ytd, 3_655_760.5);
    assert_eq!(school.deviation, 344_239.5);
    assert_eq!(school.forecast, 48_000_000.0);
    assert!(school.forecast_is_budget);
    // The sector 2000 has 2100 and 2200 (no figures) under it: the same totals.
    assert_eq!(row("2000").actual_ytd, 3_655_760.5);
    assert_eq!(row("2000").units_without_forecast, 1);
}
