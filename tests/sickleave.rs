//! Sick leave end to end on a real SQLite file: the example files import, the summary is
//! computed from what was stored, bad rows are refused with nothing changed, every change
//! is audited, locked months hold, and the masking minimum is a setting.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use std::path::PathBuf;

use malkart::engine::Engine;
use malkart::import::{import_bytes, import_file, ImportKind};
use malkart::model::{LengthSplit, SickLeave, SickLeaveChange};
use malkart::period::{Month, Period};
use malkart::storage::{AuditFilter, ChangeSet, Store};
use malkart::Error;

/// A copy of `../shared/examples` (see its README).
const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/examples");

fn open() -> (tempfile::TempDir, PathBuf, Store) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("malkart.db");
    let store = Store::open(&path).unwrap_or_else(|e| panic!("{e}"));
    (dir, path, store)
}

fn example(store: &mut Store, kind: ImportKind, file: &str) {
    import_file(store, kind, &PathBuf::from(EXAMPLES).join(file), false)
        .unwrap_or_else(|e| panic!("{file}: {e}"));
}

fn with_examples() -> (tempfile::TempDir, PathBuf, Store) {
    let (dir, path, mut store) = open();
    example(&mut store, ImportKind::Units, "enheter.csv");
    example(&mut store, ImportKind::Indicators, "indikatorer.csv");
    (dir, path, store)
}

fn month(text: &str) -> Month {
    Period::parse(text)
        .unwrap_or_else(|e| panic!("{e}"))
        .first()
}

fn all(store: &Store) -> Vec<SickLeave> {
    store
        .sick_leave(month("2000-01"), month("2099-12"))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn entries(store: &Store) -> Vec<(String, String, Option<String>, Option<String>)> {
    store
        .audit(&AuditFilter::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|a| a.entity == "sykefravær")
        .map(|a| (a.key, a.period.unwrap_or_default(), a.old, a.new))
        .collect()
}

#[test]
fn the_example_imports_and_the_summary_adds_up_what_was_stored() {
    let (_dir, path, mut store) = with_examples();
    let report = import_file(
        &mut store,
        ImportKind::SickLeave,
        &PathBuf::from(EXAMPLES).join("sykefravær.csv"),
        false,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((report.rows_read, report.created), (6, 6));
    // Targets for SF and OK-AVVIK (built-ins) import too.
    example(&mut store, ImportKind::Targets, "mål.csv");
    drop(store);

    // A fresh connection on the same file.
    let store = Store::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let rows = all(&store);
    assert_eq!(rows.len(), 6);
    let r3200 = rows
        .iter()
        .find(|r| r.unit == "3200")
        .unwrap_or_else(|| panic!("3200"));
    assert_eq!(r3200.contracted_days, 1240.0);
    assert_eq!(r3200.split, None);
    assert_eq!(r3200.employees, Some(66));

    let period = Period::parse("2026-01").unwrap_or_else(|e| panic!("{e}"));
    let engine = Engine::new(store.dataset_for(&period).unwrap_or_else(|e| panic!("{e}")))
        .unwrap_or_else(|e| panic!("{e}"));
    let s = engine
        .sick_leave_summary("3000", &period, store.min_employees().unwrap_or(5))
        .unwrap_or_else(|e| panic!("{e}"));
    // Helse og omsorg, January 2026: 3110 (610,5; 9,5 + 62,0), 3120 (590,0; 7,0 + 48,5),
    // 3200 (1 240,0; 20,0 + 95,0) → (71,5 + 55,5 + 115,0) / (610,5 + 590,0 + 1 240,0)
    // = 242,0 / 2 440,5 = 9,9160… %.
    let top = &s.rows[0];
    assert_eq!(top.code, "3000");
    assert!((top.absence_pct.unwrap_or(0.0) - 100.0 * 242.0 / 2440.5).abs() < 1e-9);
    assert_eq!(top.employees, Some(31 + 30 + 66));
    // The default target from mål.csv: 7,0 (red 8,0) → 9,9 is red. 3100 has its own,
    // 8,5 (red 10,0): (71,5 + 55,5) / (610,5 + 590,0) = 10,578… % → 10,6, red as well.
    assert_eq!(top.target, Some(7.0));
    assert_eq!(top.status, Some(malkart::engine::Status::Red));
    let r3100 = s
        .rows
        .iter()
        .find(|r| r.code == "3100")
        .unwrap_or_else(|| panic!("3100"));
    assert_eq!(r3100.target, Some(8.5));
    assert!((r3100.absence_pct.unwrap_or(0.0) - 100.0 * 127.0 / 1200.5).abs() < 1e-9);
    let sf = engine
        .evaluate("SF", "3000", &period)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(top.absence_pct, sf.value);
    // The whole kommune: 1000 + its six units in tree order.
    let all_rows = engine
        .sick_leave_summary("1000", &period, 5)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(all_rows.rows[0].code, "1000");
}

#[test]
fn bad_rows_are_refused_naming_the_row_and_nothing_changes() {
    let (_dir, _path, mut store) = with_examples();
    example(&mut store, ImportKind::SickLeave, "sykefravær.csv");
    let before = all(&store);
    let audit_before = entries(&store).len();
    let header = "enhet;periode;avtalte_dagsverk;egenmeldt;legemeldt;ansatte;dager_1_3;dager_4_16;dager_17_56;dager_over_56\n";
    let cases = [
        // absence above contracted: 60 + 50 > 100
        (
            "2100;2026-03;100;60;50;10;;;;\n",
            "linje 2, kolonne «legemeldt»: egenmeldt + legemeldt (60 + 50 = 110) er mer enn avtalte dagsverk (100)",
        ),
        // split not adding up: 1 + 1 + 1 + 1 = 4 ≠ 5 + 10
        (
            "2100;2026-03;100;5;10;10;1;1;1;1\n",
            "linje 2, kolonne «dager_1_3»: fordelingen på lengde (1 + 1 + 1 + 1 = 4) må bli egenmeldt + legemeldt (15)",
        ),
        // contracted 0
        (
            "2100;2026-03;0;0;0;10;;;;\n",
            "linje 2, kolonne «avtalte_dagsverk»: avtalte dagsverk må være større enn 0",
        ),
        // not a month
        (
            "2100;2026-K1;100;1;1;10;;;;\n",
            "linje 2, kolonne «periode»: «2026-K1» er ikke én måned; sykefravær registreres per måned (f.eks. 2026-01)",
        ),
        // unknown unit
        ("9999;2026-03;100;1;1;10;;;;\n", "linje 2, kolonne «enhet»: ukjent enhet «9999»"),
        // part of the split
        (
            "2100;2026-03;100;1;1;10;1;1;;\n",
            "kolonne «dager_17_56»: mangler verdi; fordelingen på lengde må ha alle fire kolonnene eller ingen",
        ),
    ];
    for (line, expected) in cases {
        // The good first line must not be stored either.
        let text = format!("{header}2200;2026-03;420;6;21;20;;;;\n{line}");
        let err = import_bytes(
            &mut store,
            ImportKind::SickLeave,
            "f.csv",
            text.as_bytes(),
            false,
        )
        .err()
        .unwrap_or_else(|| panic!("{line} was accepted"));
        let message = err.to_string();
        let expected = expected.replace("linje 2", "linje 3");
        assert!(
            message.contains(&expected),
            "{message}\n  expected: {expected}"
        );
        assert_eq!(err.exit_code(), 2);
    }
    // Twice the same unit and month.
    let text = format!("{header}2200;2026-03;420;6;21;20;;;;\n2200;2026-03;420;6;21;20;;;;\n");
    let err = import_bytes(
        &mut store,
        ImportKind::SickLeave,
        "f.csv",
        text.as_bytes(),
        false,
    )
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(
        err.contains("linje 3: samme enhet og periode som linje 2"),
        "{err}"
    );

    // A locked month: by import and directly.
    store
        .lock_month(month("2026-02"))
        .unwrap_or_else(|e| panic!("{e}"));
    let text = format!("{header}2100;2026-02;800;11;30,5;42;;;;\n");
    let err = import_bytes(
        &mut store,
        ImportKind::SickLeave,
        "f.csv",
        text.as_bytes(),
        false,
    )
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(
        err.contains("linje 2, kolonne «periode»: måneden 2026-02 er låst"),
        "{err}"
    );
    let remove = ChangeSet::SickLeave(vec![SickLeaveChange::Remove {
        unit: "2100".into(),
        month: month("2026-02"),
    }]);
    let err = store.apply(&remove, "manuell", false).err();
    assert!(
        matches!(err, Some(Error::LockedMonth(ref m)) if m == "2026-02"),
        "{err:?}"
    );

    // Storage refuses a bad row on its own too (the grid's path), naming it.
    let bad = ChangeSet::SickLeave(vec![SickLeaveChange::Set(SickLeave {
        unit: "2100".into(),
        month: month("2026-03"),
        contracted_days: 10.0,
        self_certified: 6.0,
        doctor_certified: 5.0,
        employees: Some(3),
        split: None,
    })]);
    let err = store
        .apply(&bad, "manuell", false)
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("sykefravær 2100 / 2026-03: legemeldt: egenmeldt + legemeldt (6 + 5 = 11) er mer enn avtalte dagsverk (10)")
    );
    let unknown = ChangeSet::SickLeave(vec![SickLeaveChange::Remove {
        unit: "4242".into(),
        month: month("2026-03"),
    }]);
    assert!(matches!(
        store.apply(&unknown, "manuell", false).err(),
        Some(Error::UnknownUnit(ref u)) if u == "4242"
    ));

    assert_eq!(all(&store), before);
    assert_eq!(entries(&store).len(), audit_before);
}

#[test]
fn changes_are_audited_once_and_identical_rows_are_not() {
    let (_dir, _path, mut store) = with_examples();
    example(&mut store, ImportKind::SickLeave, "sykefravær.csv");
    assert_eq!(entries(&store).len(), 6);
    // Again: nothing changes, nothing is logged.
    let again = import_file(
        &mut store,
        ImportKind::SickLeave,
        &PathBuf::from(EXAMPLES).join("sykefravær.csv"),
        false,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((again.created, again.changed, again.unchanged), (0, 0, 6));
    assert_eq!(entries(&store).len(), 6);

    // One row replaced with the split, one removed.
    let changes = ChangeSet::SickLeave(vec![
        SickLeaveChange::Set(SickLeave {
            unit: "3200".into(),
            month: month("2026-01"),
            contracted_days: 1240.0,
            self_certified: 20.0,
            doctor_certified: 95.0,
            employees: Some(66),
            split: Some(LengthSplit {
                days_1_3: 15.0,
                days_4_16: 20.0,
                days_17_56: 30.0,
                days_over_56: 50.0,
            }),
        }),
        SickLeaveChange::Remove {
            unit: "2200".into(),
            month: month("2026-01"),
        },
    ]);
    let s = store
        .apply(&changes, "manuell", false)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((s.created, s.changed, s.unchanged), (0, 2, 0));
    let log = entries(&store);
    assert_eq!(log.len(), 8);
    // Newest first: the removal, then the change.
    let (key, period, old, new) = &log[0];
    assert_eq!(
        (key.as_str(), period.as_str()),
        ("2200 / 2026-01", "2026-01")
    );
    assert!(
        old.as_deref()
            .is_some_and(|o| o.contains("\"avtalte_dagsverk\":420.0")),
        "{old:?}"
    );
    assert_eq!(new, &None);
    let (key, _, old, new) = &log[1];
    assert_eq!(key, "3200 / 2026-01");
    assert!(
        old.as_deref()
            .is_some_and(|o| o.contains("\"dager_1_3\":null")),
        "{old:?}"
    );
    assert!(
        new.as_deref()
            .is_some_and(|n| n.contains("\"dager_over_56\":50.0")),
        "{new:?}"
    );
    assert_eq!(all(&store).len(), 5);
}

#[test]
fn the_masking_minimum_is_an_audited_setting() {
    let (_dir, path, mut store) = open();
    assert_eq!(store.min_employees().unwrap_or(0), 5);
    assert!(store.set_min_employees(3).unwrap_or(false));
    assert!(!store.set_min_employees(3).unwrap_or(true));
    drop(store);
    let store = Store::open(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(store.min_employees().unwrap_or(0), 3);
    let log: Vec<_> = store
        .audit(&AuditFilter::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|a| a.entity == "innstilling")
        .collect();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].key, "min_employees");
    assert_eq!(
        (log[0].old.as_deref(), log[0].new.as_deref()),
        (Some("5"), Some("3"))
    );
}

#[test]
fn built_in_indicators_cannot_be_redefined_or_measured() {
    let (_dir, _path, mut store) = with_examples();
    let text = "kode;navn;perspektiv;retning;frekvens;aggregering\nSF;Mitt sykefravær;organisasjon;lav;måned;brøk\n";
    let err = import_bytes(
        &mut store,
        ImportKind::Indicators,
        "i.csv",
        text.as_bytes(),
        false,
    )
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(
        err.contains("«SF» er en innebygd indikator og kan ikke endres"),
        "{err}"
    );
    let mut sf = store
        .indicators()
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .find(|i| i.code == "SF")
        .unwrap_or_else(|| panic!("SF"));
    sf.name = "Endret".into();
    let err = store
        .apply(&ChangeSet::Indicators(vec![sf]), "manuell", false)
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("«SF» er en innebygd indikator og kan ikke endres")
    );
    let m = "indikator;enhet;periode;teller;nevner\nSF;2100;2026-01;5;100\n";
    assert!(import_bytes(
        &mut store,
        ImportKind::Measurements,
        "m.csv",
        m.as_bytes(),
        false
    )
    .is_err());
}

#[test]
fn a_re_import_with_empty_optional_cells_keeps_the_stored_employees_and_split() {
    let (_dir, _path, mut store) = with_examples();
    let header = "enhet;periode;avtalte_dagsverk;egenmeldt;legemeldt;ansatte;dager_1_3;dager_4_16;dager_17_56;dager_over_56\n";
    let first = format!("{header}2100;2026-01;200;2;3;12;1;2;1;1\n");
    import_bytes(
        &mut store,
        ImportKind::SickLeave,
        "jan.csv",
        first.as_bytes(),
        false,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // The same row again with new absence and the optional cells empty: 2 + 3 → 2 + 3 is
    // unchanged, so the stored split (1 + 2 + 1 + 1 = 5) still fits; contracted 200 → 210.
    let again = format!("{header}2100;2026-01;210;2;3;;;;;\n");
    let report = import_bytes(
        &mut store,
        ImportKind::SickLeave,
        "jan2.csv",
        again.as_bytes(),
        false,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((report.changed, report.created), (1, 0));
    let rows = all(&store);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].contracted_days, 210.0);
    assert_eq!(rows[0].employees, Some(12));
    assert_eq!(
        rows[0].split,
        Some(LengthSplit {
            days_1_3: 1.0,
            days_4_16: 2.0,
            days_17_56: 1.0,
            days_over_56: 1.0
        })
    );
    // A file without the optional columns at all keeps them too; an identical result is
    // unchanged and not audited again.
    let audited = entries(&store).len();
    let short = "enhet;periode;avtalte_dagsverk;egenmeldt;legemeldt\n2100;2026-01;210;2;3\n";
    let report = import_bytes(
        &mut store,
        ImportKind::SickLeave,
        "kort.csv",
        short.as_bytes(),
        false,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((report.changed, report.unchanged), (0, 1));
    assert_eq!(entries(&store).len(), audited);
    // New absence that the stored split no longer adds up to (4 + 3 = 7 ≠ 5) is refused,
    // naming the row, and nothing changes.
    let before = all(&store);
    let bad = format!("{header}2100;2026-01;210;4;3;;;;;\n");
    let err = import_bytes(
        &mut store,
        ImportKind::SickLeave,
        "bad.csv",
        bad.as_bytes(),
        false,
    )
    .err()
    .unwrap_or_else(|| panic!("a split that no longer fits must be refused"))
    .to_string();
    assert!(err.contains("2100 / 2026-01"), "{err}");
    assert!(err.contains("dager_1_3"), "{err}");
    assert_eq!(all(&store), before);
    // Given cells replace: ansatte 3 and a new split.
    let full = format!("{header}2100;2026-01;210;4;3;3;2;2;2;1\n");
    import_bytes(
        &mut store,
        ImportKind::SickLeave,
        "full.csv",
        full.as_bytes(),
        false,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let rows = all(&store);
    assert_eq!(rows[0].employees, Some(3));
    assert_eq!(rows[0].split.map(|s| s.days_1_3), Some(2.0));
}
